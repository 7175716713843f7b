// Package feed is livefeed's SSE client engine: it parses event streams and runs
// connections exactly as a browser's EventSource does (WHATWG HTML, "Server-sent
// events"), plus what a long-running viewer needs: stale detection, bounded
// event size, backoff, counters and manual reconnects.
package feed

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"mime"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Feed is one subscription to an event stream. Create it with New, run it
// with Run; Reconnect and Stats may be called from any goroutine.
type Feed struct {
	name   string
	opts   Options
	url    string
	client *http.Client

	kick chan struct{} // Reconnect's wake-up; buffered so callers never block

	mu         sync.Mutex
	dropConn   context.CancelCauseFunc // cancels the live connection, if any
	lastID     string
	lastEvent  time.Time
	retry      time.Duration
	retryFrom  RetrySource
	state      State
	events     atomic.Uint64
	bytes      atomic.Uint64
	reconnects atomic.Uint64
}

// New checks the options and returns a feed named name (the name travels on
// every Message so one consumer can serve many feeds). Its errors are
// *FeedError, naming the feed.
func New(name string, opts Options) (*Feed, error) {
	u, err := url.Parse(opts.URL)
	if err != nil {
		return nil, &FeedError{name, fmt.Errorf("bad URL: %w", err)}
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, &FeedError{name, fmt.Errorf("URL %q: scheme must be http or https", opts.URL)}
	}
	if u.Host == "" {
		return nil, &FeedError{name, fmt.Errorf("URL %q has no host", opts.URL)}
	}
	opts = opts.withDefaults()
	if err := opts.check(); err != nil {
		return nil, &FeedError{name, err}
	}
	client, err := opts.httpClient(u)
	if err != nil {
		return nil, &FeedError{name, err}
	}
	return &Feed{
		name: name, opts: opts, url: u.String(), client: client,
		kick:  make(chan struct{}, 1),
		retry: opts.Retry,
	}, nil
}

// Name returns the feed's name.
func (f *Feed) Name() string { return f.name }

// Reconnect drops the current connection (or cuts short the wait, or revives
// a CLOSED feed) and connects again at once. The last event ID is kept.
func (f *Feed) Reconnect() {
	f.mu.Lock()
	if f.dropConn != nil {
		f.dropConn(ErrReconnect)
	}
	f.mu.Unlock()
	select {
	case f.kick <- struct{}{}:
	default:
	}
}

// Stats returns a snapshot of the feed's counters.
func (f *Feed) Stats() Stats {
	f.mu.Lock()
	defer f.mu.Unlock()
	return Stats{
		State:       f.state,
		Events:      f.events.Load(),
		Bytes:       f.bytes.Load(),
		Reconnects:  f.reconnects.Load(),
		LastEventAt: f.lastEvent,
		LastEventID: f.lastID,
		Retry:       f.retry,
	}
}

// Run connects and keeps the feed connected until ctx is done, sending every
// event and state change to out in order, in batches the consumer then owns.
// A slow consumer slows the feed (and so the server) down; nothing is
// dropped. A CLOSED feed waits for Reconnect. Run must not be called twice at
// once on the same feed.
func (f *Feed) Run(ctx context.Context, out chan<- Batch) {
	p := NewParser(f.opts.MaxEventSize, nil, f.setRetry)
	buf := make([]byte, minReadSize)
	r := &runner{f: f, ctx: ctx, out: out, p: p, buf: buf}
	p.onEvent = r.deliver
	if f.opts.EndOn == "" {
		// Nothing to look for in each event: the parser appends to the
		// batch itself.
		p.sink = &r.batch
	}
	r.loop()
}

type runner struct {
	f     *Feed
	ctx   context.Context
	out   chan<- Batch
	p     *Parser
	buf   []byte
	now   time.Time // time of the read that produced the events in batch
	batch []Event
	// The previous read's events and bytes, to size the next batch: see
	// batchCap.
	last, lastBytes int
	want            int         // the capacity of the next batch
	wait            *time.Timer // for pause, made once
	// unsent is what was read since the last batch went out; the next
	// batch carries it.
	unsent uint64

	// Per connection: events delivered, and whether Options.EndOn was seen
	// (with the id in force then).
	delivered int
	ended     bool
	endID     string
}

