package ui

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/livefeed/livefeed/config"
	"github.com/livefeed/livefeed/feed"
)

const connsYAML = `
feeds:
  stocks: { url: "http://127.0.0.1:8080/feeds/stocks" }
  auth:
    url: "https://api.example.com/v1/stream?access_token=SECRET1"
    headers: { Authorization: "Bearer SECRET2" }
  sports: { url: "http://127.0.0.1:9/feeds/sports" }
panes:
  - { id: raw, type: log }
`

// connsModel is a dashboard whose three feeds are in the states the
// connections view must explain: stocks OPEN behind a buffering proxy
// (five events at once every second) with a compressed stream, auth CLOSED
// by a 401 with a body, sports retrying a refused connection.
func connsModel(t *testing.T, w, h int) *Model {
	t.Helper()
	m := newTestModel(t, parseConfig(t, "conns.yaml", connsYAML), w, h)
	at := func(d time.Duration) time.Time { return testNow.Add(d) }
	retry := func(s feed.Status) *feed.Status {
		s.Retry, s.RetryFrom = 3*time.Second, feed.RetryFromConfig
		return &s
	}
	var bs []feed.Batch
	bs = append(bs,
		feed.Batch{Feed: "stocks", Time: at(-21 * time.Second), Status: retry(feed.Status{State: feed.Connecting, Attempt: 1})},
		feed.Batch{Feed: "stocks", Time: at(-21*time.Second + 40*time.Millisecond), Status: retry(feed.Status{State: feed.Open, Attempt: 1,
			HTTPStatus: 200, ContentType: "text/event-stream", Proto: "HTTP/1.1",
			Header: map[string][]string{"Content-Type": {"text/event-stream"}, "Content-Encoding": {"gzip"}, "Set-Cookie": {"sid=SECRET3"},
				"X-Evil\x1b[2J": {"a\x1b]0;pwned\x07b\x9bc"}}})},
	)
	for i := 20; i >= 1; i-- {
		evs := make([]feed.Event, 5)
		for j := range evs {
			evs[j] = feed.Event{Type: "quote", ID: fmt.Sprint(100 - i*5 + j), Data: "{}"}
		}
		bs = append(bs, feed.Batch{Feed: "stocks", Time: at(-time.Duration(i) * time.Second), Events: evs, Bytes: 5 * 30})
	}
	body := `{"error":"invalid_token","error_description":"The access token expired at 15:00"}`
	bs = append(bs,
		feed.Batch{Feed: "auth", Time: at(-12 * time.Second), Status: retry(feed.Status{State: feed.Connecting, Attempt: 1})},
		feed.Batch{Feed: "auth", Time: at(-11900 * time.Millisecond), Status: retry(feed.Status{State: feed.Closed, Attempt: 1,
			HTTPStatus: 401, ContentType: "application/json", Proto: "HTTP/2.0",
			Header: map[string][]string{"Content-Type": {"application/json"}, "Www-Authenticate": {`Bearer error="invalid_token"`}},
			Err:    &feed.HTTPError{Status: 401, ContentType: "application/json", Body: body}})},
		feed.Batch{Feed: "sports", Time: at(-5 * time.Second), Status: retry(feed.Status{State: feed.Connecting, Attempt: 1})},
		feed.Batch{Feed: "sports", Time: at(-4 * time.Second), Status: retry(feed.Status{State: feed.Connecting, Attempt: 2,
			ReconnectIn: 3 * time.Second, ReconnectAt: at(-time.Second), Err: errors.New("dial tcp 127.0.0.1:9: connect: connection refused")})},
		feed.Batch{Feed: "sports", Time: at(-900 * time.Millisecond), Status: retry(feed.Status{State: feed.Connecting, Attempt: 3,
			ReconnectIn: 6 * time.Second, ReconnectAt: at(5100 * time.Millisecond), Err: errors.New("dial tcp 127.0.0.1:9: connect: connection refused")})},
	)
	m.Update(batchMsg{batches: bs})
	return m
}

