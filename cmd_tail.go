package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/livefeed/livefeed/feed"
	"github.com/livefeed/livefeed/redact"
)

const tailSynopsis = "livefeed tail [flags] URL [URL...]"

const tailAbout = `Subscribes to every URL at once, exactly as a browser's EventSource would, and
prints each event and connection state change on its own line. The feed name is
the URL as given. Exits when every feed is CLOSED (0 if each ended as planned:
by 204, by --end-on, or at the end of a stream not reconnected; else 1), after
--max-events or --timeout (0), or on Ctrl-C / SIGTERM (0).`

type tailOptions struct {
	json      bool
	quiet     bool
	maxEvents int
	timeout   time.Duration
	feed      feed.Options
}

func runTail(ctx context.Context, args []string, out, errOut io.Writer) error {
	var o tailOptions
	fs := newFlagSet("tail", tailSynopsis, tailAbout, out)
	fs.BoolVar(&o.json, "json", false, "print NDJSON: one JSON object per line")
	fs.BoolVar(&o.quiet, "quiet", false, "print nothing per event; one summary line on stderr at exit")
	fs.IntVar(&o.maxEvents, "max-events", 0, "exit 0 after this many events in total (0 = no limit)")
	fs.DurationVar(&o.timeout, "timeout", 0, "exit 0 after this long (0 = no limit)")
	req := addRequestFlags(fs)
	urls, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(urls) == 0 {
		return usageError{"tail: no URL given (see 'livefeed tail --help')"}
	}
	if o.maxEvents < 0 || o.timeout < 0 {
		return usageError{"tail: --max-events and --timeout must not be negative"}
	}
	q, err := req.parse(fs)
	if err != nil {
		return err
	}
	o.feed = req.options(q)
	feeds, err := newTailFeeds(urls, o.feed)
	if err != nil {
		return err
	}
	return tail(ctx, feeds, o, out, errOut)
}

func newTailFeeds(urls []string, opts feed.Options) ([]*feed.Feed, error) {
	seen := map[string]bool{}
	feeds := make([]*feed.Feed, 0, len(urls))
	for _, u := range urls {
		if seen[u] {
			return nil, usageError{fmt.Sprintf("tail: %s is given twice", redact.URL(u))}
		}
		seen[u] = true
		o := opts
		o.URL = u
		// The feed's name is its URL as given, shown on every line: without
		// its password or tokens (the request still carries them).
		f, err := feed.New(redact.URL(u), o)
		if err != nil {
			return nil, usageError{"tail: " + redact.Text(err.Error())}
		}
		feeds = append(feeds, f)
	}
	return feeds, nil
}

// tail runs the feeds until one of the exit conditions and prints what they say.
func tail(ctx context.Context, feeds []*feed.Feed, o tailOptions, out, errOut io.Writer) error {
	if o.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, o.timeout)
		defer cancel()
	}
	runCtx, stop := context.WithCancel(ctx)
	ch := make(chan feed.Batch, 64)
	done := make(chan struct{})
	for _, f := range feeds {
		go func() { f.Run(runCtx, ch); done <- struct{}{} }()
	}
	defer func() {
		stop()
		for range feeds {
			<-done
		}
	}()

	w := bufio.NewWriterSize(out, 64<<10)
	defer w.Flush()
	p := printer{w: w, json: o.json}
	started := time.Now()
	closed := map[string]feed.Status{}
	var events, reconnects int
	var dataBytes uint64

	var result error
	for result == nil {
		var b feed.Batch
		select {
		case <-ctx.Done():
			result = errDone
			continue
		case b = <-ch:
		}
		if st := b.Status; st != nil {
			if st.State == feed.Closed {
				closed[b.Feed] = *st
			} else {
				delete(closed, b.Feed)
			}
			if st.State == feed.Connecting && st.Err != nil {
				reconnects++
			}
			if !o.quiet {
				if err := p.status(b.Feed, b.Time, st); err != nil {
					return fmt.Errorf("tail: writing output: %w", err)
				}
			}
		}
		evs := b.Events
		if o.maxEvents > 0 && events+len(evs) > o.maxEvents {
			evs = evs[:o.maxEvents-events]
		}
		for i := range evs {
			events++
			dataBytes += uint64(len(evs[i].Data))
			if !o.quiet {
				if err := p.event(b.Feed, b.Time, &evs[i]); err != nil {
					return fmt.Errorf("tail: writing output: %w", err)
				}
			}
		}
		switch {
		case o.maxEvents > 0 && events >= o.maxEvents:
			result = errDone
		case len(closed) == len(feeds):
			result = allClosed(closed)
		case len(ch) == 0:
			// Flush when caught up, so a pipe sees each line promptly
			// without a write per line under load.
			if err := w.Flush(); err != nil {
				return fmt.Errorf("tail: writing output: %w", err)
			}
		}
	}
	if o.quiet {
		fmt.Fprintf(errOut, "tail: %s (%d bytes of data) from %s in %s, %s\n",
			plural(events, "event"), dataBytes, plural(len(feeds), "feed"),
			time.Since(started).Round(time.Millisecond), plural(reconnects, "reconnect"))
	}
	if errors.Is(result, errDone) {
		return nil
	}
	return result
}

