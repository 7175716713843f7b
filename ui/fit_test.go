package ui

import (
	"fmt"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

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
