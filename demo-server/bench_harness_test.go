package demoserver

// The load harness behind the benchmarks in bench_test.go: the two servers
// under test (ours and r3labs/sse's, as the baseline) behind one interface,
// and raw subscribers that count the events they receive. Everything binds
// 127.0.0.1 and every wait is bounded.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
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

	"github.com/r3labs/sse/v2"
)

// benchPayload is a realistic event: one stock quote.
var benchPayload = []byte(`{"symbol":"NVDA","price":118.62,"change":-0.84,"change_pct":-0.7,"volume":2501157,"time":"2026-11-21T11:36:30.096Z"}`)

// sseTarget is a server under load.
type sseTarget struct {
	url         string // the stream subscribers GET
	publish     func(data []byte)
	subscribers func() int // -1 if the server cannot tell
	stop        func()
}

type targetFactory struct {
	name  string
	start func(tb testing.TB) *sseTarget
}

func benchTargets() []targetFactory {
	return []targetFactory{{"demoserver", startOurs}, {"r3labs", startR3labs}}
}

func startOurs(tb testing.TB) *sseTarget {
	opts := DefaultOptions()
	opts.Addr, opts.Rate, opts.Seed = "127.0.0.1:0", 0, 1
	ctx, cancel := context.WithCancel(context.Background())
	s, err := Start(ctx, opts)
	if err != nil {
		tb.Fatal(err)
	}
	return &sseTarget{
		url: s.URL() + "/events/stocks",
		publish: func(data []byte) {
			if _, _, err := s.hub.publish(TopicStocks, "quote", data); err != nil {
				panic(err)
			}
		},
		subscribers: func() int { return s.Status().Subscribers },
		stop: func() {
			cancel()
			select {
			case <-s.Done():
			case <-time.After(10 * time.Second):
			}
		},
	}
}

// startR3labs runs r3labs/sse's server the way its README does, with
// AutoReplay off: with it on, every event is kept forever and replayed to
// every new subscriber, which would only make it slower.
func startR3labs(tb testing.TB) *sseTarget {
	srv := sse.New()
	srv.AutoReplay = false
	srv.CreateStream("bench")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = hs.Serve(ln) }()
	var id atomic.Uint64
	return &sseTarget{
		url: "http://" + ln.Addr().String() + "/?stream=bench",
		publish: func(data []byte) {
			srv.Publish("bench", &sse.Event{ID: strconv.AppendUint(nil, id.Add(1), 10), Event: []byte("quote"), Data: data})
		},
		subscribers: func() int { return -1 },
		stop: func() {
			// A frozen r3labs stream cannot be shut down cleanly; close the
			// sockets and move on.
			_ = hs.Close()
			go srv.Close()
		},
	}
}

// counter is padded to its own cache line: a thousand readers update these.
type counter struct {
	n atomic.Int64
	_ [56]byte
}

// subscribers is a set of raw event-stream readers that count data lines.
type subscribers struct {
	conns  []net.Conn
	counts []counter
	failed atomic.Int64
	wg     sync.WaitGroup
}

// dialSubscriber opens url on a fresh connection and returns once the
// response headers arrived (both servers register the subscriber first).
func dialSubscriber(url string) (net.Conn, *bufio.Reader, error) {
	hostPath := strings.TrimPrefix(url, "http://")
	host, path, _ := strings.Cut(hostPath, "/")
	conn, err := net.DialTimeout("tcp", host, 10*time.Second)
	if err != nil {
		return nil, nil, err
	}
	_ = conn.SetDeadline(time.Now().Add(30 * time.Second))
	fmt.Fprintf(conn, "GET /%s HTTP/1.1\r\nHost: %s\r\nAccept: text/event-stream\r\n\r\n", path, host)
	resp, err := http.ReadResponse(bufio.NewReaderSize(conn, 4096), nil)
	if err != nil {
		conn.Close()
		return nil, nil, err
	}
	if resp.StatusCode != 200 {
		conn.Close()
		return nil, nil, errors.New(resp.Status)
	}
	_ = conn.SetDeadline(time.Time{})
	return conn, bufio.NewReaderSize(resp.Body, 32<<10), nil
}

