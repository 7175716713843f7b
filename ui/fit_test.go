package ui

import (
	"fmt"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/livefeed/livefeed/config"
	"github.com/livefeed/livefeed/feed"
)

func TestSettleWant(t *testing.T) {
	tests := []struct {
		name           string
		old, want, got paneWant
		had            bool
	}{
		{"first size is taken", paneWant{}, paneWant{H: 9, W: 40}, paneWant{H: 9, W: 40}, false},
		{"grows at once", paneWant{H: 9, W: 40}, paneWant{H: 10, W: 41}, paneWant{H: 10, W: 41}, true},
		{"one row less keeps the box", paneWant{H: 10, W: 40}, paneWant{H: 9, W: 40}, paneWant{H: 10, W: 40}, true},
		{"two rows less keep it too", paneWant{H: 10, W: 40}, paneWant{H: 8, W: 40}, paneWant{H: 10, W: 40}, true},
		{"three rows less shrink", paneWant{H: 10, W: 40}, paneWant{H: 7, W: 40}, paneWant{H: 7, W: 40}, true},
		{"a few columns less keep the width", paneWant{H: 10, W: 40}, paneWant{H: 10, W: 37}, paneWant{H: 10, W: 40}, true},
		{"any size wins", paneWant{H: 10, W: 40}, paneWant{}, paneWant{}, true},
		{"a core a few columns narrower keeps its width", paneWant{W: 60, Core: 40, Long: 2}, paneWant{W: 60, Core: 37, Long: 2}, paneWant{W: 60, Core: 40, Long: 2}, true},
		{"one cut line more or less is no change", paneWant{W: 60, Core: 40, Long: 2}, paneWant{W: 60, Core: 40, Long: 3}, paneWant{W: 60, Core: 40, Long: 2}, true},
		{"two cut lines more are", paneWant{W: 60, Core: 40, Long: 2}, paneWant{W: 60, Core: 40, Long: 4}, paneWant{W: 60, Core: 40, Long: 4}, true},
		{"cut lines follow a change of size", paneWant{W: 60, Core: 40, Long: 2}, paneWant{W: 66, Core: 40, Long: 3}, paneWant{W: 66, Core: 40, Long: 3}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := settleWant(tt.old, tt.want, tt.had); got != tt.got {
				t.Errorf("settleWant(%v, %v) = %v, want %v", tt.old, tt.want, got, tt.got)
			}
		})
	}
}

