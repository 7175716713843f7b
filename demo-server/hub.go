package demoserver

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// The topics the server carries, in the order pages and status list them.
const (
	TopicStocks  = "stocks"
	TopicSports  = "sports"
	TopicNews    = "news"
	TopicJobs    = "jobs"
	TopicMetrics = "metrics"
)

// Topics returns the names of the server's topics.
func Topics() []string {
	return []string{TopicStocks, TopicSports, TopicNews, TopicJobs, TopicMetrics}
}

func knownTopic(name string) bool {
	switch name {
	case TopicStocks, TopicSports, TopicNews, TopicJobs, TopicMetrics:
		return true
	}
	return false
}

var (
	errClosed       = errors.New("server is shutting down")
	errUnknownTopic = errors.New("unknown topic")
)

// event is one published event, encoded once and shared by every subscriber.
type event struct {
	topic *topic
	seq   uint64 // per topic, from 1
	order uint64 // hub-wide publish order: multi-topic replays keep the live interleaving
	wire  []byte // "id: <seq>\nevent: <name>\ndata: <json>\n\n"
	body  int    // wire[body:] is the frame without its id line
}

// topic is one stream of events with its history and current subscribers.
type topic struct {
	name   string
	latest uint64 // sequence number of the last event, 0 before the first
	ring   ring
	subs   map[*subscriber]struct{}
}

// subscriber is one connection's mailbox. The hub never waits for it: it
// appends to a bounded queue and pokes notify; when the queue is full the
// subscriber is dropped (kicked is closed) and the client resumes through
// Last-Event-ID, so nobody waits for a slow reader. The queue is a slice that
// grows only while events wait, so an idle subscriber costs almost nothing.
type subscriber struct {
	mu     sync.Mutex
	queue  []*event
	notify chan struct{} // capacity 1: "the queue is not empty"
	kicked chan struct{}
	topics []*topic

	removed bool // guarded by hub.mu
}

// take returns the queued events, leaving spare (emptied) as the new queue.
func (s *subscriber) take(spare []*event) []*event {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.queue
	s.queue = spare[:0]
	return q
}

// hub fans events out to subscribers and keeps each topic's history.
type hub struct {
	queueSize int

	mu     sync.Mutex
	topics map[string]*topic
	order  uint64
	closed bool
	subs   int
	drops  uint64

	done chan struct{} // closed on shutdown: every stream sends its final event
}

func newHub(history, queueSize int) *hub {
	h := &hub{queueSize: queueSize, topics: make(map[string]*topic), done: make(chan struct{})}
	for _, name := range Topics() {
		h.topics[name] = &topic{name: name, ring: newRing(history), subs: make(map[*subscriber]struct{})}
	}
	return h
}

// publish assigns the next id of topicName to an event and hands it to every
// subscriber of the topic without blocking.
func (h *hub) publish(topicName, name string, data []byte) (seq uint64, receivers int, err error) {
	t := h.topics[topicName]
	if t == nil {
		return 0, 0, fmt.Errorf("%w %q", errUnknownTopic, topicName)
	}
	// Everything but the id is encoded outside the lock.
	frame := make([]byte, 0, 32+len(name)+len(data))
	frame = append(frame, "event: "...)
	frame = append(frame, name...)
	frame = append(frame, "\ndata: "...)
	frame = append(frame, data...)
	frame = append(frame, "\n\n"...)

	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return 0, 0, errClosed
	}
	t.latest++
	h.order++
	wire := make([]byte, 0, 24+len(frame))
	wire = append(wire, "id: "...)
	wire = strconv.AppendUint(wire, t.latest, 10)
	wire = append(wire, '\n')
	ev := &event{topic: t, seq: t.latest, order: h.order, body: len(wire)}
	ev.wire = append(wire, frame...)
	t.ring.push(ev)
	for s := range t.subs {
		s.mu.Lock()
		full := len(s.queue) >= h.queueSize
		if !full {
			s.queue = append(s.queue, ev)
		}
		s.mu.Unlock()
		if full {
			h.dropLocked(s)
			continue
		}
		select {
		case s.notify <- struct{}{}:
		default:
		}
		receivers++
	}
	return ev.seq, receivers, nil
}

// reset tells a resuming client that its position in a topic is lost.
type reset struct {
	Topic     string  `json:"topic"`
	Reason    string  `json:"reason"`
	Message   string  `json:"message"`
	Requested string  `json:"requested"`
	Oldest    *uint64 `json:"oldest"`
	Latest    uint64  `json:"latest"`
}

