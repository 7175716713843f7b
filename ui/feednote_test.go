package ui

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/livefeed/livefeed/config"
	"github.com/livefeed/livefeed/feed"
)

// A pane's title tells when its feeds are partly or wholly CLOSED, and what
// the server said.
func TestFeedsNote(t *testing.T) {
	open := func(n string) *feedStat {
		return &feedStat{name: n, seen: true, status: feed.Status{State: feed.Open, HTTPStatus: 200}}
	}
	connecting := func(n string) *feedStat { return &feedStat{name: n} }
	denied := func(n string) *feedStat {
		return &feedStat{name: n, seen: true, status: feed.Status{State: feed.Closed, HTTPStatus: 401,
			Err: &feed.HTTPError{Status: 401, Body: "{\"error\":\n  \"token expired\"}"}}}
	}
	refused := func(n string) *feedStat {
		return &feedStat{name: n, seen: true, status: feed.Status{State: feed.Closed, Err: feed.ErrStreamEnded}}
	}
	finished := func(n string) *feedStat {
		return &feedStat{name: n, seen: true, status: feed.Status{State: feed.Closed, HTTPStatus: 200, Err: feed.ErrFinished}}
	}
	for _, tc := range []struct {
		name   string
		stats  []*feedStat
		note   string
		dimmed bool
	}{
		{"all open", []*feedStat{open("a"), open("b")}, "", false},
		{"open and reconnecting", []*feedStat{open("a"), connecting("b")}, "", false},
		{"3 of 4 closed", []*feedStat{refused("a"), denied("b"), refused("c"), open("d")}, `3 of 4 CLOSED · HTTP 401 · {"error": "token expired"}`, false},
		{"all closed", []*feedStat{denied("a")}, `CLOSED · HTTP 401 · {"error": "token expired"} · no events yet`, true},
		{"closed and connecting", []*feedStat{connecting("a"), refused("b")}, "CONNECTING · 1 of 2 CLOSED · no events yet", true},
		{"all connecting", []*feedStat{connecting("a"), connecting("b")}, "CONNECTING · no events yet", true},
		{"finished", []*feedStat{finished("chat")}, "CLOSED · finished · no events yet", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := &Model{now: testNow, feedView: feedView{stats: map[string]*feedStat{}}}
			var names []string
			for _, st := range tc.stats {
				m.stats[st.name] = st
				names = append(names, st.name)
			}
			note, dimmed := m.feedsNote(names)
			if note != tc.note || dimmed != tc.dimmed {
				t.Errorf("note %q (dimmed %v), want %q (dimmed %v)", note, dimmed, tc.note, tc.dimmed)
			}
		})
	}
}

// A note too long for the title line is cut, not dropped, while a useful
// part of it fits.
func TestFrameCutsLongNote(t *testing.T) {
	st := NewStyles(config.DefaultTheme())
	note := `CLOSED · HTTP 401 · {"error":"token expired","detail":"` + strings.Repeat("x", 200) + `"}`
	out := drawFrame(st, viewState{Width: 60, Height: 4, Note: note}, frameHead{title: "raw", count: "0 events"}, nil)
	top := ansi.Strip(strings.SplitN(out, "\n", 2)[0])
	if !strings.Contains(top, "CLOSED · HTTP 401 · {\"error\"") || !strings.Contains(top, "…") {
		t.Errorf("title line %q: want the note cut to fit", top)
	}
	if w := ansi.StringWidth(top); w != 60 {
		t.Errorf("title line is %d cells, want 60", w)
	}
}

// The log file has the server's whole answer, with secrets redacted, and
// whether the wait came from Retry-After.
func TestLogStatusHasBody(t *testing.T) {
	var buf bytes.Buffer
	m := &Model{runEnv: runEnv{log: slog.New(slog.NewJSONHandler(&buf, nil))}}
	body := `{"error":"token expired","hint":"` + strings.Repeat("y", 300) + `","login":"https://auth.example/?token=SECRET"}`
	m.logStatus(&feed.Batch{Feed: "f", Status: &feed.Status{State: feed.Connecting, HTTPStatus: 503, RetryAfter: true,
		ReconnectIn: 4 * time.Second, Err: &feed.HTTPError{Status: 503, Body: body}}})
	var rec map[string]any
	if err := json.Unmarshal(buf.Bytes(), &rec); err != nil {
		t.Fatalf("%v: %s", err, buf.String())
	}
	got, _ := rec["body"].(string)
	if !strings.Contains(got, `"error":"token expired"`) || !strings.Contains(got, strings.Repeat("y", 300)) || strings.Contains(got, "SECRET") {
		t.Errorf("body = %q", got)
	}
	if rec["retry_after"] != true || rec["http_status"] != float64(503) {
		t.Errorf("record = %v", rec)
	}
}

