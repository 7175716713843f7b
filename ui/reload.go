package ui

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/livefeed/livefeed/config"
	"github.com/livefeed/livefeed/live"
	"github.com/livefeed/livefeed/redact"
)

// reloadInterval is how often the config file is looked at. Polling needs no
// extra dependency and survives editors that replace the file on save.
const reloadInterval = time.Second

// fileStamp is what the watcher last saw of the config file; the hash tells
// a real edit from a touch.
type fileStamp struct {
	ok      bool
	gone    bool // the last look could not read the file
	modTime time.Time
	size    int64
	hash    [sha256.Size]byte
}

// configCheckMsg reports one look at the config file. cfg is set when the
// file changed and is valid; err when it changed and is not (or cannot be
// read). Neither means nothing changed.
type configCheckMsg struct {
	stamp    fileStamp
	cfg      *config.Config
	err      error
	restored bool // the file is readable again, unchanged
}

// watchConfig schedules the next look at the config file (nil for the
// built-in config, which has no file).
func watchConfig(loc config.Location, env config.Env, prev fileStamp, after time.Duration) tea.Cmd {
	if loc.Path == "" {
		return nil
	}
	check := func() tea.Msg { return checkConfig(loc, env, prev) }
	if after <= 0 {
		return check
	}
	return tea.Tick(after, func(time.Time) tea.Msg { return check() })
}

// checkConfig stats the file and, if its time or size moved and its content
// really changed, loads it. The first look only records the stamp.
func checkConfig(loc config.Location, env config.Env, prev fileStamp) configCheckMsg {
	gone := prev
	gone.gone = true
	fi, err := os.Stat(loc.Path)
	if err != nil {
		return configCheckMsg{stamp: gone, err: fmt.Errorf("config file %s: %w", loc.Path, errors.Unwrap(err))}
	}
	if prev.ok && !prev.gone && fi.ModTime().Equal(prev.modTime) && fi.Size() == prev.size {
		return configCheckMsg{stamp: prev}
	}
	data, err := os.ReadFile(loc.Path)
	if err != nil {
		return configCheckMsg{stamp: gone, err: fmt.Errorf("reading config: %w", err)}
	}
	st := fileStamp{ok: true, modTime: fi.ModTime(), size: fi.Size(), hash: sha256.Sum256(data)}
	if !prev.ok || st.hash == prev.hash {
		return configCheckMsg{stamp: st, restored: prev.gone}
	}
	cfg, err := config.Load(loc, env)
	if err != nil {
		return configCheckMsg{stamp: st, err: err}
	}
	return configCheckMsg{stamp: st, cfg: cfg}
}

// bannerText is the one-line summary of a failed reload: the first error
// and how many more there are.
func bannerText(err error) string {
	var list config.ErrorList
	if errors.As(err, &list) {
		errs := list.Errors()
		if len(errs) == 0 {
			return ""
		}
		s := "config not reloaded: " + redact.Text(errs[0].Error())
		if len(errs) > 1 {
			s += fmt.Sprintf(" (+%d more)", len(errs)-1)
		}
		return s
	}
	first, _, _ := strings.Cut(err.Error(), "\n")
	return "config not reloaded: " + redact.Text(first)
}

// applyConfig switches the model to a new, valid config, keeping whatever
// did not change: unchanged feeds keep their connections (the returned
// command restarts only the others) and unchanged panes keep their data.
func (m *Model) applyConfig(cfg *config.Config) tea.Cmd {
	ch := config.Diff(m.cfg, cfg)
	m.cfg = cfg
	m.router = live.NewRouter(cfg)
	if ch.Alerts {
		m.alerter = live.NewAlerter(cfg.Alerts)
	}
	if ch.Theme {
		// Panes hold the *Styles they were built with; updating it in place
		// restyles them too.
		noColor := m.styles.NoColor
		*m.styles = *NewStyles(cfg.Theme)
		m.styles.NoColor = noColor
		m.help = newHelp(m.styles)
	}
	rebuildAll := false
	if ch.Keys {
		prevKeys := m.keys
		m.keys = m.keyMap(cfg)
		rebuildAll = paneKeysChanged(prevKeys, m.keys)
	}

	// Feed stats follow the feeds: removed ones go, changed ones start over.
	for _, n := range ch.FeedsRemoved {
		delete(m.stats, n)
	}
	for _, n := range append(append([]string{}, ch.FeedsChanged...), ch.FeedsAdded...) {
		m.stats[n] = &feedStat{name: n}
	}
	m.statOrder = m.statOrder[:0]
	for _, f := range cfg.Feeds {
		if m.stats[f.Name] == nil {
			m.stats[f.Name] = &feedStat{name: f.Name}
		}
		m.statOrder = append(m.statOrder, m.stats[f.Name])
	}

	// Panes: keep unchanged ones (with their data), rebuild the rest.
	focused := ""
	if s := m.focusedSlot(); s != nil {
		focused = s.id
	}
	changed := map[string]bool{}
	for _, id := range ch.PanesChanged {
		changed[id] = true
	}
	prev := map[string]*paneSlot{}
	for _, s := range m.slots {
		prev[s.id] = s
	}
	m.slots = nil
	inNew := map[string]bool{}
	for _, p := range cfg.Panes {
		inNew[p.ID] = true
	}
	keep := func(s *paneSlot, p *config.Pane) {
		if s.id != p.ID || !s.cfg.Equal(p) {
			s.p.(configSetter).setConfig(p)
		}
		delete(prev, s.id)
		s.id, s.cfg = p.ID, p
		s.listen(cfg) // a pane of every feed now has the added ones too
		s.invalidate()
		m.slots = append(m.slots, s)
	}
	for _, p := range cfg.Panes {
		s := prev[p.ID]
		switch {
		case rebuildAll:
		case s != nil && !changed[p.ID]:
			keep(s, p)
			continue
		case s != nil && renamedOnly(s, p):
			keep(s, p) // a new title: the items stay
			continue
		case s == nil:
			// A new id for an unchanged pane is a rename too.
			if r := findRenamed(prev, inNew, p); r != nil {
				keep(r, p)
				continue
			}
		}
		m.slots = append(m.slots, m.newSlot(p))
	}
	for _, s := range prev { // removed or rebuilt: keep their drops in the count
		m.droppedGone += s.p.Dropped()
	}
	m.relayout()
	m.focus = 0
	for i, s := range m.order {
		if s.id == focused {
			m.focus = i
		}
	}
	m.zoomed = m.zoomed && focused != "" && m.focusedSlot() != nil && m.focusedSlot().id == focused

	summary := reloadSummary(ch)
	m.log.Info("config reloaded", "file", cfg.Name, "changes", summary)
	m.flash("config reloaded: " + summary)
	if m.feeds == nil {
		return nil
	}
	fs := m.feeds
	return func() tea.Msg {
		if err := fs.Apply(cfg, ch, false); err != nil {
			return feedErrMsg{err}
		}
		return nil
	}
}

