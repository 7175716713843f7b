package demoserver

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"
)

// Server is a running demo server; it stops when the context given to Start is
// cancelled or Shutdown is called.
type Server struct {
	opts     Options
	seed     int64
	hub      *hub
	http     *http.Server
	ln       net.Listener
	url      string
	log      *slog.Logger
	preamble []byte
	loopback bool     // listening on loopback only: Host is checked
	token    [32]byte // SHA-256 of Options.PublishToken, when set
	connSeq  atomic.Uint64
	streams  streamSet
	bufs     sync.Pool // *[]byte batch buffers, so that idle streams hold none

	stopGen context.CancelFunc
	genWG   sync.WaitGroup

	stopOnce sync.Once
	done     chan struct{}
	errMu    sync.Mutex
	err      error
}

// Start listens on opts.Addr, starts the generators and serves in the
// background; it returns as soon as the server accepts connections. Cancelling
// ctx starts a graceful shutdown; Wait reports when it has finished.
func Start(ctx context.Context, opts Options) (*Server, error) {
	if err := opts.Validate(); err != nil {
		return nil, fmt.Errorf("demo server options: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return nil, fmt.Errorf("demo server: %w", err)
	}
	return serve(ctx, opts, ln), nil
}

// serve runs a server on ln, which Start has opened for opts.Addr.
func serve(ctx context.Context, opts Options, ln net.Listener) *Server {
	s := newServer(opts, ln)

	genCtx, stopGen := context.WithCancel(context.Background())
	s.stopGen = stopGen
	if opts.Rate != 0 {
		for _, g := range NewGenerators(s.seed) {
			s.genWG.Go(func() {
				runGenerator(genCtx, g, opts.Rate, s.seed, s.publishJSON, s.log)
			})
		}
	}
	go func() {
		if err := s.http.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			s.setErr(fmt.Errorf("demo server: %w", err))
			go s.Shutdown(context.Background())
		}
	}()
	go func() {
		select {
		case <-ctx.Done():
			sctx, cancel := context.WithTimeout(context.Background(), opts.ShutdownTimeout)
			defer cancel()
			_ = s.Shutdown(sctx)
		case <-s.done:
		}
	}()
	return s
}

func newServer(opts Options, ln net.Listener) *Server {
	seed := opts.Seed
	for seed == 0 {
		seed = rand.Int64()
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{
		opts: opts,
		seed: seed,
		hub:  newHub(opts.History, opts.QueueSize),
		ln:   ln,
		url:  baseURL(ln.Addr()),
		log:  logger,
		done: make(chan struct{}),

		loopback: isLoopback(ln.Addr()),
		token:    sha256.Sum256([]byte(opts.PublishToken)),
	}
	s.opts.Seed = seed
	// The first bytes of every stream: who we are, and how long to wait before
	// reconnecting. The block dispatches no event.
	s.preamble = []byte(": livefeed demo-server\nretry: " + strconv.FormatInt(opts.Retry.Milliseconds(), 10) + "\n\n")

	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.handlePage)
	mux.HandleFunc("GET /events", s.handleEvents)
	mux.HandleFunc("GET /events/{topic}", s.handleTopic)
	mux.Handle("POST /publish", http.NewCrossOriginProtection().Handler(http.HandlerFunc(s.handlePublish)))
	mux.HandleFunc("GET /healthz", s.handleHealth)
	var handler http.Handler = mux
	if s.loopback {
		handler = checkHost(mux)
	}
	s.http = &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second, // streams manage their own deadlines
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          log.New(slogWriter{logger}, "", 0),
	}
	return s
}

func (s *Server) getBuf() *[]byte {
	if b, ok := s.bufs.Get().(*[]byte); ok {
		return b
	}
	b := make([]byte, 0, 4096)
	return &b
}

// baseURL turns the listener's address into a URL a browser can open: a
// wildcard address is reached through loopback.
func baseURL(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok {
		return "http://" + a.String()
	}
	ip := tcp.IP
	if ip == nil || ip.IsUnspecified() {
		ip = net.IPv4(127, 0, 0, 1)
	}
	return "http://" + net.JoinHostPort(ip.String(), strconv.Itoa(tcp.Port))
}

// isLoopback reports whether a is a loopback address (127.0.0.0/8, ::1); a
// wildcard address is not: it accepts connections from other machines too.
func isLoopback(a net.Addr) bool {
	tcp, ok := a.(*net.TCPAddr)
	return ok && tcp.IP.IsLoopback()
}

