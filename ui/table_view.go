package ui

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/livefeed/livefeed/config"
	"github.com/livefeed/livefeed/render"
)

func (t *tablePane) Render(vs viewState) string {
	s := t
	if out, ok := s.redraw.draw(s.st, vs); ok {
		return out // drawnNow stays: time did not change the table
	}
	s.drawnNow = vs.Now
	order := s.visible()
	n := len(order)
	cw, ch := paneContentSize(vs)
	s.inputW = cw
	rows := max(0, ch-1)
	if s.edit {
		rows = max(0, rows-1)
	}
	s.page = max(1, rows)
	sel := s.selected(order)
	s.top = scrollTop(s.top, sel, n, rows)

	head := frameHead{title: paneTitleText(s.cfg), count: countLabel(n, "row", "rows"), dropped: s.dropped}
	if n > rows && rows > 0 {
		head.count = fmt.Sprintf("%d–%d of %s", s.top+1, min(s.top+rows, n), countLabel(n, "row", "rows"))
	}
	if !s.filter.empty() {
		if n > rows && rows > 0 {
			head.count = fmt.Sprintf("%d–%d of %s of %s", s.top+1, min(s.top+rows, n), groupInt(n), countLabel(len(s.rows), "row", "rows"))
		} else {
			head.count = fmt.Sprintf("%s of %s", groupInt(n), countLabel(len(s.rows), "row", "rows"))
		}
	}
	if seg, ok := s.titleSeg(s.st); ok {
		head.extra = append(head.extra, seg)
	}
	if s.sortCol == sortByPath {
		arrow := "▲"
		if s.desc {
			arrow = "▼"
		}
		head.extra = append(head.extra, frameSeg{text: "by " + s.sortPath + " " + arrow, style: s.st.Muted, keep: keepExtra})
	}
	if s.noKey > 0 {
		head.extra = append(head.extra, frameSeg{
			text:  fmt.Sprintf("%s without %s", groupInt(s.noKey), cmp.Or(s.cfg.Key, "key")),
			style: s.st.For(config.RoleWarning), keep: keepExtra,
		})
	}
	if ch <= 0 {
		return drawFrame(s.st, vs, head, nil)
	}

	widths, gap := s.widths(cw)
	if s.hiddenCols > 0 {
		head.extra = append(head.extra, frameSeg{text: countLabel(s.hiddenCols, "col hidden", "cols hidden"), style: s.st.Muted, keep: keepExtra})
	}
	if vs.FrameOnly {
		return drawFrame(s.st, vs, head, nil)
	}
	body := make([]string, 0, ch)
	hdr := s.header(widths, gap)
	if mark := s.scrollMark(); mark != "" {
		hdr = fitCells(hdr, cw-2) + s.st.For(config.RoleAccent).Render(alignCells(mark, 2, config.AlignRight))
	}
	body = append(body, hdr)
	if n == 0 {
		if len(s.rows) > 0 {
			body = append(body, s.st.Muted.Render("no rows match the filter"))
		} else {
			body = append(body, waitingLine(s.st))
		}
	}
	selAt, plain := -1, ""
	for i := s.top; i < n && i < s.top+rows; i++ {
		line := s.row(order[i], widths, gap, vs.Now)
		if i == sel {
			selAt, plain = len(body), line
			line = selectedLine(s.st, line, cw, vs.Focused)
		}
		body = append(body, line)
	}
	body = s.withInput(body, ch-1) // below the heading and the rows
	if s.edit {
		s.redraw.ok = false
		return drawFrame(s.st, vs, head, body)
	}
	return s.redraw.drawKeep(s.st, vs, head, body, selAt, plain)
}

