package ui

import (
	"hash/maphash"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/livefeed/livefeed/config"
)

// The ticker scrolls at a fixed speed: slow enough to read, and one cell at
// a time at the parent's ~10 frames per second, so the motion is smooth.
const (
	tickerSpeed     = 8 // cells per second
	tickerSep       = " ◆ "
	tickerItemBytes = 480
)

// tickerPane is one line of items scrolling right to left. Its scroll
// position is a function of viewState.Now, so it needs no tick of its own:
// any re-render with a later Now moves it on.

type tickerEntry struct {
	it    Item
	text  string // sanitized, one line
	role  config.Role
	width int // cells
}

type tickerPane struct {
	redraw  focusRedraw
	cfg     *config.Pane
	st      *Styles
	texter  itemTexter
	max     int
	queue   boundedRing[tickerEntry]
	bytes   int
	dropped int

	// Recently shown items by (feed, id, text), so that a replay after a
	// reconnect does not repeat them; bounded like everything else.
	seed      maphash.Seed
	seen      map[uint64]struct{}
	seenOrder boundedRing[uint64]
	seenMax   int

	// The strip is every entry followed by a separator, repeated forever.
	// Its position at time t is cells(t) - anchor, modulo its width.
	strip   int64
	started bool
	t0      time.Time // the clock origin
	lastT   time.Time // the latest item time, for items without one
	anchor  int64

	// Remembered from the last Render: the content width (to tell a static
	// line from a scrolling one when items arrive) and the leftmost item.
	lastWidth int
	leftSeq   uint64
	hasLeft   bool
	// moving: the last Render drew a scrolling strip, at drawnCells.
	moving     bool
	drawnCells int64

	filterBox
	km KeyMap
}

func newTickerPane(p *config.Pane, st *Styles, km KeyMap) *tickerPane {
	m := paneMax(p, config.DefaultTickerMax)
	return &tickerPane{
		km:        km,
		filterBox: newFilterBox(st, "text  feed:NAME  type:NAME  -exclude"),
		cfg:       p,
		st:        st,
		texter:    newItemTexter(p),
		max:       m,
		seed:      maphash.MakeSeed(),
		seen:      map[uint64]struct{}{},
		seenMax:   min(max(4*m, 256), 100_000),
	}
}

func (t *tickerPane) Config() *config.Pane { return t.cfg }
func (t *tickerPane) Len() int             { return t.queue.Len() }
func (t *tickerPane) Dropped() int         { return t.dropped }
func (t *tickerPane) Capturing() bool      { return t.edit }

// Update handles the filter keys only: the ticker has no cursor, and it
// moves with viewState.Now rather than with ticks.
func (t *tickerPane) Update(msg tea.Msg) tea.Cmd {
	if t.edit {
		cmd, _ := t.updateInput(msg, t.km)
		return cmd
	}
	cmd, _, _ := t.filterKey(msg, t.km)
	return cmd
}

// matching lists the entries the filter lets through, newest first.
func (s *tickerPane) matching() []tickerEntry {
	var out []tickerEntry
	for i := s.queue.Len() - 1; i >= 0; i-- {
		e := s.queue.At(i)
		var text string
		if s.filter.matchItem(e.it, func() string {
			if text == "" {
				text = strings.ToLower(e.it.Feed + "\x00" + e.it.Event.Type + "\x00" + e.it.Event.ID + "\x00" + e.text)
			}
			return text
		}, nil) {
			out = append(out, e)
		}
	}
	return out
}

// filteredLine holds a filtered ticker still: the matching items, newest
// first, as many as fit. Scrolling a handful of matches reads worse.
func (s *tickerPane) filteredLine(w int) string {
	m := s.matching()
	if len(m) == 0 {
		return s.st.Muted.Render("no items match the filter")
	}
	sep := s.st.For(config.RoleAccent)
	var b strings.Builder
	for i, e := range m {
		if i > 0 {
			b.WriteString(sep.Render(tickerSep))
		}
		b.WriteString(s.st.For(e.role).Render(e.text))
	}
	s.leftSeq, s.hasLeft = m[0].it.Seq, true
	return fitCells(b.String(), w)
}

