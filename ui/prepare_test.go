package ui

import (
	"strings"
	"testing"

	"github.com/livefeed/livefeed/feed"
)

// TestModelDropAndEventFrom: events a feed drops are counted as dropped,
// not as events, and reach no pane; event_from names the rest; where:
// keeps canary events out of a pane.
func TestModelDropAndEventFrom(t *testing.T) {
	cfg := parseConfig(t, "drop.yaml", `
feeds:
  fb: { url: "http://127.0.0.1:1/fb", drop: [keep-alive], event_from: kind }
panes:
  - { id: edits, type: list, events: [edit], text: "{title}", where: 'wiki != "canary"' }
  - { id: raw, type: log }
`)
	m := newTestModel(t, cfg, 100, 20)
	m.Update(batchMsg{batches: []feed.Batch{status("fb", feed.Open), events("fb", testNow,
		feed.Event{Type: "keep-alive", Data: "null"},
		feed.Event{Type: "message", Data: `{"kind":"edit","title":"Go (language)","wiki":"en"}`},
		feed.Event{Type: "message", Data: `{"kind":"edit","title":"Canary page","wiki":"canary"}`},
		feed.Event{Type: "keep-alive", Data: "null"},
	)}})
	st := m.stats["fb"]
	if st.events != 2 || st.dropped != 2 {
		t.Errorf("events %d dropped %d, want 2 and 2", st.events, st.dropped)
	}
	got := screen(m)
	for _, want := range []string{"Go (language)", "2 dropped"} {
		if !strings.Contains(got, want) {
			t.Errorf("screen lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "keep-alive") {
		t.Errorf("a dropped event is on screen:\n%s", got)
	}
	if !strings.Contains(got, `"title":"Canary page"`) || strings.Count(got, "Canary page") != 1 {
		t.Errorf("the canary edit should be only in the catch-all log:\n%s", got)
	}
}
