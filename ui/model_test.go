package ui

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/livefeed/livefeed/config"
	"github.com/livefeed/livefeed/feed"
	"github.com/livefeed/livefeed/live"
)

// demoEnv points the built-in config at a port nothing listens on; these
// tests never start the feeds anyway.
// dashboardYAML is the fixture the model tests run on: a dashboard like the
// built-in one, with a catch-all log, frozen so that the built-in config can
// change without rewriting these tests.
func dashboardYAML(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "dashboard.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func demoEnv(name string) (string, bool) {
	if name == config.EnvDemoURL {
		return "http://127.0.0.1:9", true
	}
	return "", false
}

// parseConfig parses and validates YAML as file name.
func parseConfig(t testing.TB, name, yaml string) *config.Config {
	t.Helper()
	cfg, problems := config.Check(strings.NewReader(yaml), config.Options{Name: name, Env: demoEnv})
	if err := problems.Err(); err != nil {
		t.Fatalf("config: %v", err)
	}
	return cfg
}

func demoConfig(t testing.TB) *config.Config {
	return parseConfig(t, "demo.yaml", dashboardYAML(t))
}

func newTestModel(t *testing.T, cfg *config.Config, w, h int) *Model {
	t.Helper()
	m := New(Options{Config: cfg, Clock: func() time.Time { return testNow }, Start: testNow.Add(-time.Second)})
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return m
}

func screen(m *Model) string { return ansi.Strip(m.View().Content) }

func status(name string, st feed.State) feed.Batch {
	s := &feed.Status{State: st, Attempt: 1}
	if st == feed.Open {
		s.HTTPStatus, s.ContentType = 200, "text/event-stream"
	}
	return feed.Batch{Feed: name, Time: testNow.Add(-10 * time.Second), Status: s}
}

func events(name string, at time.Time, evs ...feed.Event) feed.Batch {
	return feed.Batch{Feed: name, Time: at, Events: evs}
}

func quote(id int, sym string, price, change, pct float64, vol int) feed.Event {
	return feed.Event{Type: "quote", ID: fmt.Sprint(id), Data: fmt.Sprintf(
		`{"symbol":%q,"price":%.2f,"change":%.2f,"change_pct":%.2f,"volume":%d,"time":"2025-03-14T15:09:%02d.000Z"}`,
		sym, price, change, pct, vol, 10+id%10)}
}

func jsonEvent(typ, id string, v any) feed.Event {
	b, _ := json.Marshal(v)
	return feed.Event{Type: typ, ID: id, Data: string(b)}
}

// demoBatches is a frame of demo-like traffic: every feed open, then quotes,
// scores, a goal, headlines, notifications and one event no pane names.
func demoBatches() batchMsg {
	t0 := testNow.Add(-3 * time.Second)
	score := func(id int, league, home, away string, hs, as, min int, st string) feed.Event {
		return jsonEvent("score", fmt.Sprint(100+id), map[string]any{"match_id": id, "league": league, "home": home, "away": away,
			"home_score": hs, "away_score": as, "minute": min, "status": st})
	}
	return batchMsg{batches: []feed.Batch{
		status("stocks", feed.Open), status("sports", feed.Open), status("news", feed.Open),
		events("stocks", t0,
			quote(1, "AAPL", 227.91, 0.41, 0.18, 1203400),
			quote(2, "MSFT", 414.02, -1.18, -0.28, 3302100),
			quote(3, "NVDA", 119.84, 1.24, 1.05, 5120000),
			quote(4, "AAPL", 228.12, 0.62, 0.27, 1204100)),
		events("sports", t0,
			score(1, "Premier League", "Arsenal", "Chelsea", 2, 1, 67, "2H"),
			score(2, "La Liga", "Sevilla", "Valencia", 0, 0, 45, "HT"),
			jsonEvent("goal", "103", map[string]any{"match_id": 1, "team": "Arsenal", "player": "Saka", "minute": 66})),
		events("news", testNow.Add(-2*time.Second),
			jsonEvent("headline", "n1", map[string]any{"id": 1, "source": "City Desk", "title": "Harbour bridge reopens after repairs"}),
			jsonEvent("notification", "n2", map[string]any{"level": "warning", "title": "Maintenance", "body": "API read-only at 18:00"}),
			jsonEvent("weather", "n3", map[string]any{"city": "Oslo", "temp": -2})),
	}}
}

func TestModelGolden(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 36}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			m := newTestModel(t, demoConfig(t), size[0], size[1])
			m.Update(demoBatches())
			got := screen(m)
			checkScreenSize(t, got, size[0], size[1])
			golden.RequireEqual(t, got)
		})
	}
}

// checkScreenSize asserts the view is exactly w × h cells.
func checkScreenSize(t *testing.T, s string, w, h int) {
	t.Helper()
	lines := strings.Split(s, "\n")
	if len(lines) != h {
		t.Errorf("view has %d lines, want %d", len(lines), h)
	}
	for i, l := range lines {
		if got := ansi.StringWidth(l); got != w {
			t.Errorf("line %d is %d cells wide, want %d: %q", i, got, w, l)
		}
	}
}

