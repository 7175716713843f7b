package ui

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/livefeed/livefeed/config"
	"github.com/livefeed/livefeed/feed"
	"github.com/livefeed/livefeed/redact"
)

// batchBuffer is how many batches may wait between the feeds and the UI
// before the feeds block (and so slow their servers down): enough to absorb
// a frame's worth of reads from a firehose, small enough to stay cheap.
const batchBuffer = 1024

// feedSet runs one feed.Feed per configured feed, all writing to one channel.
// Its methods may be called from any goroutine (the model calls them from
// commands); each feed runs under its own context so that a hot reload can
// stop or restart it without touching the others.
type feedSet struct {
	ctx context.Context
	out chan feed.Batch
	log *slog.Logger

	mu      sync.Mutex
	running map[string]*runningFeed
	wg      sync.WaitGroup
}

type runningFeed struct {
	cfg    *config.Feed
	f      *feed.Feed
	cancel context.CancelFunc
	done   chan struct{}
}

// newFeedSet returns an empty set whose feeds stop when ctx ends.
func newFeedSet(ctx context.Context, log *slog.Logger) *feedSet {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &feedSet{ctx: ctx, out: make(chan feed.Batch, batchBuffer), log: log, running: map[string]*runningFeed{}}
}

// feedOptions maps a configured feed to the engine's options. The config's
// stale 0 means off, which the engine spells as a negative duration.
func feedOptions(c *config.Feed) feed.Options {
	o := feed.Options{
		URL:            c.URL,
		Retry:          c.Retry,
		MaxBackoff:     c.MaxBackoff,
		Stale:          c.Stale,
		MaxEventSize:   int(c.MaxEventSize),
		ConnectTimeout: c.ConnectTimeout,
		CAFile:         c.TLS.CAFile,
		Insecure:       c.TLS.Insecure,
	}
	if o.Stale == 0 {
		o.Stale = -1
	}
	if len(c.Headers) > 0 {
		// http.Header is a map[string][]string; the engine canonicalizes
		// the names, and building the map here keeps net/http out of ui.
		h := make(map[string][]string, len(c.Headers))
		for k, v := range c.Headers {
			h[k] = []string{v}
		}
		o.Header = h
	}
	return o
}

// start creates and runs a feed. A feed of the same name that is still
// stopping finishes first, so its last batches always precede the new one's.
func (s *feedSet) start(c *config.Feed) error {
	f, err := feed.New(c.Name, feedOptions(c))
	if err != nil {
		return fmt.Errorf("feed %q: %w", c.Name, err)
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

// stop ends a feed; it returns at once, the feed winds down in the background.
func (s *feedSet) stop(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rf := s.running[name]; rf != nil {
		rf.cancel()
		delete(s.running, name)
		s.log.Info("feed stopped", "feed", name)
	}
}

// apply brings the running feeds in line with cfg: all of them when start
// is true (the first call), else only what ch says changed. Feeds that did
// not change keep their connections.
func (s *feedSet) apply(cfg *config.Config, ch config.Changes, all bool) error {
	var errs []error
	startFeed := func(name string) {
		if c := cfg.Feed(name); c != nil {
			if err := s.start(c); err != nil {
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
		s.stop(name)
	}
	for _, name := range ch.FeedsChanged {
		startFeed(name)
	}
	for _, name := range ch.FeedsAdded {
		startFeed(name)
	}
	return errors.Join(errs...)
}

// reconnect drops and reconnects the named feeds now (reviving CLOSED ones).
func (s *feedSet) reconnect(names []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, n := range names {
		if rf := s.running[n]; rf != nil {
			rf.f.Reconnect()
		}
	}
}

// reconnectAll reconnects every feed.
func (s *feedSet) reconnectAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, rf := range s.running {
		rf.f.Reconnect()
	}
}

// stopAll ends every feed and waits up to timeout for them to finish.
func (s *feedSet) stopAll(timeout time.Duration) {
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