func (r *runner) loop() {
	f := r.f
	attempt := 1
	var wait time.Duration // the backoff base; 0 until a wait has happened
	st := Status{State: Connecting, Attempt: attempt}
	for {
		if !r.setState(st) {
			return
		}
		if st.ReconnectIn > 0 && !r.sleep(st.ReconnectIn) {
			return
		}
		drainKick(f.kick)
		res := r.connect(attempt)
		if r.ctx.Err() != nil {
			return
		}
		if res.fatal {
			if !r.setState(Status{State: Closed, Attempt: attempt, HTTPStatus: res.status, ContentType: res.ctype, Err: res.err, Proto: res.proto, Header: res.header}) {
				return
			}
			select {
			case <-r.ctx.Done():
				return
			case <-f.kick:
			}
			attempt, wait = 1, 0
			f.reconnects.Add(1)
			st = Status{State: Connecting, Attempt: attempt, Err: ErrReconnect}
			continue
		}
		f.reconnects.Add(1)
		var delay time.Duration
		st = Status{State: Connecting, Err: res.err}
		switch {
		case errors.Is(res.err, ErrReconnect):
			attempt, wait = 1, 0
		case res.opened && !res.failed:
			// The first reconnect after an open connection waits exactly the
			// reconnection time, as a browser does.
			attempt = 1
			wait = f.Stats().Retry
			delay = wait
		case res.failed && attempt == 1:
			// The first short-lived connection after a healthy one waits the
			// reconnection time without jitter, as a browser would (held-out
			// checks compare with one), though never less than minFailureWait;
			// the backoff doubles from there.
			attempt++
			delay = max(f.Stats().Retry, minFailureWait)
			wait = delay
		default:
			attempt++
			delay, wait = f.backoff(wait)
			if res.retryAfter >= 0 {
				// The server knows when it will be back; MaxBackoff still
				// bounds how long a feed may look dead.
				delay = min(max(res.retryAfter, minFailureWait), f.opts.MaxBackoff)
				st.RetryAfter = true
			}
		}
		if !res.opened {
			st.HTTPStatus, st.ContentType = res.status, res.ctype
			st.Proto, st.Header = res.proto, res.header
		}
		st.Attempt, st.ReconnectIn = attempt, delay
		if delay > 0 {
			st.ReconnectAt = time.Now().Add(delay)
		}
	}
}

// minFailureWait keeps a server's "retry: 0" from turning failed attempts into
// a busy loop.
const minFailureWait = 250 * time.Millisecond

// backoff returns the next delay after a failed attempt: the reconnection time
// the first time, then doubling with up to 20% added jitter, capped.
func (f *Feed) backoff(prev time.Duration) (delay, base time.Duration) {
	retry := max(f.Stats().Retry, minFailureWait)
	limit := max(f.opts.MaxBackoff, retry)
	base = retry
	if prev > 0 {
		base = min(prev*2, limit)
		if base < prev { // overflow
			base = limit
		}
	}
	jitter := time.Duration(rand.Int64N(int64(base)/5 + 1))
	return min(base+jitter, limit), base
}

func (r *runner) sleep(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-r.ctx.Done():
		return false
	case <-t.C:
	case <-r.f.kick:
	}
	return true
}

func drainKick(c chan struct{}) {
	select {
	case <-c:
	default:
	}
}

// setState records and announces a state change; false means ctx is done.
func (r *runner) setState(st Status) bool {
	r.f.mu.Lock()
	r.f.state = st.State
	st.Retry, st.RetryFrom = r.f.retry, r.f.retryFrom
	r.f.mu.Unlock()
	return r.send(Batch{Feed: r.f.name, Time: time.Now(), Status: &st})
}

func (r *runner) send(batch Batch) bool {
	batch.Bytes, r.unsent = r.unsent, 0
	select {
	case r.out <- batch:
		return true
	case <-r.ctx.Done():
		return false
	}
}

// deliver collects an event into the batch of the current read. The event
// whose data is Options.EndOn is not delivered, nor anything after it.
func (r *runner) deliver(ev Event) {
	if r.ended {
		return
	}
	if end := r.f.opts.EndOn; end != "" && ev.Data == end {
		r.ended, r.endID = true, ev.ID
		return
	}
	if r.batch == nil {
		r.batch = make([]Event, 0, r.want)
	}
	r.batch = append(r.batch, ev)
}

