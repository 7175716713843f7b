package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Event mix, per 100 events of a feed: most are quotes for the table; a few
// trades for the list, a headline for the ticker, and a status event that no
// pane asks for, so the catch-all log gets it.
const (
	headlineEvery = 100 // seq%100 == 0
	statusEvery   = 100 // seq%100 == 50
	tradeEvery    = 25  // seq%25 == 7
)

// tick is how often each feed writes what is due: at 33,000 events/s a feed
// writes about 170 events (18 kB) per tick.
const tick = 5 * time.Millisecond

// maxChunk bounds one write, so a blocked client delays counting by at most
// this many events and production can stop on time.
const maxChunk = 2000

// grace is how late after the end of production a feed may still write the
// events that fell due before the end (the last tick's worth).
const grace = 50 * time.Millisecond

var symbols = []string{
	"AAPL", "MSFT", "GOOGL", "AMZN", "NVDA", "META", "TSLA", "JPM", "V", "NFLX",
	"AMD", "DIS", "INTC", "ORCL", "CRM", "ADBE", "PEP", "KO", "XOM", "WMT",
}

// firehose is the in-process SSE server: n feeds at /f/1 … /f/n, each
// producing rate/n events per second from the moment Start is called until
// the duration is over.
type firehose struct {
	feeds    []*feedStats
	perFeed  float64 // events per second per feed
	duration time.Duration

	ln  net.Listener
	srv *http.Server

	mu        sync.Mutex
	started   chan struct{}
	startAt   time.Time
	connected chan string // feed names, on each new connection
}

// feedStats is what one feed produced; produced counts events whose bytes
// were handed to the kernel (written and flushed) on some connection.
type feedStats struct {
	name     string
	produced atomic.Int64
	conns    atomic.Int64
	writeErr atomic.Int64
	mu       sync.Mutex // one writer at a time if the client reconnects
	gen      *generator
}

func newFirehose(feeds int, rate float64, duration time.Duration) (*firehose, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("firehose server: %w", err)
	}
	f := &firehose{
		perFeed:   rate / float64(feeds),
		duration:  duration,
		ln:        ln,
		started:   make(chan struct{}),
		connected: make(chan string, 64),
	}
	mux := http.NewServeMux()
	for i := range feeds {
		fs := &feedStats{name: fmt.Sprintf("f%d", i+1), gen: newGenerator(uint64(i + 1))}
		f.feeds = append(f.feeds, fs)
		mux.HandleFunc(fmt.Sprintf("GET /f/%d", i+1), func(w http.ResponseWriter, r *http.Request) {
			f.serve(w, r, fs)
		})
	}
	f.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go f.srv.Serve(ln) //nolint:errcheck // returns on Close
	return f, nil
}

// URL is the base URL, http://127.0.0.1:PORT.
func (f *firehose) URL() string { return "http://" + f.ln.Addr().String() }

// Start begins production on every feed at once.
func (f *firehose) Start() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.startAt = time.Now()
	close(f.started)
	return f.startAt
}

// End is when production stops (zero before Start).
func (f *firehose) End() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.startAt.IsZero() {
		return time.Time{}
	}
	return f.startAt.Add(f.duration)
}

// Close stops the server and ends every stream.
func (f *firehose) Close() {
	f.srv.Close() //nolint:errcheck // nothing to do about it
}

// target is how many events a feed must have produced by t.
func (f *firehose) target(t time.Time) int64 {
	f.mu.Lock()
	start := f.startAt
	f.mu.Unlock()
	if start.IsZero() || t.Before(start) {
		return 0
	}
	d := min(t.Sub(start), f.duration)
	return int64(f.perFeed * d.Seconds())
}

// Total is what each feed should produce over the whole duration.
func (f *firehose) Total() int64 { return int64(f.perFeed * f.duration.Seconds()) }

func (f *firehose) serve(w http.ResponseWriter, r *http.Request, fs *feedStats) {
	rc := http.NewResponseController(w)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	if _, err := w.Write([]byte(": livefeed firehose\n\n")); err != nil {
		return
	}
	if err := rc.Flush(); err != nil {
		return
	}
	fs.conns.Add(1)
	select {
	case f.connected <- fs.name:
	default:
	}
	ctx := r.Context()
	select {
	case <-f.started:
	case <-ctx.Done():
		return
	}
	end := f.End()
	t := time.NewTicker(tick)
	defer t.Stop()
	buf := make([]byte, 0, maxChunk*160)
	for {
		now := time.Now()
		if now.After(end.Add(grace)) {
			break
		}
		if err := f.produce(ctx, w, rc, fs, now, buf); err != nil {
			fs.writeErr.Add(1)
			return
		}
		if now.After(end) {
			break
		}
		select {
		case <-t.C:
		case <-ctx.Done():
			return
		}
	}
	// Production is over: keep the stream open and quiet so the program
	// neither reconnects nor sees an error while it drains and quits.
	<-ctx.Done()
}