// TestLayoutNoFlipFlop runs 100 frames of changing data through the
// model: rows come and go (a table's rows flicker between n and n+1 as a
// filter lets one in and out, a list fills up). Box sizes may change only
// once per layoutHold, and never back and forth by one line.
func TestLayoutNoFlipFlop(t *testing.T) {
	now := testNow
	m := New(Options{Config: demoConfig(t), Clock: func() time.Time { return now }, Start: now})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 36})
	m.Update(batchMsg{batches: []feed.Batch{status("stocks", feed.Open), status("sports", feed.Open), status("news", feed.Open)}})
	prices := m.slots[m.byID["prices"]]
	prices.p.Update(focusMsg{focused: true})
	syms := []string{"AAPL", "MSFT", "NVDA", "TSLA", "AMZN", "META", "GOOGL", "JPM"}
	type size struct{ h, w int }
	var history map[string][]size = map[string][]size{}
	var changes map[string][]time.Time = map[string][]time.Time{}
	for f := range 100 {
		now = now.Add(100 * time.Millisecond)
		var evs []feed.Event
		for i := range 1 + f/12 {
			evs = append(evs, quote(f*10+i, syms[i%len(syms)], 100+float64(f), float64(f%3)-1, 0.1, 1000))
		}
		// A filter that matches one symbol on odd frames only: the table's
		// row count flickers between two values.
		t := prices.p.(*tablePane)
		if f%2 == 0 {
			t.filter = parseLogFilter("")
		} else {
			t.filter = parseLogFilter("-AAPL")
		}
		m.Update(batchMsg{batches: []feed.Batch{
			events("stocks", now, evs...),
			events("news", now, jsonEvent("notification", fmt.Sprint(f), map[string]any{"level": "info", "title": "n", "body": fmt.Sprint(f)})),
		}})
		m.Update(tickMsg(now))
		for _, b := range m.boxes() {
			s := size{b.H, b.W}
			h := history[b.Pane]
			if len(h) == 0 || h[len(h)-1] != s {
				history[b.Pane] = append(h, s)
				changes[b.Pane] = append(changes[b.Pane], now)
			}
		}
	}
	for id, h := range history {
		at := changes[id]
		for i := 2; i < len(at); i++ {
			if at[i].Sub(at[i-1]) < layoutHold {
				t.Errorf("%s changed size twice within %v: %v", id, layoutHold, h)
				break
			}
		}
		for i := 2; i < len(h); i++ {
			if h[i] == h[i-2] && abs(h[i].h-h[i-1].h) <= 1 && abs(h[i].w-h[i-1].w) <= 1 {
				t.Errorf("%s flip-flops: %v", id, h)
				break
			}
		}
		if len(h) > 1+int(10*time.Second/layoutHold)+1 {
			t.Errorf("%s changed size %d times in 10 s: %v", id, len(h)-1, h)
		}
	}
	if len(history["prices"]) < 2 {
		t.Errorf("the table never followed its content: %v", history["prices"])
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func TestShareWidths(t *testing.T) {
	list := func(w, core, long int) paneWant { return paneWant{W: w, Core: core, Long: long} }
	logOf := func(w, lines int) paneWant { return paneWant{W: w, Core: min(w, 40), Long: lines, Greedy: true} }
	tests := []struct {
		name          string
		width, lines  int
		weights, mins []int
		wants         []paneWant
		want          []int
	}{
		{
			// The demo's bottom row: a list of short items beside a log of
			// long lines leaves the log all the rest, whatever the weights.
			name: "short list beside a log", width: 120, lines: 12,
			weights: []int{3, 2}, mins: []int{16, 16},
			wants: []paneWant{list(46, 46, 0), logOf(150, 20)},
			want:  []int{46, 74},
		},
		{
			// A few cut items do not take the log's columns: the list
			// keeps the width that shows half its items.
			name: "a list with two long items", width: 120, lines: 12,
			weights: []int{3, 2}, mins: []int{16, 16},
			wants: []paneWant{list(77, 46, 2), logOf(150, 20)},
			want:  []int{46, 74},
		},
		{
			// A list whose every line is cut is as hungry as the log: the
			// weights split the row.
			name: "a list of long items", width: 120, lines: 12,
			weights: []int{3, 2}, mins: []int{16, 16},
			wants: []paneWant{list(100, 46, 12), logOf(150, 20)},
			want:  []int{72, 48},
		},
		{
			// On a wide screen a list a few columns short of whole gets
			// them: the log stays cut anyway.
			name: "cheap rest on a wide screen", width: 200, lines: 30,
			weights: []int{3, 2}, mins: []int{16, 16},
			wants: []paneWant{list(66, 55, 3), logOf(170, 20)},
			want:  []int{66, 134},
		},
		{
			name: "a log of short lines leaves the rest by weight", width: 120, lines: 20,
			weights: []int{3, 2}, mins: []int{16, 16},
			wants: []paneWant{list(52, 44, 1), logOf(56, 1)},
			want:  []int{52 + 7, 56 + 5},
		},
		{
			// Nothing known about content: the weights alone, as before.
			name: "no content sizes", width: 120, lines: 10,
			weights: []int{3, 2}, mins: []int{16, 16},
			wants: []paneWant{{}, {}},
			want:  []int{72, 48},
		},
		{
			// Two tables that do not fit: by weight × ask, neither beyond
			// its ask, so no table is left blank past its columns.
			name: "tables too wide for the row", width: 120, lines: 14,
			weights: []int{3, 2}, mins: []int{16, 16},
			wants: []paneWant{{W: 76, Core: 70, Long: 12}, {W: 60, Core: 55, Long: 4}},
			want:  []int{70, 50},
		},
		{
			name: "tables that fit share the rest by weight", width: 120, lines: 14,
			weights: []int{3, 2}, mins: []int{16, 16},
			wants: []paneWant{{W: 60, Core: 55, Long: 12}, {W: 50, Core: 46, Long: 4}},
			want:  []int{66, 54},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := shareWidths(tt.width, tt.lines, tt.weights, tt.mins, tt.wants)
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("shareWidths = %v, want %v", got, tt.want)
			}
			if sum(got) != tt.width {
				t.Errorf("widths %v add up to %d, want %d", got, sum(got), tt.width)
			}
		})
	}
}

