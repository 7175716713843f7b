package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/livefeed/livefeed/config"
	"github.com/livefeed/livefeed/feed"
)

func builtinConfig(t *testing.T) *config.Config {
	return parseConfig(t, "", string(config.DefaultYAML()))
}

func TestPageSwitching(t *testing.T) {
	m := newTestModel(t, builtinConfig(t), 120, 40)
	rec := recordAll(m)
	m.invalidateAll()
	m.Update(tickMsg(testNow))
	onScreen := func() string {
		var ids []string
		for _, b := range m.boxes() {
			ids = append(ids, b.Pane)
		}
		return strings.Join(ids, " ")
	}
	if got, want := onScreen(), "headlines prices scores alerts raw"; got != want {
		t.Fatalf("page 1 shows %q, want %q", got, want)
	}
	m.Update(press("tab")) // from the ticker to prices
	if focusedID(m) != "prices" {
		t.Fatalf("focus %q", focusedID(m))
	}
	steps := []struct {
		key, page, focus string
	}{
		{"2", "hosts cpu latency jobs fired", "hosts"},
		{"tab", "hosts cpu latency jobs fired", "cpu"},
		{"[", "headlines prices scores alerts raw", "prices"}, // each page keeps its focus
		{"]", "hosts cpu latency jobs fired", "cpu"},
		{"]", "headlines prices scores alerts raw", "prices"}, // wraps around
		{"9", "headlines prices scores alerts raw", "prices"}, // no page 9
		{"2", "hosts cpu latency jobs fired", "cpu"},
	}
	for i, st := range steps {
		m.Update(press(st.key))
		if got := onScreen(); got != st.page {
			t.Errorf("step %d (%s): screen %q, want %q", i, st.key, got, st.page)
		}
		if got := focusedID(m); got != st.focus {
			t.Errorf("step %d (%s): focus %q, want %q", i, st.key, got, st.focus)
		}
	}
	// The panes of the page not shown keep taking events, but are not drawn.
	for _, r := range rec {
		r.views = nil
	}
	m.Update(batchMsg{batches: []feed.Batch{
		events("stocks", testNow, quote(1, "AAPL", 1, 0, 0, 1)),
		events("metrics", testNow, feed.Event{Type: "metric", Data: `{"host":"web-1","cpu_pct":20}`}),
	}, events: 2, at: testNow})
	m.Update(tickMsg(testNow.Add(time.Second)))
	if len(rec["prices"].adds) != 1 || len(rec["hosts"].adds) != 1 {
		t.Errorf("adds: prices %d, hosts %d; want 1 each", len(rec["prices"].adds), len(rec["hosts"].adds))
	}
	if len(rec["prices"].views) != 0 || len(rec["hosts"].views) == 0 {
		t.Errorf("renders: prices %d (off screen), hosts %d", len(rec["prices"].views), len(rec["hosts"].views))
	}
	if head := strings.SplitN(screen(m), "\n", 2)[0]; !strings.Contains(head, "1 Markets & news  2 Ops") {
		t.Errorf("header %q has no page tabs", head)
	}
}

func TestPageKeysRemapped(t *testing.T) {
	yaml := string(config.DefaultYAML()) + "keys:\n  page_2: [F]\n  next_page: [n]\n  prev_page: []\n"
	m := newTestModel(t, parseConfig(t, "keys.yaml", yaml), 120, 40)
	m.Update(press("2"))
	if m.page != 0 {
		t.Error("2 still switches pages after page_2 was remapped")
	}
	m.Update(press("F"))
	if m.page != 1 {
		t.Error("F does not show page 2")
	}
	m.Update(press("["))
	if m.page != 1 {
		t.Error("[ still switches pages after prev_page was unbound")
	}
	m.Update(press("n"))
	if m.page != 0 {
		t.Error("n does not show the next page")
	}
	if head := strings.SplitN(screen(m), "\n", 2)[0]; !strings.Contains(head, "1 Markets & news  F Ops") {
		t.Errorf("header %q does not show the remapped key", head)
	}
}

func TestPageTabsNarrow(t *testing.T) {
	for _, w := range []int{40, 60, 90, 140} {
		m := newTestModel(t, builtinConfig(t), w, 20)
		m.Update(press("2"))
		head := strings.SplitN(screen(m), "\n", 2)[0]
		if !strings.Contains(head, "2 Ops") {
			t.Errorf("width %d: header %q does not name the page shown", w, head)
		}
	}
}