// widths sizes the columns for a content width. Every column has a width it
// wants (its content or title, a sparkline's length, a fixed width) and a
// least width: numbers are never cut (a cut number reads as another number),
// text gives way down to six cells, a sparkline down to five. Columns
// scrolled off (colOff columns after the first, which stays as the row's
// name) and columns that do not fit even at their least are hidden (width
// 0), the latter from the right, leaving two cells for the › marker; the
// room left is shared out to the narrowest cut column first (the inverse
// of shrinking the widest), so nothing is cut while space stands empty.
// Room beyond every column's content is shared by content width, up to a
// third of a column's width more, so that a wide pane does not end in a blank
// band while its columns are crammed to the left.
func (s *tablePane) widths(avail int) ([]int, int) {
	s.flush() // natural widths come from rendered cells
	n := len(s.cols)
	s.colOff = max(0, min(s.colOff, n-2))
	ws, gap, hidden := s.fit(avail, true)
	if hidden > 0 || s.colOff > 0 {
		ws, gap, hidden = s.fit(avail-2, true)
	}
	s.hiddenCols, s.hiddenRight = hidden+s.colOff, hidden > 0
	return ws, gap
}

// fit sizes the columns for avail cells; slack shares the room beyond the
// content (see widths).
func (s *tablePane) fit(avail int, slack bool) (ws []int, gap, hidden int) {
	n := len(s.cols)
	want, least := make([]int, n), make([]int, n)
	for i, c := range s.cols {
		title := ansi.StringWidth(render.Sanitize(c.Title))
		if i == s.sortCol {
			title += 2 // " ▲"
		}
		switch {
		case i > 0 && i <= s.colOff:
			// scrolled off to the left
		case c.Width > 0:
			want[i], least[i] = c.Width, c.Width
		case c.Spark > 0:
			// As wide as the longest line drawn so far (it only grows),
			// not the configured length: 20 cells for 2 samples is a blank.
			want[i] = max(min(c.Spark, max(s.sparkN[i], 5)), title)
			least[i] = min(want[i], 5)
		default:
			want[i] = max(s.natural[i], title, 1)
			least[i] = want[i]
			if (c.Format == nil || !c.Format.Numeric()) && !(c.Format == nil && s.values[i].numeric()) {
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
	gap = 2
	if sum(want, gap) > avail {
		gap = 1
	}
	ws = slices.Clone(least)
	for _, i := range s.hideOrder() {
		if sum(ws, gap) <= avail {
			break
		}
		if ws[i] > 0 {
			hidden++
		}
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
	if spare := avail - sum(ws, gap); spare > 0 && slack {
		content := 0
		for i, c := range s.cols {
			if ws[i] > 0 && c.Width == 0 && c.Spark == 0 {
				content += ws[i]
			}
		}
		for i, c := range s.cols {
			if ws[i] > 0 && c.Width == 0 && c.Spark == 0 && content > 0 {
				ws[i] += min(spare*ws[i]/content, max(2, ws[i]/3))
			}
		}
	}
	return ws, gap, hidden
}

// hideOrder is the order in which columns give way to lack of width:
// muted ones first (the config's way of saying "background"), then from
// the right; the first column, the row's name, only if it is muted.
func (s *tablePane) hideOrder() []int {
	muted := func(c *config.Column) bool {
		return c.Color.Mode == config.ColorFixed && c.Color.Role == config.RoleMuted
	}
	var order []int
	for i := len(s.cols) - 1; i >= 0; i-- {
		if muted(s.cols[i]) {
			order = append(order, i)
		}
	}
	for i := len(s.cols) - 1; i > 0; i-- {
		if !muted(s.cols[i]) {
			order = append(order, i)
		}
	}
	return order
}

// scrollMark says on the heading line that columns are out of view: ›
// more to the right, ‹ scrolled (←/→ move).
func (s *tablePane) scrollMark() string {
	switch {
	case s.hiddenRight && s.colOff > 0:
		return "‹›"
	case s.hiddenRight:
		return "›"
	case s.colOff > 0:
		return "‹"
	}
	return ""
}

func (s *tablePane) align(i int) config.Align {
	c := s.cols[i]
	switch {
	case c.Align == config.AlignCenter:
		return config.AlignCenter
	case c.Spark > 0:
		return config.AlignLeft // the line starts beside its heading
	case c.RightAligned():
		return config.AlignRight
	case c.Align == config.AlignAuto && c.Text == nil && c.Format == nil && s.values[i].numeric():
		// Raw numbers go right, as numeric formats do; a column with any
		// other format (time of a unix timestamp) shows no number.
		return config.AlignRight
	}
	return config.AlignLeft
}

func (s *tablePane) header(widths []int, gap int) string {
	parts := make([]string, 0, len(s.cols))
	for i, c := range s.cols {
		title := render.Sanitize(c.Title)
		if i == s.sortCol {
			if s.desc {
				title += " ▼"
			} else {
				title += " ▲"
			}
		}
		if widths[i] > 0 {
			parts = append(parts, alignCells(s.st.Heading(title), widths[i], s.align(i)))
		}
	}
	return strings.Join(parts, strings.Repeat(" ", gap))
}

// row renders one row; numeric cells that changed within flashFor of now
// show the direction of the change (see cueMark).
func (s *tablePane) row(r *tableRow, widths []int, gap int, now time.Time) string {
	parts := make([]string, 0, len(s.cols))
	for i, col := range s.cols {
		if widths[i] == 0 {
			continue
		}
		c := r.cells[i]
		text, role := c.text, c.role
		switch {
		case col.Spark > 0 && col.SparkRange != nil:
			text = render.SparkIn(c.spark, widths[i], col.SparkRange[0], col.SparkRange[1])
			if role == config.RoleText {
				role = config.RoleAccent
			}
		case col.Spark > 0:
			text = render.Spark(c.spark, widths[i])
			if role == config.RoleText {
				role = config.RoleAccent
			}
		case col.Agg != config.AggNone:
			text, role, _, _ = aggCell(col, c.agg, now, render.Context{Now: now, Loc: r.item.Time.Location()})
			text = render.Sanitize(text)
		case s.rel[i]:
			text, role = columnCell(col, []byte(r.item.Event.Data), itemMeta(r.item), render.Context{Now: now, Loc: r.item.Time.Location()})
			text = render.Sanitize(text)
		}
		if s.cueCol(i) {
			// The cue's cell is reserved whether or not it shows, so that
			// digits never move.
			if !flashing(c, now) {
				// The common case, one Render per cell as for any other.
				parts = append(parts, s.st.For(role).Render(alignCells(" "+text, widths[i], s.align(i))))
				continue
			}
			styled := s.st.For(role).Render(text)
			parts = append(parts, alignCells(s.cueMark(c, now)+styled, widths[i], s.align(i)))
			continue
		}
		cell := alignCells(text, widths[i], s.align(i))
		parts = append(parts, s.st.For(role).Render(cell))
	}
	return strings.Join(parts, strings.Repeat(" ", gap))
}

// cueFresh is how long a change cue stays bright before it fades; at
// flashFor it is gone. At 4 updates a second a cue is mostly fading, so
// a busy table shimmers at the edges of its numbers instead of strobing.
const cueFresh = 400 * time.Millisecond

// cueMark is the one cell before a numeric value that shows which way it
// last moved: ▲ or ▼ (• when the direction is unknown), in the direction's
// colour, bright, then faint, then gone. The value keeps its own colour (a
// fallen "+0.32" stays the green of its sign); under NO_COLOR the arrow
// alone says it.
func (s *tablePane) cueMark(c tableCell, now time.Time) string {
	if !flashing(c, now) {
		return " "
	}
	glyph := "•"
	switch {
	case c.dir > 0:
		glyph = "▲"
	case c.dir < 0:
		glyph = "▼"
	}
	if s.st.NoColor {
		return glyph
	}
	st := s.st.For(flashRole(c.dir))
	if now.Sub(c.changed) < cueFresh {
		st = st.Bold(true)
	} else {
		st = st.Faint(true)
	}
	return st.Render(glyph)
}

// cueCol reports whether column i shows change cues: numbers only (a cue on
// a team name says nothing), unless the table or column says flash: false.
func (s *tablePane) cueCol(i int) bool {
	if i >= len(s.cue) {
		return false
	}
	return s.cue[i]
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
