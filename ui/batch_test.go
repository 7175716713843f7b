package ui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/livefeed/livefeed/feed"
	"github.com/livefeed/livefeed/live"
)

func teaSize(w, h int) tea.WindowSizeMsg { return tea.WindowSizeMsg{Width: w, Height: h} }

// runCmds runs a command and the commands it batches, abandoning any that
// wait (ticks) after a moment.
func runCmds(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	ch := make(chan tea.Msg, 1)
	go func() { ch <- cmd() }()
	select {
	case msg := <-ch:
		if b, ok := msg.(tea.BatchMsg); ok {
			for _, c := range b {
				runCmds(c)
			}
		}
	case <-time.After(300 * time.Millisecond):
	}
}

// Under a firehose events are applied as they come (every ingest interval)
// but drawn at the data frame pace; a tick redraws only the panes not drawn
// for an interval; once the feeds pause, the last data is drawn and every
// tick redraws again; a lone event after the pause is drawn at once.
func TestPacing(t *testing.T) {
	now := testNow
	m := New(Options{Config: demoConfig(t), Clock: func() time.Time { return now }})
	m.Update(teaSize(120, 36))
	prices := m.slots[m.byID["prices"]]
	step := func(d time.Duration, msg tea.Msg) {
		now = now.Add(d)
		m.Update(msg)
	}
	firehose := func() batchMsg { // 100 ms at 100,000 events/s
		evs := make([]feed.Event, 10_000)
		for i := range evs {
			evs[i] = quote(i, "AAPL", 100+float64(i%50), 0.1, 0.1, i)
		}
		return batchMsg{batches: []feed.Batch{events("stocks", now, evs...)}, events: len(evs), at: now}
	}
	// Update draws: a pane drawn in a step has drawnAt == now.
	drawnNow := func(s *paneSlot) bool { return s.drawnAt.Equal(now) }
	step(time.Millisecond, firehose())
	if !drawnNow(prices) {
		t.Fatal("the first batch was not drawn at once")
	}
	m.View()
	drawn := 0
	for range 30 { // three seconds
		step(live.MaxIngestInterval, firehose())
		if m.pacer.Interval() != live.FirehoseInterval {
			t.Fatalf("interval under a firehose %v, want %v", m.pacer.Interval(), live.FirehoseInterval)
		}
		if drawnNow(prices) {
			drawn++
			if m.shownEvents != m.events {
				t.Errorf("a data frame shows %d events in the header, want %d", m.shownEvents, m.events)
			}
		} else if !prices.undrawn {
			t.Fatal("new data not marked undrawn between data frames")
		} else if m.shownEvents == m.events {
			t.Error("the header counted events the panes do not show yet")
		}
		m.View()
	}
	if want := int(3 * time.Second / live.FirehoseInterval); drawn < want-1 || drawn > want+1 {
		t.Errorf("%d data frames in 3 s at %v, want about %d", drawn, live.FirehoseInterval, want)
	}
	// A focus change between data frames redraws the frames at once, around
	// the bodies the last data frame drew: it shows no new data.
	step(live.MaxIngestInterval, firehose())
	if !prices.undrawn {
		t.Fatal("want undrawn data in the table for this step")
	}
	m.View()
	body := prices.body
	for _, k := range []string{"tab", "tab", "shift+tab"} {
		m.Update(press(k))
		m.View()
		if !prices.undrawn || &prices.body[0] != &body[0] {
			t.Fatalf("after %s the table drew its new data before the data frame", k)
		}
		for i := 1; i < len(body)-1; i++ {
			if got, want := ansi.Strip(ansi.Cut(prices.lines[i], 1, prices.bodyW-1)), ansi.Strip(ansi.Cut(body[i], 1, prices.bodyW-1)); got != want {
				t.Errorf("after %s body line %d = %q, want %q", k, i, got, want)
			}
		}
	}
	// Navigating the table shows it as it is now.
	for i := 0; i < len(m.order) && m.focusedSlot() != prices; i++ {
		m.Update(press("tab"))
	}
	step(live.MaxIngestInterval, firehose())
	if !prices.undrawn {
		t.Fatal("want undrawn data in the table for this step")
	}
	m.Update(press("down"))
	m.View()
	if prices.undrawn || &prices.body[0] == &body[0] {
		t.Error("a key to the table did not draw its data")
	}
	// A tick redraws no pane drawn less than an interval ago, nor one
	// that time alone does not change.
	before := map[string]time.Time{}
	moves := func(d time.Duration) map[string]bool {
		out := map[string]bool{}
		for _, s := range m.slots {
			out[s.id] = timeChanged(s.p, now.Add(d))
		}
		return out
	}
	for _, s := range m.slots {
		before[s.id] = s.drawnAt
	}
	moved := moves(live.MaxIngestInterval / 2)
	step(live.MaxIngestInterval/2, tickMsg(now))
	for _, s := range m.slots {
		if got, want := drawnNow(s), moved[s.id] && !before[s.id].After(now.Add(-live.FirehoseInterval)); got != want {
			t.Errorf("pane %s drawn %v ago: redrawn by a tick %v, want %v", s.id, now.Sub(before[s.id]), got, want)
		}
	}
	m.View()
	// The feeds pause: the data not drawn yet shows at a tick once due.
	for range 5 {
		step(tickInterval, tickMsg(now))
		m.View()
	}
	if prices.undrawn {
		t.Error("data still not drawn half a second after the last batch")
	}
	// Quiet: no batch for two intervals, so every tick redraws again what
	// time changes.
	step(2*live.FirehoseInterval, tickMsg(now))
	m.View()
	moved = moves(tickInterval)
	step(tickInterval, tickMsg(now))
	for _, s := range m.slots {
		if got, want := drawnNow(s), moved[s.id]; got != want {
			t.Errorf("pane %s redrawn by a tick while quiet: %v, want %v", s.id, got, want)
		}
	}
	m.View()
	// A lone event after the pause goes back to full speed and shows at once.
	step(time.Second, batchMsg{batches: []feed.Batch{events("stocks", now, quote(1, "AAPL", 1, 0, 0, 1))}, events: 1, at: now})
	// (The next data frame waits a little longer than FrameInterval: the
	// time this one's bytes take at live.DataBytesPerSecond.)
	if m.pacer.Interval() >= tickInterval || !drawnNow(prices) {
		t.Errorf("after a pause: interval %v, table redrawn %v; want < %v, true", m.pacer.Interval(), drawnNow(prices), tickInterval)
	}
}

