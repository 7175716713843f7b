package config

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/livefeed/livefeed/redact"
)

// Explain writes, for each feed, which event names go to which panes and
// what happens to all other events, followed by the config's warnings. The
// output is for people: aligned columns, no markup.
func Explain(w io.Writer, c *Config) error {
	type line struct{ pattern, dest string }
	type block struct {
		head  string
		lines []line
	}
	// label names the panes an event goes to; ev, when it is one name,
	// adds what that name does there besides (remove_on, reset_on).
	label := func(ids []string, ev string) string {
		if len(ids) == 0 {
			return "dropped (no pane takes them)"
		}
		parts := make([]string, len(ids))
		for i, id := range ids {
			p := c.Pane(id)
			kind := string(p.Type)
			if p.CatchAll() {
				kind += ", catch-all"
			}
			if w := p.WhereText(); w != "" {
				kind += ", only where " + w
			}
			switch {
			case ev == "":
			case slices.ContainsFunc(p.RemoveOn, func(pat string) bool { return matchEvent(pat, ev) }):
				kind += ", removes the row with its key"
			case slices.ContainsFunc(p.ResetOn, func(pat string) bool { return matchEvent(pat, ev) }):
				kind += ", starts a new transcript"
			}
			parts[i] = fmt.Sprintf("%s (%s)", id, kind)
		}
		return strings.Join(parts, ", ")
	}
	var blocks []block
	width := 0
	for _, f := range c.Feeds {
		b := block{head: fmt.Sprintf("feed %s  %s", f.Name, redact.URL(f.URL))}
		if f.Method != "" && f.Method != "GET" {
			b.head = fmt.Sprintf("feed %s  %s %s", f.Name, f.Method, redact.URL(f.URL))
		}
		if f.EndOn != "" {
			b.head += fmt.Sprintf("  (ends on data %q)", f.EndOn)
		}
		if f.EventFrom != "" {
			b.head += fmt.Sprintf("\n  (event names from the payload's %s when it is non-empty text)", f.EventFrom)
		}
		for _, pat := range f.Drop {
			b.lines = append(b.lines, line{pat, "dropped before routing (drop:)"})
		}
		var patterns []string
		for _, p := range c.Panes {
			if p.Listens(f.Name) {
				for _, ev := range p.Events {
					if !slices.Contains(patterns, ev) {
						patterns = append(patterns, ev)
					}
				}
			}
		}
		for _, pat := range patterns {
			var ids []string
			if isGlob(pat) {
				for _, p := range c.Panes {
					if p.Listens(f.Name) && !p.CatchAll() && (len(p.Events) == 0 || slices.Contains(p.Events, pat)) {
						ids = append(ids, p.ID)
					}
				}
			} else {
				ids = c.Route(f.Name, pat)
			}
			ev := pat
			if isGlob(pat) {
				ev = ""
			}
			b.lines = append(b.lines, line{pat, label(ids, ev)})
		}
		other := "other events"
		if len(patterns) == 0 && len(f.Drop) == 0 {
			other = "every event"
		}
		b.lines = append(b.lines, line{other, label(c.Unmatched(f.Name), "")})
		var filtered, rest []string
		for _, p := range c.Panes {
			switch {
			case !p.Listens(f.Name):
			case p.CatchAll():
				rest = append(rest, p.ID)
			case len(p.Where) > 0:
				filtered = append(filtered, p.ID)
			}
		}
		if len(filtered) > 0 {
			b.lines = append(b.lines, line{"failing where", label(rest, "") + ", when no other pane takes them"})
		}
		for _, l := range b.lines {
			width = max(width, utf8.RuneCountInString(l.pattern))
		}
		blocks = append(blocks, b)
	}
	var sb strings.Builder
	name := c.Name
	if name == "" {
		name = DefaultName
	}
	fmt.Fprintf(&sb, "Routing in %s\n", name)
	for _, b := range blocks {
		fmt.Fprintf(&sb, "\n%s\n", b.head)
		for _, l := range b.lines {
			pad := strings.Repeat(" ", width-utf8.RuneCountInString(l.pattern))
			fmt.Fprintf(&sb, "  %s%s  → %s\n", l.pattern, pad, l.dest)
		}
	}
	if len(c.Alerts) > 0 {
		sb.WriteString(c.explainAlerts())
	}
	if ws := c.Warnings(); len(ws) > 0 {
		sb.WriteString("\nWarnings:\n")
		for _, e := range ws {
			fmt.Fprintf(&sb, "  %s\n", strings.TrimPrefix(e.Error(), "warning: "))
		}
	}
	_, err := io.WriteString(w, sb.String())
	return err
}

