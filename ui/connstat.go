package ui

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/livefeed/livefeed/feed"
	"github.com/livefeed/livefeed/redact"
)

// maxAttempts is how many connection attempts the connections view keeps
// per feed.
const maxAttempts = 50

// attempt is one connection attempt as the batches told it.
type attempt struct {
	start   time.Time // when the request went out (after the wait)
	end     time.Time // zero while it lasts
	opened  bool
	outcome string // set when it ends
	reason  string // redacted, not yet sanitized
	bytes   uint64
	events  uint64
}

// attemptLog is the last maxAttempts attempts in a ring: fixed memory, O(1)
// per status and per batch.
type attemptLog struct {
	ring [maxAttempts]attempt
	next int // where the next attempt goes
	n    int // attempts held
}

// current is the attempt under way, or nil.
func (l *attemptLog) current() *attempt {
	if l.n == 0 {
		return nil
	}
	a := &l.ring[(l.next+maxAttempts-1)%maxAttempts]
	if !a.end.IsZero() {
		return nil
	}
	return a
}

func (l *attemptLog) begin(at time.Time) *attempt {
	a := &l.ring[l.next]
	*a = attempt{start: at}
	l.next = (l.next + 1) % maxAttempts
	l.n = min(l.n+1, maxAttempts)
	return a
}

// newestFirst calls f for each attempt held, newest first.
func (l *attemptLog) newestFirst(f func(a *attempt)) {
	for i := 1; i <= l.n; i++ {
		f(&l.ring[(l.next+maxAttempts-i)%maxAttempts])
	}
}