// produce writes the events due by now in chunks, counting each chunk once
// it is flushed to the connection.
func (f *firehose) produce(ctx context.Context, w http.ResponseWriter, rc *http.ResponseController, fs *feedStats, now time.Time, buf []byte) error {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	due := f.target(now) - fs.produced.Load()
	for due > 0 {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		n := min(due, maxChunk)
		buf = buf[:0]
		seq := fs.produced.Load()
		for i := range n {
			buf = fs.gen.appendEvent(buf, seq+i+1)
		}
		if _, err := w.Write(buf); err != nil {
			return err
		}
		if err := rc.Flush(); err != nil {
			return err
		}
		fs.produced.Add(n)
		due -= n
		// A write that blocked (slow reader) may have taken us past the
		// end: what was not written by then was not produced.
		if end := f.End(); time.Now().After(end.Add(grace)) {
			return nil
		}
	}
	return nil
}

// generator makes market-like events: quotes for ~20 symbols on a random
// walk, with the occasional trade, headline and status event.
type generator struct {
	rng    *rand.Rand
	prices []float64
	opens  []float64
	volume []int64
}

func newGenerator(seed uint64) *generator {
	g := &generator{rng: rand.New(rand.NewPCG(seed, 0xf12e))}
	for i := range symbols {
		p := 20 + float64(i*37%500) + g.rng.Float64()*10
		g.prices = append(g.prices, p)
		g.opens = append(g.opens, p)
		g.volume = append(g.volume, 100_000+g.rng.Int64N(1_000_000))
	}
	return g
}

// appendEvent appends event number seq (1-based) in SSE wire format, about
// 100 bytes: id, event type and one line of JSON.
func (g *generator) appendEvent(b []byte, seq int64) []byte {
	i := g.rng.IntN(len(symbols))
	g.prices[i] = max(1, g.prices[i]*(1+0.0001*g.rng.NormFloat64()))
	g.volume[i] += 100 * (1 + g.rng.Int64N(50))
	sym, price := symbols[i], g.prices[i]
	b = append(b, "id: "...)
	b = strconv.AppendInt(b, seq, 10)
	switch {
	case seq%headlineEvery == 0:
		b = append(b, "\nevent: headline\ndata: {\"symbol\":\""...)
		b = append(b, sym...)
		b = append(b, "\",\"title\":\""...)
		b = append(b, sym...)
		b = append(b, " trades at "...)
		b = strconv.AppendFloat(b, price, 'f', 2, 64)
		b = append(b, "\",\"source\":\"Wire\"}"...)
	case seq%statusEvery == 50:
		b = append(b, "\nevent: status\ndata: {\"market\":\"open\",\"seq\":"...)
		b = strconv.AppendInt(b, seq, 10)
		b = append(b, ",\"latency_ms\":"...)
		b = strconv.AppendInt(b, 1+g.rng.Int64N(20), 10)
		b = append(b, '}')
	case seq%tradeEvery == 7:
		b = append(b, "\nevent: trade\ndata: {\"symbol\":\""...)
		b = append(b, sym...)
		side, level := "buy", "info"
		if g.rng.IntN(2) == 0 {
			side = "sell"
		}
		qty := 100 * (1 + g.rng.Int64N(100))
		if qty >= 9000 {
			level = "warning"
		}
		b = append(b, "\",\"side\":\""...)
		b = append(b, side...)
		b = append(b, "\",\"qty\":"...)
		b = strconv.AppendInt(b, qty, 10)
		b = append(b, ",\"price\":"...)
		b = strconv.AppendFloat(b, price, 'f', 2, 64)
		b = append(b, ",\"level\":\""...)
		b = append(b, level...)
		b = append(b, "\"}"...)
	default:
		b = append(b, "\nevent: quote\ndata: {\"symbol\":\""...)
		b = append(b, sym...)
		b = append(b, "\",\"price\":"...)
		b = strconv.AppendFloat(b, price, 'f', 2, 64)
		b = append(b, ",\"change_pct\":"...)
		b = strconv.AppendFloat(b, 100*(price-g.opens[i])/g.opens[i], 'f', 2, 64)
		b = append(b, ",\"volume\":"...)
		b = strconv.AppendInt(b, g.volume[i], 10)
		b = append(b, '}')
	}
	return append(b, "\n\n"...)
}

// errNotConnected says which feeds never connected.
var errNotConnected = errors.New("feeds did not connect")

// waitConnected waits until every feed has an open stream.
func (f *firehose) waitConnected(ctx context.Context, timeout time.Duration) error {
	seen := map[string]bool{}
	for _, fs := range f.feeds {
		if fs.conns.Load() > 0 {
			seen[fs.name] = true
		}
	}
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for len(seen) < len(f.feeds) {
		select {
		case name := <-f.connected:
			seen[name] = true
		case <-deadline.C:
			var missing []string
			for _, fs := range f.feeds {
				if !seen[fs.name] {
					missing = append(missing, fs.name)
				}
			}
			return fmt.Errorf("%w within %s: %v", errNotConnected, timeout, missing)
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}
