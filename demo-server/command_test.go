package demoserver

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// buildLivefeed builds the livefeed command once per test binary run.
var buildLivefeed = sync.OnceValues(func() (string, error) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	dir, err := os.MkdirTemp("", "livefeed-demoserver-test-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "livefeed")
	out, err := exec.Command(goTool, "build", "-o", bin, "github.com/livefeed/livefeed").CombinedOutput()
	if err != nil {
		return "", errors.New("go build github.com/livefeed/livefeed: " + err.Error() + "\n" + string(out))
	}
	return bin, nil
})

// TestMain removes the binary built for the command tests. It also lets the
// test binary act as the load client process of BenchmarkIdleSubscribers.
func TestMain(m *testing.M) {
	if url := os.Getenv("LIVEFEED_LOAD_CLIENT_URL"); url != "" {
		n, _ := strconv.Atoi(os.Getenv("LIVEFEED_LOAD_CLIENT_N"))
		os.Exit(runLoadClient(url, n))
	}
	code := m.Run()
	if bin, err := buildLivefeed(); err == nil {
		os.RemoveAll(filepath.Dir(bin))
	}
	os.Exit(code)
}

var listeningLine = regexp.MustCompile(`^demo-server: listening on (http://127\.0\.0\.1:\d+) \(`)

// startCommand runs `livefeed demo-server args...` and returns its URL from
// the line it prints on stderr.
func startCommand(t *testing.T, args ...string) (*exec.Cmd, string, *cmdOutput) {
	t.Helper()
	return startCommandEnv(t, nil, args...)
}

// startCommandEnv is startCommand with extra environment variables.
func startCommandEnv(t *testing.T, env []string, args ...string) (*exec.Cmd, string, *cmdOutput) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the livefeed binary; skipped with -short")
	}
	bin, err := buildLivefeed()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, append([]string{"demo-server"}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	br := bufio.NewReader(stderr)
	line, err := br.ReadString('\n')
	if err != nil {
		t.Fatalf("reading the listening line: %v (got %q)", err, line)
	}
	m := listeningLine.FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("first stderr line %q does not say where the server listens", line)
	}
	rest := &cmdOutput{done: make(chan struct{})}
	go func() { _, _ = io.Copy(&rest.buf, br); close(rest.done) }()
	return cmd, m[1], rest
}

// cmdOutput is the rest of a command's stderr after the listening line.
type cmdOutput struct {
	buf  bytes.Buffer
	done chan struct{}
}

// String waits for the command to close stderr (it has exited) and returns
// what it wrote.
func (o *cmdOutput) String() string {
	select {
	case <-o.done:
		return o.buf.String()
	case <-time.After(10 * time.Second):
		return "(stderr still open after 10s)"
	}
}

// TestCommandSignals: on SIGTERM or SIGINT every client gets a final shutdown
// event, the connection closes and the command exits 0.
func TestCommandSignals(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			cmd, url, _ := startCommand(t, "--addr", "127.0.0.1:0", "--rate", "20", "--seed", "3")
			ctx := testContext(t)
			single := openStream(t, ctx, url+"/events/stocks", "")
			multi := openStream(t, ctx, url+"/events?topics=sports,news", "")
			single.mustEvent(t)
			multi.mustEvent(t)

			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			for name, st := range map[string]*sseStream{"single": single, "multi": multi} {
				for {
					b, err := st.nextEvent()
					if err != nil {
						t.Fatalf("%s stream ended without a shutdown event: %v", name, err)
					}
					if b.Event == "shutdown" {
						break
					}
				}
				if _, err := st.next(); err != io.EOF {
					t.Errorf("%s stream after shutdown: %v, want a clean end", name, err)
				}
			}
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			select {
			case err := <-exited:
				if err != nil {
					t.Fatalf("demo-server exited with %v, want status 0", err)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("demo-server did not exit within 10s of the signal")
			}
		})
	}
}

func TestCommandErrors(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the livefeed binary; skipped with -short")
	}
	bin, err := buildLivefeed()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args   []string
		status int
		msg    string
	}{
		{[]string{"--rate", "fast"}, 2, "-rate"},
		{[]string{"--rate", "-3"}, 2, "-rate"},
		{[]string{"--retry", "-1"}, 2, "--retry -1"},
		{[]string{"--history", "-1", "--heartbeat", "1ns"}, 2, "heartbeat 1ns: want 0 (off) or at least 10ms; history -1: want 0 to 1000000"},
		{[]string{"extra"}, 2, `unexpected argument "extra"`},
		{[]string{"--addr", "127.0.0.1:99999"}, 1, "invalid port"},
	} {
		cmd := exec.Command(bin, append([]string{"demo-server"}, tc.args...)...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		done := make(chan error, 1)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
			t.Fatalf("demo-server %v kept running", tc.args)
		}
		if code := cmd.ProcessState.ExitCode(); code != tc.status || !strings.Contains(stderr.String(), tc.msg) {
			t.Errorf("demo-server %v: exit %d, stderr %q; want exit %d mentioning %q", tc.args, code, stderr.String(), tc.status, tc.msg)
		}
	}
}

// TestCommandPublishToken: the token comes from --publish-token or, without
// the flag, from $LIVEFEED_PUBLISH_TOKEN; the flag wins.
func TestCommandPublishToken(t *testing.T) {
	for _, tc := range []struct {
		name  string
		env   []string
		args  []string
		token string
	}{
		{"env", []string{"LIVEFEED_PUBLISH_TOKEN=from-env"}, nil, "from-env"},
		{"flag wins", []string{"LIVEFEED_PUBLISH_TOKEN=from-env"}, []string{"--publish-token", "from-flag"}, "from-flag"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmd, url, stderr := startCommandEnv(t, tc.env, append([]string{"--addr", "127.0.0.1:0", "--rate", "0"}, tc.args...)...)
			post := func(auth string) int {
				req, _ := http.NewRequest(http.MethodPost, url+"/publish", strings.NewReader(`{"topic":"news","data":1}`))
				if auth != "" {
					req.Header.Set("Authorization", auth)
				}
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				return resp.StatusCode
			}
			if got := post(""); got != http.StatusUnauthorized {
				t.Errorf("without a token: %d, want 401", got)
			}
			if got := post("Bearer from-env-x"); got != http.StatusUnauthorized {
				t.Errorf("wrong token: %d, want 401", got)
			}
			if got := post("Bearer " + tc.token); got != http.StatusAccepted {
				t.Errorf("with the token: %d, want 202", got)
			}
			_ = cmd.Process.Signal(syscall.SIGTERM)
			_ = cmd.Wait()
			if out := stderr.String(); !strings.Contains(out, "POST /publish requires") || strings.Contains(out, tc.token) {
				t.Errorf("stderr %q: want a note that /publish needs the token, without the token", out)
			}
		})
	}
}
