package config

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
)

// Changes is what differs between two configs, for hot reload: reconnect
// only the feeds that changed, rebuild only the panes that changed.
type Changes struct {
	FeedsAdded, FeedsRemoved, FeedsChanged []string
	// FeedsRerouted changed only how their events are named or dropped
	// (event_from, drop): the router changes, the connection stays.
	FeedsRerouted                          []string
	PanesAdded, PanesRemoved, PanesChanged []string
	// Layout, Theme, Keys and Alerts are set when that part differs.
	Layout, Theme, Keys, Alerts bool
}

// Diff compares two configs. A feed counts as changed when any setting that
// affects its connection differs (URL, headers, timings, size limit, TLS),
// as rerouted when only event_from or drop differ; a pane when anything
// about it differs. Where things are
// written in the file does not matter. Names are listed in the new config's
// order (removed ones in the old config's).
func Diff(old, new *Config) Changes {
	var ch Changes
	for _, f := range new.Feeds {
		switch of := old.Feed(f.Name); {
		case of == nil:
			ch.FeedsAdded = append(ch.FeedsAdded, f.Name)
		case !f.Equal(of) && !f.connectsLike(of):
			ch.FeedsChanged = append(ch.FeedsChanged, f.Name)
		case !f.Equal(of):
			ch.FeedsRerouted = append(ch.FeedsRerouted, f.Name)
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
	ch.Alerts = !same(old.Alerts, new.Alerts)
	return ch
}

// Empty reports whether nothing changed.
func (ch Changes) Empty() bool {
	return len(ch.FeedsAdded)+len(ch.FeedsRemoved)+len(ch.FeedsChanged)+len(ch.FeedsRerouted)+
		len(ch.PanesAdded)+len(ch.PanesRemoved)+len(ch.PanesChanged) == 0 &&
		!ch.Layout && !ch.Theme && !ch.Keys && !ch.Alerts
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
	list("feeds rerouted:", ch.FeedsRerouted)
	list("panes added:", ch.PanesAdded)
	list("panes removed:", ch.PanesRemoved)
	list("panes changed:", ch.PanesChanged)
	for _, x := range []struct {
		set  bool
		name string
	}{{ch.Layout, "layout"}, {ch.Theme, "theme"}, {ch.Keys, "keys"}, {ch.Alerts, "alerts"}} {
		if x.set {
			parts = append(parts, x.name+" changed")
		}
	}
	return strings.Join(parts, "; ")
}

// Equal reports whether two feeds are configured alike (positions ignored).
func (f *Feed) Equal(o *Feed) bool { return same(f, o) }

// connectsLike reports whether two feeds connect the same way: alike but
// for the settings applied to their events after they arrive.
func (f *Feed) connectsLike(o *Feed) bool {
	a, b := *f, *o
	a.EventFrom, a.Drop = "", nil
	b.EventFrom, b.Drop = "", nil
	return same(&a, &b)
}

// Equal reports whether two panes show the same things the same way
// (positions ignored; templates and formats compared by their source).
func (p *Pane) Equal(o *Pane) bool { return same(p, o) }

// Equal reports whether two columns render the same (positions ignored).
func (c *Column) Equal(o *Column) bool { return same(c, o) }

// Equal compares two colour rules.
func (r ColorRule) Equal(o ColorRule) bool { return same(r, o) }

// Equal compares two layouts, ignoring positions.
func (l Layout) Equal(o Layout) bool { return same(l, o) }

// same compares config data by its exported fields, so that a key added to
// a section's table needs no line here and Diff cannot miss its change (a
// missed one would keep a stale connection or pane after a reload).
// Positions are ignored, templates and formats compared by their source,
// and a nil slice or map equals an empty one.
func same(a, b any) bool { return sameValue(reflect.ValueOf(a), reflect.ValueOf(b)) }

var stringerType = reflect.TypeFor[fmt.Stringer]()

func sameValue(a, b reflect.Value) bool {
	switch a.Kind() {
	case reflect.Pointer:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		if a.Type().Implements(stringerType) {
			return a.Interface().(fmt.Stringer).String() == b.Interface().(fmt.Stringer).String()
		}
		return sameValue(a.Elem(), b.Elem())
	case reflect.Struct:
		for i := range a.NumField() {
			if f := a.Type().Field(i); f.IsExported() && f.Type != reflect.TypeFor[Pos]() && !sameValue(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	case reflect.Slice:
		if a.Len() != b.Len() {
			return false
		}
		for i := range a.Len() {
			if !sameValue(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Map:
		if a.Len() != b.Len() {
			return false
		}
		for it := a.MapRange(); it.Next(); {
			if v := b.MapIndex(it.Key()); !v.IsValid() || !sameValue(it.Value(), v) {
				return false
			}
		}
		return true
	}
	return a.Equal(b)
}
