package replay

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/livefeed/livefeed/feed"
	"github.com/livefeed/livefeed/render"
)

// Options are a replay server's settings.
type Options struct {
	// Speed scales the recorded pace: 2 plays twice as fast, 0 as fast as
	// the client reads.
	Speed float64
	// Loop starts the recording over after its end instead of closing the
	// streams (and answering 204 from then on).
	Loop bool
	// Retry is sent as each stream's retry: field, the client's
	// reconnection time.
	Retry time.Duration
	// Heartbeat is the longest a stream stays silent: a comment line is
	// sent after that long without an event, so proxies keep it open.
	Heartbeat time.Duration
	// Name is what the listing calls the capture (its file name).
	Name string
}

// DefaultOptions are `livefeed replay`'s defaults.
func DefaultOptions() Options {
	return Options{Speed: 1, Retry: time.Second, Heartbeat: 15 * time.Second}
}

// Server serves a Recording over HTTP: GET /feeds/<name> is the named
// feed's event stream, GET / lists the feeds as text, or as JSON when the
// client accepts application/json.
type Server struct {
	rec   *Recording
	opts  Options
	clock *Clock
	mux   *http.ServeMux

	mu      sync.Mutex
	ended   map[string]bool // the feed was played to its end: 204 from now on
	clients map[string]int
}

// New returns a server for rec; its clock starts at the first connection.
func New(rec *Recording, o Options) *Server {
	d := DefaultOptions()
	if o.Retry <= 0 {
		o.Retry = d.Retry
	}
	if o.Heartbeat <= 0 {
		o.Heartbeat = d.Heartbeat
	}
	s := &Server{rec: rec, opts: o, clock: NewClock(o.Speed), ended: map[string]bool{}, clients: map[string]int{}}
	s.mux = http.NewServeMux()
	s.mux.HandleFunc("GET /{$}", s.list)
	s.mux.HandleFunc("GET /feeds/{name}", s.stream)
	return s
}

// Clock is the replay's clock, to pause, step or change speed.
func (s *Server) Clock() *Clock { return s.clock }

// Recording is what the server plays.
func (s *Server) Recording() *Recording { return s.rec }

// Loop says whether the replay starts over at its end.
func (s *Server) Loop() bool { return s.opts.Loop }

// Path is the URL path of the named feed's stream.
func Path(name string) string { return "/feeds/" + url.PathEscape(name) }

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// feedInfo is one feed in the JSON listing.
type feedInfo struct {
	Name    string `json:"name"`
	URL     string `json:"url"`
	Events  int    `json:"events"`
	Clients int    `json:"clients"`
	Ended   bool   `json:"ended"`
}

type listing struct {
	Capture    string     `json:"capture,omitempty"`
	Events     int        `json:"events"`
	SpanMS     int64      `json:"span_ms"`
	PositionMS int64      `json:"position_ms"`
	Speed      float64    `json:"speed"`
	Paused     bool       `json:"paused"`
	Loop       bool       `json:"loop"`
	Feeds      []feedInfo `json:"feeds"`
}

