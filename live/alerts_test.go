package live

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/livefeed/livefeed/config"
	"github.com/livefeed/livefeed/feed"
)

const alertsYAML = `
feeds:
  metrics: { url: "http://127.0.0.1:1/metrics" }
  jobs: { url: "http://127.0.0.1:1/jobs" }
alerts:
  - name: cpu high
    feed: metrics
    events: [metric]
    when: cpu_pct > 90
    key: host
    message: "{host} CPU at {cpu_pct|%.0f}%"
    level: error
    cooldown: 1m
    bell: true
  - name: job failed
    feed: jobs
    events: [failed]
    message: "{name}: {error}"
    cooldown: 0s
    notify: true
`

func alertRules(t *testing.T, yaml string) []*config.Alert {
	t.Helper()
	cfg, problems := config.Check(strings.NewReader(yaml), config.Options{Name: "alerts.yaml"})
	if err := problems.Errors().Err(); err != nil {
		t.Fatal(err)
	}
	return cfg.Alerts
}

var alertT0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func metric(host string, cpu float64) feed.Event {
	return feed.Event{Type: "metric", Data: fmt.Sprintf(`{"host":%q,"cpu_pct":%g}`, host, cpu)}
}

func TestAlerterFiresWithCooldownPerKey(t *testing.T) {
	a := NewAlerter(alertRules(t, alertsYAML))
	steps := []struct {
		at   time.Duration
		feed string
		ev   feed.Event
		want string // "rule|key|message", "" for nothing
	}{
		{0, "metrics", metric("web-1", 50), ""},
		{1 * time.Second, "metrics", metric("web-1", 95.4), "cpu high|web-1|web-1 CPU at 95%"},
		{2 * time.Second, "metrics", metric("web-1", 97), ""},                                // cooling down
		{3 * time.Second, "metrics", metric("web-2", 99), "cpu high|web-2|web-2 CPU at 99%"}, // another key
		{4 * time.Second, "jobs", metric("web-3", 99), ""},                                   // not its feed
		{5 * time.Second, "metrics", feed.Event{Type: "other", Data: `{"host":"x","cpu_pct":99}`}, ""},
		{61 * time.Second, "metrics", metric("web-1", 93), "cpu high|web-1|web-1 CPU at 93%"}, // cooldown over
		{62 * time.Second, "jobs", feed.Event{Type: "failed", Data: `{"name":"backup","error":"disk full"}`}, "job failed||backup: disk full"},
		{63 * time.Second, "jobs", feed.Event{Type: "failed", Data: `{"name":"backup","error":"disk full"}`}, "job failed||backup: disk full"}, // cooldown 0
		{64 * time.Second, "metrics", feed.Event{Type: "metric", Data: `not json`}, ""},
	}
	for i, st := range steps {
		got := a.Check(st.feed, st.ev, alertT0.Add(st.at), nil)
		s := ""
		if len(got) > 1 {
			t.Fatalf("step %d: %d firings", i, len(got))
		}
		if len(got) == 1 {
			f := got[0]
			s = f.Rule + "|" + f.Key + "|" + f.Message
			if f.Rule == "cpu high" && (!f.Bell || f.Notify || f.Level != config.AlertError) {
				t.Errorf("step %d: %+v", i, f)
			}
			if f.Rule == "job failed" && (f.Bell || !f.Notify || f.Level != config.AlertWarning) {
				t.Errorf("step %d: %+v", i, f)
			}
		}
		if s != st.want {
			t.Errorf("step %d: fired %q, want %q", i, s, st.want)
		}
	}
}

func TestAlerterThrottles(t *testing.T) {
	a := NewAlerter(alertRules(t, alertsYAML))
	var fired []Firing
	bad := feed.Event{Type: "failed", Data: `{"name":"x","error":"boom"}`}
	// 25 firings in 0.5 s: 10 go through, 15 are held back.
	for i := range 25 {
		fired = a.Check("jobs", bad, alertT0.Add(time.Duration(i)*20*time.Millisecond), fired)
	}
	if len(fired) != 10 {
		t.Fatalf("%d firings in the first second, want 10", len(fired))
	}
	if notes := a.Flush(alertT0.Add(900*time.Millisecond), nil); len(notes) != 0 {
		t.Fatalf("a note before the second is over: %+v", notes)
	}
	notes := a.Flush(alertT0.Add(time.Second), nil)
	if len(notes) != 1 || notes[0].Throttled != 15 || notes[0].Bell || notes[0].Notify ||
		!strings.Contains(notes[0].Message, "throttled: 15 more firings") {
		t.Fatalf("note %+v", notes)
	}
	if again := a.Flush(alertT0.Add(3*time.Second), nil); len(again) != 0 {
		t.Errorf("the note came twice: %+v", again)
	}
	// The next second fires again.
	if got := a.Check("jobs", bad, alertT0.Add(3*time.Second), nil); len(got) != 1 {
		t.Errorf("after the throttle: %d firings", len(got))
	}
	// The note also comes with the next firing when no tick came between.
	a = NewAlerter(alertRules(t, alertsYAML))
	fired = nil
	for i := range 12 {
		fired = a.Check("jobs", bad, alertT0.Add(time.Duration(i)*time.Millisecond), fired)
	}
	fired = a.Check("jobs", bad, alertT0.Add(2*time.Second), fired[:0])
	if len(fired) != 2 || fired[0].Throttled != 2 || fired[1].Throttled != 0 {
		t.Errorf("note and firing: %+v", fired)
	}
}

func TestAlerterHostileInput(t *testing.T) {
	rules := alertRules(t, alertsYAML)
	a := NewAlerter(rules)
	ev := feed.Event{Type: "failed", Data: `{"name":"\u001b]0;pwn\u0007x\nnext","error":"` + strings.Repeat("é", 2000) + `"}`}
	got := a.Check("jobs", ev, alertT0, nil)
	if len(got) != 1 {
		t.Fatal("no firing")
	}
	m := got[0].Message
	if strings.ContainsAny(m, "\x1b\a\n") || len(m) > maxMessageBytes+len("…") {
		t.Errorf("message %q (%d bytes)", m, len(m))
	}
	// Unbounded keys do not grow the cooldown map without end.
	for i := range maxCooldownKeys + 10 {
		a.Check("metrics", metric(fmt.Sprint(i), 99), alertT0.Add(time.Duration(i)*time.Second), nil)
	}
	if n := len(a.rules[0].last); n > maxCooldownKeys {
		t.Errorf("%d cooldown keys", n)
	}
	// No rules: never fires.
	if NewAlerter(nil).Active() || len(NewAlerter(nil).Check("jobs", ev, alertT0, nil)) != 0 {
		t.Error("an Alerter without rules fired")
	}
}
