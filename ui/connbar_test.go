package ui

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/livefeed/livefeed/config"
	"github.com/livefeed/livefeed/feed"
)

// testNow is the fixed clock of the view tests.
var testNow = time.Date(2025, 3, 14, 15, 9, 26, 0, time.UTC)

// chipStates are one feed in each state the bar must explain.
func chipStates() []*feedStat {
	openFeed := &feedStat{name: "stocks", seen: true, status: feed.Status{State: feed.Open, Attempt: 1, HTTPStatus: 200, ContentType: "text/event-stream"}}
	for i := range 5 {
		openFeed.apply(&feed.Batch{Feed: "stocks", Time: testNow.Add(-time.Duration(5-i) * time.Second), Events: make([]feed.Event, 4)})
	}
	openFeed.apply(&feed.Batch{Feed: "stocks", Time: testNow.Add(-3 * time.Second), Events: []feed.Event{{Type: "quote", ID: "quote-8812"}}})

	retrying := &feedStat{name: "sports", seen: true, status: feed.Status{
		State: feed.Connecting, Attempt: 3, ReconnectIn: 4 * time.Second, ReconnectAt: testNow.Add(2400 * time.Millisecond),
		Err: errors.New("dial tcp 127.0.0.1:8080: connect: connection refused"),
	}}
	retrying.lastEventAt = testNow.Add(-12 * time.Second)

	first := &feedStat{name: "fresh"} // no status yet: connecting, first attempt

	noContent := &feedStat{name: "news", seen: true, status: feed.Status{State: feed.Closed, Attempt: 1, HTTPStatus: 204,
		Err: &feed.HTTPError{Status: 204}}}
	unauthorized := &feedStat{name: "private", seen: true, status: feed.Status{State: feed.Closed, Attempt: 1, HTTPStatus: 401,
		ContentType: "application/json", Err: &feed.HTTPError{Status: 401, ContentType: "application/json"}}}
	html := &feedStat{name: "wrongurl", seen: true, status: feed.Status{State: feed.Closed, Attempt: 1, HTTPStatus: 200,
		ContentType: "text/html; charset=utf-8", Err: &feed.HTTPError{Status: 200, ContentType: "text/html; charset=utf-8"}}}
	html.lastEventAt = testNow.Add(-2 * time.Minute)
	return []*feedStat{openFeed, retrying, first, noContent, unauthorized, html}
}

func TestConnBarChipsGolden(t *testing.T) {
	st := NewStyles(config.DefaultTheme())
	var b strings.Builder
	for _, s := range chipStates() {
		for _, w := range []int{80, 40, 26} {
			line := fitChip(chipVariants(s, st, testNow), w)
			if got := ansi.StringWidth(line); got != w {
				t.Errorf("%s at %d: chip is %d cells wide", s.name, w, got)
			}
			fmt.Fprintf(&b, "%-3d|%s|\n", w, ansi.Strip(line))
		}
	}
	golden.RequireEqual(t, b.String())
}

func TestConnBarLayoutGolden(t *testing.T) {
	st := NewStyles(config.DefaultTheme())
	stats := chipStates()
	var b strings.Builder
	for _, tc := range []struct {
		n, w int
	}{{3, 120}, {3, 80}, {3, 60}, {4, 80}, {6, 120}, {6, 80}, {6, 40}, {1, 80}} {
		lines := renderConnBar(stats[:tc.n], st, testNow, tc.w, connBarHeight(tc.n, tc.w))
		fmt.Fprintf(&b, "%d feeds at %d:\n", tc.n, tc.w)
		for _, l := range lines {
			if got := ansi.StringWidth(l); got != tc.w {
				t.Errorf("%d feeds at %d: line is %d cells wide", tc.n, tc.w, got)
			}
			fmt.Fprintf(&b, "|%s|\n", ansi.Strip(l))
		}
	}
	golden.RequireEqual(t, b.String())
}

