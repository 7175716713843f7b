package ui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/livefeed/livefeed/feed"
)

// Coalescing bounds: the UI takes feed output at most once per data frame,
// and one message never holds more than this much, so a firehose cannot make
// a single Update arbitrarily long (nor a batch arbitrarily big: while the
// UI works, the feeds block on their channel).
const (
	maxBatchEvents  = 50_000
	maxBatchBatches = 4096
)

// Data frame pacing. Under a firehose every visible row changes in every
// frame, so each frame costs about the same CPU (render, diff) and bytes to
// the terminal (~7 kB for a full dashboard) however many events it carries:
// the frame rate is the cost. Nobody reads faster than a few updates a
// second anyway, so the busier the feeds, the fewer data frames; at the
// firehose tier, 2 frames/s keep the terminal under ~20 kB/s. At low rates
// an event shows at once. Keys, mouse and resizes are separate messages and
// render immediately whatever the pace.
//
// Events are still taken from the feeds at least every maxIngestInterval and
// applied to the panes (cheap: panes render lazily), only not drawn: that
// keeps each Update short (a key never waits long behind one) and each batch
// small (memory), and the feeds' backpressure unchanged.
const (
	frameInterval    = time.Second / 60       // quiet: each event as it comes
	calmInterval     = 100 * time.Millisecond // as often as the clock tick
	busyInterval     = 250 * time.Millisecond // 4 data frames a second
	firehoseInterval = time.Second            // 1 data frame a second

	calmRate     = 20    // events/s above which data frames are paced at calmInterval
	busyRate     = 200   // … at busyInterval
	firehoseRate = 5_000 // … at firehoseInterval

	maxIngestInterval = 100 * time.Millisecond
)

// nextInterval is the least time from one data frame to the next, given
// that the last delivery carried events that arrived over window (the time
// since the delivery before). It looks only at that last window, so it
// reacts within a tenth of a second when a burst starts or stops.
func nextInterval(events int, window time.Duration) time.Duration {
	if window <= 0 {
		return frameInterval // nothing to measure: the first batch
	}
	rate := float64(events) / window.Seconds()
	switch {
	case rate > firehoseRate:
		return firehoseInterval
	case rate > busyRate:
		return busyInterval
	case rate > calmRate:
		return calmInterval
	}
	return frameInterval
}

// ingestInterval is how long waitBatches collects for one delivery when data
// frames come every draw.
func ingestInterval(draw time.Duration) time.Duration { return min(draw, maxIngestInterval) }

// batchMsg carries every feed batch that arrived during one frame, in the
// order they arrived.
type batchMsg struct {
	batches []feed.Batch
	events  int
	at      time.Time // when it was delivered; the next frame starts interval later
}

// waitBatches is the one command that reads the feeds: it blocks for the
// first batch, then keeps taking whatever else arrives until the next frame
// boundary (interval after the previous delivery; no wait at all after an
// idle spell, so a lone event shows at once), without exceeding the bounds
// above. The model re-issues it after each batchMsg. It returns nil when
// ctx ends.
func waitBatches(ctx context.Context, in <-chan feed.Batch, prev time.Time, interval time.Duration) tea.Cmd {
	return func() tea.Msg {
		var first feed.Batch
		select {
		case <-ctx.Done():
			return nil
		case first = <-in:
		}
		msg := batchMsg{batches: make([]feed.Batch, 1, 16)}
		msg.batches[0] = first
		msg.events = len(first.Events)
		full := func() bool { return msg.events >= maxBatchEvents || len(msg.batches) >= maxBatchBatches }

		// Take what is already waiting without blocking.
	drain:
		for !full() {
			select {
			case b := <-in:
				msg.batches = append(msg.batches, b)
				msg.events += len(b.Events)
			default:
				break drain
			}
		}
		if wait := time.Until(prev.Add(interval)); wait > 0 && !full() {
			t := time.NewTimer(wait)
		collect:
			for !full() {
				select {
				case b := <-in:
					msg.batches = append(msg.batches, b)
					msg.events += len(b.Events)
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

// pace sets the interval to the next data frame from the batch just taken.
func (m *Model) pace(events int) {
	m.interval = frameInterval
	if !m.lastBatch.IsZero() {
		m.interval = nextInterval(events, m.now.Sub(m.lastBatch))
	}
	m.lastBatch = m.now
}

// drawDataIfDue marks the panes with new data for redrawing when a data
// frame is due: always at the quiet pace (waitBatches already spaces the
// deliveries a frame apart), else once the interval since the last data
// frame has (nearly: deliveries come an ingest interval apart) passed.
func (m *Model) drawDataIfDue() {
	due := m.interval <= frameInterval || m.now.Sub(m.lastDraw) >= m.interval-ingestInterval(m.interval)/2
	if !due {
		return
	}
	m.shownEvents = m.events // the header counts what the panes show
	drew := false
	for _, s := range m.slots {
		if s.undrawn {
			s.undrawn, s.dirty, drew = false, true, true
		}
	}
	if drew {
		m.lastDraw = m.now
	}
}

// redrawOnTick says whether a tick should redraw a pane for time alone
// (ages, the ticker's scroll, flashes ending). It always does, except while
// data frames are paced slower than the tick: then a pane is redrawn no
// more often than the data frames come, or a firehose would get its bytes
// back through the ticks. Pacing ends two intervals after the last batch.
func (m *Model) redrawOnTick(s *paneSlot) bool {
	busy := m.interval > tickInterval && m.now.Sub(m.lastBatch) < 2*m.interval
	return !busy || m.now.Sub(s.drawnAt) >= m.interval
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
