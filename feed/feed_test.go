package feed

import (
	"context"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// harness runs one feed against a test server and hands its messages over one
// at a time, failing (never hanging) when an expected message does not come.
// message is one event or state change, unpacked from the feed's batches.
type message struct {
	event  *Event
	status *Status
}

type harness struct {
	t       *testing.T
	feed    *Feed
	ch      chan Batch
	pending []message
	stop    context.CancelFunc
	done    chan struct{}
}

func start(t *testing.T, opts Options) *harness {
	t.Helper()
	f, err := New("test", opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	h := &harness{t: t, feed: f, ch: make(chan Batch, 16), stop: cancel, done: make(chan struct{})}
	go func() { defer close(h.done); f.Run(ctx, h.ch) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-h.done:
		case <-time.After(5 * time.Second):
			t.Error("Run did not return within 5s of cancel")
		}
	})
	return h
}

func (h *harness) next() message {
	h.t.Helper()
	if len(h.pending) == 0 {
		select {
		case b := <-h.ch:
			if (b.Status == nil) == (len(b.Events) == 0) {
				h.t.Fatalf("batch with %d events and status %v: want exactly one kind", len(b.Events), b.Status)
			}
			if b.Feed != "test" || b.Time.IsZero() {
				h.t.Fatalf("batch feed %q time %v", b.Feed, b.Time)
			}
			if b.Status != nil {
				h.pending = append(h.pending, message{status: b.Status})
			}
			for i := range b.Events {
				h.pending = append(h.pending, message{event: &b.Events[i]})
			}
		case <-time.After(5 * time.Second):
			h.t.Fatal("no message from the feed within 5s")
		}
	}
	m := h.pending[0]
	h.pending = h.pending[1:]
	return m
}

// state waits for the next state message, skipping events.
func (h *harness) state(want State) Status {
	h.t.Helper()
	for {
		m := h.next()
		if m.status == nil {
			continue
		}
		if m.status.State != want {
			h.t.Fatalf("state = %v (err %v), want %v", m.status.State, m.status.Err, want)
		}
		return *m.status
	}
}

func (h *harness) event() Event {
	h.t.Helper()
	m := h.next()
	if m.event == nil {
		h.t.Fatalf("got state %v (err %v), want an event", m.status.State, m.status.Err)
	}
	return *m.event
}

// quiet asserts that the feed says nothing for d (used for "no reconnect").
func (h *harness) quiet(d time.Duration) {
	h.t.Helper()
	if len(h.pending) > 0 {
		h.t.Fatalf("unexpected message %+v", h.pending[0])
	}
	select {
	case m := <-h.ch:
		h.t.Fatalf("unexpected messages %+v", m)
	case <-time.After(d):
	}
}

// serve starts a test server that closes after the feed under test has
// stopped (cleanups run last-registered first, and start registers later).
func serve(t *testing.T, h http.Handler) *httptest.Server {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func sse(w http.ResponseWriter, body string) {
	w.Header().Set("Content-Type", "text/event-stream")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, body)
	w.(http.Flusher).Flush()
}

// scripted serves the i-th response body for the i-th request and records
// every request's headers; requests past the script wait for the client to go.
type scripted struct {
	hold     bool // keep each response open after its body
	mu       sync.Mutex
	bodies   []string
	requests []http.Header
}

func (s *scripted) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	n := len(s.requests)
	s.requests = append(s.requests, r.Header.Clone())
	s.mu.Unlock()
	if n >= len(s.bodies) {
		sse(w, "")
		<-r.Context().Done()
		return
	}
	sse(w, s.bodies[n])
	if s.hold {
		<-r.Context().Done()
	}
}

func (s *scripted) header(i int, name string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.requests[i][http.CanonicalHeaderKey(name)]
	if !ok {
		return "", false
	}
	return v[0], true
}

func TestOpenBeforeAnyBodyByte(t *testing.T) {
	release := make(chan struct{})
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sse(w, "")
		<-release
		fmt.Fprint(w, "data: late\n\n")
	}))
	defer close(release)
	h := start(t, Options{URL: srv.URL})
	h.state(Connecting)
	st := h.state(Open)
	if st.HTTPStatus != 200 {
		t.Errorf("open status = %d", st.HTTPStatus)
	}
	release <- struct{}{}
	if e := h.event(); e.Data != "late" {
		t.Errorf("event = %+v", e)
	}
}

