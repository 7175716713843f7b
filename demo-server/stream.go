package demoserver

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// handleTopic serves GET /events/{topic}.
func (s *Server) handleTopic(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("topic")
	if !knownTopic(name) {
		http.Error(w, fmt.Sprintf("unknown topic %s (topics: %s)", quoteCut(name, maxEchoedName), strings.Join(Topics(), ", ")), http.StatusNotFound)
		return
	}
	s.serveStream(w, r, []string{name}, false)
}

// handleEvents serves GET /events?topics=a,b (all topics when none is named).
func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request) {
	var names, unknown []string
	seen := map[string]bool{}
	for _, v := range r.URL.Query()["topics"] {
		for name := range strings.SplitSeq(v, ",") {
			name = strings.TrimSpace(name)
			switch {
			case name == "" || seen[name]:
			case knownTopic(name):
				names = append(names, name)
			default:
				unknown = append(unknown, name)
			}
			seen[name] = true
		}
	}
	if len(unknown) > 0 {
		http.Error(w, unknownTopicsMessage(unknown), http.StatusNotFound)
		return
	}
	if len(names) == 0 {
		names = Topics()
	}
	s.serveStream(w, r, names, true)
}

// An unknown-topic error names at most maxEchoedNames of the names asked
// for, each cut to maxEchoedName bytes: a 64 KiB query of made-up names gets
// a short answer, not its own echo.
const (
	maxEchoedNames = 10
	maxEchoedName  = 40
)

func unknownTopicsMessage(unknown []string) string {
	var b strings.Builder
	b.WriteString("unknown topic ")
	for i, name := range unknown[:min(len(unknown), maxEchoedNames)] {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(quoteCut(name, maxEchoedName))
	}
	if more := len(unknown) - maxEchoedNames; more > 0 {
		fmt.Fprintf(&b, " and %d more", more)
	}
	fmt.Fprintf(&b, " (topics: %s)", strings.Join(Topics(), ", "))
	return b.String()
}

// streamHeader is what every stream's response starts with.
func streamHeader(h http.Header) {
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	h.Set("Access-Control-Allow-Origin", "*")
}

// serveStream takes the connection over from net/http and streams on it in a
// goroutine of its own.
//
// Why hijack: a handler that stays inside net/http keeps its serving
// goroutine (with the stack it grew parsing the request), a background-read
// goroutine and about 10 KiB of bufio buffers for as long as the stream
// lives: some 28 KiB per idle subscriber, measured. A hijacked stream keeps a
// small writer goroutine, a reader goroutine that only waits for the client to
// hang up, and no buffer while idle: about 10 KiB (docs/BENCHMARKS.md). It
// also lets each batch of events go out in a single write.
func (s *Server) serveStream(w http.ResponseWriter, r *http.Request, names []string, composite bool) {
	if r.Method == http.MethodHead {
		streamHeader(w.Header())
		w.WriteHeader(http.StatusOK)
		return
	}
	// EventSource cannot set headers on its first request, so like Mercure we
	// also take the position from ?lastEventID=; the header wins.
	lastID := r.Header.Get("Last-Event-ID")
	if lastID == "" {
		lastID = r.URL.Query().Get("lastEventID")
	}
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		http.Error(w, "event streams need HTTP/1.x: "+err.Error(), http.StatusHTTPVersionNotSupported)
		return
	}
	c := &streamConn{
		s: s, conn: conn, chunked: r.ProtoAtLeast(1, 1), composite: composite, names: names,
		remote: r.RemoteAddr, gone: make(chan struct{}),
	}
	if !s.streams.add(conn) {
		go c.serveShutdown()
		return
	}
	go func() {
		defer s.streams.done(conn)
		c.serve(lastID)
	}()
}

// streamConn is one client's event stream on a hijacked connection.
type streamConn struct {
	s         *Server
	conn      net.Conn
	chunked   bool
	composite bool     // ids are "topic:seq,…" vectors
	names     []string // the connection's topics, in request order
	pos       []uint64 // last sequence number sent per topic
	remote    string
	gone      chan struct{} // closed when the client hangs up

	sub       *subscriber
	buf       *[]byte // the batch being built, from Server.bufs; nil when idle
	spare     []*event
	lastWrite time.Time
	started   bool // response header sent
	err       error
}

