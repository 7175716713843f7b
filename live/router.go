package live

import (
	"path"
	"slices"
	"strings"
	"time"

	"github.com/livefeed/livefeed/config"
	"github.com/livefeed/livefeed/feed"
	"github.com/livefeed/livefeed/render"
	"github.com/tidwall/gjson"
)

// Router decides which panes an event goes to, by config.Config's routing
// rules (see config.Config.Route), precomputed so that the common case costs
// one map lookup and no allocation. It is built once from a config and is
// safe for concurrent use.
type Router struct {
	feeds    map[string]*feedRoute
	fallback *feedRoute // for feeds the config does not define
	single   [][]string // single[i] is []string{Panes[i].ID}, shared by results
	ids      []string
	where    map[string][]*render.Expr // conditions of the panes that have any
}

type feedRoute struct {
	exact  map[string][]string // every result for names some pane lists literally
	globs  []globRoute
	all    []int    // panes taking every event, in config order
	allIDs []string // ids of all
	rest   []string // catch-all log panes, for events nobody took
	other  []string // where an event no literal names goes: every-event panes and "*" globs, else rest
	listen bool     // some pane listens to this feed

	eventFrom string          // payload path of the event's name, or ""
	drop      map[string]bool // literal names dropped before routing
	dropGlobs []string        // glob patterns dropped before routing
}

type globRoute struct {
	pattern string
	pane    int
}