const (
	reasonUnknownID = "unknown id"
	reasonTooOld    = "id too old"
)

// start is what a new subscription begins with: per topic (in request order)
// the position the client stands at, the events it missed, and the resets.
type start struct {
	pos    []uint64
	replay []*event // in publish order, strictly after pos
	resets []reset
}

// subscribe registers a subscriber for names and, atomically with that, works
// out what it missed since lastID, so that replay and live events neither
// overlap nor leave a gap.
func (h *hub) subscribe(names []string, lastID string) (*subscriber, start, error) {
	var seqs map[string]uint64
	parsed := true
	if lastID != "" {
		seqs, parsed = parseLastEventID(lastID, names)
	}
	requested := lastID
	if len(requested) > 200 {
		requested = requested[:200] + "…"
	}
	requested = strings.ToValidUTF8(requested, "\uFFFD")

	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil, start{}, errClosed
	}
	s := &subscriber{notify: make(chan struct{}, 1), kicked: make(chan struct{})}
	st := start{pos: make([]uint64, len(names))}
	for i, name := range names {
		t := h.topics[name]
		s.topics = append(s.topics, t)
		t.subs[s] = struct{}{}
		st.pos[i] = t.latest
		if lastID == "" {
			continue
		}
		seq, ok := seqs[name]
		r := reset{Topic: name, Requested: requested, Latest: t.latest}
		if o := t.ring.oldest(); o != 0 {
			r.Oldest = &o
		}
		switch {
		case !parsed:
			r.Reason, r.Message = reasonUnknownID, "Last-Event-ID is not an id this server sent; continuing live"
		case !ok:
			r.Reason, r.Message = reasonUnknownID, fmt.Sprintf("Last-Event-ID has no position for topic %s; continuing live", name)
		case seq > t.latest:
			r.Reason, r.Message = reasonUnknownID, fmt.Sprintf("event %d of %s was never sent (latest is %d; did the server restart?); continuing live", seq, name, t.latest)
		default:
			missed, inRing := t.ring.after(seq, t.latest)
			if inRing {
				st.pos[i] = seq
				st.replay = append(st.replay, missed...)
				continue
			}
			r.Reason, r.Message = reasonTooOld, fmt.Sprintf("events after %d of %s are no longer kept (history holds %d); continuing live", seq, name, len(t.ring.buf))
		}
		st.resets = append(st.resets, r)
	}
	if len(names) > 1 {
		slices.SortFunc(st.replay, func(a, b *event) int { return compareUint(a.order, b.order) })
	}
	h.subs++
	return s, st, nil
}

func compareUint(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// unsubscribe removes s; it is safe to call after s was dropped.
func (h *hub) unsubscribe(s *subscriber) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.removeLocked(s)
}

// dropLocked removes a subscriber that fell behind and tells its stream to end.
func (h *hub) dropLocked(s *subscriber) {
	if h.removeLocked(s) {
		h.drops++
		close(s.kicked)
	}
}

func (h *hub) removeLocked(s *subscriber) bool {
	if s.removed {
		return false
	}
	s.removed = true
	for _, t := range s.topics {
		delete(t.subs, s)
	}
	h.subs--
	return true
}

// close stops publishing and tells every stream to send its shutdown event.
func (h *hub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.closed {
		h.closed = true
		close(h.done)
	}
}

// TopicStatus describes one topic in Status.
type TopicStatus struct {
	Latest      uint64  `json:"latest"`
	Oldest      *uint64 `json:"oldest"`
	Subscribers int     `json:"subscribers"`
}

// Status is a snapshot of the hub, served by /healthz.
type Status struct {
	Status      string                 `json:"status"`
	Subscribers int                    `json:"subscribers"`
	Dropped     uint64                 `json:"dropped_slow_subscribers"`
	Topics      map[string]TopicStatus `json:"topics"`
}

func (h *hub) status() Status {
	h.mu.Lock()
	defer h.mu.Unlock()
	st := Status{Status: "ok", Subscribers: h.subs, Dropped: h.drops, Topics: make(map[string]TopicStatus)}
	if h.closed {
		st.Status = "shutting down"
	}
	for name, t := range h.topics {
		ts := TopicStatus{Latest: t.latest, Subscribers: len(t.subs)}
		if o := t.ring.oldest(); o != 0 {
			ts.Oldest = &o
		}
		st.Topics[name] = ts
	}
	return st
}
