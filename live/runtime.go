// Package live is livefeed's runtime: it runs the feeds of a config, applies
// config changes to them, routes each event to the panes that show it, and
// hands consumers (the TUI, tail) the feeds' output a frame at a time. It
// knows nothing of terminals; consumers wrap its plain Go API in their own
// loop.
package live

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/livefeed/livefeed/capture"
	"github.com/livefeed/livefeed/config"
	"github.com/livefeed/livefeed/feed"
	"github.com/livefeed/livefeed/redact"
)

// batchBuffer is how many batches may wait between the feeds and the UI
// before the feeds block (and so slow their servers down, losing nothing):
// enough to absorb the reads that arrive while the consumer applies a
// frame, small enough to stay cheap. A batch is one network read, up to
// 32 KiB: when the consumer falls behind (a busy machine stops it for a
// while), the buffer fills with full reads at once. With 1024 batches the
// TUI's peak RSS after a 2 s stop under 100,000 events/s was 73 MB; with
// 128, 46 MB; with 64, 42–44 MB (bench/firehose, twice each).
const batchBuffer = 128

// Runtime runs one feed.Feed per configured feed, all writing to one
// channel. Its methods may be called from any goroutine (the TUI calls them
// from commands); each feed runs under its own context so that a hot reload
// can stop or restart it without touching the others.
type Runtime struct {
	ctx context.Context
	out chan feed.Batch
	log *slog.Logger

	mu      sync.Mutex
	running map[string]*runningFeed
	wg      sync.WaitGroup
	rec     *capture.Writer // where NextFrame records what it delivers; nil: nowhere
}

type runningFeed struct {
	cfg    *config.Feed
	f      *feed.Feed
	cancel context.CancelFunc
	done   chan struct{}
}

// New returns a runtime with no feeds; the feeds it starts stop when ctx
// ends. log receives feed starts and stops; nil discards them.
func New(ctx context.Context, log *slog.Logger) *Runtime {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Runtime{ctx: ctx, out: make(chan feed.Batch, batchBuffer), log: log, running: map[string]*runningFeed{}}
}

// Batches is the channel every feed writes its batches to, in arrival order.
// Read it directly, or a frame at a time with NextFrame.
func (s *Runtime) Batches() <-chan feed.Batch { return s.out }

// Coalesce is the engine's read window (feed.Options.Coalesce) for the
// runtime's feeds. A feed trickles in only above ~10 events a second; above
// 20, data frames are paced at calmInterval (100 ms) or slower anyway, and
// between 10 and 20 an event may be drawn up to 100 ms late. Why not the
// engine's 20 ms: the runtime pays per wake-up, not per event. At 50 feeds
// of 200 events/s each that was 2,500 reads a second at 20 ms, 1,000 at
// 50 ms (docs/BENCHMARKS.md, "TUI: 50 feeds against 1"). And the dashboard
// at 1,000 events/s over 3 feeds, whose ticks and frame collection wake
// with the feeds (UntilWindow), went from 6.3–6.9% of a core to 5.2–5.5%
// at 100 ms rather than 50 (bench/firehose, three alternating runs each):
// on this VM every wake-up costs context switches and sysmon's 20 µs
// polls while the process is busy. tail keeps the engine's default.
const Coalesce = 100 * time.Millisecond

// FeedOptions maps a configured feed to the engine's options (stale 0 is
// off in both).
func FeedOptions(c *config.Feed) feed.Options {
	o := feed.Options{
		URL:            c.URL,
		Retry:          c.Retry,
		MaxBackoff:     c.MaxBackoff,
		Stale:          c.Stale,
		MaxEventSize:   int(c.MaxEventSize),
		ConnectTimeout: c.ConnectTimeout,
		CAFile:         c.TLS.CAFile,
		Insecure:       c.TLS.Insecure,
		Method:         c.Method,
		HeadersCommand: slices.Clone(c.HeadersCommand),
		Reconnect:      c.Reconnect,
		EndOn:          c.EndOn,
		RetryOn:        slices.Clone(c.RetryOn),
		Coalesce:       Coalesce,
	}
	if o.Method == "" {
		o.Method = http.MethodGet
	}
	if o.RetryOn == nil {
		// A config.Feed built by hand (not parsed) has no retry_on: it gets
		// the default, as a parsed one would; [] stays "none".
		o.RetryOn = feed.DefaultRetryOn()
	}
	if c.Body != "" {
		o.Body = []byte(c.Body)
	}
	h := make(http.Header, len(c.Headers)+1)
	for k, v := range c.Headers {
		// Names pass as written: the engine canonicalizes them.
		h[k] = []string{v}
	}
	if c.BodyJSON && !hasHeader(c.Headers, "Content-Type") {
		h["Content-Type"] = []string{"application/json"}
	}
	if len(h) > 0 {
		o.Header = h
	}
	return o
}

