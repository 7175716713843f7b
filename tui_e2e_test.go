package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The dashboard end to end, in tmux at 120×36: a separate demo server, the
// real binary on a config pointing at it, the panes filling, the server
// going away (CONNECTING with a countdown) and coming back (OPEN, new data),
// keys, and a clean exit with the summary in the log.
func TestTUIEndToEndInTmux(t *testing.T) {
	tmux := e2eTmux(t)
	dir := t.TempDir()
	bin := testBinary(t)

	port := tuiFreePort(t)
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	server := tuiStartDemo(t, bin, addr)

	cfg := filepath.Join(dir, "e2e.yaml")
	logFile := filepath.Join(dir, "livefeed.log")
	tuiWriteFile(t, cfg, fmt.Sprintf(`
feeds:
  stocks: { url: "http://%[1]s/events/stocks" }
  news:   { url: "http://%[1]s/events/news" }
panes:
  - id: prices
    type: table
    title: Prices
    feed: stocks
    events: [quote]
    key: symbol
    columns:
      - { title: Symbol, path: symbol }
      - { title: Price, path: price, format: "%%.2f" }
  - { id: everything, type: log, title: Everything else }
layout:
  - [prices: 2, everything: 1]
`, addr))

	sock := fmt.Sprintf("livefeed-e2e-%d-%d", os.Getpid(), time.Now().UnixNano())
	tm := func(args ...string) (string, error) {
		out, err := exec.Command(tmux, append([]string{"-L", sock, "-f", "/dev/null"}, args...)...).CombinedOutput()
		return string(out), err
	}
	t.Cleanup(func() { _, _ = tm("kill-server") })
	cmdline := fmt.Sprintf("%s --config %s --log-file %s", tuiShellQuote(bin), tuiShellQuote(cfg), tuiShellQuote(logFile))
	if out, err := tm("new-session", "-d", "-x", "120", "-y", "36", "env", "TERM=xterm-256color", "sh", "-c", cmdline); err != nil {
		t.Fatalf("tmux new-session: %v\n%s", err, out)
	}
	screen := func() string {
		out, err := tm("capture-pane", "-p", "-t", "0")
		if err != nil {
			return ""
		}
		return out
	}
	waitFor := func(what string, ok func(string) bool) string {
		t.Helper()
		return waitScreen(t, screen, logFile, what, ok)
	}
	symbol := regexp.MustCompile(`(?m)^[│┃] (AAPL|MSFT|GOOGL|AMZN|NVDA|META|TSLA|JPM|V|NFLX|AMD|DIS) +[▲▼•]?\d+\.\d\d`) // ┃: the focused pane; ▲▼: change cues
	total := regexp.MustCompile(`([\d,]+) events`)
	events := func(s string) int {
		m := total.FindStringSubmatch(s)
		if m == nil {
			return -1
		}
		n, _ := strconv.Atoi(strings.ReplaceAll(m[1], ",", ""))
		return n
	}

	// The panes fill and both chips say OPEN.
	waitFor("live prices and OPEN chips", func(s string) bool {
		return symbol.MatchString(s) && strings.Contains(s, "● stocks OPEN") && strings.Contains(s, "● news OPEN")
	})

	// The server goes away: CONNECTING with a live countdown; the table is
	// dimmed with its age, not covered.
	server.stop(t)
	down := waitFor("CONNECTING with a countdown", func(s string) bool {
		return strings.Contains(s, "◌ stocks CONNECTING · retry in") && strings.Contains(s, "CONNECTING · last event")
	})
	if !symbol.MatchString(down) {
		t.Errorf("the prices disappeared while disconnected:\n%s", down)
	}
	before := events(down)

	// Back on the same port: OPEN again and new events arrive.
	tuiStartDemo(t, bin, addr)
	waitFor("OPEN again with new events", func(s string) bool {
		return strings.Contains(s, "● stocks OPEN") && events(s) > before+3
	})

	// Keys: tab moves the focus to the log, z zooms it, ? shows the help.
	if _, err := tm("send-keys", "-t", "0", "Tab", "z"); err != nil {
		t.Fatal(err)
	}
	waitFor("the log zoomed", func(s string) bool {
		return strings.Contains(s, "Everything else") && !strings.Contains(s, "Prices")
	})
	if _, err := tm("send-keys", "-t", "0", "z", "?"); err != nil {
		t.Fatal(err)
	}
	waitFor("the help", func(s string) bool {
		return strings.Contains(s, "Keys") && strings.Contains(s, "reconnect all") && strings.Contains(s, "ctrl+c always quits")
	})
	if _, err := tm("send-keys", "-t", "0", "?"); err != nil {
		t.Fatal(err)
	}
	waitFor("the panes again", func(s string) bool {
		return strings.Contains(s, "Prices") && strings.Contains(s, "Everything else") && !strings.Contains(s, "reconnect all")
	})

	// f: the connections view shows both feeds' responses and the
	// reconnect; Enter shows the attempts, the first dropped with the server.
	if _, err := tm("send-keys", "-t", "0", "f"); err != nil {
		t.Fatal(err)
	}
	waitFor("the connections view", func(s string) bool {
		return strings.Contains(s, "connections · 2 feeds") && strings.Contains(s, "HTTP/1.1 200 OK · text/event-stream") &&
			strings.Contains(s, "1 reconnect") && strings.Contains(s, "stocks  OPEN since")
	})
	if _, err := tm("send-keys", "-t", "0", "Enter"); err != nil {
		t.Fatal(err)
	}
	waitFor("the stocks connection's details", func(s string) bool {
		return strings.Contains(s, "connection stocks") && strings.Contains(s, "Content-Type: text/event-stream")
	})
	if _, err := tm("send-keys", "-t", "0", "G"); err != nil {
		t.Fatal(err)
	}
	waitFor("the attempts", func(s string) bool {
		return strings.Contains(s, "attempts · newest first") && strings.Contains(s, " dropped ") && strings.Contains(s, " open ")
	})
	// One Escape at a time: two in a row read as one alt+esc.
	if _, err := tm("send-keys", "-t", "0", "Escape"); err != nil {
		t.Fatal(err)
	}
	waitFor("the connections view again", func(s string) bool {
		return strings.Contains(s, "connections · 2 feeds") && !strings.Contains(s, "connection stocks")
	})
	if _, err := tm("send-keys", "-t", "0", "Escape"); err != nil {
		t.Fatal(err)
	}
	waitFor("the panes after the connections view", func(s string) bool {
		return strings.Contains(s, "Prices") && !strings.Contains(s, "connections · 2 feeds")
	})

	// q quits: the program ends, and with it the tmux session.
	if _, err := tm("send-keys", "-t", "0", "q"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, err := tm("has-session", "-t", "0"); err != nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("q did not end the program; screen:\n%s", screen())
		}
		time.Sleep(100 * time.Millisecond)
	}

	// The log has the summary record, with every event accounted for.
	var summary map[string]any
	for _, line := range strings.Split(tuiReadFile(logFile), "\n") {
		var rec map[string]any
		if json.Unmarshal([]byte(line), &rec) == nil && rec["msg"] == "summary" {
			summary = rec
		}
	}
	if summary == nil {
		t.Fatalf("no summary record in the log:\n%s", tuiReadFile(logFile))
	}
	ev, _ := summary["events"].(float64)
	routed, _ := summary["routed"].(float64)
	if ev <= float64(before) || routed < ev {
		t.Errorf("summary = %v", summary)
	}
}

