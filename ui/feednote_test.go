package ui

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

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
