package config

import (
	"fmt"
	"slices"
	"strings"
)

// Warnings lists problems that do not stop livefeed from running: credentials
// written into the file, panes the layout left out, feeds no pane shows, TLS
// checks turned off. `livefeed config check` prints them.
func (c *Config) Warnings() ErrorList {
	ws := slices.Clone(c.warnings)
	warn := func(p Pos, msg, hint string) {
		if p.File == "" {
			p.File = c.Name
		}
		e := c.src.errorAt(p, 1, "%s", msg)
		e.Warning, e.Hint = true, hint
		ws = append(ws, e)
	}
	// A layout cell that misspells a pane is an error already; that pane
	// being "left out" is the same mistake.
	var misspelt []string
	for _, pg := range c.Layout.PageList() {
		for _, r := range pg.Rows {
			for _, cell := range r.Cells {
				if c.Pane(cell.Pane) == nil {
					misspelt = append(misspelt, cell.Pane)
				}
			}
		}
	}
	for _, id := range c.appended {
		meant := slices.ContainsFunc(misspelt, func(m string) bool { return suggest(m, []string{id}) != "" })
		if p := c.Pane(id); p != nil && !meant {
			warn(p.Pos, fmt.Sprintf("pane %q is not in the layout; it was added as a row at the bottom", id),
				fmt.Sprintf("place it yourself in layout:, e.g. - [%s]", id))
		}
	}
	// A pane naming a feed that does not exist is an error already; the
	// feed it meant would then be reported as unused, which only distracts.
	misnamed := slices.ContainsFunc(c.Panes, func(p *Pane) bool {
		return slices.ContainsFunc(p.Feeds, func(f string) bool { return c.Feed(f) == nil })
	})
	for _, f := range c.Feeds {
		if !c.Listened(f.Name) && !misnamed {
			warn(f.Pos, fmt.Sprintf("no pane shows events from feed %q", f.Name),
				fmt.Sprintf("add it to a pane's feeds:, or add a catch-all pane: - { id: raw, type: log } (see `livefeed config explain`)"))
		}
		if f.TLS.Insecure {
			msg := fmt.Sprintf("feed %q skips TLS certificate checks (insecure: true)", f.Name)
			hint := "anyone on the network path can read and change this feed; prefer ca_file: with your CA's certificate"
			if f.TLS.CAFile != "" {
				msg += "; its ca_file is ignored"
			}
			warn(at(f.at, "tls.insecure", f.Pos), msg, hint)
		}
		// fetch() refuses a GET with a body and most servers ignore one:
		// the method was probably forgotten.
		if _, badMethod := f.at["!method"]; f.Body != "" && f.Method == "GET" && !badMethod {
			key := "body"
			if f.BodyFile != "" {
				key = "body_file"
			}
			warn(at(f.at, key, f.Pos), fmt.Sprintf("feed %q sends a body with GET, which most servers ignore", f.Name),
				"set method: POST (or the method the API documents)")
		}
	}
	if len(c.Keys[ActQuit]) == 0 {
		warn(keyPos(c, ActQuit), "quit has no keys; only ctrl+c will quit", "")
	}
	for _, p := range c.Panes {
		// A template for an event the pane never takes can never apply:
		// usually a misspelt event name.
		for _, r := range p.Text {
			if r.Event == "" || isGlob(r.Event) || len(p.Events) == 0 {
				continue
			}
			if !slices.ContainsFunc(p.Events, func(pat string) bool { return matchEvent(pat, r.Event) }) {
				warn(r.Pos, fmt.Sprintf("the text for %q in pane %q never applies: the pane only takes %s%s",
					r.Event, p.ID, strings.Join(slices.Compact(slices.Clone(p.Events)), ", "), didYouMean(r.Event, p.Events)), "")
			}
		}
		for i, ev := range p.Events {
			if slices.Index(p.Events, ev) < i {
				warn(at(p.at, fmt.Sprintf("events.%d", i), p.Pos), fmt.Sprintf("pane %q lists event %q twice", p.ID, ev), "")
			}
		}
	}
	ws.Sort()
	return ws
}

func keyPos(c *Config, a Action) Pos {
	if ps, ok := c.keyAt[a]; ok && len(ps) > 0 {
		return ps[0]
	}
	return Pos{}
}
