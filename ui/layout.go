package ui

import (
	"github.com/livefeed/livefeed/config"
)

// Sizes the layout engine works with, in terminal cells.
const (
	tickerRowHeight = 3  // one line of text plus the frame
	minBoxHeight    = 3  // the smallest framed pane: one line of content
	minBoxWidth     = 16 // room for a border, a short title and a few characters
)

// rect is a box on screen.
type rect struct{ X, Y, W, H int }

func (r rect) contains(x, y int) bool {
	return x >= r.X && x < r.X+r.W && y >= r.Y && y < r.Y+r.H
}

// cellBox is where one pane is drawn.
type cellBox struct {
	Pane string
	rect
}

// layoutRow is one band of the screen. A collapsed row is one line high and
// its panes show only their titles.
type layoutRow struct {
	Y, H      int
	Collapsed bool
	Cells     []cellBox
}

// screenLayout is the result of fitting a config.Layout into an area.
type screenLayout struct {
	Rows []layoutRow
	// Hidden lists panes that did not fit at all, in layout order.
	Hidden []string
}

// boxes lists every visible pane's box in reading order.
func (l screenLayout) boxes() []cellBox {
	var out []cellBox
	for _, r := range l.Rows {
		out = append(out, r.Cells...)
	}
	return out
}

// computeLayout fits the configured rows into area. Rows holding only
// tickers take tickerRowHeight lines; the others share the rest by weight,
// each getting at least its min_height. When the area is too small, it gives
// up in this order: the configured minimums (down to the smallest framed
// pane), then whole rows shrink to a one-line title strip (the lightest rows
// first, the bottom one first among equals), then rows are hidden from the
// bottom. Widths degrade the same way within each row: configured
// min_widths go first, then the lightest panes (rightmost among equals) are
// hidden. The result never leaves the area.
func computeLayout(l config.Layout, tickerOnly func(paneID string) bool, area rect) screenLayout {
	return computeLayoutFit(l, tickerOnly, nil, area)
}

// paneWant is the box a pane's content asks for, in cells, frame
// included; 0 means "as much as it gets" (a log, a chart).
type paneWant struct {
	H, W int
	// Core is the width that shows most of the content whole (for a list,
	// its items up to a readable length); 0 means W. Long is how many
	// lines are still cut at Core: how much the pane gains from more width.
	Core, Long int
	// Greedy marks a pane every line of which gains from more width (a
	// log): in a row too narrow for what all cells ask, it takes its
	// weighted share rather than a share of its ask.
	Greedy bool
}

