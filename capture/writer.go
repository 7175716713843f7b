package capture

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/livefeed/livefeed/feed"
)

// FlushInterval is the longest a written line waits in the buffer: a
// recording read while it grows (tail -f, a crash) lags by at most this.
const FlushInterval = time.Second

// bufferSize batches a firehose's lines into few write calls.
const bufferSize = 64 << 10

// ErrClosed is returned by writes after Close.
var ErrClosed = errors.New("capture: writer is closed")

// Writer appends capture lines to an io.Writer through a buffer that is
// flushed at least every FlushInterval and at Close. It is safe for
// concurrent use. The first write error is kept: every later call returns
// it, so a recording stops at the first failure instead of leaving holes.
type Writer struct {
	mu     sync.Mutex
	bw     *bufio.Writer
	closer io.Closer // the file Create opened; nil for NewWriter
	name   string    // for error messages
	enc    *Encoder  // on bw
	dirty  bool      // bytes are buffered that were not flushed yet
	err    error
	closed bool

	stop chan struct{}
	done chan struct{}
}

// NewWriter returns a Writer on w; name says what w is in errors ("" for
// none). Close flushes it but does not close w.
func NewWriter(w io.Writer, name string) *Writer {
	cw := &Writer{bw: bufio.NewWriterSize(w, bufferSize), name: name, stop: make(chan struct{}), done: make(chan struct{})}
	cw.enc = NewEncoder(cw.bw)
	go cw.flushLoop()
	return cw
}

// Create opens path for appending (creating it, readable by its owner only:
// feeds carry private data) and returns a Writer on it that closes the file
// at Close.
func Create(path string) (*Writer, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("recording: %w", err)
	}
	w := NewWriter(f, path)
	w.closer = f
	return w, nil
}

// Name is the file the Writer appends to, as given to Create or NewWriter.
func (w *Writer) Name() string { return w.name }

func (w *Writer) flushLoop() {
	defer close(w.done)
	t := time.NewTicker(FlushInterval)
	defer t.Stop()
	for {
		select {
		case <-w.stop:
			return
		case <-t.C:
			w.mu.Lock()
			if w.dirty && w.err == nil {
				w.flushLocked()
			}
			w.mu.Unlock()
		}
	}
}

// Batch writes a feed batch: its state change, then its events.
func (w *Writer) Batch(b *feed.Batch) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err != nil {
		return w.err
	}
	if b.Status != nil {
		if err := w.wrote(w.enc.State(b.Feed, b.Time, b.Status)); err != nil {
			return err
		}
	}
	for i := range b.Events {
		if err := w.wrote(w.enc.Event(b.Feed, b.Time, &b.Events[i])); err != nil {
			return err
		}
	}
	return nil
}

// Event writes one event of the named feed that arrived at t.
func (w *Writer) Event(feedName string, t time.Time, e *feed.Event) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err != nil {
		return w.err
	}
	return w.wrote(w.enc.Event(feedName, t, e))
}

// State writes one state change of the named feed at t.
func (w *Writer) State(feedName string, t time.Time, st *feed.Status) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err != nil {
		return w.err
	}
	return w.wrote(w.enc.State(feedName, t, st))
}

// wrote notes the result of one of the encoder's writes.
func (w *Writer) wrote(err error) error {
	if err != nil {
		w.fail(err)
		return w.err
	}
	w.dirty = true
	return nil
}

func (w *Writer) flushLocked() {
	if err := w.bw.Flush(); err != nil {
		w.fail(err)
		return
	}
	w.dirty = false
}

func (w *Writer) fail(err error) {
	if w.name != "" {
		w.err = fmt.Errorf("recording to %s: %w", w.name, err)
	} else {
		w.err = fmt.Errorf("recording: %w", err)
	}
}

// Flush writes the buffered lines now.
func (w *Writer) Flush() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err == nil && w.dirty {
		w.flushLocked()
	}
	return w.err
}

// Err is the error that stopped the recording, or nil while it works.
func (w *Writer) Err() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if errors.Is(w.err, ErrClosed) {
		return nil
	}
	return w.err
}

// Close flushes, stops the periodic flush and closes the file Create
// opened. It returns the first error the Writer met, if any.
func (w *Writer) Close() error {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return nil
	}
	w.closed = true
	close(w.stop)
	if w.err == nil && w.dirty {
		w.flushLocked()
	}
	err := w.err
	if w.closer != nil {
		if cerr := w.closer.Close(); cerr != nil && err == nil {
			w.fail(cerr)
			err = w.err
		}
	}
	if w.err == nil {
		w.err = ErrClosed
	}
	w.mu.Unlock()
	<-w.done
	return err
}
