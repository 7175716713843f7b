package ui

import (
	"context"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

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
	msg := waitBatches(context.Background(), in, time.Time{})().(batchMsg)
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
	msg := waitBatches(context.Background(), in, time.Now())().(batchMsg)
	if len(msg.batches) != 3 {
		t.Errorf("got %d batches in one frame, want 3", len(msg.batches))
	}
}

func TestWaitBatchesIsBounded(t *testing.T) {
	in := make(chan feed.Batch, maxBatchBatches+10)
	for range maxBatchBatches + 10 {
		in <- feed.Batch{Feed: "f"}
	}
	msg := waitBatches(context.Background(), in, time.Now())().(batchMsg)
	if len(msg.batches) != maxBatchBatches {
		t.Errorf("one message took %d batches, want the bound %d", len(msg.batches), maxBatchBatches)
	}
	big := make(chan feed.Batch, 3)
	big <- feed.Batch{Events: make([]feed.Event, maxBatchEvents)}
	big <- feed.Batch{Events: make([]feed.Event, 1)}
	if msg := waitBatches(context.Background(), big, time.Time{})().(batchMsg); len(msg.batches) != 1 {
		t.Errorf("a full batch should go out alone, got %d", len(msg.batches))
	}
}

func TestWaitBatchesStopsWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan tea.Msg)
	go func() { done <- waitBatches(ctx, make(chan feed.Batch), time.Time{})() }()
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
	if o.Header["Authorization"][0] != "Bearer t" || o.Header["X-Api-Key"][0] != "k" {
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