// explainAlerts says what each alert rule watches and where its firings go.
func (c *Config) explainAlerts() string {
	var panes []string
	for _, p := range c.Panes {
		if p.ShowsAlerts() {
			panes = append(panes, fmt.Sprintf("%s (%s)", p.ID, p.Type))
		}
	}
	// The same rule as the TUI's: every pane with feed: $alerts, else the
	// banner.
	dest := "the banner (no pane has feed: $alerts)"
	if len(panes) > 0 {
		dest = strings.Join(panes, ", ")
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "\nalert rules  → %s and the log\n", dest)
	width := 0
	for _, a := range c.Alerts {
		width = max(width, utf8.RuneCountInString(a.Name))
	}
	for _, a := range c.Alerts {
		feeds, events := "every feed", "every event"
		if len(a.Feeds) > 0 {
			feeds = strings.Join(a.Feeds, ", ")
		}
		if len(a.Events) > 0 {
			events = strings.Join(a.Events, ", ")
		}
		parts := []string{feeds + ": " + events}
		if a.When != nil {
			parts = append(parts, "when "+a.When.String())
		}
		parts = append(parts, a.Level)
		if a.Cooldown > 0 {
			cd := "cooldown " + showDuration(a.Cooldown)
			if a.Key != "" {
				cd += " per " + a.Key
			}
			parts = append(parts, cd)
		}
		if a.Bell {
			parts = append(parts, "bell")
		}
		if a.Notify {
			parts = append(parts, "notify")
		}
		pad := strings.Repeat(" ", width-utf8.RuneCountInString(a.Name))
		fmt.Fprintf(&sb, "  %s%s  %s\n", a.Name, pad, strings.Join(parts, " · "))
	}
	return sb.String()
}

// ExplainKeys writes every key a config file may hold, section by section,
// with its type, what it does and its default. It is derived from the same
// tables as the decoder and Schema, so it cannot fall behind them.
func ExplainKeys(w io.Writer) error {
	common := paneFields()
	for i := range common {
		if common[i].key == "type" {
			common[i].schema = obj{{"enum", paneTypeNames()}}
		}
	}
	var sb strings.Builder
	sb.WriteString("Keys of a livefeed config, by section: the type, then what it does and its default.\n" +
		"`livefeed config schema` gives the same as a JSON Schema for editors.\n")
	write := func(title string, schema obj) {
		fmt.Fprintf(&sb, "\n%s\n", title)
		props, _ := schema.get("properties").(obj)
		req, _ := schema.get("required").([]string)
		width := 0
		for _, p := range props {
			width = max(width, utf8.RuneCountInString(p.k))
		}
		for _, p := range props {
			o, _ := p.v.(obj)
			kind := kindOf(o)
			if slices.Contains(req, p.k) {
				kind += ", required"
			}
			fmt.Fprintf(&sb, "  %-*s  %s\n", width, p.k, kind)
			if d, ok := o.get("description").(string); ok {
				fmt.Fprintf(&sb, "  %*s  %s\n", width, "", d)
			}
		}
	}
	write("top level", object(topFields()))
	write("feeds.NAME", object(feedFields()))
	write("feeds.NAME.tls", object(tlsFields()))
	write("panes[] (every pane)", object(common))
	for _, k := range paneKinds() {
		write(fmt.Sprintf("panes[] of type %s: %s", k.typ, strings.TrimPrefix(k.doc, string(k.typ)+": ")), object(k.fields))
	}
	write("panes[].columns[] (or just a payload path)", object(columnFields()))
	write("layout[] (or [pane, pane: weight, …])", object(rowFields()))
	write("layout[].panes[] (or pane, or pane: weight)", object(cellFields()))
	write("layout.pages[] (a layout of named pages)", object(pageFields()))
	write("alerts[]", object(alertFields()))
	write("theme", obj{{"properties", themeProperties()}})
	write("keys", obj{{"properties", keyProperties()}})
	_, err := io.WriteString(w, sb.String())
	return err
}

// kindOf names the type a JSON Schema describes, for people.
func kindOf(o obj) string {
	if r, ok := o.get("$ref").(string); ok {
		name := strings.TrimPrefix(r, "#/$defs/")
		if k, ok := map[string]string{"stringList": "text or list of text", "keyList": "key or list of keys", "color": "colour"}[name]; ok {
			return k
		}
		return name
	}
	if e := o.get("enum"); e != nil {
		var words []string
		switch v := e.(type) {
		case []string:
			words = v
		case []any:
			for _, x := range v {
				words = append(words, fmt.Sprint(x))
			}
		}
		return "one of " + strings.Join(words, ", ")
	}
	if c := o.get("const"); c != nil {
		return fmt.Sprint(c)
	}
	if alts, ok := o.get("anyOf").([]any); ok {
		var kinds []string
		for _, a := range alts {
			sub, _ := a.(obj)
			kinds = append(kinds, kindOf(sub))
		}
		return strings.Join(kinds, ", or ")
	}
	switch o.get("type") {
	case "string":
		return "text"
	case "boolean":
		return "true or false"
	case "integer":
		return fmt.Sprintf("whole number %v to %v", o.get("minimum"), o.get("maximum"))
	case "number":
		return "number"
	case "array":
		if items, ok := o.get("items").(obj); ok {
			return "list of " + kindOf(items)
		}
		return "list"
	case "object":
		return "mapping"
	}
	return "any"
}