func isGlob(p string) bool { return strings.ContainsAny(p, `*?[\`) }

// NewRouter precomputes routes for a config. Literal event names are looked
// up in a map, so the common case costs one lookup and no allocation.
func NewRouter(c *config.Config) *Router {
	r := &Router{feeds: map[string]*feedRoute{}}
	for _, p := range c.Panes {
		r.ids = append(r.ids, p.ID)
		r.single = append(r.single, []string{p.ID})
		if len(p.Where) > 0 {
			if r.where == nil {
				r.where = map[string][]*render.Expr{}
			}
			r.where[p.ID] = p.Where
		}
	}
	for _, f := range c.Feeds {
		r.feeds[f.Name] = r.build(c, f.Name, true)
	}
	r.fallback = r.build(c, "", false)
	return r
}

func (r *Router) build(c *config.Config, feed string, known bool) *feedRoute {
	fr := &feedRoute{exact: map[string][]string{}}
	listens := func(p *config.Pane) bool {
		if !known {
			return len(p.Feeds) == 0
		}
		return p.Listens(feed)
	}
	for i, p := range c.Panes {
		if !listens(p) {
			continue
		}
		switch {
		case p.CatchAll():
			fr.rest = append(fr.rest, p.ID)
		case len(p.Events) == 0:
			fr.all = append(fr.all, i)
			fr.allIDs = append(fr.allIDs, p.ID)
		default:
			for _, ev := range p.Events {
				if isGlob(ev) {
					fr.globs = append(fr.globs, globRoute{ev, i})
				} else if _, ok := fr.exact[ev]; !ok {
					fr.exact[ev] = c.Route(feed, ev)
				}
			}
		}
	}
	fr.listen = known && c.Listened(feed)
	if f := c.Feed(feed); known && f != nil {
		fr.eventFrom = f.EventFrom
		for _, pat := range f.Drop {
			if isGlob(pat) {
				fr.dropGlobs = append(fr.dropGlobs, pat)
				continue
			}
			if fr.drop == nil {
				fr.drop = map[string]bool{}
			}
			fr.drop[pat] = true
		}
	}
	fr.other = c.Unmatched(feed)
	return fr
}

// Route returns the ids of the panes an event goes to, in config order (nil
// when it goes nowhere). The slice is shared: do not modify it.
func (r *Router) Route(feed, event string) []string {
	ids, _ := r.route(feed, event)
	return ids
}

// route is Route, also returning the feed's catch-all panes.
func (r *Router) route(feed, event string) (ids, rest []string) {
	fr, ok := r.feeds[feed]
	if !ok {
		fr = r.fallback
	}
	if ids, ok := fr.exact[event]; ok {
		return ids, fr.rest
	}
	var buf [8]int
	matched := buf[:0]
	for _, g := range fr.globs {
		if !slices.Contains(matched, g.pane) && matchEvent(g.pattern, event) {
			matched = append(matched, g.pane)
		}
	}
	switch {
	case len(matched) == 0 && len(fr.all) > 0:
		return fr.allIDs, fr.rest
	case len(matched) == 0:
		return fr.rest, fr.rest
	case len(matched) == 1 && len(fr.all) == 0:
		return r.single[matched[0]], fr.rest
	}
	matched = append(matched, fr.all...)
	slices.Sort(matched)
	ids = make([]string, len(matched))
	for i, m := range matched {
		ids[i] = r.ids[m]
	}
	return ids, fr.rest
}

// Prepare applies a feed's event_from and drop: settings to a batch before
// its events are counted and routed: events take their name from the
// payload where the feed says so, and dropped events leave the batch (in
// place; the batch is the caller's). It returns how many were dropped. A
// feed with neither setting costs one map lookup per batch.
func (r *Router) Prepare(b *feed.Batch) (dropped int) {
	fr, ok := r.feeds[b.Feed]
	if !ok || (fr.eventFrom == "" && fr.drop == nil && fr.dropGlobs == nil) {
		return 0
	}
	kept := b.Events[:0]
	for _, ev := range b.Events {
		if fr.eventFrom != "" {
			if v := gjson.Get(ev.Data, fr.eventFrom); v.Type == gjson.String && v.Str != "" {
				ev.Type = v.Str
			}
		}
		if fr.drops(ev.Type) {
			dropped++
			continue
		}
		kept = append(kept, ev)
	}
	clear(b.Events[len(kept):]) // let the dropped payloads go
	b.Events = kept
	return dropped
}

// Drops reports whether a feed discards events of this name before routing.
func (r *Router) Drops(feed, event string) bool {
	fr, ok := r.feeds[feed]
	return ok && fr.drops(event)
}

func (fr *feedRoute) drops(event string) bool {
	if fr.drop[event] {
		return true
	}
	for _, pat := range fr.dropGlobs {
		if matchEvent(pat, event) {
			return true
		}
	}
	return false
}

// RouteEvent is Route for one event, also applying the panes' where:
// conditions to its payload. A pane whose condition fails does not take the
// event, so when no other pane does, the catch-all log panes get it. Panes
// without where: cost nothing more than Route (no allocation); the slice
// may be shared: do not modify it.
func (r *Router) RouteEvent(feedName string, ev *feed.Event, at time.Time) []string {
	ids, rest := r.route(feedName, ev.Type)
	if r.where == nil || len(ids) == 0 {
		return ids
	}
	m := render.Meta{Feed: feedName, Event: ev.Type, ID: ev.ID, Time: at}
	kept := r.keep(ids, ev.Data, m)
	if len(kept) > 0 || len(rest) == 0 || sameSlice(ids, rest) {
		return kept
	}
	return r.keep(rest, ev.Data, m)
}

// keep returns the ids whose panes' conditions hold: ids itself when all
// do, so that only a failing condition costs an allocation.
func (r *Router) keep(ids []string, data string, m render.Meta) []string {
	for i, id := range ids {
		if r.holds(id, data, m) {
			continue
		}
		kept := make([]string, i, len(ids)-1)
		copy(kept, ids[:i])
		for _, id := range ids[i+1:] {
			if r.holds(id, data, m) {
				kept = append(kept, id)
			}
		}
		return kept
	}
	return ids
}

func (r *Router) holds(id, data string, m render.Meta) bool {
	for _, w := range r.where[id] {
		if !w.Holds(data, m) {
			return false
		}
	}
	return true
}

// Where returns the conditions of a pane (nil when it has none).
func (r *Router) Where(id string) []*render.Expr { return r.where[id] }

func sameSlice(a, b []string) bool { return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0]) }

// Listened reports whether any pane shows events from the feed.
func (r *Router) Listened(feed string) bool {
	fr, ok := r.feeds[feed]
	return ok && fr.listen
}

// Unmatched returns the panes that get a feed's events whose names no
// pattern mentions: the panes taking every event (no events, or a "*"
// pattern) if there are any, else the catch-all log panes; nil means such
// events are dropped. Narrower globs may still take some of them.
func (r *Router) Unmatched(feed string) []string {
	fr, ok := r.feeds[feed]
	if !ok {
		fr = r.fallback
	}
	return fr.other
}

// matchEvent matches an event name against a pattern config has checked.
func matchEvent(pattern, name string) bool {
	ok, _ := path.Match(pattern, name)
	return ok
}
