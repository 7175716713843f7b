package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/livefeed/livefeed/capture"
)

// The real binary in tmux: the dashboard records while the demo runs and
// exports a pane with e; then replay --tui shows the recording in the same
// panes, and its keys pause it.
func TestRecordExportAndReplayInTmux(t *testing.T) {
	tmux := e2eTmux(t)
	dir := t.TempDir()
	bin := testBinary(t)
	addr := fmt.Sprintf("127.0.0.1:%d", tuiFreePort(t))
	server := tuiStartDemo(t, bin, addr)
	cfg := filepath.Join(dir, "e2e.yaml")
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
	rec := filepath.Join(dir, "rec.ndjson")
	logFile := filepath.Join(dir, "livefeed.log")

	sock := fmt.Sprintf("livefeed-rec-%d-%d", os.Getpid(), time.Now().UnixNano())
	tm := func(args ...string) (string, error) {
		out, err := exec.Command(tmux, append([]string{"-L", sock, "-f", "/dev/null"}, args...)...).CombinedOutput()
		return string(out), err
	}
	t.Cleanup(func() { _, _ = tm("kill-server") })
	run := func(session, cmdline string) {
		t.Helper()
		if out, err := tm("new-session", "-d", "-s", session, "-x", "120", "-y", "36", "-c", dir, "env", "TERM=xterm-256color", "sh", "-c", cmdline); err != nil {
			t.Fatalf("tmux new-session: %v\n%s", err, out)
		}
	}
	screen := func(session string) string {
		out, _ := tm("capture-pane", "-p", "-t", session)
		return out
	}
	waitFor := func(session, what string, ok func(string) bool) string {
		t.Helper()
		deadline := time.Now().Add(15 * time.Second)
		var s string
		for time.Now().Before(deadline) {
			if s = screen(session); ok(s) {
				return s
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Fatalf("timed out waiting for %s; screen:\n%s\nlog:\n%s", what, s, tuiReadFile(logFile))
		return ""
	}
	keys := func(session string, k ...string) {
		t.Helper()
		if _, err := tm(append([]string{"send-keys", "-t", session}, k...)...); err != nil {
			t.Fatal(err)
		}
	}
	waitGone := func(session string) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			if _, err := tm("has-session", "-t", session); err != nil {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("q did not end %s; screen:\n%s", session, screen(session))
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	rows := regexp.MustCompile(`(?m)^[│┃] (AAPL|MSFT|GOOGL|AMZN|NVDA|META|TSLA|JPM|V|NFLX|AMD|DIS) +[▲▼•]?\d+\.\d\d`) // ┃: the focused pane; ▲▼: change cues

	// Record: the table fills, e exports it (the banner names the file), q.
	run("live", fmt.Sprintf("%s --config %s --log-file %s --record %s", tuiShellQuote(bin), tuiShellQuote(cfg), tuiShellQuote(logFile), tuiShellQuote(rec)))
	waitFor("live", "prices", func(s string) bool {
		return len(rows.FindAllString(s, -1)) >= 3 && strings.Contains(s, "● news OPEN")
	})
	keys("live", "e")
	banner := waitFor("live", "the export banner", func(s string) bool { return strings.Contains(s, "exported ") })
	keys("live", "q")
	waitGone("live")
	server.stop(t)
	exports, _ := filepath.Glob(filepath.Join(dir, "prices-*.csv"))
	if len(exports) != 1 || !strings.Contains(banner, filepath.Base(exports[0])[:10]) {
		t.Fatalf("exports %v; banner:\n%s", exports, banner)
	}
	if csv := tuiReadFile(exports[0]); !strings.HasPrefix(csv, "Symbol,Price,Symbol (raw),Price (raw),key,feed,type,id,time\n") {
		t.Errorf("export:\n%s", csv)
	}
	b, err := os.ReadFile(rec)
	if err != nil {
		t.Fatal(err)
	}
	lines, err := capture.ReadAll(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, l := range lines {
		seen[l.Feed+" "+l.Kind+" "+l.State]++
	}
	if seen["stocks state open"] == 0 || seen["news state open"] == 0 || seen["stocks event "] < 3 {
		t.Fatalf("the recording holds %v", seen)
	}

	// Replay it into the same config: the same table, and the replay keys.
	run("replay", fmt.Sprintf("%s replay --tui --speed 4 --config %s --log-file %s %s", tuiShellQuote(bin), tuiShellQuote(cfg), tuiShellQuote(logFile), tuiShellQuote(rec)))
	waitFor("replay", "the replayed prices", func(s string) bool {
		return len(rows.FindAllString(s, -1)) >= 3 && strings.Contains(s, "replay ×4")
	})
	keys("replay", "P")
	waitFor("replay", "paused", func(s string) bool { return strings.Contains(s, "· paused") })
	keys("replay", ">")
	waitFor("replay", "×8", func(s string) bool { return strings.Contains(s, "replay ×8") })
	keys("replay", "q")
	waitGone("replay")
}