func (s *Server) list(w http.ResponseWriter, r *http.Request) {
	l := listing{Capture: s.opts.Name, Events: s.rec.Events(), SpanMS: s.rec.Span.Milliseconds(),
		PositionMS: s.clock.Position().Milliseconds(), Speed: s.clock.Speed(), Paused: s.clock.Paused(), Loop: s.opts.Loop,
		Feeds: []feedInfo{}}
	base := "http://" + r.Host
	s.mu.Lock()
	for _, f := range s.rec.Feeds {
		l.Feeds = append(l.Feeds, feedInfo{Name: f.Name, URL: base + Path(f.Name), Events: len(f.Events),
			Clients: s.clients[f.Name], Ended: s.ended[f.Name]})
	}
	s.mu.Unlock()
	if acceptsJSON(r.Header.Get("Accept")) {
		w.Header().Set("Content-Type", "application/json")
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		_ = enc.Encode(l)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	name := render.Sanitize(l.Capture)
	if name == "" {
		name = "a capture"
	}
	fmt.Fprintf(w, "livefeed replay of %s: %d events over %s, speed %s", name, l.Events, s.rec.Span.Round(time.Millisecond), FormatSpeed(l.Speed))
	if l.Loop {
		fmt.Fprint(w, ", looping")
	}
	if l.Paused {
		fmt.Fprint(w, ", paused")
	}
	fmt.Fprint(w, "\n\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "FEED\tURL\tEVENTS\tSTATE")
	for _, f := range l.Feeds {
		state := "waiting"
		switch {
		case f.Ended:
			state = "ended (204)"
		case f.Clients > 0:
			state = fmt.Sprintf("streaming to %d", f.Clients)
		}
		// A capture is a file anyone may have written: its names reach the
		// terminal of whoever curls this, so no control sequences.
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\n", render.Sanitize(f.Name), f.URL, f.Events, state)
	}
	_ = tw.Flush()
}

// acceptsJSON says whether an Accept header asks for JSON rather than text.
func acceptsJSON(accept string) bool {
	for part := range strings.SplitSeq(accept, ",") {
		mt, _, _ := strings.Cut(part, ";")
		switch strings.ToLower(strings.TrimSpace(mt)) {
		case "application/json", "application/*":
			return true
		case "text/plain", "text/*", "text/html":
			return false
		}
	}
	return false
}

// FormatSpeed shows a speed as people say it: "×1", "×0.5", "max" for 0.
func FormatSpeed(v float64) string {
	if v == 0 {
		return "max"
	}
	return "×" + strconv.FormatFloat(v, 'f', -1, 64)
}

func (s *Server) stream(w http.ResponseWriter, r *http.Request) {
	f := s.rec.Feed(r.PathValue("name"))
	if f == nil {
		http.Error(w, fmt.Sprintf("no feed %q in this capture; GET / lists them", r.PathValue("name")), http.StatusNotFound)
		return
	}
	loop := s.opts.Loop
	clientID := r.Header.Get("Last-Event-ID")
	next, resumed := 0, false
	if clientID != "" {
		next, resumed = f.resumeIndex(clientID)
	}
	s.mu.Lock()
	ended := s.ended[f.Name]
	s.mu.Unlock()
	// Once a feed has been played to its end, a new client gets 204 (how
	// an SSE server says "do not reconnect"), and so does one that has
	// everything; a client that dropped out midway still gets the rest.
	if !loop && (next == len(f.Events) || (ended && !resumed)) {
		s.markEnded(f.Name)
		w.WriteHeader(http.StatusNoContent)
		return
	}
	s.clock.Start()
	lapLen := s.rec.lap()
	var lap time.Duration
	if loop {
		// Join the current pass; a client resuming after an event that has
		// not come round yet in this pass got it in the previous one.
		pos := s.clock.Position()
		lap = pos / lapLen * lapLen
		if resumed && lap+f.Events[next-1].At > pos && lap > 0 {
			lap -= lapLen
		}
	}

	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return // a HEAD has no body to play the recording into
	}
	s.addClient(f.Name, 1)
	defer s.addClient(f.Name, -1)

	sw := streamWriter{w: w, lastID: clientID}
	sw.buf = fmt.Appendf(sw.buf, ": livefeed replay of %s\nretry: %d\n\n", oneLine(f.Name), s.opts.Retry.Milliseconds())
	if !sw.flush(rc) {
		return
	}
	heartbeat := time.NewTimer(s.opts.Heartbeat)
	defer heartbeat.Stop()
	var wait *time.Timer
	defer func() {
		if wait != nil {
			wait.Stop()
		}
	}()
	for {
		if next == len(f.Events) {
			if !loop {
				if sw.flush(rc) {
					s.markEnded(f.Name)
				}
				return
			}
			next, lap = 0, lap+lapLen
			if len(f.Events) == 0 {
				// Nothing ever to send: keep the stream open with heartbeats.
				next = -1
			}
		}
		var due bool
		var d time.Duration
		var changed <-chan struct{}
		if next >= 0 {
			at := lap + f.Events[next].At
			due, d, changed = s.clock.until(at)
			if due {
				sw.event(&f.Events[next].Event)
				s.clock.sentUpTo(at)
				next++
				// A long catch-up goes out in pieces rather than one
				// buffer of the whole recording.
				if len(sw.buf) >= 32<<10 && !sw.write() {
					return
				}
				continue
			}
		} else {
			d = -1
		}
		if len(sw.buf) > 0 || sw.unflushed {
			if !sw.flush(rc) {
				return
			}
			heartbeat.Reset(s.opts.Heartbeat)
		}
		var timeout <-chan time.Time
		if d >= 0 {
			if wait == nil {
				wait = time.NewTimer(d)
			} else {
				wait.Reset(d)
			}
			timeout = wait.C
		}
		select {
		case <-r.Context().Done():
			return
		case <-timeout:
		case <-changed:
		case <-heartbeat.C:
			sw.buf = append(sw.buf, ":\n"...)
			if !sw.flush(rc) {
				return
			}
			heartbeat.Reset(s.opts.Heartbeat)
		}
		if wait != nil {
			wait.Stop()
		}
	}
}

func (s *Server) addClient(name string, n int) {
	s.mu.Lock()
	s.clients[name] += n
	s.mu.Unlock()
}

func (s *Server) markEnded(name string) {
	s.mu.Lock()
	s.ended[name] = true
	s.mu.Unlock()
}

// Ended says whether the named feed has been played to its end (and so
// answers 204 now).
func (s *Server) Ended(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ended[name]
}

// streamWriter encodes events as an SSE stream.
type streamWriter struct {
	w         http.ResponseWriter
	buf       []byte
	lastID    string // the client's last event ID after what was written
	unflushed bool
}

// oneLine drops CR, LF and NUL from an event type or id: they could only
// be in a hand-made capture (the engine splits lines there and ignores ids
// with NUL), and on the wire they would start another field.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n\x00") {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r == '\r' || r == '\n' || r == 0 {
			return -1
		}
		return r
	}, s)
}

