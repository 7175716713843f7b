// Package capture is livefeed's one recording format, tail's NDJSON: one
// JSON object per line, each a feed's event or state change with the time it
// arrived. `tail --json` prints it, `tail --record` and `livefeed --record`
// write it, `livefeed replay` serves it, and the dashboard exports panes in
// it. The package encodes lines (byte for byte as tail prints them), writes
// them to files with periodic flushing, and reads them back.
package capture

import (
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/livefeed/livefeed/feed"
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
// appender exists because it allocates nothing per line.
func AppendEvent(b []byte, feedName string, t time.Time, e *feed.Event) []byte {
	b = appendHead(b, t, KindEvent, feedName)
	if e.Type != "" {
		b = append(b, `,"type":`...)
		b = appendString(b, e.Type)
	}
	b = append(b, `,"id":`...)
	b = appendString(b, e.ID)
	b = append(b, `,"data":`...)
	b = appendString(b, e.Data)
	return append(b, '}', '\n')
}

// AppendState appends a state line (newline included) for the named feed's
// state change at t. The HTTP status is left out while connecting (it is the
// previous response's); attempt and reconnect_in_ms appear only for a
// reconnection after a failure, error only when there is one.
func AppendState(b []byte, feedName string, t time.Time, st *feed.Status) []byte {
	b = appendHead(b, t, KindState, feedName)
	b = append(b, `,"state":`...)
	b = appendString(b, st.State.String())
	if st.State != feed.Connecting && st.HTTPStatus != 0 {
		b = append(b, `,"status":`...)
		b = strconv.AppendInt(b, int64(st.HTTPStatus), 10)
	}
	if st.State == feed.Connecting && st.Err != nil {
		if st.Attempt != 0 {
			b = append(b, `,"attempt":`...)
			b = strconv.AppendInt(b, int64(st.Attempt), 10)
		}
		b = append(b, `,"reconnect_in_ms":`...)
		b = strconv.AppendInt(b, st.ReconnectIn.Milliseconds(), 10)
	}
	if st.Err != nil {
		if msg := st.Err.Error(); msg != "" {
			b = append(b, `,"error":`...)
			b = appendString(b, msg)
		}
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
	b = append(b, s[start:]...)
	return append(b, '"')
}
