package ui

import (
	"cmp"
	"container/list"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/livefeed/livefeed/config"
	"github.com/livefeed/livefeed/render"
)

// flashFor is how long a changed cell shows the direction of its change.
const flashFor = time.Second

// tablePane keeps one row per key, updated in place as events arrive.
//
// Under a firehose most events of a row are replaced before anyone sees
// them, so Add does only what every event needs: the row-key lookup, the
// row's latest item, the sparkline's sample (the trend is exact: one point
// per event) and marking the row stale. A stale row's cells are rendered
// once, when something needs them (a Render, a sort, the selection); a
// change flashes in the direction from the value last rendered to the new
// one. Only relative times and change flashes depend on viewState.Now.

type tableCell struct {
	text    string // rendered, sanitized
	role    config.Role
	num     float64
	hasNum  bool
	changed time.Time // when the text last changed (zero: never)
	dir     int       // +1 rose, -1 fell, 0 changed otherwise
	spark   []float64 // the last Spark values, for sparkline columns
	agg     *aggState // aggregate columns' running value
}

type tableRow struct {
	key      string
	item     Item // the latest event, for the inspector and relative times
	cells    []tableCell
	first    uint64        // first-seen order
	lru      *list.Element // position in tablePane.lru
	stale    bool          // item is newer than the cells (the row is in tablePane.stale)
	rendered bool          // the cells have been rendered at least once
	sortVal  tableCell     // the value at the pane's sort: path
}

type tablePane struct {
	redraw focusRedraw
	cfg    *config.Pane
	st     *Styles
	km     KeyMap
	cols   []*config.Column
	rel    []bool // columns whose text depends on the current time
	cue    []bool // columns that show change cues: numeric ones, once a number was seen
	spark  []int  // sparkline columns, sampled on every event
	aggs   []int  // aggregate columns, folded on every event
	max    int
	// Row state (see tablestate.go): all zero for a pane without
	// remove_on, merge: deep or sort: PATH.
	removeOn []string
	deep     bool
	sortPath string

	rows      map[string]*tableRow
	lru       *list.List  // front: least recently updated
	stale     []*tableRow // rows to render before the cells are next used
	nextFirst uint64
	bytes     int
	dropped   int
	noKey     int   // events without a row key
	natural   []int // the widest text rendered per column, so widths never jitter
	// values records, per column, whether its non-empty cells so far were
	// numbers (valNum) or also text (valText), for align: auto. Like
	// natural, it only moves one way, so a column does not flip sides.
	values []valueKinds

	sortCol int // -1: first-seen order
	desc    bool
	order   []*tableRow
	dirty   bool // order must be rebuilt

	filterBox
	shown []*tableRow // the rows the filter lets through, rebuilt per use

	sparkN      []int // the most samples any row of a sparkline column holds
	colOff      int   // columns scrolled off after the first (←/→)
	hiddenCols  int   // columns out of view at the last Render
	hiddenRight bool  // some of them to the right

	// flashEnd is when the latest change cue ends; drawnNow the Now of
	// the last Render (see TimeChanged).
	flashEnd time.Time
	drawnNow time.Time

	selKey string // the selected row, followed when rows move
	sel    int    // its index when last seen
	top    int
	page   int // rows shown by the last Render, for page up / down
}

// valueKinds are the kinds of value a column has shown.
type valueKinds uint8

const (
	valNum valueKinds = 1 << iota
	valText
)

// numeric reports whether every value the column has shown is a number.
func (v valueKinds) numeric() bool { return v == valNum }

func newTablePane(p *config.Pane, st *Styles, km KeyMap) *tablePane {
	cols := p.Columns
	if len(cols) == 0 && p.Key != "" {
		cols = []*config.Column{{Title: p.Key, Path: p.Key}}
	}
	s := &tablePane{
		cfg:     p,
		st:      st,
		km:      km,
		cols:    cols,
		rel:     make([]bool, len(cols)),
		cue:     make([]bool, len(cols)),
		sparkN:  make([]int, len(cols)),
		max:     paneMax(p, config.DefaultTableMax),
		rows:    map[string]*tableRow{},
		lru:     list.New(),
		natural: make([]int, len(cols)),
		values:  make([]valueKinds, len(cols)),
		sortCol: -1,
		page:    1,

		removeOn: p.RemoveOn,
		deep:     p.Merge == config.MergeDeep,
	}
	s.filterBox = newFilterBox(st, "text  COLUMN:VALUE  -exclude")
	for i, c := range cols {
		s.rel[i] = (c.Format != nil && c.Format.Kind() == render.Relative) || c.Agg == config.AggRate
		if c.Spark > 0 {
			s.spark = append(s.spark, i)
		}
		if c.Agg != config.AggNone {
			s.aggs = append(s.aggs, i)
		}
	}
	if p.Sort != "" {
		s.desc = p.SortDesc
		if s.sortCol = p.SortColumn(); s.sortCol < 0 {
			s.sortCol, s.sortPath = sortByPath, p.Sort
		}
	}
	return s
}

