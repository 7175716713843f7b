package capture

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/livefeed/livefeed/feed"
	"github.com/livefeed/livefeed/redact"
)

// jsonLine is tail's line struct as encoding/json sees it, the reference
// the hand-written appender must match byte for byte.
type jsonLine struct {
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

func encodeJSON(t testing.TB, l jsonLine) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(l); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func refEvent(t testing.TB, name string, at time.Time, e feed.Event) []byte {
	return encodeJSON(t, jsonLine{Time: at.Format(time.RFC3339Nano), Kind: "event", Feed: name, Type: e.Type, ID: &e.ID, Data: &e.Data})
}

func refState(t testing.TB, name string, at time.Time, st feed.Status) []byte {
	// As tail printed state lines with encoding/json.
	l := jsonLine{Time: at.Format(time.RFC3339Nano), Kind: "state", Feed: name, State: st.State.String(), Status: st.HTTPStatus}
	if st.Err != nil {
		l.Error = redact.Text(st.Err.Error())
		var he *feed.HTTPError
		if errors.As(st.Err, &he) {
			l.Body = redact.Text(he.Body)
		}
	}
	if st.State == feed.Connecting && st.Err != nil {
		ms := st.ReconnectIn.Milliseconds()
		l.ReconnectInMS, l.Attempt, l.RetryAfter = &ms, st.Attempt, st.RetryAfter
	}
	return encodeJSON(t, l)
}

// hostile are strings that exercise every escaping rule.
var hostile = []string{
	"", "plain", `{"a":"<b>&</b>"}`, "multi\nline\r\ndata", "tab\there", "\x00\x01\x07\b\f\x1b[31m\x7f",
	"quote \" backslash \\", "unicode é ✓ 😀 \u0085", "\u2028\u2029", "bad \xff\xfe utf8 \xe2\x82", "\xc0\x80",
}

func TestAppendMatchesEncodingJSON(t *testing.T) {
	at := time.Date(2026, 12, 2, 6, 40, 1, 123456789, time.FixedZone("X", 3600))
	for _, s := range hostile {
		for _, e := range []feed.Event{{Type: s, ID: s, Data: s}, {Type: "message", ID: "", Data: s}} {
			got := AppendEvent(nil, s+"feed", at, &e)
			if want := refEvent(t, s+"feed", at, e); !bytes.Equal(got, want) {
				t.Errorf("event %q:\n got %s\nwant %s", s, got, want)
			}
		}
	}
	states := []feed.Status{
		{State: feed.Connecting, Attempt: 1},
		{State: feed.Open, HTTPStatus: 200, Attempt: 1},
		{State: feed.Connecting, Attempt: 3, HTTPStatus: 200, Err: feed.ErrStreamEnded, ReconnectIn: 3500 * time.Millisecond},
		{State: feed.Connecting, Attempt: 0, Err: errors.New("dial: \"refused\" \n"), ReconnectIn: 0},
		{State: feed.Closed, HTTPStatus: 204, Err: &feed.HTTPError{Status: 204}},
		{State: feed.Closed, Err: errors.New("")},
		{State: feed.Closed, HTTPStatus: 401, Err: &feed.HTTPError{Status: 401, Body: `{"error":"token expired", "url":"https://x/?token=s3cret"}`}},
		{State: feed.Connecting, Attempt: 2, HTTPStatus: 503, Err: &feed.HTTPError{Status: 503, Body: "busy <b>"}, ReconnectIn: 4200 * time.Millisecond, RetryAfter: true},
		{State: feed.Open, HTTPStatus: 200, RetryAfter: true},
	}
	for _, st := range states {
		got := AppendState(nil, "f", at, &st)
		if want := refState(t, "f", at, st); !bytes.Equal(got, want) {
			t.Errorf("state %+v:\n got %s\nwant %s", st, got, want)
		}
	}
}

func FuzzAppendString(f *testing.F) {
	for _, s := range hostile {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		at := time.Unix(0, 0).UTC()
		e := feed.Event{Type: s, ID: s, Data: s}
		if got, want := AppendEvent(nil, s, at, &e), refEvent(t, s, at, e); !bytes.Equal(got, want) {
			t.Fatalf("%q:\n got %s\nwant %s", s, got, want)
		}
	})
}

