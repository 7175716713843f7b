// Package replay serves a capture (see package capture) as SSE: each
// recorded feed at /feeds/<name>, its events with their original type, id
// and data, at the original pace scaled by a speed that can be changed,
// paused and stepped while it plays.
package replay

import (
	"fmt"
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

// NewRecording builds a Recording from capture lines. State lines only
// show which feeds exist; events define the timeline. A feed's events never
// go back in time (a hand-edited capture's out-of-order time is clamped to
// its predecessor's), and an error names each selected feed that is not in
// the capture.
func NewRecording(lines []capture.Line, sel Select) (*Recording, error) {
	want := map[string]bool{}
	for _, n := range sel.Feeds {
		want[n] = true
	}
	byName := map[string]*Feed{}
	var feeds []*Feed
	var origin time.Time
	for i := range lines {
		l := &lines[i]
		if len(want) > 0 && !want[l.Feed] {
			continue
		}
		f := byName[l.Feed]
		if f == nil {
			f = &Feed{Name: l.Feed}
			byName[l.Feed] = f
			feeds = append(feeds, f)
		}
		if l.Kind != capture.KindEvent || l.Time.Before(sel.From) {
			continue
		}
		if origin.IsZero() || l.Time.Before(origin) {
			origin = l.Time
		}
	}
	var missing []string
	for _, n := range sel.Feeds {
		if byName[n] == nil {
			missing = append(missing, fmt.Sprintf("%q", n))
		}
	}
	if len(missing) > 0 {
		if len(lines) == 0 {
			return nil, fmt.Errorf("feed %s not in the capture (it is empty)", strings.Join(missing, ", "))
		}
		return nil, fmt.Errorf("feed %s not in the capture (it has %s)", strings.Join(missing, ", "), strings.Join(allNames(lines), ", "))
	}
	rec := &Recording{Origin: origin, Feeds: feeds}
	for i := range lines {
		l := &lines[i]
		f := byName[l.Feed]
		if f == nil || l.Kind != capture.KindEvent || l.Time.Before(sel.From) {
			continue
		}
		at := l.Time.Sub(origin)
		if n := len(f.Events); n > 0 && at < f.Events[n-1].At {
			at = f.Events[n-1].At
		}
		f.Events = append(f.Events, Event{At: at, Event: l.Event})
		rec.times = append(rec.times, at)
		rec.Span = max(rec.Span, at)
	}
	slices.Sort(rec.times)
	return rec, nil
}

func allNames(lines []capture.Line) []string {
	seen := map[string]bool{}
	var names []string
	for i := range lines {
		if n := lines[i].Feed; !seen[n] {
			seen[n] = true
			names = append(names, fmt.Sprintf("%q", n))
		}
	}
	return names
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
