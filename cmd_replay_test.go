package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/livefeed/livefeed/capture"
	"github.com/livefeed/livefeed/config"
	demoserver "github.com/livefeed/livefeed/demo-server"
	"github.com/livefeed/livefeed/feed"
	"github.com/livefeed/livefeed/live"
	"github.com/livefeed/livefeed/replay"
)

func noEnv(string) (string, bool) { return "", false }

// paneEvents routes events as the dashboard does and lists, for each pane,
// each feed's events in order (feeds interleave by arrival, which a replay
// keeps only to the millisecond).
func paneEvents(cfg *config.Config, lines []capture.Line) map[string]map[string][]fte {
	r := live.NewRouter(cfg)
	out := map[string]map[string][]fte{}
	for _, l := range lines {
		if l.Kind != capture.KindEvent {
			continue
		}
		for _, id := range r.Route(l.Feed, l.Event.Type) {
			if out[id] == nil {
				out[id] = map[string][]fte{}
			}
			out[id][l.Feed] = append(out[id][l.Feed], fte{l.Feed, l.Event.Type, l.Event.ID, l.Event.Data})
		}
	}
	return out
}

// runAndRecord runs cfg's feeds, recording what the runtime delivers, until
// stop says so or every feed is CLOSED.
func runAndRecord(t *testing.T, ctx context.Context, cfg *config.Config, stop func([]capture.Line) bool) []capture.Line {
	t.Helper()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	rt := live.New(ctx, nil)
	var buf bytes.Buffer
	w := capture.NewWriter(&buf, "")
	rt.Record(w)
	if err := rt.Apply(cfg, config.Changes{}, true); err != nil {
		t.Fatal(err)
	}
	closed := map[string]bool{}
	var lines []capture.Line
	for !stop(lines) && len(closed) < len(cfg.Feeds) {
		f, ok := rt.NextFrame(ctx, time.Time{}, 0)
		if !ok {
			t.Fatal("runtime ended before the test did")
		}
		for _, b := range f.Batches {
			if b.Status != nil && b.Status.State == feed.Closed {
				closed[b.Feed] = true
			}
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		var err error
		if lines, err = capture.ReadAll(bytes.NewReader(buf.Bytes())); err != nil {
			t.Fatal(err)
		}
	}
	rt.StopAll(5 * time.Second)
	return lines
}

// A capture of the demo dashboard, replayed into the built-in config, fills
// the same panes with the same events.
func TestReplayDemoDashboardIntoBuiltinConfig(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	opts := demoserver.DefaultOptions()
	opts.Addr, opts.Seed, opts.Rate, opts.ShutdownTimeout = "127.0.0.1:0", 7, 40, time.Second
	demoCtx, stopDemo := context.WithCancel(ctx)
	demo, err := demoserver.Start(demoCtx, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { stopDemo(); <-demo.Done() }()
	env := func(n string) (string, bool) {
		if n == config.EnvDemoURL {
			return demo.URL(), true
		}
		return "", false
	}
	builtin, err := config.Load(config.Location{}, env)
	if err != nil {
		t.Fatal(err)
	}
	events := func(lines []capture.Line) int {
		n := 0
		for _, l := range lines {
			if l.Kind == capture.KindEvent {
				n++
			}
		}
		return n
	}
	recorded := runAndRecord(t, ctx, builtin, func(l []capture.Line) bool { return events(l) >= 120 })
	stopDemo()

	rec, err := replay.NewRecording(recorded, replay.Select{})
	if err != nil {
		t.Fatal(err)
	}
	srv := replay.New(rec, replay.Options{Speed: 4, Retry: 10 * time.Millisecond})
	srvCtx, stopSrv := context.WithCancel(ctx)
	defer stopSrv()
	run, err := srv.Start(srvCtx, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	// No --config, and the dashboard would use the built-in config: that
	// config it is, every feed pointed at the replay.
	cfg, err := replayConfig(rec, run.FeedURL, "", "demo.ndjson", func(n string) (string, bool) {
		if n == "XDG_CONFIG_HOME" {
			return t.TempDir(), true
		}
		return "", false
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Panes) != len(builtin.Panes) || cfg.Name != "" {
		t.Fatalf("panes %d, want the built-in %d (config %q)", len(cfg.Panes), len(builtin.Panes), cfg.Name)
	}
	for _, f := range cfg.Feeds {
		if f.URL != run.FeedURL(f.Name) {
			t.Errorf("feed %s goes to %s", f.Name, f.URL)
		}
	}
	replayed := runAndRecord(t, ctx, cfg, func([]capture.Line) bool { return false })

	want, got := paneEvents(builtin, recorded), paneEvents(cfg, replayed)
	if len(want) < 4 {
		t.Fatalf("the recording filled only %d panes: %v", len(want), recorded)
	}
	if !reflect.DeepEqual(got, want) {
		for id := range want {
			if !reflect.DeepEqual(got[id], want[id]) {
				t.Errorf("pane %s:\n got %v\nwant %v", id, got[id], want[id])
			}
		}
	}
	for _, l := range replayed {
		if l.Kind == capture.KindState && l.State == "closed" && l.Status != 204 {
			t.Errorf("replayed feed closed by %+v", l)
		}
	}
}

func TestReplayConfigs(t *testing.T) {
	lines := []capture.Line{
		{Kind: capture.KindEvent, Feed: "http://127.0.0.1:8080/events/stocks", Time: time.Unix(0, 0)},
		{Kind: capture.KindEvent, Feed: "http://other:9/x/stocks", Time: time.Unix(1, 0)},
		{Kind: capture.KindEvent, Feed: "news", Time: time.Unix(2, 0)},
		{Kind: capture.KindEvent, Feed: "ünï code", Time: time.Unix(2, 0)},
	}
	rec, err := replay.NewRecording(lines, replay.Select{})
	if err != nil {
		t.Fatal(err)
	}
	url := func(n string) string { return "http://127.0.0.1:1" + replay.Path(n) }
	xdg := func(n string) (string, bool) {
		if n == "XDG_CONFIG_HOME" {
			return t.TempDir(), true
		}
		return "", false
	}
	// tail's captures name feeds by URL: quick mode, one log pane.
	cfg, err := replayConfig(rec, url, "", "cap.ndjson", xdg)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range cfg.Feeds {
		names = append(names, f.Name+"="+f.URL)
	}
	want := []string{
		"stocks=" + url("http://127.0.0.1:8080/events/stocks"),
		"other_9_x_stocks=" + url("http://other:9/x/stocks"),
		"news=" + url("news"),
		"n__code=" + url("ünï code"),
	}
	if fmt.Sprint(names) != fmt.Sprint(want) {
		t.Errorf("feeds %q\nwant %q", names, want)
	}
	if len(cfg.Panes) != 1 || cfg.Panes[0].Type != "log" || cfg.Name != "cap.ndjson" {
		t.Errorf("panes %+v, name %q", cfg.Panes, cfg.Name)
	}

	// With --config, the file's feeds take the capture's of the same name;
	// one the capture lacks still points at the replay (which says 404).
	path := filepath.Join(t.TempDir(), "c.yaml")
	yaml := "feeds:\n  news: { url: \"https://news.example/sse\", headers: { Authorization: \"Bearer ${T:-x}\" } }\n  gone: { url: \"https://gone.example\" }\n"
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err = replayConfig(rec, url, path, "cap.ndjson", noEnv)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Feed("news").URL != url("news") || cfg.Feed("gone").URL != url("gone") || cfg.Feed("news").Headers != nil {
		t.Errorf("mapped feeds: %+v %+v", cfg.Feed("news"), cfg.Feed("gone"))
	}
	if _, err := replayConfig(rec, url, filepath.Join(t.TempDir(), "none.yaml"), "cap.ndjson", noEnv); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("missing --config: %v", err)
	}
}

func TestReplayFlags(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "c.ndjson")
	if err := os.WriteFile(good, []byte(`{"time":"2026-12-02T07:00:00Z","kind":"event","feed":"a","type":"message","id":"","data":"x"}`+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "e.ndjson")
	_ = os.WriteFile(empty, nil, 0o600)
	junk := filepath.Join(dir, "j.ndjson")
	_ = os.WriteFile(junk, []byte("hello\nworld\n"), 0o600)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"replay"}, "want one capture FILE"},
		{[]string{"replay", good, "--speed", "-1"}, "--speed"},
		{[]string{"replay", good, "--feeds", "zz"}, `"zz" not in the capture (it has "a")`},
		{[]string{"replay", good, "--from", "tomorrow"}, "--from"},
		{[]string{"replay", good, "--from", "1h"}, "no events after --from"},
		{[]string{"replay", good, "--config", "x.yaml"}, "go with --tui"},
		{[]string{"replay", empty}, "is empty"},
		{[]string{"replay", junk}, "is not a capture"},
		{[]string{"replay", filepath.Join(dir, "nope")}, "no such file"},
		{[]string{"replay", good, "--tui"}, "needs a terminal"},
	} {
		err := dispatch(t.Context(), tc.args, &bytes.Buffer{}, &bytes.Buffer{})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: %v, want %q", tc.args, err, tc.want)
		}
	}
}

func TestParseFrom(t *testing.T) {
	first := time.Date(2026, 12, 2, 7, 0, 0, 0, time.FixedZone("CET", 3600))
	for in, want := range map[string]time.Time{
		"2026-12-02T06:30:00Z": time.Date(2026, 12, 2, 6, 30, 0, 0, time.UTC),
		"90s":                  first.Add(90 * time.Second),
		"+5m":                  first.Add(5 * time.Minute),
		"07:01:02.5":           time.Date(2026, 12, 2, 7, 1, 2, 5e8, first.Location()),
		"07:30":                time.Date(2026, 12, 2, 7, 30, 0, 0, first.Location()),
	} {
		got, err := parseFrom(in, first)
		if err != nil || !got.Equal(want) {
			t.Errorf("parseFrom(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
}
