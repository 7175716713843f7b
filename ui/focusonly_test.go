package ui

import (
	"math/rand/v2"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/livefeed/livefeed/feed"
)

// TestFocusOnlyDrawsWhatAFullRenderDraws drives the markets dashboard
// through focus changes among ticks, data and keys to the panes, next to a
// twin that draws every focus change again with both panes rendered in
// full (as before viewState.FocusOnly), and wants the same screen after
// every message: a focus change that redraws the table and the ticker
// from their last render must not show anything else than rendering them
// again would.
func TestFocusOnlyDrawsWhatAFullRenderDraws(t *testing.T) {
	m, now, _, _ := marketsModel(t, 1000, 5)
	twin, twinNow, _, _ := marketsModel(t, 1000, 5)
	rng := rand.New(rand.NewPCG(3, 4))
	seq := 5_000_000
	table := m.slots[m.byID["quotes"]].p.(*tablePane)
	steps := []string{"tab", "shift+tab", "tab", "tick", "shift+tab", "tab", "down", "down", "shift+tab", "tab",
		"data", "shift+tab", "tick", "tab", "tab", "tab", "tab", "tab", "shift+tab", "data", "tick", "shift+tab",
		"up", "shift+tab", "tab", "later", "shift+tab", "tab"}
	fast := 0
	for i, step := range steps {
		*now = now.Add(70 * time.Millisecond)
		*twinNow = *now
		var msg tea.Msg
		switch step {
		case "tick":
			msg = tickMsg(*now)
		case "later":
			*now = now.Add(3 * time.Second)
			*twinNow = *now
			msg = tickMsg(*now)
		case "data":
			evs := marketsEvents(rng, seq, 40)
			seq += 40
			msg = batchMsg{batches: []feed.Batch{{Feed: "f1", Time: *now, Events: evs}}, events: len(evs), at: *now}
		default:
			msg = press(step)
		}
		drawn := table.drawnNow
		m.Update(msg)
		if step == "tab" || step == "shift+tab" {
			if table.drawnNow == drawn && table.redraw.ok {
				fast++
			}
		}
		prev := twin.focusedSlot()
		twin.Update(msg)
		if cur := twin.focusedSlot(); cur != prev {
			// As before FocusOnly: both panes render in full.
			prev.invalidate()
			cur.invalidate()
			twin.draw()
		}
		if got, want := m.View().Content, twin.View().Content; got != want {
			t.Fatalf("step %d (%s): the screen differs from a full render\n got:\n%s\nwant:\n%s", i, step, got, want)
		}
	}
	if fast == 0 {
		t.Error("no focus change redrew the table from its last render")
	}
}
