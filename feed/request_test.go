package feed

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"
)

// seen is what a test server was sent, one entry per request.
type seen struct {
	mu   sync.Mutex
	reqs []seenRequest
}

type seenRequest struct {
	method, path, body string
	header             http.Header
}

func (s *seen) record(r *http.Request) int {
	b, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reqs = append(s.reqs, seenRequest{r.Method, r.URL.Path, string(b), r.Header.Clone()})
	return len(s.reqs)
}

func (s *seen) get(i int) seenRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	if i >= len(s.reqs) {
		return seenRequest{}
	}
	return s.reqs[i]
}

func (s *seen) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.reqs)
}

func TestMethodAndBodySent(t *testing.T) {
	tests := []struct {
		method, wantMethod string
		body               []byte
		ctype              string
	}{
		{"", "GET", nil, ""},
		{"POST", "POST", []byte(`{"stream":true}`), "application/json"},
		{"put", "PUT", []byte("a=1"), "application/x-www-form-urlencoded"},
		{"PATCH", "PATCH", []byte("x"), ""},
	}
	for _, tc := range tests {
		t.Run(tc.wantMethod, func(t *testing.T) {
			var s seen
			srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				s.record(r)
				sse(w, "data: ok\n\n")
				<-r.Context().Done()
			}))
			opts := Options{URL: srv.URL, Method: tc.method, Body: tc.body}
			if tc.ctype != "" {
				opts.Header = http.Header{"content-type": {tc.ctype}}
			}
			h := start(t, opts)
			h.state(Connecting)
			h.state(Open)
			h.event()
			r := s.get(0)
			if r.method != tc.wantMethod || r.body != string(tc.body) || r.header.Get("Content-Type") != tc.ctype {
				t.Errorf("server saw %s %q Content-Type %q; want %s %q %q", r.method, r.body, r.header.Get("Content-Type"), tc.wantMethod, tc.body, tc.ctype)
			}
			if r.header.Get("Accept") != "text/event-stream" {
				t.Errorf("Accept = %q", r.header.Get("Accept"))
			}
		})
	}
}

// A 307 or 308 repeats the method and body (the client asks GetBody for a
// fresh copy), also at another origin, with the body's Content-Type but
// without the feed's other headers.
func TestBodySentAgainAfterRedirect(t *testing.T) {
	var s seen
	stream := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.record(r)
		sse(w, "data: ok\n\n")
		<-r.Context().Done()
	})
	elsewhere := serve(t, stream)
	mux := http.NewServeMux()
	mux.Handle("/stream", stream)
	mux.HandleFunc("/here", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/stream", http.StatusTemporaryRedirect)
	})
	mux.HandleFunc("/away", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, elsewhere.URL+"/s", http.StatusPermanentRedirect)
	})
	origin := serve(t, mux)
	hdr := http.Header{"Content-Type": {"application/json"}, "X-Api-Key": {"k"}}
	for i, path := range []string{"/here", "/away"} {
		h := start(t, Options{URL: origin.URL + path, Method: "POST", Body: []byte(`{"q":1}`), Header: hdr})
		h.state(Connecting)
		h.state(Open)
		h.event()
		r := s.get(i)
		if r.method != "POST" || r.body != `{"q":1}` || r.header.Get("Content-Type") != "application/json" {
			t.Errorf("%s: server saw %s %q Content-Type %q", path, r.method, r.body, r.header.Get("Content-Type"))
		}
		if want := map[string]string{"/here": "k", "/away": ""}[path]; r.header.Get("X-Api-Key") != want {
			t.Errorf("%s: X-Api-Key = %q, want %q", path, r.header.Get("X-Api-Key"), want)
		}
	}
}

func TestNewChecksMethodAndCommand(t *testing.T) {
	for _, o := range []Options{
		{URL: "http://127.0.0.1:1/", Method: "DELETE"},
		{URL: "http://127.0.0.1:1/", HeadersCommand: []string{""}},
	} {
		var fe *FeedError
		if _, err := New("x", o); !errors.As(err, &fe) {
			t.Errorf("New(%+v) = %v, want a FeedError", o, err)
		}
	}
}