// checkHost answers 421 to a request whose Host is not a loopback name or
// address. A server on loopback is reachable only from this machine, but a
// web page this machine's browser shows can still reach it: it points its own
// host name at 127.0.0.1 (DNS rebinding), and from then on the browser treats
// the demo server as that page's own origin, so the cross-origin checks on
// /publish let its requests through. The one thing such a request cannot hide
// is the name it was made for, in Host.
func checkHost(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !loopbackHost(r.Host) {
			http.Error(w, fmt.Sprintf("Host %s is not a loopback name or address: this demo server listens on loopback and "+
				"answers only requests made for localhost, 127.x.x.x or [::1] (a defence against DNS rebinding); "+
				"to serve other hosts, listen on another address (--addr) and set --publish-token",
				quoteCut(r.Host, 80)), http.StatusMisdirectedRequest)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// loopbackHost reports whether a Host header value (name or address, with or
// without a port) is localhost or a loopback address. An empty Host is let
// through: only HTTP/1.0 may omit it, and browsers always send one.
func loopbackHost(host string) bool {
	if host == "" {
		return true
	}
	name := host
	if h, _, err := net.SplitHostPort(host); err == nil {
		name = h
	} else if strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]") {
		name = host[1 : len(host)-1]
	}
	name = strings.TrimSuffix(name, ".")
	if strings.EqualFold(name, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(name)
	return err == nil && ip.Zone() == "" && ip.Unmap().IsLoopback()
}

// quoteCut quotes s for an error message, cut to at most n bytes: what a
// client sent is echoed back only in part.
func quoteCut(s string, n int) string {
	if len(s) <= n {
		return strconv.Quote(s)
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strconv.Quote(s[:cut]) + "…"
}

// Loopback reports whether the server listens on a loopback address only. It
// then refuses requests made for any other host name (see checkHost); on any
// other address, POST /publish is open to whoever can reach it unless
// Options.PublishToken is set.
func (s *Server) Loopback() bool { return s.loopback }

// URL returns the server's base URL, such as http://127.0.0.1:8080.
func (s *Server) URL() string { return s.url }

// Addr returns the address the server listens on.
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// Seed returns the seed of the generated data (chosen at random when
// Options.Seed was 0).
func (s *Server) Seed() int64 { return s.seed }

// Status returns a snapshot of subscribers and topic positions.
func (s *Server) Status() Status { return s.hub.status() }

// Publish sends an event to every subscriber of topic and returns its id.
// data must be valid JSON; it is sent compacted onto one data: line.
func (s *Server) Publish(topic, event string, data []byte) (id string, err error) {
	if !knownTopic(topic) {
		return "", fmt.Errorf("%w %q", errUnknownTopic, topic)
	}
	if err := checkEventName(event); err != nil {
		return "", err
	}
	compact, err := compactJSON(data)
	if err != nil {
		return "", err
	}
	seq, _, err := s.hub.publish(topic, event, compact)
	if err != nil {
		return "", err
	}
	return strconv.FormatUint(seq, 10), nil
}

// publishJSON is how generators publish: their data is already compact JSON.
func (s *Server) publishJSON(topic, event string, data []byte) error {
	_, _, err := s.hub.publish(topic, event, data)
	return err
}

// Shutdown stops the server gracefully: generators stop, every client gets a
// final "shutdown" event, connections close. If ctx ends first, the remaining
// connections are closed abruptly and ctx's error is returned.
func (s *Server) Shutdown(ctx context.Context) error {
	var err error
	s.stopOnce.Do(func() {
		s.stopGen()
		s.genWG.Wait()
		s.hub.close() // every stream sends its shutdown event and ends
		if err = s.http.Shutdown(ctx); err != nil {
			_ = s.http.Close()
		}
		if s.streams.close(ctx.Done()) && err == nil {
			err = ctx.Err()
		}
		if err != nil {
			s.log.Warn("graceful shutdown timed out; closed the remaining connections", "err", err)
		}
		close(s.done)
	})
	select {
	case <-s.done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Done is closed when the server has stopped.
func (s *Server) Done() <-chan struct{} { return s.done }

// Wait blocks until the server has stopped and returns what stopped it: nil
// after a requested shutdown, or the error that made serving fail.
func (s *Server) Wait() error {
	<-s.done
	s.errMu.Lock()
	defer s.errMu.Unlock()
	return s.err
}

func (s *Server) setErr(err error) {
	s.errMu.Lock()
	defer s.errMu.Unlock()
	if s.err == nil {
		s.err = err
	}
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-cache")
	st := s.hub.status()
	if st.Status != "ok" {
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	_ = json.NewEncoder(w).Encode(st)
}

// slogWriter routes net/http's own error log (TLS garbage, accept errors)
// into the server's logger instead of stderr.
type slogWriter struct{ l *slog.Logger }

func (w slogWriter) Write(p []byte) (int, error) {
	w.l.Warn("http server", "msg", string(trimNewline(p)))
	return len(p), nil
}

func trimNewline(p []byte) []byte {
	for len(p) > 0 && (p[len(p)-1] == '\n' || p[len(p)-1] == '\r') {
		p = p[:len(p)-1]
	}
	return p
}
