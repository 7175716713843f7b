package ui

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/livefeed/livefeed/feed"
)

type arrival struct {
	at time.Duration
	n  int
}

// Bursts are told from steady streams and from a single hiccup.
func TestBurstDetection(t *testing.T) {
	every := func(step time.Duration, count, n int) []arrival {
		var out []arrival
		for i := 1; i <= count; i++ {
			out = append(out, arrival{time.Duration(i) * step, n})
		}
		return out
	}
	for _, tc := range []struct {
		name  string
		in    []arrival
		want  bool
		every time.Duration
	}{
		{"steady 10/s", every(100*time.Millisecond, 300, 1), false, 0},
		{"one a second", every(time.Second, 30, 1), false, 0},
		{"5 every 1s", every(time.Second, 30, 5), true, time.Second},
		{"20 every 4s", every(4*time.Second, 10, 20), true, 4 * time.Second},
		{"two bursts only", every(5*time.Second, 2, 50), false, 0},
		{"burst split over reads within 10ms", func() []arrival {
			var out []arrival
			for i := 1; i <= 10; i++ {
				at := time.Duration(i) * 2 * time.Second
				out = append(out, arrival{at, 1}, arrival{at + 3*time.Millisecond, 1}, arrival{at + 6*time.Millisecond, 2})
			}
			return out
		}(), true, 2 * time.Second},
		{"bursts long ago", every(time.Second, 5, 5), false, 0}, // checked 2 minutes later
		{"mostly steady, a few bursts", append(every(100*time.Millisecond, 500, 1), every(10*time.Second, 5, 3)...), false, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var a arrivals
			a.reset(testNow)
			last := testNow
			in := append([]arrival(nil), tc.in...)
			sort.Slice(in, func(i, j int) bool { return in[i].at < in[j].at })
			for _, x := range in {
				last = testNow.Add(x.at)
				a.add(last, x.n)
			}
			now := last
			if tc.name == "bursts long ago" {
				now = last.Add(2 * time.Minute)
			}
			got, ok := a.burstEvery(now)
			if ok != tc.want || (ok && got != tc.every) {
				t.Errorf("burstEvery = %v, %v; want %v, %v", got, ok, tc.every, tc.want)
			}
		})
	}
}

// The attempt log keeps the last maxAttempts attempts, newest first, each
// with its outcome, bytes and events.
func TestAttemptLogBounded(t *testing.T) {
	st := &feedStat{name: "f"}
	at := testNow
	refused := errors.New("dial tcp 127.0.0.1:9: connect: connection refused")
	st.apply(&feed.Batch{Time: at, Status: &feed.Status{State: feed.Connecting, Attempt: 1}})
	for i := range 120 {
		at = at.Add(time.Second)
		st.apply(&feed.Batch{Time: at, Status: &feed.Status{State: feed.Connecting, Attempt: i + 2, Err: refused,
			ReconnectAt: at.Add(500 * time.Millisecond)}})
	}
	at = at.Add(time.Second)
	st.apply(&feed.Batch{Time: at, Status: &feed.Status{State: feed.Open, HTTPStatus: 200}})
	st.apply(&feed.Batch{Time: at.Add(time.Second), Events: make([]feed.Event, 7), Bytes: 300})
	st.apply(&feed.Batch{Time: at.Add(2 * time.Second), Bytes: 12, Status: &feed.Status{State: feed.Connecting, Err: feed.ErrStreamEnded,
		ReconnectAt: at.Add(5 * time.Second)}})
	if st.conn.attempts.n != maxAttempts {
		t.Fatalf("holds %d attempts, want %d", st.conn.attempts.n, maxAttempts)
	}
	var got []string
	st.conn.attempts.newestFirst(func(a *attempt) {
		d := "pending"
		if !a.end.IsZero() {
			d = a.end.Sub(a.start).String()
		}
		got = append(got, fmt.Sprintf("%s/%d/%d/%s", a.outcome, a.bytes, a.events, d))
	})
	want := []string{"/0/0/pending", "dropped/312/7/2.5s", "failed/0/0/500ms"}
	if strings.Join(got[:3], " ") != strings.Join(want, " ") {
		t.Errorf("newest attempts %v, want %v", got[:3], want)
	}
	if st.conn.reconnects != 121 || st.conn.bytes != 312 {
		t.Errorf("reconnects %d bytes %d", st.conn.reconnects, st.conn.bytes)
	}
}

