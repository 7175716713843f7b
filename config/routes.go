package config

import (
	"slices"
	"strings"
)

// The routing rules, stated once as questions about a config (for explain
// and lint). live.Router answers Route for every event and so precomputes
// it from these.
//
// A pane takes an event from a feed it listens to (its feeds, or every feed
// when it names none) when the event's name matches one of its events
// patterns (path.Match globs: * ? [a-z], where * does not cross '/'); a pane
// with no events takes every event of its feeds, except a log pane with no
// events, which takes only the events no other pane took. An event can go to
// several panes, or to none. Feeds the config does not define reach only
// the panes that name no feeds.
//
// A pane with where: conditions takes only the events, among those, whose
// payload meets them; when that leaves an event to no pane, the catch-all
// log panes get it (live.Router.RouteEvent). Route and Unmatched answer by
// name only, as if every condition held.

// listensTo is Listens, for feeds the config may not define.
func (c *Config) listensTo(p *Pane, feed string) bool {
	if c.Feed(feed) == nil {
		return len(p.Feeds) == 0
	}
	return p.Listens(feed)
}

// Route returns the ids of the panes an event goes to, in config order (nil
// when it goes nowhere).
func (c *Config) Route(feed, event string) []string {
	var ids, rest []string
	for _, p := range c.Panes {
		switch {
		case !c.listensTo(p, feed):
		case p.CatchAll():
			rest = append(rest, p.ID)
		case len(p.Events) == 0 || slices.ContainsFunc(p.Events, func(pat string) bool { return matchEvent(pat, event) }):
			ids = append(ids, p.ID)
		}
	}
	if len(ids) == 0 {
		return rest
	}
	return ids
}

// Listened reports whether any pane shows events from the feed.
func (c *Config) Listened(feed string) bool {
	return c.Feed(feed) != nil && slices.ContainsFunc(c.Panes, func(p *Pane) bool { return p.Listens(feed) })
}

// Unmatched returns the panes that get a feed's events whose names no
// pattern mentions: the panes taking every event (no events, or a "*"
// pattern) if there are any, else the catch-all log panes; nil means such
// events are dropped. Narrower globs may still take some of them.
func (c *Config) Unmatched(feed string) []string {
	var other, rest []string
	for _, p := range c.Panes {
		switch {
		case !c.listensTo(p, feed):
		case p.CatchAll():
			rest = append(rest, p.ID)
		case len(p.Events) == 0 || slices.ContainsFunc(p.Events, universal):
			other = append(other, p.ID)
		}
	}
	if len(other) == 0 {
		return rest
	}
	return other
}

func isGlob(p string) bool { return strings.ContainsAny(p, `*?[\`) }

// universal reports whether a pattern matches every event name, like "*".
func universal(pat string) bool { return pat != "" && strings.Trim(pat, "*") == "" }
