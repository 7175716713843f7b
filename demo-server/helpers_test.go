package demoserver

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// startServer starts a server on a free loopback port with quiet, fast test
// defaults changed by mod, and stops it when the test ends.
func startServer(t *testing.T, mod func(*Options)) *Server {
	t.Helper()
	opts := DefaultOptions()
	opts.Addr = "127.0.0.1:0"
	opts.Rate = 0
	opts.Seed = 1
	opts.Heartbeat = time.Minute
	opts.ShutdownTimeout = 3 * time.Second
	if mod != nil {
		mod(&opts)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s, err := Start(ctx, opts)
	if err != nil {
		cancel()
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		cancel()
		select {
		case <-s.Done():
		case <-time.After(10 * time.Second):
			t.Errorf("server did not stop within 10s of cancel")
		}
	})
	return s
}

// sseBlock is one blank-line-terminated block of an event stream, as the
// server wrote it (the server writes LF line endings and no multi-line data).
type sseBlock struct {
	ID, Event, Data, Retry string
	HasID                  bool
	Comments               []string
}

// sseStream reads blocks from a response body.
type sseStream struct {
	resp *http.Response
	br   *bufio.Reader
}

// openStream GETs url with an optional Last-Event-ID and fails the test
// unless it is a 200 event stream. It is closed when the test ends.
func openStream(t *testing.T, ctx context.Context, url, lastID string) *sseStream {
	t.Helper()
	st, err := dialStream(ctx, url, lastID)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.resp.Body.Close() })
	return st
}

func dialStream(ctx context.Context, url, lastID string) (*sseStream, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "text/event-stream")
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 1024))
		resp.Body.Close()
		return nil, errors.New("GET " + url + ": " + resp.Status + ": " + string(b))
	}
	return &sseStream{resp: resp, br: bufio.NewReader(resp.Body)}, nil
}

// next returns the next block; io.EOF means the server ended the stream cleanly.
func (s *sseStream) next() (sseBlock, error) {
	var b sseBlock
	lines := 0
	for {
		line, err := s.br.ReadString('\n')
		if err != nil {
			if err == io.EOF && (lines > 0 || line != "") {
				err = io.ErrUnexpectedEOF
			}
			return b, err
		}
		line = strings.TrimSuffix(line, "\n")
		if line == "" {
			if lines == 0 {
				continue
			}
			return b, nil
		}
		lines++
		if c, ok := strings.CutPrefix(line, ":"); ok {
			b.Comments = append(b.Comments, strings.TrimPrefix(c, " "))
			continue
		}
		name, value, _ := strings.Cut(line, ":")
		value = strings.TrimPrefix(value, " ")
		switch name {
		case "id":
			b.ID, b.HasID = value, true
		case "event":
			b.Event = value
		case "data":
			b.Data += value
		case "retry":
			b.Retry = value
		}
	}
}

// nextEvent skips comment-only and retry-only blocks.
func (s *sseStream) nextEvent() (sseBlock, error) {
	for {
		b, err := s.next()
		if err != nil || b.Event != "" || b.Data != "" {
			return b, err
		}
	}
}

// mustEvent is nextEvent that fails the test on error.
func (s *sseStream) mustEvent(t *testing.T) sseBlock {
	t.Helper()
	b, err := s.nextEvent()
	if err != nil {
		t.Fatalf("reading event: %v", err)
	}
	return b
}

// publish is Server.Publish that fails the test on error.
func publish(t *testing.T, s *Server, topic, event, data string) string {
	t.Helper()
	id, err := s.Publish(topic, event, []byte(data))
	if err != nil {
		t.Fatalf("Publish(%s, %s): %v", topic, event, err)
	}
	return id
}

// waitSubscribers waits until the hub has n subscribers, so that a test's
// publish is not raced by the subscription it wants to reach.
func waitSubscribers(t *testing.T, s *Server, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for s.Status().Subscribers != n {
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %d subscribers: have %d", n, s.Status().Subscribers)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}
