package capture

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/livefeed/livefeed/feed"
)

// MaxLineSize bounds one line a Reader holds in memory: the engine's
// largest event (1 MiB by default) takes up to six times its size once
// JSON-escaped, so this leaves room for generous --max-event-size settings.
const MaxLineSize = 64 << 20

// Line is one decoded capture line.
type Line struct {
	Time time.Time
	Kind string // KindEvent or KindState
	Feed string
	// Event is the event of an event line (Type "message" when the line
	// gave none).
	Event feed.Event
	// State, Status, Attempt, ReconnectInMS, Error, Body and RetryAfter
	// are those of a state line, as tail printed them (State is
	// "connecting", "open" or "closed").
	State         string
	Status        int
	Attempt       int
	ReconnectInMS int64
	Error         string
	Body          string
	RetryAfter    bool
}

// LineError is a capture line that could not be read, and why.
type LineError struct {
	Line int // 1-based
	Err  error
}

func (e *LineError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }

func (e *LineError) Unwrap() error { return e.Err }

// Reader reads capture lines one at a time. A malformed line is reported as
// a *LineError and skipped, so a caller may go on reading after it; blank
// lines are skipped silently, unknown fields ignored (newer versions may add
// some), and CRLF line ends accepted.
type Reader struct {
	r    *bufio.Reader
	n    int
	max  int
	buf  []byte
	wire wireLine
}

// NewReader returns a Reader on r.
func NewReader(r io.Reader) *Reader {
	return &Reader{r: bufio.NewReaderSize(r, 64<<10), max: MaxLineSize}
}

// wireLine is a line as JSON; pointers tell a missing field from an empty one.
type wireLine struct {
	Time          string  `json:"time"`
	Kind          string  `json:"kind"`
	Feed          string  `json:"feed"`
	Type          *string `json:"type"`
	ID            *string `json:"id"`
	Data          *string `json:"data"`
	State         string  `json:"state"`
	Status        int     `json:"status"`
	Attempt       int     `json:"attempt"`
	ReconnectInMS int64   `json:"reconnect_in_ms"`
	Error         string  `json:"error"`
	Body          string  `json:"body"`
	RetryAfter    bool    `json:"retry_after"`
}

// Next returns the next line; io.EOF at the end of the input, a *LineError
// for a line that is not a capture line, or the underlying reader's error.
func (r *Reader) Next() (Line, error) {
	for {
		raw, err := r.readLine()
		if err != nil {
			return Line{}, err
		}
		raw = bytes.TrimSpace(raw)
		if len(raw) == 0 {
			continue
		}
		l, err := r.decode(raw)
		if err != nil {
			return Line{}, &LineError{Line: r.n, Err: err}
		}
		return l, nil
	}
}

// errLineTooLong is a line longer than MaxLineSize.
var errLineTooLong = fmt.Errorf("longer than %d MiB", MaxLineSize>>20)

// readLine returns the next line without its end; a line that is too long
// is consumed and reported as a *LineError.
func (r *Reader) readLine() ([]byte, error) {
	r.buf = r.buf[:0]
	tooLong := false
	for {
		chunk, err := r.r.ReadSlice('\n')
		if !tooLong {
			if len(r.buf)+len(chunk) > r.max+1 {
				tooLong, r.buf = true, r.buf[:0]
			} else {
				r.buf = append(r.buf, chunk...)
			}
		}
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case err == nil:
		case errors.Is(err, io.EOF):
			if len(r.buf) == 0 && !tooLong {
				return nil, io.EOF
			}
		default:
			return nil, err
		}
		r.n++
		if tooLong {
			return nil, &LineError{Line: r.n, Err: errLineTooLong}
		}
		return r.buf, nil
	}
}

func (r *Reader) decode(raw []byte) (Line, error) {
	w := &r.wire
	*w = wireLine{}
	if err := json.Unmarshal(raw, w); err != nil {
		return Line{}, fmt.Errorf("not a JSON object: %w", err)
	}
	if w.Time == "" {
		return Line{}, errors.New(`no "time"`)
	}
	t, err := time.Parse(time.RFC3339Nano, w.Time)
	if err != nil {
		return Line{}, fmt.Errorf(`"time" %q is not an RFC 3339 time`, w.Time)
	}
	if w.Feed == "" {
		return Line{}, errors.New(`no "feed"`)
	}
	l := Line{Time: t, Kind: w.Kind, Feed: w.Feed}
	switch w.Kind {
	case KindEvent:
		if w.Data == nil {
			return Line{}, errors.New(`event without "data"`)
		}
		l.Event.Data = *w.Data
		l.Event.Type = "message"
		if w.Type != nil && *w.Type != "" {
			l.Event.Type = *w.Type
		}
		if w.ID != nil {
			l.Event.ID = *w.ID
		}
	case KindState:
		switch w.State {
		case "connecting", "open", "closed":
		default:
			return Line{}, fmt.Errorf(`"state" %q is not connecting, open or closed`, w.State)
		}
		l.State, l.Status, l.Attempt, l.ReconnectInMS, l.Error = w.State, w.Status, w.Attempt, w.ReconnectInMS, w.Error
		l.Body, l.RetryAfter = w.Body, w.RetryAfter
	case "":
		return Line{}, errors.New(`no "kind"`)
	default:
		return Line{}, fmt.Errorf(`"kind" %q is neither event nor state`, w.Kind)
	}
	return l, nil
}

// maxReported bounds how many malformed lines ReadAll describes: a file
// that is not a capture at all should give a short message, not a long one.
const maxReported = 5

// ReadAll reads every line of r (see Each).
func ReadAll(r io.Reader) ([]Line, error) {
	var lines []Line
	err := NewReader(r).Each(func(l *Line) { lines = append(lines, *l) })
	return lines, err
}

// Each calls fn with every good line (the Line is reused: copy what you
// keep). Malformed lines are skipped and the error describes them (the
// first few as *LineError, joined), so a caller can decide whether a partly
// damaged capture is good enough; a read error stops it.
func (r *Reader) Each(fn func(*Line)) error {
	var bad []error
	nbad := 0
	for {
		l, err := r.Next()
		if errors.Is(err, io.EOF) {
			if nbad > maxReported {
				bad = append(bad, fmt.Errorf("and %d more malformed lines", nbad-maxReported))
			}
			return errors.Join(bad...)
		}
		var le *LineError
		if errors.As(err, &le) {
			if nbad++; nbad <= maxReported {
				bad = append(bad, err)
			}
			continue
		}
		if err != nil {
			return err
		}
		fn(&l)
	}
}
