package feed

import (
	"errors"
	"fmt"
	"net/http"
	"time"
)

// State is an EventSource readyState.
type State int

// The readyState values, numbered as in the browser API.
const (
	Connecting State = 0
	Open       State = 1
	Closed     State = 2
)

// String returns the state as lower-case text, the form used in tail's JSON.
func (s State) String() string {
	switch s {
	case Connecting:
		return "connecting"
	case Open:
		return "open"
	case Closed:
		return "closed"
	}
	return fmt.Sprintf("state(%d)", int(s))
}

// Status describes a feed's connection at one state change.
type Status struct {
	State State
	// Attempt counts connection attempts since the feed last opened (1 for the
	// first try), so a UI can say "attempt 3".
	Attempt int
	// HTTPStatus and ContentType are those of the last response (0 and "" when
	// no response arrived).
	HTTPStatus  int
	ContentType string
	// Err says why the previous connection ended or why the feed is closed;
	// nil when opening or on the very first connect.
	Err error
	// ReconnectIn is the wait before the next attempt (CONNECTING after a
	// drop); ReconnectAt is when it ends, for a live countdown.
	ReconnectIn time.Duration
	ReconnectAt time.Time
	// RetryAfter is true when ReconnectIn came from the response's
	// Retry-After header rather than the reconnection time or backoff.
	RetryAfter bool
}

// Reasons a connection ends, distinguishable with errors.Is.
var (
	ErrStreamEnded = errors.New("stream ended")
	ErrStale       = errors.New("stale: no bytes received")
	ErrTimeout     = errors.New("connect timeout")
	ErrReconnect   = errors.New("reconnect requested")
	// ErrFinished is a feed CLOSED because an event's data equalled
	// Options.EndOn; it does not reconnect by itself.
	ErrFinished = errors.New("finished")
)

// CommandError is a failed run of Options.HeadersCommand (exit status not 0,
// timeout, or a stdout line that is not "Name: value"); the attempt fails
// and backs off.
type CommandError struct {
	Argv []string
	Err  error
	// Stderr is the command's first non-empty stderr line, raw: sanitize it
	// before it reaches a terminal.
	Stderr string
}

func (e *CommandError) Error() string {
	name := "headers_command"
	if len(e.Argv) > 0 {
		name = fmt.Sprintf("headers_command %s", e.Argv[0])
	}
	if e.Stderr != "" {
		return fmt.Sprintf("%s: %v: %s", name, e.Err, e.Stderr)
	}
	return fmt.Sprintf("%s: %v", name, e.Err)
}

func (e *CommandError) Unwrap() error { return e.Err }

// FeedError is a feed that could not be created, and why. It is the only
// place a feed's name is put into an error's text, so wrappers should not
// name the feed again.
type FeedError struct {
	Name string
	Err  error
}

func (e *FeedError) Error() string { return fmt.Sprintf("feed %q: %v", e.Name, e.Err) }

func (e *FeedError) Unwrap() error { return e.Err }

// HTTPError is why a feed is CLOSED after a response that is not a 200
// text/event-stream: the server said stop (204) or something went wrong.
type HTTPError struct {
	Status      int
	ContentType string
	// Body is the first MaxErrorBody bytes of a non-200 response's body,
	// made valid UTF-8 with whitespace runs folded to one space ("" when
	// empty). It is not sanitized for a terminal: render does that at display.
	Body string
}

func (e *HTTPError) Error() string {
	if e.Status != http.StatusOK {
		return fmt.Sprintf("server returned %d %s", e.Status, http.StatusText(e.Status))
	}
	if e.ContentType == "" {
		return "server sent no Content-Type (want text/event-stream)"
	}
	return fmt.Sprintf("server sent Content-Type %q (want text/event-stream)", e.ContentType)
}

// Batch is what a feed sends its consumer: either the events of one network
// read (all stamped with that read's time) or one state change. A feed sends
// its batches in the order things happened; the consumer owns each batch.
type Batch struct {
	Feed   string
	Time   time.Time
	Events []Event
	Status *Status // non-nil for a state change; Events is then empty
}

// Stats are a feed's running counters, safe to read while it runs.
type Stats struct {
	State       State
	Events      uint64
	Bytes       uint64
	Reconnects  uint64
	LastEventAt time.Time
	LastEventID string
	Retry       time.Duration // the reconnection time in force
}
