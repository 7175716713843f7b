package ui

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/livefeed/livefeed/feed"
	"github.com/livefeed/livefeed/live"
)

func TestAlertBytes(t *testing.T) {
	tests := []struct {
		name string
		f    live.Firing
		want string
	}{
		{"nothing", live.Firing{Rule: "r", Message: "m"}, ""},
		{"bell", live.Firing{Rule: "r", Message: "m", Bell: true}, "\a"},
		{"notify", live.Firing{Rule: "cpu high", Message: "web-1 CPU at 95%", Notify: true},
			"\x1b]777;notify;livefeed: cpu high;web-1 CPU at 95%\a\x1b]9;livefeed: cpu high: web-1 CPU at 95%\a"},
		{"both", live.Firing{Rule: "r", Message: "m", Bell: true, Notify: true},
			"\a\x1b]777;notify;livefeed: r;m\a\x1b]9;livefeed: r: m\a"},
		{"hostile", live.Firing{Rule: "a;b\x1b]0;x\a", Message: "1\x07\x1b[2J\u009d2;3\x7f", Notify: true},
			"\x1b]777;notify;livefeed: a,b]0,x;1[2J2;3\a\x1b]9;livefeed: a,b]0,x: 1[2J2;3\a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := alertBytes(tt.f, false); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
	long := alertBytes(live.Firing{Rule: "r", Message: strings.Repeat("ü", 500), Notify: true}, false)
	if len(long) > 2*(2*maxOSCText+40) {
		t.Errorf("a long message is not bounded: %d bytes", len(long))
	}
}

func TestAlertBytesInTmux(t *testing.T) {
	got := alertBytes(live.Firing{Rule: "r", Message: "m", Bell: true, Notify: true}, true)
	want := "\a\x1b]777;notify;livefeed: r;m\a\x1b]9;livefeed: r: m\a" +
		"\x1bPtmux;\x1b\x1b]777;notify;livefeed: r;m\a\x1b\\" +
		"\x1bPtmux;\x1b\x1b]9;livefeed: r: m\a\x1b\\"
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	m := New(Options{Config: parseConfig(t, "alerts.yaml", alertsModelYAML), Env: func(k string) (string, bool) {
		return "/tmp/tmux-0/default,1,0", k == "TMUX"
	}})
	if !m.inTmux() {
		t.Error("$TMUX set, but not in tmux")
	}
	if New(Options{Config: parseConfig(t, "alerts.yaml", alertsModelYAML)}).inTmux() {
		t.Error("in tmux without an environment")
	}
}

const alertsModelYAML = `
feeds:
  metrics: { url: "http://127.0.0.1:1/events/metrics" }
panes:
  - { id: hosts, type: stat, feed: metrics, value: cpu_pct, split_by: host }
  - { id: fired, type: list, title: Alerts, feed: $alerts, level: level, text: "{rule}: {message}" }
alerts:
  - name: cpu high
    feed: metrics
    when: cpu_pct > 90
    key: host
    message: "{host} CPU at {cpu_pct}%"
    level: error
    bell: true
    notify: true
`

func metricBatch(at time.Time, data ...string) batchMsg {
	var evs []feed.Event
	for _, d := range data {
		evs = append(evs, feed.Event{Type: "metric", Data: d})
	}
	return batchMsg{batches: []feed.Batch{{Feed: "metrics", Time: at, Events: evs}}, events: len(evs), at: at}
}

// rawOf runs a command (and the commands of a batch) and collects what they
// write to the terminal as is.
func rawOf(cmd tea.Cmd) string {
	if cmd == nil {
		return ""
	}
	switch msg := cmd().(type) {
	case tea.RawMsg:
		return msg.Msg.(string)
	case tea.BatchMsg:
		s := ""
		for _, c := range msg {
			s += rawOf(c)
		}
		return s
	}
	return ""
}

func TestAlertsReachListBellAndLog(t *testing.T) {
	var logBuf bytes.Buffer
	cfg := parseConfig(t, "alerts.yaml", alertsModelYAML)
	m := New(Options{Config: cfg, Clock: func() time.Time { return testNow }, Logger: slog.New(slog.NewTextHandler(&logBuf, nil))})
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 20})
	_, cmd := m.Update(metricBatch(testNow, `{"host":"web-1","cpu_pct":50}`, `{"host":"web-2","cpu_pct":97}`, `{"host":"web-2","cpu_pct":98}`))
	raw := rawOf(cmd)
	want := "\a\x1b]777;notify;livefeed: cpu high;web-2 CPU at 97%\a\x1b]9;livefeed: cpu high: web-2 CPU at 97%\a"
	if raw != want {
		t.Errorf("terminal bytes\n%q\nwant\n%q", raw, want)
	}
	fired := m.slots[m.byID["fired"]].p
	if fired.Len() != 1 {
		t.Fatalf("alert list holds %d items, want 1", fired.Len())
	}
	if it, _ := fired.Selected(); it.Feed != "$alerts" || !strings.Contains(it.Event.Data, `"message":"web-2 CPU at 97%"`) {
		t.Errorf("alert item %+v", it)
	}
	if m.banner != "" {
		t.Errorf("a banner %q although the config has an alert list", m.banner)
	}
	if log := logBuf.String(); !strings.Contains(log, `msg=alert rule="cpu high" level=error message="web-2 CPU at 97%" feed=metrics key=web-2`) {
		t.Errorf("log:\n%s", log)
	}
	m.Update(tickMsg(testNow.Add(time.Second)))
	if got := screen(m); !strings.Contains(got, "cpu high: web-2 CPU at 9") {
		t.Errorf("the alert list does not show the alert:\n%s", got)
	}
}