func TestModelGoldenDisconnected(t *testing.T) {
	m := newTestModel(t, demoConfig(t), 120, 36)
	m.Update(demoBatches())
	m.Update(batchMsg{batches: []feed.Batch{
		{Feed: "stocks", Time: testNow, Status: &feed.Status{State: feed.Connecting, Attempt: 2,
			ReconnectIn: 3 * time.Second, ReconnectAt: testNow.Add(2400 * time.Millisecond), Err: feed.ErrStreamEnded}},
		{Feed: "news", Time: testNow, Status: &feed.Status{State: feed.Closed, Attempt: 1, HTTPStatus: 401, Err: &feed.HTTPError{Status: 401}}},
	}})
	got := screen(m)
	checkScreenSize(t, got, 120, 36)
	golden.RequireEqual(t, got)
	for _, want := range []string{"CONNECTING · last event 3s ago", "retry in 2.4s", "HTTP 401 Unauthorized"} {
		if !strings.Contains(got, want) {
			t.Errorf("screen lacks %q", want)
		}
	}
}

func TestModelAnySize(t *testing.T) {
	cfg := demoConfig(t)
	for _, w := range []int{1, 10, 30, 60, 80, 81, 100, 157, 240} {
		for _, h := range []int{1, 2, 3, 5, 8, 12, 24, 25, 50} {
			m := newTestModel(t, cfg, w, h)
			m.Update(demoBatches())
			checkScreenSize(t, screen(m), w, h)
			m.Update(press("z"))
			checkScreenSize(t, screen(m), w, h)
			m.Update(press("?"))
			checkScreenSize(t, screen(m), w, h)
		}
	}
}

func TestModelResize(t *testing.T) {
	m := newTestModel(t, demoConfig(t), 120, 36)
	m.Update(demoBatches())
	for _, s := range [][2]int{{80, 24}, {200, 50}, {90, 30}, {120, 36}} {
		m.Update(tea.WindowSizeMsg{Width: s[0], Height: s[1]})
		checkScreenSize(t, screen(m), s[0], s[1])
	}
}

// The summary record is the firehose benchmark's contract.
func TestSummaryRecord(t *testing.T) {
	var buf bytes.Buffer
	cfg := demoConfig(t)
	now := testNow
	m := New(Options{Config: cfg, Logger: slog.New(slog.NewJSONHandler(&buf, nil)), Clock: func() time.Time { return now },
		Start: testNow.Add(-40 * time.Millisecond), FrameLog: true})
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	m.Update(demoBatches())
	now = now.Add(live.MaxDataInterval) // the first screenful's bytes make the next data frame wait
	for i := range 250 {
		// A quote every 200 ms: each is drawn as it comes (data frames are
		// paced by their cost, and one quote costs a row or two).
		now = now.Add(200 * time.Millisecond)
		m.Update(batchMsg{batches: []feed.Batch{events("stocks", now, quote(10+i, "AAPL", 228+float64(i)/100, 0.5, 0.2, 1300000))}})
		m.View()
	}
	m.logSummary()
	var frames, summary map[string]any
	nFrames := 0
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		switch rec["msg"] {
		case "frames":
			frames = rec
			nFrames++
		case "summary":
			summary = rec
		}
	}
	if summary == nil {
		t.Fatalf("no summary record in %s", buf.String())
	}
	// A frame per Update that changed the screen: the resize, the demo
	// batches and the 250 quotes.
	want := map[string]float64{"events": 260, "routed": 260, "unrouted": 0, "dropped": 0, "frames": 252, "batches": 251, "first_frame_ms": 40}
	for k, v := range want {
		if got, _ := summary[k].(float64); got != v {
			t.Errorf("summary %s = %v, want %v", k, summary[k], v)
		}
	}
	perFeed, _ := summary["per_feed"].(map[string]any)
	if perFeed["stocks"] != float64(254) || perFeed["sports"] != float64(3) || perFeed["news"] != float64(3) {
		t.Errorf("per_feed = %v", perFeed)
	}
	if nFrames != 2 || frames["frames"] != float64(200) {
		t.Errorf("frame log: %d records, last %v; want 2, the last at 200", nFrames, frames)
	}
}

// Feeds that could not start show CLOSED, each with its own reason.
func TestFeedErrorsMarkTheirFeeds(t *testing.T) {
	m := New(Options{Config: demoConfig(t), Clock: func() time.Time { return testNow }})
	errA := &feed.FeedError{Name: "stocks", Err: fmt.Errorf("CA file: open ca.pem: no such file or directory")}
	errB := &feed.FeedError{Name: "news", Err: fmt.Errorf("URL %q has no host", "http://")}
	m.Update(feedErrMsg{errors.Join(errA, errB)})
	for name, want := range map[string]error{"stocks": errA, "news": errB} {
		st := m.stats[name]
		if st.state() != feed.Closed || st.status.Err != want {
			t.Errorf("feed %s: state %v, err %v; want CLOSED with %v", name, st.state(), st.status.Err, want)
		}
	}
	if st := m.stats["sports"]; st.seen {
		t.Errorf("sports marked %+v, but it started", st.status)
	}
}

// View shows what Update drew and changes nothing.
func TestViewIsPure(t *testing.T) {
	m := New(Options{Config: demoConfig(t), Clock: func() time.Time { return testNow }})
	m.Update(teaSize(100, 30))
	m.Update(demoBatches())
	frames, content := m.frames, m.lastContent
	for range 3 {
		if got := m.View().Content; got != content {
			t.Fatalf("View = %q, want what Update drew", got)
		}
	}
	if m.frames != frames || m.lastContent != content {
		t.Error("View changed the model")
	}
	for _, s := range m.slots {
		if s.dirty {
			t.Errorf("pane %s left dirty after Update", s.id)
		}
	}
}