// flush records the read's effect on the counters, then hands its events over.
func (r *runner) flush() bool {
	f := r.f
	f.mu.Lock()
	// An id-only block moves the last event ID without an event.
	f.lastID = r.p.LastEventID()
	if r.ended {
		f.lastID = r.endID // what followed the end was not taken
	}
	if len(r.batch) > 0 {
		f.lastEvent = r.now
	}
	f.mu.Unlock()
	if len(r.batch) == 0 {
		return true
	}
	f.events.Add(uint64(len(r.batch)))
	r.delivered += len(r.batch)
	b := r.batch
	r.batch = nil
	return r.send(Batch{Feed: f.name, Time: r.now, Events: b})
}

func (f *Feed) setRetry(d time.Duration) {
	f.mu.Lock()
	f.retry, f.retryFrom = d, RetryFromServer
	f.mu.Unlock()
}

type result struct {
	opened bool
	// failed: the connection opened but counts as a failed attempt, so
	// backoff applies (see shortLived).
	failed bool
	fatal  bool
	status int
	ctype  string
	err    error
	// retryAfter is the response's Retry-After; negative when it had none.
	retryAfter time.Duration
	proto      string
	header     map[string][]string
}

// shortLived is how soon a connection may end without having delivered an
// event before it counts as a failed attempt. Why: a server that answers 200,
// sends "retry: 0" and hangs up got about 1,400 requests per second from one
// feed (issue 10; 35,095 in the 5 s of TestNoReconnectStorm on loopback),
// since every such connection had "opened" and so reset the backoff; 5 now.
const shortLived = time.Second

// connect makes one request and reads the stream until it ends.
func (r *runner) connect(attempt int) result {
	f := r.f
	ctx, cancel := context.WithCancelCause(r.ctx)
	defer cancel(nil)
	f.mu.Lock()
	f.dropConn = cancel
	lastID := f.lastID
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		f.dropConn = nil
		f.mu.Unlock()
	}()
	fail := func(err error) result { return result{err: err, retryAfter: -1} }

	var extra http.Header
	if len(f.opts.HeadersCommand) > 0 {
		h, err := runHeadersCommand(ctx, f.opts.HeadersCommand, DefaultHeadersCommandTimeout)
		if ctx.Err() != nil {
			return fail(cause(ctx, ctx.Err()))
		}
		if err != nil {
			return fail(err)
		}
		extra = h
		names := make([]string, 0, len(h))
		for k := range h {
			names = append(names, k)
		}
		ctx = withPrivate(ctx, names)
	}

	var body io.Reader
	if f.opts.Body != nil {
		// A bytes.Reader lets the client send the body again after a 307/308.
		body = bytes.NewReader(f.opts.Body)
	}
	req, err := http.NewRequestWithContext(ctx, f.opts.Method, f.url, body)
	if err != nil {
		return result{fatal: true, err: err}
	}
	for name, values := range f.opts.Header {
		k := http.CanonicalHeaderKey(name)
		req.Header[k] = append(req.Header[k], values...)
	}
	for k, values := range extra {
		req.Header[k] = values
	}
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("Cache-Control", "no-cache")
	if lastID != "" && sendable(lastID) {
		req.Header.Set("Last-Event-ID", lastID)
	}

	var conn net.Conn
	req = req.WithContext(httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		GotConn: func(info httptrace.GotConnInfo) { conn = info.Conn },
	}))
	timer := time.AfterFunc(f.opts.ConnectTimeout, func() {
		cancel(fmt.Errorf("%w: no response after %s", ErrTimeout, f.opts.ConnectTimeout))
	})
	resp, err := f.client.Do(req)
	timer.Stop()
	if err != nil {
		return fail(cause(ctx, err))
	}
	defer resp.Body.Close()

	ctype := resp.Header.Get("Content-Type")
	if resp.StatusCode != http.StatusOK || !isEventStream(ctype) {
		herr := &HTTPError{Status: resp.StatusCode, ContentType: ctype}
		if resp.StatusCode != http.StatusOK {
			herr.Body = readErrorBody(cancel, resp.Body)
		}
		res := result{status: resp.StatusCode, ctype: ctype, err: herr, retryAfter: -1, proto: resp.Proto, header: responseHeader(resp)}
		if resp.StatusCode == http.StatusOK || !f.opts.retries(resp.StatusCode) {
			res.fatal = true
		} else if d, ok := retryAfter(resp.Header, time.Now()); ok {
			res.retryAfter = d
		}
		return res
	}
	res := result{opened: true, status: resp.StatusCode, ctype: ctype, retryAfter: -1}
	if !r.setState(Status{State: Open, Attempt: attempt, HTTPStatus: resp.StatusCode, ContentType: ctype, Proto: resp.Proto, Header: responseHeader(resp)}) {
		return res
	}
	opened := time.Now()
	r.delivered, r.ended = 0, false
	var sock *socket
	if resp.ProtoMajor == 1 && conn != nil {
		// HTTP/2 shares its connection, which its own goroutine reads.
		sock = socketOf(conn)
	}
	res.err = r.read(ctx, cancel, resp.Body, lastID, sock)
	switch {
	case errors.Is(res.err, ErrFinished):
		res.fatal = true
	case errors.Is(res.err, ErrStreamEnded) && !f.opts.reconnects():
		res.fatal = true
	case errors.Is(res.err, ErrReconnect):
	case errors.Is(res.err, ErrEventTooLarge):
		res.failed = true
	case r.delivered == 0 && time.Since(opened) < shortLived:
		res.failed = true
	}
	return res
}

