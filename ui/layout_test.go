package ui

import (
	"fmt"
	"slices"
	"testing"

	"github.com/livefeed/livefeed/config"
)

// The demo layout: a ticker row, then [prices: 3, scores: 2] with weight 3
// and min_height 8, then [alerts: 3, raw: 2].
func demoLayout() (config.Layout, func(string) bool) {
	l := config.Layout{Rows: []config.Row{
		{Cells: []config.Cell{{Pane: "headlines", Weight: 1}}, Weight: 1},
		{Cells: []config.Cell{{Pane: "prices", Weight: 3}, {Pane: "scores", Weight: 2}}, Weight: 3, MinHeight: 8},
		{Cells: []config.Cell{{Pane: "alerts", Weight: 3}, {Pane: "raw", Weight: 2}}, Weight: 1},
	}}
	return l, func(id string) bool { return id == "headlines" }
}

// checkLayout verifies what must hold at any size: boxes inside the area, no
// overlaps, rows stacked without gaps from the top, cells of a row filling
// its width, and every pane either placed once or listed as hidden.
func checkLayout(t *testing.T, l config.Layout, got screenLayout, area rect) {
	t.Helper()
	y := area.Y
	seen := map[string]int{}
	for _, r := range got.Rows {
		if r.Y != y {
			t.Errorf("row at y=%d, want %d (rows must stack)", r.Y, y)
		}
		if r.H <= 0 {
			t.Errorf("row at y=%d has height %d", r.Y, r.H)
		}
		if r.Collapsed && r.H != 1 {
			t.Errorf("collapsed row at y=%d has height %d, want 1", r.Y, r.H)
		}
		x := area.X
		for _, c := range r.Cells {
			seen[c.Pane]++
			if c.X != x || c.Y != r.Y || c.H != r.H || c.W <= 0 {
				t.Errorf("cell %s = %+v, want x=%d y=%d h=%d w>0", c.Pane, c.rect, x, r.Y, r.H)
			}
			x += c.W
		}
		if len(r.Cells) > 0 && x != area.X+area.W {
			t.Errorf("row at y=%d covers %d columns, want %d", r.Y, x-area.X, area.W)
		}
		y += r.H
	}
	if y > area.Y+area.H {
		t.Errorf("rows end at y=%d, beyond the area's %d", y, area.Y+area.H)
	}
	for _, id := range got.Hidden {
		seen[id]++
	}
	for _, r := range l.Rows {
		for _, c := range r.Cells {
			if seen[c.Pane] != 1 {
				t.Errorf("pane %s placed or hidden %d times, want once", c.Pane, seen[c.Pane])
			}
		}
	}
}

func TestLayoutInvariantsAtManySizes(t *testing.T) {
	demo, demoTicker := demoLayout()
	wide := config.Layout{Rows: []config.Row{
		{Cells: []config.Cell{{Pane: "a", Weight: 1, MinWidth: 40}, {Pane: "b", Weight: 1, MinWidth: 40}, {Pane: "c", Weight: 5}, {Pane: "d", Weight: 1}}, Weight: 1},
		{Cells: []config.Cell{{Pane: "e"}}, Weight: 2, MinHeight: 30},
	}}
	tickers := config.Layout{Rows: []config.Row{
		{Cells: []config.Cell{{Pane: "t1", Weight: 1}, {Pane: "t2", Weight: 1}}},
		{Cells: []config.Cell{{Pane: "t3", Weight: 1}}},
	}}
	allTickers := func(string) bool { return true }
	none := func(string) bool { return false }
	for _, tc := range []struct {
		name   string
		l      config.Layout
		ticker func(string) bool
	}{{"demo", demo, demoTicker}, {"wide", wide, none}, {"tickers", tickers, allTickers}, {"empty", config.Layout{}, none}} {
		for _, w := range []int{0, 1, 5, 15, 16, 20, 31, 40, 79, 80, 81, 100, 120, 200, 333} {
			for _, h := range []int{0, 1, 2, 3, 4, 6, 7, 9, 12, 17, 20, 24, 36, 60, 100} {
				area := rect{X: 0, Y: 1, W: w, H: h}
				t.Run(fmt.Sprintf("%s/%dx%d", tc.name, w, h), func(t *testing.T) {
					got := computeLayout(tc.l, tc.ticker, area)
					checkLayout(t, tc.l, got, area)
				})
			}
		}
	}
}

