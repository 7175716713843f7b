package ui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/livefeed/livefeed/feed"
)

// Coalescing bounds: the UI takes feed output at most once per frame, and
// one message never holds more than this much, so a firehose cannot make a
// single Update arbitrarily long.
const (
	frameInterval   = time.Second / 60
	maxBatchEvents  = 50_000
	maxBatchBatches = 4096
)

// batchMsg carries every feed batch that arrived during one frame, in the
// order they arrived.
type batchMsg struct {
	batches []feed.Batch
	at      time.Time // when it was delivered; the next frame starts a frame later
}

// waitBatches is the one command that reads the feeds: it blocks for the
// first batch, then keeps taking whatever else arrives until the next frame
// boundary (a frame after the previous delivery; no wait at all after an idle
// spell, so a lone event shows at once), without exceeding the bounds above.
// The model re-issues it after each batchMsg. It returns nil when ctx ends.
func waitBatches(ctx context.Context, in <-chan feed.Batch, prev time.Time) tea.Cmd {
	return func() tea.Msg {
		var first feed.Batch
		select {
		case <-ctx.Done():
			return nil
		case first = <-in:
		}
		msg := batchMsg{batches: make([]feed.Batch, 1, 16)}
		msg.batches[0] = first
		events := len(first.Events)
		full := func() bool { return events >= maxBatchEvents || len(msg.batches) >= maxBatchBatches }

		// Take what is already waiting without blocking.
	drain:
		for !full() {
			select {
			case b := <-in:
				msg.batches = append(msg.batches, b)
				events += len(b.Events)
			default:
				break drain
			}
		}
		if wait := time.Until(prev.Add(frameInterval)); wait > 0 && !full() {
			t := time.NewTimer(wait)
		collect:
			for !full() {
				select {
				case b := <-in:
					msg.batches = append(msg.batches, b)
					events += len(b.Events)
				case <-t.C:
					break collect
				case <-ctx.Done():
					break collect
				}
			}
			t.Stop()
		}
		msg.at = time.Now()
		return msg
	}
}

// rateWindow counts events per second over the last rateSeconds whole
// seconds: a handful of counters per feed, updated once per batch.
const rateSeconds = 5

type rateWindow struct {
	sec   [rateSeconds + 1]int64 // unix second of each bucket
	count [rateSeconds + 1]uint64
	first int64 // unix second the first event arrived (0: none yet)
}

func (w *rateWindow) add(t time.Time, n int) {
	s := t.Unix()
	i := s % int64(len(w.sec))
	if w.sec[i] != s {
		w.sec[i], w.count[i] = s, 0
	}
	w.count[i] += uint64(n)
	if w.first == 0 {
		w.first = s
	}
}

// rate is the average events/s over the last whole seconds before now (or
// since the first event, if that is more recent).
func (w *rateWindow) rate(now time.Time) float64 {
	s := now.Unix()
	if w.first == 0 {
		return 0
	}
	span := min(int64(rateSeconds), s-w.first)
	if span <= 0 {
		// Within the first second: count it as it is.
		var n uint64
		for i := range w.sec {
			if w.sec[i] == s {
				n += w.count[i]
			}
		}
		return float64(n)
	}
	var n uint64
	for i := range w.sec {
		if w.sec[i] >= s-span && w.sec[i] < s {
			n += w.count[i]
		}
	}
	return float64(n) / float64(span)
}

// feedStat is what the connection bar knows about one feed, kept up to date
// from the batches (no locks, no per-event work).
type feedStat struct {
	name        string
	status      feed.Status
	statusAt    time.Time
	seen        bool // a status has arrived
	events      uint64
	lastEventAt time.Time
	lastID      string // raw; sanitized when drawn
	rate        rateWindow
}

func (st *feedStat) apply(b *feed.Batch) {
	if b.Status != nil {
		st.status, st.statusAt, st.seen = *b.Status, b.Time, true
		return
	}
	if n := len(b.Events); n > 0 {
		st.events += uint64(n)
		st.lastEventAt = b.Time
		st.lastID = b.Events[n-1].ID
		st.rate.add(b.Time, n)
	}
}

// state is the feed's readyState (CONNECTING until the first status).
func (st *feedStat) state() feed.State {
	if !st.seen {
		return feed.Connecting
	}
	return st.status.State
}
