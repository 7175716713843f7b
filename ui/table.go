package ui

import (
	"cmp"
	"container/list"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/livefeed/livefeed/config"
	"github.com/livefeed/livefeed/config/format"
)

// flashFor is how long a changed cell shows the direction of its change.
const flashFor = time.Second

// tablePane keeps one row per key, updated in place as events arrive. Cells
// are rendered when an event arrives; only relative times and change
// flashes depend on viewState.Now.
type tablePane struct{ *tableState }

type tableCell struct {
	text    string // rendered, sanitized
	role    config.Role
	num     float64
	hasNum  bool
	changed time.Time // when the text last changed (zero: never)
	dir     int       // +1 rose, -1 fell, 0 changed otherwise
	spark   []float64 // the last Spark values, for sparkline columns
}

type tableRow struct {
	key   string
	item  Item // the latest event, for the inspector and relative times
	cells []tableCell
	first uint64        // first-seen order
	lru   *list.Element // position in tableState.lru
}

type tableState struct {
	cfg  *config.Pane
	st   *Styles
	km   KeyMap
	cols []*config.Column
	rel  []bool // columns whose text depends on the current time
	max  int

	rows      map[string]*tableRow
	lru       *list.List // front: least recently updated
	nextFirst uint64
	bytes     int
	dropped   int
	noKey     int   // events without a row key
	natural   []int // the widest text seen per column, so widths never jitter

	sortCol int // -1: first-seen order
	desc    bool
	order   []*tableRow
	dirty   bool // order must be rebuilt

	selKey string // the selected row, followed when rows move
	sel    int    // its index when last seen
	top    int
	page   int // rows shown by the last View, for page up / down
}

func newTablePane(p *config.Pane, st *Styles, km KeyMap) tablePane {
	cols := p.Columns
	if len(cols) == 0 && p.Key != "" {
		cols = []*config.Column{{Title: p.Key, Path: p.Key}}
	}
	s := &tableState{
		cfg:     p,
		st:      st,
		km:      km,
		cols:    cols,
		rel:     make([]bool, len(cols)),
		max:     paneMax(p, config.DefaultTableMax),
		rows:    map[string]*tableRow{},
		lru:     list.New(),
		natural: make([]int, len(cols)),
		sortCol: -1,
		page:    1,
	}
	for i, c := range cols {
		s.rel[i] = c.Format != nil && c.Format.Kind() == format.Relative
	}
	return tablePane{s}
}

func (t tablePane) Config() *config.Pane { return t.cfg }
func (t tablePane) Len() int             { return len(t.rows) }
func (t tablePane) Dropped() int         { return t.dropped }
func (t tablePane) Capturing() bool      { return false }

func (t tablePane) Clear() pane {
	s := t.tableState
	s.rows = map[string]*tableRow{}
	s.lru.Init()
	s.order, s.dirty = nil, true
	s.bytes, s.dropped, s.noKey = 0, 0, 0
	s.natural = make([]int, len(s.cols))
	s.selKey, s.sel, s.top = "", 0, 0
	return t
}

// Add upserts a row per item, remembering which cells changed and which way.
func (t tablePane) Add(items []Item) pane {
	s := t.tableState
	for _, it := range items {
		data := []byte(it.Event.Data)
		k, ok := s.cfg.RowKey(data)
		if !ok {
			s.noKey++
			continue
		}
		r := s.rows[k]
		fresh := r == nil
		if fresh {
			r = &tableRow{key: k, cells: make([]tableCell, len(s.cols)), first: s.nextFirst}
			s.nextFirst++
			s.rows[k] = r
			r.lru = s.lru.PushBack(r)
		} else {
			s.lru.MoveToBack(r.lru)
			s.bytes -= itemSize(r.item)
		}
		r.item = it
		s.bytes += itemSize(it)
		meta, fctx := itemMeta(it), itemContext(it)
		for i, col := range s.cols {
			text, role := col.Render(data, meta, fctx)
			text = clipBytes(format.Sanitize(text), maxCellBytes)
			num, hasNum := col.Number(data)
			c := &r.cells[i]
			if !fresh && text != c.text && col.Spark == 0 {
				c.changed, c.dir = it.Time, 0
				if hasNum && c.hasNum {
					c.dir = cmp.Compare(num, c.num)
				}
			}
			c.text, c.role, c.num, c.hasNum = text, role, num, hasNum
			if col.Spark > 0 {
				if hasNum {
					c.spark = append(c.spark, num)
					if len(c.spark) > col.Spark {
						c.spark = c.spark[len(c.spark)-col.Spark:]
					}
				}
			} else if w := cellWidth(text); w > s.natural[i] {
				s.natural[i] = w
			}
		}
		s.dirty = true
		for len(s.rows) > s.max || (s.bytes > paneMaxBytes && len(s.rows) > 1) {
			s.evict()
		}
	}
	return t
}

