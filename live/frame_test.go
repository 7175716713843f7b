package live

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/livefeed/livefeed/feed"
)

// collect is CollectFrame for inputs that always deliver.
func collect(ctx context.Context, in <-chan feed.Batch, prev time.Time, interval time.Duration) Frame {
	f, _ := CollectFrame(ctx, in, prev, interval)
	return f
}

func TestCollectFrameDrainsEverythingWaiting(t *testing.T) {
	in := make(chan feed.Batch, 10)
	for i := range 5 {
		in <- feed.Batch{Feed: "f", Events: make([]feed.Event, i+1)}
	}
	msg := collect(context.Background(), in, time.Time{}, FrameInterval)
	if len(msg.Batches) != 5 {
		t.Fatalf("got %d batches, want 5", len(msg.Batches))
	}
	for i, b := range msg.Batches {
		if len(b.Events) != i+1 {
			t.Errorf("batch %d out of order", i)
		}
	}
}

func TestCollectFrameCoalescesToOneMessagePerFrame(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		in := make(chan feed.Batch, batchBuffer) // as the runtime's
		go func() {
			for range 3 {
				in <- feed.Batch{Feed: "f"}
				time.Sleep(time.Millisecond)
			}
		}()
		// The previous message went out just now: everything in the next
		// frame arrives in one message, which goes out at the frame's end.
		prev := time.Now()
		msg := collect(context.Background(), in, prev, FrameInterval)
		if len(msg.Batches) != 3 || msg.At.Sub(prev) != FrameInterval {
			t.Errorf("got %d batches in one frame, after %v; want 3, after %v", len(msg.Batches), msg.At.Sub(prev), FrameInterval)
		}
	})
}

func TestCollectFrameIsBounded(t *testing.T) {
	in := make(chan feed.Batch, maxBatchBatches+10)
	for range maxBatchBatches + 10 {
		in <- feed.Batch{Feed: "f"}
	}
	msg := collect(context.Background(), in, time.Now(), FrameInterval)
	if len(msg.Batches) != maxBatchBatches {
		t.Errorf("one message took %d batches, want the bound %d", len(msg.Batches), maxBatchBatches)
	}
	big := make(chan feed.Batch, 3)
	big <- feed.Batch{Events: make([]feed.Event, maxBatchEvents)}
	big <- feed.Batch{Events: make([]feed.Event, 1)}
	if msg := collect(context.Background(), big, time.Time{}, FrameInterval); len(msg.Batches) != 1 {
		t.Errorf("a full batch should go out alone, got %d", len(msg.Batches))
	}
}

func TestCollectFrameStopsWithContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan bool, 1)
		go func() {
			_, ok := CollectFrame(ctx, make(chan feed.Batch), time.Time{}, FrameInterval)
			done <- ok
		}()
		cancel()
		synctest.Wait()
		select {
		case ok := <-done:
			if ok {
				t.Error("got a frame after cancel")
			}
		default:
			t.Fatal("CollectFrame did not return after cancel")
		}
	})
}

func TestNextInterval(t *testing.T) {
	tests := []struct {
		name   string
		events int
		window time.Duration
		want   time.Duration
	}{
		{"first batch (no window)", 1, 0, FrameInterval},
		{"demo: a few events a second", 1, 200 * time.Millisecond, FrameInterval},
		{"demo burst after a quiet second", 10, time.Second, FrameInterval},
		{"20/s is still quiet", 2, 100 * time.Millisecond, FrameInterval},
		{"moderate: 50/s", 5, 100 * time.Millisecond, calmInterval},
		{"moderate: 200/s", 20, 100 * time.Millisecond, calmInterval},
		{"busy: 300/s", 30, 100 * time.Millisecond, busyInterval},
		{"busy: 5,000/s", 500, 100 * time.Millisecond, busyInterval},
		{"firehose: 100,000/s", 10_000, 100 * time.Millisecond, FirehoseInterval},
		{"firehose seen in one 60 Hz frame", 1_667, FrameInterval, FirehoseInterval},
		{"firehose stopped: a lone event after a pause", 1, 3 * time.Second, FrameInterval},
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
		FrameInterval: FrameInterval, calmInterval: calmInterval, busyInterval: MaxIngestInterval, FirehoseInterval: MaxIngestInterval,
	} {
		if got := ingestInterval(draw); got != want {
			t.Errorf("ingestInterval(%v) = %v, want %v", draw, got, want)
		}
	}
}

// CollectFrame keeps collecting until the interval after the previous
// delivery, however long that is.
func TestCollectFrameHonoursTheInterval(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		in := make(chan feed.Batch, batchBuffer)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		defer func() { cancel(); <-done }()
		go func() {
			defer close(done)
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
		msg := collect(ctx, in, prev, busyInterval)
		if took := msg.At.Sub(prev); took != busyInterval {
			t.Errorf("delivered %v after the previous one, want %v", took, busyInterval)
		}
		// One batch every 5 ms from the start; the one sent as the frame
		// ends may or may not make it.
		if n := len(msg.Batches); msg.Events != 10*n || n < 50 || n > 51 {
			t.Errorf("%d events in %d batches, want 50 or 51 batches of 10", msg.Events, n)
		}
	})
}

