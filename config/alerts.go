package config

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/goccy/go-yaml/ast"

	"github.com/livefeed/livefeed/render"
)

// AlertsFeed is the feed alert firings come from: a list pane with
// feed: $alerts shows them. It needs no definition under feeds:, and the $
// keeps it apart from every feed name a file can define.
const AlertsFeed = "$alerts"

// AlertEvent is the event name of an alert firing. Its payload is
// {"rule", "level", "message", "feed", "key"}.
const AlertEvent = "alert"

// Alert levels.
const (
	AlertInfo    = "info"
	AlertWarning = "warning"
	AlertError   = "error"
)

// DefaultCooldown is how long a rule stays quiet for a key after firing.
const DefaultCooldown = time.Minute

// Alert is one alert rule: when an event from its feeds matches its events
// and its condition holds, it fires: an item in the alert list (or a banner),
// the bell, a desktop notification, a log record. Rules never run programs.
type Alert struct {
	// Name identifies the rule in the alert list and the log.
	Name string
	// Feeds the rule watches; empty means every feed.
	Feeds []string
	// Events are event-name globs the rule takes; empty means every event.
	Events []string
	// When is the condition (an expression, as in where:); nil fires on
	// every event the rule takes.
	When *render.Expr
	// Key is a payload path whose value the cooldown is kept per (e.g. host).
	Key string
	// Message is the text of a firing; nil says the rule's name.
	Message *render.Template
	// Level is info, warning or error.
	Level string
	// Cooldown is how long the rule stays quiet for a key after firing.
	Cooldown time.Duration
	// Bell rings the terminal bell when the rule fires.
	Bell bool
	// Notify sends a desktop notification (OSC 777 and OSC 9).
	Notify bool
	// Pos is where the rule is defined.
	Pos Pos

	at map[string]Pos
}

// Takes reports whether the rule looks at an event of the named feed.
func (a *Alert) Takes(feed, event string) bool {
	if len(a.Feeds) > 0 && !slices.Contains(a.Feeds, feed) {
		return false
	}
	return len(a.Events) == 0 || slices.ContainsFunc(a.Events, func(p string) bool { return matchEvent(p, event) })
}

// alertFields are the keys of one alert rule.
func alertFields() []spec[Alert] {
	return []spec[Alert]{
		must(textKey("name", "Names the rule in the alert list and the log.", func(a *Alert) *string { return &a.Name })),
		custom("feed", "The one feed the rule watches.", obj{{"type", "string"}}, func(d *decoder, a arg, r *Alert) {
			if s, ok := d.text(a.v, a.name); ok {
				r.Feeds = []string{s}
				r.at["feeds.0"] = d.pos(a.v)
			}
		}),
		custom("feeds", "Feeds the rule watches; omit for all feeds.", ref("stringList"), func(d *decoder, a arg, r *Alert) {
			items, _ := d.stringList(a.v, a.name)
			r.Feeds = []string{}
			for i, it := range items {
				r.Feeds = append(r.Feeds, it.val)
				r.at[fmt.Sprintf("feeds.%d", i)] = it.pos
			}
		}),
		custom("events", "Event names (globs) the rule looks at; omit for every event.", ref("stringList"),
			func(d *decoder, a arg, r *Alert) { r.Events = d.eventGlobs(a.v, a.name) }),
		custom("when", "Condition on the event, in the language of where:, e.g. cpu_pct > 90 && host != \"db-1\"; omit to fire on every event.", obj{{"type", "string"}},
			func(d *decoder, a arg, r *Alert) {
				if s, ok := d.text(a.v, a.name); ok {
					r.When, _ = d.expression(a.v, s, a.name, true)
				}
			}),
		pathKey("key", "Payload path the cooldown is kept per, e.g. host; omit for one cooldown per rule.", func(r *Alert) *string { return &r.Key }),
		custom("message", "Template of the alert's text, e.g. \"{host} CPU at {cpu_pct|%.0f}%\"; defaults to the rule's name.", obj{{"type", "string"}},
			func(d *decoder, a arg, r *Alert) { r.Message, _ = d.template(a.v, a.name) }),
		enumKey("level", "How serious a firing is.", []string{AlertInfo, AlertWarning, AlertError}, AlertWarning,
			func(r *Alert, s string) { r.Level = s }),
		durationKey("cooldown", "How long the rule stays quiet for the same key after firing.", DefaultCooldown, func(r *Alert) *time.Duration { return &r.Cooldown }),
		boolKey("bell", "Ring the terminal bell when the rule fires.", func(r *Alert) *bool { return &r.Bell }),
		boolKey("notify", "Send a desktop notification (OSC 777 and OSC 9; terminals without them ignore it).", func(r *Alert) *bool { return &r.Notify }),
	}
}