// onStatus ends the attempt under way when a state change says how it went
// and begins the next one when the feed is to try again.
func (l *attemptLog) onStatus(s *feed.Status, at time.Time) {
	cur := l.current()
	switch s.State {
	case feed.Open:
		if cur == nil {
			cur = l.begin(at)
		}
		// A wait cut short by a manual reconnect sends no status: the
		// attempt began before the time its wait said.
		cur.start = minTime(cur.start, at)
		cur.opened = true
		return
	case feed.Connecting:
		if cur != nil {
			cur.finish(s, at)
		}
		start := at
		if !s.ReconnectAt.IsZero() {
			start = s.ReconnectAt
		}
		l.begin(start)
	case feed.Closed:
		if cur != nil {
			cur.finish(s, at)
		}
	}
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// finish records how an attempt ended: s is the state change that ended it.
func (a *attempt) finish(s *feed.Status, at time.Time) {
	a.end = at
	if at.Before(a.start) {
		// A wait cut short (a manual reconnect): the attempt never began.
		a.start = at
	}
	var he *feed.HTTPError
	switch {
	case errors.Is(s.Err, feed.ErrReconnect):
		a.outcome = "reconnected"
	case errors.Is(s.Err, feed.ErrFinished):
		a.outcome = "finished"
	case errors.As(s.Err, &he):
		if he.Status == 200 {
			a.outcome = "not a stream"
		} else {
			a.outcome = fmt.Sprintf("HTTP %d", he.Status)
		}
	case a.opened:
		a.outcome = "dropped"
	default:
		a.outcome = "failed"
	}
	if s.Err != nil && !errors.Is(s.Err, feed.ErrReconnect) {
		a.reason = redact.Text(s.Err.Error())
	}
}

// Inter-arrival statistics. A burst is at least burstEvents events arriving
// within burstSpan after at least burstSilence without any: what a proxy
// that buffers a stream and flushes it now and then produces.
const (
	timelineSeconds = 60
	burstSpan       = 10 * time.Millisecond
	burstSilence    = 500 * time.Millisecond
	burstEvents     = 3
	maxBursts       = timelineSeconds * int(time.Second/burstSilence)
)

// arrivalSecond is one second of the timeline.
type arrivalSecond struct {
	sec         int64 // unix second it holds
	events      uint64
	burstEvents uint64
	maxGap      time.Duration // the longest wait that ended in this second
	arrivals    int
}

// arrivals keeps the last minute of a feed's arrivals, one counter set per
// second, updated once per batch (the events of one read share its time).
type arrivals struct {
	secs [timelineSeconds]arrivalSecond
	last time.Time // the previous arrival; zero after a (re)connect

	group        time.Time // the current group of close arrivals began
	groupEvents  uint64
	groupSilent  bool // the group came after a silence
	groupCounted bool // and has been counted as a burst

	bursts  [maxBursts]time.Time // when recent bursts began, a ring
	burstAt int
	burstN  int
}

func (a *arrivals) second(t time.Time) *arrivalSecond {
	s := t.Unix()
	b := &a.secs[s%timelineSeconds]
	if b.sec != s {
		*b = arrivalSecond{sec: s}
	}
	return b
}

// reset starts a new connection's arrivals at the time it opened: events
// that come at once (a replay after Last-Event-ID) follow no silence, and
// the first burst of a buffering proxy follows the silence since the open.
func (a *arrivals) reset(opened time.Time) { a.last, a.group = opened, time.Time{} }

func (a *arrivals) add(t time.Time, n int) {
	if n <= 0 {
		return
	}
	b := a.second(t)
	b.events += uint64(n)
	b.arrivals++
	var gap time.Duration
	if !a.last.IsZero() {
		gap = max(t.Sub(a.last), 0)
		b.maxGap = max(b.maxGap, gap)
	}
	if !a.group.IsZero() && t.Sub(a.group) <= burstSpan {
		a.groupEvents += uint64(n)
	} else {
		a.group, a.groupEvents, a.groupCounted = t, uint64(n), false
		a.groupSilent = !a.last.IsZero() && gap >= burstSilence
	}
	switch {
	case a.groupCounted:
		a.second(a.group).burstEvents += uint64(n)
	case a.groupSilent && a.groupEvents >= burstEvents:
		a.groupCounted = true
		a.second(a.group).burstEvents += a.groupEvents
		a.bursts[a.burstAt] = a.group
		a.burstAt = (a.burstAt + 1) % maxBursts
		a.burstN = min(a.burstN+1, maxBursts)
	}
	a.last = t
}

// gaps is the timeline: for each of the last timelineSeconds seconds up to
// now, oldest first, the longest wait that ended in it, in seconds (NaN for
// a second without arrivals).
func (a *arrivals) gaps(now time.Time) (values []float64, longest time.Duration) {
	values = make([]float64, timelineSeconds)
	s := now.Unix()
	for i := range values {
		sec := s - int64(timelineSeconds-1-i)
		b := &a.secs[((sec%timelineSeconds)+timelineSeconds)%timelineSeconds]
		if b.sec != sec || b.arrivals == 0 {
			values[i] = math.NaN()
			continue
		}
		values[i] = b.maxGap.Seconds()
		longest = max(longest, b.maxGap)
	}
	return values, longest
}

// burstEvery reports whether the last minute's events came mostly in
// bursts, and how far apart the bursts were on average.
func (a *arrivals) burstEvery(now time.Time) (time.Duration, bool) {
	from := now.Add(-timelineSeconds * time.Second)
	var events, inBursts uint64
	s := now.Unix()
	for i := range a.secs {
		if b := &a.secs[i]; b.sec > s-timelineSeconds && b.sec <= s {
			events += b.events
			inBursts += b.burstEvents
		}
	}
	var first, last time.Time
	n := 0
	for i := 0; i < a.burstN; i++ {
		t := a.bursts[(a.burstAt+maxBursts-1-i)%maxBursts]
		if !t.After(from) {
			break
		}
		if n == 0 {
			last = t
		}
		first = t
		n++
	}
	// Three bursts show a rhythm; most events in them show it is the
	// stream's shape, not a hiccup.
	if n < 3 || events == 0 || inBursts*4 < events*3 {
		return 0, false
	}
	return last.Sub(first) / time.Duration(n-1), true
}