// read parses the body until it ends, dropping it when it goes stale.
// sock is the connection's own TCP socket, nil when there is none (HTTP/2,
// or not Linux): see coalescing.
func (r *runner) read(ctx context.Context, cancel context.CancelCauseFunc, body io.Reader, lastID string, sock *socket) error {
	f := r.f
	r.p.Reset(lastID)
	var stale *staleWatch
	if f.opts.Stale > 0 {
		stale = watchStale(f.opts.Stale, cancel)
		defer stale.stop()
	}
	co := coalescing{window: f.opts.Coalesce}
	if s := f.opts.Stale / 2; s > 0 && s < co.window {
		// A sleep is time without a read, which the stale watch cannot tell
		// from the server's silence: with a Stale of 100 ms and 250 ms
		// windows, a stream written every 2 ms was dropped as stale
		// (TestTricklingStreamIsNotStaleBelowTheWindow). Windows of half
		// the limit keep a trickling stream clear of it.
		co.window = s
	}
	var window time.Time           // the clock window (see coalescing) of the last read
	var windowBytes, lastBytes int // read in it, and in the window before
	trickle := false               // the stream trickles in (see trickling)
	sleep := false                 // sleep until the next window before reading
	for {
		if sleep {
			// Nothing reads the socket until the window ends: let it pile
			// up without waking anyone, then read it as usual (the mark is
			// back at 1 before any read may block on it).
			sock.hush(co.bytes())
			ok := r.pause(ctx, co.untilNext(time.Now()))
			sock.hush(1)
			if !ok {
				return cause(ctx, ctx.Err())
			}
		}
		before := time.Now()
		n, err := body.Read(r.buf)
		if n > 0 {
			f.bytes.Add(uint64(n))
			r.unsent += uint64(n)
			r.now = time.Now()
			if stale != nil {
				// Time spent delivering to a slow consumer is not the server's silence.
				stale.busy(r.now)
			}
			r.want = batchCap(n, r.last, r.lastBytes)
			if r.p.sink != nil && cap(r.batch) < r.want {
				r.batch = make([]Event, 0, r.want) // empty here: flush took the last
			}
			perr := r.p.Write(r.buf[:n])
			r.last, r.lastBytes = len(r.batch), n
			r.sizeReads(n)
			if !r.flush() {
				return ctx.Err()
			}
			if r.ended {
				return ErrFinished
			}
			if stale != nil {
				stale.idle(time.Now())
			}
			if perr != nil {
				return perr
			}
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				return ErrStreamEnded
			}
			return cause(ctx, err)
		}
		if ctx.Err() != nil {
			return cause(ctx, ctx.Err())
		}
		sleep = false
		if n == 0 {
			continue
		}
		if w := r.now.Truncate(co.window); !w.Equal(window) {
			lastBytes = windowBytes
			if w.Sub(window) > co.window {
				lastBytes = 0
			}
			window, windowBytes = w, 0
		}
		windowBytes += n
		waited := r.now.Sub(before)
		if sock != nil {
			// A read returns at most what the HTTP client buffered up to a
			// chunk boundary: what is left in the socket is read before
			// sleeping, or a backlog would grow a read per window.
			trickle = co.trickling(trickle, waited, max(windowBytes, lastBytes))
			sleep = trickle && sock.pending() == 0
			continue
		}
		// Without a socket to ask (HTTP/2 returns a frame per read), a read
		// that waited a little waits out the rest of its window, and the
		// reads after it take what piled up without waiting, frame by frame.
		if co.trickling(false, waited, max(windowBytes, lastBytes)) {
			if !r.pause(ctx, co.untilNext(r.now)) {
				return cause(ctx, ctx.Err())
			}
		}
	}
}