// changedBytes counts, per changed line, the bytes between the first and
// the last that differ, plus a cursor move.
func TestChangedBytes(t *testing.T) {
	tests := []struct {
		name       string
		prev, next []string
		want       int
	}{
		{"same", []string{"abc", "def"}, []string{"abc", "def"}, 0},
		{"one cell", []string{"abc", "def"}, []string{"abc", "dxf"}, 8 + 1},
		{"both ends of a line", []string{"|  table  |"}, []string{"#  table  #"}, 8 + 11},
		{"two lines", []string{"aaaa", "bbbb"}, []string{"aaxa", "bbbby"}, 8 + 1 + 8 + 1},
		{"new lines", nil, []string{"ab", "cd"}, 8 + 2 + 8 + 2},
		{"shorter", []string{"abcdef"}, []string{"abf"}, 8 + 0},
	}
	for _, tt := range tests {
		if got := changedBytes(tt.prev, tt.next); got != tt.want {
			t.Errorf("%s: changedBytes = %d, want %d", tt.name, got, tt.want)
		}
	}
}

// Under a firehose the connection bar is redrawn when a feed's state
// changes or the second changes, not with every batch's new id and rate.
func TestConnBarPacedUnderAFirehose(t *testing.T) {
	now := testNow
	m := New(Options{Config: demoConfig(t), Clock: func() time.Time { return now }})
	m.Update(teaSize(120, 36))
	open := func(name string) feed.Batch {
		return feed.Batch{Feed: name, Time: now, Status: &feed.Status{State: feed.Open, Attempt: 1}}
	}
	m.Update(batchMsg{batches: []feed.Batch{open("stocks"), open("sports"), open("news")}})
	id := 0
	firehose := func() batchMsg { // 100 ms at 100,000 events/s
		evs := make([]feed.Event, 10_000)
		for i := range evs {
			id++
			evs[i] = quote(id, "AAPL", 100+float64(i%50), 0.1, 0.1, i)
		}
		return batchMsg{batches: []feed.Batch{events("stocks", now, evs...)}, events: len(evs), at: now}
	}
	barOf := func() string { return strings.Join(m.bar.lines, "\n") }
	for range 5 {
		now = now.Add(live.MaxIngestInterval)
		m.Update(firehose())
	}
	drawn, before := m.bar.at, barOf()
	now = now.Add(live.MaxIngestInterval)
	m.Update(firehose())
	if !m.bar.at.Equal(drawn) || barOf() != before {
		t.Fatalf("a batch within the same second redrew the bar:\n%s\nthen\n%s", before, barOf())
	}
	now = now.Add(live.MaxIngestInterval / 2)
	m.Update(batchMsg{batches: []feed.Batch{{Feed: "news", Time: now, Status: &feed.Status{State: feed.Connecting, Attempt: 2, ReconnectIn: 3 * time.Second}}}})
	if !m.bar.at.Equal(now) || !strings.Contains(ansi.Strip(barOf()), "CONNECTING") {
		t.Errorf("a feed's new state did not redraw the bar at once:\n%s", ansi.Strip(barOf()))
	}
	drawn = m.bar.at
	now = now.Truncate(time.Second).Add(time.Second)
	m.Update(firehose())
	if !m.bar.at.Equal(now) || m.bar.at.Equal(drawn) {
		t.Errorf("a new second did not redraw the bar (drawn at %v, now %v)", m.bar.at, now)
	}
}