// errDone marks a normal end: limit reached, timeout, or signal.
var errDone = errors.New("done")

// allClosed is errDone when every feed ended as planned, else it names each
// feed that failed and why.
func allClosed(closed map[string]feed.Status) error {
	var failed []string
	for name, st := range closed {
		if !endedAsPlanned(st) {
			failed = append(failed, name+": "+string(appendBody(appendReason(nil, st), st.Err)))
		}
	}
	if len(failed) == 0 {
		return errDone
	}
	sort.Strings(failed)
	return fmt.Errorf("every feed is closed; %s", strings.Join(failed, "; "))
}

// endedAsPlanned says whether a CLOSED feed was told to stop (204), reached
// its --end-on event, or ended a stream that --reconnect never (or a POST)
// does not reopen: a finished request, not a failure.
func endedAsPlanned(st feed.Status) bool {
	return st.HTTPStatus == http.StatusNoContent || errors.Is(st.Err, feed.ErrFinished) || errors.Is(st.Err, feed.ErrStreamEnded)
}

// appendReason appends why a feed is closed or reconnecting, redacted and
// with control characters escaped: a server or a headers command wrote part
// of it.
func appendReason(b []byte, st feed.Status) []byte {
	return appendEscaped(b, redact.Text(fmt.Sprint(st.Err)))
}

// appendBody appends what the server said with a failing response, after
// the reason, redacted and escaped like event data.
func appendBody(b []byte, err error) []byte {
	if body := errorBody(err); body != "" {
		b = append(b, ' ')
		b = appendEscaped(b, redact.Text(body))
	}
	return b
}

// errorBody is the body of the non-200 response behind err, if any.
func errorBody(err error) string {
	var he *feed.HTTPError
	if errors.As(err, &he) {
		return he.Body
	}
	return ""
}

// printer writes messages as NDJSON or as readable, escaped lines.
type printer struct {
	w    *bufio.Writer
	json bool
	buf  []byte
	jbuf bytes.Buffer
	enc  *json.Encoder

	// The time of the batch being printed, formatted once for all its events.
	lastTime time.Time
	lastText []byte
}

// tailLine is one NDJSON line; field order is the documented one.
type tailLine struct {
	Time          string  `json:"time"`
	Kind          string  `json:"kind"`
	Feed          string  `json:"feed"`
	Type          string  `json:"type,omitempty"`
	ID            *string `json:"id,omitempty"`
	Data          *string `json:"data,omitempty"`
	State         string  `json:"state,omitempty"`
	Status        int     `json:"status,omitempty"`
	Attempt       int     `json:"attempt,omitempty"`
	ReconnectInMS *int64  `json:"reconnect_in_ms,omitempty"`
	Error         string  `json:"error,omitempty"`
	Body          string  `json:"body,omitempty"`
	RetryAfter    bool    `json:"retry_after,omitempty"`
}

// event prints one event. Its line is built by hand, byte for byte what
// encoding/json makes of a tailLine (TestEventLineMatchesEncodingJSON): the
// reflection-driven encoder was most of tail --json's CPU. Data is streamed
// to the writer in pieces, so a big event never needs a second buffer its size.
func (p *printer) event(name string, t time.Time, e *feed.Event) error {
	b := p.buf[:0]
	if p.json {
		// A formatted time needs no JSON escaping.
		b = append(b, `{"time":"`...)
		b = append(b, p.timeText(t, time.RFC3339Nano)...)
		b = append(b, `","kind":"event","feed":`...)
		b = appendJSONString(b, name)
		if e.Type != "" {
			b = append(b, `,"type":`...)
			b = appendJSONString(b, e.Type)
		}
		b = append(b, `,"id":`...)
		b = appendJSONString(b, e.ID)
		b = append(b, `,"data":"`...)
		b, err := p.appendLong(b, e.Data, appendJSONChars)
		if err != nil {
			return err
		}
		return p.writeLine(append(b, `"}`...))
	}
	b = append(b, p.timeText(t, "15:04:05.000")...)
	b = append(b, ' ')
	b = append(b, name...)
	b = append(b, ' ')
	b = appendEscaped(b, e.Type)
	if e.ID != "" {
		b = append(b, " id="...)
		b = appendEscaped(b, e.ID)
	}
	b = append(b, ' ')
	b, err := p.appendLong(b, e.Data, appendEscaped)
	if err != nil {
		return err
	}
	return p.writeLine(b)
}

// timeText formats t in layout, reusing the text while the time repeats (all
// events of one read share it).
func (p *printer) timeText(t time.Time, layout string) []byte {
	if !t.Equal(p.lastTime) || p.lastText == nil {
		p.lastTime, p.lastText = t, t.AppendFormat(p.lastText[:0], layout)
	}
	return p.lastText
}