func TestRequestHeaders(t *testing.T) {
	s := &scripted{}
	srv := serve(t, s)
	h := start(t, Options{URL: srv.URL, Header: http.Header{"x-token": {"abc"}, "authorization": {"Bearer t"}}})
	h.state(Connecting)
	h.state(Open)
	for name, want := range map[string]string{"Accept": "text/event-stream", "Cache-Control": "no-cache", "X-Token": "abc", "Authorization": "Bearer t"} {
		if got, _ := s.header(0, name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if v, ok := s.header(0, "Last-Event-ID"); ok {
		t.Errorf("first request sent Last-Event-ID %q", v)
	}
}

func TestReconnectSendsLastEventIDAndHonoursRetry(t *testing.T) {
	s := &scripted{bodies: []string{
		"retry: 40\nid: 7\ndata: one\n\n",
		"data: two\n\n",       // no id: the id carries over; no retry: 40ms persists
		"id\ndata: three\n\n", // empty id resets
		"id: 9\n\nid: 10\n",   // an id-only block counts; an unfinished one does not
	}}
	srv := serve(t, s)
	h := start(t, Options{URL: srv.URL, Retry: 10 * time.Second})
	h.state(Connecting)
	h.state(Open)
	if e := h.event(); e != ev("message", "one", "7") {
		t.Fatalf("event = %+v", e)
	}
	for i, want := range []Event{ev("message", "two", "7"), ev("message", "three", "")} {
		st := h.state(Connecting)
		if st.ReconnectIn != 40*time.Millisecond || !errors.Is(st.Err, ErrStreamEnded) {
			t.Fatalf("reconnect %d: in %v err %v; want exactly the server's retry (40ms) after a clean end", i+1, st.ReconnectIn, st.Err)
		}
		h.state(Open)
		if e := h.event(); e != want {
			t.Fatalf("event = %+v, want %+v", e, want)
		}
	}
	h.state(Connecting)
	h.state(Open)
	h.state(Connecting)
	h.state(Open)
	for i, want := range []string{"", "7", "7", "", "9"} {
		got, ok := s.header(i, "Last-Event-ID")
		if got != want || ok != (want != "") {
			t.Errorf("request %d: Last-Event-ID = %q (sent %v), want %q", i, got, ok, want)
		}
	}
	if st := h.feed.Stats(); st.Retry != 40*time.Millisecond || st.LastEventID != "9" || st.Events != 3 || st.Reconnects != 4 {
		t.Errorf("stats = %+v", st)
	}
}

func TestUnsendableLastEventIDStillReconnects(t *testing.T) {
	s := &scripted{bodies: []string{"id: a\x07b\ndata: x\n\n", "data: y\n\n"}}
	srv := serve(t, s)
	h := start(t, Options{URL: srv.URL, Retry: 10 * time.Millisecond})
	h.state(Connecting)
	h.state(Open)
	if e := h.event(); e.ID != "a\x07b" {
		t.Fatalf("event %+v", e)
	}
	h.state(Connecting)
	h.state(Open)
	if e := h.event(); e.ID != "a\x07b" || e.Data != "y" {
		t.Fatalf("event %+v", e)
	}
	if v, ok := s.header(1, "Last-Event-ID"); ok {
		t.Errorf("sent Last-Event-ID %q", v)
	}
}

func TestFailingResponsesClose(t *testing.T) {
	tests := []struct {
		name   string
		status int
		ctype  string
		want   string
	}{
		{"204 means stop", 204, "text/event-stream", "server returned 204 No Content"},
		{"500", 500, "text/event-stream", "server returned 500 Internal Server Error"},
		{"401", 401, "text/plain", "server returned 401 Unauthorized"},
		{"html", 200, "text/html; charset=utf-8", `server sent Content-Type "text/html; charset=utf-8" (want text/event-stream)`},
		{"no content type", 200, "", "server sent no Content-Type (want text/event-stream)"},
		{"similar type", 200, "text/event-streams", `server sent Content-Type "text/event-streams" (want text/event-stream)`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var hits atomic.Int32
			srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				hits.Add(1)
				w.Header()["Content-Type"] = []string{tc.ctype}
				w.WriteHeader(tc.status)
				fmt.Fprint(w, "data: never\n\n")
			}))
			h := start(t, Options{URL: srv.URL, Retry: 10 * time.Millisecond})
			h.state(Connecting)
			st := h.state(Closed)
			if st.HTTPStatus != tc.status || st.Err == nil || st.Err.Error() != tc.want {
				t.Fatalf("closed with status %d err %v; want %d %q", st.HTTPStatus, st.Err, tc.status, tc.want)
			}
			h.quiet(150 * time.Millisecond)
			if n := hits.Load(); n != 1 {
				t.Fatalf("server saw %d requests; a failed connection must not reconnect", n)
			}
			// A manual reconnect revives a closed feed.
			h.feed.Reconnect()
			if st := h.state(Connecting); !errors.Is(st.Err, ErrReconnect) {
				t.Errorf("revive err = %v", st.Err)
			}
			h.state(Closed)
		})
	}
}

