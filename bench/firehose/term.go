package main

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// keyTimeout is how long a key press may take to show before it counts as
// missed (and is recorded as taking at least this long).
const keyTimeout = 2 * time.Second

// keyPress is one focus change sent to the program.
type keyPress struct {
	Key string `json:"key"`
	// Sent is when the write returned, since the program started.
	Sent time.Duration `json:"sent_ns"`
	// NextOutput is the time from the key to the next bytes the program
	// wrote, whatever they were (-1: none).
	NextOutput time.Duration `json:"next_output_ns"`
	// Frame is the time from the key to the first bytes after which the
	// emulated screen showed the focus somewhere else (-1: not within
	// keyTimeout).
	Frame time.Duration `json:"frame_ns"`
}

// termSession is the harness's side of the pseudo-terminal: it reads all the
// program writes (the program must never block on output), keeps an emulated
// screen, answers terminal queries, and sends the key presses it times.
type termSession struct {
	master *os.File
	start  time.Time
	scr    *screen
	titles []string

	bytes      atomic.Int64
	syncFrames atomic.Int64
	reads      atomic.Int64

	input chan []byte        // keys to write now (the final q)
	snaps chan chan snapshot // requests for the screen

	mu          sync.Mutex
	keysFrom    time.Time
	keysUntil   time.Time
	interval    time.Duration
	presses     []keyPress
	firstOutput time.Duration
	firstTitle  time.Duration
	titleSeen   string
	noFocus     int // presses sent while no cell had the focus colour
	writeErrs   int
	lastScreen  string
	queries     map[string]int

	done chan struct{}
	err  error
}

func newTermSession(master *os.File, cols, rows int, start time.Time, titles []string) *termSession {
	t := &termSession{
		master:      master,
		start:       start,
		titles:      titles,
		input:       make(chan []byte, 8),
		snaps:       make(chan chan snapshot),
		done:        make(chan struct{}),
		firstOutput: -1,
		firstTitle:  -1,
	}
	t.scr = newScreen(cols, rows, t.write)
	return t
}

// write sends bytes to the program's input; a program that stops reading
// its input must not stall the harness, hence the deadline.
func (t *termSession) write(b []byte) {
	t.master.SetWriteDeadline(time.Now().Add(200 * time.Millisecond)) //nolint:errcheck // pollable file
	if _, err := t.master.Write(b); err != nil {
		t.mu.Lock()
		t.writeErrs++
		t.mu.Unlock()
	}
}

// timeKeys makes the session send a focus key about every interval between
// from and until, each after the previous one showed (or timed out).
func (t *termSession) timeKeys(from, until time.Time, interval time.Duration) {
	t.mu.Lock()
	t.keysFrom, t.keysUntil, t.interval = from, until, interval
	t.mu.Unlock()
}

// send writes b to the program soon (from the reading goroutine).
func (t *termSession) send(b []byte) { t.input <- b }

// run reads the pty until the program has exited and closed it.
func (t *termSession) run() {
	defer close(t.done)
	buf := make([]byte, 64<<10)
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	var (
		pending *keyPress
		sentAt  time.Time
		sig0    string
		nextKey time.Time
		tab     = true
	)
	for {
		now := time.Now()
		select {
		case b := <-t.input:
			t.write(b)
		case reply := <-t.snaps:
			reply <- snapshot{text: t.scr.String(), rowBytes: append([]int64(nil), t.scr.rowBytes...)}
		default:
		}
		t.mu.Lock()
		from, until, interval := t.keysFrom, t.keysUntil, t.interval
		t.mu.Unlock()
		if pending != nil && now.Sub(sentAt) > keyTimeout {
			t.record(*pending)
			pending = nil
			nextKey = now.Add(interval)
		}
		if pending == nil && !from.IsZero() && !now.Before(from) && now.Before(until) && !now.Before(nextKey) {
			key, name := "\t", "tab"
			if !tab {
				key, name = "\x1b[Z", "shift+tab"
			}
			tab = !tab
			sig0 = t.scr.focusSignature(focusColour)
			if sig0 == "" {
				t.mu.Lock()
				t.noFocus++
				t.mu.Unlock()
			}
			t.write([]byte(key))
			sentAt = time.Now()
			pending = &keyPress{Key: name, Sent: sentAt.Sub(t.start), NextOutput: -1, Frame: -1}
		}
		t.master.SetReadDeadline(time.Now().Add(20 * time.Millisecond)) //nolint:errcheck // pollable file
		n, err := t.master.Read(buf)
		at := time.Now()
		if n > 0 {
			t.bytes.Add(int64(n))
			t.reads.Add(1)
			t.scr.Write(buf[:n])
			t.syncFrames.Store(int64(t.scr.syncFrames))
			t.observe(at)
			if pending != nil {
				if pending.NextOutput < 0 {
					pending.NextOutput = at.Sub(sentAt)
				}
				if t.scr.focusSignature(focusColour) != sig0 {
					pending.Frame = at.Sub(sentAt)
					t.record(*pending)
					pending = nil
					jitter := time.Duration(rng.Int64N(int64(interval/5) + 1))
					nextKey = at.Add(interval + jitter)
				}
			}
		}
		if err != nil {
			if errors.Is(err, os.ErrDeadlineExceeded) {
				continue
			}
			// EIO: every slave descriptor is closed, the program is gone.
			if !errors.Is(err, syscall.EIO) {
				t.err = fmt.Errorf("reading the pty: %w", err)
			}
			if pending != nil {
				t.record(*pending)
			}
			t.mu.Lock()
			t.lastScreen = t.scr.String()
			t.queries = t.scr.queries
			t.mu.Unlock()
			return
		}
	}
}

// observe notes the first output and the first frame that shows a pane.
func (t *termSession) observe(at time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.firstOutput < 0 {
		t.firstOutput = at.Sub(t.start)
	}
	if t.firstTitle >= 0 {
		return
	}
	for _, title := range t.titles {
		if t.scr.Contains(title) {
			t.firstTitle = at.Sub(t.start)
			t.titleSeen = title
			return
		}
	}
}

func (t *termSession) record(p keyPress) {
	t.mu.Lock()
	t.presses = append(t.presses, p)
	t.mu.Unlock()
}

// snapshot is the emulated screen at one moment.
type snapshot struct {
	text     string
	rowBytes []int64 // output so far attributed to each row
}

// screenNow is the emulated screen now; empty if the reader has finished or
// does not answer within a second.
func (t *termSession) screenNow() snapshot {
	reply := make(chan snapshot, 1)
	select {
	case t.snaps <- reply:
		return <-reply
	case <-t.done:
	case <-time.After(time.Second):
	}
	return snapshot{}
}

// snapshotScreen is the last screen before the pty closed, for error messages.
func (t *termSession) snapshotScreen() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.lastScreen
}
