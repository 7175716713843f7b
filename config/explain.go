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
	r := NewRouter(c)
	type line struct{ pattern, dest string }
	type block struct {
		head  string
		lines []line
	}
	label := func(ids []string) string {
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
			parts[i] = fmt.Sprintf("%s (%s)", id, kind)
		}
		return strings.Join(parts, ", ")
	}
	var blocks []block
	width := 0
	for _, f := range c.Feeds {
		b := block{head: fmt.Sprintf("feed %s  %s", f.Name, redact.URL(f.URL))}
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
				ids = r.Route(f.Name, pat)
			}
			b.lines = append(b.lines, line{pat, label(ids)})
		}
		other := "other events"
		if len(patterns) == 0 {
			other = "every event"
		}
		b.lines = append(b.lines, line{other, label(r.Unmatched(f.Name))})
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
	if ws := c.Warnings(); len(ws) > 0 {
		sb.WriteString("\nWarnings:\n")
		for _, e := range ws {
			fmt.Fprintf(&sb, "  %s\n", strings.TrimPrefix(e.Error(), "warning: "))
		}
	}
	_, err := io.WriteString(w, sb.String())
	return err
}
