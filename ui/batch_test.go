package ui

import (
	"context"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/livefeed/livefeed/config"
	"github.com/livefeed/livefeed/feed"
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

func TestWaitBatchesDrainsEverythingWaiting(t *testing.T) {
	in := make(chan feed.Batch, 10)
	for i := range 5 {
		in <- feed.Batch{Feed: "f", Events: make([]feed.Event, i+1)}
	}
	msg := waitBatches(context.Background(), in, time.Time{}, frameInterval)().(batchMsg)
	if len(msg.batches) != 5 {
		t.Fatalf("got %d batches, want 5", len(msg.batches))
	}
	for i, b := range msg.batches {
		if len(b.Events) != i+1 {
			t.Errorf("batch %d out of order", i)
		}
	}
}

func TestWaitBatchesCoalescesToOneMessagePerFrame(t *testing.T) {
	in := make(chan feed.Batch)
	go func() {
		for range 3 {
			in <- feed.Batch{Feed: "f"}
			time.Sleep(time.Millisecond)
		}
	}()
	// The previous message went out just now: everything in the next frame
	// arrives in one message.
	msg := waitBatches(context.Background(), in, time.Now(), frameInterval)().(batchMsg)
	if len(msg.batches) != 3 {
		t.Errorf("got %d batches in one frame, want 3", len(msg.batches))
	}
}

func TestWaitBatchesIsBounded(t *testing.T) {
	in := make(chan feed.Batch, maxBatchBatches+10)
	for range maxBatchBatches + 10 {
		in <- feed.Batch{Feed: "f"}
	}
	msg := waitBatches(context.Background(), in, time.Now(), frameInterval)().(batchMsg)
	if len(msg.batches) != maxBatchBatches {
		t.Errorf("one message took %d batches, want the bound %d", len(msg.batches), maxBatchBatches)
	}
	big := make(chan feed.Batch, 3)
	big <- feed.Batch{Events: make([]feed.Event, maxBatchEvents)}
	big <- feed.Batch{Events: make([]feed.Event, 1)}
	if msg := waitBatches(context.Background(), big, time.Time{}, frameInterval)().(batchMsg); len(msg.batches) != 1 {
		t.Errorf("a full batch should go out alone, got %d", len(msg.batches))
	}
}

func TestWaitBatchesStopsWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan tea.Msg)
	go func() { done <- waitBatches(ctx, make(chan feed.Batch), time.Time{}, frameInterval)() }()
	cancel()
	select {
	case msg := <-done:
		if msg != nil {
			t.Errorf("got %v after cancel", msg)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("waitBatches did not return after cancel")
	}
}

func TestFeedOptions(t *testing.T) {
	c := &config.Feed{Name: "x", URL: "https://example.invalid/sse", Headers: map[string]string{"authorization": "Bearer t", "X-Api-Key": "k"},
		Retry: 2 * time.Second, MaxBackoff: time.Minute, Stale: 0, MaxEventSize: 4096, ConnectTimeout: 5 * time.Second,
		TLS: config.TLS{CAFile: "/ca.pem"}}
	o := feedOptions(c)
	if o.Stale >= 0 {
		t.Errorf("stale 0 (off) became %v, want negative", o.Stale)
	}
	if o.URL != c.URL || o.Retry != c.Retry || o.MaxBackoff != c.MaxBackoff || o.MaxEventSize != 4096 || o.ConnectTimeout != c.ConnectTimeout || o.CAFile != "/ca.pem" {
		t.Errorf("options = %+v", o)
	}
	// Names pass through as written; the engine canonicalizes them.
	if h := o.Header; len(h["authorization"]) != 1 || h["authorization"][0] != "Bearer t" || len(h["X-Api-Key"]) != 1 || h["X-Api-Key"][0] != "k" {
		t.Errorf("headers = %v", o.Header)
	}
	c.Stale = 10 * time.Second
	if o := feedOptions(c); o.Stale != 10*time.Second {
		t.Errorf("stale 10s became %v", o.Stale)
	}
}

func TestFeedSetReconnectAndStop(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	fs := newFeedSet(ctx, nil)
	cfg := &config.Config{Feeds: []*config.Feed{{Name: "a", URL: "http://127.0.0.1:9/a", Retry: time.Hour, MaxBackoff: time.Hour, ConnectTimeout: time.Second}}}
	if err := fs.apply(cfg, config.Changes{}, true); err != nil {
		t.Fatal(err)
	}
	// First CONNECTING, then (connection refused) CONNECTING with a long wait.
	waitStatus := func() *feed.Status {
		t.Helper()
		for {
			select {
			case b := <-fs.out:
				if b.Status != nil {
					return b.Status
				}
			case <-time.After(10 * time.Second):
				t.Fatal("no status from the feed")
			}
		}
	}
	waitStatus()
	if st := waitStatus(); st.State != feed.Connecting || st.ReconnectIn < time.Minute {
		t.Fatalf("status after refusal = %+v", st)
	}
	fs.reconnect([]string{"a"})
	if st := waitStatus(); st.State != feed.Connecting {
		t.Fatalf("after reconnect = %+v", st)
	}
	fs.stopAll(5 * time.Second)
	if len(fs.running) != 0 {
		t.Errorf("feeds still registered after stopAll")
	}
}