// dialSubscribers connects n counting readers to t.
func dialSubscribers(tb testing.TB, t *sseTarget, n int) *subscribers {
	s := &subscribers{conns: make([]net.Conn, n), counts: make([]counter, n)}
	sem := make(chan struct{}, 128)
	var dialErr atomic.Value
	var dials sync.WaitGroup
	for i := range n {
		sem <- struct{}{}
		dials.Go(func() {
			defer func() { <-sem }()
			conn, body, err := dialSubscriber(t.url)
			if err != nil {
				dialErr.Store(err)
				return
			}
			s.conns[i] = conn
			s.wg.Go(func() { s.read(i, body) })
		})
	}
	dials.Wait()
	if err, _ := dialErr.Load().(error); err != nil {
		s.close()
		tb.Fatalf("dialing %d subscribers: %v", n, err)
	}
	return s
}

func (s *subscribers) read(i int, body *bufio.Reader) {
	for {
		line, err := body.ReadSlice('\n')
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			s.failed.Add(1)
			return
		}
		if bytes.HasPrefix(line, []byte("data:")) {
			s.counts[i].n.Add(1)
		}
	}
}

func (s *subscribers) min() int64 {
	m := int64(-1)
	for i := range s.counts {
		if n := s.counts[i].n.Load(); m < 0 || n < m {
			m = n
		}
	}
	return m
}

func (s *subscribers) total() int64 {
	var t int64
	for i := range s.counts {
		t += s.counts[i].n.Load()
	}
	return t
}

func (s *subscribers) close() {
	for _, c := range s.conns {
		if c != nil {
			c.Close()
		}
	}
	s.wg.Wait()
}

// pump publishes up to events events (or until deadline) as fast as the
// slowest reader takes them: no reader is ever more than window events
// behind, so nobody's queue overflows and what is measured is the sustained
// delivery rate.
func pump(t *sseTarget, subs *subscribers, events int, deadline time.Time) (published int) {
	return pumpPayload(t, subs, benchPayload, events, deadline)
}

func pumpPayload(t *sseTarget, subs *subscribers, payload []byte, events int, deadline time.Time) (published int) {
	const window = 64
	for published < events && time.Now().Before(deadline) {
		if published%16 == 0 {
			for subs.min() < int64(published-window) {
				if time.Now().After(deadline) {
					return published
				}
				time.Sleep(20 * time.Microsecond)
			}
		}
		t.publish(payload)
		published++
	}
	return published
}

// waitAll waits until every reader has want events, or deadline.
func waitAll(subs *subscribers, want int64, deadline time.Time) bool {
	for subs.min() < want {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(100 * time.Microsecond)
	}
	return true
}

// httpPublisher returns a function that publishes one quote through POST
// /publish at url, over at most conns keep-alive connections.
func httpPublisher(tb testing.TB, url string, conns int) func() error {
	body, err := json.Marshal(publishRequest{Topic: TopicStocks, Event: "quote", Data: benchPayload})
	if err != nil {
		tb.Fatal(err)
	}
	client := &http.Client{
		Timeout:   30 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns},
	}
	tb.Cleanup(client.CloseIdleConnections)
	return func() error {
		resp, err := client.Post(url, "application/json", bytes.NewReader(body))
		if err != nil {
			return err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusAccepted {
			return fmt.Errorf("POST /publish: %s", resp.Status)
		}
		return nil
	}
}

// pumpConcurrent is pump with several publishers calling publish at once:
// together they publish up to events events (or until deadline), and none
// starts an event while the slowest reader is more than a window behind.
func pumpConcurrent(subs *subscribers, publishers, events int, deadline time.Time, publish func() error) (published int, err error) {
	const window = 64
	var next, done atomic.Int64
	var firstErr atomic.Value
	var wg sync.WaitGroup
	for range publishers {
		wg.Go(func() {
			for {
				i := next.Add(1) - 1
				if i >= int64(events) || time.Now().After(deadline) || firstErr.Load() != nil {
					return
				}
				for subs.min() < i-window {
					if time.Now().After(deadline) {
						return
					}
					time.Sleep(20 * time.Microsecond)
				}
				if err := publish(); err != nil {
					firstErr.CompareAndSwap(nil, err)
					return
				}
				done.Add(1)
			}
		})
	}
	wg.Wait()
	if err, _ := firstErr.Load().(error); err != nil {
		return int(done.Load()), err
	}
	return int(done.Load()), nil
}