func (t *tablePane) Config() *config.Pane { return t.cfg }
func (t *tablePane) Len() int             { return len(t.rows) }
func (t *tablePane) Dropped() int         { return t.dropped }
func (t *tablePane) Capturing() bool      { return t.edit }

func (t *tablePane) Clear() {
	s := t
	s.rows = map[string]*tableRow{}
	s.lru.Init()
	s.order, s.dirty = nil, true
	clear(s.stale)
	s.stale = s.stale[:0]
	s.bytes, s.dropped, s.noKey = 0, 0, 0
	s.natural = make([]int, len(s.cols))
	s.values = make([]valueKinds, len(s.cols))
	s.selKey, s.sel, s.top = "", 0, 0
}

// Add upserts a row per item. Cells are rendered later (see render): per
// event only the key, the sparkline samples and the bookkeeping are done.
func (t *tablePane) Add(items []Item) {
	s := t
	for _, it := range items {
		data := readOnlyBytes(it.Event.Data)
		k, ok := rowKeyFor(s.cfg, it.Event.Type, data)
		if !ok {
			s.noKey++
			continue
		}
		if len(s.removeOn) > 0 && matchAny(s.removeOn, it.Event.Type) {
			s.remove(k)
			continue
		}
		r := s.rows[k]
		if r == nil {
			r = &tableRow{key: k, cells: make([]tableCell, len(s.cols)), first: s.nextFirst}
			s.nextFirst++
			s.rows[k] = r
			r.lru = s.lru.PushBack(r)
			s.dirty = true
		} else {
			s.lru.MoveToBack(r.lru)
			s.bytes -= itemSize(r.item)
			if s.sortCol != -1 {
				s.dirty = true // the sort value may have changed
			}
		}
		for _, i := range s.aggs {
			c := &r.cells[i]
			if c.agg == nil {
				c.agg = &aggState{}
			}
			c.agg.add(s.cols[i].Agg, columnValue(s.cols[i], data, itemMeta(it)), it.Time)
		}
		if s.deep {
			it.Event.Data = render.MergePatch(r.item.Event.Data, it.Event.Data)
		}
		r.item = it
		s.bytes += itemSize(it)
		for _, i := range s.spark {
			if num, ok := columnNumber(s.cols[i], data, itemMeta(it)); ok {
				c := &r.cells[i]
				c.spark = append(c.spark, num)
				if n := s.cols[i].Spark; len(c.spark) > n {
					// Shift in place: the slice never grows past the
					// sparkline's length.
					c.spark = c.spark[:copy(c.spark, c.spark[len(c.spark)-n:])]
				}
				if len(c.spark) > s.sparkN[i] {
					s.sparkN[i] = len(c.spark)
				}
			}
		}
		if !r.stale {
			r.stale = true
			s.stale = append(s.stale, r)
		}
		for len(s.rows) > s.max || (s.bytes > paneMaxBytes && len(s.rows) > 1) {
			s.evict()
		}
	}
	if len(s.stale) > 2*len(s.rows)+64 {
		// Rows evicted before they were ever rendered: forget them, so that
		// a pane nobody looks at (an open inspector) stays bounded.
		s.stale = slices.DeleteFunc(s.stale, func(r *tableRow) bool { return s.rows[r.key] != r })
	}
	return
}