func (c *streamConn) log() *slog.Logger {
	return c.s.log.With("remote", c.remote, "topics", strings.Join(c.names, ","))
}

func (c *streamConn) append(p ...[]byte) {
	if c.buf == nil {
		c.buf = c.s.getBuf()
	}
	for _, b := range p {
		*c.buf = append(*c.buf, b...)
	}
}

func (c *streamConn) appendString(p string) {
	if c.buf == nil {
		c.buf = c.s.getBuf()
	}
	*c.buf = append(*c.buf, p...)
}

func (c *streamConn) event(ev *event) {
	if !c.composite {
		c.append(ev.wire)
		return
	}
	for i, t := range c.names {
		if t == ev.topic.name {
			c.pos[i] = ev.seq
		}
	}
	c.appendVectorID()
	c.append(ev.wire[ev.body:])
}

func (c *streamConn) appendVectorID() {
	c.appendString("id: ")
	*c.buf = appendVectorID(*c.buf, c.names, c.pos)
	c.appendString("\n")
}

// named appends an event the server itself emits (reset, shutdown). With
// withID it carries the connection's current position, so that a client that
// reconnects right after it does not get the same reset again.
func (c *streamConn) named(name string, data any, withID bool, topicIdx int) {
	b, _ := json.Marshal(data) // only the server's own plain structs
	if withID {
		if c.composite {
			c.appendVectorID()
		} else {
			c.appendString("id: ")
			*c.buf = strconv.AppendUint(*c.buf, c.pos[topicIdx], 10)
			c.appendString("\n")
		}
	}
	c.appendString("event: " + name + "\ndata: ")
	c.append(b, []byte("\n\n"))
}

// flush writes the batch in one system call, within the given time: a client
// that cannot take it by then is dropped rather than allowed to hold us.
func (c *streamConn) flush(timeout time.Duration) error {
	if c.err != nil || c.buf == nil {
		return c.err
	}
	var head []byte
	if !c.started {
		head = c.responseHeader()
		c.started = true
	}
	body := *c.buf
	var bufs net.Buffers
	if c.chunked {
		bufs = net.Buffers{head, strconv.AppendUint(nil, uint64(len(body)), 16), []byte("\r\n"), body, []byte("\r\n")}
	} else {
		bufs = net.Buffers{head, body}
	}
	if c.err = c.conn.SetWriteDeadline(time.Now().Add(timeout)); c.err == nil {
		_, c.err = bufs.WriteTo(c.conn)
	}
	c.lastWrite = time.Now()
	if cap(body) <= 64<<10 { // a huge replay's buffer is not worth keeping
		*c.buf = body[:0]
		c.s.bufs.Put(c.buf)
	}
	c.buf = nil
	return c.err
}

func (c *streamConn) responseHeader() []byte {
	h := make(http.Header)
	streamHeader(h)
	h.Set("Date", time.Now().UTC().Format(http.TimeFormat))
	// The connection was taken from net/http, so it cannot be reused after
	// the stream: say so.
	h.Set("Connection", "close")
	if c.chunked {
		h.Set("Transfer-Encoding", "chunked")
	}
	var b strings.Builder
	b.WriteString("HTTP/1.1 200 OK\r\n")
	_ = h.Write(&b)
	b.WriteString("\r\n")
	return []byte(b.String())
}

// end finishes the response cleanly (the final chunk) and closes the connection.
func (c *streamConn) end() {
	if c.err == nil && c.chunked {
		_ = c.conn.SetWriteDeadline(time.Now().Add(time.Second))
		_, _ = c.conn.Write([]byte("0\r\n\r\n"))
	}
	_ = c.conn.Close()
}

// abort cuts the connection off with a reset, as a failing network would.
func (c *streamConn) abort() {
	if tcp, ok := c.conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
	_ = c.conn.Close()
}

