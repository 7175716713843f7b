package ui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/livefeed/livefeed/config"
	"github.com/livefeed/livefeed/render"
)

func (t *tablePane) Render(vs viewState) string {
	s := t
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
func (s *tablePane) widths(avail int) ([]int, int) {
	s.flush() // natural widths come from rendered cells
	n := len(s.cols)
	want, least := make([]int, n), make([]int, n)
	for i, c := range s.cols {
		title := ansi.StringWidth(render.Sanitize(c.Title))
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

func (s *tablePane) align(i int) config.Align {
	c := s.cols[i]
	switch {
	case c.Align == config.AlignCenter:
		return config.AlignCenter
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
			parts = append(parts, s.st.Header.Render(alignCells(title, widths[i], s.align(i))))
		}
	}
	return strings.Join(parts, strings.Repeat(" ", gap))
}

// row renders one row; cells that changed within flashFor of now show the
// direction of the change.
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
		case s.rel[i]:
			text, role = columnCell(col, []byte(r.item.Event.Data), itemMeta(r.item), render.Context{Now: now, Loc: r.item.Time.Location()})
			text = render.Sanitize(text)
		}
		cell := alignCells(text, widths[i], s.align(i))
		parts = append(parts, s.cellStyle(c, role, now).Render(cell))
	}
	return strings.Join(parts, strings.Repeat(" ", gap))
}

// cellStyle is the cell's role colour, or a flash in the colour of its
// last change while that change is recent.
func (s *tablePane) cellStyle(c tableCell, role config.Role, now time.Time) lipgloss.Style {
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
