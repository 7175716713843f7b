package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime/debug"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/livefeed/livefeed/capture"
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
	record    string // capture file ("-": out)
	feed      feed.Options
}

func runTail(ctx context.Context, args []string, out, errOut io.Writer) error {
	var o tailOptions
	fs := newFlagSet("tail", tailSynopsis, tailAbout, out)
	fs.BoolVar(&o.json, "json", false, "print NDJSON: one JSON object per line")
	fs.BoolVar(&o.quiet, "quiet", false, "print nothing per event; one summary line on stderr at exit")
	fs.StringVar(&o.record, "record", "", "also append every event and state change to `FILE` in the --json format\n(flushed every second; - is standard output, with --quiet)")
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
	if o.record == "-" && !o.quiet {
		return usageError{"tail: --record - writes the recording to standard output: add --quiet"}
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
	if _, set := os.LookupEnv("GOGC"); !set {
		// tail holds little (the batches in flight, one event at a time)
		// and allocates a string and a batch slot per event, so at Go's
		// default the GC ran every ~4 MB, ~27 times for bench/tailbench's
		// 60 MB. At 200 the heap may reach 3× what is live instead of 2×:
		// tail --quiet's median CPU fell 0.202 → 0.188 s (25 interleaved
		// runs, load ~1.4) for a peak RSS of 23.7 MB instead of 19.3 MB;
		// around one 10 MB event the peak was unchanged (34 MB).
		debug.SetGCPercent(200)
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
	rec, err := openRecording(o.record, out)
	if err != nil {
		return err
	}
	if rec != nil {
		defer rec.Close()
	}
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
			if rec != nil {
				if err := rec.State(b.Feed, b.Time, st); err != nil {
					return fmt.Errorf("tail: %w", err)
				}
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
			if rec != nil {
				if err := rec.Event(b.Feed, b.Time, &evs[i]); err != nil {
					return fmt.Errorf("tail: %w", err)
				}
			}
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
	if rec != nil {
		if err := rec.Close(); err != nil {
			return fmt.Errorf("tail: %w", err)
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

// openRecording opens tail's --record file, nil for none; "-" is out.
func openRecording(path string, out io.Writer) (*capture.Writer, error) {
	switch path {
	case "":
		return nil, nil
	case "-":
		return capture.NewWriter(out, "standard output"), nil
	}
	rec, err := capture.Create(path)
	if err != nil {
		return nil, fmt.Errorf("tail: %w", err)
	}
	return rec, nil
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

// printer writes messages as NDJSON (the capture format, through its
// encoder) or as readable, escaped lines.
type printer struct {
	w    *bufio.Writer
	json bool
	buf  []byte
	enc  *capture.Encoder

	// The time of the batch being printed, formatted once for all its events.
	lastTime time.Time
	lastText []byte
}

func (p *printer) encoder() *capture.Encoder {
	if p.enc == nil {
		p.enc = capture.NewEncoder(p.w)
	}
	return p.enc
}

// event prints one event. Data is streamed to the writer in pieces, so a
// big event never needs a second buffer its size.
func (p *printer) event(name string, t time.Time, e *feed.Event) error {
	if p.json {
		return p.encoder().Event(name, t, e)
	}
	b := p.buf[:0]
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
	b, err := capture.AppendChunked(p.w, b, e.Data, appendEscaped)
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

func (p *printer) status(name string, t time.Time, st *feed.Status) error {
	if p.json {
		return p.encoder().State(name, t, st)
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
	if cap(b) <= 2*capture.ChunkSize {
		p.buf = b // a line longer than that was a rare one: let it go
	}
	_, err := p.w.Write(b)
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

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
