//go:build linux

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// shortRun is a ~2 s run at a low rate: it exercises every part of the
// harness without loading the machine. Nothing here asserts a timing.
func shortRun(bin string, env ...string) options {
	return options{
		duration:    2 * time.Second,
		warmup:      500 * time.Millisecond,
		rate:        2000,
		feeds:       3,
		bin:         bin,
		cols:        120,
		rows:        36,
		keyInterval: 100 * time.Millisecond,
		keyDelay:    200 * time.Millisecond,
		connect:     10 * time.Second,
		drainMin:    300 * time.Millisecond,
		drainMax:    5 * time.Second,
		env:         env,
		command:     "test",
	}
}

// checkReport checks that a run measured everything and lost nothing.
func checkReport(t *testing.T, rep *Report, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("run failed: %v", err)
	}
	var table bytes.Buffer
	rep.WriteTable(&table)
	t.Logf("report:\n%s", table.String())
	if rep.Summary == nil || len(rep.Summary.Missing) > 0 {
		t.Fatalf("summary record incomplete: %+v", rep.Summary)
	}
	perFeed := 2000.0 / 3
	if rep.TargetProduced != 3*int64(perFeed*2) || rep.Produced != rep.TargetProduced {
		t.Errorf("produced %d events, want %d", rep.Produced, rep.TargetProduced)
	}
	if rep.Unaccounted != 0 {
		t.Errorf("%d events unaccounted for: %+v", rep.Unaccounted, rep.Feeds)
	}
	for _, f := range rep.Feeds {
		if f.Produced == 0 || f.Received != f.Produced || f.Connections != 1 {
			t.Errorf("feed %+v", f)
		}
	}
	if rep.ExitedBy != "q" {
		t.Errorf("exited by %s (%s), want q", rep.ExitedBy, rep.ExitStatus)
	}
	if rep.Keys == 0 || rep.KeysMissed == rep.Keys {
		t.Errorf("%d key presses, %d missed: the focus change was never seen", rep.Keys, rep.KeysMissed)
	}
	if rep.FirstTitleMs < 0 || rep.FirstOutputMs < 0 {
		t.Errorf("first output %v ms, first title %v ms: a pane title never appeared", rep.FirstOutputMs, rep.FirstTitleMs)
	}
	if rep.CPUSteadyPct < 0 || rep.PeakRSSMB <= 0 || rep.TermBytes == 0 || rep.TermBytesSteadyPS < 0 {
		t.Errorf("resources not measured: cpu %v%%, rss %v MB, %d bytes (%v/s)", rep.CPUSteadyPct, rep.PeakRSSMB, rep.TermBytes, rep.TermBytesSteadyPS)
	}
	if rep.Summary.Frames == 0 || rep.FramesOverallPS <= 0 {
		t.Errorf("no frames: %+v", rep.Summary)
	}
	if len(rep.Samples) < 2 {
		t.Errorf("%d samples", len(rep.Samples))
	}
	want := []string{"events unaccounted", "CPU at steady state", "peak RSS", "key → frame p50 / p99",
		"bytes to terminal at steady state", "first frame (program's first_frame_ms)", "first frame (pane title on the pty)"}
	for _, name := range want {
		found := false
		for _, m := range rep.Metrics {
			if m.Name == name || strings.HasPrefix(m.Name, name) {
				found = m.Status != "n/a"
			}
		}
		if !found {
			t.Errorf("metric %q missing or n/a", name)
		}
	}
	if _, err := json.Marshal(rep); err != nil {
		t.Errorf("report does not encode as JSON: %v", err)
	}
}

func TestHarnessAgainstStandIn(t *testing.T) {
	t.Parallel()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	rep, err := run(context.Background(), shortRun(self, fakeEnv+"=1"))
	checkReport(t, rep, err)
	for _, q := range []string{"decrqm 2026", "osc 11"} {
		if rep.Queries[q] == 0 {
			t.Errorf("query %q not answered: %v", q, rep.Queries)
		}
	}
	if rep.TermSyncFramesPS <= 0 {
		t.Errorf("no synchronized updates seen, though the stand-in uses them once the query is answered")
	}
}

// TestHarnessAgainstLivefeed runs the real TUI through the harness for two
// seconds: a report that is complete and loses no event.
func TestHarnessAgainstLivefeed(t *testing.T) {
	t.Parallel()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "cmd_tui.go")); err != nil {
		t.Skip("the livefeed TUI (cmd_tui.go) is not there yet; this test runs once it is")
	}
	bin := filepath.Join(t.TempDir(), "livefeed")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build livefeed: %v\n%s", err, out)
	}
	rep, err := run(context.Background(), shortRun(bin))
	checkReport(t, rep, err)
}

func TestParseOptions(t *testing.T) {
	var errOut bytes.Buffer
	o, asJSON, err := parseOptions([]string{"--duration", "10s", "--json", "--env", "A=B", "--arg=--x"}, &errOut)
	if err != nil || !asJSON || o.warmup != 2500*time.Millisecond || o.rate != 100000 || o.feeds != 3 ||
		o.cols != 120 || o.rows != 36 || strings.Join(o.env, ",") != "A=B" || strings.Join(o.args, ",") != "--x" {
		t.Fatalf("options %+v json=%v err=%v", o, asJSON, err)
	}
	for _, bad := range [][]string{
		{"--duration", "10ms"}, {"--rate", "0"}, {"--feeds", "0"}, {"--warmup", "30s"}, {"--env", "X"}, {"extra"},
	} {
		if _, _, err := parseOptions(bad, &errOut); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func TestChildEnv(t *testing.T) {
	env := childEnv([]string{"HOME=/h", "NO_COLOR=1", "TERM=dumb", "TMUX=x", "PATH=/bin"}, []string{"X=1"})
	got := strings.Join(env, " ")
	want := "HOME=/h PATH=/bin TERM=xterm-256color COLORTERM=truecolor LIVEFEED_FRAME_LOG=1 X=1"
	if got != want {
		t.Fatalf("env %q, want %q", got, want)
	}
}