func TestContentTypeEssenceAndCharsetIgnored(t *testing.T) {
	for _, ctype := range []string{"text/event-stream;charset=iso-8859-1", "TEXT/Event-Stream", " text/event-stream ; foo=bar"} {
		t.Run(ctype, func(t *testing.T) {
			srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header()["Content-Type"] = []string{ctype}
				fmt.Fprint(w, "data: caf\xc3\xa9\n\n") // UTF-8 whatever the charset says
				w.(http.Flusher).Flush()
				<-r.Context().Done()
			}))
			h := start(t, Options{URL: srv.URL})
			h.state(Connecting)
			h.state(Open)
			if e := h.event(); e.Data != "café" {
				t.Errorf("data = %q", e.Data)
			}
		})
	}
}

func TestStaleConnectionReconnects(t *testing.T) {
	// An event, then silence: a connection that delivered nothing and ended
	// within a second would count as a failed attempt instead.
	s := &scripted{hold: true, bodies: []string{": hi\ndata: x\n\n"}}
	srv := serve(t, s)
	h := start(t, Options{URL: srv.URL, Stale: 100 * time.Millisecond, Retry: 20 * time.Millisecond})
	h.state(Connecting)
	h.state(Open)
	h.event()
	st := h.state(Connecting)
	if !errors.Is(st.Err, ErrStale) || st.ReconnectIn != 20*time.Millisecond {
		t.Fatalf("err %v in %v; want stale and the retry time", st.Err, st.ReconnectIn)
	}
	h.state(Open)
}

func TestCommentsKeepConnectionAlive(t *testing.T) {
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sse(w, "")
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for i := 0; i < 15; i++ {
			select {
			case <-r.Context().Done():
				return
			case <-tick.C:
				fmt.Fprint(w, ":\n")
				w.(http.Flusher).Flush()
			}
		}
		fmt.Fprint(w, "data: still here\n\n")
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	}))
	h := start(t, Options{URL: srv.URL, Stale: 100 * time.Millisecond})
	h.state(Connecting)
	h.state(Open)
	if e := h.event(); e.Data != "still here" {
		t.Fatalf("event %+v", e)
	}
}

