package ui

import (
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/livefeed/livefeed/config"
)

// listAgeWidth is the column of relative times ("12m ago") on the right.
const listAgeWidth = 8

// listPane shows items newest first, coloured by severity, with their age.
// While it is not focused it counts the items that arrived as unread; it
// learns about the focus from focusMsg (and from receiving keys, which only
// the focused pane gets).

// listEntry is rendered (text and role) only when first shown: under a
// firehose most entries leave the list before anyone sees them.
type listEntry struct {
	it    Item
	text  string // rendered, sanitized, one line
	role  config.Role
	ready bool // text and role are set
}

type listPane struct {
	cfg     *config.Pane
	st      *Styles
	km      KeyMap
	texter  itemTexter
	max     int
	items   boundedRing[listEntry] // oldest first
	bytes   int
	dropped int

	focused bool
	unread  int

	filterBox
	shown []int // newest-first indexes of the entries the filter lets through

	// sel and top count from the newest item. sel 0 follows the newest;
	// elsewhere the selection stays on its item as new ones arrive above.
	sel, top int
	page     int

	// The ages the last Render showed: the events' times, and its Now.
	aged   []time.Time
	agedAt time.Time
}

func newListPane(p *config.Pane, st *Styles, km KeyMap) *listPane {
	return &listPane{cfg: p, st: st, km: km, texter: newItemTexter(p), max: paneMax(p, config.DefaultListMax), page: 1,
		filterBox: newFilterBox(st, "text  feed:NAME  type:NAME  -exclude")}
}

func (l *listPane) Config() *config.Pane { return l.cfg }
func (l *listPane) Len() int             { return l.items.Len() }
func (l *listPane) Dropped() int         { return l.dropped }
func (l *listPane) Capturing() bool      { return l.edit }

func (l *listPane) Clear() {
	s := l
	s.items.Reset()
	s.bytes, s.dropped, s.unread, s.sel, s.top = 0, 0, 0, 0, 0
	return
}

func (l *listPane) Add(items []Item) {
	s := l
	for _, it := range items {
		e := listEntry{it: it}
		s.bytes += itemSize(it)
		if old, evicted := s.items.Push(e, s.max); evicted {
			s.bytes -= itemSize(old.it)
			s.dropped++
		}
		for s.bytes > paneMaxBytes && s.items.Len() > 1 {
			old, _ := s.items.PopFront()
			s.bytes -= itemSize(old.it)
			s.dropped++
		}
		// Unread means arrived out of sight: while another pane had the
		// focus, or while this one was scrolled away from the newest.
		if !s.cfg.NoUnread && (!s.focused || s.sel > 0 || s.top > 0) {
			s.unread++
		}
		if s.sel > 0 && (s.filter.empty() || s.matches(s.items.Len()-1)) {
			// Keep the selected item (and the view) where the user left it.
			s.sel++
			s.top++
		}
	}
	n := s.items.Len()
	s.unread = min(s.unread, n)
	return
}

// matches applies the filter to the i-th oldest entry, by its text as
// shown, its feed, type and id.
func (s *listPane) matches(oldest int) bool {
	e := s.items.Ptr(oldest)
	if !e.ready {
		e.text, e.role, e.ready = s.texter.text(e.it), paneLevelRole(s.cfg, readOnlyBytes(e.it.Event.Data)), true
	}
	var text string
	return s.filter.matchItem(e.it, func() string {
		if text == "" {
			text = strings.ToLower(e.it.Feed + "\x00" + e.it.Event.Type + "\x00" + e.it.Event.ID + "\x00" + e.text)
		}
		return text
	}, nil)
}

// visible lists the newest-first indexes the user sees: all of them, or
// those the filter lets through (nil and n when unfiltered).
func (s *listPane) visible() (idx []int, n int) {
	total := s.items.Len()
	if s.filter.empty() {
		return nil, total
	}
	s.shown = s.shown[:0]
	for i := range total {
		if s.matches(total - 1 - i) {
			s.shown = append(s.shown, i)
		}
	}
	return s.shown, len(s.shown)
}

// at maps a visible index to a newest-first index.
func at(idx []int, i int) int {
	if idx == nil {
		return i
	}
	return idx[i]
}

// entry returns the i-th newest entry, rendering it on first use.
func (s *listPane) entry(i int) listEntry {
	e := s.items.Ptr(s.items.Len() - 1 - i)
	if !e.ready {
		e.text, e.role, e.ready = s.texter.text(e.it), paneLevelRole(s.cfg, readOnlyBytes(e.it.Event.Data)), true
	}
	return *e
}

func (l *listPane) Selected() (Item, bool) {
	idx, n := l.visible()
	if n == 0 {
		return Item{}, false
	}
	return l.items.At(l.items.Len() - 1 - at(idx, clampIndex(l.sel, n))).it, true
}

