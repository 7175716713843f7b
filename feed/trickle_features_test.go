package feed

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"
)

// These tests run a stream that trickles in (a small write every 2 ms, so
// that the feed sleeps through its coalescing windows with the socket
// hushed, see coalescing) against the feed's other features: EndOn,
// Reconnect, a server that hangs up, and Stale. Over HTTP/1.1 (the socket's
// low-water mark) and HTTP/2 (a plain pause). They assert no timing but
// the harness's hang bounds; which moments fall inside a sleep is up to the
// scheduler, so each test does its thing many times or while the feed
// sleeps most of the time.

// trickleServers serves handler over plain HTTP/1.1 and over HTTP/2 (TLS).
func trickleServers(t *testing.T, handler http.Handler) map[string]*httptest.Server {
	h2 := httptest.NewUnstartedServer(handler)
	h2.EnableHTTP2 = true
	h2.StartTLS()
	srvs := map[string]*httptest.Server{"http": httptest.NewServer(handler), "http/2.0": h2}
	for _, s := range srvs {
		t.Cleanup(s.Close)
	}
	return srvs
}

// trickleEvent writes event i, every seventh across two writes, and waits.
func trickleEvent(w http.ResponseWriter, i int) {
	ev := fmt.Sprintf("id: %d\ndata: %d\n\n", i, i)
	if i%7 == 3 {
		fmt.Fprint(w, ev[:len(ev)/2])
		w.(http.Flusher).Flush()
		time.Sleep(3 * time.Millisecond)
		ev = ev[len(ev)/2:]
	}
	fmt.Fprint(w, ev)
	w.(http.Flusher).Flush()
	time.Sleep(2 * time.Millisecond)
}

// requests records each request's Last-Event-ID.
type requests struct {
	mu  sync.Mutex
	ids []string
}

func (q *requests) add(r *http.Request) int {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.ids = append(q.ids, r.Header.Get("Last-Event-ID"))
	return len(q.ids) - 1
}

func (q *requests) reset() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.ids = nil
}

func (q *requests) lastEventID(i int) string {
	q.mu.Lock()
	defer q.mu.Unlock()
	if i >= len(q.ids) {
		return "(no such request)"
	}
	return q.ids[i]
}

// The end marker arrives while the feed sleeps, split across writes or
// with the events before it and after it in the same write: the feed
// delivers exactly what came before it, and closes with ErrFinished and the
// marker's id as its last event ID.
func TestTricklingEndOn(t *testing.T) {
	for _, split := range []bool{true, false} {
		handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			sse(w, "")
			for i := range 40 {
				trickleEvent(w, i)
			}
			if split {
				fmt.Fprint(w, "id: end\ndata: [DO")
				w.(http.Flusher).Flush()
				time.Sleep(3 * time.Millisecond)
				fmt.Fprint(w, "NE]\n\nid: 41\ndata: after\n\n")
			} else {
				fmt.Fprint(w, "id: 40\ndata: 40\n\nid: end\ndata: [DONE]\n\nid: 41\ndata: after\n\n")
			}
			w.(http.Flusher).Flush()
			for i := 42; i < 60 && r.Context().Err() == nil; i++ {
				trickleEvent(w, i)
			}
			<-r.Context().Done()
		})
		for name, srv := range trickleServers(t, handler) {
			t.Run(fmt.Sprintf("%s/split %v", name, split), func(t *testing.T) {
				h := start(t, Options{URL: srv.URL, Insecure: true, EndOn: "[DONE]", Retry: time.Hour})
				h.state(Connecting)
				h.state(Open)
				n := 40
				if !split {
					n = 41
				}
				for i := range n {
					if e := h.event(); e != ev("message", strconv.Itoa(i), strconv.Itoa(i)) {
						t.Fatalf("event %d = %+v", i, e)
					}
				}
				if st := h.state(Closed); !errors.Is(st.Err, ErrFinished) {
					t.Fatalf("closed with %v, want ErrFinished", st.Err)
				}
				if s := h.feed.Stats(); s.LastEventID != "end" || s.Events != uint64(n) {
					t.Errorf("last event ID %q after %d events, want %q after %d", s.LastEventID, s.Events, "end", n)
				}
				h.quiet(100 * time.Millisecond)
			})
		}
	}
}

// Reconnect() while the feed sleeps in a window drops the connection and
// connects again at once (Retry is an hour: a reconnect that waited it would
// hang the test), with the last delivered event's id; the server resumes
// after it, so the events seen are exactly 0, 1, 2, ... Reconnect is called
// just after a batch arrived, when a trickling feed has gone to sleep.
func TestTricklingReconnectWhileSleeping(t *testing.T) {
	var q requests
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q.add(r)
		from := 0
		if id := r.Header.Get("Last-Event-ID"); id != "" {
			n, err := strconv.Atoi(id)
			if err != nil {
				http.Error(w, "bad Last-Event-ID", http.StatusBadRequest)
				return
			}
			from = n + 1
		}
		sse(w, "")
		for i := from; r.Context().Err() == nil; i++ {
			trickleEvent(w, i)
		}
	})
	for name, srv := range trickleServers(t, handler) {
		t.Run(name, func(t *testing.T) {
			q.reset()
			h := start(t, Options{URL: srv.URL, Insecure: true, Retry: time.Hour})
			h.state(Connecting)
			h.state(Open)
			next := 0 // the next event expected
			event := func() {
				t.Helper()
				if e := h.event(); e.Data != strconv.Itoa(next) || e.ID != e.Data {
					t.Fatalf("event %+v, want %d", e, next)
				}
				next++
			}
			const reconnects = 6
			for k := range reconnects {
				for range 8 + 3*k {
					event()
				}
				h.feed.Reconnect()
				// What was read before the drop still comes, then the reconnect.
				for {
					m := h.next()
					if m.event != nil {
						if m.event.Data != strconv.Itoa(next) {
							t.Fatalf("event %+v, want %d", *m.event, next)
						}
						next++
						continue
					}
					if m.status.State != Connecting || !errors.Is(m.status.Err, ErrReconnect) || m.status.ReconnectIn != 0 {
						t.Fatalf("after Reconnect: %v (err %v, in %v), want CONNECTING at once", m.status.State, m.status.Err, m.status.ReconnectIn)
					}
					break
				}
				h.state(Open)
				if got, want := q.lastEventID(k+1), strconv.Itoa(next-1); got != want {
					t.Fatalf("reconnect %d: Last-Event-ID %q, want %q", k+1, got, want)
				}
			}
			for range 10 {
				event()
			}
		})
	}
}

