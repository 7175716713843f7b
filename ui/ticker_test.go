package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
)

// paneWithMax is a test pane with its bound changed.
func paneWithMax(t *testing.T, id string, limit int) pane {
	t.Helper()
	cfg, st, km := paneTestSetup(t)
	p := *cfg.Pane(id)
	p.Max = limit
	return newPane(&p, st, km)
}

// paneBody is the stripped text inside the border of a view's line i (0 is
// the first line below the top border).
func paneBody(view string, i int) string {
	lines := strings.Split(ansi.Strip(view), "\n")
	if i+1 >= len(lines)-1 {
		return ""
	}
	l := []rune(lines[i+1])
	return string(l[2 : len(l)-2])
}

func tickerHeadline(seq uint64, id, source, title string, when time.Time) Item {
	return paneItem(seq, "news", "headline", id, fmt.Sprintf(`{"source":%q,"title":%q}`, source, title), when)
}

func TestTickerDedup(t *testing.T) {
	tests := []struct {
		name  string
		items []Item
		want  int
	}{
		{"same feed, id and text", []Item{tickerHeadline(1, "7", "A", "x", paneAt(0)), tickerHeadline(2, "7", "A", "x", paneAt(time.Second))}, 1},
		{"same id, new text", []Item{tickerHeadline(1, "7", "A", "x", paneAt(0)), tickerHeadline(2, "7", "A", "y", paneAt(0))}, 2},
		{"no id, same text", []Item{tickerHeadline(1, "", "A", "x", paneAt(0)), tickerHeadline(2, "", "A", "x", paneAt(0))}, 1},
		{"no id, new text", []Item{tickerHeadline(1, "", "A", "x", paneAt(0)), tickerHeadline(2, "", "A", "y", paneAt(0))}, 2},
		{"same id on another feed", []Item{tickerHeadline(1, "7", "A", "x", paneAt(0)), func() Item {
			it := tickerHeadline(2, "7", "A", "x", paneAt(0))
			it.Feed = "wire"
			return it
		}()}, 2},
		{"replay after others", []Item{
			tickerHeadline(1, "1", "A", "one", paneAt(0)), tickerHeadline(2, "2", "A", "two", paneAt(0)), tickerHeadline(3, "3", "A", "three", paneAt(0)),
			tickerHeadline(4, "1", "A", "one", paneAt(0)), tickerHeadline(5, "2", "A", "two", paneAt(0)),
		}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := withItems(paneTestPane(t, "heads"), tt.items)
			if p.Len() != tt.want || p.Dropped() != 0 {
				t.Errorf("Len %d, Dropped %d; want %d, 0", p.Len(), p.Dropped(), tt.want)
			}
		})
	}
}

func TestTickerBoundAndClear(t *testing.T) {
	p := paneWithMax(t, "heads", 3)
	for i := range 5 {
		p.Add([]Item{tickerHeadline(uint64(i+1), fmt.Sprint(i+1), "A", fmt.Sprintf("story %d", i+1), paneAt(time.Duration(i)*time.Second))})
	}
	if p.Len() != 3 || p.Dropped() != 2 {
		t.Fatalf("Len %d, Dropped %d; want 3, 2", p.Len(), p.Dropped())
	}
	if got := paneBody(p.Render(viewState{Width: 80, Height: 3, Now: paneAt(5 * time.Second)}), 0); !strings.HasPrefix(got, "A: story 3 ◆ A: story 4 ◆ A: story 5") {
		t.Errorf("queue after dropping the oldest: %q", got)
	}
	p.Clear()
	if p.Len() != 0 || p.Dropped() != 0 {
		t.Fatalf("after Clear: Len %d, Dropped %d", p.Len(), p.Dropped())
	}
	p.Add([]Item{tickerHeadline(9, "5", "A", "story 5", paneAt(9*time.Second))})
	if p.Len() != 1 {
		t.Error("Clear must forget what was seen, so a story can come back")
	}
}

func tickerLongHeadlines() []Item {
	return []Item{
		tickerHeadline(1, "1", "Wire", "Central bank holds rates, signals cuts", paneAt(0)),
		tickerHeadline(2, "2", "Daily", "Storm season starts early on the coast", paneAt(0)),
		tickerHeadline(3, "3", "Post", "Chess prodigy wins the national final", paneAt(0)),
	}
}

