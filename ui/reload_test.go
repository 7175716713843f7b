package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/livefeed/livefeed/config"
	"github.com/livefeed/livefeed/feed"
	"github.com/livefeed/livefeed/live"
)

const reloadBase = `
feeds:
  alpha: { url: "http://127.0.0.1:9/a" }
  beta:  { url: "http://127.0.0.1:9/b" }
panes:
  - { id: first, type: list, feed: alpha }
  - { id: second, type: log, feed: beta }
`

// writeConfig replaces the file and moves its time forward, as an editor's
// save would (some file systems keep coarse timestamps).
func writeConfig(t *testing.T, path, text string, age time.Duration) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	at := time.Now().Add(age)
	if err := os.Chtimes(path, at, at); err != nil {
		t.Fatal(err)
	}
}

// reloadFixture is a model on a config file, with its feeds started against
// a closed local port.
func reloadFixture(t *testing.T) (*Model, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "live.yaml")
	writeConfig(t, path, reloadBase, -time.Hour)
	loc := config.Location{Path: path, Source: config.FromFlag}
	cfg, err := config.Load(loc, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	m := New(Options{Config: cfg, Location: loc, Clock: func() time.Time { return testNow }})
	m.ctx = ctx
	m.feeds = live.New(ctx, nil)
	t.Cleanup(func() {
		cancel()
		m.feeds.StopAll(5 * time.Second)
	})
	if err := m.feeds.Apply(cfg, config.Changes{}, true); err != nil {
		t.Fatal(err)
	}
	m.Update(teaSize(100, 30))
	// The first look records the file's stamp without reloading.
	if msg := checkConfig(loc, nil, fileStamp{}); msg.cfg != nil || msg.err != nil || !msg.stamp.ok {
		t.Fatalf("first check = %+v", msg)
	} else {
		m.Update(msg)
	}
	return m, path
}

// running is the config a feed runs with: the same pointer while its
// connection is kept, a new one when it was restarted.
func running(m *Model, name string) *config.Feed { return m.feeds.Running(name) }

func TestReloadKeepsUnchangedFeedsAndPanes(t *testing.T) {
	m, path := reloadFixture(t)
	m.Update(batchMsg{batches: []feed.Batch{
		events("alpha", testNow, feed.Event{Type: "message", Data: `{"msg":"kept"}`}),
		events("beta", testNow, feed.Event{Type: "message", Data: "gone"}),
	}})
	alpha, beta := running(m, "alpha"), running(m, "beta")
	first := m.slots[m.byID["first"]]

	// beta moves to another URL, the second pane changes, a third appears.
	writeConfig(t, path, strings.Replace(reloadBase, "/b", "/b2", 1)+
		"  - { id: third, type: ticker, feed: beta }\nlayout:\n  - [third]\n  - [first, second]\n", 0)
	msg := checkConfig(m.loc, nil, m.stamp)
	if msg.err != nil || msg.cfg == nil {
		t.Fatalf("check after a valid edit = %+v", msg)
	}
	old := m.cfg
	_, cmd := m.Update(msg)
	if m.cfg == old {
		t.Fatal("config not replaced")
	}
	runCmds(cmd)

	if got := running(m, "alpha"); got != alpha {
		t.Errorf("unchanged feed alpha was restarted")
	}
	if got := running(m, "beta"); got == beta || got == nil || got.URL != "http://127.0.0.1:9/b2" {
		t.Errorf("changed feed beta was not restarted with the new URL")
	}
	if s := m.slots[m.byID["first"]]; s != first || s.p.Len() != 1 {
		t.Errorf("unchanged pane lost its data (len %d)", s.p.Len())
	}
	if _, ok := m.byID["third"]; !ok {
		t.Errorf("added pane missing")
	}
	if len(m.slots) != 3 || m.layout.Rows[0].Cells[0].Pane != "third" {
		t.Errorf("layout not rebuilt: %+v", m.layout.Rows)
	}
	if s := screen(m); !strings.Contains(s, "config reloaded: 1 feed restarted, 1 pane added, layout") {
		t.Errorf("no reload message:\n%s", s)
	}
}

func TestReloadRemovesFeeds(t *testing.T) {
	m, path := reloadFixture(t)
	writeConfig(t, path, `
feeds:
  alpha: { url: "http://127.0.0.1:9/a" }
panes:
  - { id: first, type: list, feed: alpha }
`, 0)
	_, cmd := m.Update(checkConfig(m.loc, nil, m.stamp))
	runCmds(cmd)
	if running(m, "beta") != nil {
		t.Errorf("removed feed still runs")
	}
	if _, ok := m.stats["beta"]; ok || len(m.statOrder) != 1 {
		t.Errorf("removed feed still has a chip")
	}
	if _, ok := m.byID["second"]; ok {
		t.Errorf("removed pane still shown")
	}
}

