//go:build linux

package main

import (
	"fmt"
	"net"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The log file never holds a feed's password or tokens: not in "feed
// starting", not in the connection errors of "feed state" (net/http puts
// the URL in them), not in the summary.
func TestTUILogRedactsSecrets(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary; skipped with -short")
	}
	dir := t.TempDir()
	bin := e2eBuild(t, dir)
	// A port that refuses connections: the feed logs its errors.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cfg := filepath.Join(dir, "secrets.yaml")
	tuiWriteFile(t, cfg, fmt.Sprintf(`
feeds:
  f:
    url: "http://alice:${PW:-pw-SECRET1}@%s/e?api_key=${K:-SECRET2}&topic=x&sig=${T:-SECRET3}"
    headers: { Authorization: "Bearer ${A:-SECRET4}" }
    retry: 100ms
panes:
  - { id: raw, type: log }
`, addr))
	r := startPTY(t, bin, dir, true, "--config", cfg)
	logFile := filepath.Join(dir, "livefeed.log")
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(tuiReadFile(logFile), `"err"`) && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	_ = r.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-r.exited:
	case <-time.After(5 * time.Second):
		t.Fatal("livefeed did not exit")
	}
	log := tuiReadFile(logFile)
	if !strings.Contains(log, `"err"`) || !strings.Contains(log, "feed starting") {
		t.Fatalf("the log has no feed start or error to check:\n%s", log)
	}
	if !strings.Contains(log, "alice:***@") || !strings.Contains(log, "api_key=***&topic=x&sig=***") {
		t.Errorf("the log lacks the redacted URL:\n%s", log)
	}
	for _, s := range []string{"SECRET1", "SECRET2", "SECRET3", "SECRET4"} {
		if strings.Contains(log, s) {
			t.Errorf("the log holds %s:\n%s", s, log)
		}
	}
}