func TestOversizedEventDropsConnectionWithBoundedMemory(t *testing.T) {
	var hits atomic.Int32
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) > 1 {
			sse(w, "data: small\n\n")
			<-r.Context().Done()
			return
		}
		sse(w, "data: ")
		chunk := []byte(strings.Repeat("x", 64<<10))
		for i := 0; i < 1600; i++ { // 100 MiB, far past the limit
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}))
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	h := start(t, Options{URL: srv.URL, MaxEventSize: 64 << 10, Retry: 10 * time.Millisecond})
	h.state(Connecting)
	h.state(Open)
	st := h.state(Connecting)
	if !errors.Is(st.Err, ErrEventTooLarge) {
		t.Fatalf("err = %v, want ErrEventTooLarge", st.Err)
	}
	// It counts as a failed attempt: a server that keeps sending too big an
	// event is not hammered at the reconnection time.
	if st.Attempt != 2 || st.ReconnectIn < minFailureWait {
		t.Errorf("attempt %d in %v, want attempt 2 with backoff", st.Attempt, st.ReconnectIn)
	}
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	if grew := int64(after.HeapInuse) - int64(before.HeapInuse); grew > 16<<20 {
		t.Errorf("heap grew by %d MiB while refusing a 100 MiB event with a 64 KiB limit", grew>>20)
	}
	h.state(Open)
	if e := h.event(); e.Data != "small" {
		t.Fatalf("after reconnect: %+v", e)
	}
}

func TestRedirects(t *testing.T) {
	var other http.Header
	var mu sync.Mutex
	elsewhere := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		other = r.Header.Clone()
		mu.Unlock()
		sse(w, "data: from elsewhere\n\n")
		<-r.Context().Done()
	}))
	s := &scripted{bodies: []string{"data: same origin\n\n"}}
	mux := http.NewServeMux()
	mux.Handle("/stream", s)
	mux.HandleFunc("/here", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/stream", http.StatusFound) })
	mux.HandleFunc("/away", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, elsewhere.URL+"/s", http.StatusTemporaryRedirect)
	})
	origin := serve(t, mux)
	hdr := http.Header{"Authorization": {"Bearer secret"}, "X-Api-Key": {"k"}}

	h := start(t, Options{URL: origin.URL + "/here", Header: hdr})
	h.state(Connecting)
	h.state(Open)
	if e := h.event(); e.Data != "same origin" {
		t.Fatalf("event %+v", e)
	}
	if v, _ := s.header(0, "X-Api-Key"); v != "k" {
		t.Errorf("same-origin redirect lost the feed's header (X-Api-Key = %q)", v)
	}

	h2 := start(t, Options{URL: origin.URL + "/away", Header: hdr})
	h2.state(Connecting)
	h2.state(Open)
	if e := h2.event(); e.Data != "from elsewhere" {
		t.Fatalf("event %+v", e)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, name := range []string{"Authorization", "X-Api-Key", "Cookie"} {
		if v := other.Get(name); v != "" {
			t.Errorf("credentials leaked to another origin: %s: %q", name, v)
		}
	}
}

// refusingURL returns a loopback URL where nothing listens.
func refusingURL(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr + "/"
}

func TestBackoffDoublesWithJitterCappedAndResetsOnOpen(t *testing.T) {
	h := start(t, Options{URL: refusingURL(t), Retry: time.Second, MaxBackoff: 5 * time.Second})
	h.state(Connecting)
	// Reconnect() cuts each wait short, so the test reads the schedule
	// without sleeping through it.
	for i, base := range []time.Duration{1, 2, 4, 5, 5} {
		base *= time.Second
		st := h.state(Connecting)
		if st.Attempt != i+2 {
			t.Errorf("attempt = %d, want %d", st.Attempt, i+2)
		}
		limit := min(base+base/5, 5*time.Second)
		if st.ReconnectIn < base || st.ReconnectIn > limit {
			t.Errorf("wait %d = %v, want within [%v, %v]", i+1, st.ReconnectIn, base, limit)
		}
		if st.Err == nil || !strings.Contains(st.Err.Error(), "refused") {
			t.Errorf("err = %v, want connection refused", st.Err)
		}
		h.feed.Reconnect()
	}
}