// The connections view lists every feed with its request, response,
// reconnection time, counters, timeline and hints; enter on the CLOSED feed
// shows its 401 in full with the response's headers and its attempts.
func TestConnectionsViewGolden(t *testing.T) {
	m := connsModel(t, 100, 40)
	m.Update(press("f"))
	list := screen(m)
	checkScreenSize(t, list, 100, 40)
	t.Run("list", func(t *testing.T) { golden.RequireEqual(t, list) })
	for _, want := range []string{
		"stocks  OPEN since 15:09:05", "HTTP/1.1 200 OK · text/event-stream", "retry 3s (config) · 3.0 kB · 100 events · 0 dropped · 0 reconnects",
		"events arrive in bursts every ~1s: a proxy may be buffering the stream (nginx:", "Content-Encoding: gzip: compression can hold events back",
		"auth  CLOSED", "HTTP/2.0 401 Unauthorized · application/json", `body {"error":"invalid_token"`,
		"sports  CONNECTING", "attempt 3 · connection refused · retry in 5.1s", "2 reconnects",
	} {
		if !strings.Contains(list, want) {
			t.Errorf("list lacks %q", want)
		}
	}
	m.Update(press("down"))
	m.Update(press("enter"))
	detail := screen(m)
	checkScreenSize(t, detail, 100, 40)
	t.Run("401 details", func(t *testing.T) { golden.RequireEqual(t, detail) })
	for _, want := range []string{"connection auth", "access_token=***", "Authorization: ***", "Www-Authenticate: Bearer error=\"invalid_token\"",
		`"error_description": "The access token expired at 15:00"`, "HTTP 401"} {
		if !strings.Contains(detail, want) {
			t.Errorf("details lack %q", want)
		}
	}
	for _, bad := range []string{"SECRET1", "SECRET2"} {
		if strings.Contains(m.View().Content, bad) {
			t.Errorf("details show %q", bad)
		}
	}
	// esc leaves the details for the list, then the list for the panes.
	m.Update(press("esc"))
	if got := screen(m); !strings.Contains(got, "▶ auth") || !strings.Contains(got, "connections") {
		t.Errorf("esc from the details:\n%s", got)
	}
	m.Update(press("esc"))
	if got := screen(m); strings.Contains(got, "connections") {
		t.Errorf("esc did not close the connections view:\n%s", got)
	}
}

// The details of an OPEN feed show its response headers redacted and made
// safe: a server's header cannot clear the screen or set the title.
func TestConnectionsDetailsSanitizeHeaders(t *testing.T) {
	m := connsModel(t, 100, 60)
	m.Update(press("f"))
	m.Update(press("enter"))
	raw := m.View().Content
	got := screen(m)
	t.Run("details", func(t *testing.T) { golden.RequireEqual(t, got) })
	for _, bad := range []string{"SECRET3", "\x1b[2J", "\x1b]0;pwned", "\x07", "b\x9bc", "\u009b"} {
		if strings.Contains(raw, bad) {
			t.Errorf("details contain %q", bad)
		}
	}
	for _, want := range []string{"Set-Cookie: ***", "Content-Encoding: gzip", "X-Evil", "pwned", "attempts · newest first", "open"} {
		if !strings.Contains(got, want) {
			t.Errorf("details lack %q:\n%s", want, got)
		}
	}
}