func TestNextInterval(t *testing.T) {
	tests := []struct {
		name   string
		events int
		window time.Duration
		want   time.Duration
	}{
		{"first batch (no window)", 1, 0, frameInterval},
		{"demo: a few events a second", 1, 200 * time.Millisecond, frameInterval},
		{"demo burst after a quiet second", 10, time.Second, frameInterval},
		{"20/s is still quiet", 2, 100 * time.Millisecond, frameInterval},
		{"moderate: 50/s", 5, 100 * time.Millisecond, calmInterval},
		{"moderate: 200/s", 20, 100 * time.Millisecond, calmInterval},
		{"busy: 300/s", 30, 100 * time.Millisecond, busyInterval},
		{"busy: 5,000/s", 500, 100 * time.Millisecond, busyInterval},
		{"firehose: 100,000/s", 10_000, 100 * time.Millisecond, firehoseInterval},
		{"firehose seen in one 60 Hz frame", 1_667, frameInterval, firehoseInterval},
		{"firehose stopped: a lone event after a pause", 1, 3 * time.Second, frameInterval},
		{"slowing down: 1,000/s", 100, 100 * time.Millisecond, busyInterval},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := nextInterval(tt.events, tt.window); got != tt.want {
				t.Errorf("nextInterval(%d, %v) = %v, want %v", tt.events, tt.window, got, tt.want)
			}
		})
	}
	for draw, want := range map[time.Duration]time.Duration{
		frameInterval: frameInterval, calmInterval: calmInterval, busyInterval: maxIngestInterval, firehoseInterval: maxIngestInterval,
	} {
		if got := ingestInterval(draw); got != want {
			t.Errorf("ingestInterval(%v) = %v, want %v", draw, got, want)
		}
	}
}

// waitBatches keeps collecting until the interval after the previous
// delivery, however long that is.
func TestWaitBatchesHonoursTheInterval(t *testing.T) {
	in := make(chan feed.Batch)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		for {
			select {
			case in <- feed.Batch{Feed: "f", Events: make([]feed.Event, 10)}:
				time.Sleep(5 * time.Millisecond)
			case <-ctx.Done():
				return
			}
		}
	}()
	prev := time.Now()
	msg := waitBatches(ctx, in, prev, busyInterval)().(batchMsg)
	if took := msg.at.Sub(prev); took < busyInterval {
		t.Errorf("delivered %v after the previous one, want ≥ %v", took, busyInterval)
	}
	if msg.events != 10*len(msg.batches) || len(msg.batches) < 2 {
		t.Errorf("%d events in %d batches", msg.events, len(msg.batches))
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
	step(0, firehose())
	if !prices.dirty {
		t.Fatal("the first batch was not drawn at once")
	}
	m.View()
	drawn := 0
	for range 30 { // three seconds
		step(maxIngestInterval, firehose())
		if m.interval != firehoseInterval {
			t.Fatalf("interval under a firehose %v, want %v", m.interval, firehoseInterval)
		}
		if prices.dirty {
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
	if want := int(3 * time.Second / firehoseInterval); drawn < want-1 || drawn > want+1 {
		t.Errorf("%d data frames in 3 s at %v, want about %d", drawn, firehoseInterval, want)
	}
	// A focus change between data frames redraws the frames at once, around
	// the bodies the last data frame drew: it shows no new data.
	step(maxIngestInterval, firehose())
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
	step(maxIngestInterval, firehose())
	if !prices.undrawn {
		t.Fatal("want undrawn data in the table for this step")
	}
	m.Update(press("down"))
	m.View()
	if prices.undrawn || &prices.body[0] == &body[0] {
		t.Error("a key to the table did not draw its data")
	}
	// A tick redraws no pane drawn less than an interval ago.
	step(maxIngestInterval/2, tickMsg(now))
	for _, s := range m.slots {
		if got, want := s.dirty, !s.drawnAt.After(now.Add(-firehoseInterval)); got != want {
			t.Errorf("pane %s drawn %v ago: redrawn by a tick %v, want %v", s.id, now.Sub(s.drawnAt), got, want)
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
	// Quiet: no batch for two intervals, so every tick redraws again.
	step(2*firehoseInterval, tickMsg(now))
	m.View()
	step(tickInterval, tickMsg(now))
	for _, s := range m.slots {
		if !s.dirty {
			t.Errorf("pane %s not redrawn by a tick while quiet", s.id)
		}
	}
	m.View()
	// A lone event after the pause goes back to full speed and shows at once.
	step(time.Second, batchMsg{batches: []feed.Batch{events("stocks", now, quote(1, "AAPL", 1, 0, 0, 1))}, events: 1, at: now})
	if m.interval != frameInterval || !prices.dirty {
		t.Errorf("after a pause: interval %v, table redrawn %v; want %v, true", m.interval, prices.dirty, frameInterval)
	}
}
