package live

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/tidwall/gjson"

	"github.com/livefeed/livefeed/config"
	"github.com/livefeed/livefeed/feed"
	"github.com/livefeed/livefeed/render"
)

// Throttling: a rule fires at most alertBurst times in alertWindow; the
// firings beyond are counted and reported in one note when the window ends,
// so that a flapping rule cannot flood the alert list, the bell or the
// desktop.
const (
	alertBurst  = 10
	alertWindow = time.Second
	// maxCooldownKeys bounds the cooldown entries one rule keeps: a key
	// path of unbounded values (a request id) must not grow memory forever.
	maxCooldownKeys = 10_000
	// maxMessageBytes bounds a firing's text.
	maxMessageBytes = 512
)

// Firing is one alert: a rule that fired on one event, or a note that a
// rule was throttled.
type Firing struct {
	Rule    string
	Level   string // config.AlertInfo, AlertWarning or AlertError
	Message string // one line, sanitized
	Feed    string // of the event that fired it
	Key     string // the value at the rule's key path ("" without one)
	Time    time.Time
	// Bell and Notify are the rule's, false on throttle notes.
	Bell, Notify bool
	// Throttled, on a note, counts the firings suppressed.
	Throttled int
}

// JSON is the firing as the payload of an alert event (config.AlertEvent).
func (f Firing) JSON() string {
	b, _ := json.Marshal(struct {
		Rule      string `json:"rule"`
		Level     string `json:"level"`
		Message   string `json:"message"`
		Feed      string `json:"feed,omitempty"`
		Key       string `json:"key,omitempty"`
		Throttled int    `json:"throttled,omitempty"`
	}{f.Rule, f.Level, f.Message, f.Feed, f.Key, f.Throttled})
	return string(b)
}

// Alerter runs a config's alert rules over events: conditions, cooldowns
// per rule and key, and throttling. It is not safe for concurrent use; the
// TUI calls it from its update loop.
type Alerter struct {
	rules []*ruleState
	takes map[string][]int // feed+"\x00"+event → rules that look at it
}

type ruleState struct {
	*config.Alert
	last       map[string]time.Time // cooldown: when it last fired, per key
	winStart   time.Time
	inWindow   int
	suppressed int
}

// NewAlerter prepares the rules; nil or none gives an Alerter that never
// fires.
func NewAlerter(rules []*config.Alert) *Alerter {
	a := &Alerter{takes: map[string][]int{}}
	for _, r := range rules {
		a.rules = append(a.rules, &ruleState{Alert: r, last: map[string]time.Time{}})
	}
	return a
}

// Active reports whether there are rules at all.
func (a *Alerter) Active() bool { return a != nil && len(a.rules) > 0 }

// rulesFor are the rules that look at an event, cached per feed and name.
func (a *Alerter) rulesFor(feedName, event string) []int {
	k := feedName + "\x00" + event
	if ids, ok := a.takes[k]; ok {
		return ids
	}
	ids := []int{}
	for i, r := range a.rules {
		if r.Takes(feedName, event) {
			ids = append(ids, i)
		}
	}
	if len(a.takes) > 4096 { // event names are feed data: bound the cache
		clear(a.takes)
	}
	a.takes[k] = ids
	return ids
}

// Check runs the rules on one event that arrived at at, appending what fires
// (and notes of throttling that ended) to out.
func (a *Alerter) Check(feedName string, ev feed.Event, at time.Time, out []Firing) []Firing {
	if !a.Active() {
		return out
	}
	for _, i := range a.rulesFor(feedName, ev.Type) {
		r := a.rules[i]
		meta := render.Meta{Feed: feedName, Event: ev.Type, ID: ev.ID, Time: at}
		if r.When != nil && !r.When.Holds(ev.Data, meta) {
			continue
		}
		key := ""
		if r.Key != "" {
			key = render.Value(gjson.Get(ev.Data, r.Key))
		}
		if last, ok := r.last[key]; ok && r.Cooldown > 0 && at.Sub(last) < r.Cooldown && !at.Before(last) {
			continue
		}
		out = r.endWindow(at, out)
		if r.inWindow >= alertBurst {
			r.suppressed++
			continue
		}
		r.inWindow++
		r.remember(key, at)
		out = append(out, Firing{
			Rule: r.Name, Level: r.Level, Message: r.message(ev, meta), Feed: feedName,
			Key: clip(render.Sanitize(key), 128), Time: at, Bell: r.Bell, Notify: r.Notify,
		})
	}
	return out
}

// Flush appends the notes of throttling windows that have ended by now;
// the TUI calls it on its clock tick, so a note comes even when the events
// stop.
func (a *Alerter) Flush(now time.Time, out []Firing) []Firing {
	if a == nil {
		return out
	}
	for _, r := range a.rules {
		out = r.endWindow(now, out)
	}
	return out
}

// endWindow starts a new throttling window once the current one is over,
// noting what it suppressed.
func (r *ruleState) endWindow(now time.Time, out []Firing) []Firing {
	if !r.winStart.IsZero() && now.Sub(r.winStart) < alertWindow && !now.Before(r.winStart) {
		return out
	}
	if r.suppressed > 0 {
		out = append(out, Firing{
			Rule: r.Name, Level: config.AlertWarning, Time: now, Throttled: r.suppressed,
			Message: fmt.Sprintf("throttled: %d more firings within %v (more than %d a second)", r.suppressed, alertWindow, alertBurst),
		})
	}
	r.winStart, r.inWindow, r.suppressed = now, 0, 0
	return out
}

// remember starts the key's cooldown, forgetting expired ones when the map
// is full.
func (r *ruleState) remember(key string, at time.Time) {
	if r.Cooldown <= 0 {
		return
	}
	if len(r.last) >= maxCooldownKeys {
		for k, t := range r.last {
			if at.Sub(t) >= r.Cooldown {
				delete(r.last, k)
			}
		}
		if len(r.last) >= maxCooldownKeys {
			clear(r.last)
		}
	}
	r.last[key] = at
}

func (r *ruleState) message(ev feed.Event, meta render.Meta) string {
	s := r.Name
	if r.Message != nil {
		if m := r.Message.Render([]byte(ev.Data), meta, render.Context{Now: meta.Time, Loc: meta.Time.Location()}); strings.TrimSpace(m) != "" {
			s = m
		}
	}
	s = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s)
	return clip(render.Sanitize(s), maxMessageBytes)
}

// clip shortens s to at most n bytes at a rune boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n] + "…"
}
