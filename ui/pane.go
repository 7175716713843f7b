package ui

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/livefeed/livefeed/config"
	"github.com/livefeed/livefeed/feed"
)

// Item is one event routed to a pane. Seq numbers events in arrival order
// across all feeds, so panes and tests can tell items apart.
type Item struct {
	Seq   uint64
	Feed  string
	Time  time.Time
	Event feed.Event
}

// viewState is what the parent tells a pane about how to draw itself.
type viewState struct {
	Width, Height int       // the pane's whole box, frame included
	Focused       bool      // draws the focus border and title
	Dimmed        bool      // every feed of the pane is not OPEN: draw faint
	Note          string    // short text for the title line, e.g. "stale 12s" or "paused · 37 new"
	Now           time.Time // for relative times and the ticker's scroll position
	// FrameOnly: only the frame (title line, side borders, bottom line)
	// will be used, around a body drawn before; the pane may leave its
	// body out. Under busy feeds the panes with new data show the body of
	// the last data frame until the next one, and a focus key or a tick
	// redraws only their frames: rendering their whole bodies to throw
	// them away was most of the table's cost at 1,000 events/s.
	FrameOnly bool
	// FocusOnly: of everything the pane draws with, only Focused differs
	// from its last Render, which saw the same data, size and note (no
	// Add, no Update but the focusMsg, and TimeChanged is false). A pane
	// may then draw what that Render drew with the other focus instead of
	// rendering its body again (see Model.focusOnly); the result must be
	// what a full Render would draw.
	FocusOnly bool
}

// pane is one box of the dashboard. The parent owns focus: it sends key and
// mouse messages only to the focused pane, and every other message (ticks)
// to all panes. Panes are pointers that change in place: they hold
// thousands of items in rings and caches, which a value copy per message
// would not make safer, only slower.
type pane interface {
	// Config is the pane's configuration (id, type, title, feeds).
	Config() *config.Pane
	// Add appends newly routed items, oldest first, keeping the pane's bound.
	// It must be cheap (it runs for every event; render lazily, in Render) and
	// must not keep the slice, which the caller reuses.
	Add(items []Item)
	// Update handles a message; keys arrive only while the pane is focused.
	Update(msg tea.Msg) tea.Cmd
	// Render draws the pane into exactly vs.Width × vs.Height cells. It may
	// fill the pane's caches (cells and texts are rendered lazily, only when
	// drawn), so the model calls it from Update, never from View.
	Render(vs viewState) string
	// Clear forgets every item (the clear action).
	Clear()
	// Len is how many items the pane holds; Dropped how many it discarded
	// to stay within its bound since the last Clear.
	Len() int
	Dropped() int
	// Capturing is true while the pane takes typed text (a filter being
	// edited), so the parent must not treat keys as shortcuts.
	Capturing() bool
	// Selected is the item under the cursor, for the inspector.
	Selected() (Item, bool)
}

// timedPane is a pane that can tell whether time alone changed what it
// draws. The 100 ms tick redraws every other pane: on a quiet dashboard
// that re-rendered the table, the list and the log ten times a second to
// the same lines, 1.7 ms a tick (BenchmarkFrameIdleTick), the largest part
// of the TUI's CPU when no events come.
type timedPane interface {
	// TimeChanged reports whether a Render at now could differ from the
	// last Render with nothing else changed (no Add, no Update, the same
	// viewState but for Now).
	TimeChanged(now time.Time) bool
	// NextTimeChange is the earliest time, after the last Render, at
	// which TimeChanged may turn true; zero when time alone never changes
	// the pane, a time already past when it may change at any moment.
	NextTimeChange() time.Time
}

// nextAgoChange is when an age of t measured at at (render.Ago's or
// shortDuration's: seconds under a minute, then minutes, hours and, from
// days (hours under 24 hours, or under 48 with days48), days) reads
// differently next. An age in the future may change at any moment: at.
func nextAgoChange(at, t time.Time, days48 bool) time.Time {
	d := at.Sub(t)
	if d < 0 {
		return at
	}
	unit := time.Second
	switch {
	case d < time.Minute:
	case d < time.Hour:
		unit = time.Minute
	case d < 24*time.Hour || (days48 && d < 48*time.Hour):
		unit = time.Hour
	default:
		unit = 24 * time.Hour
	}
	return t.Add((d/unit + 1) * unit)
}

// timeChanged is TimeChanged for panes that implement it, else true.
func timeChanged(p pane, now time.Time) bool {
	if t, ok := p.(timedPane); ok {
		return t.TimeChanged(now)
	}
	return true
}