// hasHeader says whether headers set name, ignoring case as HTTP does.
func hasHeader(headers map[string]string, name string) bool {
	for k := range headers {
		if strings.EqualFold(k, name) {
			return true
		}
	}
	return false
}

// Start creates and runs a feed; an error is a *feed.FeedError. A feed of the same name that is still
// stopping finishes first, so its last batches always precede the new one's.
func (s *Runtime) Start(c *config.Feed) error {
	f, err := feed.New(c.Name, FeedOptions(c))
	if err != nil {
		return err // a *feed.FeedError: it names the feed already
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	prev := s.running[c.Name]
	if prev != nil {
		prev.cancel()
	}
	ctx, cancel := context.WithCancel(s.ctx)
	rf := &runningFeed{cfg: c, f: f, cancel: cancel, done: make(chan struct{})}
	s.running[c.Name] = rf
	s.wg.Go(func() {
		defer close(rf.done)
		if prev != nil {
			<-prev.done
		}
		s.log.Info("feed starting", "feed", c.Name, "url", redact.URL(c.URL))
		f.Run(ctx, s.out)
	})
	return nil
}

// Record makes NextFrame append every batch it delivers (each event and
// state change of every feed) to w, until a write fails: then the frame
// that met the failure carries it in RecordErr and recording stops, the
// feeds go on. nil stops recording. The caller closes w.
func (s *Runtime) Record(w *capture.Writer) {
	s.mu.Lock()
	s.rec = w
	s.mu.Unlock()
}

// record writes a frame's batches to the recording, if there is one.
func (s *Runtime) record(f *Frame) {
	s.mu.Lock()
	rec := s.rec
	s.mu.Unlock()
	if rec == nil {
		return
	}
	for i := range f.Batches {
		if err := rec.Batch(&f.Batches[i]); err != nil {
			f.RecordErr = err
			s.mu.Lock()
			if s.rec == rec {
				s.rec = nil
			}
			s.mu.Unlock()
			return
		}
	}
}

// Stop ends a feed; it returns at once, the feed winds down in the background.
func (s *Runtime) Stop(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rf := s.running[name]; rf != nil {
		rf.cancel()
		delete(s.running, name)
		s.log.Info("feed stopped", "feed", name)
	}
}

// Apply brings the running feeds in line with cfg: all of them when all is
// true (the first call), else only what ch says changed. The error joins a
// *feed.FeedError for each feed that could not start. Feeds that did
// not change keep their connections.
func (s *Runtime) Apply(cfg *config.Config, ch config.Changes, all bool) error {
	var errs []error
	startFeed := func(name string) {
		if c := cfg.Feed(name); c != nil {
			if err := s.Start(c); err != nil {
				errs = append(errs, err)
			}
		}
	}
	if all {
		for _, c := range cfg.Feeds {
			startFeed(c.Name)
		}
		return errors.Join(errs...)
	}
	for _, name := range ch.FeedsRemoved {
		s.Stop(name)
	}
	for _, name := range ch.FeedsChanged {
		startFeed(name)
	}
	for _, name := range ch.FeedsAdded {
		startFeed(name)
	}
	return errors.Join(errs...)
}

// Reconnect drops and reconnects the named feeds now (reviving CLOSED ones).
func (s *Runtime) Reconnect(names []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, n := range names {
		if rf := s.running[n]; rf != nil {
			rf.f.Reconnect()
		}
	}
}

// ReconnectAll reconnects every feed.
func (s *Runtime) ReconnectAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, rf := range s.running {
		rf.f.Reconnect()
	}
}

// StopAll ends every feed and waits up to timeout for them to finish.
func (s *Runtime) StopAll(timeout time.Duration) {
	s.mu.Lock()
	for name, rf := range s.running {
		rf.cancel()
		delete(s.running, name)
	}
	s.mu.Unlock()
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
		s.log.Warn("feeds did not stop in time", "timeout", timeout)
	}
}

// Running returns the configuration the named feed runs with (the one it
// was last started with), or nil when no such feed runs.
func (s *Runtime) Running(name string) *config.Feed {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rf := s.running[name]; rf != nil {
		return rf.cfg
	}
	return nil
}
