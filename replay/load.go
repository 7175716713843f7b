// Package replay serves a capture (see package capture) as SSE: each
// recorded feed at /feeds/<name>, its events with their original type, id
// and data, at the original pace scaled by a speed that can be changed,
// paused and stepped while it plays.
package replay

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/livefeed/livefeed/capture"
	"github.com/livefeed/livefeed/feed"
)

// Event is a recorded event and when it arrived, as an offset from the
// start of the replay.
type Event struct {
	At time.Duration
	feed.Event
}

// Feed is one recorded feed's events in the order they arrived.
type Feed struct {
	Name   string
	Events []Event
}

// Recording is what a replay serves: the selected feeds of a capture, their
// events timed from the first one.
type Recording struct {
	Origin time.Time     // when the first served event arrived
	Span   time.Duration // from the first event to the last
	Feeds  []*Feed       // in the order they first appear in the capture
	times  []time.Duration
}

// Select says which part of a capture to replay.
type Select struct {
	// From drops events that arrived before it (zero: keep all).
	From time.Time
	// Feeds keeps only the named feeds (nil: all).
	Feeds []string
}

// NewRecording builds a Recording from capture lines (see Loader).
func NewRecording(lines []capture.Line, sel Select) (*Recording, error) {
	var l Loader
	for i := range lines {
		l.Add(&lines[i])
	}
	return l.Recording(sel)
}

// maxInterned bounds the event types a Loader shares: a capture has a few,
// a hostile one could have a new one per line.
const maxInterned = 1024

// Loader builds a Recording from capture lines as they are read, keeping
// only what a replay needs (a capture's decoded lines take about twice the
// memory). State lines only show which feeds exist; events define the
// timeline. The zero Loader is ready to use.
type Loader struct {
	feeds  []*Feed
	byName map[string]*Feed
	types  map[string]string
	first  time.Time
	lines  int
}

// Add takes one line. Until Recording, an event's At holds its Unix time in
// nanoseconds.
func (l *Loader) Add(line *capture.Line) {
	l.lines++
	f := l.byName[line.Feed]
	if f == nil {
		if l.byName == nil {
			l.byName, l.types = map[string]*Feed{}, map[string]string{}
		}
		f = &Feed{Name: line.Feed}
		l.byName[line.Feed] = f
		l.feeds = append(l.feeds, f)
	}
	if line.Kind != capture.KindEvent {
		return
	}
	if l.first.IsZero() || line.Time.Before(l.first) {
		l.first = line.Time
	}
	e := line.Event
	if t, ok := l.types[e.Type]; ok {
		e.Type = t
	} else if len(l.types) < maxInterned {
		l.types[e.Type] = e.Type
	}
	f.Events = append(f.Events, Event{At: time.Duration(line.Time.UnixNano()), Event: e})
}

// First is when the first event arrived (zero: no event yet).
func (l *Loader) First() time.Time { return l.first }

// Recording selects what to replay and times it from the first selected
// event. A feed's events never go back in time (a hand-edited capture's
// out-of-order time is clamped to its predecessor's), and an error names
// each selected feed that is not in the capture. It takes the Loader's
// events: call it once.
func (l *Loader) Recording(sel Select) (*Recording, error) {
	var missing []string
	for _, n := range sel.Feeds {
		if l.byName[n] == nil {
			missing = append(missing, fmt.Sprintf("%q", n))
		}
	}
	if len(missing) > 0 {
		if l.lines == 0 {
			return nil, fmt.Errorf("feed %s not in the capture (it is empty)", strings.Join(missing, ", "))
		}
		var have []string
		for _, f := range l.feeds {
			have = append(have, fmt.Sprintf("%q", f.Name))
		}
		return nil, fmt.Errorf("feed %s not in the capture (it has %s)", strings.Join(missing, ", "), strings.Join(have, ", "))
	}
	feeds := l.feeds
	if len(sel.Feeds) > 0 {
		feeds = slices.DeleteFunc(slices.Clone(l.feeds), func(f *Feed) bool { return !slices.Contains(sel.Feeds, f.Name) })
	}
	from := time.Duration(math.MinInt64)
	if !sel.From.IsZero() {
		from = time.Duration(sel.From.UnixNano())
	}
	origin := time.Duration(math.MaxInt64)
	for _, f := range feeds {
		f.Events = slices.DeleteFunc(f.Events, func(e Event) bool { return e.At < from })
		for _, e := range f.Events {
			origin = min(origin, e.At)
		}
	}
	rec := &Recording{Feeds: feeds}
	if origin == time.Duration(math.MaxInt64) {
		return rec, nil
	}
	rec.Origin = time.Unix(0, int64(origin)).In(l.first.Location())
	for _, f := range feeds {
		var prev time.Duration
		for i := range f.Events {
			at := max(f.Events[i].At-origin, prev)
			f.Events[i].At, prev = at, at
			rec.times = append(rec.times, at)
			rec.Span = max(rec.Span, at)
		}
	}
	slices.Sort(rec.times)
	return rec, nil
}

// Feed returns the named feed, or nil.
func (r *Recording) Feed(name string) *Feed {
	for _, f := range r.Feeds {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// Events is how many events the recording holds.
func (r *Recording) Events() int { return len(r.times) }

// nextAfter is the offset of the first event later than at within one pass
// of the recording, and false when there is none.
func (r *Recording) nextAfter(at time.Duration) (time.Duration, bool) {
	i := sort.Search(len(r.times), func(i int) bool { return r.times[i] > at })
	if i == len(r.times) {
		return 0, false
	}
	return r.times[i], true
}

// resumeIndex is where a stream resumes for a client whose Last-Event-ID
// is id: just after the event that made id the last event ID (the first of
// a run of events carrying it, since a server sends an id once and the
// events after it inherit it). ok is false when no event carries id.
func (f *Feed) resumeIndex(id string) (int, bool) {
	prev := ""
	for i, e := range f.Events {
		if e.ID == id && prev != id {
			return i + 1, true
		}
		prev = e.ID
	}
	return 0, false
}
