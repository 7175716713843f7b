package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

func decodeLines(t *testing.T, out string) []tailLine {
	t.Helper()
	var lines []tailLine
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		var l tailLine
		if err := dec.Decode(&l); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		if _, err := time.Parse(time.RFC3339Nano, l.Time); err != nil || l.Kind == "" || l.Feed == "" {
			t.Fatalf("line %q lacks time/kind/feed", sc.Text())
		}
		lines = append(lines, l)
	}
	return lines
}

func runTailInProcess(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	err := dispatch(ctx, append([]string{"tail"}, args...), &out, &errOut)
	if ctx.Err() != nil {
		t.Fatalf("tail %v did not finish by itself; output:\n%s\n%s", args, out.String(), errOut.String())
	}
	return out.String(), errOut.String(), err
}

// sseServer serves body to the first request and 204 to the next, so a tail
// of it ends by itself once the stream has been read and reconnected.
func sseServer(t *testing.T, ctype, body string) (*httptest.Server, *[]http.Header) {
	var mu sync.Mutex
	var reqs []http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		reqs = append(reqs, r.Header.Clone())
		n := len(reqs)
		mu.Unlock()
		if n > 1 {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		w.Header().Set("Content-Type", ctype)
		fmt.Fprint(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv, &reqs
}

type wantEvent struct{ typ, id, data string }

// TestTailConformance feeds WHATWG / web-platform-tests style streams through
// `tail --json` and checks exactly what a browser's EventSource would report.
func TestTailConformance(t *testing.T) {
	tests := []struct {
		name   string
		stream string
		want   []wantEvent
	}{
		{"bom stripped once", "\uFEFFdata: 1\n\n\uFEFFdata: 2\n\ndata: 3\n\n", []wantEvent{{"message", "", "1"}, {"message", "", "3"}}},
		{"double bom", "\uFEFF\uFEFFdata: 1\n\ndata: 2\n\n", []wantEvent{{"message", "", "2"}}},
		{"comments", ":\n: x\ndata: a\n:\n\n", []wantEvent{{"message", "", "a"}}},
		{"cr line endings", "data:1\rdata:2\r\rdata:3\r\r", []wantEvent{{"message", "", "1\n2"}, {"message", "", "3"}}},
		{"crlf line endings", "event: x\r\ndata: 1\r\n\r\n", []wantEvent{{"x", "", "1"}}},
		{"field parsing", "data:\tt\ndata:  two\ndata\nDATA: no\nfoo: bar\n\n", []wantEvent{{"message", "", "\tt\n two\n"}}},
		{"event type reset", "event: a\ndata: 1\n\ndata: 2\n\nevent:\ndata: 3\n\n", []wantEvent{{"a", "", "1"}, {"message", "", "2"}, {"message", "", "3"}}},
		{"id persists and resets", "id: 1\ndata: a\n\ndata: b\n\nid\ndata: c\n\n", []wantEvent{{"message", "1", "a"}, {"message", "1", "b"}, {"message", "", "c"}}},
		{"id with null ignored", "id: 1\ndata: a\n\nid: 2\x003\ndata: b\n\n", []wantEvent{{"message", "1", "a"}, {"message", "1", "b"}}},
		{"empty data dispatches nothing", "id: 9\n\nevent: x\n\ndata: a\n\n", []wantEvent{{"message", "9", "a"}}},
		{"null in data kept", "data: a\x00b\n\n", []wantEvent{{"message", "", "a\x00b"}}},
		{"invalid utf-8 replaced", "data: \xff\xe2\x82x\n\n", []wantEvent{{"message", "", "\uFFFD\uFFFDx"}}},
		{"unterminated event discarded", "data: a\n\ndata: b\n", []wantEvent{{"message", "", "a"}}},
		{"escape sequences arrive as data", "data: \x1b]52;c;AAAA\x07\x1b[2J\n\n", []wantEvent{{"message", "", "\x1b]52;c;AAAA\x07\x1b[2J"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv, _ := sseServer(t, "text/event-stream; charset=windows-1252", tc.stream)
			out, errOut, err := runTailInProcess(t, "--json", "--retry", "10ms", srv.URL)
			if err != nil {
				t.Fatalf("tail: %v (stderr %q)", err, errOut)
			}
			var got []wantEvent
			for _, l := range decodeLines(t, out) {
				if l.Kind == "event" {
					if l.ID == nil || l.Data == nil {
						t.Fatalf("event without id/data: %+v", l)
					}
					got = append(got, wantEvent{l.Type, *l.ID, *l.Data})
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("stream %q\n got %q\nwant %q", tc.stream, got, tc.want)
			}
		})
	}
}

func TestTailStateLinesAndReconnect(t *testing.T) {
	srv, reqs := sseServer(t, "text/event-stream", "retry: 25\nid: 42\nevent: quote\ndata: {\"p\":1}\n\n")
	out, _, err := runTailInProcess(t, "--json", srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	lines := decodeLines(t, out)
	var shape []string
	for _, l := range lines {
		shape = append(shape, l.Kind+":"+l.State+l.Type)
	}
	want := "state:connecting state:open event:quote state:connecting state:closed"
	if strings.Join(shape, " ") != want {
		t.Fatalf("lines %v, want %s\n%s", shape, want, out)
	}
	if l := lines[1]; l.Status != 200 {
		t.Errorf("open line %+v", l)
	}
	if l := lines[3]; l.ReconnectInMS == nil || *l.ReconnectInMS != 25 || l.Error != "stream ended" {
		t.Errorf("connecting line %+v, want reconnect_in_ms 25 and error \"stream ended\"", l)
	}
	if l := lines[4]; l.Status != 204 || l.Error != "server returned 204 No Content" {
		t.Errorf("closed line %+v", l)
	}
	if got := (*reqs)[1].Get("Last-Event-ID"); got != "42" {
		t.Errorf("reconnect sent Last-Event-ID %q, want 42", got)
	}
}

func TestTailExitRules(t *testing.T) {
	status := func(code int, ctype string) *httptest.Server {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", ctype)
			w.WriteHeader(code)
		}))
		t.Cleanup(srv.Close)
		return srv
	}
	stop, broken, html := status(204, "text/event-stream"), status(500, "text/event-stream"), status(200, "text/html")

	if _, _, err := runTailInProcess(t, stop.URL, stop.URL+"/other"); err != nil {
		t.Errorf("all closed by 204: err = %v, want nil", err)
	}
	_, _, err := runTailInProcess(t, stop.URL, broken.URL, html.URL)
	if err == nil || !strings.Contains(err.Error(), "500 Internal Server Error") || !strings.Contains(err.Error(), "text/html") {
		t.Errorf("closed by 500 and text/html: err = %v, want both reasons", err)
	}
	if exitCode(err, &bytes.Buffer{}) != 1 {
		t.Errorf("exit code for failed feeds = %d, want 1", exitCode(err, &bytes.Buffer{}))
	}
}

func TestTailMaxEventsAndTimeout(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		for i := 0; i < 50; i++ {
			fmt.Fprintf(w, "data: %d\n\n", i)
		}
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	}))
	t.Cleanup(srv.Close)
	out, _, err := runTailInProcess(t, srv.URL, "--max-events", "7")
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(out, " message "); n != 7 {
		t.Errorf("printed %d events with --max-events 7:\n%s", n, out)
	}
	_, errOut, err := runTailInProcess(t, "--quiet", "--timeout", "200ms", srv.URL)
	if err != nil || !strings.Contains(errOut, "50 events") {
		t.Errorf("--quiet --timeout: err %v, summary %q", err, errOut)
	}
}