func TestReadBackWhatWasWritten(t *testing.T) {
	at := time.Date(2026, 12, 2, 6, 40, 1, 5, time.UTC)
	var buf bytes.Buffer
	w := NewWriter(&buf, "")
	var want []feed.Event
	for i, s := range hostile {
		e := feed.Event{Type: "t" + s, ID: s, Data: s}
		if i%2 == 0 {
			e.Type = "message"
		}
		want = append(want, e)
		if err := w.Event("feed "+s, at.Add(time.Duration(i)), &e); err != nil {
			t.Fatal(err)
		}
	}
	st := feed.Status{State: feed.Connecting, Attempt: 2, Err: feed.ErrStreamEnded, ReconnectIn: 1500 * time.Millisecond}
	if err := w.State("s", at, &st); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	lines, err := ReadAll(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != len(want)+1 {
		t.Fatalf("%d lines, want %d", len(lines), len(want)+1)
	}
	for i, e := range want {
		l := lines[i]
		// Each invalid UTF-8 byte is stored as one U+FFFD, as the engine
		// would have delivered it anyway.
		fix := func(s string) string { return string([]rune(s)) }
		wantE := feed.Event{Type: fix(e.Type), ID: fix(e.ID), Data: fix(e.Data)}
		if l.Kind != KindEvent || l.Feed != fix("feed "+hostile[i]) || l.Event != wantE || !l.Time.Equal(at.Add(time.Duration(i))) {
			t.Errorf("line %d = %+v, want %+v", i+1, l, wantE)
		}
	}
	if l := lines[len(want)]; l.Kind != KindState || l.State != "connecting" || l.Attempt != 2 || l.ReconnectInMS != 1500 || l.Error != "stream ended" {
		t.Errorf("state line = %+v", l)
	}
}

func TestReaderReportsBadLinesAndGoesOn(t *testing.T) {
	in := strings.Join([]string{
		`{"time":"2026-12-02T06:00:00Z","kind":"event","feed":"a","type":"t","id":"1","data":"x","extra":{"new":true}}`,
		``,
		`not json`,
		`{"time":"yesterday","kind":"event","feed":"a","data":"x"}`,
		`{"time":"2026-12-02T06:00:01Z","kind":"event","feed":"a"}`,
		`{"time":"2026-12-02T06:00:01Z","kind":"event","data":"x"}`,
		`{"time":"2026-12-02T06:00:01Z","kind":"state","feed":"a","state":"sleeping"}`,
		`{"time":"2026-12-02T06:00:01Z","kind":"gossip","feed":"a"}`,
		`[1,2]`,
		`null`,
		"{\"time\":\"2026-12-02T06:00:02Z\",\"kind\":\"event\",\"feed\":\"a\",\"data\":\"no type, no id\"}\r",
		`{"time":"2026-12-02T06:00:03Z","kind":"state","feed":"a","state":"closed","status":204,"error":"bye"}`,
		`{"time":"2026-12-02T06:00:04Z","kind":"event","feed":"a","data":"last line, no newline"}`,
	}, "\n")
	r := NewReader(strings.NewReader(in))
	var good []Line
	var badLines []int
	for {
		l, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		var le *LineError
		if errors.As(err, &le) {
			badLines = append(badLines, le.Line)
			if !strings.HasPrefix(err.Error(), "line ") {
				t.Errorf("error %q does not start with the line", err)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		good = append(good, l)
	}
	if want := []int{3, 4, 5, 6, 7, 8, 9, 10}; !equalInts(badLines, want) {
		t.Errorf("bad lines %v, want %v", badLines, want)
	}
	if len(good) != 4 {
		t.Fatalf("good lines %+v", good)
	}
	if e := good[1].Event; e.Type != "message" || e.ID != "" || e.Data != "no type, no id" {
		t.Errorf("defaults: %+v", e)
	}
	if g := good[2]; g.State != "closed" || g.Status != 204 || g.Error != "bye" {
		t.Errorf("state: %+v", g)
	}
	if good[3].Event.Data != "last line, no newline" {
		t.Errorf("last: %+v", good[3])
	}

	_, err := ReadAll(strings.NewReader(strings.Repeat("junk\n", 9)))
	if msg := err.Error(); !strings.Contains(msg, "line 1:") || !strings.Contains(msg, "line 5:") || strings.Contains(msg, "line 6:") || !strings.Contains(msg, "and 4 more") {
		t.Errorf("ReadAll of junk: %v", err)
	}
}

func TestReaderLineTooLong(t *testing.T) {
	ok := `{"time":"2026-12-02T06:00:00Z","kind":"event","feed":"a","data":"x"}`
	long := `{"time":"2026-12-02T06:00:00Z","kind":"event","feed":"a","data":"` + strings.Repeat("y", 300) + `"}`
	r := NewReader(strings.NewReader(ok + "\n" + long + "\n" + ok + "\n"))
	r.max = 200
	r.r = newSmallReader(r.r) // cross the bufio buffer boundary many times
	if _, err := r.Next(); err != nil {
		t.Fatal(err)
	}
	_, err := r.Next()
	var le *LineError
	if !errors.As(err, &le) || le.Line != 2 || !errors.Is(err, errLineTooLong) {
		t.Fatalf("long line: %v", err)
	}
	if l, err := r.Next(); err != nil || l.Event.Data != "x" {
		t.Fatalf("after the long line: %+v %v", l, err)
	}
	if _, err := r.Next(); !errors.Is(err, io.EOF) {
		t.Fatalf("end: %v", err)
	}
}

func FuzzReader(f *testing.F) {
	f.Add([]byte(`{"time":"2026-12-02T06:00:00Z","kind":"event","feed":"a","data":"x"}` + "\n\n{"))
	f.Add([]byte(`{"time":"2026-12-02T06:00:00Z","kind":"state","feed":"a","state":"open","status":1e400}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		r := NewReader(bytes.NewReader(in))
		for range len(in) + 2 {
			if _, err := r.Next(); errors.Is(err, io.EOF) {
				return
			}
		}
		t.Fatal("Reader did not reach EOF")
	})
}

func TestWriterFlushesWithinASecond(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var sink lockedBuffer
		w := NewWriter(&sink, "")
		e := feed.Event{Type: "message", Data: "hi"}
		if err := w.Event("a", time.Unix(0, 0), &e); err != nil {
			t.Fatal(err)
		}
		if sink.Len() != 0 {
			t.Fatal("wrote through at once; expected buffering")
		}
		time.Sleep(FlushInterval)
		synctest.Wait()
		if sink.Len() == 0 {
			t.Fatal("nothing flushed after FlushInterval")
		}
		if err := w.Event("a", time.Unix(1, 0), &e); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(sink.String(), "\n"); n != 2 {
			t.Fatalf("%d lines after Close, want 2", n)
		}
		if err := w.Event("a", time.Unix(2, 0), &e); !errors.Is(err, ErrClosed) {
			t.Fatalf("write after close: %v", err)
		}
	})
}

func TestWriterStopsAtFirstError(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fw := &failingWriter{}
		w := NewWriter(fw, "rec.ndjson")
		e := feed.Event{Type: "message", Data: "hi"}
		if err := w.Event("a", time.Unix(0, 0), &e); err != nil {
			t.Fatal(err)
		}
		time.Sleep(FlushInterval)
		synctest.Wait()
		err := w.Err()
		if err == nil || !strings.Contains(err.Error(), "rec.ndjson") || !strings.Contains(err.Error(), "disk full") {
			t.Fatalf("Err() = %v", err)
		}
		if err2 := w.Event("a", time.Unix(0, 0), &e); err2 == nil {
			t.Fatal("a write after a failure succeeded")
		}
		if fw.calls != 1 {
			t.Errorf("%d write calls after the failure, want the failing one only", fw.calls)
		}
		if err := w.Close(); err == nil {
			t.Error("Close hid the error")
		}
	})
}

func TestCreateAppends(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rec.ndjson")
	for i := range 2 {
		w, err := Create(path)
		if err != nil {
			t.Fatal(err)
		}
		e := feed.Event{Type: "message", Data: string(rune('a' + i))}
		if err := w.Event("f", time.Unix(int64(i), 0), &e); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines, err := ReadAll(bytes.NewReader(b))
	if err != nil || len(lines) != 2 || lines[0].Event.Data != "a" || lines[1].Event.Data != "b" {
		t.Fatalf("lines %+v, %v", lines, err)
	}
	fi, _ := os.Stat(path)
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
	if _, err := Create(filepath.Join(path, "sub")); err == nil {
		t.Error("Create under a file succeeded")
	}
}

func BenchmarkAppendEvent(b *testing.B) {
	e := feed.Event{Type: "quote", ID: "12345", Data: `{"symbol":"AAPL","price":189.32,"change_pct":-0.41,"volume":51234567}`}
	at := time.Now()
	var buf []byte
	b.ReportAllocs()
	for b.Loop() {
		buf = AppendEvent(buf[:0], "stocks", at, &e)
	}
}

func BenchmarkEncodingJSONEvent(b *testing.B) {
	e := feed.Event{Type: "quote", ID: "12345", Data: `{"symbol":"AAPL","price":189.32,"change_pct":-0.41,"volume":51234567}`}
	at := time.Now()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		_ = enc.Encode(jsonLine{Time: at.Format(time.RFC3339Nano), Kind: "event", Feed: "stocks", Type: e.Type, ID: &e.ID, Data: &e.Data})
	}
}

// The Encoder writes AppendEvent's bytes, also for data cut into pieces
// inside multi-byte sequences, and never holds a big event's whole line.
func TestEncoderStreamsBigEvents(t *testing.T) {
	at := time.Date(2026, 12, 2, 7, 0, 0, 1, time.UTC)
	var long []string
	for _, unit := range []string{"😀", "é", "\xf0\x90\x80", "\x80", "a\n\u2028\"", "\x1b"} {
		for lead := range 4 {
			long = append(long, strings.Repeat("a", lead)+strings.Repeat(unit, 3*ChunkSize/len(unit)))
		}
	}
	for i, s := range append(long, hostile...) {
		var got bytes.Buffer
		enc := NewEncoder(&got)
		e := feed.Event{Type: "t", ID: "1", Data: s}
		for range 2 { // the second line reuses the time and the buffer
			if err := enc.Event("f", at, &e); err != nil {
				t.Fatal(err)
			}
		}
		want := AppendEvent(nil, "f", at, &e)
		want = append(want, want...)
		if !bytes.Equal(got.Bytes(), want) {
			t.Errorf("string %d (%d bytes) differs", i, len(s))
		}
		if ref := refEvent(t, "f", at, e); !bytes.Equal(want[:len(want)/2], ref) {
			t.Errorf("string %d: AppendEvent differs from encoding/json", i)
		}
		if cap(enc.buf) > 2*ChunkSize+64 {
			t.Errorf("string %d: the encoder keeps a %d-byte buffer", i, cap(enc.buf))
		}
	}
}

func TestStateErrorsAreRedacted(t *testing.T) {
	st := feed.Status{State: feed.Connecting, Attempt: 1, ReconnectIn: time.Second,
		Err: errors.New(`Get "https://u:pw@h/sse?token=abc&x=1": dial tcp: refused`)}
	got := string(AppendState(nil, "f", time.Unix(0, 0).UTC(), &st))
	if strings.Contains(got, "pw@") || strings.Contains(got, "abc") || !strings.Contains(got, "x=1") {
		t.Errorf("state line %s", got)
	}
}

func BenchmarkEncoderEvent(b *testing.B) {
	e := feed.Event{Type: "quote", ID: "12345", Data: `{"symbol":"AAPL","price":189.32,"change_pct":-0.41,"volume":51234567}`}
	at := time.Now()
	enc := NewEncoder(io.Discard)
	b.ReportAllocs()
	for b.Loop() {
		_ = enc.Event("stocks", at, &e)
	}
}