// TestOpsPageGolden is the built-in Ops page after a few seconds of jobs and
// metrics.
func TestOpsPageGolden(t *testing.T) {
	now := testNow
	m := New(Options{Config: builtinConfig(t), Clock: func() time.Time { return now }, Start: testNow.Add(-time.Second)})
	m.Update(tea.WindowSizeMsg{Width: 110, Height: 36})
	for _, f := range []string{"stocks", "sports", "news", "jobs", "metrics"} {
		m.Update(batchMsg{batches: []feed.Batch{status(f, feed.Open)}, at: now})
	}
	m.Update(press("2"))
	for s := range 30 {
		at := testNow.Add(time.Duration(s-30) * time.Second)
		var b []feed.Batch
		var evs []feed.Event
		for h, host := range []string{"web-1", "web-2", "db-1"} {
			cpu := 30.0 + float64(10*h) + float64(s%5)
			if host == "web-2" && s >= 20 {
				cpu = 96
			}
			evs = append(evs, feed.Event{Type: "metric", Data: fmt.Sprintf(`{"host":%q,"cpu_pct":%g,"p99_ms":%d}`, host, cpu, 40+10*h+s%3)})
		}
		b = append(b, events("metrics", at, evs...))
		b = append(b, events("jobs", at, feed.Event{Type: "progress", Data: fmt.Sprintf(`{"job_id":"j1","name":"export orders","percent":%d,"stage":"upload","eta_s":%d}`, 2*s, 60-s)}))
		if s == 10 {
			b = append(b, events("jobs", at, feed.Event{Type: "failed", Data: `{"job_id":"j0","name":"backup db","error":"disk full"}`}))
		}
		now = at
		m.Update(batchMsg{batches: b, events: 4, at: at})
	}
	now = testNow
	m.Update(tickMsg(now))
	golden.RequireEqual(t, screen(m)+"\n")
}

func TestPageTabClick(t *testing.T) {
	m := newTestModel(t, builtinConfig(t), 120, 40)
	head := strings.SplitN(screen(m), "\n", 2)[0]
	ops := strings.Index(head, "2 Ops")
	markets := strings.Index(head, "1 Markets")
	if ops < 0 || markets < 0 {
		t.Fatalf("header %q", head)
	}
	click := func(x, y int) { m.Update(tea.MouseClickMsg{Button: tea.MouseLeft, X: x, Y: y}) }
	click(len([]rune(head[:ops]))+2, 0)
	if m.page != 1 {
		t.Fatalf("a click on the Ops tab shows page %d", m.page+1)
	}
	click(2, 0) // "livefeed": no tab
	if m.page != 1 {
		t.Error("a click beside the tabs switched pages")
	}
	click(len([]rune(head[:markets])), 0)
	if m.page != 0 {
		t.Errorf("a click on the Markets tab shows page %d", m.page+1)
	}
}

func TestPagesSurviveReload(t *testing.T) {
	m := newTestModel(t, builtinConfig(t), 120, 40)
	m.Update(press("2"))
	m.Update(press("tab"))
	was := focusedID(m)
	// The same config again with a pane added to the Ops page.
	yaml := strings.Replace(string(config.DefaultYAML()), "        - { panes: [jobs: 3, fired: 2], weight: 2 }",
		"        - { panes: [jobs: 3, fired: 2], weight: 2 }\n        - [more]", 1)
	yaml = strings.Replace(yaml, "\n# layout:", "\n  - { id: more, type: log, feed: jobs }\n\n# layout:", 1)
	m.applyConfig(parseConfig(t, "reload.yaml", yaml))
	if _, ok := m.byID["more"]; !ok {
		t.Fatal("the reloaded config has no pane more")
	}
	if m.page != 1 || focusedID(m) != was {
		t.Errorf("after a reload: page %d focus %q; want page 2 focus %q", m.page+1, focusedID(m), was)
	}
	// A config with one page left: back to it.
	m.applyConfig(parseConfig(t, "reload.yaml", dashboardYAML(t)))
	if m.page != 0 || len(m.boxes()) == 0 {
		t.Errorf("after dropping pages: page %d, %d boxes", m.page+1, len(m.boxes()))
	}
}