func TestTailReadableLinesEscapeControls(t *testing.T) {
	srv, _ := sseServer(t, "text/event-stream", "event: x\x1b[31m\nid: 1\x07\ndata: a\x1b]0;title\x07\ndata: b\u0085\u2028c\\\n\n")
	out, _, err := runTailInProcess(t, "--retry", "10ms", srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"\x1b", "\x07", "\u0085", "\u2028"} {
		if strings.Contains(out, bad) {
			t.Errorf("output contains raw %q:\n%q", bad, out)
		}
	}
	if want := `x\u001b[31m id=1\u0007 a\u001b]0;title\u0007\nb\u0085\u2028c\\`; !strings.Contains(out, want) {
		t.Errorf("want %q in\n%s", want, out)
	}
}

func TestTailUsageErrors(t *testing.T) {
	for _, args := range [][]string{{}, {"--bogus", "http://x/"}, {"ftp://x/"}, {"http://x/", "http://x/"}, {"--max-event-size", "lots", "http://x/"}, {"--header", "nocolon", "http://x/"}} {
		_, _, err := runTailInProcess(t, args...)
		var ue usageError
		if !errors.As(err, &ue) {
			t.Errorf("tail %q: err = %v, want a usage error", args, err)
		}
	}
}

func TestParseFlagsInterspersed(t *testing.T) {
	fs := newFlagSet("x", "x", "x", &bytes.Buffer{})
	j := fs.Bool("json", false, "")
	n := fs.Int("n", 0, "")
	pos, err := parseFlags(fs, []string{"a", "--json", "b", "-n", "3", "--", "--c"})
	if err != nil || !*j || *n != 3 || strings.Join(pos, ",") != "a,b,--c" {
		t.Fatalf("pos %q json %v n %d err %v", pos, *j, *n, err)
	}
}

