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
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/livefeed/livefeed/capture"
	"github.com/livefeed/livefeed/feed"
	"github.com/livefeed/livefeed/redact"
)

// tail --json's state lines (written by the capture encoder, which
// tail --record and the dashboard's recording share) are byte for byte
// encoding/json's of the documented tailLine, as tail built them before.
func TestStateLinesMatchEncodingJSON(t *testing.T) {
	at := time.Date(2026, 12, 2, 7, 1, 2, 30405, time.Local)
	ref := func(name string, st feed.Status) []byte {
		l := tailLine{Time: at.Format(time.RFC3339Nano), Kind: "state", Feed: name, State: st.State.String(), Status: st.HTTPStatus}
		if st.Err != nil {
			l.Error = redact.Text(st.Err.Error())
			l.Body = redact.Text(errorBody(st.Err))
		}
		if st.State == feed.Connecting && st.Err != nil {
			ms := st.ReconnectIn.Milliseconds()
			l.ReconnectInMS, l.Attempt, l.RetryAfter = &ms, st.Attempt, st.RetryAfter
		}
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(l); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	for _, st := range []feed.Status{
		{State: feed.Connecting, Attempt: 1},
		{State: feed.Open, Attempt: 1, HTTPStatus: 200, ContentType: "text/event-stream"},
		{State: feed.Connecting, Attempt: 2, Err: feed.ErrStreamEnded, ReconnectIn: 2999 * time.Millisecond},
		{State: feed.Connecting, Attempt: 5, Err: errors.New(`Get "https://u:pw@h/?token=x": dial tcp: <refused>`), ReconnectIn: time.Minute},
		{State: feed.Connecting, Attempt: 3, HTTPStatus: 503, Err: &feed.HTTPError{Status: 503, Body: "busy \x1b[2J"}, ReconnectIn: 4 * time.Second, RetryAfter: true},
		{State: feed.Closed, HTTPStatus: 401, Err: &feed.HTTPError{Status: 401, Body: `{"error":"token expired"}`}},
		{State: feed.Closed, HTTPStatus: 204, Err: &feed.HTTPError{Status: 204}},
	} {
		var buf bytes.Buffer
		w := bufio.NewWriter(&buf)
		p := printer{w: w, json: true}
		if err := p.status("feed \"u\" <x>", at, &st); err != nil {
			t.Fatal(err)
		}
		_ = w.Flush()
		if want := ref("feed \"u\" <x>", st); !bytes.Equal(buf.Bytes(), want) {
			t.Errorf("state %+v:\n got %s\nwant %s", st, buf.Bytes(), want)
		}
	}
}

func TestTailRecordWritesWhatItPrints(t *testing.T) {
	srv, _ := sseServer(t, "text/event-stream", "retry: 10\nid: 1\nevent: a\ndata: x\ndata: y\n\ndata: ü\n\n")
	path := filepath.Join(t.TempDir(), "rec.ndjson")
	out, _, err := runTailInProcess(t, "--json", "--record", path, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != out || !strings.Contains(out, `"data":"x\ny"`) {
		t.Errorf("recording differs from the output:\n%s\n---\n%s", got, out)
	}
	// A second run appends.
	if _, _, err := runTailInProcess(t, "--quiet", "--record", path, srv.URL+"/again"); err != nil {
		t.Fatal(err)
	}
	lines, err := capture.ReadAll(bytes.NewReader(mustRead(t, path)))
	if err != nil || len(lines) <= strings.Count(out, "\n") {
		t.Errorf("after a second run: %d lines, %v", len(lines), err)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestRecordIsTailQuietRecord(t *testing.T) {
	srv, _ := sseServer(t, "text/event-stream", "retry: 10\nid: 7\ndata: hello\n\n")
	path := filepath.Join(t.TempDir(), "r.ndjson")
	var out, errOut bytes.Buffer
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	if err := dispatch(ctx, []string{"record", srv.URL, "-o", path, "--retry", "10ms"}, &out, &errOut); err != nil {
		t.Fatalf("record: %v (%s)", err, errOut.String())
	}
	if out.Len() != 0 || !strings.Contains(errOut.String(), "1 event") {
		t.Errorf("stdout %q, stderr %q", out.String(), errOut.String())
	}
	lines, err := capture.ReadAll(bytes.NewReader(mustRead(t, path)))
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, l := range lines {
		kinds = append(kinds, l.Kind+":"+l.State+l.Event.Data)
	}
	if got := strings.Join(kinds, " "); got != "state:connecting state:open event:hello state:connecting state:closed" {
		t.Errorf("recorded %s", got)
	}

	// -o - is the capture on standard output.
	out.Reset()
	srv2, _ := sseServer(t, "text/event-stream", "data: a\n\n")
	if err := dispatch(ctx, []string{"record", "--output=-", "--retry", "10ms", srv2.URL}, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `"data":"a"`) {
		t.Errorf("-o -: %q", out.String())
	}

	for _, args := range [][]string{{"record", srv.URL}, {"record", srv.URL, "-o"}, {"tail", "--record", "-", srv.URL}, {"record", "-o", "a", "-o", "b", srv.URL}} {
		err := dispatch(ctx, args, &out, &errOut)
		var ue usageError
		if !errors.As(err, &ue) {
			t.Errorf("%q: err %v, want a usage error", args, err)
		}
	}
	out.Reset()
	if err := dispatch(ctx, []string{"record", "--help"}, &out, &errOut); err != nil || !strings.Contains(out.String(), "-o FILE") {
		t.Errorf("help: %v %q", err, out.String())
	}
	if err := dispatch(ctx, []string{"tail", "--record", filepath.Join(path, "x"), srv.URL}, &out, &errOut); err == nil {
		t.Error("a recording under a file did not fail")
	}
}

// roundTripStream is a real session's wire format with every case the
// capture format must carry: multi-line data, unnamed and named events,
// empty and inherited ids, an id cleared, unicode, CRLF and CR line ends,
// empty data, data with a leading space.
var roundTripStreams = map[string]string{
	"/a": "retry: 10\n: hello\ndata: no id\n\nid: 1\nevent: quote\ndata: {\"p\":1}\n\ndata: inherits 1\ndata: second line\r\n\r\n" +
		"id\ndata: id cleared\n\nevent: 天気\nid: ü-2\ndata: 雨 ☂ 😀\rdata:\rdata:  leading space\r\r" +
		"data:\n\nid: 3\ndata: \u2028\u0085 \\\"quoted\\\"\n\n",
	"/b": "retry: 10\nevent: ping\ndata: b1\n\nid: x\ndata: b2\n\n",
}

type fte struct{ feed, typ, id, data string }

func eventsByFeed(lines []capture.Line, rename func(string) string) map[string][]fte {
	m := map[string][]fte{}
	for _, l := range lines {
		if l.Kind == capture.KindEvent {
			n := rename(l.Feed)
			m[n] = append(m[n], fte{n, l.Event.Type, l.Event.ID, l.Event.Data})
		}
	}
	return m
}

// A real session recorded with `record`, served by `replay` and captured
// again with `tail --json` gives the same (feed, type, id, data) sequence.
func TestRecordReplayRoundTrip(t *testing.T) {
	var mu sync.Mutex
	served := map[string]int{}
	src := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		served[r.URL.Path]++
		n := served[r.URL.Path]
		mu.Unlock()
		body, ok := roundTripStreams[r.URL.Path]
		if !ok || n > 1 {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		// Byte by byte at first, so events are split across reads.
		for i := 0; i < len(body); i += 7 {
			_, _ = io.WriteString(w, body[i:min(i+7, len(body))])
			w.(http.Flusher).Flush()
		}
	}))
	defer src.Close()
	dir := t.TempDir()
	first := filepath.Join(dir, "first.ndjson")
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	var errOut bytes.Buffer
	if err := dispatch(ctx, []string{"record", "--retry", "10ms", src.URL + "/a", src.URL + "/b", "-o", first}, io.Discard, &errOut); err != nil {
		t.Fatalf("record: %v %s", err, errOut.String())
	}
	firstLines, err := capture.ReadAll(bytes.NewReader(mustRead(t, first)))
	if err != nil {
		t.Fatal(err)
	}
	want := eventsByFeed(firstLines, func(s string) string { return strings.TrimPrefix(s, src.URL) })
	if len(want["/a"]) != 7 || len(want["/b"]) != 2 {
		t.Fatalf("the recording lacks events: %q", want)
	}
	if got := want["/a"][4]; got != (fte{"/a", "天気", "ü-2", "雨 ☂ 😀\n\n leading space"}) {
		t.Fatalf("recorded %+v", got)
	}

	// Replay as fast as possible, on a free port.
	pr, pw := io.Pipe()
	replayCtx, stopReplay := context.WithCancel(ctx)
	replayDone := make(chan error, 1)
	go func() {
		replayDone <- dispatch(replayCtx, []string{"replay", "--addr", "127.0.0.1:0", "--speed", "0", first}, pw, io.Discard)
		pw.Close()
	}()
	defer func() {
		stopReplay()
		if err := <-replayDone; err != nil {
			t.Errorf("replay: %v", err)
		}
	}()
	sc := bufio.NewScanner(pr)
	urls := map[string]string{} // replay URL -> recorded feed name
	var args []string
	for len(urls) < 2 && sc.Scan() {
		name, u, _ := strings.Cut(sc.Text(), "\t")
		urls[u] = name
		args = append(args, u)
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	if len(urls) != 2 {
		t.Fatalf("replay listed %v", urls)
	}
	second := filepath.Join(dir, "second.ndjson")
	var out bytes.Buffer
	if err := dispatch(ctx, append([]string{"tail", "--json", "--retry", "10ms", "--record", second}, args...), &out, &errOut); err != nil {
		t.Fatalf("tail of the replay: %v %s", err, errOut.String())
	}
	if !bytes.Equal(out.Bytes(), mustRead(t, second)) {
		t.Error("tail's output and its recording differ")
	}
	secondLines, err := capture.ReadAll(&out)
	if err != nil {
		t.Fatal(err)
	}
	got := eventsByFeed(secondLines, func(u string) string { return strings.TrimPrefix(urls[u], src.URL) })
	if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", want) {
		t.Errorf("replayed and captured again:\n got %q\nwant %q", got, want)
	}
	// Each replayed feed ended with 204, so tail ended by itself.
	for _, l := range secondLines {
		if l.Kind == capture.KindState && l.State == "closed" && l.Status != http.StatusNoContent {
			t.Errorf("feed closed with %+v", l)
		}
	}
}
