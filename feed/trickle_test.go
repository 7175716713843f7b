package feed

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

func TestTrickling(t *testing.T) {
	c := coalescing{window: DefaultCoalesce}
	tests := []struct {
		name   string
		was    bool
		waited time.Duration
		recent int
		want   bool
	}{
		{"found data waiting, not trickling: read on", false, 10 * time.Microsecond, 100, false},
		{"waited a little for a slow stream: trickle", false, 5 * time.Millisecond, 100, true},
		{"found data waiting after a sleep: go on trickling", true, 10 * time.Microsecond, 2000, true},
		{"waited a little after a sleep: go on trickling", true, 5 * time.Millisecond, 2000, true},
		{"waited a whole window: quiet spell, read the next at once", true, c.window, 100, false},
		{"a long wait", false, time.Second, 0, false},
		{"fast stream: read as it comes", true, 10 * time.Microsecond, c.bytes(), false},
		{"fast stream that waited a little", false, 5 * time.Millisecond, c.bytes() + 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.trickling(tt.was, tt.waited, tt.recent); got != tt.want {
				t.Errorf("trickling(%v, %v, %d) = %v, want %v", tt.was, tt.waited, tt.recent, got, tt.want)
			}
		})
	}
}

func TestUntilNextWindow(t *testing.T) {
	base := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	for _, w := range []time.Duration{DefaultCoalesce, 50 * time.Millisecond} {
		c := coalescing{window: w}
		for _, off := range []time.Duration{0, time.Nanosecond, time.Millisecond, w / 2, w - time.Nanosecond, w, 7*w + 3*time.Millisecond} {
			now := base.Add(off)
			d := c.untilNext(now)
			if d <= 0 || d > w {
				t.Errorf("window %v, at +%v: %v, want in (0, %v]", w, off, d, w)
			}
			if end := now.Add(d); !end.Equal(end.Truncate(w)) {
				t.Errorf("window %v, at +%v: the window ends at %v, not on a boundary", w, off, end)
			}
		}
	}
	if got := (coalescing{window: DefaultCoalesce}).bytes(); got != 16<<10 {
		t.Errorf("a 20 ms window trickles below %d bytes, want 16 KiB", got)
	}
}

// A stream that trickles in (a small write every 2 ms, some events split
// across two writes) makes the feed sleep through windows with its socket
// hushed; nothing may be lost or held back: the event that comes after a
// quiet spell arrives (a low-water mark left high would hold it forever),
// and not a backlog's worth of windows late (reading one HTTP/2 frame or one
// buffered chunk per window made it 2 s late).
func TestTricklingStreamLosesNothing(t *testing.T) {
	// 40-byte pads: a few events a window; 1,200: ~12 kB a window, more
	// than the HTTP client buffers (4 kB) but still trickling.
	for _, pad := range []int{40, 1200} {
		t.Run(fmt.Sprint(pad), func(t *testing.T) { testTrickle(t, pad) })
	}
}

func testTrickle(t *testing.T, pad int) {
	const n = 120
	var lastSent atomic.Int64
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sse(w, "")
		f := w.(http.Flusher)
		for i := range n {
			ev := fmt.Sprintf("id: %d\ndata: {\"seq\":%d,\"pad\":\"%0*d\"}\n\n", i, i, pad, i)
			if i%7 == 3 {
				half := len(ev) / 2
				fmt.Fprint(w, ev[:half])
				f.Flush()
				time.Sleep(6 * time.Millisecond)
				ev = ev[half:]
			}
			fmt.Fprint(w, ev)
			f.Flush()
			time.Sleep(2 * time.Millisecond)
		}
		time.Sleep(150 * time.Millisecond)
		lastSent.Store(time.Now().UnixNano())
		fmt.Fprint(w, "data: last\n\n")
		f.Flush()
		<-r.Context().Done()
	})
	h2 := httptest.NewUnstartedServer(handler)
	h2.EnableHTTP2 = true
	h2.StartTLS()
	for name, srv := range map[string]*httptest.Server{
		"http":     httptest.NewServer(handler),
		"https":    httptest.NewTLSServer(handler),
		"http/2.0": h2,
	} {
		t.Run(name, func(t *testing.T) {
			t.Cleanup(srv.Close)
			h := start(t, Options{URL: srv.URL, Insecure: true})
			h.state(Connecting)
			wantProto := "HTTP/1.1"
			if name == "http/2.0" {
				wantProto = "HTTP/2.0"
			}
			if st := h.state(Open); st.Proto != wantProto {
				t.Fatalf("connected over %s, want %s", st.Proto, wantProto)
			}
			for i := range n {
				want := fmt.Sprintf("{\"seq\":%d,\"pad\":\"%0*d\"}", i, pad, i)
				if e := h.event(); e.Data != want || e.ID != fmt.Sprint(i) {
					t.Fatalf("event %d = %+v, want data %s", i, e, want)
				}
			}
			if e := h.event(); e.Data != "last" {
				t.Fatalf("after the quiet spell: %+v, want last", e)
			}
			// A bound on lateness 50 times the coalescing window: not a
			// speed target, a check that no backlog built up.
			if late := time.Since(time.Unix(0, lastSent.Load())); late > 50*DefaultCoalesce {
				t.Errorf("the last event came %v after it was sent", late)
			}
		})
	}
}
