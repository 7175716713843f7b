package demoserver

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/r3labs/sse/v2"
)

// r3labsCollect subscribes a github.com/r3labs/sse/v2 client to url until it
// has n events (retry-only blocks, which r3labs also hands out, are skipped)
// or ctx ends, then disconnects it.
func r3labsCollect(ctx context.Context, t *testing.T, c *sse.Client, n int) []*sse.Event {
	t.Helper()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	got := make(chan *sse.Event, n)
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
	var events []*sse.Event
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
	return events
}

// TestR3labsClient: a real third-party client parses our stream, tracks our
// ids and resumes through Last-Event-ID without a gap or a duplicate.
func TestR3labsClient(t *testing.T) {
	s := startServer(t, func(o *Options) { o.Rate = 200 })
	ctx := testContext(t)

	c := sse.NewClient(s.URL() + "/events/stocks")
	var prev uint64
	for round := range 4 {
		// Each round is a new connection of the same client, which sends the
		// last id it saw; the gap between rounds is filled from the history.
		for _, e := range r3labsCollect(ctx, t, c, 25) {
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
		time.Sleep(50 * time.Millisecond) // events go on while it is away
	}

	// Multi-topic, with the composite ids.
	c = sse.NewClient(s.URL() + "/events?topics=sports,news")
	seen := map[string]bool{}
	lastID := ""
	for range 3 {
		for _, e := range r3labsCollect(ctx, t, c, 20) {
			seen[string(e.Event)] = true
			if _, ok := parseLastEventID(string(e.ID), []string{TopicSports, TopicNews}); !ok {
				t.Fatalf("id %q", e.ID)
			}
			if lastID != "" && string(e.ID) == lastID {
				t.Fatalf("id %q twice", e.ID)
			}
			lastID = string(e.ID)
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
