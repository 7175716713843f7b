package live

import (
	"context"
	"time"

	"github.com/livefeed/livefeed/feed"
)

// Coalescing bounds: a consumer takes feed output at most once per frame,
// and one frame never holds more than this much, so a firehose cannot make
// a single TUI Update arbitrarily long (nor a frame arbitrarily big: while the
// consumer works, the feeds block on their channel). What a frame holds is
// memory the consumer keeps until it has applied it: after the TUI had been
// stopped for 2 s under 100,000 events/s, frames of up to 50,000 events
// (with the runtime's buffer at 128 batches) took its peak RSS to 46 MB,
// frames of up to 16,000 to 38–41 MB (bench/firehose, twice each). At
// 100,000 events/s an ingest interval brings 10,000, so only catching up
// hits the bound.
const (
	maxBatchEvents  = 16_000
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
// Events are still taken from the feeds at least every MaxIngestInterval and
// applied to the panes (cheap: panes render lazily), only not drawn: that
// keeps each Update short (a key never waits long behind one) and each batch
// small (memory), and the feeds' backpressure unchanged.
const (
	FrameInterval    = time.Second / 60       // quiet: each event as it comes
	calmInterval     = 100 * time.Millisecond // as often as the clock tick
	busyInterval     = 250 * time.Millisecond // 4 data frames a second
	FirehoseInterval = time.Second            // 1 data frame a second

	calmRate     = 20    // events/s above which data frames are paced at calmInterval
	busyRate     = 200   // … at busyInterval
	firehoseRate = 5_000 // … at FirehoseInterval

	// MaxIngestInterval is the longest a consumer goes without taking the
	// feeds' output, however slowly it draws.
	MaxIngestInterval = 100 * time.Millisecond
)

// Data frames are paced by their cost too. The rate tiers above guess the
// cost of a frame from the event rate, but what a frame writes depends on
// the dashboard: at 1,000 events/s a table, a list and a log that all
// change in every frame cost ~8 kB each, so 4 frames/s wrote 22–36 kB/s
// while the firehose tier's one frame a second wrote ~5 kB/s. So the
// consumer reports each data frame's bytes (Drew), and the next one waits
// until the frame's bytes at DataBytesPerSecond have passed: cheap frames
// (a row or two changed) keep the rate tier's pace, a screenful waits
// longer, at any event rate. Never longer than MaxDataInterval, so that the
// screen does not look stuck.
const (
	// DataBytesPerSecond is the terminal output data frames may cause,
	// leaving room under issue 5's 20 kB/s for keys, the clock and the
	// connection bar.
	DataBytesPerSecond = 8_000
	// MaxDataInterval is the longest wait for a data frame however costly.
	MaxDataInterval = 2 * time.Second
)

// nextInterval is the least time from one data frame to the next, given
// that the last delivery carried events that arrived over window (the time
// since the delivery before). It looks only at that last window, so it
// reacts within a tenth of a second when a burst starts or stops.
func nextInterval(events int, window time.Duration) time.Duration {
	if window <= 0 {
		return FrameInterval // nothing to measure: the first batch
	}
	rate := float64(events) / window.Seconds()
	switch {
	case rate > firehoseRate:
		return FirehoseInterval
	case rate > busyRate:
		return busyInterval
	case rate > calmRate:
		return calmInterval
	}
	return FrameInterval
}

// ingestInterval is how long NextFrame collects for one delivery when data
// frames come every draw.
func ingestInterval(draw time.Duration) time.Duration { return min(draw, MaxIngestInterval) }

// drainEvery is how often CollectFrame takes what the feeds sent while it
// collects a frame. Why not each batch as it comes: with 50 feeds each
// sending a batch every 20 ms, waking the consumer per batch was 2,500
// wake-ups a second (perf stat on bench/firehose --feeds 50). Trickling
// feeds send at most once per read window (Coalesce), all at its clock
// boundaries, so one look per window takes them all; the runtime's channel
// (batchBuffer) holds a window's batches of a hundred feeds.
const drainEvery = Coalesce

// UntilWindow is the time from now to the start of the next read window
// of the runtime's feeds: windows are aligned to the clock (see
// feed.Options.Coalesce), and a consumer that wakes at their boundaries
// wakes together with the feeds that trickle in, not at a moment of its
// own.
func UntilWindow(now time.Time) time.Duration {
	return drainEvery - now.Sub(now.Truncate(drainEvery))
}

// frameEnd is when a frame that follows a delivery at prev by interval
// ends: at that moment, or at the window start just before it when that is
// at most endSlack earlier. Why: deliveries come a little after a window
// starts (the time to take and hand on the frame), and a frame that ended
// that little after the next start would wake the process once more for it.
func frameEnd(prev time.Time, interval time.Duration) time.Time {
	end := prev.Add(interval)
	if start := end.Truncate(drainEvery); interval >= drainEvery && end.Sub(start) <= endSlack {
		return start
	}
	return end
}

// endSlack is how much earlier than its interval a frame may end to end
// at a window start.
const endSlack = drainEvery / 10

// Frame is every feed batch that arrived during one frame, in the order
// they arrived.
type Frame struct {
	Batches []feed.Batch
	Events  int       // events in all of Batches
	At      time.Time // when it was delivered; the next frame starts an interval later
	// RecordErr is why recording (see Runtime.Record) stopped during this
	// frame; nil while it works or when there is none.
	RecordErr error
}

// NextFrame reads the runtime's feeds for one frame (see CollectFrame).
func (s *Runtime) NextFrame(ctx context.Context, prev time.Time, interval time.Duration) (Frame, bool) {
	f, ok := CollectFrame(ctx, s.out, prev, interval)
	if ok {
		s.record(&f)
	}
	return f, ok
}

// CollectFrame blocks for the first batch, then keeps taking whatever else
// arrives until the next frame boundary (interval after the previous
// delivery prev; no wait at all after an idle spell, so a lone event shows at
// once), without exceeding the bounds above. ok is false when ctx ends first.
func CollectFrame(ctx context.Context, in <-chan feed.Batch, prev time.Time, interval time.Duration) (f Frame, ok bool) {
	var first feed.Batch
	select {
	case <-ctx.Done():
		return Frame{}, false
	case first = <-in:
	}
	msg := Frame{Batches: make([]feed.Batch, 1, 16)}
	msg.Batches[0] = first
	msg.Events = len(first.Events)
	full := func() bool { return msg.Events >= maxBatchEvents || len(msg.Batches) >= maxBatchBatches }

	// Take what is already waiting, then sleep until the frame boundary,
	// taking what arrived at most drainEvery apart rather than as each batch
	// comes: a feed that sends to a channel nobody waits on wakes nobody.
	take := func() {
		for !full() {
			select {
			case b := <-in:
				msg.Batches = append(msg.Batches, b)
				msg.Events += len(b.Events)
			default:
				return
			}
		}
	}
	take()
	end := frameEnd(prev, interval)
	var t *time.Timer
	for wait := time.Until(end); wait > 0 && !full() && ctx.Err() == nil; wait = time.Until(end) {
		d := min(wait, UntilWindow(time.Now()))
		if t == nil {
			t = time.NewTimer(d)
		} else {
			t.Reset(d)
		}
		select {
		case <-t.C:
		case <-ctx.Done():
		}
		take()
	}
	if t != nil {
		t.Stop()
	}
	msg.At = time.Now()
	return msg, true
}

// Pacer decides when a consumer draws the data it took: the zero value
// draws every delivery (frames at FrameInterval); after each delivery, Took
// sets the interval to the next data frame from the rate it carried.
type Pacer struct {
	lastBatch time.Time     // when the last delivery was taken
	interval  time.Duration // least time between data frames by rate; 0 means FrameInterval
	costWait  time.Duration // least time after the last data frame by its bytes
	lastDraw  time.Time     // when the last data frame was drawn
}

// Interval is the least time from one data frame to the next: the rate
// tier's, or longer after a costly frame.
func (p *Pacer) Interval() time.Duration {
	iv := p.interval
	if iv == 0 {
		iv = FrameInterval
	}
	return max(iv, p.costWait)
}

// Ingest is how long the next NextFrame should collect: a data frame's
// interval, but never more than MaxIngestInterval.
func (p *Pacer) Ingest() time.Duration { return ingestInterval(p.Interval()) }

// Took sets the interval to the next data frame from a delivery of events
// taken at now.
func (p *Pacer) Took(now time.Time, events int) {
	p.interval = FrameInterval
	if !p.lastBatch.IsZero() {
		p.interval = nextInterval(events, now.Sub(p.lastBatch))
	}
	p.lastBatch = now
}

// DataDue says whether a data frame is due at now: always at the quiet pace
// (NextFrame already spaces the deliveries a frame apart), else once the
// interval since the last data frame has (nearly: deliveries come an ingest
// interval apart) passed. Call Drew when one was drawn.
func (p *Pacer) DataDue(now time.Time) bool {
	iv := p.Interval()
	return iv <= FrameInterval || now.Sub(p.lastDraw) >= iv-ingestInterval(iv)/2
}

// Drew records that a data frame was drawn at now and wrote about bytes
// to the terminal (an estimate is enough: see DataBytesPerSecond).
func (p *Pacer) Drew(now time.Time, bytes int) {
	p.lastDraw = now
	p.costWait = min(MaxDataInterval, time.Duration(bytes)*time.Second/DataBytesPerSecond)
}

// Busy says whether the feeds are busy enough that data frames are paced
// by their rate (more than 20 events/s in the last delivery, within the
// last two intervals).
func (p *Pacer) Busy(now time.Time) bool {
	return p.interval > FrameInterval && now.Sub(p.lastBatch) < 2*p.Interval()
}

// RedrawOnTick says whether a tick (every tick) should redraw something
// last drawn at drawnAt for time alone (ages, scrolling, flashes ending). It
// always does, except while data frames are paced slower than the tick:
// then no more often than the data frames come, or a firehose would get its
// bytes back through the ticks. Pacing ends two intervals after the last
// delivery.
func (p *Pacer) RedrawOnTick(now, drawnAt time.Time, tick time.Duration) bool {
	iv := p.Interval()
	busy := iv > tick && now.Sub(p.lastBatch) < 2*iv
	return !busy || now.Sub(drawnAt) >= iv
}