// computeLayoutFit is computeLayout with space that follows content: a
// row's height is capped at the tallest box its panes want, and what the
// caps leave goes to the rows that can use it, by weight; within a row the
// widths follow content as shareWidths says. When every row (or pane) is
// capped the rest is shared by weight after all, so the screen stays
// filled. want may be nil (no caps).
func computeLayoutFit(l config.Layout, tickerOnly func(paneID string) bool, want func(paneID string) paneWant, area rect) screenLayout {
	if want == nil {
		want = func(string) paneWant { return paneWant{} }
	}
	var out screenLayout
	rows := make([]config.Row, 0, len(l.Rows))
	for _, r := range l.Rows {
		if len(r.Cells) > 0 {
			rows = append(rows, r)
		}
	}
	if area.W <= 0 || area.H <= 0 {
		for _, r := range rows {
			for _, c := range r.Cells {
				out.Hidden = append(out.Hidden, c.Pane)
			}
		}
		return out
	}

	n := len(rows)
	fixed := make([]bool, n)
	for i, r := range rows {
		fixed[i] = true
		for _, c := range r.Cells {
			if !tickerOnly(c.Pane) {
				fixed[i] = false
				break
			}
		}
	}
	mins := func(configured bool) []int {
		m := make([]int, n)
		for i, r := range rows {
			switch {
			case fixed[i]:
				m[i] = tickerRowHeight
			case configured:
				m[i] = max(r.MinHeight, minBoxHeight)
			default:
				m[i] = minBoxHeight
			}
		}
		return m
	}

	heights := mins(true)
	if sum(heights) > area.H {
		heights = mins(false)
	}
	collapsed := make([]bool, n)
	visible := n
	if sum(heights) > area.H {
		// Collapse the lightest rows, bottom first among equals, until the
		// rest fits.
		for _, i := range collapseOrder(rows, fixed) {
			if sum(heights[:visible]) <= area.H {
				break
			}
			collapsed[i] = true
			heights[i] = 1
		}
		for visible > 0 && sum(heights[:visible]) > area.H {
			visible--
		}
	}

	// Distribute what is left to the flexible rows that are not collapsed.
	var weights, flexMins, flexCaps []int
	var flex []int
	spare := area.H
	for i := range visible {
		if fixed[i] || collapsed[i] {
			spare -= heights[i]
			continue
		}
		flex = append(flex, i)
		weights = append(weights, max(rows[i].Weight, 1))
		flexMins = append(flexMins, heights[i])
		capH := 0
		for _, c := range rows[i].Cells {
			w := want(c.Pane).H
			if w <= 0 && !tickerOnly(c.Pane) {
				capH = 0 // a pane that takes any height: the row does too
				break
			}
			capH = max(capH, w, tickerRowHeight)
		}
		flexCaps = append(flexCaps, capH)
	}
	if len(flex) > 0 {
		for k, h := range shareCapped(spare, weights, flexMins, flexCaps) {
			heights[flex[k]] = h
		}
	}

	y := area.Y
	for i := range visible {
		lr := layoutRow{Y: y, H: heights[i], Collapsed: collapsed[i]}
		cells, hidden := fitRow(rows[i].Cells, area.X, area.W, heights[i], want)
		for _, c := range cells {
			c.Y, c.H = y, heights[i]
			lr.Cells = append(lr.Cells, c)
		}
		out.Hidden = append(out.Hidden, hidden...)
		out.Rows = append(out.Rows, lr)
		y += heights[i]
	}
	for _, r := range rows[visible:] {
		for _, c := range r.Cells {
			out.Hidden = append(out.Hidden, c.Pane)
		}
	}
	return out
}

// collapseOrder lists row indexes from the first to collapse to the last:
// lowest weight first (ticker rows count as weight 1), bottom rows first
// among equals.
func collapseOrder(rows []config.Row, fixed []bool) []int {
	order := make([]int, 0, len(rows))
	for i := len(rows) - 1; i >= 0; i-- {
		order = append(order, i)
	}
	weight := func(i int) int {
		if fixed[i] {
			return 1
		}
		return max(rows[i].Weight, 1)
	}
	// A stable insertion sort keeps "bottom first" among equal weights.
	for a := 1; a < len(order); a++ {
		for b := a; b > 0 && weight(order[b]) < weight(order[b-1]); b-- {
			order[b], order[b-1] = order[b-1], order[b]
		}
	}
	return order
}

