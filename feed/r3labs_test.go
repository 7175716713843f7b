package feed_test

// The facts behind README's "Why livefeed has its own SSE engine": the same
// streams through livefeed's parser and through github.com/r3labs/sse/v2's
// client, with what each reports. r3labs is pinned in go.mod, so its column
// is a record of its behaviour, checked on every run.

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	r3 "github.com/r3labs/sse/v2"
	backoff "gopkg.in/cenkalti/backoff.v1"

	"github.com/livefeed/livefeed/feed"
)

// onceTransport answers with body and then a clean end of stream.
type onceTransport struct {
	body   string
	status int
	ctype  string
}

func (o onceTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	return &http.Response{
		StatusCode: o.status, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:  http.Header{"Content-Type": {o.ctype}},
		Body:    io.NopCloser(bytes.NewBufferString(o.body)),
		Request: req,
	}, nil
}

func ours(stream string) []string {
	var got []string
	p := feed.NewParser(0, func(e feed.Event) { got = append(got, fmt.Sprintf("%s|%s|%q", e.Type, e.ID, e.Data)) }, nil)
	p.Reset("")
	_ = p.Write([]byte(stream))
	return got
}

func r3labs(t *testing.T, stream string) []string {
	t.Helper()
	c := r3.NewClient("http://r3labs.invalid/")
	c.Connection = &http.Client{Transport: onceTransport{body: stream, status: 200, ctype: "text/event-stream"}}
	var got []string
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := c.SubscribeRawWithContext(ctx, func(e *r3.Event) {
		typ := string(e.Event)
		if typ == "" {
			typ = "message"
		}
		got = append(got, fmt.Sprintf("%s|%s|%q", typ, e.ID, e.Data))
	})
	if err != nil {
		t.Fatalf("r3labs: %v", err)
	}
	return got
}

func TestR3labsDeparturesFromEventSource(t *testing.T) {
	tests := []struct {
		name    string
		stream  string
		browser []string // what EventSource dispatches (and livefeed does)
		r3labs  []string // what r3labs/sse/v2 v2.10.0 hands its caller
	}{
		{"unterminated final event is dispatched", "data: a\n\ndata: half", []string{`message||"a"`}, []string{`message||"a"`, `message||"half"`}},
		{"event-only block becomes an empty event", "event: ping\n\ndata: a\n\n", []string{`message||"a"`}, []string{`ping||""`, `message||"a"`}},
		{"id-only block becomes an event", "id: 7\n\n", nil, []string{`message|7|""`}},
		{"LF CR does not end the event", "data: a\n\rdata: b\n\n", []string{`message||"a"`, `message||"b"`}, []string{`message||"a\nb"`}},
		{"empty lines inside data are lost", "data: a\ndata\ndata: b\n\n", []string{`message||"a\n\nb"`}, []string{`message||"a\n\nb"`}},
		{"leading BOM is not stripped", "\uFEFFdata: x\n\n", []string{`message||"x"`}, nil},
		{"empty id does not reset", "id: 1\ndata: a\n\nid\ndata: b\n\n", []string{`message|1|"a"`, `message||"b"`}, []string{`message|1|"a"`, `message|1|"b"`}},
		{"id with NUL is accepted", "id: a\x00b\ndata: x\n\n", []string{`message||"x"`}, []string{"message|a\x00b|\"x\""}},
		{"invalid UTF-8 passes through raw", "data: \xff\n\n", []string{"message||\"\uFFFD\""}, []string{`message||"\xff"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := ours(tc.stream); fmt.Sprint(got) != fmt.Sprint(tc.browser) {
				t.Errorf("livefeed: %q, want the browser's %q", got, tc.browser)
			}
			if got := r3labs(t, tc.stream); fmt.Sprint(got) != fmt.Sprint(tc.r3labs) {
				t.Errorf("r3labs changed: now %q, recorded %q", got, tc.r3labs)
			}
		})
	}
}

// TestR3labsKeepsReconnectingAfter204 records that r3labs treats "204: stop"
// as a reason to retry, where EventSource closes for good.
func TestR3labsKeepsReconnectingAfter204(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	c := r3.NewClient(srv.URL)
	c.ReconnectStrategy = boundedBackoff(1500 * time.Millisecond)
	_ = c.SubscribeRaw(func(*r3.Event) {})
	if n := hits.Load(); n < 2 {
		t.Errorf("r3labs made %d request(s) to a server answering 204; recorded: it retries", n)
	}
}

// TestR3labsAcceptsAnyContentType records that r3labs parses a text/html
// response as events, where EventSource fails the connection.
func TestR3labsAcceptsAnyContentType(t *testing.T) {
	c := r3.NewClient("http://r3labs.invalid/")
	c.Connection = &http.Client{Transport: onceTransport{body: "data: <html>\n\n", status: 200, ctype: "text/html"}}
	var n int
	_ = c.SubscribeRaw(func(*r3.Event) { n++ })
	if n != 1 {
		t.Errorf("r3labs delivered %d events from a text/html response; recorded: 1", n)
	}
}

// boundedBackoff is r3labs' default strategy with an end, so these tests stop.
func boundedBackoff(d time.Duration) backoff.BackOff {
	b := backoff.NewExponentialBackOff()
	b.MaxElapsedTime = d
	return b
}

// TestR3labsIgnoresCancelWhileRetrying records that cancelling the context of
// SubscribeWithContext does not stop its retry loop: it returns only when its
// backoff gives up (by default after 15 minutes).
func TestR3labsIgnoresCancelWhileRetrying(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	c := r3.NewClient(srv.URL)
	c.ReconnectStrategy = boundedBackoff(2 * time.Second)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = c.SubscribeRawWithContext(ctx, func(*r3.Event) {}); close(done) }()
	time.Sleep(200 * time.Millisecond)
	cancel()
	select {
	case <-done:
		t.Error("r3labs returned promptly after cancel; recorded: it keeps retrying")
	case <-time.After(time.Second):
	}
	<-done // its bounded backoff ends it
}
