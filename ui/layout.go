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
type paneWant struct{ H, W int }

// computeLayoutFit is computeLayout with space that follows content: a
// row's height is capped at the tallest box its panes want, a pane's width
// at the width it wants, and what the caps leave goes to the rows and panes
// that can use it, by weight. When every row (or pane) is capped the rest
// is shared by weight after all, so the screen stays filled. want may be
// nil (no caps).
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
		cells, hidden := fitRow(rows[i].Cells, area.X, area.W, want)
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
func fitRow(cells []config.Cell, x, width int, want func(string) paneWant) (boxes []cellBox, hidden []string) {
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
	var weights, mins, caps []int
	var kept []config.Cell
	for i, c := range cells {
		if !keep[i] {
			continue
		}
		kept = append(kept, c)
		weights = append(weights, max(c.Weight, 1))
		mins = append(mins, min(minFor(c, configured), width))
		caps = append(caps, want(c.Pane).W)
	}
	if sum(mins) > width { // a single cell wider than the screen
		mins = make([]int, len(kept))
	}
	widths := shareCapped(width, weights, mins, caps)
	for i, c := range kept {
		boxes = append(boxes, cellBox{Pane: c.Pane, rect: rect{X: x, W: widths[i]}})
		x += widths[i]
	}
	return boxes, hidden
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