// TestWidthsFollowContent plays the demo traffic at 120×36 for 100 frames
// (a batch every 100 ms, the six seconds of demoTraffic over and over): the
// log is wider than the alerts list, whose items are short (goals only, or
// goals and the first four notifications, of up to 51 characters: a list
// of mostly short items does not take the log's width for a few long
// ones), and no box changes size more often than once per layoutHold or
// back and forth by a cell or a line.
func TestWidthsFollowContent(t *testing.T) {
	for _, tc := range []struct {
		name          string
		notifications bool
	}{{"goals only", false}, {"goals and a few notifications", true}} {
		t.Run(tc.name, func(t *testing.T) {
			t0 := testNow
			now := t0
			cfg := parseConfig(t, "demo.yaml", string(config.DefaultYAML()))
			m := New(Options{Config: cfg, Clock: func() time.Time { return now }, Start: t0.Add(-time.Second)})
			m.Update(tea.WindowSizeMsg{Width: 120, Height: 36})
			type size struct{ h, w int }
			history := map[string][]size{}
			changes := map[string][]time.Time{}
			traffic := demoTraffic(t0)
			for f := range 100 {
				now = t0.Add(time.Duration(f) * 100 * time.Millisecond)
				b := traffic[f%len(traffic)]
				var msg batchMsg
				for _, fb := range b.batches {
					var evs []feed.Event
					for _, e := range fb.Events {
						if e.Type != "notification" || tc.notifications && f < len(traffic) {
							evs = append(evs, e)
						}
					}
					if fb.Status == nil {
						fb.Time, fb.Events = now, evs
					}
					msg.batches = append(msg.batches, fb)
				}
				m.Update(msg)
				m.Update(tickMsg(now))
				for _, bx := range m.boxes() {
					s := size{bx.H, bx.W}
					h := history[bx.Pane]
					if len(h) == 0 || h[len(h)-1] != s {
						history[bx.Pane] = append(h, s)
						changes[bx.Pane] = append(changes[bx.Pane], now)
					}
				}
			}
			for id, h := range history {
				at := changes[id]
				for i := 2; i < len(at); i++ {
					if at[i].Sub(at[i-1]) < layoutHold {
						t.Errorf("%s changed size twice within %v: %v at %v", id, layoutHold, h, at)
						break
					}
				}
				for i := 2; i < len(h); i++ {
					if h[i] == h[i-2] && abs(h[i].h-h[i-1].h) <= 1 && abs(h[i].w-h[i-1].w) <= 1 {
						t.Errorf("%s flip-flops: %v", id, h)
						break
					}
				}
			}
			width := map[string]int{}
			for _, bx := range m.boxes() {
				width[bx.Pane] = bx.W
			}
			if width["raw"] <= width["alerts"] {
				t.Errorf("the log is %d wide beside a list of short items %d wide, want it wider:\n%s", width["raw"], width["alerts"], screen(m))
			}
			if width["alerts"] < 30 {
				t.Errorf("the alerts list is %d wide, too narrow for its items:\n%s", width["alerts"], screen(m))
			}
		})
	}
}
