package live

import (
	"reflect"
	"strings"
	"testing"

	"github.com/livefeed/livefeed/config"
)

func routerConfig(t testing.TB) *config.Config {
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
	cfg, problems := config.Check(strings.NewReader(src), config.Options{Name: "router.yaml"})
	if errs := problems.Errors(); len(errs) > 0 {
		t.Fatalf("%v", errs)
	}
	return cfg
}

// TestRouterAgreesWithConfig: the precomputed routes are the config's
// routing rules (config's TestRoutes pins those), for every feed (and one
// the config lacks) and event name the patterns mention or miss.
func TestRouterAgreesWithConfig(t *testing.T) {
	cfg := routerConfig(t)
	r := NewRouter(cfg)
	events := []string{"", "message", "quote", "trade.buy", "trade.buy.x", "trade/buy", "trade.error", "heartbeat", "headline",
		"notification", "goal", "score", "error", "db_error", "fatal_error", "an_error", "weather", "anything"}
	for _, feed := range []string{"stocks", "news", "sports", "quiet", "unknown-feed"} {
		for _, ev := range events {
			if got, want := r.Route(feed, ev), cfg.Route(feed, ev); !reflect.DeepEqual(got, want) && len(got)+len(want) > 0 {
				t.Errorf("Route(%q, %q) = %v, config says %v", feed, ev, got, want)
			}
		}
		if got, want := r.Unmatched(feed), cfg.Unmatched(feed); !reflect.DeepEqual(got, want) {
			t.Errorf("Unmatched(%q) = %v, config says %v", feed, got, want)
		}
		if r.Listened(feed) != cfg.Listened(feed) {
			t.Errorf("Listened(%q) disagrees", feed)
		}
	}
}

// TestRouterNoAlloc pins the promise the TUI relies on: routing a literal or
// unrouted event name, or one matched by a single glob, allocates nothing.
func TestRouterNoAlloc(t *testing.T) {
	r := NewRouter(routerConfig(t))
	for _, ev := range [][2]string{{"stocks", "quote"}, {"stocks", "heartbeat"}, {"stocks", "trade.sell"}, {"news", "weather"}, {"quiet", "x"}} {
		if n := testing.AllocsPerRun(200, func() { _ = r.Route(ev[0], ev[1]) }); n != 0 {
			t.Errorf("Route(%q, %q) allocates %v times", ev[0], ev[1], n)
		}
	}
}

func TestRouterHandBuilt(t *testing.T) {
	c := &config.Config{
		Feeds: []*config.Feed{{Name: "a"}},
		Panes: []*config.Pane{{ID: "all", Type: config.Table}, {ID: "log", Type: config.Log}},
	}
	r := NewRouter(c)
	if got := r.Route("a", "whatever"); !reflect.DeepEqual(got, []string{"all"}) {
		t.Errorf("a table with no events should take everything, got %v", got)
	}
	if got := r.Unmatched("a"); !reflect.DeepEqual(got, []string{"all"}) {
		t.Errorf("Unmatched = %v", got)
	}
}

func TestRouterUnmatchedWithStarPattern(t *testing.T) {
	c := &config.Config{
		Feeds: []*config.Feed{{Name: "a"}},
		Panes: []*config.Pane{
			{ID: "quotes", Type: config.Table, Events: []string{"quote"}},
			{ID: "raw", Type: config.Log, Events: []string{"*"}},
			{ID: "rest", Type: config.Log},
		},
	}
	r := NewRouter(c)
	if got := r.Route("a", "news"); !reflect.DeepEqual(got, []string{"raw"}) {
		t.Errorf("Route(news) = %v, want [raw]", got)
	}
	if got := r.Unmatched("a"); !reflect.DeepEqual(got, []string{"raw"}) {
		t.Errorf("Unmatched = %v: an event no literal names still matches \"*\"", got)
	}
}

func BenchmarkRoute(b *testing.B) {
	r := NewRouter(routerConfig(b))
	b.Run("exact", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = r.Route("stocks", "quote")
		}
	})
	b.Run("unrouted", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = r.Route("news", "weather")
		}
	})
	b.Run("glob", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = r.Route("stocks", "trade.sell")
		}
	})
}
