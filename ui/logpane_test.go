package ui

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/livefeed/livefeed/feed"
)

func logOf(p pane) *logPane { return p.(*logPane) }

func logEvents() []Item {
	return []Item{
		paneItem(1, "stocks", "quote", "101", `{"symbol":"ACME","price":12.5}`, paneAt(0)),
		paneItem(2, "news", "headline", "7", `{"title":"Rates hold"}`, paneAt(250*time.Millisecond)),
		paneItem(3, "sports", "goal", "", `{"team":"Arsenal","player":"Saka"}`, paneAt(time.Second)),
		paneItem(4, "news", "notification", "8", "line one\nline two\r\nthree", paneAt(1500*time.Millisecond)),
		paneItem(5, "stocks", "heartbeat", "102", "", paneAt(2*time.Second)),
	}
}

func TestParseLogFilter(t *testing.T) {
	tests := []struct {
		in   string
		want []filterTerm
	}{
		{"", nil},
		{"   ", nil},
		{"ACME", []filterTerm{{pattern: "acme"}}},
		{"feed:News type:quo*", []filterTerm{{field: "feed", pattern: "news"}, {field: "type", pattern: "quo*"}}},
		{"event:goal id:10?", []filterTerm{{field: "type", pattern: "goal"}, {field: "id", pattern: "10?"}}},
		{"-type:heartbeat -noise", []filterTerm{{field: "type", pattern: "heartbeat", neg: true}, {pattern: "noise", neg: true}}},
		{`"rates hold" feed:`, []filterTerm{{pattern: "rates hold"}}},
		{"-", []filterTerm{{pattern: "-"}}},
		// A table column term; where there is no such column it is the word "url:http://x".
		{"url:http://x", []filterTerm{{field: "col", column: "url", word: "url:http://x", pattern: "http://x"}}},
	}
	for _, tt := range tests {
		if got := parseLogFilter(tt.in).terms; !reflect.DeepEqual(got, tt.want) {
			t.Errorf("parseLogFilter(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func TestLogFilterMatch(t *testing.T) {
	items := logEvents()
	tests := []struct {
		filter string
		want   []uint64
	}{
		{"", []uint64{1, 2, 3, 4, 5}},
		{"acme", []uint64{1}},
		{"feed:news", []uint64{2, 4}},
		{"feed:NEWS type:head*", []uint64{2}},
		{"feed:news feed:sports", []uint64{2, 3, 4}},
		{"feed:s*", []uint64{1, 3, 5}},
		{"-type:heartbeat feed:stocks", []uint64{1}},
		{"line two", []uint64{4}},
		{`"line two"`, []uint64{4}},
		{"id:10?", []uint64{1, 5}},
		{"type:[", nil},
		{"rates -hold", nil},
		{"stocks", []uint64{1, 5}}, // words look at the feed name too
	}
	for _, tt := range tests {
		f := parseLogFilter(tt.filter)
		var got []uint64
		for _, it := range items {
			if f.empty() || f.match(&logEntry{it: it}) {
				got = append(got, it.Seq)
			}
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("filter %q matched %v, want %v", tt.filter, got, tt.want)
		}
	}
}

func TestLogFilterInput(t *testing.T) {
	p := withItems(paneTestPane(t, "raw"), logEvents())
	vs := viewState{Width: 70, Height: 9, Focused: true, Now: paneAt(0)}
	p.Render(vs)
	if p.Capturing() {
		t.Fatal("capturing before the filter key")
	}
	p.Update(panePress("/"))
	if !p.Capturing() {
		t.Fatal("the filter key opens the input")
	}
	p = paneType(p, "feed:news")
	if got := logOf(p).visible().Len(); got != 2 {
		t.Errorf("live preview shows %d events, want 2", got)
	}
	if v := ansi.Strip(p.Render(vs)); !strings.Contains(v, "/feed:news") {
		t.Errorf("the input is not on the bottom line:\n%s", v)
	}
	p.Update(panePress("q")) // a shortcut elsewhere, text here
	p.Update(panePress("backspace"))
	p.Update(panePress("enter"))
	if p.Capturing() || logOf(p).filter.raw != "feed:news" || logOf(p).visible().Len() != 2 {
		t.Fatalf("Enter keeps the filter: capturing %v, filter %q, %d shown", p.Capturing(), logOf(p).filter.raw, logOf(p).visible().Len())
	}
	if v := ansi.Strip(p.Render(vs)); !strings.Contains(v, "2 of 5 events") || !strings.Contains(v, "filter feed:news") {
		t.Errorf("the title shows the filter:\n%s", v)
	}
	// New events are filtered as they arrive.
	p.Add([]Item{paneItem(6, "news", "headline", "9", `{}`, paneAt(3*time.Second)), paneItem(7, "stocks", "quote", "", `{}`, paneAt(3*time.Second))})
	if got := logOf(p).visible().Len(); got != 3 {
		t.Errorf("%d shown after new events, want 3", got)
	}
	if it, _ := p.Selected(); it.Seq != 6 {
		t.Errorf("selected %d, want the newest match", it.Seq)
	}
	// Opening the input again starts from the filter; Esc clears it.
	p.Update(panePress("/"))
	if logOf(p).input.Value() != "feed:news" {
		t.Errorf("input holds %q", logOf(p).input.Value())
	}
	p.Update(panePress("esc"))
	if p.Capturing() || !logOf(p).filter.empty() || logOf(p).visible().Len() != p.Len() {
		t.Errorf("Esc clears the filter: capturing %v, filter %q", p.Capturing(), logOf(p).filter.raw)
	}
	// Esc outside the input clears an applied filter too.
	p.Update(panePress("/"))
	p = paneType(p, "goal")
	p.Update(panePress("enter"))
	p.Update(panePress("esc"))
	if !logOf(p).filter.empty() {
		t.Error("Esc after Enter must clear the filter")
	}
}

func TestLogFollowAndNewHint(t *testing.T) {
	p := withItems(paneWithMax(t, "raw", 100), logEvents())
	vs := viewState{Width: 80, Height: 5, Focused: true, Now: paneAt(0)}
	p.Render(vs)
	if it, _ := p.Selected(); it.Seq != 5 {
		t.Fatalf("following: selected %d, want the newest", it.Seq)
	}
	p.Update(panePress("up"))
	p.Update(panePress("up"))
	p.Add([]Item{paneItem(6, "news", "headline", "", "{}", paneAt(3*time.Second)), paneItem(7, "news", "headline", "", "{}", paneAt(3*time.Second))})
	if it, _ := p.Selected(); it.Seq != 3 {
		t.Errorf("scrolled up: selected %d, want 3", it.Seq)
	}
	v := ansi.Strip(p.Render(vs))
	if !strings.Contains(v, "↓ 2 new") {
		t.Errorf("no new-events hint:\n%s", v)
	}
	p.Update(panePress("end"))
	if it, _ := p.Selected(); it.Seq != 7 || strings.Contains(ansi.Strip(p.Render(vs)), "↓") {
		t.Errorf("End follows again: selected %d", it.Seq)
	}
	p.Update(panePress("home"))
	p.Update(panePress("pgdown"))
	if it, _ := p.Selected(); it.Seq != 4 {
		t.Errorf("page down from the top: selected %d, want 4", it.Seq)
	}
	for range 3 {
		p.Update(panePress("down"))
	}
	if !logOf(p).follow {
		t.Error("moving down to the newest follows again")
	}
}

func TestLogBoundKeepsSelection(t *testing.T) {
	p := paneTestPane(t, "raw") // max 6
	for i := range 6 {
		p.Add([]Item{paneItem(uint64(i+1), "f", "t", "", fmt.Sprint(i+1), paneAt(0))})
	}
	p.Render(viewState{Width: 80, Height: 10, Focused: true, Now: paneAt(0)})
	for range 3 {
		p.Update(panePress("up"))
	}
	p.Add([]Item{paneItem(7, "f", "t", "", "7", paneAt(0)), paneItem(8, "f", "t", "", "8", paneAt(0))})
	if p.Len() != 6 || p.Dropped() != 2 {
		t.Fatalf("Len %d, Dropped %d; want 6, 2", p.Len(), p.Dropped())
	}
	if it, _ := p.Selected(); it.Seq != 3 {
		t.Errorf("selected %d, want 3 (still there)", it.Seq)
	}
	p.Add([]Item{paneItem(9, "f", "t", "", "9", paneAt(0)), paneItem(10, "f", "t", "", "10", paneAt(0))})
	if it, _ := p.Selected(); it.Seq != 5 {
		t.Errorf("selected %d after its item left, want the oldest (5)", it.Seq)
	}
	p.Clear()
	if p.Len() != 0 || p.Dropped() != 0 {
		t.Error("Clear left events")
	}
	if _, ok := p.Selected(); ok {
		t.Error("an empty log selects nothing")
	}
}

func TestLogLineColumns(t *testing.T) {
	p := withItems(paneTestPane(t, "raw"), []Item{
		{Seq: 1, Feed: "a", Time: paneAt(0), Event: feed.Event{Type: "x", ID: "1", Data: "short"}},
		{Seq: 2, Feed: "longer-feed", Time: paneAt(time.Millisecond), Event: feed.Event{Type: "message", ID: "12345", Data: "tab\there"}},
	})
	v := ansi.Strip(p.Render(viewState{Width: 90, Height: 4, Now: paneAt(0)}))
	lines := strings.Split(v, "\n")
	want := []string{
		"09:26:53.000 a           x       1     short",
		"09:26:53.001 longer-feed message 12345 tab here",
	}
	for i, w := range want {
		if got := strings.TrimRight(paneBody(v, i), " "); got != w {
			t.Errorf("line %d:\n%q\nwant\n%q\n%s", i, got, w, strings.Join(lines, "\n"))
		}
	}
}

func TestLogGoldens(t *testing.T) {
	now := paneAt(3 * time.Second)
	scrolled := withItems(paneTestPane(t, "raw"), logEvents()[:3])
	scrolled.Render(viewState{Width: 80, Height: 6, Focused: true, Now: now})
	scrolled.Update(panePress("up"))
	scrolled.Add(logEvents()[3:])
	filtered := withItems(paneTestPane(t, "raw"), logEvents())
	filtered.Update(panePress("/"))
	filtered = paneType(filtered, "-feed:news")
	filtered.Update(panePress("enter"))
	editing := withItems(paneTestPane(t, "raw"), logEvents())
	editing.Render(viewState{Width: 80, Height: 8, Focused: true, Now: now})
	editing.Update(panePress("/"))
	editing = paneType(editing, "type:quote")
	nomatch := withItems(paneTestPane(t, "raw"), logEvents())
	nomatch.Update(panePress("/"))
	nomatch = paneType(nomatch, "zebra")
	nomatch.Update(panePress("enter"))
	dropped := withItems(paneTestPane(t, "raw"), logEvents(), logEvents()[:3])
	tests := []struct {
		name string
		p    pane
		vs   viewState
	}{
		{"log_empty", paneTestPane(t, "raw"), viewState{Width: 60, Height: 4, Now: now}},
		{"log_follow", withItems(paneTestPane(t, "raw"), logEvents()), viewState{Width: 80, Height: 8, Now: now}},
		{"log_follow_short", withItems(paneTestPane(t, "raw"), logEvents()), viewState{Width: 80, Height: 5, Focused: true, Now: now}},
		{"log_scrolled_new", scrolled, viewState{Width: 80, Height: 6, Focused: true, Now: now}},
		{"log_filtered", filtered, viewState{Width: 80, Height: 6, Focused: true, Now: now}},
		{"log_editing", editing, viewState{Width: 80, Height: 8, Focused: true, Now: now}},
		{"log_no_match", nomatch, viewState{Width: 80, Height: 5, Focused: true, Now: now}},
		{"log_dropped_note", dropped, viewState{Width: 100, Height: 9, Note: "paused · 3 new", Now: now}},
		{"log_dimmed", withItems(paneTestPane(t, "raw"), logEvents()), viewState{Width: 60, Height: 6, Dimmed: true, Note: "stale 9s", Now: now}},
		{"log_narrow", withItems(paneTestPane(t, "raw"), logEvents()), viewState{Width: 30, Height: 5, Now: now}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			viewGolden(t, tt.p.Render(tt.vs))
		})
	}
}

// Entries are made displayable only when drawn; the column widths still
// follow every event that arrived, drawn or not.
func TestLogPreparesOnlyWhatIsDrawn(t *testing.T) {
	p := paneWithMax(t, "raw", 100)
	for i := range 1000 {
		typ := "quote"
		if i == 10 {
			typ = "a-very-long-type" // evicted long before any View
		}
		p.Add([]Item{paneItem(uint64(i+1), "stocks", typ, fmt.Sprint(i), `{"n":1}`, paneAt(0))})
	}
	p.Render(viewState{Width: 100, Height: 7, Now: paneAt(0)})
	s := logOf(p)
	if len(s.drawn) != 5 {
		t.Errorf("%d entries prepared, want the 5 drawn", len(s.drawn))
	}
	for seq := range s.drawn {
		if seq <= 995 {
			t.Errorf("entry %d prepared, want only the 5 newest (996–1000)", seq)
		}
	}
	// Scrolling up one line prepares the one line that comes into view.
	p.Update(press("up"))
	p.Update(press("up"))
	p.Update(press("up"))
	p.Update(press("up"))
	p.Update(press("up"))
	p.Render(viewState{Width: 100, Height: 7, Now: paneAt(0)})
	if _, ok := s.drawn[995]; !ok || len(s.drawn) != 5 {
		t.Errorf("after scrolling up: prepared %v, want 995–999", s.drawn)
	}
	if s.wType != len("a-very-long-type") {
		t.Errorf("type column %d wide, want the widest type that arrived", s.wType)
	}
}

func TestOneLineWidthMatchesOneLine(t *testing.T) {
	for _, s := range []string{"", "quote", "x\ny", "tab\there", "\x1b[31mred", "ünïcode", "漢字", strings.Repeat("a", 300), strings.Repeat("é", 200)} {
		if got, want := oneLineWidth(s, maxCellBytes), cellWidth(oneLine(s, maxCellBytes)); got != want {
			t.Errorf("oneLineWidth(%q) = %d, want %d", s, got, want)
		}
	}
}

// TestLogWrapAndScroll: w wraps the selected line (and unwraps it), ←/→
// scroll the data of long lines.
func TestLogWrapAndScroll(t *testing.T) {
	long := `{"text":"` + strings.Repeat("abcdefghij", 12) + `","end":"TAIL"}`
	p := withItems(paneTestPane(t, "raw"), []Item{
		paneItem(1, "stocks", "quote", "", `{"short":1}`, paneAt(0)),
		paneItem(2, "stocks", "quote", "", long, paneAt(0)),
	})
	vs := viewState{Width: 60, Height: 8, Focused: true, Now: paneAt(0)}
	v := ansi.Strip(p.Render(vs))
	if strings.Contains(v, "TAIL") {
		t.Fatalf("the long line should be cut before wrapping:\n%s", v)
	}
	p.Update(panePress("w"))
	v = ansi.Strip(p.Render(vs))
	if !strings.Contains(v, "TAIL") || !strings.Contains(v, `{"short":1}`) {
		t.Errorf("w should wrap the selected line, keeping the others:\n%s", v)
	}
	paneCheckBox(t, "wrapped", p.Render(vs), 60, 8)
	p.Update(panePress("w"))
	if v := ansi.Strip(p.Render(vs)); strings.Contains(v, "TAIL") {
		t.Errorf("w again unwraps:\n%s", v)
	}
	for range 15 {
		p.Update(panePress("l"))
	}
	v = ansi.Strip(p.Render(vs))
	if !strings.Contains(v, "TAIL") || strings.Contains(v, `{"text"`) || !strings.Contains(v, "← 120") {
		t.Errorf("→ scrolls the data left, and the footer says by how much:\n%s", v)
	}
	for range 20 {
		p.Update(panePress("h"))
	}
	if v := ansi.Strip(p.Render(vs)); !strings.Contains(v, `{"text"`) {
		t.Errorf("← scrolls back:\n%s", v)
	}
}

// Adding a batch larger than max skips storing what would be evicted
// before the batch ends; the pane must end up exactly as if every item had
// been added one by one: same entries, drop count, column widths, scroll
// position and "new" count.
func TestLogAddOfABigBatchEqualsOneByOne(t *testing.T) {
	mk := func(n, from int) []Item {
		items := make([]Item, n)
		for i := range items {
			typ := "quote"
			if (from+i)%97 == 0 {
				typ = "a-rather-long-type" // widens the type column, then is skipped
			}
			items[i] = paneItem(uint64(from+i+1), "stocks", typ, fmt.Sprint(from+i), `{"n":1}`, paneAt(0))
		}
		return items
	}
	for _, tt := range []struct {
		name     string
		max, n   int
		scrolled bool
	}{
		{"below max", 50, 30, false},
		{"twice max", 50, 100, false},
		{"far over max", 10, 1000, false},
		{"far over max, scrolled up", 10, 1000, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			batch, single := paneWithMax(t, "raw", tt.max), paneWithMax(t, "raw", tt.max)
			for _, p := range []pane{batch, single} {
				p.Add(mk(tt.max, 0))
				p.Render(viewState{Width: 100, Height: 7, Now: paneAt(0)})
				if tt.scrolled {
					p.Update(press("up"))
					p.Update(press("up"))
				}
			}
			items := mk(tt.n, tt.max)
			batch.Add(items)
			for i := range items {
				single.Add(items[i : i+1])
			}
			b, s := logOf(batch), logOf(single)
			if b.all.Len() != s.all.Len() || b.dropped != s.dropped || b.bytes != s.bytes {
				t.Fatalf("batch: %d held, %d dropped, %d bytes; one by one: %d, %d, %d", b.all.Len(), b.dropped, b.bytes, s.all.Len(), s.dropped, s.bytes)
			}
			for i := range b.all.Len() {
				if b.all.At(i).it.Seq != s.all.At(i).it.Seq {
					t.Fatalf("entry %d: seq %d, want %d", i, b.all.At(i).it.Seq, s.all.At(i).it.Seq)
				}
			}
			if b.wFeed != s.wFeed || b.wType != s.wType || b.wID != s.wID || b.sel != s.sel || b.top != s.top || b.newSince != s.newSince || b.follow != s.follow {
				t.Errorf("batch: widths %d/%d/%d sel %d top %d new %d follow %v; one by one: %d/%d/%d sel %d top %d new %d follow %v",
					b.wFeed, b.wType, b.wID, b.sel, b.top, b.newSince, b.follow, s.wFeed, s.wType, s.wID, s.sel, s.top, s.newSince, s.follow)
			}
			vs := viewState{Width: 100, Height: 7, Now: paneAt(0)}
			if got, want := batch.Render(vs), single.Render(vs); got != want {
				t.Errorf("batch renders\n%s\none by one\n%s", got, want)
			}
		})
	}
}

// A large ring grows by a quarter, not by doubling: a pane bounded by bytes
// rather than by max: holds little slack.
func TestRingGrowsByAQuarterWhenLarge(t *testing.T) {
	var r boundedRing[int]
	const n = 40_000
	for i := range n {
		r.Push(i, 1_000_000)
	}
	if c := cap(r.buf); c > n+n/4 {
		t.Errorf("capacity %d for %d elements, want ≤ %d", c, n, n+n/4)
	}
	for i := range n {
		if r.At(i) != i {
			t.Fatalf("element %d = %d", i, r.At(i))
		}
	}
	// Evicting at the limit keeps order across the wrap.
	var small boundedRing[int]
	for i := range 10 {
		small.Push(i, 4)
	}
	for i := range 4 {
		if small.At(i) != 6+i {
			t.Errorf("small ring element %d = %d, want %d", i, small.At(i), 6+i)
		}
	}
}