// The view's keys: f toggles it (remappable, and listed in the help), up
// and down move the selection within bounds, r reconnects the selected
// feed, and panes do not see the keys while it is open.
func TestConnectionsKeys(t *testing.T) {
	cfg := parseConfig(t, "conns.yaml", connsYAML+"keys:\n  connections: F\n")
	m := newTestModel(t, cfg, 100, 40)
	m.Update(press("f"))
	if strings.Contains(screen(m), "connections") {
		t.Fatalf("f opened the view though it is remapped to F")
	}
	m.Update(press("?"))
	if help := screen(m); !strings.Contains(help, "F              connections") {
		t.Errorf("help lacks the connections key:\n%s", help)
	}
	m.Update(press("?"))
	m.Update(press("F"))
	if !strings.Contains(screen(m), "connections") {
		t.Fatalf("F did not open the view:\n%s", screen(m))
	}
	for _, tc := range []struct {
		key  string
		want int
	}{{"up", 0}, {"down", 1}, {"down", 2}, {"down", 2}, {"k", 1}, {"G", 2}, {"g", 0}} {
		m.Update(press(tc.key))
		if m.conns.sel != tc.want {
			t.Errorf("after %s: selection %d, want %d", tc.key, m.conns.sel, tc.want)
		}
	}
	m.Update(tea.MouseWheelMsg{Button: tea.MouseWheelDown})
	if m.conns.sel != 1 {
		t.Errorf("wheel down: selection %d, want 1", m.conns.sel)
	}
	m.Update(tea.MouseClickMsg{X: 5, Y: 5, Button: tea.MouseLeft})
	if !m.conns.open || m.detail != nil {
		t.Errorf("a click in the view changed it")
	}
	m.Update(press("r"))
	if !strings.Contains(screen(m), "reconnecting auth") {
		t.Errorf("r did not reconnect the selected feed:\n%s", screen(m))
	}
	m.Update(press("F"))
	if strings.Contains(screen(m), "╭ connections") || m.conns.open {
		t.Errorf("F did not close the view")
	}
	// Unbound, it is not in the help and does nothing.
	cfg = parseConfig(t, "conns.yaml", connsYAML+"keys:\n  connections: []\n")
	m = newTestModel(t, cfg, 100, 40)
	m.Update(press("f"))
	if m.conns.open {
		t.Error("an unbound connections key opened the view")
	}
	if k := NewKeyMap(config.Keys{}).Connections; k.Enabled() {
		t.Error("no keys: binding enabled")
	}
}

// Connection details opened from the view follow the feed: a tick shows
// what arrived since, at the same scroll position.
func TestConnectionDetailsRefresh(t *testing.T) {
	now := testNow
	m := New(Options{Config: parseConfig(t, "conns.yaml", connsYAML), Clock: func() time.Time { return now }})
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 60})
	m.Update(batchMsg{batches: []feed.Batch{{Feed: "stocks", Time: now, Status: &feed.Status{State: feed.Open, HTTPStatus: 200, Proto: "HTTP/1.1"}}}})
	m.Update(press("f"))
	m.Update(press("enter"))
	if got := screen(m); !strings.Contains(got, "0 events · 0 dropped") {
		t.Fatalf("details before:\n%s", got)
	}
	now = now.Add(2 * time.Second)
	m.Update(batchMsg{batches: []feed.Batch{{Feed: "stocks", Time: now, Events: make([]feed.Event, 3), Bytes: 99}}})
	m.Update(tickMsg(now))
	if got := screen(m); !strings.Contains(got, "99 B · 3 events · 0 dropped") || !strings.Contains(got, "open             2.0s      99 B       3") {
		t.Errorf("details after a tick:\n%s", got)
	}
}

// After a dropped connection the response shown is labelled as the last
// one, not the current one.
func TestConnectionsLastResponse(t *testing.T) {
	m := newTestModel(t, parseConfig(t, "conns.yaml", connsYAML), 100, 40)
	m.Update(batchMsg{batches: []feed.Batch{
		{Feed: "stocks", Time: testNow.Add(-3 * time.Second), Status: &feed.Status{State: feed.Open, HTTPStatus: 200, ContentType: "text/event-stream", Proto: "HTTP/1.1"}},
		{Feed: "stocks", Time: testNow.Add(-time.Second), Status: &feed.Status{State: feed.Connecting, Attempt: 1, Err: feed.ErrStale,
			ReconnectIn: 3 * time.Second, ReconnectAt: testNow.Add(2 * time.Second)}},
	}})
	m.Update(press("f"))
	got := screen(m)
	for _, want := range []string{"last response HTTP/1.1 200 OK · text/event-stream", "attempt 1 · stale · retry in 2.0s", "1 reconnect"} {
		if !strings.Contains(got, want) {
			t.Errorf("view lacks %q:\n%s", want, got)
		}
	}
}