// The feed inspector shows a failed request in full: what was sent
// (secrets redacted), what came back, and the whole error body. Enter on a
// pane with nothing to select opens it too.
func TestFeedInspectorGolden(t *testing.T) {
	cfg := parseConfig(t, "llm.yaml", `
feeds:
  chat:
    url: "https://api.example.com/v1/chat?api_key=${K:-SECRET1}"
    method: POST
    headers: { Authorization: "Bearer ${T:-SECRET2}" }
    body: { model: m, stream: true }
    end_on: "[DONE]"
panes:
  - { id: raw, type: log }
`)
	m := newTestModel(t, cfg, 80, 24)
	body := "{\"error\":{\"message\":\"Incorrect API key provided\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}"
	m.Update(batchMsg{batches: []feed.Batch{{Feed: "chat", Time: testNow, Status: &feed.Status{State: feed.Closed, Attempt: 1,
		HTTPStatus: 401, ContentType: "application/json", Err: &feed.HTTPError{Status: 401, ContentType: "application/json", Body: body}}}}})
	main := screen(m)
	if !strings.Contains(main, `CLOSED · HTTP 401 · {"error":{"message":"Incorrect API key`) {
		t.Errorf("the chip or pane lacks the error body:\n%s", main)
	}
	m.Update(press("enter"))
	got := screen(m)
	checkScreenSize(t, got, 80, 24)
	golden.RequireEqual(t, got)
	for _, want := range []string{"feed chat", "api_key=***", "Authorization: ***", "POST · JSON body", `"message": "Incorrect API key provided"`, "401 Unauthorized"} {
		if !strings.Contains(got, want) {
			t.Errorf("inspector lacks %q", want)
		}
	}
	for _, bad := range []string{"SECRET1", "SECRET2"} {
		if strings.Contains(m.View().Content, bad) {
			t.Errorf("inspector shows %q", bad)
		}
	}
	m.Update(press("esc"))
	m.Update(press("i"))
	if again := screen(m); again != got {
		t.Errorf("i shows another view than enter:\n%s", again)
	}
}

// A click on a chip opens that feed's inspector; chipAt agrees with the
// bar's layout, "+N more" included.
func TestClickChipInspectsFeed(t *testing.T) {
	cfg := parseConfig(t, "two.yaml", "feeds:\n  alpha: { url: \"http://127.0.0.1:1/a\" }\n  beta: { url: \"http://127.0.0.1:1/b\" }\npanes: [{ id: raw, type: log }]\n")
	m := newTestModel(t, cfg, 80, 20)
	m.Update(batchMsg{batches: []feed.Batch{{Feed: "beta", Time: testNow, Status: &feed.Status{State: feed.Closed, HTTPStatus: 403,
		Err: &feed.HTTPError{Status: 403, Body: "forbidden: missing scope read"}}}}})
	// Two chips share the bar line above the status line: beta is the right half.
	m.Update(tea.MouseClickMsg{X: 60, Y: 18, Button: tea.MouseLeft})
	got := screen(m)
	if !strings.Contains(got, "feed beta") || !strings.Contains(got, "forbidden: missing scope read") || strings.Contains(got, "feed alpha") {
		t.Errorf("clicking beta's chip:\n%s", got)
	}

	for _, tc := range []struct {
		n, width, lines, x, line, want int
		ok                             bool
	}{
		{2, 80, 1, 0, 0, 0, true},
		{2, 80, 1, 79, 0, 1, true},
		{2, 80, 1, 10, 1, 0, false},
		{6, 80, 2, 30, 1, 4, true},  // 3 per line of 26 cells
		{9, 80, 2, 79, 1, 0, false}, // the "+N more" slot
		{1, 80, 1, 70, 0, 0, true},
	} {
		if i, ok := chipAt(tc.n, tc.width, tc.lines, tc.x, tc.line); i != tc.want && tc.ok || ok != tc.ok {
			t.Errorf("chipAt(%d feeds, %d wide, %d lines, x %d, line %d) = %d, %v; want %d, %v", tc.n, tc.width, tc.lines, tc.x, tc.line, i, ok, tc.want, tc.ok)
		}
	}
}

// The feed inspector of a feed being retried says when and why, and a
// failed headers_command shows its stderr; its arguments never appear.
func TestFeedInspectorRetrying(t *testing.T) {
	cfg := parseConfig(t, "r.yaml", "feeds:\n  api:\n    url: \"http://127.0.0.1:1/a\"\n    headers_command: [get-token, --secret, hunter2]\n  b:\n    url: \"http://127.0.0.1:1/b\"\npanes: [{ id: raw, type: log }]\n")
	stats := map[string]*feedStat{
		"api": {name: "api", seen: true, status: feed.Status{State: feed.Connecting, Attempt: 3, HTTPStatus: 503, RetryAfter: true,
			ReconnectAt: testNow.Add(4200 * time.Millisecond), Err: &feed.HTTPError{Status: 503, Body: "maintenance until 10:00"}}},
		"b": {name: "b", seen: true, status: feed.Status{State: feed.Connecting, Attempt: 2, ReconnectAt: testNow.Add(time.Second),
			Err: &feed.CommandError{Argv: []string{"x"}, Err: errors.New("exit status 1"), Stderr: "login expired"}}},
	}
	var text []string
	for _, l := range feedInspectorLines([]string{"api", "b"}, cfg, stats, testNow) {
		var b strings.Builder
		for _, sp := range l {
			b.WriteString(sp.text)
		}
		text = append(text, b.String())
	}
	all := strings.Join(text, "\n")
	for _, want := range []string{"CONNECTING · HTTP 503 · retry in 4.2s (Retry-After) · attempt 3", "headers from get-token", "maintenance until 10:00", "stderr   login expired"} {
		if !strings.Contains(all, want) {
			t.Errorf("inspector lacks %q:\n%s", want, all)
		}
	}
	if strings.Contains(all, "hunter2") {
		t.Errorf("inspector shows the command's arguments:\n%s", all)
	}
}