// fitRow splits a row's width among its cells. Cells that do not fit even at
// the smallest width are hidden: the lightest first, rightmost among equals.
// The width of the kept cells follows content (see shareWidths); rowH is
// the row's height, which says how many lines a log shows.
func fitRow(cells []config.Cell, x, width, rowH int, want func(string) paneWant) (boxes []cellBox, hidden []string) {
	keep := make([]bool, len(cells))
	for i := range keep {
		keep[i] = true
	}
	count := len(cells)
	minFor := func(c config.Cell, configured bool) int {
		if configured {
			return max(c.MinWidth, minBoxWidth)
		}
		return minBoxWidth
	}
	need := func(configured bool) int {
		t := 0
		for i, c := range cells {
			if keep[i] {
				t += minFor(c, configured)
			}
		}
		return t
	}
	configured := need(true) <= width
	for !configured && count > 1 && need(false) > width {
		drop := -1
		for i := len(cells) - 1; i >= 0; i-- {
			if keep[i] && (drop < 0 || max(cells[i].Weight, 1) < max(cells[drop].Weight, 1)) {
				drop = i
			}
		}
		keep[drop] = false
		count--
		hidden = append(hidden, cells[drop].Pane)
	}
	var weights, mins []int
	var wants []paneWant
	var kept []config.Cell
	for i, c := range cells {
		if !keep[i] {
			continue
		}
		kept = append(kept, c)
		weights = append(weights, max(c.Weight, 1))
		mins = append(mins, min(minFor(c, configured), width))
		wants = append(wants, want(c.Pane))
	}
	if sum(mins) > width { // a single cell wider than the screen
		mins = make([]int, len(kept))
	}
	widths := shareWidths(width, rowH-2, weights, mins, wants)
	for i, c := range kept {
		boxes = append(boxes, cellBox{Pane: c.Pane, rect: rect{X: x, W: widths[i]}})
		x += widths[i]
	}
	return boxes, hidden
}

// shareWidths splits a row's width among its cells by what their content
// asks for. First each cell gets its ask: a table its natural width, a
// list the width of its longest item up to a readable cap, a log a few
// columns of data, a pane without a natural width its minimum. Then the cells that can use
// more share the row in proportion to weight × the lines more width would
// show (a log's lines, a list's cut items, a squeezed table's rows), each
// keeping its ask and getting at most its natural width (a pane without
// one, any). So a list of short items leaves the width to the log beside
// it, and one with many long items takes its part. Weights are the user's
// override throughout: when the asks do not fit, the row is shared by
// weight (each cell capped at its natural width), and once every cell
// shows all it holds the rest is shared by weight too, so the row stays
// filled. Cells with no content size known split the row by weight alone,
// as they always did. lines is how many content lines the row shows.
func shareWidths(width, lines int, weights, mins []int, wants []paneWant) []int {
	n := len(weights)
	full, ask := make([]int, n), make([]int, n)
	for i, w := range wants {
		full[i] = w.W
		switch {
		case w.W == 0:
			ask[i] = mins[i]
		case w.Core > 0 && w.Core < w.W:
			ask[i] = max(mins[i], w.Core)
		default:
			ask[i] = max(mins[i], w.W)
		}
	}
	if sum(ask) > width {
		return shareShort(width, weights, mins, ask, full, wants)
	}
	out := ask
	lines = max(lines, 1)
	spare := width - sum(out)
	// A cut pane whose rest costs the others little (an eighth of the
	// spare) gets it whole: on a wide screen a list is not left cut by a
	// few columns beside a log that stays cut anyway.
	cheap := spare / 8
	for i, w := range wants {
		if w.W > out[i] && w.W-out[i] <= cheap {
			spare -= w.W - out[i]
			out[i] = w.W
		}
	}
	var idx, demand, room []int
	bounded := true
	for i, w := range wants {
		switch {
		case w.W == 0:
			idx, demand, room = append(idx, i), append(demand, weights[i]*lines), append(room, 0)
			bounded = false
		case out[i] < w.W:
			idx, demand, room = append(idx, i), append(demand, weights[i]*min(max(w.Long, 1), lines)), append(room, w.W-out[i])
		}
	}
	switch {
	case spare <= 0 || len(idx) == 0:
	case bounded && sum(room) <= spare:
		for k, i := range idx {
			out[i] += room[k]
		}
		spare -= sum(room)
	default:
		// The cells that can use more share what they hold plus the
		// spare, each keeping its ask: proportional to the whole, as
		// weights are, so two logs [a: 2, b: 1] still split the row two to
		// one, and a list with a few cut items beside a log keeps its
		// ask rather than taking a weighted part of the log's columns.
		total := spare
		floors, caps := make([]int, len(idx)), make([]int, len(idx))
		for k, i := range idx {
			total += out[i]
			floors[k], caps[k] = out[i], full[i]
		}
		for k, w := range shareCapped(total, demand, floors, caps) {
			out[idx[k]] = w
		}
		spare = 0
	}
	if spare > 0 { // every cell shows all it holds
		for i, extra := range share(spare, weights, make([]int, n)) {
			out[i] += extra
		}
	}
	return out
}