func TestAlertsWithoutListShowABanner(t *testing.T) {
	yaml := strings.Replace(alertsModelYAML, "  - { id: fired, type: list, title: Alerts, feed: $alerts, level: level, text: \"{rule}: {message}\" }\n", "", 1)
	m := newTestModel(t, parseConfig(t, "alerts.yaml", yaml), 80, 20)
	m.Update(metricBatch(testNow, `{"host":"db-1","cpu_pct":99}`))
	if m.banner != "alert cpu high: db-1 CPU at 99%" || !m.alertBanner {
		t.Errorf("banner %q", m.banner)
	}
	if got := screen(m); !strings.Contains(got, "alert cpu high: db-1 CPU at 99%") {
		t.Errorf("screen:\n%s", got)
	}
	// A config problem's banner is not replaced by an alert.
	m.setBanner("config.yaml:3:1: broken")
	m.Update(metricBatch(testNow.Add(2*time.Minute), `{"host":"db-1","cpu_pct":99}`))
	if m.banner != "config.yaml:3:1: broken" {
		t.Errorf("banner %q", m.banner)
	}
}

func TestAlertsThrottleNoteOnTick(t *testing.T) {
	yaml := strings.Replace(alertsModelYAML, "    key: host\n", "    cooldown: 0s\n", 1)
	now := testNow
	m := New(Options{Config: parseConfig(t, "alerts.yaml", yaml), Clock: func() time.Time { return now }})
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 20})
	var data []string
	for range 14 {
		data = append(data, `{"host":"web-1","cpu_pct":99}`)
	}
	_, cmd := m.Update(metricBatch(testNow, data...))
	if n := strings.Count(rawOf(cmd), "\a\x1b]777"); n != 10 {
		t.Errorf("%d notifications in one second, want 10", n)
	}
	now = now.Add(1500 * time.Millisecond)
	_, cmd = m.Update(tickMsg(now))
	fired := m.slots[m.byID["fired"]].p
	if it, _ := fired.Selected(); fired.Len() != 11 || !strings.Contains(it.Event.Data, "throttled: 4 more firings") {
		t.Errorf("%d alerts, newest %q", fired.Len(), it.Event.Data)
	}
	if raw := rawOf(cmd); strings.Contains(raw, "\a") {
		t.Errorf("the throttle note rang the bell: %q", raw)
	}
}