func TestBackoffResetsAfterOpen(t *testing.T) {
	var fail atomic.Bool
	fail.Store(true)
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if fail.Load() {
			// Hang up without a response: a network error, so a retry with backoff.
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
			return
		}
		sse(w, "data: ok\n\n")
	}))
	h := start(t, Options{URL: srv.URL, Retry: time.Second, MaxBackoff: time.Minute})
	h.state(Connecting)
	if st := h.state(Connecting); st.Attempt != 2 {
		t.Fatalf("attempt %d", st.Attempt)
	}
	h.feed.Reconnect()
	if st := h.state(Connecting); st.ReconnectIn < 2*time.Second {
		t.Fatalf("second wait %v, want ≥ 2s", st.ReconnectIn)
	}
	fail.Store(false)
	h.feed.Reconnect()
	if st := h.state(Open); st.Attempt != 3 {
		t.Errorf("opened on attempt %d, want 3", st.Attempt)
	}
	h.event()
	st := h.state(Connecting)
	if st.ReconnectIn != time.Second || st.Attempt != 1 {
		t.Fatalf("after open: wait %v attempt %d; want exactly the reconnection time and attempt 1", st.ReconnectIn, st.Attempt)
	}
}

func TestConnectTimeout(t *testing.T) {
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done() // never answers
	}))
	h := start(t, Options{URL: srv.URL, ConnectTimeout: 100 * time.Millisecond})
	h.state(Connecting)
	if st := h.state(Connecting); !errors.Is(st.Err, ErrTimeout) {
		t.Fatalf("err = %v, want connect timeout", st.Err)
	}
}

func TestManualReconnectWhileOpen(t *testing.T) {
	s := &scripted{hold: true, bodies: []string{"id: 3\ndata: a\n\n"}}
	srv := serve(t, s)
	h := start(t, Options{URL: srv.URL, Retry: time.Hour})
	h.state(Connecting)
	h.state(Open)
	h.event()
	h.feed.Reconnect()
	st := h.state(Connecting)
	if !errors.Is(st.Err, ErrReconnect) || st.ReconnectIn != 0 {
		t.Fatalf("err %v wait %v; want an immediate reconnect", st.Err, st.ReconnectIn)
	}
	h.state(Open)
	if v, _ := s.header(1, "Last-Event-ID"); v != "3" {
		t.Errorf("Last-Event-ID after manual reconnect = %q", v)
	}
}

func TestEventsInOrderNoneLostWithSlowConsumer(t *testing.T) {
	const n = 20000
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sse(w, "")
		var b strings.Builder
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "id: %d\nevent: tick\ndata: {\"n\":%d}\n\n", i, i)
		}
		fmt.Fprint(w, b.String())
		<-r.Context().Done()
	}))
	h := start(t, Options{URL: srv.URL})
	h.state(Connecting)
	h.state(Open)
	for i := 0; i < n; i++ {
		e := h.event()
		if e.ID != fmt.Sprint(i) || e.Data != fmt.Sprintf(`{"n":%d}`, i) {
			t.Fatalf("event %d = %+v", i, e)
		}
		if i%2000 == 0 {
			time.Sleep(5 * time.Millisecond) // the engine must wait for us, not drop
		}
	}
	if st := h.feed.Stats(); st.Events != n || st.LastEventID != fmt.Sprint(n-1) || st.LastEventAt.IsZero() {
		t.Errorf("stats = %+v", st)
	}
}

func TestCancelStopsPromptly(t *testing.T) {
	srv := serve(t, &scripted{})
	h := start(t, Options{URL: srv.URL})
	h.state(Connecting)
	h.state(Open)
	h.stop()
	select {
	case <-h.done:
	case <-time.After(2 * time.Second):
		t.Fatal("Run still running 2s after cancel")
	}
}

func TestNewRejectsBadOptions(t *testing.T) {
	for _, u := range []string{"ftp://x/", "not a url", "http://", "://x", ""} {
		if _, err := New("x", Options{URL: u}); err == nil {
			t.Errorf("New(%q) accepted", u)
		}
	}
	if _, err := New("x", Options{URL: "http://x/", CAFile: "/nonexistent/ca.pem"}); err == nil {
		t.Error("missing CA file accepted")
	}
}