func (d *decoder) alerts(cfg *Config, n ast.Node) {
	n = d.resolve(n)
	seq, ok := n.(*ast.SequenceNode)
	if !ok {
		if isNull(n) {
			return
		}
		d.errorf(d.pos(n), span(n), "alerts must be a list of rules, got %s", describe(n)).Hint =
			"write each rule as a list item:\n  alerts:\n    - name: cpu high\n      feed: metrics\n      when: cpu_pct > 90"
		return
	}
	for i, el := range seq.Values {
		what := fmt.Sprintf("alert %d", i+1)
		es, ok := d.mapping(el, what)
		if !ok {
			continue
		}
		r := defaults(alertFields(), &Alert{Pos: d.pos(d.resolve(el)), at: map[string]Pos{}})
		for _, e := range es {
			if e.key == "name" {
				if s, ok := d.text(d.resolve(e.value), "name of "+what); ok && s != "" {
					what = fmt.Sprintf("alert %q", s)
				}
			}
		}
		if hasKey(es, "feed") && hasKey(es, "feeds") {
			for _, e := range es {
				if e.key == "feeds" {
					d.errorf(e.kpos, 5, "%s has both feed: and feeds:; use one", what)
				}
			}
			es = slices.DeleteFunc(es, func(e entry) bool { return e.key == "feeds" })
		}
		decodeFields(d, es, section{what: what, of: " of " + what, at: r.at}, alertFields(), r)
		cfg.Alerts = append(cfg.Alerts, r)
	}
}

func (k *checker) alerts() {
	c := k.c
	feedNames := make([]string, len(c.Feeds))
	for i, f := range c.Feeds {
		feedNames[i] = f.Name
	}
	seen := map[string]Pos{}
	for i, a := range c.Alerts {
		what := fmt.Sprintf("alert %d", i+1)
		switch {
		case a.Name == "" && !given(a.at, "name"):
			k.errorf(a.Pos, 1, "%s has no name", what).Hint = "give it one for the alert list and the log: name: cpu high"
		case a.Name != "":
			what = fmt.Sprintf("alert %q", a.Name)
			if first, dup := seen[a.Name]; dup {
				k.errorf(at(a.at, "name", a.Pos), utf8.RuneCountInString(a.Name), "alert %q is defined twice (first on line %d)", a.Name, first.Line)
			}
			seen[a.Name] = a.Pos
		}
		for j, f := range a.Feeds {
			if c.Feed(f) != nil {
				continue
			}
			e := k.errorf(at(a.at, fmt.Sprintf("feeds.%d", j), a.Pos), utf8.RuneCountInString(f), "%s names unknown feed %q%s", what, f, didYouMean(f, feedNames))
			if len(feedNames) > 0 && suggest(f, feedNames) == "" {
				e.Hint = "feeds defined: " + strings.Join(feedNames, ", ")
			}
		}
		if !slices.Contains([]string{AlertInfo, AlertWarning, AlertError}, a.Level) {
			k.errorf(at(a.at, "level", a.Pos), 1, "level of %s must be info, warning or error", what)
		}
		if a.Cooldown < 0 {
			k.errorf(at(a.at, "cooldown", a.Pos), 1, "cooldown of %s must not be negative", what)
		}
	}
}
