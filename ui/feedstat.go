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
	conn        *connStat // for the connections view; nil until a batch comes
}

// connStat is what the connections view shows beyond the bar's stat: the
// last response, counters, attempts and arrivals. Its memory is fixed.
type connStat struct {
	since      time.Time   // when the feed entered its current state
	resp       feed.Status // the last status that carried a response's headers
	bytes      uint64
	reconnects uint64
	attempts   attemptLog
	arrivals   arrivals
}

func (st *feedStat) apply(b *feed.Batch) { st.applyDropped(b, 0) }

// applyDropped is apply for a batch of which dropped events were discarded
// (drop:): they arrived, so the timeline counts them.
func (st *feedStat) applyDropped(b *feed.Batch, dropped int) {
	if st.conn == nil {
		st.conn = &connStat{}
	}
	c := st.conn
	c.bytes += b.Bytes
	cur := c.attempts.current()
	if cur != nil {
		cur.bytes += b.Bytes
	}
	if s := b.Status; s != nil {
		if !st.seen || s.State != st.status.State {
			c.since = b.Time
		}
		if s.Header != nil || s.Proto != "" {
			c.resp = *s
		}
		if s.State == feed.Connecting && s.Err != nil {
			c.reconnects++
		}
		if s.State == feed.Open {
			c.arrivals.reset(b.Time)
		}
		c.attempts.onStatus(s, b.Time)
		st.status, st.statusAt, st.seen = *s, b.Time, true
		return
	}
	c.arrivals.add(b.Time, len(b.Events)+dropped)
	if n := len(b.Events); n > 0 {
		if cur != nil {
			cur.events += uint64(n)
		}
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