func TestTLSOptions(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sse(w, "data: secure\n\n")
		<-r.Context().Done()
	}))
	t.Cleanup(srv.Close)
	ca := filepath.Join(t.TempDir(), "ca.pem")
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(ca, pemBytes, 0o600); err != nil {
		t.Fatal(err)
	}

	// Unknown authority: a network-level failure, retried with backoff, never silently trusted.
	h := start(t, Options{URL: srv.URL, Retry: time.Hour})
	h.state(Connecting)
	if st := h.state(Connecting); st.Err == nil || !strings.Contains(st.Err.Error(), "certificate") {
		t.Fatalf("untrusted server: err = %v, want a certificate error", st.Err)
	}

	for name, opts := range map[string]Options{
		"ca file":  {URL: srv.URL, CAFile: ca},
		"insecure": {URL: srv.URL, Insecure: true},
	} {
		t.Run(name, func(t *testing.T) {
			h := start(t, opts)
			h.state(Connecting)
			h.state(Open)
			if e := h.event(); e.Data != "secure" {
				t.Fatalf("event %+v", e)
			}
		})
	}

	bad := filepath.Join(t.TempDir(), "bad.pem")
	if err := os.WriteFile(bad, []byte("not a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := New("x", Options{URL: srv.URL, CAFile: bad}); err == nil || !strings.Contains(err.Error(), "no PEM certificates") {
		t.Errorf("bad CA file: err = %v", err)
	}
}

// An SSE client has no page to refer from, and Go's client would otherwise
// add the full previous URL (query token included) as Referer on a redirect.
func TestNoRefererEvenAfterRedirects(t *testing.T) {
	var mu sync.Mutex
	referers := map[string][]string{}
	record := func(r *http.Request) {
		mu.Lock()
		referers[r.URL.Path] = append(referers[r.URL.Path], r.Header.Values("Referer")...)
		mu.Unlock()
	}
	elsewhere := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		record(r)
		sse(w, "data: from elsewhere\n\n")
		<-r.Context().Done()
	}))
	mux := http.NewServeMux()
	mux.HandleFunc("/first", func(w http.ResponseWriter, r *http.Request) {
		record(r)
		http.Redirect(w, r, "/second?token=secret2", http.StatusFound)
	})
	mux.HandleFunc("/second", func(w http.ResponseWriter, r *http.Request) {
		record(r)
		http.Redirect(w, r, elsewhere.URL+"/s", http.StatusTemporaryRedirect)
	})
	origin := serve(t, mux)

	h := start(t, Options{URL: origin.URL + "/first?token=secret1"})
	h.state(Connecting)
	h.state(Open)
	if e := h.event(); e.Data != "from elsewhere" {
		t.Fatalf("event %+v", e)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, path := range []string{"/first", "/second", "/s"} {
		if v := referers[path]; len(v) > 0 {
			t.Errorf("request to %s carried Referer %q", path, v)
		}
	}
}

// A consumer that takes its time is not the server's silence: the stale
// check counts only the time the feed waits for bytes.
func TestSlowConsumerIsNotStale(t *testing.T) {
	const stale = 100 * time.Millisecond
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sse(w, "data: first\n\n")
		<-r.Context().Done() // then silence
	}))
	f, err := New("slow", Options{URL: srv.URL, Stale: stale, Retry: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ch := make(chan Batch) // unbuffered: the feed waits for every receive
	done := make(chan struct{})
	go func() { defer close(done); f.Run(ctx, ch) }()
	defer func() { cancel(); <-done }()
	next := func() Batch {
		t.Helper()
		select {
		case b := <-ch:
			return b
		case <-time.After(5 * time.Second):
			t.Fatal("no batch within 5s")
			return Batch{}
		}
	}
	for _, want := range []State{Connecting, Open} {
		if b := next(); b.Status == nil || b.Status.State != want {
			t.Fatalf("got %+v, want state %v", b, want)
		}
	}
	time.Sleep(3 * stale) // the feed holds the event and waits for us
	if b := next(); len(b.Events) != 1 || b.Events[0].Data != "first" {
		t.Fatalf("got %+v, want the event", b)
	}
	delivered := time.Now()
	b := next()
	if b.Status == nil || !errors.Is(b.Status.Err, ErrStale) {
		t.Fatalf("got %+v, want a stale reconnect", b)
	}
	if waited := time.Since(delivered); waited < stale*8/10 {
		t.Errorf("went stale %v after the event was delivered; the time the consumer took counted as silence", waited)
	}
}