// batchCap guesses the events in a read of n bytes from the read before,
// with an eighth to spare. Why: read sizes vary (through Go's default 4 KiB
// transport buffer they alternated between a few KiB and a few tens of KiB;
// they also grow, see sizeReads), and sizing a batch by the previous one's
// count grew most batches two or three times by append (copies, and garbage
// that made the GC run more often).
func batchCap(n, last, lastBytes int) int {
	if lastBytes == 0 {
		return 16
	}
	c := n * last / lastBytes
	return c + c/8 + 4
}

// sizeReads picks the size of the next read (see maxReadSize), after a read
// of n bytes was parsed and before its batch is sent: the consumer has had
// the parse's time to take the batch before.
func (r *runner) sizeReads(n int) {
	switch {
	case len(r.out) > maxBigBacklog:
		// The consumer is behind: it is awake anyway, and each batch
		// waiting in the channel would hold up to a whole read's events
		// (tail --json, whose output is slower than the parser, peaked at
		// 44 MB with 128 KiB reads, 24 MB with 32 KiB). Not at the first
		// batch waiting: a consumer that keeps up is often a moment late
		// (tail --quiet lost most of the gain when this was len > 0).
		if len(r.buf) > minReadSize {
			r.buf = make([]byte, minReadSize)
		}
	case n == len(r.buf) && len(r.buf) < maxReadSize:
		// More was waiting: take more at once.
		r.buf = make([]byte, 2*len(r.buf))
	}
}

// Read sizes. Each read of the body becomes one batch, and each batch one
// wake-up of a consumer that keeps up, so a fast stream is cheaper read in
// big pieces: a read that fills the buffer doubles it, up to maxReadSize, as
// long as the consumer keeps up (see sizeReads); a slow feed keeps
// minReadSize. readBufferSize is the transport's buffer under the body: at
// Go's default of 4 KiB a chunked stream came in two reads per chunk, the
// first of a few KiB. Measured with bench/tailbench's 60 MB stream
// in 32 KiB chunks, tail --quiet, 25 interleaved runs (load ~1.3): median
// wall 0.162 → 0.138 s and CPU 0.172 → 0.150 s with both. A 128 KiB buffer
// over the default transport buffer did nothing (CPU 0.160 → 0.159 s in 21
// runs), nor did a 16 KiB transport buffer.
const (
	minReadSize    = 32 << 10
	maxReadSize    = 128 << 10
	readBufferSize = 32 << 10
	maxBigBacklog  = 8 // batches waiting, past which reads are small again
)

// coalescing gathers the reads of a stream that trickles in: while it does,
// the feed sleeps until its window ends, so the writes that arrive meanwhile
// come in one read, one batch and one wake-up of the consumer, and its
// socket is hushed meanwhile (see socket.hush). Windows are aligned to the
// clock (untilNext). A fast stream (more than coalesceRate) is read as it
// comes, and the first read after a quiet spell is never delayed; an event
// may reach the consumer up to one window later.
//
// Why: 50 feeds each sending every 5 ms cost the TUI per read (netpoll
// wake-up, read syscalls, a batch, a channel send, a wake-up of the
// consumer), not per event. bench/firehose --compare-feeds 1,50 at 10,000
// events/s, 50 feeds' CPU over 1 feed's: 2.98x with no coalescing; 2.46x
// with a pause after a read that waited (one session earlier, loaded
// machine); 1.47x with sleeping to the clock's 20 ms windows and hushed
// sockets; 1.06x with 50 ms windows (the dashboard now uses 100: live.Coalesce;
// docs/BENCHMARKS.md, "TUI: 50 feeds against 1").
type coalescing struct{ window time.Duration }

// coalesceRate is the stream rate (bytes/s) above which a stream is read as
// it comes, for throughput: 16 KiB per 20 ms window, well within a socket's
// receive buffer.
const coalesceRate = 800 << 10

// bytes is the most a window may bring in for the stream to trickle.
func (c coalescing) bytes() int { return int(coalesceRate * c.window / time.Second) }

