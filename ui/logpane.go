package ui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/livefeed/livefeed/config"
)

// Widest feed, type and id columns of the log, in cells.
const (
	logFeedMax = 16
	logTypeMax = 18
	logIDMax   = 14
)

// logPane lists raw events oldest to newest, following the newest unless
// the user scrolled up, with a filter on feed, type and text.

// logEntry is one event in the log, stored by value in the pane's rings:
// the Item and nothing else (its payload is the one string the parser
// allocated), so that a log at a large max: holds ~100 bytes per event
// besides the payload. Display fields are made only for the lines drawn
// (see logLine): a log at its bound under a firehose drops almost every
// event unseen, and the filter matches the raw event.
type logEntry struct {
	it Item
}

// logLine is an entry's sanitized display fields, made when it is drawn
// and kept while it stays on screen.
type logLine struct {
	clock, feed, typ, id, data string
	role                       config.Role
}

type logPane struct {
	cfg     *config.Pane
	texter  itemTexter // the pane's text: rules; without any, the raw payload
	st      *Styles
	km      KeyMap
	max     int
	all     boundedRing[logEntry]
	bytes   int
	dropped int

	filterBox
	shown boundedRing[logEntry] // the entries that match, when filtering

	// sel indexes the visible entries from the oldest; while follow is set
	// it is the newest. newSince counts arrivals while not following.
	follow   bool
	sel, top int
	page     int
	newSince int

	wFeed, wType, wID int // column widths, grown as wider values arrive
	lastWidth         int

	hoff    int    // cells of data scrolled off to the left (←/→)
	wrapSeq uint64 // the item whose line is wrapped (w), 0 for none

	// drawn holds the display fields of the entries the last Render drew,
	// by Seq; Render makes those of newly visible entries and drops the rest.
	drawn, spare map[uint64]logLine
}

// logScrollStep is how far ←/→ move a log's data, in cells.
const logScrollStep = 8

func newLogPane(p *config.Pane, st *Styles, km KeyMap) *logPane {
	return &logPane{cfg: p, texter: newItemTexter(p), st: st, km: km, max: paneMax(p, config.DefaultLogMax),
		filterBox: newFilterBox(st, "text  feed:NAME  type:NAME  -exclude"), follow: true, page: 1}
}

func (l *logPane) Config() *config.Pane { return l.cfg }
func (l *logPane) Len() int             { return l.all.Len() }
func (l *logPane) Dropped() int         { return l.dropped }
func (l *logPane) Capturing() bool      { return l.edit }

// Clear forgets the events but keeps the filter.
func (l *logPane) Clear() {
	s := l
	s.all.Reset()
	s.shown.Reset()
	s.drawn, s.spare = nil, nil
	s.bytes, s.dropped, s.newSince, s.sel, s.top = 0, 0, 0, 0, 0
	s.follow = true
	return
}

// visible is the list the user sees: everything, or what the filter lets
// through.
func (s *logPane) visible() *boundedRing[logEntry] {
	if s.filter.empty() {
		return &s.all
	}
	return &s.shown
}

func (l *logPane) Add(items []Item) {
	s := l
	if skip := len(items) - s.max; skip > 0 && s.filter.empty() {
		// Only the newest max of these can still be held once they are all
		// added: account for the older ones (columns, counts, the scroll
		// position, as their eviction would) without storing them. Under a
		// firehose that is nearly every event.
		for _, it := range items[:skip] {
			s.grow(it)
			s.dropped++
			s.sel, s.top = max(0, s.sel-1), max(0, s.top-1)
			if !s.follow {
				s.newSince++
			}
		}
		items = items[skip:]
	}
	for _, it := range items {
		e := logEntry{it: it}
		s.grow(it)
		s.bytes += itemSize(it)
		if old, evicted := s.all.Push(e, s.max); evicted {
			s.forget(old)
		}
		for s.bytes > paneMaxBytes && s.all.Len() > 1 {
			old, _ := s.all.PopFront()
			s.forget(old)
		}
		if s.filter.empty() || s.filter.match(&e) {
			if !s.filter.empty() {
				s.shown.Push(e, s.max)
			}
			if !s.follow {
				s.newSince++
			}
		}
	}
}

// forget accounts for an entry evicted from the front, keeping the
// selection on the entry it was on.
func (s *logPane) forget(old logEntry) {
	s.bytes -= itemSize(old.it)
	s.dropped++
	visibleGone := s.filter.empty()
	// Entries are copies, so they are told apart by Seq, which the model
	// gives each event once.
	if !visibleGone && s.shown.Len() > 0 && s.shown.At(0).it.Seq == old.it.Seq {
		s.shown.PopFront()
		visibleGone = true
	}
	if visibleGone {
		s.sel = max(0, s.sel-1)
		s.top = max(0, s.top-1)
	}
}

