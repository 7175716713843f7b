package main

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// An LLM-style stream: a POST with a JSON body, events, then [DONE]. tail
// prints the events before it, closes "finished" and exits 0.
func TestTailPostEndOn(t *testing.T) {
	var mu sync.Mutex
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, r.Method+" "+r.Header.Get("Content-Type")+" "+string(b))
		mu.Unlock()
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprint(w, "data: {\"delta\":\"Hel\"}\n\ndata: {\"delta\":\"lo\"}\n\ndata: [DONE]\n\ndata: never\n\n")
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	}))
	t.Cleanup(srv.Close)
	out, _, err := runTailInProcess(t, "--json", "--method", "POST", "--body", `{"model":"m","stream":true}`, "--end-on", "[DONE]", srv.URL)
	if err != nil {
		t.Fatalf("exit: %v\n%s", err, out)
	}
	lines := decodeLines(t, out)
	var data []string
	for _, l := range lines {
		if l.Data != nil {
			data = append(data, *l.Data)
		}
	}
	if strings.Join(data, " ") != `{"delta":"Hel"} {"delta":"lo"}` {
		t.Errorf("events %q", data)
	}
	if l := lines[len(lines)-1]; l.State != "closed" || l.Error != "finished" || l.Status != 200 {
		t.Errorf("last line %+v", l)
	}
	if len(got) != 1 || got[0] != `POST application/json {"model":"m","stream":true}` {
		t.Errorf("server saw %q", got)
	}
}

// --reconnect never: the stream's end is the end, exit 0; --body-file is sent.
func TestTailReconnectNeverAndBodyFile(t *testing.T) {
	var mu sync.Mutex
	var bodies []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, string(b))
		mu.Unlock()
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprint(w, "event: message_stop\ndata: {}\n\n")
	}))
	t.Cleanup(srv.Close)
	file := filepath.Join(t.TempDir(), "body.txt")
	if err := os.WriteFile(file, []byte("q=1"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, _, err := runTailInProcess(t, "--reconnect", "never", "--body-file", file, "--method", "PUT", srv.URL)
	if err != nil || !strings.Contains(out, "message_stop") || !strings.Contains(out, "CLOSED: stream ended") {
		t.Errorf("err %v\n%s", err, out)
	}
	if len(bodies) != 1 || bodies[0] != "q=1" {
		t.Errorf("bodies %q", bodies)
	}
}

// A server's no comes with its reason: the body on the state line (JSON
// "body", or after the reason in text), escaped and redacted, and in the
// exit error.
func TestTailShowsErrorBody(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, "{\"error\": \"token expired\",\n \"see\": \"https://u:pw@auth.example/?token=abc\", \"x\": \"\x1b[2J\"}")
	}))
	t.Cleanup(srv.Close)
	out, _, err := runTailInProcess(t, "--json", srv.URL)
	lines := decodeLines(t, out)
	l := lines[len(lines)-1]
	if l.State != "closed" || l.Status != 401 || !strings.HasPrefix(l.Body, `{"error": "token expired", "see": "https://`) {
		t.Errorf("closed line %+v", l)
	}
	if strings.Contains(l.Body, "pw") || strings.Contains(l.Body, "abc") {
		t.Errorf("body not redacted: %q", l.Body)
	}
	if err == nil || !strings.Contains(err.Error(), "token expired") {
		t.Errorf("exit error %v", err)
	}

	out, _, _ = runTailInProcess(t, srv.URL)
	if !strings.Contains(out, `CLOSED: server returned 401 Unauthorized {"error": "token expired"`) || strings.Contains(out, "\x1b") || !strings.Contains(out, `\u001b[2J`) {
		t.Errorf("text line:\n%q", out)
	}
}

// A 503 is retried after its Retry-After, and the state line says so.
func TestTailRetryOn(t *testing.T) {
	var mu sync.Mutex
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		n++
		i := n
		mu.Unlock()
		if i == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprint(w, "deploying")
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(srv.Close)
	out, _, err := runTailInProcess(t, "--json", srv.URL)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	lines := decodeLines(t, out)
	if len(lines) != 3 {
		t.Fatalf("lines:\n%s", out)
	}
	if l := lines[1]; l.State != "connecting" || l.Status != 503 || !l.RetryAfter || l.ReconnectInMS == nil || *l.ReconnectInMS != 1000 || l.Body != "deploying" {
		t.Errorf("retry line %+v", l)
	}
	mu.Lock()
	n = 0
	mu.Unlock()
	out, _, err = runTailInProcess(t, "--retry-on", "none", srv.URL)
	if err == nil || !strings.Contains(out, "CLOSED: server returned 503 Service Unavailable deploying") {
		t.Errorf("--retry-on none: err %v\n%s", err, out)
	}
}

// --headers-command is split like a shell line and run before each attempt;
// its header reaches the server.
func TestTailHeadersCommand(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("uses sh")
	}
	var mu sync.Mutex
	var auth []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		auth = append(auth, r.Header.Get("Authorization"))
		mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(srv.Close)
	out, _, err := runTailInProcess(t, "--headers-command", `sh -c 'echo "Authorization: Bearer $0"' "tok en"`, srv.URL)
	if err != nil || len(auth) != 1 || auth[0] != "Bearer tok en" {
		t.Errorf("err %v, server saw %q\n%s", err, auth, out)
	}
	out, _, err = runTailInProcess(t, "--headers-command", `sh -c 'echo "vault sealed" >&2; exit 2'`, "--timeout", "300ms", srv.URL)
	if err != nil || !strings.Contains(out, "headers_command sh: exit status 2: vault sealed") {
		t.Errorf("err %v\n%s", err, out)
	}
}