// evict removes the least recently updated row.
func (s *tableState) evict() {
	e := s.lru.Front()
	if e == nil {
		return
	}
	r := s.lru.Remove(e).(*tableRow)
	delete(s.rows, r.key)
	s.bytes -= itemSize(r.item)
	s.dropped++
	s.dirty = true
}

// sorted returns the rows in display order, rebuilding it when needed.
func (s *tableState) sorted() []*tableRow {
	if !s.dirty && len(s.order) == len(s.rows) {
		return s.order
	}
	order := s.order[:0]
	for _, r := range s.rows {
		order = append(order, r)
	}
	sc, desc := s.sortCol, s.desc
	slices.SortFunc(order, func(a, b *tableRow) int {
		c := 0
		if sc >= 0 && sc < len(a.cells) {
			c = compareCells(a.cells[sc], b.cells[sc])
		} else {
			c = cmp.Compare(a.first, b.first)
		}
		if desc {
			c = -c
		}
		if c == 0 {
			c = cmp.Compare(a.first, b.first)
		}
		return c
	})
	s.order, s.dirty = order, false
	return order
}

// compareCells orders numbers numerically (before text) and text without
// regard to case.
func compareCells(a, b tableCell) int {
	switch {
	case a.hasNum && b.hasNum:
		return cmp.Compare(a.num, b.num)
	case a.hasNum:
		return -1
	case b.hasNum:
		return 1
	}
	return compareFold(a.text, b.text)
}

// compareFold compares strings as if both were lower case.
func compareFold(a, b string) int {
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if c := cmp.Compare(unicode.ToLower(ra), unicode.ToLower(rb)); c != 0 {
			return c
		}
		a, b = a[na:], b[nb:]
	}
	return cmp.Compare(len(a), len(b))
}

// selected resolves the selection to an index in order: the selected row
// wherever it moved, else the remembered position.
func (s *tableState) selected(order []*tableRow) int {
	if s.selKey != "" {
		if r, ok := s.rows[s.selKey]; ok {
			for i, o := range order {
				if o == r {
					return i
				}
			}
		}
	}
	return clampIndex(s.sel, len(order))
}

func (t tablePane) Selected() (Item, bool) {
	order := t.sorted()
	if len(order) == 0 {
		return Item{}, false
	}
	return order[t.selected(order)].item, true
}

// Update handles navigation and sorting keys.
func (t tablePane) Update(msg tea.Msg) (pane, tea.Cmd) {
	s := t.tableState
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, s.km.Sort):
			s.sortCol++
			if s.sortCol >= len(s.cols) {
				s.sortCol = -1
			}
			s.desc, s.dirty = false, true
			return t, nil
		case key.Matches(k, s.km.SortReverse):
			s.desc, s.dirty = !s.desc, true
			return t, nil
		}
	}
	order := s.sorted()
	cur := s.selected(order)
	if next, ok := navIndex(s.km, msg, cur, len(order), s.page); ok && len(order) > 0 {
		s.sel, s.selKey = next, order[next].key
	}
	return t, nil
}

func (t tablePane) View(vs viewState) string {
	s := t.tableState
	order := s.sorted()
	n := len(order)
	cw, ch := paneContentSize(vs)
	rows := max(0, ch-1)
	s.page = max(1, rows)
	sel := s.selected(order)
	s.top = scrollTop(s.top, sel, n, rows)

	head := frameHead{title: paneTitleText(s.cfg), count: countLabel(n, "row", "rows"), dropped: s.dropped}
	if n > rows && rows > 0 {
		head.count = fmt.Sprintf("%d–%d of %s", s.top+1, min(s.top+rows, n), countLabel(n, "row", "rows"))
	}
	if s.noKey > 0 {
		head.extra = append(head.extra, frameSeg{
			text:  fmt.Sprintf("%s without %s", groupInt(s.noKey), s.cfg.Key),
			style: s.st.For(config.RoleWarning), keep: keepExtra,
		})
	}
	if ch <= 0 {
		return drawFrame(s.st, vs, head, nil)
	}

	widths, gap := s.widths(cw)
	body := make([]string, 0, ch)
	body = append(body, s.header(widths, gap))
	if n == 0 {
		body = append(body, waitingLine(s.st))
	}
	for i := s.top; i < n && i < s.top+rows; i++ {
		line := s.row(order[i], widths, gap, vs.Now)
		if vs.Focused && i == sel {
			line = s.st.Selected.Render(fitCells(ansi.Strip(line), cw))
		}
		body = append(body, line)
	}
	return drawFrame(s.st, vs, head, body)
}