type tuiDemo struct{ cmd *exec.Cmd }

// tuiStartDemo runs `livefeed demo-server` as its own process and waits for
// its "listening on" line.
func tuiStartDemo(t *testing.T, bin, addr string) *tuiDemo {
	t.Helper()
	cmd := exec.Command(bin, "demo-server", "--addr", addr, "--retry", "500")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	d := &tuiDemo{cmd: cmd}
	t.Cleanup(func() { d.stop(t) })
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if line := sc.Text(); strings.Contains(line, "demo-server: listening on http://") {
				ready <- line
			}
		}
	}()
	select {
	case <-ready:
	case <-time.After(10 * time.Second):
		t.Fatalf("demo server on %s did not start", addr)
	}
	return d
}

func (d *tuiDemo) stop(t *testing.T) {
	if d.cmd.ProcessState != nil || d.cmd.Process == nil {
		return
	}
	_ = d.cmd.Process.Kill()
	_ = d.cmd.Wait()
}

// tuiFreePort finds a loopback port that is free now, so that the demo
// server can be restarted on the same one.
func tuiFreePort(t *testing.T) int {
	t.Helper()
	ln, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func tuiWriteFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// waitScreen polls screen for up to 10 s until ok accepts it, and fails
// the test with the last screen and the log file otherwise.
func waitScreen(t *testing.T, screen func() string, logFile, what string, ok func(string) bool) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	var s string
	for time.Now().Before(deadline) {
		if s = screen(); ok(s) {
			return s
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s; screen:\n%s\nlog:\n%s", what, s, tuiReadFile(logFile))
	return ""
}

func tuiReadFile(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	return string(bytes.TrimSpace(b))
}

func tuiShellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }
