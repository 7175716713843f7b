package feed

import (
	"compress/gzip"
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"
)

// The OPEN status carries the response's protocol and headers, and each
// status the reconnection time with where it came from.
func TestStatusCarriesResponseAndRetrySource(t *testing.T) {
	s := &scripted{bodies: []string{"retry: 50\ndata: one\n\n", "data: two\n\n"}}
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Accel-Buffering", "no")
		w.Header().Set("Set-Cookie", "sid=SECRET")
		s.ServeHTTP(w, r)
	}))
	h := start(t, Options{URL: srv.URL, Retry: 2 * time.Second})
	if st := h.state(Connecting); st.Retry != 2*time.Second || st.RetryFrom != RetryFromConfig {
		t.Errorf("first status: retry %v from %v, want 2s from config", st.Retry, st.RetryFrom)
	}
	st := h.state(Open)
	if st.Proto != "HTTP/1.1" || st.Header["X-Accel-Buffering"][0] != "no" || st.Header["Set-Cookie"][0] != "sid=SECRET" {
		t.Errorf("open: proto %q header %v", st.Proto, st.Header)
	}
	h.event()
	st = h.state(Connecting)
	if st.Retry != 50*time.Millisecond || st.RetryFrom != RetryFromServer || st.RetryFrom.String() != "server retry:" {
		t.Errorf("after retry: 50: retry %v from %v", st.Retry, st.RetryFrom)
	}
	if st.Header != nil {
		t.Errorf("a reconnect after an open connection carries headers %v; they belong to OPEN", st.Header)
	}
}

// A refused response's headers and protocol reach the CLOSED status.
func TestClosedStatusCarriesResponse(t *testing.T) {
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"error":"token expired"}`)
	}))
	h := start(t, Options{URL: srv.URL})
	h.state(Connecting)
	st := h.state(Closed)
	if st.Proto != "HTTP/1.1" || st.Header["Www-Authenticate"][0] != `Bearer error="invalid_token"` || st.HTTPStatus != 401 {
		t.Errorf("closed: proto %q status %d header %v", st.Proto, st.HTTPStatus, st.Header)
	}
}

// The transport decodes gzip and drops the header; the status keeps it, so a
// viewer can tell the stream is compressed.
func TestStatusKeepsDecodedContentEncoding(t *testing.T) {
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		fmt.Fprint(zw, "data: zipped\n\n")
		zw.Flush()
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	}))
	h := start(t, Options{URL: srv.URL})
	h.state(Connecting)
	st := h.state(Open)
	if got := st.Header["Content-Encoding"]; len(got) != 1 || got[0] != "gzip" {
		t.Errorf("Content-Encoding = %v, want [gzip]", got)
	}
	if e := h.event(); e.Data != "zipped" {
		t.Errorf("event = %+v", e)
	}
}

// Batches carry every byte read, comments included, exactly once.
func TestBatchesCarryBytes(t *testing.T) {
	body := ": hello\n\ndata: one\n\n: beat\n\n"
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { sse(w, body) }))
	f, err := New("test", Options{URL: srv.URL, Retry: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ch := make(chan Batch, 16)
	done := make(chan struct{})
	go func() { defer close(done); f.Run(ctx, ch) }()
	var sum uint64
	for {
		select {
		case b := <-ch:
			sum += b.Bytes
			if b.Status != nil && b.Status.State == Connecting && b.Status.Err != nil {
				cancel()
				<-done
				if sum != uint64(len(body)) || f.Stats().Bytes != sum {
					t.Errorf("batches carried %d bytes, stats %d; the body is %d", sum, f.Stats().Bytes, len(body))
				}
				return
			}
		case <-time.After(5 * time.Second):
			t.Fatal("no reconnect within 5s")
		}
	}
}
