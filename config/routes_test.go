package config

import (
	"bytes"
	"os"
	"reflect"
	"testing"
)

func routerConfig(t testing.TB) *Config {
	t.Helper()
	src, err := os.ReadFile("testdata/router.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg, problems := Check(bytes.NewReader(src), Options{Name: "router.yaml"})
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
