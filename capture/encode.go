// Package capture is livefeed's one recording format, tail's NDJSON: one
// JSON object per line, each a feed's event or state change with the time it
// arrived. `tail --json` prints it, `tail --record` and `livefeed --record`
// write it, `livefeed replay` serves it, and the dashboard exports panes in
// it. The package encodes lines (byte for byte as tail prints them), writes
// them to files with periodic flushing, and reads them back.
package capture

import (
	"errors"
	"io"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/livefeed/livefeed/feed"
	"github.com/livefeed/livefeed/redact"
)

// Line kinds.
const (
	KindEvent = "event"
	KindState = "state"
)

// AppendEvent appends an event line (newline included) for the named feed's
// event that arrived at t: {"time","kind":"event","feed","type","id","data"}.
// Strings are escaped as encoding/json does without HTML escaping, so the
// bytes are those `tail --json` has always printed; the hand-written
// appender exists because the reflection-driven encoder was most of tail
// --json's CPU. An Encoder writes the same bytes without holding a big
// event's whole line.
func AppendEvent(b []byte, feedName string, t time.Time, e *feed.Event) []byte {
	// A formatted time needs no JSON escaping.
	b = append(b, `{"time":"`...)
	b = t.AppendFormat(b, time.RFC3339Nano)
	b = appendEventHead(b, feedName, e)
	b = appendChars(b, e.Data)
	return append(b, '"', '}', '\n')
}

// appendEventHead continues an event line after its time, up to the
// opening quote of its data.
func appendEventHead(b []byte, feedName string, e *feed.Event) []byte {
	b = append(b, `","kind":"event","feed":`...)
	b = appendString(b, feedName)
	if e.Type != "" {
		b = append(b, `,"type":`...)
		b = appendString(b, e.Type)
	}
	b = append(b, `,"id":`...)
	b = appendString(b, e.ID)
	return append(b, `,"data":"`...)
}

// AppendState appends a state line (newline included) for the named feed's
// state change at t: {"time","kind":"state","feed","state"} and, when they
// apply, "status" (a CONNECTING state has one only when a response is
// retried, a 503 say), "attempt", "reconnect_in_ms", "error", "body" (what
// the server said with a failing response) and "retry_after" (the wait came
// from its Retry-After). Error and body are redacted: net/http quotes the
// request's URL, tokens included, and servers echo them.
func AppendState(b []byte, feedName string, t time.Time, st *feed.Status) []byte {
	b = appendHead(b, t, KindState, feedName)
	b = append(b, `,"state":`...)
	b = appendString(b, st.State.String())
	if st.HTTPStatus != 0 {
		b = append(b, `,"status":`...)
		b = strconv.AppendInt(b, int64(st.HTTPStatus), 10)
	}
	retrying := st.State == feed.Connecting && st.Err != nil
	if retrying && st.Attempt != 0 {
		b = append(b, `,"attempt":`...)
		b = strconv.AppendInt(b, int64(st.Attempt), 10)
	}
	if retrying {
		b = append(b, `,"reconnect_in_ms":`...)
		b = strconv.AppendInt(b, st.ReconnectIn.Milliseconds(), 10)
	}
	if st.Err != nil {
		if msg := redact.Text(st.Err.Error()); msg != "" {
			b = append(b, `,"error":`...)
			b = appendString(b, msg)
		}
		var he *feed.HTTPError
		if errors.As(st.Err, &he) {
			if body := redact.Text(he.Body); body != "" {
				b = append(b, `,"body":`...)
				b = appendString(b, body)
			}
		}
	}
	if retrying && st.RetryAfter {
		b = append(b, `,"retry_after":true`...)
	}
	return append(b, '}', '\n')
}

// AppendBatch appends a feed batch's lines: its state change, then its
// events in order.
func AppendBatch(b []byte, fb *feed.Batch) []byte {
	if fb.Status != nil {
		b = AppendState(b, fb.Feed, fb.Time, fb.Status)
	}
	for i := range fb.Events {
		b = AppendEvent(b, fb.Feed, fb.Time, &fb.Events[i])
	}
	return b
}