// Data frames wait for their bytes: after a frame of b bytes the next is
// due b/DataBytesPerSecond later (never less than the rate tier's interval,
// never more than MaxDataInterval).
func TestPacerPacesByCost(t *testing.T) {
	t0 := time.Unix(1_000_000, 0)
	tests := []struct {
		name   string
		events int // in the 100 ms before t0
		bytes  int // of the data frame drawn at t0
		want   time.Duration
	}{
		{"quiet, cheap frame", 1, 80, FrameInterval},
		{"quiet, one row", 1, 400, 50 * time.Millisecond},
		{"quiet, screenful", 1, 8_000, time.Second},
		{"busy tier, cheap frames", 50, 200, busyInterval},
		{"busy tier, screenful", 100, 12_000, 1500 * time.Millisecond},
		{"firehose, cheap", 10_000, 1_000, FirehoseInterval},
		{"huge frames", 10_000, 1 << 20, MaxDataInterval},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p Pacer
			p.Took(t0.Add(-100*time.Millisecond), 0)
			p.Took(t0, tt.events)
			if !p.DataDue(t0) {
				t.Fatal("the first data frame is not due")
			}
			p.Drew(t0, tt.bytes)
			if got := p.Interval(); got != tt.want {
				t.Errorf("interval %v, want %v", got, tt.want)
			}
			if tt.want > FrameInterval {
				early := t0.Add(tt.want - ingestInterval(tt.want))
				if p.DataDue(early) {
					t.Errorf("data frame due %v after the last, want not before ~%v", early.Sub(t0), tt.want)
				}
			}
			if !p.DataDue(t0.Add(tt.want)) {
				t.Errorf("data frame not due %v after the last", tt.want)
			}
		})
	}
}

// A consumer collecting a frame takes what the feeds sent at the start of
// each read window (where trickling feeds wake), not at moments counted
// from its own start: the process then wakes once per window, not twice.
func TestCollectFrameDrainsAtWindowStarts(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now() // synctest's clock starts on a window boundary
		time.Sleep(Coalesce * 3 / 10)
		in := make(chan feed.Batch, batchBuffer)
		got := make(chan Frame)
		go func() { got <- collect(context.Background(), in, time.Now(), 3*Coalesce) }()
		in <- feed.Batch{Feed: "f"} // CollectFrame blocks for the first batch
		synctest.Wait()
		in <- feed.Batch{Feed: "f"} // waits for the next window's start
		time.Sleep(start.Add(Coalesce).Sub(time.Now()) - time.Millisecond)
		synctest.Wait()
		if len(in) != 1 {
			t.Fatalf("just before the window starts: %d batches waiting, want 1", len(in))
		}
		time.Sleep(2 * time.Millisecond)
		synctest.Wait()
		if len(in) != 0 {
			t.Errorf("just after the window starts: %d batches waiting, want 0 (taken)", len(in))
		}
		if f := <-got; len(f.Batches) != 2 {
			t.Errorf("the frame took %d batches, want 2", len(f.Batches))
		}
	})
}

func TestUntilWindow(t *testing.T) {
	base := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		at   time.Duration
		want time.Duration
	}{
		{0, Coalesce},
		{time.Millisecond, Coalesce - time.Millisecond},
		{Coalesce - time.Nanosecond, time.Nanosecond},
		{Coalesce + Coalesce/2, Coalesce / 2},
	} {
		if got := UntilWindow(base.Add(tc.at)); got != tc.want {
			t.Errorf("UntilWindow(+%v) = %v, want %v", tc.at, got, tc.want)
		}
	}
}

func TestFrameEnd(t *testing.T) {
	base := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC) // a window start
	for _, tc := range []struct {
		prev, interval, want time.Duration
	}{
		{time.Millisecond, Coalesce, Coalesce},                                          // a delivery just after a window start: ends at the next
		{endSlack, Coalesce, Coalesce},                                                  // at most endSlack early
		{endSlack + time.Millisecond, Coalesce, Coalesce + endSlack + time.Millisecond}, // no earlier than that
		{time.Millisecond, FrameInterval, FrameInterval + time.Millisecond},             // quiet frames keep their interval
		{0, busyInterval, busyInterval},
	} {
		if got := frameEnd(base.Add(tc.prev), tc.interval).Sub(base); got != tc.want {
			t.Errorf("frameEnd(+%v, %v) = +%v, want +%v", tc.prev, tc.interval, got, tc.want)
		}
	}
}