// A server that hangs up (cleanly, or by dropping the connection) right
// after its last write, while the feed sleeps in its window: the feed
// delivers every event sent, then reconnects with the last one's id. The
// server numbers its events across connections and does not resume from
// Last-Event-ID, so an event lost at a hang-up shows as a gap.
func TestTricklingServerHangsUpWhileFeedSleeps(t *testing.T) {
	for _, abort := range []bool{false, true} {
		var q requests
		var mu sync.Mutex
		next := 0
		const perConn, conns = 25, 3
		handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if q.add(r) >= conns {
				sse(w, "")
				<-r.Context().Done()
				return
			}
			sse(w, "")
			for range perConn {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				trickleEvent(w, i)
			}
			if abort {
				panic(http.ErrAbortHandler) // HTTP/1.1: the connection closes mid-body; HTTP/2: RST_STREAM
			}
		})
		for name, srv := range trickleServers(t, handler) {
			t.Run(fmt.Sprintf("%s/abort %v", name, abort), func(t *testing.T) {
				q.reset()
				mu.Lock()
				next = 0
				mu.Unlock()
				h := start(t, Options{URL: srv.URL, Insecure: true, Retry: 10 * time.Millisecond})
				h.state(Connecting)
				h.state(Open)
				for c := range conns {
					for i := c * perConn; i < (c+1)*perConn; i++ {
						if e := h.event(); e.Data != strconv.Itoa(i) || e.ID != e.Data {
							t.Fatalf("connection %d: event %+v, want %d", c, e, i)
						}
					}
					st := h.state(Connecting)
					if !abort && !errors.Is(st.Err, ErrStreamEnded) {
						t.Errorf("connection %d ended with %v, want ErrStreamEnded", c, st.Err)
					}
					if st.ReconnectIn != 10*time.Millisecond {
						t.Errorf("connection %d: reconnect in %v, want the reconnection time", c, st.ReconnectIn)
					}
					h.state(Open)
					if got, want := q.lastEventID(c+1), strconv.Itoa((c+1)*perConn-1); got != want {
						t.Fatalf("request %d: Last-Event-ID %q, want %q", c+1, got, want)
					}
				}
			})
		}
	}
}

// A trickling stream is never stale: the feed's sleeps (a window at most)
// are not the server's silence, and neither are quiet spells shorter than
// Stale. Once the server does fall silent for Stale, the feed reconnects.
// Stale is 400 ms, far above the windows: a read held up by a low-water
// mark left high would wait for 16 KiB (20 ms windows) or 40 KiB (50 ms),
// over half a second of this stream.
func TestTricklingStreamIsNotStale(t *testing.T) {
	const n = 300
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sse(w, "")
		for i := range n {
			if i%100 == 99 {
				time.Sleep(80 * time.Millisecond)
			}
			trickleEvent(w, i)
		}
		<-r.Context().Done()
	})
	for name, srv := range trickleServers(t, handler) {
		for _, window := range []time.Duration{DefaultCoalesce, 50 * time.Millisecond} {
			t.Run(fmt.Sprintf("%s/%v", name, window), func(t *testing.T) {
				h := start(t, Options{URL: srv.URL, Insecure: true, Stale: 400 * time.Millisecond,
					Coalesce: window, Retry: time.Hour})
				wantAllThenStale(t, h, n)
			})
		}
	}
}

// A Stale below the coalescing window: the feed's sleeps must still not
// look like the server's silence. Before the window was bounded by Stale
// (see runner.read), a stream written every 2 ms was dropped as stale
// within a few windows.
func TestTricklingStreamIsNotStaleBelowTheWindow(t *testing.T) {
	const n = 300
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sse(w, "")
		for i := range n {
			trickleEvent(w, i)
		}
		<-r.Context().Done()
	})
	for name, srv := range trickleServers(t, handler) {
		t.Run(name, func(t *testing.T) {
			h := start(t, Options{URL: srv.URL, Insecure: true, Stale: 100 * time.Millisecond,
				Coalesce: 250 * time.Millisecond, Retry: time.Hour})
			wantAllThenStale(t, h, n)
		})
	}
}

// wantAllThenStale expects the feed to open, deliver events "0" to n-1 in
// order, and then drop the connection as stale once the server falls silent.
func wantAllThenStale(t *testing.T, h *harness, n int) {
	t.Helper()
	h.state(Connecting)
	h.state(Open)
	for i := range n {
		if e := h.event(); e.Data != strconv.Itoa(i) {
			t.Fatalf("event %+v, want %d", e, i)
		}
	}
	if st := h.state(Connecting); !errors.Is(st.Err, ErrStale) {
		t.Fatalf("after the stream fell silent: %v, want ErrStale", st.Err)
	}
}
