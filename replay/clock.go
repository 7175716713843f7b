package replay

import (
	"math"
	"sync"
	"time"
)

// loopGap separates the end of one pass of a looping replay from the start
// of the next (in recording time), so the first and last events of a
// capture do not arrive as one burst.
const loopGap = time.Second

// Clock is a replay's position in its recording, shared by every stream so
// that feeds recorded together play together. It starts when the first
// client connects, runs at a speed that can change, and can be paused and
// stepped event by event. Methods are safe for concurrent use.
type Clock struct {
	now func() time.Time

	mu      sync.Mutex
	speed   float64 // 0: as fast as possible
	paused  bool
	started bool
	base    time.Time     // real time when pos was last set
	pos     time.Duration // recording time at base
	sent    time.Duration // latest recording time a stream has sent
	changed chan struct{} // closed and replaced at every change
}

// NewClock returns a stopped clock that will run at speed (0 = as fast as
// possible) once started.
func NewClock(speed float64) *Clock {
	return &Clock{now: time.Now, speed: speed, changed: make(chan struct{})}
}

// unbounded is "every event is due": the position at speed 0.
const unbounded = time.Duration(math.MaxInt64)

func (c *Clock) posLocked(now time.Time) time.Duration {
	switch {
	case !c.started || c.paused:
		return c.pos
	case c.speed == 0:
		return unbounded
	}
	elapsed := float64(now.Sub(c.base)) * c.speed
	if elapsed >= float64(unbounded-c.pos) {
		return unbounded
	}
	return c.pos + time.Duration(elapsed)
}

// rebaseLocked makes pos the position now, so speed or pause can change
// without a jump.
func (c *Clock) rebaseLocked(now time.Time) {
	p := c.posLocked(now)
	if p == unbounded {
		// Running flat out has no position of its own; where it paused is
		// as far as the streams got.
		p = c.sent
	}
	c.pos, c.base = p, now
}

func (c *Clock) notifyLocked() {
	close(c.changed)
	c.changed = make(chan struct{})
}

// Start starts the clock if it is not running yet.
func (c *Clock) Start() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.started {
		c.started, c.base = true, c.now()
		c.notifyLocked()
	}
}

// Position is how far into the recording the replay is.
func (c *Clock) Position() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	p := c.posLocked(c.now())
	if p == unbounded {
		return c.sent
	}
	return p
}

// Speed is the current speed (0: as fast as possible).
func (c *Clock) Speed() float64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.speed
}

// SetSpeed changes the speed from now on; events already due stay due.
func (c *Clock) SetSpeed(s float64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	c.rebaseLocked(now)
	c.speed = max(s, 0)
	c.notifyLocked()
}

// Paused says whether the clock is paused.
func (c *Clock) Paused() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.paused
}

// SetPaused pauses or resumes the clock.
func (c *Clock) SetPaused(p bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.paused == p {
		return
	}
	c.rebaseLocked(c.now())
	c.paused = p
	c.notifyLocked()
}

// Step pauses the clock and moves it to the next event of rec (over into
// the next pass when loop is set); it reports false when there is none.
func (c *Clock) Step(rec *Recording, loop bool) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.rebaseLocked(c.now())
	c.paused = true
	defer c.notifyLocked()
	if len(rec.times) == 0 {
		return false
	}
	lap, in := time.Duration(0), c.pos
	if loop {
		n := rec.lap()
		lap = c.pos / n * n
		in = c.pos - lap
	}
	if next, ok := rec.nextAfter(in); ok {
		c.pos = lap + next
		return true
	}
	if !loop {
		return false
	}
	c.pos = lap + rec.lap() + rec.times[0]
	return true
}

// sentUpTo records that a stream has sent the event at recording time at.
func (c *Clock) sentUpTo(at time.Duration) {
	c.mu.Lock()
	c.sent = max(c.sent, at)
	c.mu.Unlock()
}

// until says whether recording time at is due; if not, how long to wait
// in real time (negative: until something changes) and a channel closed
// at the next change of speed, pause or position.
func (c *Clock) until(at time.Duration) (due bool, wait time.Duration, changed <-chan struct{}) {
	c.mu.Lock()
	defer c.mu.Unlock()
	p := c.posLocked(c.now())
	if p >= at {
		return true, 0, nil
	}
	if !c.started || c.paused {
		return false, -1, c.changed
	}
	// Round up: waking a nanosecond early would only mean waiting again.
	w := time.Duration(math.Ceil(float64(at-p) / c.speed))
	return false, max(w, time.Nanosecond), c.changed
}

// lap is the length of one pass of a looping replay.
func (r *Recording) lap() time.Duration { return r.Span + loopGap }
