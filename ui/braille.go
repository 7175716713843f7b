package ui

import (
	"strings"

	"charm.land/lipgloss/v2"
)

// brailleCanvas is a grid of terminal cells, each 2 dots wide and 4 high,
// drawn with the Unicode braille patterns. Each cell takes the colour of the
// last series that set a dot in it.
//
// We draw our own rather than use github.com/NimbleMarkets/ntcharts: its
// releases (v0.4.0) are built on bubbletea v1 and lipgloss v1, which this
// module does not use, and a chart needs only this much of a canvas.
type brailleCanvas struct {
	w, h  int     // in cells
	bits  []uint8 // per cell: the braille dot bits
	owner []int8  // per cell: the series that drew last, -1 for none
}

// brailleBit is the bit of the dot at (x%2, y%4) within a cell.
var brailleBit = [4][2]uint8{{0x01, 0x08}, {0x02, 0x10}, {0x04, 0x20}, {0x40, 0x80}}

func newBrailleCanvas(w, h int) *brailleCanvas {
	c := &brailleCanvas{w: max(0, w), h: max(0, h)}
	c.bits = make([]uint8, c.w*c.h)
	c.owner = make([]int8, c.w*c.h)
	for i := range c.owner {
		c.owner[i] = -1
	}
	return c
}

// dots is the canvas's size in dots.
func (c *brailleCanvas) dots() (w, h int) { return 2 * c.w, 4 * c.h }

// set lights the dot at (x, y), y counting down from the top; dots outside
// the canvas are ignored.
func (c *brailleCanvas) set(x, y int, series int) {
	if x < 0 || y < 0 || x >= 2*c.w || y >= 4*c.h {
		return
	}
	i := (y/4)*c.w + x/2
	c.bits[i] |= brailleBit[y%4][x%2]
	c.owner[i] = int8(series)
}

// vline lights the dots of column x from y0 to y1, inclusive.
func (c *brailleCanvas) vline(x, y0, y1, series int) {
	if y0 > y1 {
		y0, y1 = y1, y0
	}
	for y := y0; y <= y1; y++ {
		c.set(x, y, series)
	}
}

// line draws a straight line from (x0, y0) to (x1, y1) (Bresenham).
func (c *brailleCanvas) line(x0, y0, x1, y1, series int) {
	dx, dy := absInt(x1-x0), -absInt(y1-y0)
	sx, sy := 1, 1
	if x0 > x1 {
		sx = -1
	}
	if y0 > y1 {
		sy = -1
	}
	e := dx + dy
	for steps := 0; steps <= dx-dy; steps++ {
		c.set(x0, y0, series)
		if x0 == x1 && y0 == y1 {
			return
		}
		if e2 := 2 * e; e2 >= dy {
			e += dy
			x0 += sx
		}
		if e2 := 2 * e; e2 <= dx {
			e += dx
			y0 += sy
		}
	}
}

func absInt(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// rows renders the canvas, one string per cell row, colouring each run of
// cells by its series' style.
func (c *brailleCanvas) rows(styles []lipgloss.Style) []string {
	out := make([]string, c.h)
	var b, run strings.Builder
	for r := range c.h {
		b.Reset()
		cur := int8(-2)
		flush := func() {
			if run.Len() == 0 {
				return
			}
			if cur >= 0 && len(styles) > 0 {
				b.WriteString(styles[int(cur)%len(styles)].Render(run.String()))
			} else {
				b.WriteString(run.String())
			}
			run.Reset()
		}
		for col := range c.w {
			i := r*c.w + col
			if o := c.owner[i]; o != cur {
				flush()
				cur = o
			}
			if c.bits[i] == 0 {
				run.WriteByte(' ')
			} else {
				run.WriteRune(rune(0x2800 + int(c.bits[i])))
			}
		}
		flush()
		out[r] = b.String()
	}
	return out
}
