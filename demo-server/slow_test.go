package demoserver

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestSlowClientIsolation: one client that never reads is dropped, every other
// client gets every event in order meanwhile, and the dropped client can
// resume from where it really stopped.
func TestSlowClientIsolation(t *testing.T) {
	s := startServer(t, func(o *Options) {
		o.QueueSize = 16
		o.WriteTimeout = 300 * time.Millisecond
		o.History = 5000
	})
	ctx := testContext(t)
	addr := strings.TrimPrefix(s.URL(), "http://")

	// The stuck client: asks for the stream, then never reads.
	stuck, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer stuck.Close()
	fmt.Fprintf(stuck, "GET /events/stocks HTTP/1.1\r\nHost: %s\r\n\r\n", addr)
	waitSubscribers(t, s, 1)

	const readers, events = 4, 3000
	var received [readers]atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, readers)
	for i := range readers {
		st := openStream(t, ctx, s.URL()+"/events/stocks", "")
		wg.Go(func() {
			for n := 1; n <= events; n++ {
				b, err := st.nextEvent()
				if err != nil {
					errs <- fmt.Errorf("reader %d after %d events: %v", i, n-1, err)
					return
				}
				if b.ID != strconv.Itoa(n) {
					errs <- fmt.Errorf("reader %d: event %d has id %q", i, n, b.ID)
					return
				}
				received[i].Store(int64(n))
			}
		})
	}
	waitSubscribers(t, s, readers+1)

	// 4 KiB events, 12 MiB in all: far more than the stuck client's socket
	// buffers hold. The publisher waits for the reading clients (never for the
	// stuck one), so that only the stuck one can fall behind.
	payload := `{"pad":"` + strings.Repeat("x", 4096) + `"}`
	for n := 1; n <= events; n++ {
		publish(t, s, TopicStocks, "quote", payload)
		for i := range readers {
			for received[i].Load() < int64(n-8) {
				select {
				case err := <-errs:
					t.Fatal(err)
				case <-ctx.Done():
					t.Fatalf("reader %d stuck at %d of %d published", i, received[i].Load(), n)
				default:
					time.Sleep(50 * time.Microsecond)
				}
			}
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if st := s.Status(); st.Subscribers != readers {
		t.Errorf("%d subscribers left, want the %d readers (the stuck one dropped)", st.Subscribers, readers)
	}

	// The server ended the stuck client's response: reading it now comes to
	// an end (clean, or cut off if the final write timed out) after whatever
	// the server had managed to send.
	_ = stuck.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(stuck), nil)
	if err != nil {
		t.Fatalf("stuck connection: %v", err)
	}
	lastID := ""
	br := bufio.NewReader(resp.Body)
	for {
		line, err := br.ReadString('\n')
		if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
			break
		}
		if err != nil {
			t.Fatalf("the server did not end the stuck client's stream: %v", err)
		}
		if id, ok := strings.CutPrefix(line, "id: "); ok {
			lastID = strings.TrimSpace(id)
		}
	}
	last, err := strconv.Atoi(lastID)
	if err != nil || last >= events {
		t.Fatalf("stuck client's last id %q, want one before %d", lastID, events)
	}
	// Its id may belong to an event cut off mid-frame; resuming after the one
	// before it is always safe and must replay everything from there.
	st := openStream(t, ctx, s.URL()+"/events/stocks", strconv.Itoa(last-1))
	for n := last; n <= events; n++ {
		if b := st.mustEvent(t); b.ID != strconv.Itoa(n) {
			t.Fatalf("resumed stream: got id %q, want %d", b.ID, n)
		}
	}
}
