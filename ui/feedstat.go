package ui

import (
	"time"

	"github.com/livefeed/livefeed/feed"
)

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
	dropped     uint64 // events the feed's drop: discarded
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