// watchHangup reads from the client until it hangs up. SSE clients send
// nothing after their request, so any read result ends the stream's wait.
func (c *streamConn) watchHangup() {
	var b [64]byte
	for {
		if _, err := c.conn.Read(b[:]); err != nil {
			close(c.gone)
			return
		}
	}
}

var heartbeatComment = []byte(": heartbeat\n\n")

// replayBatch is how many replayed events go out per write: a long replay is
// sent in pieces, each with its own write deadline, not built up in memory.
const replayBatch = 512

// serve subscribes and streams until the client goes away, falls behind, or
// the server shuts down.
func (c *streamConn) serve(lastID string) {
	s := c.s
	_ = c.conn.SetReadDeadline(time.Time{})
	go c.watchHangup()
	sub, st, err := s.hub.subscribe(c.names, lastID)
	if err != nil { // shutting down
		c.shutdown()
		return
	}
	defer s.hub.unsubscribe(sub)
	c.sub, c.pos = sub, st.pos
	c.log().Info("subscribed", "last_event_id", lastID, "replayed", len(st.replay), "resets", len(st.resets))

	c.append(s.preamble)
	for _, rs := range st.resets {
		c.named("reset", rs, true, slices.Index(c.names, rs.Topic))
	}
	for i, ev := range st.replay {
		c.event(ev)
		if (i+1)%replayBatch == 0 {
			if err := c.flush(s.opts.WriteTimeout); err != nil {
				c.conn.Close()
				return
			}
		}
	}
	if err := c.flush(s.opts.WriteTimeout); err != nil {
		c.conn.Close()
		return
	}

	var hb *time.Timer
	var hbC <-chan time.Time
	if s.opts.Heartbeat > 0 {
		hb = time.NewTimer(s.opts.Heartbeat)
		defer hb.Stop()
		hbC = hb.C
	}
	var chaos *chaosPlan
	var chaosC <-chan time.Time
	if s.opts.Chaos {
		chaos = newChaosPlan(s.seed, s.connSeq.Add(1), s.opts.ChaosInterval)
		defer chaos.timer.Stop()
		chaosC = chaos.timer.C
	}
	for {
		select {
		case <-sub.notify:
			events := sub.take(c.spare)
			for _, ev := range events {
				c.event(ev)
			}
			clear(events) // let the events go once the ring drops them
			if cap(events) <= 64 {
				c.spare = events
			} else {
				c.spare = nil // shrink after a burst
			}
			if err := c.flush(s.opts.WriteTimeout); err != nil {
				c.log().Info("dropped: write failed", "err", err)
				c.conn.Close()
				return
			}
		case <-hbC:
			if idle := time.Since(c.lastWrite); idle < s.opts.Heartbeat {
				hb.Reset(s.opts.Heartbeat - idle)
				continue
			}
			c.append(heartbeatComment)
			if err := c.flush(s.opts.WriteTimeout); err != nil {
				c.log().Info("dropped: heartbeat failed", "err", err)
				c.conn.Close()
				return
			}
			hb.Reset(s.opts.Heartbeat)
		case <-sub.kicked:
			c.log().Warn("dropped: client fell behind", "queue", s.opts.QueueSize)
			c.end()
			return
		case <-c.gone:
			c.log().Info("client disconnected")
			c.conn.Close()
			return
		case <-s.hub.done:
			c.shutdown()
			return
		case <-chaosC:
			if !c.chaos(chaos) {
				return
			}
		}
	}
}

// serveShutdown answers a stream that arrives while the server stops.
func (c *streamConn) serveShutdown() { c.shutdown() }

// shutdown sends what is still queued for the client, then the final
// shutdown event, and ends the stream: nothing published before the shutdown
// is lost.
func (c *streamConn) shutdown() {
	if !c.started {
		c.append(c.s.preamble)
	}
	if c.sub != nil {
		for _, ev := range c.sub.take(nil) {
			c.event(ev)
		}
	}
	c.named("shutdown", map[string]string{
		"reason": "server shutting down",
		"time":   time.Now().UTC().Format(time.RFC3339Nano),
	}, false, 0)
	_ = c.flush(min(c.s.opts.WriteTimeout, 2*time.Second))
	c.end()
}
