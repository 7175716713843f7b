package config

import (
	"reflect"
	"strings"
	"testing"
)

func routerConfig(t testing.TB) *Config {
	t.Helper()
	src := `
feeds:
  stocks: { url: "http://127.0.0.1:1/stocks" }
  news:   { url: "http://127.0.0.1:1/news" }
  sports: { url: "http://127.0.0.1:1/sports" }
  quiet:  { url: "http://127.0.0.1:1/quiet" }
panes:
  - { id: prices,  type: table, feed: stocks, events: [quote], key: s, columns: [s] }
  - { id: movers,  type: list,  feed: stocks, events: ["quote", "trade.*"] }
  - { id: heads,   type: ticker, feed: news, events: [headline] }
  - { id: alerts,  type: list, feeds: [news, sports], events: [notification, goal] }
  - { id: anyerr,  type: list, events: ["*error*"] }
  - { id: sportall, type: list, feed: sports }
  - { id: raw,     type: log, feeds: [stocks, news] }
  - { id: raw2,    type: log, feed: news }
layout: [[prices, movers], [heads, alerts], [anyerr, sportall], [raw, raw2]]
`
	cfg, problems := Check(strings.NewReader(src), Options{Name: "router.yaml"})
	if errs := problems.Errors(); len(errs) > 0 {
		t.Fatalf("%s", pretty(errs))
	}
	return cfg
}

// TestRoutes states the routing rules; live.Router must agree with them.
func TestRoutes(t *testing.T) {
	r := routerConfig(t)
	tests := []struct {
		feed, event string
		want        []string
	}{
		{"stocks", "quote", []string{"prices", "movers"}},
		{"stocks", "trade.buy", []string{"movers"}},
		{"stocks", "trade.buy.x", []string{"movers"}}, // '.' is no separator for globs
		{"stocks", "trade/buy", []string{"raw"}},      // '*' does not cross '/'
		{"stocks", "heartbeat", []string{"raw"}},
		{"stocks", "message", []string{"raw"}},
		{"stocks", "", []string{"raw"}},
		{"stocks", "headline", []string{"raw"}}, // heads listens to news only
		{"stocks", "db_error", []string{"anyerr"}},
		{"stocks", "trade.error", []string{"movers", "anyerr"}},
		{"news", "headline", []string{"heads"}},
		{"news", "notification", []string{"alerts"}},
		{"news", "weather", []string{"raw", "raw2"}},
		{"news", "error", []string{"anyerr"}},
		{"sports", "goal", []string{"alerts", "sportall"}},
		{"sports", "score", []string{"sportall"}},
		{"sports", "fatal_error", []string{"anyerr", "sportall"}},
		{"quiet", "anything", nil},
		{"quiet", "an_error", []string{"anyerr"}},
		{"unknown-feed", "an_error", []string{"anyerr"}},
		{"unknown-feed", "quote", nil},
	}
	for _, tt := range tests {
		got := r.Route(tt.feed, tt.event)
		if len(got) == 0 && len(tt.want) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Route(%q, %q) = %v, want %v", tt.feed, tt.event, got, tt.want)
		}
	}
	for feed, want := range map[string]bool{"stocks": true, "news": true, "sports": true, "quiet": true, "nope": false} {
		if r.Listened(feed) != want {
			t.Errorf("Listened(%q) = %v", feed, !want)
		}
	}
	for feed, want := range map[string][]string{"stocks": {"raw"}, "news": {"raw", "raw2"}, "sports": {"sportall"}, "quiet": nil} {
		if got := r.Unmatched(feed); !reflect.DeepEqual(got, want) {
			t.Errorf("Unmatched(%q) = %v, want %v", feed, got, want)
		}
	}
}