// configSetter is a pane that can take a new config differing from its
// own only in names (id, title), keeping its items.
type configSetter interface {
	setConfig(p *config.Pane)
}

func (t *tablePane) setConfig(p *config.Pane)  { t.cfg = p }
func (l *listPane) setConfig(p *config.Pane)   { l.cfg = p }
func (l *logPane) setConfig(p *config.Pane)    { l.cfg = p }
func (t *tickerPane) setConfig(p *config.Pane) { t.cfg = p }

// renamedOnly reports whether p differs from the slot's config at most in
// its id and title, and the slot's pane can take it.
func renamedOnly(s *paneSlot, p *config.Pane) bool {
	if _, ok := s.p.(configSetter); !ok {
		return false
	}
	a, b := *s.cfg, *p
	a.ID, a.Title, b.ID, b.Title = "", "", "", ""
	return a.Equal(&b)
}

// findRenamed finds a pane of the old config that the new one no longer
// has and that p renames.
func findRenamed(prev map[string]*paneSlot, inNew map[string]bool, p *config.Pane) *paneSlot {
	for id, s := range prev {
		if !inNew[id] && renamedOnly(s, p) {
			return s
		}
	}
	return nil
}

// paneKeysChanged reports whether a binding the panes handle themselves
// changed; panes keep the KeyMap they were built with, so they must then be
// rebuilt.
func paneKeysChanged(a, b KeyMap) bool {
	pairs := [][2][]string{
		{a.Up.Keys(), b.Up.Keys()}, {a.Down.Keys(), b.Down.Keys()},
		{a.PageUp.Keys(), b.PageUp.Keys()}, {a.PageDown.Keys(), b.PageDown.Keys()},
		{a.Top.Keys(), b.Top.Keys()}, {a.Bottom.Keys(), b.Bottom.Keys()},
		{a.Filter.Keys(), b.Filter.Keys()}, {a.Back.Keys(), b.Back.Keys()},
		{a.Inspect.Keys(), b.Inspect.Keys()},
		{a.Sort.Keys(), b.Sort.Keys()}, {a.SortReverse.Keys(), b.SortReverse.Keys()},
		{a.Left.Keys(), b.Left.Keys()}, {a.Right.Keys(), b.Right.Keys()}, {a.Wrap.Keys(), b.Wrap.Keys()},
	}
	for _, p := range pairs {
		if strings.Join(p[0], "\x00") != strings.Join(p[1], "\x00") {
			return true
		}
	}
	return false
}

// reloadSummary says what a reload changed, e.g. "1 feed restarted, 1 pane
// added".
func reloadSummary(ch config.Changes) string {
	var parts []string
	add := func(n int, what string) {
		if n == 1 {
			parts = append(parts, "1 "+what)
		} else if n > 1 {
			parts = append(parts, fmt.Sprintf("%d %s", n, strings.Replace(what, " ", "s ", 1)))
		}
	}
	add(len(ch.FeedsAdded), "feed added")
	add(len(ch.FeedsRemoved), "feed removed")
	add(len(ch.FeedsChanged), "feed restarted")
	add(len(ch.FeedsRerouted), "feed rerouted")
	add(len(ch.PanesAdded), "pane added")
	add(len(ch.PanesRemoved), "pane removed")
	add(len(ch.PanesChanged), "pane rebuilt")
	if ch.Layout {
		parts = append(parts, "layout")
	}
	if ch.Theme {
		parts = append(parts, "theme")
	}
	if ch.Keys {
		parts = append(parts, "keys")
	}
	if ch.Alerts {
		parts = append(parts, "alerts")
	}
	if len(parts) == 0 {
		return "no changes"
	}
	return strings.Join(parts, ", ")
}