func (l *listPane) Update(msg tea.Msg) tea.Cmd {
	s := l
	if s.edit {
		cmd, changed := s.updateInput(msg, s.km)
		if changed {
			s.sel, s.top = 0, 0
		}
		return cmd
	}
	if cmd, handled, changed := s.filterKey(msg, s.km); handled {
		if changed {
			s.sel, s.top = 0, 0
		}
		return cmd
	}
	switch msg := msg.(type) {
	case focusMsg:
		s.focused = msg.focused
		if msg.focused {
			s.unread = 0
		}
		return nil
	case tea.KeyPressMsg:
		// Only the focused pane receives keys: it has been looked at.
		if !s.focused {
			s.focused, s.unread = true, 0
		}
	case tea.MouseWheelMsg:
		// The wheel scrolls the pane under the pointer, focused or not;
		// either way the user is looking at it.
		s.unread = 0
	}
	_, n := s.visible()
	if next, ok := navIndex(s.km, msg, clampIndex(s.sel, n), n, s.page); ok {
		s.sel = next
		if next == 0 {
			s.top = 0
		}
	}
	if s.focused && s.sel == 0 && s.top == 0 {
		s.unread = 0 // back at the newest: everything is in sight
	}
	return nil
}

func (l *listPane) Render(vs viewState) string {
	s := l
	idx, n := s.visible()
	cw, ch := paneContentSize(vs)
	s.inputW = cw
	rows := ch
	if s.edit {
		rows = max(0, rows-1)
	}
	s.page = max(1, rows)
	s.sel = clampIndex(s.sel, n)
	s.top = scrollTop(s.top, s.sel, n, rows)

	head := frameHead{title: paneTitleText(s.cfg), count: countLabel(n, "item", "items"), dropped: s.dropped}
	if idx != nil {
		head.count = groupInt(n) + " of " + countLabel(s.items.Len(), "item", "items")
	}
	if seg, ok := s.titleSeg(s.st); ok {
		head.extra = append(head.extra, seg)
	}
	unread := min(s.unread, s.items.Len())
	if vs.Focused && s.sel == 0 {
		unread = 0 // the newest are in sight
	}
	if unread > 0 {
		head.extra = append(head.extra, frameSeg{text: groupInt(unread) + " unread", style: s.st.Badge, keep: keepBadge})
	}
	if ch <= 0 || vs.FrameOnly {
		return drawFrame(s.st, vs, head, nil)
	}
	body := make([]string, 0, ch)
	s.aged, s.agedAt = s.aged[:0], vs.Now
	if n == 0 {
		if s.items.Len() > 0 {
			body = append(body, s.st.Muted.Render("no items match the filter"))
		} else {
			body = append(body, waitingLine(s.st))
		}
	}
	for i := s.top; i < n && i < s.top+rows; i++ {
		j := at(idx, i)
		e := s.entry(j)
		line := s.line(e, j < unread, cw, vs.Now)
		if cw >= listAgeMinWidth {
			s.aged = append(s.aged, e.it.Time)
		}
		if vs.Focused && i == s.sel {
			line = s.st.Selected.Render(fitCells(ansi.Strip(line), cw))
		}
		body = append(body, line)
	}
	body = s.withInput(body, rows)
	return drawFrame(s.st, vs, head, body)
}

// listAgeMinWidth is the least content width that shows the ages.
const listAgeMinWidth = 24

// TimeChanged reports whether an age on screen reads differently at now:
// ages count seconds, so a second's ticks mostly find them as they were.
func (l *listPane) TimeChanged(now time.Time) bool {
	for _, t := range l.aged {
		if relAgo(now, t) != relAgo(l.agedAt, t) {
			return true
		}
	}
	return false
}

// NextTimeChange is when the first age on screen reads differently.
func (l *listPane) NextTimeChange() time.Time {
	var next time.Time
	for _, t := range l.aged {
		if n := nextAgoChange(l.agedAt, t, false); next.IsZero() || n.Before(next) {
			next = n
		}
	}
	return next
}

// line draws one entry: an unread mark, the text in its severity colour and
// the age right-aligned.
func (s *listPane) line(e listEntry, unread bool, w int, now time.Time) string {
	mark := "  "
	if unread {
		mark = s.st.Badge.Render("●") + " "
	}
	if w < 6 {
		return s.st.For(e.role).Render(e.text)
	}
	textW := w - 2
	age := ""
	if w >= listAgeMinWidth {
		textW -= listAgeWidth + 1
		age = " " + s.st.Muted.Render(alignCells(relAgo(now, e.it.Time), listAgeWidth, config.AlignRight))
	}
	return mark + s.st.For(e.role).Render(alignCells(e.text, textW, config.AlignLeft)) + age
}