// event appends e. The id field goes out only when the id changes, as a
// server that sets an id and lets the next events inherit it would send it;
// an empty id is sent as a bare "id" to clear the client's.
func (sw *streamWriter) event(e *feed.Event) {
	if id := e.ID; id != sw.lastID {
		clean := oneLine(id)
		sw.buf = append(sw.buf, "id: "...)
		sw.buf = append(sw.buf, clean...)
		sw.buf = append(sw.buf, '\n')
		sw.lastID = id
	}
	if e.Type != "message" && e.Type != "" {
		sw.buf = append(sw.buf, "event: "...)
		sw.buf = append(sw.buf, oneLine(e.Type)...)
		sw.buf = append(sw.buf, '\n')
	}
	data := e.Data
	for {
		line, rest, more := cutLine(data)
		sw.buf = append(sw.buf, "data: "...)
		sw.buf = append(sw.buf, line...)
		sw.buf = append(sw.buf, '\n')
		if !more {
			break
		}
		data = rest
	}
	sw.buf = append(sw.buf, '\n')
}

// cutLine splits s at its first line break (CRLF, CR or LF: the parser
// would split there too).
func cutLine(s string) (line, rest string, found bool) {
	i := strings.IndexAny(s, "\r\n")
	if i < 0 {
		return s, "", false
	}
	if s[i] == '\r' && i+1 < len(s) && s[i+1] == '\n' {
		return s[:i], s[i+2:], true
	}
	return s[:i], s[i+1:], true
}

func (sw *streamWriter) write() bool {
	if len(sw.buf) == 0 {
		return true
	}
	_, err := sw.w.Write(sw.buf)
	sw.buf = sw.buf[:0]
	sw.unflushed = true
	return err == nil
}

func (sw *streamWriter) flush(rc *http.ResponseController) bool {
	if !sw.write() {
		return false
	}
	sw.unflushed = false
	return rc.Flush() == nil
}