// widths sizes the columns for a content width. Every column has a width it
// wants (its content or title, a sparkline's length, a fixed width) and a
// least width: numbers are never cut (a cut number reads as another number),
// text gives way down to six cells, a sparkline down to five. Columns that do
// not fit even at their least are hidden from the right (width 0); the room
// left is then shared out to the narrowest cut column first (the inverse of
// shrinking the widest), so nothing is cut while space stands empty.
func (s *tableState) widths(avail int) ([]int, int) {
	n := len(s.cols)
	want, least := make([]int, n), make([]int, n)
	for i, c := range s.cols {
		title := ansi.StringWidth(format.Sanitize(c.Title))
		if i == s.sortCol {
			title += 2 // " ▲"
		}
		switch {
		case c.Width > 0:
			want[i], least[i] = c.Width, c.Width
		case c.Spark > 0:
			want[i] = max(c.Spark, title)
			least[i] = min(want[i], 5)
		default:
			want[i] = max(s.natural[i], title, 1)
			least[i] = want[i]
			if c.Format == nil || !c.Format.Numeric() {
				least[i] = min(want[i], 6)
			}
		}
	}
	sum := func(ws []int, gap int) int {
		t, shown := 0, 0
		for i, w := range ws {
			if w > 0 && (i == 0 || want[i] > 0) {
				t += w
				shown++
			}
		}
		return t + gap*max(0, shown-1)
	}
	gap := 2
	if sum(want, gap) > avail {
		gap = 1
	}
	ws := slices.Clone(least)
	for i := n - 1; i > 0 && sum(ws, gap) > avail; i-- {
		ws[i], want[i] = 0, 0
	}
	for spare := avail - sum(ws, gap); spare > 0; spare-- {
		starved := -1
		for i := range ws {
			if ws[i] > 0 && ws[i] < want[i] && (starved < 0 || ws[i] < ws[starved]) {
				starved = i
			}
		}
		if starved < 0 {
			break
		}
		ws[starved]++
	}
	return ws, gap
}

func (s *tableState) align(i int) config.Align {
	c := s.cols[i]
	switch {
	case c.Align == config.AlignCenter:
		return config.AlignCenter
	case c.RightAligned():
		return config.AlignRight
	}
	return config.AlignLeft
}

func (s *tableState) header(widths []int, gap int) string {
	parts := make([]string, 0, len(s.cols))
	for i, c := range s.cols {
		title := format.Sanitize(c.Title)
		if i == s.sortCol {
			if s.desc {
				title += " ▼"
			} else {
				title += " ▲"
			}
		}
		if widths[i] > 0 {
			parts = append(parts, s.st.Header.Render(alignCells(title, widths[i], s.align(i))))
		}
	}
	return strings.Join(parts, strings.Repeat(" ", gap))
}

// row renders one row; cells that changed within flashFor of now show the
// direction of the change.
func (s *tableState) row(r *tableRow, widths []int, gap int, now time.Time) string {
	parts := make([]string, 0, len(s.cols))
	for i, col := range s.cols {
		if widths[i] == 0 {
			continue
		}
		c := r.cells[i]
		text, role := c.text, c.role
		switch {
		case col.Spark > 0:
			text = format.Spark(c.spark, widths[i])
			if role == config.RoleText {
				role = config.RoleAccent
			}
		case s.rel[i]:
			text, role = col.Render([]byte(r.item.Event.Data), itemMeta(r.item), format.Context{Now: now, Loc: r.item.Time.Location()})
			text = format.Sanitize(text)
		}
		cell := alignCells(text, widths[i], s.align(i))
		parts = append(parts, s.cellStyle(c, role, now).Render(cell))
	}
	return strings.Join(parts, strings.Repeat(" ", gap))
}

// cellStyle is the cell's role colour, or a flash in the colour of its
// last change while that change is recent.
func (s *tableState) cellStyle(c tableCell, role config.Role, now time.Time) lipgloss.Style {
	if flashing(c, now) {
		return s.st.For(flashRole(c.dir)).Reverse(true).Bold(true)
	}
	return s.st.For(role)
}

func flashing(c tableCell, now time.Time) bool {
	if c.changed.IsZero() {
		return false
	}
	d := now.Sub(c.changed)
	return d >= 0 && d < flashFor
}

func flashRole(dir int) config.Role {
	switch {
	case dir > 0:
		return config.RoleGain
	case dir < 0:
		return config.RoleLoss
	}
	return config.RoleNeutral
}