// Encoder writes capture lines to w as AppendEvent and AppendState make
// them, faster for streams: the time of a batch is formatted once for all
// of its events, and a big event's data goes out in pieces, so no buffer
// the size of its line is ever held (tail --json measured a 10 MB event at
// about twice its size in memory this way, not nine times). It is not safe
// for concurrent use.
type Encoder struct {
	w        io.Writer
	buf      []byte
	lastTime time.Time
	lastText []byte
}

// NewEncoder returns an Encoder writing to w, which should be buffered.
func NewEncoder(w io.Writer) *Encoder { return &Encoder{w: w} }

// Event writes an event line.
func (e *Encoder) Event(feedName string, t time.Time, ev *feed.Event) error {
	b := append(e.buf[:0], `{"time":"`...)
	b = append(b, e.timeText(t)...)
	b = appendEventHead(b, feedName, ev)
	b, err := AppendChunked(e.w, b, ev.Data, appendChars)
	if err != nil {
		return err
	}
	return e.write(append(b, '"', '}', '\n'))
}

// State writes a state line.
func (e *Encoder) State(feedName string, t time.Time, st *feed.Status) error {
	return e.write(AppendState(e.buf[:0], feedName, t, st))
}

func (e *Encoder) write(b []byte) error {
	if cap(b) <= 2*ChunkSize {
		e.buf = b // a line longer than that was a rare one: let it go
	}
	_, err := e.w.Write(b)
	return err
}

// timeText formats t, reusing the text while the time repeats (all events
// of one network read share it).
func (e *Encoder) timeText(t time.Time) []byte {
	if !t.Equal(e.lastTime) || e.lastText == nil {
		e.lastTime, e.lastText = t, t.AppendFormat(e.lastText[:0], time.RFC3339Nano)
	}
	return e.lastText
}

// ChunkSize is how much of a big value AppendChunked escapes before it
// hands the line so far to the writer.
const ChunkSize = 32 << 10

// AppendChunked appends s to b through esc in pieces of about ChunkSize
// bytes, writing b out to w after each, so b stays small whatever the size
// of s; it returns what is left to write. Pieces end where no UTF-8
// sequence can straddle them, so each piece escapes exactly as the whole
// would.
func AppendChunked(w io.Writer, b []byte, s string, esc func([]byte, string) []byte) ([]byte, error) {
	for len(s) > ChunkSize {
		// Cut before a byte that starts a sequence, so none straddles the cut.
		// With none in the last four bytes, the byte at the cut belongs to no
		// valid sequence (they are at most four bytes), so cutting there is safe.
		j := ChunkSize
		for k := j; k > ChunkSize-utf8.UTFMax; k-- {
			if utf8.RuneStart(s[k]) {
				j = k
				break
			}
		}
		b = esc(b, s[:j])
		s = s[j:]
		if _, err := w.Write(b); err != nil {
			return b, err
		}
		b = b[:0]
	}
	return esc(b, s), nil
}

func appendHead(b []byte, t time.Time, kind, feedName string) []byte {
	b = append(b, `{"time":"`...)
	b = t.AppendFormat(b, time.RFC3339Nano)
	b = append(b, `","kind":"`...)
	b = append(b, kind...)
	b = append(b, `","feed":`...)
	return appendString(b, feedName)
}

const hex = "0123456789abcdef"

// appendString appends s as a JSON string exactly as encoding/json does with
// SetEscapeHTML(false): invalid UTF-8 becomes \ufffd, U+2028 and U+2029 are
// escaped, and so are the C0 controls, '"' and '\\'.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	b = appendChars(b, s)
	return append(b, '"')
}

// appendChars is appendString without the quotes.
func appendChars(b []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	return append(b, s[start:]...)
}