func TestInvalidEditShowsBannerAndKeepsConfig(t *testing.T) {
	m, path := reloadFixture(t)
	old := m.cfg
	alpha := running(m, "alpha")
	writeConfig(t, path, strings.Replace(reloadBase, "type: list", "type: lsit", 1)+"  - { id: bad, type: table, feed: nowhere }\n", 0)
	msg := checkConfig(m.loc, nil, m.stamp)
	if msg.err == nil {
		t.Fatal("invalid edit not reported")
	}
	_, cmd := m.Update(msg)
	runCmds(cmd)
	if m.cfg != old || running(m, "alpha") != alpha {
		t.Errorf("invalid edit replaced the running config")
	}
	s := screen(m)
	checkScreenSize(t, s, 100, 30)
	lines := strings.Split(s, "\n")
	if !strings.Contains(lines[1], "✕ config not reloaded: ") || !strings.HasSuffix(strings.TrimSpace(lines[1]), "esc dismisses") {
		t.Errorf("banner line = %q", lines[1])
	}
	if want := "config not reloaded: " + path + ":6:"; !strings.HasPrefix(m.banner, want) || !strings.HasSuffix(m.banner, " more)") {
		t.Errorf("banner = %q, want the first error (%s…) and the count", m.banner, want)
	}
	// The same broken file is not reported again; Esc dismisses the banner.
	m.Update(press("esc"))
	if m.banner != "" || strings.Contains(screen(m), "not reloaded") {
		t.Errorf("esc did not dismiss the banner")
	}
	if msg := checkConfig(m.loc, nil, m.stamp); msg.err != nil || msg.cfg != nil {
		t.Errorf("unchanged broken file reported again: %+v", msg)
	}
	// Fixing the file applies it and clears any banner.
	writeConfig(t, path, reloadBase+"  - { id: third, type: log }\n", time.Second)
	_, cmd = m.Update(checkConfig(m.loc, nil, m.stamp))
	runCmds(cmd)
	if m.cfg == old || m.banner != "" {
		t.Errorf("fixed config not applied")
	}
}

func TestTouchedFileIsNotReloaded(t *testing.T) {
	m, path := reloadFixture(t)
	writeConfig(t, path, reloadBase, time.Minute)
	if msg := checkConfig(m.loc, nil, m.stamp); msg.cfg != nil || msg.err != nil {
		t.Errorf("same content reloaded: %+v", msg)
	}
}

func TestThemeReloadRestylesPanesInPlace(t *testing.T) {
	m, path := reloadFixture(t)
	st := m.styles
	writeConfig(t, path, reloadBase+"theme:\n  focus: \"#ff0000\"\n", 0)
	_, cmd := m.Update(checkConfig(m.loc, nil, m.stamp))
	runCmds(cmd)
	if m.styles != st {
		t.Fatalf("styles pointer replaced; panes would keep the old theme")
	}
	if c := st.PaneFocused.GetBorderTopForeground(); c == nil {
		t.Errorf("focus colour not applied")
	} else if r, g, b, _ := c.RGBA(); r>>8 != 0xff || g != 0 || b != 0 {
		t.Errorf("focus colour = %v, want #ff0000", c)
	}
}

func TestMissingFileShowsBanner(t *testing.T) {
	m, path := reloadFixture(t)
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	m.Update(checkConfig(m.loc, nil, m.stamp))
	if !strings.Contains(m.banner, "no such file") {
		t.Errorf("banner = %q", m.banner)
	}
	// Dismissed, it stays away while the file is still missing.
	m.Update(press("esc"))
	m.Update(checkConfig(m.loc, nil, m.stamp))
	if m.banner != "" {
		t.Errorf("dismissed banner came back: %q", m.banner)
	}
	// Back with the same content: nothing to reload, and no banner.
	m.setBanner("config not reloaded: config file gone")
	writeConfig(t, path, reloadBase, time.Minute)
	msg := checkConfig(m.loc, nil, m.stamp)
	if msg.cfg != nil || msg.err != nil || !msg.restored {
		t.Errorf("restored file: %+v", msg)
	}
	m.Update(msg)
	if m.banner != "" {
		t.Errorf("banner after the file came back: %q", m.banner)
	}
}

