package demoserver

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/r3labs/sse/v2"
)

// noRetry is a reconnect strategy (r3labs' ReconnectStrategy, a
// backoff.BackOff) that never retries: one call of SubscribeRawWithContext is
// one connection, which ends when its context does.
type noRetry struct{}

func (noRetry) NextBackOff() time.Duration { return -1 } // backoff.Stop
func (noRetry) Reset()                     {}

// r3labsCollect subscribes a github.com/r3labs/sse/v2 client to its URL until
// it has n events (retry-only blocks, which r3labs also hands out, are
// skipped) or ctx ends, disconnects it and waits until the client has stopped.
// It returns the events and the id the client will send as Last-Event-ID on
// its next connection.
//
// The client records an event's id before it hands the event over, and reads
// ahead of its handler, so when we stop after the n-th event it may already
// have recorded later ones that we never saw. What it will resume from is
// therefore read from the client once it has stopped, never inferred from the
// last event we took.
func r3labsCollect(ctx context.Context, t *testing.T, c *sse.Client, n int) (events []*sse.Event, resumeID string) {
	t.Helper()
	c.ReconnectStrategy = noRetry{}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	got := make(chan *sse.Event)
	errc := make(chan error, 1)
	go func() {
		errc <- c.SubscribeRawWithContext(ctx, func(e *sse.Event) {
			if len(e.Event) == 0 && len(e.Data) == 0 {
				return
			}
			select {
			case got <- e:
			case <-ctx.Done():
			}
		})
	}()
	for len(events) < n {
		select {
		case e := <-got:
			events = append(events, e)
		case err := <-errc:
			t.Fatalf("r3labs client stopped after %d events: %v", len(events), err)
		case <-ctx.Done():
			t.Fatalf("r3labs client got %d of %d events", len(events), n)
		}
	}
	cancel()
	select {
	case <-errc:
	case <-time.After(10 * time.Second):
		t.Fatal("r3labs client still running 10s after its context ended")
	}
	id, _ := c.LastEventID.Load().([]byte)
	return events, string(id)
}

// TestR3labsClient: a real third-party client parses our stream, tracks our
// ids and resumes through Last-Event-ID without a gap or a duplicate.
func TestR3labsClient(t *testing.T) {
	s := startServer(t, func(o *Options) { o.Rate = 200 })
	ctx := testContext(t)

	c := sse.NewClient(s.URL() + "/events/stocks")
	var prev uint64 // the id the client resumes from; 0 before the first round
	for round := range 4 {
		// Each round is a new connection of the same client, which sends the
		// last id it recorded; the gap between rounds is filled from the
		// history, so the round's first event follows that id exactly.
		events, resume := r3labsCollect(ctx, t, c, 25)
		for _, e := range events {
			if string(e.Event) != "quote" {
				t.Fatalf("event type %q", e.Event)
			}
			var q Quote
			if err := json.Unmarshal(e.Data, &q); err != nil || q.Symbol == "" {
				t.Fatalf("quote %s: %v", e.Data, err)
			}
			id, err := strconv.ParseUint(string(e.ID), 10, 64)
			if err != nil || (prev != 0 && id != prev+1) {
				t.Fatalf("round %d: id %q after %d", round, e.ID, prev)
			}
			prev = id
		}
		// The client may have read past the events we took, never before them.
		r, err := strconv.ParseUint(resume, 10, 64)
		if err != nil || r < prev {
			t.Fatalf("round %d: the client resumes from %q, before the last event taken (%d)", round, resume, prev)
		}
		prev = r
		time.Sleep(50 * time.Millisecond) // events go on while it is away
	}

	// Multi-topic, with the composite ids: every event moves exactly one
	// topic's position by one from the previous event, or, across a
	// reconnect, from the id the client resumed with.
	names := []string{TopicSports, TopicNews}
	c = sse.NewClient(s.URL() + "/events?topics=sports,news")
	seen := map[string]bool{}
	var last map[string]uint64
	step := func(id string) map[string]uint64 {
		t.Helper()
		pos, ok := parseLastEventID(id, names)
		if !ok {
			t.Fatalf("id %q", id)
		}
		if last != nil {
			moved := 0
			for _, n := range names {
				switch pos[n] {
				case last[n]:
				case last[n] + 1:
					moved++
				default:
					t.Fatalf("id %q after %v: %s jumped", id, last, n)
				}
			}
			if moved != 1 {
				t.Fatalf("id %q after %v: want exactly one topic one event further", id, last)
			}
		}
		return pos
	}
	for range 3 {
		events, resume := r3labsCollect(ctx, t, c, 20)
		for _, e := range events {
			seen[string(e.Event)] = true
			last = step(string(e.ID))
		}
		if resume != "" {
			pos, ok := parseLastEventID(resume, names)
			if !ok {
				t.Fatalf("the client resumes from %q", resume)
			}
			for _, n := range names {
				if pos[n] < last[n] {
					t.Fatalf("the client resumes from %q, before the last event taken (%v)", resume, last)
				}
			}
			last = pos
		}
	}
	if !seen["score"] || !seen["headline"] && !seen["notification"] {
		t.Errorf("event types seen: %v", seen)
	}
}

// TestR3labsClientShutdown: the r3labs client receives the final event.
func TestR3labsClientShutdown(t *testing.T) {
	s := startServer(t, nil)
	c := sse.NewClient(s.URL() + "/events/news")
	events := make(chan *sse.Event, 10)
	go func() {
		_ = c.SubscribeRawWithContext(testContext(t), func(e *sse.Event) {
			if len(e.Data) > 0 {
				events <- e
			}
		})
	}()
	waitSubscribers(t, s, 1)
	publish(t, s, TopicNews, "headline", `{"id":1}`)
	if err := s.Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"headline", "shutdown"} {
		select {
		case e := <-events:
			if string(e.Event) != want {
				t.Fatalf("got %s event, want %s", e.Event, want)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("no %s event", want)
		}
	}
}
