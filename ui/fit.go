package ui

import "time"

// Space that follows content: tables and lists say how big a box would
// show all they hold (plus a little room to grow), and the layout caps
// their rows and widths at that, giving the rest to panes that can use it
// (see computeLayoutFit). What the layout is given changes only through
// settleWant and at most once per layoutHold, so that live data never
// makes the screen jump.

// layoutHold is the least time between two content-driven re-layouts.
const layoutHold = 3 * time.Second

// contentSizer is a pane whose content has a natural size.
type contentSizer interface {
	// wantSize is the box, frame included, that shows everything the pane
	// holds and a little room; 0 in either dimension means any size.
	wantSize() paneWant
}

// fitState is what the layout was last given about content sizes.
type fitState struct {
	wants     map[string]paneWant
	wantsAt   time.Time // when they last changed
	checkedAt time.Time // when the panes were last asked
}

// fitCheckEvery is how often the panes are asked for their sizes once the
// hold is over: a data frame can come every 16 ms under a firehose.
const fitCheckEvery = 500 * time.Millisecond

// settleWant is the size the layout should use for a pane that asked for
// want while the layout gives it old (had: it was given one). It grows at
// once, but shrinks only by more than a line or a few columns: content
// that gains and loses a row every frame keeps its box.
func settleWant(old, want paneWant, had bool) paneWant {
	if !had {
		return want
	}
	next := old
	switch {
	case want.H == 0 || old.H == 0:
		next.H = want.H
	case want.H > old.H, want.H < old.H-2:
		next.H = want.H
	}
	switch {
	case want.W == 0 || old.W == 0:
		next.W = want.W
	case want.W > old.W, want.W < old.W-4:
		next.W = want.W
	}
	return next
}

// refitLayout asks the panes for their content sizes and re-lays the
// screen out if what the layout should use changed and the last change is
// layoutHold old. It reports whether it re-laid the screen out.
func (m *Model) refitLayout() bool {
	if m.wants != nil && (m.now.Sub(m.wantsAt) < layoutHold || m.now.Sub(m.checkedAt) < fitCheckEvery) {
		return false
	}
	m.checkedAt = m.now
	if m.wants == nil {
		m.wants = map[string]paneWant{}
	}
	changed := false
	for _, s := range m.slots {
		cs, ok := s.p.(contentSizer)
		if !ok || s.p.Len() == 0 {
			continue // an empty pane's size says nothing yet
		}
		old, had := m.wants[s.id]
		if next := settleWant(old, cs.wantSize(), had); next != old || !had {
			m.wants[s.id] = next
			changed = true
		}
	}
	if !changed {
		return false
	}
	m.wantsAt = m.now
	m.relayout()
	return true
}

// wantOf is the content size the layout uses for a pane (zero: any).
func (m *Model) wantOf(id string) paneWant {
	return m.wants[id]
}

// roomFor is the spare lines a table or list asks for beyond its items,
// so that a new row does not need a new layout.
func roomFor(n int) int { return max(1, min(3, n/4)) }

func (t *tablePane) wantSize() paneWant {
	n := len(t.visible()) // renders the stale rows: the widths come from the cells
	w := 0
	if ws, gap, _ := t.fit(1<<16, false); len(ws) > 0 {
		shown := 0
		for _, x := range ws {
			if x > 0 {
				w += x
				shown++
			}
		}
		w += gap * max(0, shown-1)
	}
	// Frame and padding; the title line must fit too.
	w = max(w+4, cellWidth(paneTitleText(t.cfg))+len(" · 99 rows ")+6)
	return paneWant{H: n + roomFor(n) + 1 + 2, W: w}
}

func (l *listPane) wantSize() paneWant {
	n := l.items.Len()
	// As wide as the longest of the newest items (a page of them), with
	// the unread mark, the age column, the frame and padding.
	w := 0
	for i := range min(n, 50) {
		w = max(w, cellWidth(l.entry(i).text))
	}
	w = max(w+2+listAgeWidth+1+4, cellWidth(paneTitleText(l.cfg))+len(" · 99 items · 99 unread ")+6)
	return paneWant{H: n + roomFor(n) + 2, W: w}
}
