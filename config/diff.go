package config

import (
	"fmt"

	"github.com/livefeed/livefeed/render"
	"maps"
	"slices"
	"strings"
)

// Changes is what differs between two configs, for hot reload: reconnect
// only the feeds that changed, rebuild only the panes that changed.
type Changes struct {
	FeedsAdded, FeedsRemoved, FeedsChanged []string
	PanesAdded, PanesRemoved, PanesChanged []string
	// Layout, Theme and Keys are set when that part differs.
	Layout, Theme, Keys bool
}

// Diff compares two configs. A feed counts as changed when any setting that
// affects its connection differs (all of them do: URL, headers, timings,
// size limit, TLS); a pane when anything about it differs. Where things are
// written in the file does not matter. Names are listed in the new config's
// order (removed ones in the old config's).
func Diff(old, new *Config) Changes {
	var ch Changes
	for _, f := range new.Feeds {
		switch of := old.Feed(f.Name); {
		case of == nil:
			ch.FeedsAdded = append(ch.FeedsAdded, f.Name)
		case !f.Equal(of):
			ch.FeedsChanged = append(ch.FeedsChanged, f.Name)
		}
	}
	for _, f := range old.Feeds {
		if new.Feed(f.Name) == nil {
			ch.FeedsRemoved = append(ch.FeedsRemoved, f.Name)
		}
	}
	for _, p := range new.Panes {
		switch op := old.Pane(p.ID); {
		case op == nil:
			ch.PanesAdded = append(ch.PanesAdded, p.ID)
		case !p.Equal(op):
			ch.PanesChanged = append(ch.PanesChanged, p.ID)
		}
	}
	for _, p := range old.Panes {
		if new.Pane(p.ID) == nil {
			ch.PanesRemoved = append(ch.PanesRemoved, p.ID)
		}
	}
	ch.Layout = !old.Layout.Equal(new.Layout)
	ch.Theme = !maps.Equal(old.Theme, new.Theme)
	ch.Keys = !maps.EqualFunc(old.Keys, new.Keys, slices.Equal[[]string])
	return ch
}

// Empty reports whether nothing changed.
func (ch Changes) Empty() bool {
	return len(ch.FeedsAdded)+len(ch.FeedsRemoved)+len(ch.FeedsChanged)+
		len(ch.PanesAdded)+len(ch.PanesRemoved)+len(ch.PanesChanged) == 0 &&
		!ch.Layout && !ch.Theme && !ch.Keys
}

// String summarizes the changes on one line, for logs and the status bar.
func (ch Changes) String() string {
	if ch.Empty() {
		return "no changes"
	}
	var parts []string
	list := func(what string, names []string) {
		if len(names) > 0 {
			parts = append(parts, fmt.Sprintf("%s %s", what, strings.Join(names, ", ")))
		}
	}
	list("feeds added:", ch.FeedsAdded)
	list("feeds removed:", ch.FeedsRemoved)
	list("feeds changed:", ch.FeedsChanged)
	list("panes added:", ch.PanesAdded)
	list("panes removed:", ch.PanesRemoved)
	list("panes changed:", ch.PanesChanged)
	for _, x := range []struct {
		set  bool
		name string
	}{{ch.Layout, "layout"}, {ch.Theme, "theme"}, {ch.Keys, "keys"}} {
		if x.set {
			parts = append(parts, x.name+" changed")
		}
	}
	return strings.Join(parts, "; ")
}

// Equal reports whether two feeds connect the same way (positions ignored).
func (f *Feed) Equal(o *Feed) bool {
	return f.Name == o.Name && f.URL == o.URL && maps.Equal(f.Headers, o.Headers) &&
		f.Retry == o.Retry && f.MaxBackoff == o.MaxBackoff && f.Stale == o.Stale &&
		f.MaxEventSize == o.MaxEventSize && f.ConnectTimeout == o.ConnectTimeout && f.TLS == o.TLS
}

// Equal reports whether two panes show the same things the same way
// (positions ignored; templates and formats compared by their source).
func (p *Pane) Equal(o *Pane) bool {
	return p.ID == o.ID && p.Type == o.Type && p.Title == o.Title &&
		slices.Equal(p.Feeds, o.Feeds) && slices.Equal(p.Events, o.Events) &&
		p.Key == o.Key && p.Level == o.Level && p.Max == o.Max &&
		slices.EqualFunc(p.Columns, o.Columns, (*Column).Equal) &&
		slices.EqualFunc(p.Text, o.Text, func(a, b TextRule) bool {
			return a.Event == b.Event && templateSrc(a.Template) == templateSrc(b.Template)
		})
}

// Equal reports whether two columns render the same (positions ignored).
func (c *Column) Equal(o *Column) bool {
	return c.Title == o.Title && c.Path == o.Path && templateSrc(c.Text) == templateSrc(o.Text) &&
		formatSrc(c) == formatSrc(o) && c.Color.Equal(o.Color) &&
		c.Spark == o.Spark && equalPtr(c.SparkRange, o.SparkRange) && c.Width == o.Width && c.Align == o.Align
}

// Equal compares two colour rules.
func (r ColorRule) Equal(o ColorRule) bool {
	return r.Mode == o.Mode && r.Role == o.Role && maps.Equal(r.Map, o.Map)
}

// Equal compares two layouts, ignoring positions.
func (l Layout) Equal(o Layout) bool {
	return l.Auto == o.Auto && slices.EqualFunc(l.Rows, o.Rows, func(a, b Row) bool {
		return a.Weight == b.Weight && a.MinHeight == b.MinHeight &&
			slices.EqualFunc(a.Cells, b.Cells, func(x, y Cell) bool {
				return x.Pane == y.Pane && x.Weight == y.Weight && x.MinWidth == y.MinWidth
			})
	})
}

func formatSrc(c *Column) string {
	if c.Format == nil {
		return ""
	}
	return "\x00" + c.Format.String()
}

func templateSrc(t *render.Template) string {
	if t == nil {
		return ""
	}
	return "\x00" + t.String()
}

func equalPtr[T comparable](a, b *T) bool {
	return a == b || (a != nil && b != nil && *a == *b)
}