func TestLayoutDemoSizes(t *testing.T) {
	l, ticker := demoLayout()
	type box struct {
		pane       string
		x, y, w, h int
	}
	for _, tc := range []struct {
		w, h      int
		want      []box
		collapsed []bool
		hidden    []string
	}{
		{
			// 80×24 leaves 20 lines for panes after header, bar (2) and status.
			w: 80, h: 20,
			want: []box{
				{"headlines", 0, 0, 80, 3},
				{"prices", 0, 3, 48, 13}, {"scores", 48, 3, 32, 13},
				{"alerts", 0, 16, 48, 4}, {"raw", 48, 16, 32, 4},
			},
			collapsed: []bool{false, false, false},
		},
		{
			// 120×36: 33 lines.
			w: 120, h: 33,
			want: []box{
				{"headlines", 0, 0, 120, 3},
				{"prices", 0, 3, 72, 23}, {"scores", 72, 3, 48, 23},
				{"alerts", 0, 26, 72, 7}, {"raw", 72, 26, 48, 7},
			},
			collapsed: []bool{false, false, false},
		},
		{
			// Too short for min_height 8: the minimum gives way first.
			w: 80, h: 10,
			want: []box{
				{"headlines", 0, 0, 80, 3},
				{"prices", 0, 3, 48, 4}, {"scores", 48, 3, 32, 4},
				{"alerts", 0, 7, 48, 3}, {"raw", 48, 7, 32, 3},
			},
			collapsed: []bool{false, false, false},
		},
		{
			// Then the lightest rows shrink to a title line, bottom first.
			w: 80, h: 7,
			want: []box{
				{"headlines", 0, 0, 80, 3},
				{"prices", 0, 3, 48, 3}, {"scores", 48, 3, 32, 3},
				{"alerts", 0, 6, 48, 1}, {"raw", 48, 6, 32, 1},
			},
			collapsed: []bool{false, false, true},
		},
		{
			w: 80, h: 5,
			want: []box{
				{"headlines", 0, 0, 80, 1},
				{"prices", 0, 1, 48, 3}, {"scores", 48, 1, 32, 3},
				{"alerts", 0, 4, 48, 1}, {"raw", 48, 4, 32, 1},
			},
			collapsed: []bool{true, false, true},
		},
		{
			// Finally rows are hidden from the bottom.
			w: 80, h: 2,
			want: []box{
				{"headlines", 0, 0, 80, 1},
				{"prices", 0, 1, 48, 1}, {"scores", 48, 1, 32, 1},
			},
			collapsed: []bool{true, true},
			hidden:    []string{"alerts", "raw"},
		},
		{
			// Narrow: the lighter pane of each row is hidden.
			w: 20, h: 20,
			want: []box{
				{"headlines", 0, 0, 20, 3},
				{"prices", 0, 3, 20, 13},
				{"alerts", 0, 16, 20, 4},
			},
			collapsed: []bool{false, false, false},
			hidden:    []string{"scores", "raw"},
		},
	} {
		t.Run(fmt.Sprintf("%dx%d", tc.w, tc.h), func(t *testing.T) {
			area := rect{W: tc.w, H: tc.h}
			got := computeLayout(l, ticker, area)
			checkLayout(t, l, got, area)
			var boxes []box
			var collapsed []bool
			for _, r := range got.Rows {
				collapsed = append(collapsed, r.Collapsed)
				for _, c := range r.Cells {
					boxes = append(boxes, box{c.Pane, c.X, c.Y, c.W, c.H})
				}
			}
			if !slices.Equal(boxes, tc.want) {
				t.Errorf("boxes:\n got %v\nwant %v", boxes, tc.want)
			}
			if !slices.Equal(collapsed, tc.collapsed) {
				t.Errorf("collapsed = %v, want %v", collapsed, tc.collapsed)
			}
			if !slices.Equal(got.Hidden, tc.hidden) {
				t.Errorf("hidden = %v, want %v", got.Hidden, tc.hidden)
			}
		})
	}
}

func TestLayoutMinimumsAndWeights(t *testing.T) {
	l := config.Layout{Rows: []config.Row{
		{Cells: []config.Cell{{Pane: "a", Weight: 1, MinWidth: 50}, {Pane: "b", Weight: 3}}, Weight: 1, MinHeight: 15},
		{Cells: []config.Cell{{Pane: "c"}}, Weight: 4},
	}}
	got := computeLayout(l, func(string) bool { return false }, rect{W: 100, H: 30})
	if h := got.Rows[0].H; h != 15 {
		t.Errorf("row 1 height = %d, want its min_height 15 (weight alone gives 6)", h)
	}
	if h := got.Rows[1].H; h != 15 {
		t.Errorf("row 2 height = %d, want the remaining 15", h)
	}
	if w := got.Rows[0].Cells[0].W; w != 50 {
		t.Errorf("pane a width = %d, want its min_width 50", w)
	}
	if w := got.Rows[0].Cells[1].W; w != 50 {
		t.Errorf("pane b width = %d, want 50", w)
	}
}

func TestLayoutTickerRowsTakeThreeLines(t *testing.T) {
	l := config.Layout{Rows: []config.Row{
		{Cells: []config.Cell{{Pane: "t1", Weight: 1}, {Pane: "t2", Weight: 1}}, Weight: 5},
		{Cells: []config.Cell{{Pane: "log"}}, Weight: 1},
		{Cells: []config.Cell{{Pane: "t3", Weight: 1}}, Weight: 5},
	}}
	got := computeLayout(l, func(id string) bool { return id != "log" }, rect{W: 90, H: 40})
	heights := []int{got.Rows[0].H, got.Rows[1].H, got.Rows[2].H}
	if !slices.Equal(heights, []int{3, 34, 3}) {
		t.Errorf("heights = %v, want [3 34 3]", heights)
	}
}

func TestShareAddsUp(t *testing.T) {
	for _, tc := range []struct {
		total         int
		weights, mins []int
		want          []int
	}{
		{10, []int{1, 1, 1}, []int{0, 0, 0}, []int{4, 3, 3}},
		{100, []int{3, 2}, []int{16, 16}, []int{60, 40}},
		{20, []int{1, 10}, []int{8, 3}, []int{8, 12}},
		{7, []int{1}, []int{3}, []int{7}},
		{0, []int{}, []int{}, []int{}},
	} {
		got := share(tc.total, tc.weights, tc.mins)
		if !slices.Equal(got, tc.want) {
			t.Errorf("share(%d, %v, %v) = %v, want %v", tc.total, tc.weights, tc.mins, got, tc.want)
		}
	}
}