func TestConnBarCountdownMoves(t *testing.T) {
	st := NewStyles(config.DefaultTheme())
	s := chipStates()[1]
	at := func(d time.Duration) string {
		return ansi.Strip(fitChip(chipVariants(s, st, testNow.Add(d)), 120))
	}
	for _, tc := range []struct {
		after time.Duration
		want  string
	}{
		{0, "retry in 2.4s"},
		{100 * time.Millisecond, "retry in 2.3s"},
		{2 * time.Second, "retry in 0.4s"},
		{3 * time.Second, "connecting…"},
	} {
		if got := at(tc.after); !strings.Contains(got, tc.want) {
			t.Errorf("after %v: %q lacks %q", tc.after, got, tc.want)
		}
	}
}

func TestConnBarHeight(t *testing.T) {
	for _, tc := range []struct{ n, w, want int }{
		{0, 80, 0}, {1, 80, 1}, {3, 80, 1}, {3, 60, 1}, {4, 80, 1}, {5, 80, 2}, {6, 80, 2}, {20, 80, 2},
		{4, 120, 1}, {5, 120, 2}, {6, 160, 1}, {2, 10, 2}, {3, 50, 2},
	} {
		if got := connBarHeight(tc.n, tc.w); got != tc.want {
			t.Errorf("connBarHeight(%d, %d) = %d, want %d", tc.n, tc.w, got, tc.want)
		}
	}
}

func TestConnBarSanitizesFeedText(t *testing.T) {
	st := NewStyles(config.DefaultTheme())
	s := &feedStat{name: "evil\x1b]0;pwned\x07", seen: true, status: feed.Status{State: feed.Open}}
	s.apply(&feed.Batch{Time: testNow, Events: []feed.Event{{ID: "\x1b]52;c;aGk=\x07\x1b[2J\u009b31m"}}})
	out := strings.Join(renderConnBar([]*feedStat{s}, st, testNow, 120, 1), "\n")
	assertNoEscapes(t, out)
}

// sgrSeq matches the styling sequences lipgloss writes.
var sgrSeq = regexp.MustCompile("\x1b\\[[0-9;:]*m")

// assertNoEscapes fails if s holds anything but SGR styling: no OSC, no
// cursor movement, no clearing, no C1 controls, no BEL.
func assertNoEscapes(t *testing.T, s string) {
	t.Helper()
	rest := sgrSeq.ReplaceAllString(s, "")
	for i, r := range rest {
		if r == '\n' {
			continue
		}
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			t.Fatalf("control character %U at %d in output: %q", r, i, rest[max(0, i-20):min(len(rest), i+20)])
		}
	}
}

func TestRateWindow(t *testing.T) {
	var w rateWindow
	if r := w.rate(testNow); r != 0 {
		t.Errorf("empty rate = %v", r)
	}
	base := testNow.Truncate(time.Second)
	for s := range 10 {
		w.add(base.Add(time.Duration(s)*time.Second), 10)
	}
	// At second 10 the last five whole seconds (5..9) held 50 events.
	if r := w.rate(base.Add(10 * time.Second)); r != 10 {
		t.Errorf("steady rate = %v, want 10", r)
	}
	// Quiet for three seconds: two of the last five seconds had events.
	if r := w.rate(base.Add(13 * time.Second)); r != 4 {
		t.Errorf("rate after a pause = %v, want 4", r)
	}
	if r := w.rate(base.Add(time.Minute)); r != 0 {
		t.Errorf("rate long after = %v, want 0", r)
	}
}