// bufferingProxy is a real local server that answers like a proxy buffering
// an event stream: nothing for a while, then several events in one write.
// It speaks HTTP/1.1 by hand (ui does not import net/http, tests included).
func bufferingProxy(t *testing.T, bursts, perBurst int, every time.Duration) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	t.Cleanup(func() { close(done); ln.Close() })
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		r := bufio.NewReader(conn)
		for {
			line, err := r.ReadString('\n')
			if err != nil || line == "\r\n" {
				break
			}
		}
		fmt.Fprint(conn, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n")
		id := 0
		for range bursts {
			select {
			case <-done:
				return
			case <-time.After(every):
			}
			var b strings.Builder
			for range perBurst {
				id++
				fmt.Fprintf(&b, "id: %d\ndata: {\"n\":%d}\n\n", id, id)
			}
			if _, err := conn.Write([]byte(b.String())); err != nil {
				return
			}
		}
		<-done
	}()
	return "http://" + ln.Addr().String() + "/feeds/stocks"
}

// A feed behind a buffering proxy, read by the real engine from a real
// socket, is detected as bursty. The batches are then put on the test's
// clock (whole seconds from the first) for a golden view.
func TestConnectionsViewDetectsBufferingProxy(t *testing.T) {
	const bursts, perBurst = 4, 5
	url := bufferingProxy(t, bursts, perBurst, time.Second)
	f, err := feed.New("stocks", feed.Options{URL: url})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	ch := make(chan feed.Batch, 64)
	done := make(chan struct{})
	go func() { defer close(done); f.Run(ctx, ch) }()
	var got []feed.Batch
	events := 0
	for events < bursts*perBurst {
		select {
		case b := <-ch:
			got = append(got, b)
			events += len(b.Events)
		case <-ctx.Done():
			t.Fatalf("got %d of %d events before the deadline", events, bursts*perBurst)
		}
	}
	cancel()
	<-done

	// On the real clock.
	real := &feedStat{name: "stocks"}
	for i := range got {
		real.apply(&got[i])
	}
	last := got[len(got)-1].Time
	if every, ok := real.conn.arrivals.burstEvery(last); !ok || every < 800*time.Millisecond || every > 1500*time.Millisecond {
		t.Fatalf("burstEvery = %v, %v; want about 1s", every, ok)
	}

	// On the test's clock, in the dashboard.
	m := newTestModel(t, parseConfig(t, "proxy.yaml", "feeds:\n  stocks: { url: \""+"http://127.0.0.1:8080/feeds/stocks"+"\" }\npanes: [{ id: raw, type: log }]\n"), 90, 16)
	t0 := got[0].Time
	base := testNow.Add(-time.Duration(bursts+1) * time.Second)
	for i := range got {
		got[i].Time = base.Add(got[i].Time.Sub(t0).Round(time.Second))
	}
	m.Update(batchMsg{batches: got})
	m.Update(press("f"))
	view := screen(m)
	golden.RequireEqual(t, view)
	if !strings.Contains(view, "events arrive in bursts every ~1s: a proxy may be buffering the stream") {
		t.Errorf("no burst hint:\n%s", view)
	}
}

// BenchmarkFeedStatApply is the bar's and the connections view's cost per
// batch (one network read), whatever its number of events.
func BenchmarkFeedStatApply(b *testing.B) {
	st := &feedStat{name: "f"}
	st.apply(&feed.Batch{Time: testNow, Status: &feed.Status{State: feed.Open}})
	batch := feed.Batch{Events: make([]feed.Event, 50), Bytes: 4096}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		batch.Time = testNow.Add(time.Duration(i) * 5 * time.Millisecond)
		st.apply(&batch)
	}
}

// A wait cut short by r (which sends no status of its own) does not leave
// the attempt that then opens "waiting" in the future.
func TestAttemptAfterWaitCutShort(t *testing.T) {
	st := &feedStat{name: "f"}
	st.apply(&feed.Batch{Time: testNow, Status: &feed.Status{State: feed.Connecting, Err: feed.ErrStale, ReconnectAt: testNow.Add(10 * time.Second)}})
	st.apply(&feed.Batch{Time: testNow.Add(time.Second), Status: &feed.Status{State: feed.Open, HTTPStatus: 200}})
	a := st.conn.attempts.current()
	if a == nil || !a.opened || !a.start.Equal(testNow.Add(time.Second)) {
		t.Fatalf("attempt %+v, want open since the open", a)
	}
	var rows []string
	for _, l := range connDetailLines(st, testNow.Add(3*time.Second)) {
		var b strings.Builder
		for _, sp := range l {
			b.WriteString(sp.text)
		}
		rows = append(rows, b.String())
	}
	if all := strings.Join(rows, "\n"); !strings.Contains(all, "15:09:27.000 open             2.0s") {
		t.Errorf("details:\n%s", all)
	}
}
