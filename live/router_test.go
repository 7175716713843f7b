package live

import (
	"bytes"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/livefeed/livefeed/config"
	"github.com/livefeed/livefeed/feed"
)

func routerConfig(t testing.TB) *config.Config {
	t.Helper()
	// The config whose routing rules config's TestRoutes pins.
	src, err := os.ReadFile("../config/testdata/router.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg, problems := config.Check(bytes.NewReader(src), config.Options{Name: "router.yaml"})
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

func whereConfig(t testing.TB) *config.Config {
	t.Helper()
	src := `
feeds:
  wiki: { url: "http://127.0.0.1:1/wiki" }
  stocks: { url: "http://127.0.0.1:1/stocks" }
panes:
  - { id: edits, type: list, feed: wiki, where: 'meta.domain != "canary" && !bot' }
  - { id: big,   type: list, feed: wiki, where: ['length.new - length.old > 100', '$event == "message"'] }
  - { id: raw,   type: log,  feed: wiki }
  - { id: quotes, type: table, feed: stocks, events: [quote], key: s, columns: [s] }
  - { id: rest,  type: log, feed: stocks, where: 's != "HIDE"' }
`
	cfg, problems := config.Check(strings.NewReader(src), config.Options{Name: "where.yaml"})
	if errs := problems.Errors(); len(errs) > 0 {
		t.Fatalf("%v", errs)
	}
	return cfg
}

func TestRouteEventWhere(t *testing.T) {
	r := NewRouter(whereConfig(t))
	tests := []struct {
		feed, event, data string
		want              []string
	}{
		{"wiki", "message", `{"meta":{"domain":"en.wikipedia.org"},"bot":false,"length":{"old":1,"new":500}}`, []string{"edits", "big"}},
		{"wiki", "message", `{"meta":{"domain":"en.wikipedia.org"},"bot":true,"length":{"old":1,"new":50}}`, []string{"raw"}},
		{"wiki", "message", `{"meta":{"domain":"canary"},"bot":false,"length":{"old":1,"new":500}}`, []string{"big"}},
		{"wiki", "other", `{"meta":{"domain":"x"},"bot":false,"length":{"old":1,"new":500}}`, []string{"edits"}},
		{"wiki", "message", `not json`, []string{"raw"}},
		{"wiki", "message", ``, []string{"raw"}},
		{"wiki", "message", `{"length":{"old":"a","new":[1,2]}}`, []string{"raw"}},
		{"stocks", "quote", `{"s":"HIDE"}`, []string{"quotes"}},
		{"stocks", "news", `{"s":"A"}`, []string{"rest"}},
		{"stocks", "news", `{"s":"HIDE"}`, nil}, // the catch-all's own where fails
		{"nofeed", "x", `{}`, nil},
	}
	for _, tt := range tests {
		ev := feed.Event{Type: tt.event, Data: tt.data}
		got := r.RouteEvent(tt.feed, &ev, time.Time{})
		if len(got)+len(tt.want) > 0 && !reflect.DeepEqual(got, tt.want) {
			t.Errorf("RouteEvent(%s, %s, %s) = %v, want %v", tt.feed, tt.event, tt.data, got, tt.want)
		}
	}
}

// TestRouteEventNoAllocWithoutWhere: panes without where: stay free of
// allocations even when other panes of the config have conditions, and a
// condition that holds costs no allocation for the result either.
func TestRouteEventNoAllocWithoutWhere(t *testing.T) {
	for _, cfg := range []*config.Config{routerConfig(t), whereConfig(t)} {
		r := NewRouter(cfg)
		ev := feed.Event{Type: "quote", Data: `{"s":"A"}`}
		if n := testing.AllocsPerRun(200, func() { _ = r.RouteEvent("stocks", &ev, time.Time{}) }); n != 0 {
			t.Errorf("RouteEvent(stocks, quote) allocates %v times", n)
		}
	}
}

// BenchmarkRouteWhere compares routing an event to a pane with a two-clause
// where: on a 100-byte payload with routing it to a pane without one (the
// Router baseline) in the same run. Target: the where costs ≤ 1 µs.
func BenchmarkRouteWhere(b *testing.B) {
	payload := `{"meta":{"domain":"en.wikipedia.org","uri":"https://en.wikipedia.org/wiki/XYZ"},"bot":false,"ns":10}`
	if len(payload) != 100 {
		b.Fatalf("payload is %d bytes, want 100", len(payload))
	}
	src := `
feeds:
  wiki: { url: "http://127.0.0.1:1/wiki" }
panes:
  - { id: plain, type: list, feed: wiki, events: [plain] }
  - { id: edits, type: list, feed: wiki, events: [edit], where: 'meta.domain != "canary" && !bot' }
`
	cfg, problems := config.Check(strings.NewReader(src), config.Options{Name: "bench.yaml"})
	if errs := problems.Errors(); len(errs) > 0 {
		b.Fatal(errs)
	}
	r := NewRouter(cfg)
	for _, c := range []struct{ name, event, want string }{{"baseline", "plain", "plain"}, {"where", "edit", "edits"}} {
		ev := feed.Event{Type: c.event, Data: payload}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if ids := r.RouteEvent("wiki", &ev, time.Time{}); len(ids) != 1 || ids[0] != c.want {
					b.Fatal(ids)
				}
			}
		})
	}
}