func TestFormatters(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{countdown(2400 * time.Millisecond), "2.4s"},
		{countdown(65 * time.Second), "1m05s"},
		{shortDuration(12 * time.Second), "12s"},
		{shortDuration(3 * time.Hour), "3h"},
		{formatRate(4.23), "4.2/s"},
		{formatRate(37), "37/s"},
		{formatRate(12345), "12.3k/s"},
		{formatCount(1234567), "1,234,567"},
		{formatCount(0), "0"},
		{closeReason(feed.Status{HTTPStatus: 503}), "HTTP 503 Service Unavailable"},
		{closeReason(feed.Status{HTTPStatus: 200, ContentType: ""}), "no Content-Type (not an event stream)"},
		{closeReason(feed.Status{Err: errors.New("feed \"x\": CA file: open ca.pem: no such file or directory")}), "no such file or directory"},
		{dropReason(feed.ErrStale), "stale"},
		{dropReason(fmt.Errorf("%w: no response after 10s", feed.ErrTimeout)), "connect timeout"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

// A network error quotes the request URL; the chip must not show its
// password or token.
func TestErrTextRedacts(t *testing.T) {
	err := errors.New(`redirect to https://u:hunter2@h/e?token=hunter2 refused`)
	if got := errText(err); strings.Contains(got, "hunter2") {
		t.Errorf("errText = %q, shows the secret", got)
	}
	err = errors.New(`Get "https://u:hunter2@h/e?token=hunter2": dial tcp: lookup h: no such host`)
	if got := errText(err); got != "no such host" {
		t.Errorf("errText = %q, want the last part", got)
	}
}

// errorChipStates are feeds a server said no to, with what it said.
func errorChipStates() []*feedStat {
	return []*feedStat{
		{name: "mercure", seen: true, status: feed.Status{State: feed.Closed, Attempt: 1, HTTPStatus: 401, ContentType: "application/json",
			Err: &feed.HTTPError{Status: 401, ContentType: "application/json", Body: `{"error":"token expired"}`}}},
		{name: "deploy", seen: true, status: feed.Status{State: feed.Connecting, Attempt: 2, HTTPStatus: 503, RetryAfter: true,
			ReconnectIn: 5 * time.Second, ReconnectAt: testNow.Add(4200 * time.Millisecond),
			Err: &feed.HTTPError{Status: 503, Body: "upstream connect error or disconnect/reset before headers"}}},
		{name: "gateway", seen: true, status: feed.Status{State: feed.Connecting, Attempt: 4, HTTPStatus: 502,
			ReconnectIn: 8 * time.Second, ReconnectAt: testNow.Add(8 * time.Second), Err: &feed.HTTPError{Status: 502}}},
		{name: "hostile", seen: true, status: feed.Status{State: feed.Closed, Attempt: 1, HTTPStatus: 400,
			Err: &feed.HTTPError{Status: 400, Body: "bad\x1b]0;pwned\x07 request\u202e \x1b[31mred"}}},
		{name: "token", seen: true, status: feed.Status{State: feed.Connecting, Attempt: 3, ReconnectIn: 6 * time.Second, ReconnectAt: testNow.Add(6 * time.Second),
			Err: &feed.CommandError{Argv: []string{"get-token"}, Err: errors.New("exit status 1"), Stderr: "login expired, run get-token --login"}}},
		{name: "chat", seen: true, status: feed.Status{State: feed.Closed, Attempt: 1, HTTPStatus: 200, ContentType: "text/event-stream", Err: feed.ErrFinished}},
		{name: "once", seen: true, status: feed.Status{State: feed.Closed, Attempt: 1, HTTPStatus: 200, ContentType: "text/event-stream", Err: feed.ErrStreamEnded}},
	}
}

// The server's answer is in the chip, cut to fit, never as escapes; a
// retried status says when and why it waits.
func TestConnBarErrorBodyGolden(t *testing.T) {
	st := NewStyles(config.DefaultTheme())
	var b strings.Builder
	for _, s := range errorChipStates() {
		for _, w := range []int{90, 52, 34, 20} {
			line := fitChip(chipVariants(s, st, testNow), w)
			if got := ansi.StringWidth(line); got != w {
				t.Errorf("%s at %d: chip is %d cells wide", s.name, w, got)
			}
			plain := ansi.Strip(line)
			if strings.ContainsAny(plain, "\x1b\x07\u202e") {
				t.Errorf("%s at %d: control characters reached the chip: %q", s.name, w, plain)
			}
			fmt.Fprintf(&b, "%-3d|%s|\n", w, plain)
		}
	}
	golden.RequireEqual(t, b.String())
}