func TestSizeFlag(t *testing.T) {
	for in, want := range map[string]sizeFlag{"4096": 4096, "512KiB": 512 << 10, "1MiB": 1 << 20, "2MB": 2e6} {
		var s sizeFlag
		if err := s.Set(in); err != nil || s != want {
			t.Errorf("Set(%q) = %d, %v; want %d", in, s, err, want)
		}
	}
	for _, in := range []string{"", "0", "-1", "MiB", "10XB"} {
		var s sizeFlag
		if err := s.Set(in); err == nil {
			t.Errorf("Set(%q) accepted", in)
		}
	}
}

// TestTailBinary runs the real executable: signals and exit codes as a shell sees them.
func TestTailBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary; skipped with -short")
	}
	bin := testBinary(t)
	live := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprint(w, "id: 1\ndata: hello\n\n")
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	}))
	defer live.Close()

	cmd := exec.Command(bin, "tail", "--json", live.URL)
	var out lockedBuffer
	cmd.Stdout = &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), `"data":"hello"`) {
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			t.Fatalf("no event printed within 10s; output so far: %q", out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("after SIGTERM: %v, want exit 0", err)
		}
	case <-time.After(5 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("tail still running 5s after SIGTERM")
	}

	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"tail"}, 2},
		{[]string{"tail", "--help"}, 0},
		{[]string{"nonsense"}, 2},
		{[]string{"--help"}, 0},
	} {
		err := exec.Command(bin, tc.args...).Run()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		}
		if code != tc.code {
			t.Errorf("livefeed %q exited %d, want %d", tc.args, code, tc.code)
		}
	}
}

// lockedBuffer lets the test read output while the process is writing it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// tail prints a feed's URL as its name and quotes it in errors: without the
// password or tokens, in both output forms. Event data stays as sent.
func TestTailRedactsURLs(t *testing.T) {
	var reqs *[]http.Header
	for _, json := range []bool{true, false} {
		var srv *httptest.Server
		srv, reqs = sseServer(t, "text/event-stream", "data: token=hunter2\n\n")
		u := strings.Replace(srv.URL, "http://", "http://alice:hunter2@", 1) + "/e?token=hunter2&topic=x"
		args := []string{u}
		if json {
			args = []string{"--json", u}
		}
		out, errOut, err := runTailInProcess(t, args...)
		if err != nil {
			t.Fatalf("tail %v: %v\n%s", args, err, errOut)
		}
		if strings.Count(out+errOut, "hunter2") != 1 || !strings.Contains(out, "token=***&topic=x") {
			t.Errorf("tail %v shows a secret beyond the event's data, or no redacted name:\n%s%s", args, out, errOut)
		}
	}
	if got := (*reqs)[0].Get("Authorization"); got == "" {
		t.Errorf("the request lost its credentials: Authorization %q", got)
	}
	_, _, err := runTailInProcess(t, "ftp://alice:hunter2@h/?token=hunter2")
	if err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("bad URL error = %v, want one without the secret", err)
	}
}