// longChunk is how much of a big value is escaped before the line so far is
// handed to the writer.
const longChunk = 32 << 10

// appendLong appends s to b through esc in pieces of about longChunk bytes,
// writing out what has been built after each, so b stays small whatever the
// size of s. Pieces end where no UTF-8 sequence can straddle them, so each
// piece escapes exactly as the whole would.
func (p *printer) appendLong(b []byte, s string, esc func([]byte, string) []byte) ([]byte, error) {
	for len(s) > longChunk {
		// Cut before a byte that starts a sequence, so none straddles the cut.
		// With none in the last four bytes, the byte at the cut belongs to no
		// valid sequence (they are at most four bytes), so cutting there is safe.
		j := longChunk
		for k := j; k > longChunk-utf8.UTFMax; k-- {
			if utf8.RuneStart(s[k]) {
				j = k
				break
			}
		}
		b = esc(b, s[:j])
		s = s[j:]
		if _, err := p.w.Write(b); err != nil {
			return b, err
		}
		b = b[:0]
	}
	return esc(b, s), nil
}

func (p *printer) status(name string, t time.Time, st *feed.Status) error {
	if p.json {
		l := tailLine{Time: t.Format(time.RFC3339Nano), Kind: "state", Feed: name, State: st.State.String()}
		// A CONNECTING state has a status only when a response is retried
		// (a 503, say).
		l.Status = st.HTTPStatus
		if st.Err != nil {
			l.Error = redact.Text(st.Err.Error())
			l.Body = redact.Text(errorBody(st.Err))
		}
		if st.State == feed.Connecting && st.Err != nil {
			ms := st.ReconnectIn.Milliseconds()
			l.ReconnectInMS, l.Attempt, l.RetryAfter = &ms, st.Attempt, st.RetryAfter
		}
		return p.writeJSON(l)
	}
	b := t.AppendFormat(p.buf[:0], "15:04:05.000")
	b = append(b, ' ')
	b = append(b, name...)
	b = append(b, ' ')
	b = appendStatus(b, *st)
	b = appendBody(b, st.Err)
	return p.writeLine(b)
}

func (p *printer) writeLine(b []byte) error {
	b = append(b, '\n')
	if cap(b) <= 2*longChunk {
		p.buf = b // a line longer than that was a rare one: let it go
	}
	_, err := p.w.Write(b)
	return err
}

// writeJSON writes one NDJSON line; HTML characters stay readable (the
// default \u003c escaping is for embedding in web pages, not for pipes).
func (p *printer) writeJSON(l tailLine) error {
	if p.enc == nil {
		p.enc = json.NewEncoder(&p.jbuf)
		p.enc.SetEscapeHTML(false)
	}
	p.jbuf.Reset()
	if err := p.enc.Encode(l); err != nil {
		return err
	}
	_, err := p.w.Write(p.jbuf.Bytes())
	return err
}

func appendStatus(b []byte, st feed.Status) []byte {
	switch st.State {
	case feed.Open:
		return fmt.Appendf(b, "OPEN (HTTP %d)", st.HTTPStatus)
	case feed.Closed:
		return appendReason(append(b, "CLOSED: "...), st)
	}
	if st.Err == nil {
		return append(b, "CONNECTING"...)
	}
	b = fmt.Appendf(b, "CONNECTING (attempt %d in %s", st.Attempt, st.ReconnectIn.Round(time.Millisecond))
	if st.RetryAfter {
		b = append(b, " as Retry-After says"...)
	}
	b = appendReason(append(b, ": "...), st)
	return append(b, ')')
}

// appendEscaped appends s with control characters (C0, DEL, C1) and line
// breaks escaped, so feed data can neither break lines nor drive the terminal.
// Invalid UTF-8 becomes U+FFFD. Runs of printable ASCII are copied at once.
func appendEscaped(b []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7f && c != '\\' {
			i++
			continue
		}
		b = append(b, s[start:i]...)
		r, size := rune(c), 1
		if c >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		switch {
		case r == '\n':
			b = append(b, `\n`...)
		case r == '\r':
			b = append(b, `\r`...)
		case r == '\t':
			b = append(b, `\t`...)
		case r == '\\':
			b = append(b, `\\`...)
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u2028' || r == '\u2029':
			b = fmt.Appendf(b, `\u%04x`, r)
		case r == utf8.RuneError && size == 1:
			b = utf8.AppendRune(b, r)
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
		start = i
	}
	return append(b, s[start:]...)
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string exactly as encoding/json does
// with SetEscapeHTML(false).
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	b = appendJSONChars(b, s)
	return append(b, '"')
}

// appendJSONChars is appendJSONString without the quotes: encoding/json's
// rules (short escapes for \b \f \n \r \t, \u00XX for other C0, \ufffd for
// invalid UTF-8, U+2028 and U+2029 escaped, DEL and HTML characters not).
func appendJSONChars(b []byte, s string) []byte {
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
			case '\\', '"':
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
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	return append(b, s[start:]...)
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