// display is an entry's display fields, from the last Render's when it
// drew the entry (lines is the map being filled for this Render).
func (s *logPane) display(e *logEntry, lines map[uint64]logLine) logLine {
	if d, ok := lines[e.it.Seq]; ok {
		return d
	}
	d, ok := s.drawn[e.it.Seq]
	if !ok {
		it := e.it
		d = logLine{
			feed:  oneLine(it.Feed, maxCellBytes),
			typ:   oneLine(it.Event.Type, maxCellBytes),
			id:    oneLine(it.Event.ID, maxCellBytes),
			role:  paneLevelRole(s.cfg, readOnlyBytes(it.Event.Data)),
			clock: "--:--:--.---",
		}
		if len(s.cfg.Text) > 0 {
			d.data = s.texter.text(it)
		} else {
			d.data = oneLine(it.Event.Data, maxLineBytes)
		}
		if !it.Time.IsZero() {
			d.clock = it.Time.Format("15:04:05.000")
		}
	}
	lines[e.it.Seq] = d
	return d
}

// grow widens the feed, type and id columns for an arriving event, as its
// display fields will be (without making them).
func (s *logPane) grow(it Item) {
	if s.wFeed < logFeedMax {
		s.wFeed = min(logFeedMax, max(s.wFeed, oneLineWidth(it.Feed, maxCellBytes)))
	}
	if s.wType < logTypeMax {
		s.wType = min(logTypeMax, max(s.wType, oneLineWidth(it.Event.Type, maxCellBytes)))
	}
	if s.wID < logIDMax {
		s.wID = min(logIDMax, max(s.wID, oneLineWidth(it.Event.ID, maxCellBytes)))
	}
}

// oneLineWidth is cellWidth(oneLine(s, maxBytes)), without building the
// string in the common case of short printable ASCII.
func oneLineWidth(s string, maxBytes int) int {
	if len(s) <= maxBytes {
		i := 0
		for i < len(s) && s[i] >= 0x20 && s[i] < 0x7f {
			i++
		}
		if i == len(s) {
			return len(s)
		}
	}
	return cellWidth(oneLine(s, maxBytes))
}

func (l *logPane) Selected() (Item, bool) {
	v := l.visible()
	if v.Len() == 0 {
		return Item{}, false
	}
	return v.At(l.cursor()).it, true
}

// cursor is the selected index in the visible list.
func (s *logPane) cursor() int {
	n := s.visible().Len()
	if s.follow {
		return max(0, n-1)
	}
	return clampIndex(s.sel, n)
}

// setFilter applies a filter and rebuilds the matching list; the view
// returns to the newest entry.
func (s *logPane) setFilter(text string) {
	s.filter = parseLogFilter(text)
	s.applyFilter()
}

// applyFilter rebuilds the matching list after the filter changed.
func (s *logPane) applyFilter() {
	s.shown.Reset()
	if !s.filter.empty() {
		for i := range s.all.Len() {
			if e := s.all.Ptr(i); s.filter.match(e) {
				s.shown.Push(*e, s.max)
			}
		}
	}
	s.follow, s.newSince, s.top = true, 0, 0
}

func (l *logPane) Update(msg tea.Msg) tea.Cmd {
	s := l
	if s.edit {
		cmd, changed := s.updateInput(msg, s.km)
		if changed {
			s.applyFilter()
		}
		return cmd
	}
	if cmd, handled, changed := s.filterKey(msg, s.km); handled {
		if changed {
			s.applyFilter()
		}
		return cmd
	}
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, s.km.Right):
			s.hoff += logScrollStep
			return nil
		case key.Matches(k, s.km.Left):
			s.hoff = max(0, s.hoff-logScrollStep)
			return nil
		case key.Matches(k, s.km.Wrap):
			if it, ok := s.Selected(); ok {
				if s.wrapSeq == it.Seq {
					s.wrapSeq = 0
				} else {
					s.wrapSeq = it.Seq
				}
			}
			return nil
		}
	}
	n := s.visible().Len()
	if next, ok := navIndex(s.km, msg, s.cursor(), n, s.page); ok {
		s.sel = next
		s.follow = next >= n-1
		if s.follow {
			s.newSince = 0
		}
	}
	return nil
}

// TimeChanged is false: a log line shows its event's own time, not an age.
func (l *logPane) TimeChanged(time.Time) bool { return false }

func (l *logPane) NextTimeChange() time.Time { return time.Time{} }