func TestReloadedFeedJoinsPanesOfEveryFeed(t *testing.T) {
	m, path := reloadFixture(t)
	writeConfig(t, path, reloadBase+"  - { id: all, type: log }\n", 0)
	_, cmd := m.Update(checkConfig(m.loc, nil, m.stamp))
	runCmds(cmd)
	all := m.slots[m.byID["all"]]
	writeConfig(t, path, strings.Replace(reloadBase, "feeds:\n", "feeds:\n  gamma: { url: \"http://127.0.0.1:9/g\" }\n", 1)+"  - { id: all, type: log }\n", time.Second)
	_, cmd = m.Update(checkConfig(m.loc, nil, m.stamp))
	runCmds(cmd)
	if m.slots[m.byID["all"]] != all {
		t.Fatalf("unchanged pane was rebuilt")
	}
	if got := strings.Join(all.feeds, ","); got != "gamma,alpha,beta" {
		t.Errorf("pane of every feed listens to %q, want gamma,alpha,beta", got)
	}
	if running(m, "gamma") == nil {
		t.Errorf("added feed not started")
	}
}

// TestReloadRenameKeepsItems: a reload that only renames a pane (its title
// or its id) keeps the pane's items.
func TestReloadRenameKeepsItems(t *testing.T) {
	for _, tt := range []struct {
		name, edit, id, title string
	}{
		{"title", "{ id: first, type: list, feed: alpha, title: Renamed }", "first", "Renamed"},
		{"id", "{ id: premier, type: list, feed: alpha }", "premier", "premier"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m, path := reloadFixture(t)
			m.Update(tea.WindowSizeMsg{Width: 80, Height: 20})
			m.Update(batchMsg{batches: []feed.Batch{events("alpha", testNow, feed.Event{Type: "message", Data: `{"msg":"kept"}`})}})
			writeConfig(t, path, strings.Replace(reloadBase, "{ id: first, type: list, feed: alpha }", tt.edit, 1), 0)
			msg := checkConfig(m.loc, nil, m.stamp)
			if msg.err != nil || msg.cfg == nil {
				t.Fatalf("check after a valid edit = %+v", msg)
			}
			_, cmd := m.Update(msg)
			runCmds(cmd)
			i, ok := m.byID[tt.id]
			if !ok {
				t.Fatalf("no pane %q after the reload", tt.id)
			}
			if n := m.slots[i].p.Len(); n != 1 {
				t.Errorf("renamed pane holds %d items, want 1", n)
			}
			if s := screen(m); !strings.Contains(s, tt.title) || !strings.Contains(s, "kept") {
				t.Errorf("the new name and the old items should show:\n%s", s)
			}
		})
	}
}

// TestPausedTitleKeepsFilter: a paused, filtered pane still says it is
// filtered, beside the paused note and its count of new items.
func TestPausedTitleKeepsFilter(t *testing.T) {
	m := newTestModel(t, demoConfig(t), 120, 36)
	m.Update(demoBatches())
	for focusedID(m) != "raw" {
		m.Update(press("tab"))
	}
	for _, k := range []string{"/", "w", "e", "a", "t", "h", "e", "r", "enter", "p"} {
		m.Update(press(k))
	}
	m.Update(demoBatches())
	m.Update(tickMsg(testNow))
	title := lineWith(t, screen(m), "Everything")
	if !strings.Contains(title, "filter weather") || !strings.Contains(title, "paused") {
		t.Errorf("paused title lost the filter: %q", title)
	}
}

// TestTitleKeepsStateSegments: short of room, a title gives up its count,
// then the end of its title, before the filter or the paused note.
func TestTitleKeepsStateSegments(t *testing.T) {
	st := NewStyles(config.DefaultTheme())
	vs := viewState{Width: 50, Height: 3, Note: "paused · 12 new"}
	head := frameHead{title: "Everything else", count: "3 of 40 events", extra: []frameSeg{{text: "filter weather", style: st.Muted, keep: keepFilter}}}
	top := strings.SplitN(ansi.Strip(drawFrame(st, vs, head, nil)), "\n", 2)[0]
	if !strings.Contains(top, "filter weather") || !strings.Contains(top, "paused · 12 new") || !strings.Contains(top, "Everyth") {
		t.Errorf("title line %q lost the pane's state", top)
	}
	if strings.Contains(top, "40 events") {
		t.Errorf("the count should give way first: %q", top)
	}
}