// Selected is the item at the left edge of the last frame (the one the
// user is reading), else the newest.
func (t *tickerPane) Selected() (Item, bool) {
	n := t.queue.Len()
	if n == 0 {
		return Item{}, false
	}
	if t.hasLeft {
		for i := range n {
			if e := t.queue.At(i); e.it.Seq == t.leftSeq {
				return e.it, true
			}
		}
	}
	return t.queue.At(n - 1).it, true
}

func (t *tickerPane) Clear() {
	s := t
	s.queue.Reset()
	s.seenOrder.Reset()
	s.seen = map[uint64]struct{}{}
	s.bytes, s.dropped, s.strip, s.anchor = 0, 0, 0, 0
	s.started, s.hasLeft = false, false
	s.t0, s.lastT = time.Time{}, time.Time{}
	return
}

// Add queues new items at the end of the strip. The scroll position is
// rebased at each item's arrival so that the line keeps moving smoothly as
// the strip grows or loses its oldest item.
func (t *tickerPane) Add(items []Item) {
	s := t
	sepW := int64(ansi.StringWidth(tickerSep))
	for _, it := range items {
		text := s.texter.text(it)
		text = clipBytes(text, tickerItemBytes)
		h := maphash.String(s.seed, it.Feed+"\x00"+it.Event.ID+"\x00"+text)
		if _, dup := s.seen[h]; dup {
			continue
		}
		s.seen[h] = struct{}{}
		if old, evicted := s.seenOrder.Push(h, s.seenMax); evicted {
			delete(s.seen, old)
		}

		at := it.Time
		if at.IsZero() {
			at = s.lastT
		}
		s.lastT = at
		if !s.started {
			s.t0, s.started = at, true
		}
		now := s.cells(at)
		var pos int64
		if s.strip > int64(s.lastWidth) {
			pos = posMod(now-s.anchor, s.strip)
		}

		e := tickerEntry{it: it, text: text, role: paneLevelRole(s.cfg, []byte(it.Event.Data)), width: cellWidth(text)}
		s.bytes += itemSize(it)
		s.strip += int64(e.width) + sepW
		if old, evicted := s.queue.Push(e, s.max); evicted {
			pos = s.forget(old, pos, sepW)
		}
		for s.bytes > paneMaxBytes && s.queue.Len() > 1 {
			old, _ := s.queue.PopFront()
			pos = s.forget(old, pos, sepW)
		}
		s.anchor = now - pos
	}
	return
}

// forget accounts for an entry leaving the front of the strip, returning
// the position that keeps the visible text where it was.
func (s *tickerPane) forget(old tickerEntry, pos, sepW int64) int64 {
	w := int64(old.width) + sepW
	s.strip -= w
	s.bytes -= itemSize(old.it)
	s.dropped++
	pos -= w
	if pos < 0 {
		// The removed item was on screen; start over at the next one.
		pos = 0
	}
	return pos
}

// cells is how far the strip has moved at time at since the clock origin.
func (s *tickerPane) cells(at time.Time) int64 {
	if !s.started {
		return 0
	}
	return int64(at.Sub(s.t0)/time.Millisecond) * tickerSpeed / 1000
}

func posMod(a, m int64) int64 {
	if m <= 0 {
		return 0
	}
	r := a % m
	if r < 0 {
		r += m
	}
	return r
}

// TimeChanged: a scrolling strip moves a cell every 1/tickerSpeed s, so
// two ticks in ten find it where it was; a still line does not move.
func (t *tickerPane) TimeChanged(now time.Time) bool {
	return t.moving && t.cells(now) != t.drawnCells
}

