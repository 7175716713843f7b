package ui

import (
	"slices"
	"time"
)

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
	next.Greedy = want.Greedy
	next.W = settleWidth(old.W, want.W)
	next.Core = settleWidth(old.Core, want.Core)
	// How many lines are cut moves with every item: it follows only when
	// a size changed or it moved by more than one.
	if next != old || want.Long > old.Long+1 || want.Long < old.Long-1 {
		next.Long = want.Long
	}
	return next
}

// settleWidth is settleWant for one width: it grows at once and shrinks
// only by more than a few columns.
func settleWidth(old, want int) int {
	if want == 0 || old == 0 || want > old || want < old-4 {
		return want
	}
	return old
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
	w, spark := 0, 0
	ws, gap, _ := t.fit(1<<16, false)
	for i, x := range ws {
		w += x
		if t.cols[i].Spark > 0 {
			spark += x - min(x, sparkCore)
		}
	}
	w += gap * max(0, shown(ws)-1)
	// Frame and padding; the title line must fit too. At its core the
	// table is as wide as with one-cell gaps between columns (as it draws
	// itself when two do not fit) and sparklines of sparkCore samples:
	// what lies beyond cuts nothing, so a neighbour's cut names come
	// first, and it asks for no more than one line's worth (Long).
	title := cellWidth(paneTitleText(t.cfg)) + len(" · 99 rows ") + 6
	core := max(w+4-(gap-1)*max(0, shown(ws)-1)-spark, title)
	w = max(w+4, title)
	return paneWant{H: n + roomFor(n) + 1 + 2, W: w, Core: core, Long: 1}
}

// logCoreWidth is the box a log asks for before its neighbours have what
// they need: the time, feed and type and a little data.
const logCoreWidth = 40

// listCoreText is the most text a list asks for before its neighbours
// have what they need: two long notifications do not squeeze a log to a
// few characters of data; a list full of them wins width back by their
// number (paneWant.Long).
const listCoreText = 40

// sparkCore is the sparkline length a table asks for before its
// neighbours have what they need: the last ten samples show the trend.
const sparkCore = 10

// shown is how many gaps apart the columns of widths ws are, plus one.
func shown(ws []int) int {
	n := 0
	for _, x := range ws {
		if x > 0 {
			n++
		}
	}
	return n
}

func (l *listPane) wantSize() paneWant {
	n := l.items.Len()
	// As wide as the longest of the newest items (a page of them), with
	// the unread mark, the age column, the frame and padding; at its core
	// the same, but at most listCoreText cells of text, the items longer
	// than that being what makes it want more.
	ws := make([]int, min(n, 50))
	for i := range ws {
		ws[i] = cellWidth(l.entry(i).text)
	}
	slices.Sort(ws)
	floor := cellWidth(paneTitleText(l.cfg)) + len(" · 99 items · 99 unread ") + 6
	const extra = 2 + listAgeWidth + 1 + 4
	w, core, long := floor, floor, 0
	if len(ws) > 0 {
		w = max(ws[len(ws)-1]+extra, floor)
		core = max(min(ws[len(ws)-1], listCoreText)+extra, floor)
		for _, x := range ws {
			if x+extra > core {
				long++
			}
		}
	}
	return paneWant{H: n + roomFor(n) + 2, W: w, Core: core, Long: long}
}

// logWantLines is how many of the newest log lines say how wide a log's
// lines are.
const logWantLines = 20

// wantSize of a log: any height (it scrolls), and as wide as its longest
// recent line, so that a log of short lines leaves the width to its
// neighbours. It asks first for logCoreWidth: every line it shows would
// gain from more, which is what Long and Greedy say.
func (s *logPane) wantSize() paneWant {
	v := s.visible()
	n := min(v.Len(), logWantLines)
	data := 0
	for i := v.Len() - n; i < v.Len(); i++ {
		it := v.Ptr(i).it
		if len(s.cfg.Text) > 0 {
			data = max(data, cellWidth(s.texter.text(it)))
		} else {
			data = max(data, oneLineWidth(it.Event.Data, maxLineBytes))
		}
	}
	// The columns as line draws them: the id only on wide panes.
	w := len("15:04:05.000") + 1 + s.wFeed + 1 + s.wType + 1 + data
	if s.wID > 0 && w+s.wID+1 >= 80 {
		w += s.wID + 1
	}
	w = max(w+4, cellWidth(paneTitleText(s.cfg))+len(" · 99 events ")+6)
	// Every line of a log that fills its box would gain, however few it
	// holds yet: it fills up in moments.
	return paneWant{W: w, Core: min(w, logCoreWidth), Long: logWantLines, Greedy: true}
}