func TestPrepare(t *testing.T) {
	src := `
feeds:
  smee: { url: "http://127.0.0.1:1/smee", event_from: x-github-event }
  fb:   { url: "http://127.0.0.1:1/fb", drop: [keep-alive, "auth_*"] }
  both: { url: "http://127.0.0.1:1/both", event_from: kind, drop: [noise] }
  plain: { url: "http://127.0.0.1:1/plain" }
panes:
  - { id: pushes, type: list, events: [push] }
  - { id: raw, type: log }
`
	cfg, problems := config.Check(strings.NewReader(src), config.Options{Name: "prep.yaml"})
	if errs := problems.Errors(); len(errs) > 0 {
		t.Fatal(errs)
	}
	r := NewRouter(cfg)
	tests := []struct {
		feed    string
		in      []feed.Event
		names   []string
		dropped int
	}{
		{"smee", []feed.Event{
			{Type: "message", Data: `{"x-github-event":"push","body":{}}`},
			{Type: "message", Data: `{"x-github-event":""}`},
			{Type: "message", Data: `{"x-github-event":42}`},
			{Type: "ping", Data: `not json`},
			{Type: "message", Data: `{"x-github-event":"a\u001b[31mb"}`},
		}, []string{"push", "message", "message", "ping", "a\x1b[31mb"}, 0},
		{"fb", []feed.Event{{Type: "keep-alive", Data: "null"}, {Type: "put", Data: "{}"}, {Type: "auth_revoked"}, {Type: "patch"}}, []string{"put", "patch"}, 2},
		{"both", []feed.Event{{Type: "message", Data: `{"kind":"noise"}`}, {Type: "noise", Data: `{"kind":"signal"}`}}, []string{"signal"}, 1},
		{"plain", []feed.Event{{Type: "keep-alive"}}, []string{"keep-alive"}, 0},
		{"unknown", []feed.Event{{Type: "keep-alive"}}, []string{"keep-alive"}, 0},
	}
	for _, tt := range tests {
		b := feed.Batch{Feed: tt.feed, Events: tt.in}
		n := r.Prepare(&b)
		var names []string
		for _, ev := range b.Events {
			names = append(names, ev.Type)
		}
		if n != tt.dropped || !reflect.DeepEqual(names, tt.names) {
			t.Errorf("%s: dropped %d, names %q; want %d, %q", tt.feed, n, names, tt.dropped, tt.names)
		}
	}
	if !r.Drops("fb", "auth_x") || r.Drops("fb", "put") || r.Drops("nofeed", "keep-alive") {
		t.Error("Drops disagrees with the config")
	}
	ev := feed.Event{Type: "message", Data: `{"x-github-event":"push"}`}
	b := feed.Batch{Feed: "smee", Events: []feed.Event{ev}}
	r.Prepare(&b)
	if got := r.RouteEvent("smee", &b.Events[0], time.Time{}); !reflect.DeepEqual(got, []string{"pushes"}) {
		t.Errorf("a renamed event routes to %v, want [pushes]", got)
	}
}