func (l *logPane) Render(vs viewState) string {
	s := l
	v := s.visible()
	n := v.Len()
	cw, ch := paneContentSize(vs)
	s.lastWidth = cw
	s.inputW = cw
	rows := ch
	if s.edit {
		rows--
	}
	rows = max(0, rows)
	s.page = max(1, rows)
	cur := s.cursor()
	if s.follow {
		s.top = max(0, n-rows)
	} else {
		s.top = scrollTop(s.top, cur, n, rows)
	}

	head := frameHead{title: paneTitleText(s.cfg), count: countLabel(s.all.Len(), "event", "events"), dropped: s.dropped}
	if !s.filter.empty() {
		head.count = fmt.Sprintf("%s of %s", groupInt(n), countLabel(s.all.Len(), "event", "events"))
		if seg, ok := s.titleSeg(s.st); ok {
			head.extra = append(head.extra, seg)
		}
	}
	if !s.follow && s.newSince > 0 {
		head.footer = append(head.footer, frameSeg{text: "↓ " + groupInt(s.newSince) + " new", style: s.st.Badge, keep: keepBadge})
	}
	if ch <= 0 {
		return drawFrame(s.st, vs, head, nil)
	}
	body := make([]string, 0, ch)
	if n == 0 && rows > 0 {
		if s.filter.empty() {
			body = append(body, waitingLine(s.st))
		} else {
			body = append(body, s.st.Muted.Render("no events match the filter"))
		}
	}
	if s.hoff > 0 {
		head.footer = append(head.footer, frameSeg{text: fmt.Sprintf("← %d", s.hoff), style: s.st.Muted, keep: keepExtra})
	}
	if vs.FrameOnly {
		return drawFrame(s.st, vs, head, nil)
	}
	selFrom, selTo := -1, -1
	shown := s.spare
	if shown == nil {
		shown = make(map[uint64]logLine, rows)
	}
	for i := s.top; i < n && i < s.top+rows; i++ {
		e := v.Ptr(i)
		d := s.display(e, shown)
		lines := []string{s.line(d, cw)}
		if e.it.Seq == s.wrapSeq {
			lines = s.wrapped(d, cw)
		}
		if i == cur {
			selFrom, selTo = len(body), len(body)+len(lines)
		}
		for _, line := range lines {
			if vs.Focused && i == cur {
				line = s.st.Selected.Render(fitCells(ansi.Strip(line), cw))
			}
			body = append(body, line)
		}
	}
	clear(s.drawn)
	s.drawn, s.spare = shown, s.drawn
	if len(body) > rows {
		// A wrapped line took more room: keep the selection in view,
		// with the newest at the bottom while following.
		from := 0
		if selTo > rows {
			from = selTo - rows
		}
		if selFrom >= 0 && from > selFrom {
			from = selFrom
		}
		body = body[from:min(len(body), from+rows)]
	}
	body = s.withInput(body, rows)
	return drawFrame(s.st, vs, head, body)
}

// line draws one event: time, feed, type, id and data in aligned columns.
// Narrow panes give up the id, then the milliseconds and column widths,
// then the time and feed, so that some of the data stays in view.
func (s *logPane) line(e logLine, w int) string {
	var b strings.Builder
	col := func(text string, width int, role config.Role) {
		if width <= 0 {
			return
		}
		if b.Len() > 0 {
			b.WriteString(" ")
		}
		b.WriteString(s.st.For(role).Render(alignCells(text, width, config.AlignLeft)))
	}
	wFeed, wType, wID := s.wFeed, s.wType, s.wID
	clock := e.clock
	if w < 80 {
		wID = 0
	}
	if w < 56 {
		wFeed, wType = min(wFeed, 8), min(wType, 10)
		clock = clock[:min(len(clock), 8)]
	}
	if w < 36 {
		clock, wFeed = "", 0
	}
	if clock != "" {
		b.WriteString(s.st.Muted.Render(clock))
	}
	col(e.feed, wFeed, config.RoleInfo)
	col(e.typ, wType, config.RoleAccent)
	col(e.id, wID, config.RoleMuted)
	if b.Len() > 0 {
		b.WriteString(" ")
	}
	data := e.data
	if s.hoff > 0 {
		data = ansi.Cut(data, s.hoff, s.hoff+maxLineBytes)
	}
	b.WriteString(s.st.For(e.role).Render(data))
	return b.String()
}

// wrapped draws an entry over as many lines as its data needs, the data
// continuing under where it started.
func (s *logPane) wrapped(e logLine, w int) []string {
	first := s.line(e, w)
	data := e.data
	if s.hoff > 0 {
		data = ansi.Cut(data, s.hoff, s.hoff+maxLineBytes)
	}
	indent := max(0, ansi.StringWidth(first)-ansi.StringWidth(data))
	avail := w - indent
	if avail < 8 {
		return []string{first}
	}
	style := s.st.For(e.role)
	parts := strings.Split(ansi.Hardwrap(data, avail, true), "\n")
	out := []string{ansi.Cut(first, 0, indent) + style.Render(parts[0])}
	pad := strings.Repeat(" ", indent)
	for _, p := range parts[1:] {
		out = append(out, pad+style.Render(p))
	}
	return out
}