// readOnlyBytes views a string as bytes without copying, for the config's
// []byte readers (gjson), which never write to their input.
func readOnlyBytes(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

// flush renders every stale row that is still in the table.
func (s *tablePane) flush() {
	for _, r := range s.stale {
		if s.rows[r.key] == r {
			s.render(r)
		}
	}
	clear(s.stale)
	s.stale = s.stale[:0]
}

// render renders a row's cells from its latest item, remembering which
// cells changed since they were last rendered, and which way.
func (s *tablePane) render(r *tableRow) {
	data := readOnlyBytes(r.item.Event.Data)
	meta, fctx := itemMeta(r.item), itemContext(r.item)
	for i, col := range s.cols {
		c := &r.cells[i]
		var text string
		var role config.Role
		var num float64
		var hasNum bool
		if col.Agg != config.AggNone {
			text, role, num, hasNum = aggCell(col, c.agg, r.item.Time, fctx)
			text = clipBytes(render.Sanitize(text), maxCellBytes)
		} else {
			text, role = columnCell(col, data, meta, fctx)
			text = clipBytes(render.Sanitize(text), maxCellBytes)
			num, hasNum = columnNumber(col, data, meta)
		}
		if r.rendered && text != c.text && col.Spark == 0 {
			c.changed, c.dir = r.item.Time, 0
			if end := c.changed.Add(flashFor); end.After(s.flashEnd) {
				s.flashEnd = end
			}
			if hasNum && c.hasNum {
				c.dir = cmp.Compare(num, c.num)
			}
		}
		c.text, c.role, c.num, c.hasNum = text, role, num, hasNum
		switch {
		case text == "":
		case hasNum:
			s.values[i] |= valNum
		default:
			s.values[i] |= valText
		}
		if hasNum && !s.cue[i] && col.Spark == 0 && !col.NoFlash && !s.cfg.NoFlash {
			s.cue[i] = true
			s.natural[i]++ // the cue's cell
		}
		if col.Spark == 0 {
			if s.cue[i] {
				w := cellWidth(text) + 1
				if w > s.natural[i] {
					s.natural[i] = w
				}
			} else if w := cellWidth(text); w > s.natural[i] {
				s.natural[i] = w
			}
		}
	}
	if s.sortPath != "" {
		r.sortVal = sortValue(s.sortPath, data)
	}
	r.rendered, r.stale = true, false
}

// evict removes the least recently updated row.
func (s *tablePane) evict() {
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

// sorted returns the rows in display order, rebuilding it when needed; the
// stale rows are rendered first (sorting by a column needs its values).
func (s *tablePane) sorted() []*tableRow {
	s.flush()
	if !s.dirty && len(s.order) == len(s.rows) {
		return s.order
	}
	order := s.order[:0]
	for _, r := range s.rows {
		order = append(order, r)
	}
	slices.SortFunc(order, s.compareRows)
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
func (s *tablePane) selected(order []*tableRow) int {
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

// visible is the rows in display order that the filter lets through.
func (s *tablePane) visible() []*tableRow {
	order := s.sorted()
	if s.filter.empty() {
		return order
	}
	s.shown = s.shown[:0]
	for _, r := range order {
		if s.matches(r) {
			s.shown = append(s.shown, r)
		}
	}
	return s.shown
}

// matches applies the filter to a row: words to every cell's text,
// COLUMN:VALUE to the cell of the column with that title or path.
func (s *tablePane) matches(r *tableRow) bool {
	var text string
	return s.filter.matchItem(r.item, func() string {
		if text == "" {
			var b strings.Builder
			for i := range r.cells {
				b.WriteString(r.cells[i].text)
				b.WriteByte(0)
			}
			text = strings.ToLower(b.String())
		}
		return text
	}, func(name string) (string, bool) {
		for i, c := range s.cols {
			if strings.EqualFold(render.Sanitize(c.Title), name) || (c.Path != "" && strings.EqualFold(c.Path, name)) {
				return r.cells[i].text, true
			}
		}
		return "", false
	})
}

func (t *tablePane) Selected() (Item, bool) {
	order := t.visible()
	if len(order) == 0 {
		return Item{}, false
	}
	return order[t.selected(order)].item, true
}

// TimeChanged: only change cues, relative times, aggregates and expiring
// rows move with time; a table with none of them showing stands still.
func (t *tablePane) TimeChanged(now time.Time) bool {
	if t.movesAlways() {
		return true
	}
	next := t.nextCue(t.drawnNow)
	return !next.IsZero() && !now.Before(next)
}

// NextTimeChange is the next change of a cue (it lights, fades, ends);
// with relative times, aggregates or expiring rows, any moment.
func (t *tablePane) NextTimeChange() time.Time {
	if t.movesAlways() {
		return t.drawnNow
	}
	return t.nextCue(t.drawnNow)
}

func (t *tablePane) movesAlways() bool {
	return t.cfg.Expire > 0 || len(t.aggs) > 0 || slices.Contains(t.rel, true)
}

// nextCue is the first moment after after at which a change cue looks
// otherwise (see cueMark and flashing); zero if none will. While a table
// under a trickle of events always has a cue lit, it changes at two
// moments a cue, not at every tick.
func (t *tablePane) nextCue(after time.Time) time.Time {
	if !after.Before(t.flashEnd) {
		return time.Time{}
	}
	var next time.Time
	for _, r := range t.rows {
		for i := range r.cells {
			c := &r.cells[i]
			if c.changed.IsZero() || !t.cueCol(i) {
				continue
			}
			for _, at := range [3]time.Time{c.changed, c.changed.Add(cueFresh), c.changed.Add(flashFor)} {
				if at.After(after) && (next.IsZero() || at.Before(next)) {
					next = at
				}
			}
		}
	}
	return next
}

// Update handles navigation and sorting keys.
func (t *tablePane) Update(msg tea.Msg) tea.Cmd {
	s := t
	if tm, ok := msg.(tickMsg); ok {
		s.expireRows(time.Time(tm))
	}
	if s.edit {
		cmd, _ := s.updateInput(msg, s.km)
		return cmd
	}
	if cmd, handled, _ := s.filterKey(msg, s.km); handled {
		return cmd
	}
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, s.km.Sort):
			s.sortCol = s.nextSort()
			s.desc, s.dirty = false, true
			return nil
		case key.Matches(k, s.km.SortReverse):
			s.desc, s.dirty = !s.desc, true
			return nil
		case key.Matches(k, s.km.Right):
			if s.hiddenRight {
				s.colOff++
			}
			return nil
		case key.Matches(k, s.km.Left):
			s.colOff = max(0, s.colOff-1)
			return nil
		}
	}
	order := s.visible()
	cur := s.selected(order)
	if next, ok := navIndex(s.km, msg, cur, len(order), s.page); ok && len(order) > 0 {
		s.sel, s.selKey = next, order[next].key
	}
	return nil
}