// NextTimeChange is when the strip moves its next cell.
func (t *tickerPane) NextTimeChange() time.Time {
	if !t.moving {
		return time.Time{}
	}
	ms := ((t.drawnCells+1)*1000 + tickerSpeed - 1) / tickerSpeed
	return t.t0.Add(time.Duration(ms) * time.Millisecond)
}

func (t *tickerPane) Render(vs viewState) string {
	s := t
	if out, ok := s.redraw.draw(s.st, vs); ok {
		return out // moving stays: time did not change the strip
	}
	s.moving = false // line says otherwise
	head := frameHead{
		title:   paneTitleText(s.cfg),
		count:   countLabel(s.queue.Len(), "item", "items"),
		dropped: s.dropped,
	}
	cw, ch := paneContentSize(vs)
	s.inputW = cw
	line := s.line
	if !s.filter.empty() {
		line = func(_ time.Time, w int) string { return s.filteredLine(w) }
		head.count = groupInt(len(s.matching())) + " of " + head.count
	}
	if seg, ok := s.titleSeg(s.st); ok {
		head.extra = append(head.extra, seg)
	}
	if vs.FrameOnly {
		return drawFrame(s.st, vs, head, nil)
	}
	if vs.Height == 1 {
		head.bare = line(vs.Now, vs.Width)
	}
	body := make([]string, 0, 1)
	if ch > 0 {
		if s.edit {
			body = append(body, s.input.View())
		} else {
			body = append(body, line(vs.Now, cw))
		}
		s.lastWidth = cw
	}
	if s.edit {
		s.redraw.ok = false
		return drawFrame(s.st, vs, head, body)
	}
	return s.redraw.drawKeep(s.st, vs, head, body, -1, "")
}

// line renders the strip as seen at time now in w cells.
func (s *tickerPane) line(now time.Time, w int) string {
	n := s.queue.Len()
	if w <= 0 {
		return ""
	}
	if n == 0 {
		return waitingLine(s.st)
	}
	sep := s.st.For(config.RoleAccent)
	sepW := ansi.StringWidth(tickerSep)
	if s.strip <= int64(w) {
		// Everything fits: a still line reads better than a moving one.
		var b strings.Builder
		for i := range n {
			e := s.queue.At(i)
			if i > 0 {
				b.WriteString(sep.Render(tickerSep))
			}
			b.WriteString(s.st.For(e.role).Render(e.text))
		}
		s.leftSeq, s.hasLeft = s.queue.At(0).it.Seq, true
		return fitCells(b.String(), w)
	}

	// Find the piece (an entry or the separator after it) at the position.
	s.moving, s.drawnCells = true, s.cells(now)
	pos := posMod(s.drawnCells-s.anchor, s.strip)
	i, off := 0, int(pos)
	for i < n {
		span := s.queue.At(i).width + sepW
		if off < span {
			break
		}
		off -= span
		i++
	}
	if i >= n {
		i, off = 0, 0
	}
	s.leftSeq, s.hasLeft = s.queue.At(i).it.Seq, true

	var b strings.Builder
	rest := w
	onSep := false
	e := s.queue.At(i)
	if off >= e.width {
		onSep, off = true, off-e.width
	}
	for guard := 0; rest > 0 && guard < 2*n+4; guard++ {
		var text string
		var width int
		var style lipgloss.Style
		if onSep {
			text, width, style = tickerSep, sepW, sep
		} else {
			text, width, style = e.text, e.width, s.st.For(e.role)
		}
		if take := min(width-off, rest); take > 0 {
			seg := ansi.Cut(text, off, off+take)
			if sw := ansi.StringWidth(seg); sw < take {
				seg += strings.Repeat(" ", take-sw) // a wide character cut in half
			}
			b.WriteString(style.Render(seg))
			rest -= take
		}
		off = 0
		if onSep {
			i = (i + 1) % n
			e = s.queue.At(i)
		}
		onSep = !onSep
	}
	return fitCells(b.String(), w)
}