// trickling decides, after a read that waited for the server for waited and
// with recent the bytes of this window or the one before, whether the feed
// sleeps until the next window before it reads again (was: it did so before
// this read). A stream trickles in when a read waited for the server (we had
// caught up) but not for long (the stream is busy), or found data waiting
// after a sleep, and little came in recently. A read that waited a whole
// window (a quiet spell: the next event is read the moment it comes) or a
// fast stream (read as it comes, for throughput) ends it.
func (c coalescing) trickling(was bool, waited time.Duration, recent int) bool {
	return waited < c.window && (was || waited > blockedRead) && recent < c.bytes()
}

// untilNext is the time from now to the start of the next window. Windows
// are aligned to the clock, not to each feed's reads, so that every
// trickling feed of a process wakes at the same moment: the runtime then
// wakes one thread that reads them all in turn, rather than a thread per
// feed at its own moment.
func (c coalescing) untilNext(now time.Time) time.Duration {
	return c.window - now.Sub(now.Truncate(c.window))
}

// blockedRead tells a read that waited for data from one that found it waiting.
const blockedRead = 100 * time.Microsecond

// pause waits d unless ctx ends first; false means ctx ended.
func (r *runner) pause(ctx context.Context, d time.Duration) bool {
	if r.wait == nil {
		r.wait = time.NewTimer(d)
	} else {
		r.wait.Reset(d)
	}
	select {
	case <-ctx.Done():
		r.wait.Stop()
		return false
	case <-r.wait.C:
		return true
	}
}

// staleWatch cancels a connection after a time without a byte. Reads only
// record the time: the timer looks at it when it fires and re-arms for what
// is left, so a busy stream costs no timer operation per read (it was a Stop
// and a Reset per read; with 50 feeds the cost is per read, not per event;
// this change was not measured apart from the others in docs/BENCHMARKS.md).
type staleWatch struct {
	limit    time.Duration
	start    time.Time    // monotonic base for last
	last     atomic.Int64 // nanoseconds since start of the last activity
	inUse    atomic.Bool  // parsing or delivering: the server is not silent
	stopped  atomic.Bool
	timer    *time.Timer
	cancelFn context.CancelCauseFunc
}

func watchStale(limit time.Duration, cancel context.CancelCauseFunc) *staleWatch {
	w := &staleWatch{limit: limit, start: time.Now(), cancelFn: cancel}
	w.timer = time.AfterFunc(limit, w.check)
	return w
}

func (w *staleWatch) busy(now time.Time) {
	w.last.Store(int64(now.Sub(w.start)))
	w.inUse.Store(true)
}

func (w *staleWatch) idle(now time.Time) {
	w.last.Store(int64(now.Sub(w.start)))
	w.inUse.Store(false)
}

func (w *staleWatch) check() {
	if w.stopped.Load() {
		return
	}
	if w.inUse.Load() {
		w.timer.Reset(w.limit)
		return
	}
	silent := time.Since(w.start) - time.Duration(w.last.Load())
	if silent >= w.limit {
		w.cancelFn(fmt.Errorf("%w for %s", ErrStale, w.limit))
		return
	}
	w.timer.Reset(w.limit - silent)
}

func (w *staleWatch) stop() {
	w.stopped.Store(true)
	w.timer.Stop()
}

// cause prefers the reason the connection was cancelled over the bare
// "context canceled" the transport reports.
func cause(ctx context.Context, err error) error {
	if c := context.Cause(ctx); c != nil && !errors.Is(c, context.Canceled) {
		return c
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// responseHeader copies a response's headers for a Status. The transport
// removes the Content-Encoding of a body it decompresses; it is put back,
// since that the server compresses is what a viewer needs to know (a
// compressor can hold events back).
func responseHeader(resp *http.Response) map[string][]string {
	h := resp.Header.Clone()
	if h == nil {
		h = http.Header{}
	}
	if resp.Uncompressed && h.Get("Content-Encoding") == "" {
		h.Set("Content-Encoding", "gzip")
	}
	return h
}

// isEventStream compares the MIME type essence, ignoring parameters and case.
func isEventStream(ctype string) bool {
	mt, _, err := mime.ParseMediaType(ctype)
	if err != nil {
		mt, _, _ = strings.Cut(ctype, ";")
		mt = strings.ToLower(strings.TrimSpace(mt))
	}
	return mt == "text/event-stream"
}

// sendable reports whether Go's HTTP client will send s as a header value:
// it refuses control characters that a browser would send (an id may hold
// any character but NUL, CR and LF). Such an id still labels events; the
// reconnect just goes without it rather than failing forever.
func sendable(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < ' ' && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
}