// shareShort splits a row too narrow for what its cells ask. When every
// cell asks for content (tables, lists), the row is shared by weight ×
// ask, no cell getting more than its ask: a plain weighted split would
// leave a table blank past its columns beside one that cuts its names. Otherwise (a log, or a pane whose
// content is not known yet) the row is shared by weight, a content cell
// getting no more than its ask.
func shareShort(width int, weights, mins, ask, full []int, wants []paneWant) []int {
	caps := make([]int, len(wants))
	content := true
	for i, w := range wants {
		caps[i] = full[i]
		if w.W > 0 && !w.Greedy {
			caps[i] = ask[i]
		} else {
			content = false
		}
	}
	if content {
		by := make([]int, len(ask))
		for i := range ask {
			by[i] = weights[i] * ask[i]
		}
		return shareCapped(width, by, mins, ask)
	}
	return shareCapped(width, weights, mins, caps)
}

// share splits total among items in proportion to their weights, giving each
// at least its minimum; the parts add up to total exactly. Callers make sure
// the minimums fit.
func share(total int, weights, mins []int) []int {
	n := len(weights)
	out := make([]int, n)
	pinned := make([]bool, n)
	for {
		free, wsum := total, 0
		for i := range n {
			if pinned[i] {
				free -= out[i]
			} else {
				wsum += weights[i]
			}
		}
		if wsum == 0 {
			break
		}
		changed := false
		for i := range n {
			if !pinned[i] && free*weights[i] < mins[i]*wsum {
				out[i], pinned[i], changed = mins[i], true, true
			}
		}
		if changed {
			continue
		}
		// Floor the proportional parts, then hand out the remainder by
		// largest fraction (earlier items first among equals).
		rest := free
		frac := make([]int, n)
		for i := range n {
			if pinned[i] {
				continue
			}
			out[i] = free * weights[i] / wsum
			frac[i] = free * weights[i] % wsum
			rest -= out[i]
		}
		for ; rest > 0; rest-- {
			best := -1
			for i := range n {
				if !pinned[i] && (best < 0 || frac[i] > frac[best]) {
					best = i
				}
			}
			out[best]++
			frac[best] = -1
		}
		break
	}
	return out
}

// shareCapped is share with a cap per item (0: none): an item never gets
// more than its cap (nor less than its minimum) while an uncapped item or
// one under its cap can take the rest. When every item is at its cap, what
// is left is shared by weight on top, so the parts still add up to total.
func shareCapped(total int, weights, mins, caps []int) []int {
	n := len(weights)
	out := make([]int, n)
	pinned := make([]bool, n)
	for {
		free := total
		var ws, ms, idx []int
		for i := range n {
			if pinned[i] {
				free -= out[i]
				continue
			}
			idx = append(idx, i)
			ws = append(ws, weights[i])
			ms = append(ms, mins[i])
		}
		if len(idx) == 0 {
			if free > 0 {
				for i, extra := range share(free, weights, make([]int, n)) {
					out[i] += extra
				}
			}
			return out
		}
		if sum(ms) > free {
			ms = make([]int, len(ms)) // cannot happen for callers that checked the minimums
		}
		parts := share(free, ws, ms)
		over := false
		for k, i := range idx {
			out[i] = parts[k]
			if caps[i] > 0 && parts[k] > max(caps[i], mins[i]) {
				out[i], pinned[i], over = max(caps[i], mins[i]), true, true
			}
		}
		if !over {
			return out
		}
	}
}

func sum(xs []int) int {
	t := 0
	for _, x := range xs {
		t += x
	}
	return t
}