func TestTickerScrollsWithTime(t *testing.T) {
	p := withItems(paneTestPane(t, "heads"), tickerLongHeadlines())
	view := func(d time.Duration) string {
		return paneBody(p.Render(viewState{Width: 40, Height: 3, Now: paneAt(d)}), 0)
	}
	l0, l1 := view(0), view(time.Second)
	if !strings.HasPrefix(l0, "Wire: Central bank") {
		t.Fatalf("the strip starts with the first item: %q", l0)
	}
	if l1[:36-tickerSpeed] != l0[tickerSpeed:] {
		t.Errorf("one second moves the line %d cells:\n%q\n%q", tickerSpeed, l0, l1)
	}
	if view(time.Second) != l1 {
		t.Error("the view must be a function of Now")
	}
	// After a whole cycle of the strip the line is back where it began.
	strip := 0
	for _, it := range tickerLongHeadlines() {
		strip += ansi.StringWidth(p.(*tickerPane).texter.text(it)) + ansi.StringWidth(tickerSep)
	}
	if strip != 141 {
		t.Fatalf("strip of %d cells", strip)
	}
	cycle := time.Duration(strip) * time.Second / tickerSpeed
	if got := view(cycle); got != l0 {
		t.Errorf("after a cycle: %q, want %q", got, l0)
	}
	// In the gap between the last item and the first.
	if got := view(cycle - 2*time.Second); !strings.Contains(got, "final ◆ Wire: Central") {
		t.Errorf("the strip wraps around: %q", got)
	}
}

func TestTickerStaysSmoothWhenItemsComeAndGo(t *testing.T) {
	p := withItems(paneWithMax(t, "heads", 3), tickerLongHeadlines())
	now := paneAt(6 * time.Second) // 48 cells in: inside the second item
	vs := viewState{Width: 40, Height: 3, Now: now}
	before := paneBody(p.Render(vs), 0)
	p.Add([]Item{tickerHeadline(4, "4", "Herald", "Local team promoted after late winner", now)})
	if p.Dropped() != 1 {
		t.Fatalf("Dropped %d, want 1", p.Dropped())
	}
	if after := paneBody(p.Render(vs), 0); after != before {
		t.Errorf("adding an item and dropping one off screen moved the line:\n%q\n%q", before, after)
	}
	later := paneBody(p.Render(viewState{Width: 40, Height: 3, Now: now.Add(time.Second)}), 0)
	if later[:36-tickerSpeed] != before[tickerSpeed:] {
		t.Errorf("scrolling goes on after the change:\n%q\n%q", before, later)
	}
	if it, ok := p.Selected(); !ok || it.Seq != 2 {
		t.Errorf("Selected = %d, want the item at the left edge (2)", it.Seq)
	}
}

func TestTickerGoldens(t *testing.T) {
	now := paneAt(3 * time.Second)
	short := []Item{tickerHeadline(1, "1", "Wire", "Rates hold", paneAt(0)), tickerHeadline(2, "2", "Post", "Chess final", paneAt(0))}
	dropped := withItems(paneWithMax(t, "heads", 2), tickerLongHeadlines())
	tests := []struct {
		name string
		p    pane
		vs   viewState
	}{
		{"ticker_empty", paneTestPane(t, "heads"), viewState{Width: 50, Height: 3, Now: now}},
		{"ticker_static", withItems(paneTestPane(t, "heads"), short), viewState{Width: 50, Height: 3, Now: now}},
		{"ticker_scroll_0s", withItems(paneTestPane(t, "heads"), tickerLongHeadlines()), viewState{Width: 50, Height: 3, Now: paneAt(0)}},
		{"ticker_scroll_3s_focused", withItems(paneTestPane(t, "heads"), tickerLongHeadlines()), viewState{Width: 50, Height: 3, Focused: true, Now: now}},
		{"ticker_dimmed_note", withItems(paneTestPane(t, "heads"), tickerLongHeadlines()), viewState{Width: 50, Height: 3, Dimmed: true, Note: "stale 12s", Now: now}},
		{"ticker_dropped_note", dropped, viewState{Width: 60, Height: 3, Note: "paused · 3 new", Now: now}},
		{"ticker_one_line", withItems(paneTestPane(t, "heads"), tickerLongHeadlines()), viewState{Width: 30, Height: 1, Now: now}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			viewGolden(t, tt.p.Render(tt.vs))
		})
	}
}