// A big frame is added in chunks: the per-pane lists, kept for the next
// frame, do not grow to the frame's size; every event still arrives.
func TestApplyBatchesInChunks(t *testing.T) {
	m := New(Options{Config: demoConfig(t), Clock: func() time.Time { return testNow }})
	m.Update(teaSize(120, 36))
	evs := make([]feed.Event, 5*applyChunk+7)
	for i := range evs {
		evs[i] = quote(i, "AAPL", 100+float64(i%50), 0.1, 0.1, i)
	}
	m.Update(batchMsg{batches: []feed.Batch{events("stocks", testNow, evs...)}, events: len(evs), at: testNow})
	if m.routed != uint64(len(evs)) || m.events != uint64(len(evs)) {
		t.Errorf("routed %d of %d events", m.routed, len(evs))
	}
	for i, l := range m.perPane {
		if cap(l) > 2*applyChunk {
			t.Errorf("pane %s's list kept %d items of capacity, want ≤ %d", m.slots[i].id, cap(l), 2*applyChunk)
		}
	}
}

// Under busy feeds a focus change recolours a pane's title line and bottom
// border at once and its side borders sideDelay later; when quiet, at once.
func TestFocusSidesFollowLaterUnderAFirehose(t *testing.T) {
	for _, busy := range []bool{true, false} {
		now := testNow
		m := New(Options{Config: demoConfig(t), Clock: func() time.Time { return now }})
		m.Update(teaSize(120, 36))
		for _, name := range []string{"stocks", "sports", "news"} {
			m.Update(batchMsg{batches: []feed.Batch{{Feed: name, Time: now, Status: &feed.Status{State: feed.Open, Attempt: 1}}}})
		}
		feedOnce := func() {
			n := 1
			if busy {
				n = 10_000
			}
			evs := make([]feed.Event, n)
			for i := range evs {
				evs[i] = quote(i, "AAPL", 100+float64(i%50), 0.1, 0.1, i)
			}
			m.Update(batchMsg{batches: []feed.Batch{events("stocks", now, evs...)}, events: n, at: now})
		}
		for range 3 {
			now = now.Add(live.MaxIngestInterval)
			feedOnce()
		}
		s := m.slots[m.byID["prices"]]
		for m.focusedSlot() == s {
			m.Update(press("tab"))
		}
		// The first cell of a line with the styling before it (ansi.Cut
		// would keep the styling of the whole line).
		firstCell := func(l, glyph string) string { return l[:strings.Index(l, glyph)+len(glyph)] }
		side := func() string { return firstCell(s.lines[2], "│") }
		top := func() string { return firstCell(s.lines[0], "╭") }
		sideBefore, topBefore := side(), top()
		for m.focusedSlot() != s {
			now = now.Add(time.Millisecond)
			m.Update(press("tab"))
		}
		if top() == topBefore {
			t.Fatalf("busy %v: the focus change did not recolour the corner", busy)
		}
		if recoloured := side() != sideBefore; recoloured == busy {
			t.Errorf("busy %v: side border recoloured at once: %v", busy, recoloured)
		}
		if !busy {
			continue
		}
		for range 12 { // 1.2 s of ticks with the feeds still busy
			now = now.Add(tickInterval)
			feedOnce()
			m.Update(tickMsg(now))
		}
		if side() == sideBefore || s.sides != nil {
			t.Errorf("side border not recoloured %v after the focus change", sideDelay+200*time.Millisecond)
		}
	}
}

// Ticks land on the starts of the feeds' read windows, whenever they are
// scheduled, so that they wake the process together with the feeds.
func TestTicksLandOnReadWindows(t *testing.T) {
	for _, tc := range []struct{ now, d, want time.Duration }{
		{0, tickInterval, tickInterval},
		{30 * time.Millisecond, tickInterval, 2*live.Coalesce - 30*time.Millisecond},
		{live.Coalesce - time.Millisecond, 3 * time.Second, 3*time.Second + time.Millisecond},
	} {
		now := testNow.Add(tc.now) // testNow is on a window boundary
		m := New(Options{Config: demoConfig(t), Clock: func() time.Time { return now }})
		got := m.tickAfter(tc.d)
		if got != tc.want || !now.Add(got).Equal(now.Add(got).Truncate(live.Coalesce)) {
			t.Errorf("at +%v, a tick in %v comes after %v, want %v (on a window boundary)", tc.now, tc.d, got, tc.want)
		}
	}
}
