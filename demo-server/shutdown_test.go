package demoserver

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestShutdownEvent(t *testing.T) {
	opts := DefaultOptions()
	opts.Addr, opts.Rate = "127.0.0.1:0", 0
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := Start(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	rctx := testContext(t)
	single := openStream(t, rctx, s.URL()+"/events/news", "")
	multi := openStream(t, rctx, s.URL()+"/events?topics=stocks,news", "")
	publish(t, s, TopicNews, "headline", `{"last":true}`)

	cancel()
	for _, st := range []*sseStream{single, multi} {
		// What was published before the shutdown still arrives, then the
		// shutdown event, then the end of the stream.
		if b := st.mustEvent(t); b.Event != "headline" {
			t.Errorf("got %+v, want the last headline", b)
		}
		b := st.mustEvent(t)
		if b.Event != "shutdown" || b.HasID || !strings.Contains(b.Data, `"reason":"server shutting down"`) {
			t.Errorf("got %+v, want a shutdown event without id", b)
		}
		if _, err := st.next(); err != io.EOF {
			t.Errorf("after shutdown: %v, want a clean end of stream", err)
		}
	}
	if err := s.Wait(); err != nil {
		t.Fatalf("Wait: %v", err)
	}
	if _, err := http.Get(s.URL() + "/healthz"); err == nil {
		t.Fatal("server still answers after shutdown")
	}
	if _, err := s.Publish(TopicNews, "x", []byte("1")); !errors.Is(err, errClosed) {
		t.Errorf("Publish after shutdown: %v", err)
	}
}

// TestShutdownWithStuckClient: a client that stopped reading cannot hold the
// shutdown beyond ShutdownTimeout.
func TestShutdownWithStuckClient(t *testing.T) {
	opts := DefaultOptions()
	opts.Addr, opts.Rate = "127.0.0.1:0", 0
	opts.ShutdownTimeout = 500 * time.Millisecond
	opts.QueueSize = 100_000 // so the stuck client stays subscribed, blocked in a write
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := Start(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	addr := strings.TrimPrefix(s.URL(), "http://")
	stuck, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer stuck.Close()
	fmt.Fprintf(stuck, "GET /events/stocks HTTP/1.1\r\nHost: %s\r\n\r\n", addr)
	waitSubscribers(t, s, 1)
	payload := `"` + strings.Repeat("x", 16<<10) + `"`
	for range 2000 { // 32 MiB: the socket buffers fill and the handler blocks
		publish(t, s, TopicStocks, "quote", payload)
	}
	cancel()
	select {
	case <-s.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("shutdown hung on a client that does not read")
	}
	if err := s.Wait(); err != nil {
		t.Fatalf("Wait: %v", err)
	}
}

func TestShutdownMethod(t *testing.T) {
	s := startServer(t, func(o *Options) { o.Rate = 100 })
	st := openStream(t, testContext(t), s.URL()+"/events/sports", "")
	st.mustEvent(t)
	if err := s.Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := s.Shutdown(t.Context()); err != nil {
		t.Fatalf("second Shutdown: %v", err)
	}
	for {
		b, err := st.nextEvent()
		if err != nil {
			t.Fatalf("stream ended without a shutdown event: %v", err)
		}
		if b.Event == "shutdown" {
			break
		}
	}
}

func TestStartErrors(t *testing.T) {
	s := startServer(t, nil)
	opts := DefaultOptions()
	opts.Addr = strings.TrimPrefix(s.URL(), "http://")
	if _, err := Start(t.Context(), opts); err == nil || !errors.Is(err, syscall.EADDRINUSE) {
		t.Errorf("Start on a busy port: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	opts.Addr = "127.0.0.1:0"
	if _, err := Start(ctx, opts); !errors.Is(err, context.Canceled) {
		t.Errorf("Start with a cancelled context: %v", err)
	}
}