// script writes an executable shell script to a temporary directory.
func script(t *testing.T, body string) string {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the test's headers command is a shell script")
	}
	path := filepath.Join(t.TempDir(), "cmd.sh")
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

// The command runs before every attempt; after a 401 the feed backs off and
// tries again rather than closing, and the next run's token gets in. The
// command's header replaces the configured one of the same name.
func TestHeadersCommandRefreshesTokenAfter401(t *testing.T) {
	dir := t.TempDir()
	cmd := script(t, fmt.Sprintf(`n=$(cat %[1]s/n 2>/dev/null || echo 0); n=$((n+1)); echo $n > %[1]s/n
echo "Authorization: Bearer tok$n"
echo "x-run: $n"
`, dir))
	var s seen
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.record(r)
		if r.Header.Get("Authorization") != "Bearer tok2" {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"error":"token expired"}`)
			return
		}
		sse(w, "data: in\n\n")
		<-r.Context().Done()
	}))
	h := start(t, Options{URL: srv.URL, HeadersCommand: []string{cmd}, Retry: 10 * time.Millisecond,
		Header: http.Header{"authorization": {"Bearer configured"}}})
	h.state(Connecting)
	st := h.state(Connecting)
	var he *HTTPError
	if !errors.As(st.Err, &he) || he.Status != 401 || he.Body != `{"error":"token expired"}` || st.HTTPStatus != 401 || st.Attempt != 2 || st.ReconnectIn < minFailureWait {
		t.Fatalf("after 401: %+v (err %v); want a retry with backoff carrying the body", st, st.Err)
	}
	h.state(Open)
	if e := h.event(); e.Data != "in" {
		t.Fatalf("event %+v", e)
	}
	for i := 0; i < 2; i++ {
		r := s.get(i)
		if got := r.header.Values("Authorization"); len(got) != 1 || got[0] != fmt.Sprintf("Bearer tok%d", i+1) {
			t.Errorf("request %d: Authorization %q, want only the command's", i, got)
		}
		if r.header.Get("X-Run") != fmt.Sprint(i+1) {
			t.Errorf("request %d: X-Run %q: the command must run before every attempt", i, r.header.Get("X-Run"))
		}
	}
}

// Without a headers command a 401 is final, as in a browser.
func Test401ClosesWithoutCommand(t *testing.T) {
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusForbidden)
	}))
	h := start(t, Options{URL: srv.URL})
	h.state(Connecting)
	if st := h.state(Closed); st.HTTPStatus != 403 {
		t.Fatalf("%+v", st)
	}
}

func TestHeadersCommandFailures(t *testing.T) {
	tests := []struct {
		name, script, want, stderr string
	}{
		{"exit status", "echo 'X-A: 1'\necho >&2\necho '  token store locked  ' >&2\necho second >&2\nexit 3\n", "exit status 3", "token store locked"},
		{"bad line", "echo 'Authorization Bearer secret-token'\n", `stdout line 1 is not "Name: value"`, ""},
		{"bad name", "echo 'X A: 1'\n", `stdout line 1 is not "Name: value"`, ""},
		{"not found", "", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var hits atomic.Int32
			srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				hits.Add(1)
				sse(w, "")
			}))
			argv := []string{script(t, tc.script)}
			if tc.name == "not found" {
				argv = []string{filepath.Join(t.TempDir(), "no-such-command")}
			}
			h := start(t, Options{URL: srv.URL, HeadersCommand: argv, Retry: 10 * time.Millisecond})
			h.state(Connecting)
			st := h.state(Connecting)
			var ce *CommandError
			if !errors.As(st.Err, &ce) || st.Attempt != 2 || st.ReconnectIn < minFailureWait {
				t.Fatalf("status %+v err %v; want a CommandError and backoff", st, st.Err)
			}
			if !strings.Contains(ce.Err.Error(), tc.want) || ce.Stderr != tc.stderr {
				t.Errorf("err %q stderr %q; want %q and %q", ce.Err, ce.Stderr, tc.want, tc.stderr)
			}
			if strings.Contains(st.Err.Error(), "secret-token") {
				t.Errorf("error quotes the command's output: %v", st.Err)
			}
			if hits.Load() != 0 {
				t.Error("a request was made after the command failed")
			}
		})
	}
}

func TestHeadersCommandTimeoutAndCancel(t *testing.T) {
	cmd := script(t, "echo 'X-A: 1'\nexec sleep 30\n")
	began := time.Now()
	_, err := runHeadersCommand(context.Background(), []string{cmd}, 200*time.Millisecond)
	var ce *CommandError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "no result after 200ms") {
		t.Errorf("err = %v, want a timeout", err)
	}
	if d := time.Since(began); d > 5*time.Second {
		t.Errorf("timeout took %v", d)
	}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	began = time.Now()
	if _, err := runHeadersCommand(ctx, []string{cmd}, time.Minute); err == nil {
		t.Error("cancelled command succeeded")
	}
	if d := time.Since(began); d > 5*time.Second {
		t.Errorf("cancel took %v to stop the command", d)
	}
}

// A timeout kills what the command started too, not only the command.
func TestHeadersCommandTimeoutKillsChildren(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "pid")
	cmd := script(t, "sleep 30 &\necho $! > "+pidFile+"\nwait\n")
	if _, err := runHeadersCommand(context.Background(), []string{cmd}, 300*time.Millisecond); err == nil {
		t.Fatal("a command that timed out succeeded")
	}
	b, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	pid := strings.TrimSpace(string(b))
	deadline := time.Now().Add(5 * time.Second)
	for {
		// /proc/PID/stat's third field is the state; Z is a zombie, dead
		// but not yet reaped by its new parent.
		stat, err := os.ReadFile("/proc/" + pid + "/stat")
		if err != nil {
			if os.IsNotExist(err) {
				return
			}
			t.Skipf("cannot watch processes here: %v", err)
		}
		if f := strings.Fields(string(stat)); len(f) > 2 && f[2] == "Z" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the command's child %s still runs after the timeout", pid)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// The command's headers are the feed's own, like configured ones: a redirect
// to another origin does not carry them.
func TestHeadersCommandSameOriginOnly(t *testing.T) {
	cmd := script(t, "echo 'X-Token: secret'\n")
	var s seen
	elsewhere := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.record(r)
		sse(w, "data: x\n\n")
		<-r.Context().Done()
	}))
	origin := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.record(r)
		http.Redirect(w, r, elsewhere.URL+"/s", http.StatusFound)
	}))
	h := start(t, Options{URL: origin.URL, HeadersCommand: []string{cmd}})
	h.state(Connecting)
	h.state(Open)
	h.event()
	if s.get(0).header.Get("X-Token") != "secret" || s.get(1).header.Get("X-Token") != "" {
		t.Errorf("X-Token at origin %q, elsewhere %q", s.get(0).header.Get("X-Token"), s.get(1).header.Get("X-Token"))
	}
}

func TestReconnectPolicy(t *testing.T) {
	tests := []struct {
		method    string
		policy    ReconnectPolicy
		reconnect bool
	}{
		{"GET", ReconnectAuto, true},
		{"POST", ReconnectAuto, false},
		{"GET", ReconnectNever, false},
		{"POST", ReconnectAlways, true},
	}
	for _, tc := range tests {
		t.Run(tc.method+" "+tc.policy.String(), func(t *testing.T) {
			var s seen
			srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n := s.record(r)
				sse(w, fmt.Sprintf("data: %d\n\n", n))
			}))
			h := start(t, Options{URL: srv.URL, Method: tc.method, Reconnect: tc.policy, Retry: 10 * time.Millisecond})
			h.state(Connecting)
			h.state(Open)
			h.event()
			if !tc.reconnect {
				st := h.state(Closed)
				if !errors.Is(st.Err, ErrStreamEnded) || st.Err.Error() != "stream ended" || st.HTTPStatus != 200 {
					t.Fatalf("closed %+v", st)
				}
				h.quiet(150 * time.Millisecond)
				if s.count() != 1 {
					t.Fatalf("%d requests", s.count())
				}
				h.feed.Reconnect()
				if st := h.state(Connecting); !errors.Is(st.Err, ErrReconnect) {
					t.Fatalf("revive: %v", st.Err)
				}
			} else if st := h.state(Connecting); !errors.Is(st.Err, ErrStreamEnded) || st.ReconnectIn != 10*time.Millisecond {
				t.Fatalf("reconnect: %+v", st)
			}
			h.state(Open)
			if e := h.event(); e.Data != "2" {
				t.Errorf("second connection's event %+v", e)
			}
		})
	}
}

// The end_on event is not delivered, nor anything after it; the connection
// is closed (the server sees it go) and the feed stays CLOSED until asked.
func TestEndOn(t *testing.T) {
	var s seen
	gone := make(chan struct{}, 2)
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.record(r)
		sse(w, "id: 1\ndata: a\n\nid: 2\ndata: [DONE]\n\nid: 3\ndata: after\n\n")
		<-r.Context().Done()
		gone <- struct{}{}
	}))
	h := start(t, Options{URL: srv.URL, Method: "POST", Reconnect: ReconnectAlways, EndOn: "[DONE]", Retry: 10 * time.Millisecond})
	h.state(Connecting)
	h.state(Open)
	if e := h.event(); e.Data != "a" {
		t.Fatalf("event %+v", e)
	}
	st := h.state(Closed)
	if !errors.Is(st.Err, ErrFinished) || st.Err.Error() != "finished" {
		t.Fatalf("closed with %v", st.Err)
	}
	select {
	case <-gone:
	case <-time.After(5 * time.Second):
		t.Fatal("the connection stayed open after end_on")
	}
	h.quiet(150 * time.Millisecond)
	if stats := h.feed.Stats(); stats.Events != 1 || stats.LastEventID != "2" || s.count() != 1 {
		t.Errorf("stats %+v, %d requests", stats, s.count())
	}
	h.feed.Reconnect()
	h.state(Connecting)
	h.state(Open)
	if e := h.event(); e.Data != "a" || s.get(1).header.Get("Last-Event-ID") != "2" {
		t.Errorf("after revive: %+v, Last-Event-ID %q", e, s.get(1).header.Get("Last-Event-ID"))
	}
}

func TestRetryOn(t *testing.T) {
	date := func() string { return time.Now().Add(3 * time.Second).UTC().Format(http.TimeFormat) }
	tests := []struct {
		name       string
		status     int
		retryAfter func() string
		opts       Options
		retried    bool
		lo, hi     time.Duration // the wait
		fromHeader bool
	}{
		{"503 Retry-After seconds", 503, func() string { return "1" }, Options{}, true, time.Second, time.Second, true},
		{"502 Retry-After date", 502, date, Options{}, true, time.Second, 3 * time.Second, true},
		{"504 Retry-After capped", 504, func() string { return "3600" }, Options{MaxBackoff: 2 * time.Second}, true, 2 * time.Second, 2 * time.Second, true},
		{"Retry-After 0 still backs off", 503, func() string { return "0" }, Options{}, true, minFailureWait, minFailureWait, true},
		{"503 no Retry-After", 503, nil, Options{Retry: 400 * time.Millisecond}, true, 400 * time.Millisecond, 480 * time.Millisecond, false},
		{"bad Retry-After", 503, func() string { return "soon" }, Options{Retry: 400 * time.Millisecond}, true, 400 * time.Millisecond, 480 * time.Millisecond, false},
		{"429 listed", 429, func() string { return "1" }, Options{RetryOn: []int{429}}, true, time.Second, time.Second, true},
		{"500 not listed", 500, nil, Options{}, false, 0, 0, false},
		{"none: browser", 503, func() string { return "1" }, Options{RetryOn: []int{}}, false, 0, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var s seen
			srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if s.record(r) > 1 {
					sse(w, "data: back\n\n")
					<-r.Context().Done()
					return
				}
				if tc.retryAfter != nil {
					w.Header().Set("Retry-After", tc.retryAfter())
				}
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(tc.status)
				fmt.Fprint(w, "<h1>down\n for   maintenance</h1>\n")
			}))
			o := tc.opts
			o.URL = srv.URL
			h := start(t, o)
			h.state(Connecting)
			var he *HTTPError
			if !tc.retried {
				st := h.state(Closed)
				if !errors.As(st.Err, &he) || he.Status != tc.status || he.Body != "<h1>down for maintenance</h1>" {
					t.Fatalf("closed %+v err %v", st, st.Err)
				}
				return
			}
			st := h.state(Connecting)
			if !errors.As(st.Err, &he) || he.Status != tc.status || st.HTTPStatus != tc.status || st.ContentType != "text/html" || he.Body != "<h1>down for maintenance</h1>" {
				t.Fatalf("retry status %+v err %#v", st, st.Err)
			}
			if st.ReconnectIn < tc.lo || st.ReconnectIn > tc.hi || st.RetryAfter != tc.fromHeader || st.Attempt != 2 {
				t.Fatalf("wait %v (Retry-After %v, attempt %d); want in [%v, %v], Retry-After %v", st.ReconnectIn, st.RetryAfter, st.Attempt, tc.lo, tc.hi, tc.fromHeader)
			}
			h.feed.Reconnect() // cut the wait short
			h.state(Open)
			if e := h.event(); e.Data != "back" {
				t.Fatalf("event %+v", e)
			}
		})
	}
}

func TestRetryAfterParse(t *testing.T) {
	now := time.Date(2026, 12, 2, 8, 0, 0, 0, time.UTC)
	tests := []struct {
		v    string
		want time.Duration
		ok   bool
	}{
		{"", 0, false},
		{"120", 2 * time.Minute, true},
		{" 7 ", 7 * time.Second, true},
		{"-1", 0, false},
		{"1.5", 0, false},
		{"99999999999999999999", maxRetry, true},
		{"Wed, 02 Dec 2026 08:00:30 GMT", 30 * time.Second, true},
		{"Wednesday, 02-Dec-26 08:01:00 GMT", time.Minute, true},
		{"Wed, 02 Dec 2026 07:00:00 GMT", 0, true},
		{"tomorrow", 0, false},
	}
	for _, tc := range tests {
		got, ok := retryAfter(http.Header{"Retry-After": {tc.v}}, now)
		if got != tc.want || ok != tc.ok {
			t.Errorf("retryAfter(%q) = %v, %v; want %v, %v", tc.v, got, ok, tc.want, tc.ok)
		}
	}
}

func TestErrorBodyFolded(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{"json", "{\"error\":\r\n\t\"token expired\"}\n", `{"error": "token expired"}`},
		{"empty", "", ""},
		{"spaces only", " \n\t ", ""},
		{"invalid utf-8", "bad \xff\xfe byte", "bad \uFFFD\uFFFD byte"},
		{"control kept for render", "a\x1b[31mb", "a\x1b[31mb"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(http.StatusUnauthorized)
				fmt.Fprint(w, tc.body)
			}))
			h := start(t, Options{URL: srv.URL})
			h.state(Connecting)
			var he *HTTPError
			if st := h.state(Closed); !errors.As(st.Err, &he) || he.Body != tc.want {
				t.Fatalf("body %q, want %q", he.Body, tc.want)
			}
		})
	}
}

// A huge error body is cut at MaxErrorBody (never inside a character) and a
// slow one does not hold the feed up for longer than errorBodyWait.
func TestErrorBodyBounded(t *testing.T) {
	t.Run("huge", func(t *testing.T) {
		srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusBadRequest)
			chunk := []byte("x" + strings.Repeat("é", 32<<10))
			for i := 0; i < 320; i++ { // 20 MiB
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		}))
		h := start(t, Options{URL: srv.URL})
		h.state(Connecting)
		var he *HTTPError
		if st := h.state(Closed); !errors.As(st.Err, &he) || len(he.Body) > MaxErrorBody || len(he.Body) < MaxErrorBody-4 || !utf8.ValidString(he.Body) || strings.ContainsRune(he.Body, utf8.RuneError) {
			t.Fatalf("body of %d bytes (valid %v)", len(he.Body), utf8.ValidString(he.Body))
		}
	})
	t.Run("slow", func(t *testing.T) {
		srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusBadGateway)
			fmt.Fprint(w, "upstream is")
			w.(http.Flusher).Flush()
			<-r.Context().Done() // and never the rest
		}))
		h := start(t, Options{URL: srv.URL, RetryOn: []int{}})
		h.state(Connecting)
		began := time.Now()
		var he *HTTPError
		if st := h.state(Closed); !errors.As(st.Err, &he) || he.Body != "upstream is" {
			t.Fatalf("err %v body %q", st.Err, he.Body)
		}
		if d := time.Since(began); d > errorBodyWait+time.Second {
			t.Errorf("a slow error body held the feed for %v", d)
		}
	})
}

func TestFoldBodyCut(t *testing.T) {
	b := []byte(strings.Repeat("a", MaxErrorBody-1) + "é")[:MaxErrorBody]
	if got := foldBody(b, true); got != strings.Repeat("a", MaxErrorBody-1) {
		t.Errorf("a character cut by the limit gave %q at the end", got[len(got)-3:])
	}
	// Replacement characters outgrow the bytes they replace; the result is
	// still within the limit and whole characters.
	if got := foldBody([]byte(strings.Repeat("\xff", MaxErrorBody)), true); len(got) > MaxErrorBody || !utf8.ValidString(got) {
		t.Errorf("%d bytes, valid %v", len(got), utf8.ValidString(got))
	}
}

// A server that accepts, sends "retry: 0" and hangs up got about 1,400
// requests a second; each such connection now counts as a failed attempt.
func TestNoReconnectStorm(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		sse(w, "retry: 0\n\n")
	}))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	f, err := New("storm", Options{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	ch := make(chan Batch, 16)
	done := make(chan struct{})
	go func() { defer close(done); f.Run(ctx, ch) }()
	var lastWait time.Duration
	for running := true; running; {
		select {
		case b := <-ch:
			if b.Status != nil && b.Status.State == Connecting && b.Status.Err != nil {
				lastWait = b.Status.ReconnectIn
			}
		case <-done:
			running = false
		}
	}
	t.Logf("%d attempts in 5s", hits.Load())
	if n := hits.Load(); n > 10 || n < 2 {
		t.Errorf("%d attempts in 5s, want 2 to 10", n)
	}
	if lastWait < time.Second {
		t.Errorf("the wait grew only to %v", lastWait)
	}
}

// A connection that ends at once without an event is a failed attempt: the
// first waits exactly the reconnection time (as a browser would), the next
// ones back off. One that delivered an event resets that.
func TestShortConnectionBacksOff(t *testing.T) {
	var s seen
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.record(r) == 3 {
			sse(w, "data: x\n\n")
			return
		}
		sse(w, "id: 5\n\n")
	}))
	h := start(t, Options{URL: srv.URL, Retry: 300 * time.Millisecond})
	h.state(Connecting)
	h.state(Open)
	if st := h.state(Connecting); st.ReconnectIn != 300*time.Millisecond || st.Attempt != 2 || !errors.Is(st.Err, ErrStreamEnded) {
		t.Fatalf("first: %+v", st)
	}
	h.feed.Reconnect()
	h.state(Open)
	if st := h.state(Connecting); st.ReconnectIn < 600*time.Millisecond || st.ReconnectIn > 720*time.Millisecond || st.Attempt != 3 {
		t.Fatalf("second: %+v", st)
	}
	h.feed.Reconnect()
	h.state(Open)
	h.event()
	if st := h.state(Connecting); st.ReconnectIn != 300*time.Millisecond || st.Attempt != 1 {
		t.Fatalf("after an event: %+v", st)
	}
	if got := s.get(1).header.Get("Last-Event-ID"); got != "5" {
		t.Errorf("Last-Event-ID %q", got)
	}
}

// Whatever a server sends, the kept body is valid UTF-8 within the limit,
// on one line with no run of whitespace, and no character is cut.
func FuzzFoldBody(f *testing.F) {
	f.Add([]byte("{\"error\":\n\t\"x\"}"), false)
	f.Add([]byte("a\xe2\x82"), true)
	f.Add([]byte("\xff\xfe \u2028 \u00a0 é"), true)
	f.Fuzz(func(t *testing.T, b []byte, cut bool) {
		s := foldBody(b, cut)
		if !utf8.ValidString(s) || len(s) > MaxErrorBody || strings.ContainsAny(s, "\n\r\t") ||
			strings.Contains(s, "  ") || strings.TrimSpace(s) != s {
			t.Fatalf("foldBody(%q, %v) = %q", b, cut, s)
		}
		if !cut && utf8.Valid(b) && len(b) <= MaxErrorBody/3 && strings.Join(strings.Fields(string(b)), " ") != s {
			t.Fatalf("foldBody(%q) = %q changed more than whitespace", b, s)
		}
	})
}
