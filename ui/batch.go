package ui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/livefeed/livefeed/feed"
	"github.com/livefeed/livefeed/live"
)

// batchMsg carries every feed batch that arrived during one frame, in the
// order they arrived.
type batchMsg struct {
	batches []feed.Batch
	events  int
	at      time.Time // when it was delivered; the next frame starts interval later
}

// waitBatches is the one command that reads the feeds: one frame of the
// runtime's output (see live.CollectFrame). The model re-issues it after
// each batchMsg. It returns nil when ctx ends.
func waitBatches(ctx context.Context, rt *live.Runtime, prev time.Time, interval time.Duration) tea.Cmd {
	return func() tea.Msg {
		f, ok := rt.NextFrame(ctx, prev, interval)
		if !ok {
			return nil
		}
		return batchMsg{batches: f.Batches, events: f.Events, at: f.At}
	}
}

// drawDataIfDue marks the panes with new data for redrawing when a data
// frame is due (see live.Pacer.DataDue); draw tells the pacer what the
// frame cost.
func (m *Model) drawDataIfDue() {
	if !m.pacer.DataDue(m.now) {
		return
	}
	m.shownEvents = m.events // the header counts what the panes show
	drew := false
	for _, s := range m.slots {
		if s.undrawn {
			s.undrawn, s.dirty, drew = false, true, true
		}
	}
	if drew {
		m.refitLayout() // a pane's content size may have changed
	}
	m.dataFrame = m.dataFrame || drew
}

// redrawOnTick says whether a tick should redraw a pane for time alone
// (ages, the ticker's scroll, flashes ending); see live.Pacer.RedrawOnTick.
func (m *Model) redrawOnTick(s *paneSlot) bool {
	return m.pacer.RedrawOnTick(m.now, s.drawnAt, tickInterval)
}
