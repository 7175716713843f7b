package demoserver

import (
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

// TestChaos: with --chaos the server aborts, closes and stalls connections,
// and a client that reconnects with Last-Event-ID still sees every event of
// every topic exactly once.
func TestChaos(t *testing.T) {
	s := startServer(t, func(o *Options) {
		o.Rate = 300
		o.Chaos = true
		o.ChaosInterval = 150 * time.Millisecond
	})
	ctx := testContext(t)
	names := Topics()
	url := s.URL() + "/events?topics=" + strings.Join(names, ",")

	var aborts, closes, stalls, events int
	var lastID string
	var prev map[string]uint64
	deadline := time.Now().Add(4 * time.Second)
	for time.Now().Before(deadline) || aborts == 0 || closes == 0 || stalls == 0 {
		if ctx.Err() != nil {
			t.Fatalf("after 20s: %d aborts, %d clean closes, %d stalls; want each at least once", aborts, closes, stalls)
		}
		st, err := dialStream(ctx, url, lastID)
		if err != nil {
			t.Fatal(err)
		}
		last := time.Now()
		for {
			b, err := st.nextEvent()
			if errors.Is(err, io.EOF) {
				closes++
				break
			}
			if err != nil {
				aborts++
				break
			}
			if gap := time.Since(last); gap > 75*time.Millisecond {
				stalls++ // events come every ~1ms; the shortest stall is 62ms
			}
			last = time.Now()
			pos, ok := parseLastEventID(b.ID, names)
			if !ok {
				t.Fatalf("event id %q", b.ID)
			}
			if prev != nil {
				moved := 0
				for _, n := range names {
					switch pos[n] {
					case prev[n]:
					case prev[n] + 1:
						moved++
					default:
						t.Fatalf("%s jumped from %d to %d across a reconnect from %q", n, prev[n], pos[n], lastID)
					}
				}
				if moved != 1 {
					t.Fatalf("id %q after %q", b.ID, lastID)
				}
			}
			prev, lastID = pos, b.ID
			events++
		}
		st.resp.Body.Close()
	}
	t.Logf("%d events over %d aborts, %d clean closes, %d stalls", events, aborts, closes, stalls)
}
