package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/livefeed/livefeed/config"
	"github.com/livefeed/livefeed/live"
)

// --save writes a config that `config check` passes and that gives each
// feed exactly the engine options the same flags give tail.
func TestQuickSaveMatchesFlags(t *testing.T) {
	dir := t.TempDir()
	body := filepath.Join(dir, "prompt.json")
	if err := os.WriteFile(body, []byte(`{"q":"it's ${NOT_EXPANDED}"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, flags := range [][]string{
		{},
		{"--method", "post", "--body", `{"model":"m","messages":[{"role":"user","content":"say \"hi\"\n${HOME}"}],"stream":true}`,
			"--end-on", "[DONE]", "--header", "Authorization: Bearer ${OPENAI_API_KEY}"},
		{"--method", "PUT", "--body-file", body, "--reconnect", "always", "--retry-on", "none", "--retry", "250ms",
			"--max-backoff", "1m30s", "--stale", "0s", "--connect-timeout", "4s", "--max-event-size", "64KiB",
			"--headers-command", `get-token --aud "my api"`, "--header", "X-Odd: a#b: 'c'", "--insecure"},
		{"--method", "PATCH", "--body", "a=1\x01", "--retry-on", "429, 503", "--reconnect", "never"},
	} {
		t.Run(strings.Join(flags, " "), func(t *testing.T) {
			urls := []string{"http://127.0.0.1:1/v1/chat/completions", "https://example.invalid/events/stocks?topic=${x}", "http://127.0.0.1:1/events/stocks"}
			file := filepath.Join(t.TempDir(), "quick.yaml")
			args := append(append(append([]string{}, urls...), flags...), "--save", file)
			var out, errOut bytes.Buffer
			if err := dispatch(context.Background(), args, &out, &errOut); err != nil {
				t.Fatalf("%v\n%s", err, errOut.String())
			}
			if err := dispatch(context.Background(), []string{"config", "check", file}, &out, &errOut); err != nil {
				t.Fatalf("config check: %v\n%s", err, errOut.String())
			}
			data, _ := os.ReadFile(file)
			if !strings.HasPrefix(string(data), "# yaml-language-server: $schema=livefeed.schema.json\n") {
				t.Errorf("no schema comment:\n%s", data)
			}
			if _, err := os.Stat(filepath.Join(filepath.Dir(file), schemaFile)); err != nil {
				t.Errorf("no schema next to the config: %v", err)
			}
			cfg, err := config.Load(config.Location{Path: file}, func(string) (string, bool) { return "SET", true })
			if err != nil {
				t.Fatal(err)
			}

			fs := newFlagSet("x", "x", "x", &bytes.Buffer{})
			r := addRequestFlags(fs)
			if _, err := parseFlags(fs, flags); err != nil {
				t.Fatal(err)
			}
			q, err := r.parse(fs)
			if err != nil {
				t.Fatal(err)
			}
			want := r.options(q)
			names := []string{"completions", "stocks", "stocks-2"}
			if len(cfg.Feeds) != len(urls) {
				t.Fatalf("feeds = %d", len(cfg.Feeds))
			}
			for i, f := range cfg.Feeds {
				if f.Name != names[i] || f.URL != urls[i] {
					t.Errorf("feed %d = %s %s", i, f.Name, f.URL)
				}
				got := live.FeedOptions(f)
				w := want
				w.URL = urls[i]
				w.Coalesce = live.Coalesce // the dashboard's read window, not tail's
				// Header names: the engine canonicalizes them.
				gh, wh := http.Header{}, http.Header{}
				for k, vs := range got.Header {
					gh[http.CanonicalHeaderKey(k)] = vs
				}
				for k, vs := range w.Header {
					wh[http.CanonicalHeaderKey(k)] = vs
				}
				got.Header, w.Header = nil, nil
				if w.CAFile != "" {
					w.CAFile, _ = filepath.Abs(w.CAFile)
				}
				if !reflect.DeepEqual(got, w) || !reflect.DeepEqual(gh, wh) {
					t.Errorf("feed %s:\nconfig %+v %v\nflags  %+v %v", f.Name, got, gh, w, wh)
				}
			}
		})
	}
}

// A URL first, or flags and then a URL, is quick mode; anything else that
// is not a command stays a usage error.
func TestQuickDispatch(t *testing.T) {
	for _, args := range [][]string{{"http://127.0.0.1:1/a"}, {"--method", "POST", "HTTPS://127.0.0.1:1/a"}} {
		var out, errOut bytes.Buffer
		err := dispatch(context.Background(), args, &out, &errOut)
		if err == nil || !strings.Contains(err.Error(), "needs a terminal") {
			t.Errorf("%q: err = %v, want quick mode's dashboard to ask for a terminal", args, err)
		}
	}
	for _, args := range [][]string{
		{"ftp://x/"}, {"http://127.0.0.1:1/a", "http://127.0.0.1:1/a"}, {"http://"}, {"http://127.0.0.1:1/a", "--method", "TRACE"},
		{"http://127.0.0.1:1/a", "--body", "x", "--body-file", "y"}, {"http://127.0.0.1:1/a", "not-a-url"},
	} {
		var out, errOut bytes.Buffer
		err := dispatch(context.Background(), args, &out, &errOut)
		var ue usageError
		if err == nil || !asUsage(err, &ue) {
			t.Errorf("%q: err = %v, want a usage error", args, err)
		}
	}
	// --save never replaces a file without --force.
	file := filepath.Join(t.TempDir(), "q.yaml")
	if err := os.WriteFile(file, []byte("keep"), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if err := dispatch(context.Background(), []string{"http://127.0.0.1:1/a", "--save", file}, &out, &errOut); err == nil {
		t.Error("--save replaced an existing file")
	}
	if err := dispatch(context.Background(), []string{"http://127.0.0.1:1/a", "--save", file, "--force"}, &out, &errOut); err != nil {
		t.Errorf("--save --force: %v", err)
	}
}

func asUsage(err error, ue *usageError) bool {
	u, ok := err.(usageError)
	if ok {
		*ue = u
	}
	return ok
}

func TestQuickFeedNames(t *testing.T) {
	got := quickFeedNames([]string{"http://h/events/stocks", "http://h/other/stocks", "https://api.example.com", "http://h/%E2%9C%93/_x", "http://h/-.-/"})
	want := []string{"stocks", "stocks-2", "api.example.com", "x", "feed"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("names = %q, want %q", got, want)
	}
}

// Quick mode in tmux: two URLs of a local server, one streaming and one
// refusing with 401; the chips say which is which, the log pane has every
// event with its feed, type and id, Enter inspects one, q quits.
func TestQuickModeInTmux(t *testing.T) {
	tmux := e2eTmux(t)
	dir := t.TempDir()
	bin := e2eBuild(t, dir)

	mux := http.NewServeMux()
	mux.HandleFunc("/events/ticks", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		fl, _ := w.(http.Flusher)
		for i := 1; i <= 600; i++ {
			fmt.Fprintf(w, "event: tick\nid: t-%d\ndata: {\"n\":%d,\"name\":\"tick-%d\"}\n\n", i, i, i)
			fl.Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(100 * time.Millisecond):
			}
		}
	})
	mux.HandleFunc("/private", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"error":"token expired"}`)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(func() { srv.CloseClientConnections(); srv.Close() }) // runs after tmux is gone

	sock := fmt.Sprintf("livefeed-quick-%d-%d", os.Getpid(), time.Now().UnixNano())
	tm := func(args ...string) (string, error) {
		out, err := exec.Command(tmux, append([]string{"-L", sock, "-f", "/dev/null"}, args...)...).CombinedOutput()
		return string(out), err
	}
	t.Cleanup(func() { _, _ = tm("kill-server") })
	logFile := filepath.Join(dir, "livefeed.log")
	cmdline := fmt.Sprintf("%s %s %s --log-file %s", tuiShellQuote(bin), tuiShellQuote(srv.URL+"/events/ticks"),
		tuiShellQuote(srv.URL+"/private"), tuiShellQuote(logFile))
	if out, err := tm("new-session", "-d", "-x", "120", "-y", "30", "env", "TERM=xterm-256color", "sh", "-c", cmdline); err != nil {
		t.Fatalf("tmux new-session: %v\n%s", err, out)
	}
	screen := func() string {
		out, _ := tm("capture-pane", "-p", "-t", "0")
		return out
	}
	waitFor := func(what string, ok func(string) bool) string {
		t.Helper()
		return waitScreen(t, screen, logFile, what, ok)
	}
	s := waitFor("chips and events", func(s string) bool {
		return strings.Contains(s, "● ticks OPEN") && strings.Contains(s, "✕ private") && strings.Contains(s, "HTTP 401") &&
			strings.Contains(s, "tick t-3") && strings.Contains(s, `"name":"tick-3"`)
	})
	if !strings.Contains(s, "livefeed · command line") || !strings.Contains(s, "Events") || !strings.Contains(s, "1 of 2 CLOSED") {
		t.Errorf("header, pane or partly-closed note missing:\n%s", s)
	}
	if _, err := tm("send-keys", "-t", "0", "Up", "Enter"); err != nil {
		t.Fatal(err)
	}
	waitFor("the inspector", func(s string) bool {
		return strings.Contains(s, "event ticks / tick") && strings.Contains(s, `"name": "tick-`)
	})
	// Escape and a key sent together read as alt+key: one at a time.
	if _, err := tm("send-keys", "-t", "0", "Escape"); err != nil {
		t.Fatal(err)
	}
	waitFor("the log again", func(s string) bool { return !strings.Contains(s, "event ticks / tick") })
	if _, err := tm("send-keys", "-t", "0", "i"); err != nil {
		t.Fatal(err)
	}
	waitFor("the feed inspector", func(s string) bool {
		return strings.Contains(s, "2 feeds of Events") && strings.Contains(s, "401 Unauthorized")
	})
	if _, err := tm("send-keys", "-t", "0", "Escape"); err != nil {
		t.Fatal(err)
	}
	waitFor("the log after the feed inspector", func(s string) bool { return !strings.Contains(s, "2 feeds of Events") })
	if _, err := tm("send-keys", "-t", "0", "q"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, err := tm("has-session", "-t", "0"); err != nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("q did not end quick mode; screen:\n%s", screen())
		}
		time.Sleep(100 * time.Millisecond)
	}
}
