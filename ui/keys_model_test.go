package ui

import (
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/livefeed/livefeed/config"
	"github.com/livefeed/livefeed/feed"
)

// press builds the key press bubbletea delivers for a key name in
// config spelling.
func press(s string) tea.KeyPressMsg {
	named := map[string]tea.KeyPressMsg{
		"tab":       {Code: tea.KeyTab},
		"shift+tab": {Code: tea.KeyTab, Mod: tea.ModShift},
		"esc":       {Code: tea.KeyEscape},
		"enter":     {Code: tea.KeyEnter},
		"space":     {Code: tea.KeySpace, Text: " "},
		"ctrl+c":    {Code: 'c', Mod: tea.ModCtrl},
		"up":        {Code: tea.KeyUp},
		"down":      {Code: tea.KeyDown},
	}
	if k, ok := named[s]; ok {
		return k
	}
	r := []rune(s)[0]
	return tea.KeyPressMsg{Code: r, Text: s}
}

// recPane records what the model does to a pane.
type recPane struct {
	cfg       *config.Pane
	adds      [][]Item
	msgs      []tea.Msg
	views     []viewState
	capturing bool
	cleared   int
	items     []Item
}

func (p *recPane) Config() *config.Pane { return p.cfg }
func (p *recPane) Add(items []Item) {
	p.adds = append(p.adds, slices.Clone(items)) // the caller reuses items
	p.items = append(p.items, items...)
}
func (p *recPane) Update(msg tea.Msg) tea.Cmd {
	if _, ok := msg.(tickMsg); !ok {
		p.msgs = append(p.msgs, msg)
	}
	return nil
}
func (p *recPane) Render(vs viewState) string {
	p.views = append(p.views, vs)
	return drawFrame(NewStyles(config.DefaultTheme()), vs, frameHead{title: p.cfg.Title}, []string{"items: " + strings.Repeat("x", len(p.items)%10)})
}
func (p *recPane) Clear()                 { p.cleared++; p.items = nil }
func (p *recPane) Len() int               { return len(p.items) }
func (p *recPane) Dropped() int           { return 0 }
func (p *recPane) Capturing() bool        { return p.capturing }
func (p *recPane) Selected() (Item, bool) { return Item{}, false }

// recordAll replaces every pane of m with a recorder.
func recordAll(m *Model) map[string]*recPane {
	out := map[string]*recPane{}
	for _, s := range m.slots {
		r := &recPane{cfg: s.cfg}
		s.p = r
		s.dirty = true
		out[s.id] = r
	}
	return out
}

func focusedID(m *Model) string {
	if s := m.focusedSlot(); s != nil {
		return s.id
	}
	return ""
}

func isQuit(cmd tea.Cmd) bool {
	if cmd == nil {
		return false
	}
	_, ok := cmd().(tea.QuitMsg)
	return ok
}

func TestFocusCycling(t *testing.T) {
	m := newTestModel(t, demoConfig(t), 120, 36)
	var got []string
	for range 6 {
		got = append(got, focusedID(m))
		m.Update(press("tab"))
	}
	want := []string{"headlines", "prices", "scores", "alerts", "raw", "headlines"}
	if !slices.Equal(got, want) {
		t.Errorf("tab order = %v, want %v", got, want)
	}
	// Six tabs went round once and on to prices; back twice wraps to raw.
	m.Update(press("shift+tab"))
	m.Update(press("shift+tab"))
	if f := focusedID(m); f != "raw" {
		t.Errorf("shift+tab twice from prices focused %q, want raw", f)
	}
}

func TestFocusMessagesReachPanes(t *testing.T) {
	m := newTestModel(t, demoConfig(t), 120, 36)
	rec := recordAll(m)
	m.Update(press("tab"))
	if !slices.Contains(rec["headlines"].msgs, tea.Msg(focusMsg{focused: false})) {
		t.Errorf("headlines was not told it lost the focus: %v", rec["headlines"].msgs)
	}
	if !slices.Contains(rec["prices"].msgs, tea.Msg(focusMsg{focused: true})) {
		t.Errorf("prices was not told it gained the focus: %v", rec["prices"].msgs)
	}
}

func TestKeysGoToFocusedPaneOnly(t *testing.T) {
	m := newTestModel(t, demoConfig(t), 120, 36)
	rec := recordAll(m)
	m.Update(press("tab")) // prices
	m.Update(press("down"))
	m.Update(press("s"))
	for id, r := range rec {
		keys := 0
		for _, msg := range r.msgs {
			if _, ok := msg.(tea.KeyPressMsg); ok {
				keys++
			}
		}
		if want := map[bool]int{true: 2, false: 0}[id == "prices"]; keys != want {
			t.Errorf("pane %s got %d keys, want %d", id, keys, want)
		}
	}
}

func TestCapturingPaneGetsEveryKey(t *testing.T) {
	m := newTestModel(t, demoConfig(t), 120, 36)
	rec := recordAll(m)
	r := rec["headlines"]
	r.capturing = true
	for _, k := range []string{"q", "tab", "?", "z", "p", "c", "R"} {
		if cmd := func() tea.Cmd { _, c := m.Update(press(k)); return c }(); isQuit(cmd) {
			t.Fatalf("%q quit while the pane was capturing", k)
		}
	}
	if len(r.msgs) != 7 {
		t.Errorf("capturing pane got %d keys, want 7", len(r.msgs))
	}
	if focusedID(m) != "headlines" || m.zoomed || m.showHelp || r.cleared != 0 {
		t.Errorf("keys acted as shortcuts while capturing: focus %s zoomed %v help %v cleared %d", focusedID(m), m.zoomed, m.showHelp, r.cleared)
	}
	_, cmd := m.Update(press("ctrl+c"))
	if !isQuit(cmd) {
		t.Errorf("ctrl+c did not quit while capturing")
	}
}

func TestQuit(t *testing.T) {
	m := newTestModel(t, demoConfig(t), 80, 24)
	if _, cmd := m.Update(press("q")); !isQuit(cmd) {
		t.Errorf("q did not quit")
	}
}

func TestZoom(t *testing.T) {
	m := newTestModel(t, demoConfig(t), 120, 36)
	m.Update(demoBatches())
	m.Update(press("tab")) // prices
	m.Update(press("z"))
	s := screen(m)
	if !strings.Contains(s, "Stocks") || strings.Contains(s, "Live scores") || strings.Contains(s, "headlines") {
		t.Errorf("zoomed screen should show only Stocks:\n%s", s)
	}
	checkScreenSize(t, s, 120, 36)
	m.Update(press("tab")) // zoom follows the focus
	if s := screen(m); !strings.Contains(s, "Live scores") || strings.Contains(s, "Stocks") {
		t.Errorf("tab while zoomed should zoom the next pane:\n%s", s)
	}
	m.Update(press("z"))
	if s := screen(m); !strings.Contains(s, "Stocks") || !strings.Contains(s, "Live scores") {
		t.Errorf("z again should restore the layout:\n%s", s)
	}
}

func TestPauseCountsNewItems(t *testing.T) {
	m := newTestModel(t, demoConfig(t), 120, 36)
	m.Update(demoBatches())
	m.Update(press("tab")) // prices
	m.Update(press("p"))
	before := screen(m)
	if !strings.Contains(before, "paused") {
		t.Fatalf("no paused note:\n%s", before)
	}
	m.Update(batchMsg{batches: []feed.Batch{events("stocks", testNow,
		quote(20, "TSLA", 250.5, 9.4, 3.9, 800000), quote(21, "AAPL", 230.00, 2.5, 1.1, 1300000), quote(22, "DIS", 91, 0, 0, 100))}})
	after := screen(m)
	if !strings.Contains(after, "paused · 3 new") {
		t.Errorf("no \"paused · 3 new\" note:\n%s", after)
	}
	if strings.Contains(after, "TSLA") || strings.Contains(after, "230.00") {
		t.Errorf("paused pane shows new data:\n%s", after)
	}
	if got := m.slots[m.byID["prices"]].p.Len(); got != 5 {
		t.Errorf("paused pane holds %d rows, want 5 (data keeps arriving)", got)
	}
	m.Update(press("p"))
	resumed := screen(m)
	if !strings.Contains(resumed, "TSLA") || strings.Contains(resumed, "paused") {
		t.Errorf("resumed pane should show the new data:\n%s", resumed)
	}
}

func TestPausedPaneFrameFollowsFocus(t *testing.T) {
	m := newTestModel(t, demoConfig(t), 120, 36)
	m.Update(demoBatches())
	m.Update(press("tab"))
	m.Update(press("p"))
	m.Update(press("tab")) // the paused pane loses the focus: its frame must follow
	s := m.slots[m.byID["prices"]]
	lines := m.paneLines(s, 72, 23, false)
	fresh := fitLines(s.p.Render(viewState{Width: 72, Height: 23, Note: "paused", Now: testNow}), 72, 23)
	if lines[0] != fresh[0] {
		t.Errorf("title line of the paused pane is stale:\n got %q\nwant %q", lines[0], fresh[0])
	}
}

func TestClear(t *testing.T) {
	m := newTestModel(t, demoConfig(t), 120, 36)
	m.Update(demoBatches())
	m.Update(press("tab"))
	if m.slots[m.byID["prices"]].p.Len() == 0 {
		t.Fatal("prices empty before clear")
	}
	m.Update(press("c"))
	if n := m.slots[m.byID["prices"]].p.Len(); n != 0 {
		t.Errorf("prices holds %d rows after clear", n)
	}
	if n := m.slots[m.byID["scores"]].p.Len(); n == 0 {
		t.Errorf("clear emptied an unfocused pane")
	}
}

func TestHelpToggle(t *testing.T) {
	m := newTestModel(t, demoConfig(t), 120, 36)
	m.Update(press("?"))
	s := screen(m)
	m.Update(panePress("end"))
	s += screen(m)
	s = strings.Join(strings.Fields(s), " ")
	for _, want := range []string{"Keys", "next pane", "reconnect all", "sort column", "ctrl+c always quits"} {
		if !strings.Contains(s, want) {
			t.Errorf("help lacks %q:\n%s", want, s)
		}
	}
	m.Update(press("?"))
	if s := screen(m); strings.Contains(s, "reconnect all") {
		t.Errorf("? again should close the help:\n%s", s)
	}
	m.Update(press("?"))
	m.Update(press("esc"))
	if m.showHelp {
		t.Errorf("esc should close the help")
	}
}

// TestHelpOverlay: the help is drawn over the dashboard, which keeps
// moving behind it; typing filters it, arrows scroll it, esc clears the
// filter and then closes it.
func TestHelpOverlay(t *testing.T) {
	m := newTestModel(t, demoConfig(t), 120, 36)
	m.Update(press("?"))
	before := screen(m)
	if !strings.Contains(before, "headlines") || !strings.Contains(before, "Keys") {
		t.Fatalf("help must cover the dashboard, not replace it:\n%s", before)
	}
	m.Update(demoBatches())
	m.Update(tickMsg(testNow))
	after := screen(m)
	viewGolden(t, m.View().Content)
	if !strings.Contains(after, "3/3 open") || !strings.Contains(after, "City Desk") {
		t.Errorf("the dashboard behind the help did not move:\n%s", after)
	}
	for _, r := range "recon" {
		m.Update(press(string(r)))
	}
	s := screen(m)
	if !strings.Contains(s, "reconnect feed") || !strings.Contains(s, "reconnect all") || strings.Contains(s, "next pane") || !strings.Contains(s, "/recon") {
		t.Errorf("typing should filter the help:\n%s", s)
	}
	m.Update(press("q"))
	if !m.showHelp || m.helpView.filter != "reconq" {
		t.Errorf("q types into the help's filter (filter %q)", m.helpView.filter)
	}
	m.Update(press("esc"))
	if !m.showHelp || m.helpView.filter != "" {
		t.Errorf("esc clears the filter first")
	}
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	top := screen(m)
	m.Update(panePress("pgdown"))
	if screen(m) == top || !strings.Contains(screen(m), "of ") {
		t.Errorf("pgdown should scroll a help taller than the screen:\n%s", screen(m))
	}
	m.Update(press("esc"))
	if m.showHelp {
		t.Errorf("esc closes the help")
	}
}

func TestRemappedKeys(t *testing.T) {
	cfg := parseConfig(t, "keys.yaml", dashboardYAML(t)+`
keys:
  next_pane: [n]
  quit: [x]
  zoom: []
  help: [H]
`)
	m := newTestModel(t, cfg, 120, 36)
	m.Update(press("tab"))
	if f := focusedID(m); f != "headlines" {
		t.Errorf("tab still moves the focus after remapping (focus %s)", f)
	}
	m.Update(press("n"))
	if f := focusedID(m); f != "prices" {
		t.Errorf("n did not move the focus (focus %s)", f)
	}
	m.Update(press("z"))
	if m.zoomed {
		t.Errorf("unbound zoom still zooms")
	}
	if _, cmd := m.Update(press("q")); isQuit(cmd) {
		t.Errorf("q still quits after remapping")
	}
	m.Update(press("H"))
	s := screen(m)
	flat := strings.Join(strings.Fields(s), " ")
	if !strings.Contains(flat, "n next pane") || strings.Contains(flat, "tab next pane") || strings.Contains(flat, "zoom") ||
		!strings.Contains(flat, "x quit") || !strings.Contains(flat, "H help") {
		t.Errorf("help does not show the remapped bindings:\n%s", s)
	}
	m.Update(press("H"))
	if _, cmd := m.Update(press("x")); !isQuit(cmd) {
		t.Errorf("x does not quit")
	}
}

func TestReconnectKeys(t *testing.T) {
	m := newTestModel(t, demoConfig(t), 120, 36)
	m.Update(press("tab")) // prices: stocks only
	m.Update(press("r"))
	if !strings.Contains(screen(m), "reconnecting stocks") {
		t.Errorf("r did not say which feeds reconnect:\n%s", screen(m))
	}
	m.Update(press("tab"))
	m.Update(press("tab")) // alerts: news and sports
	m.Update(press("r"))
	if !strings.Contains(screen(m), "reconnecting sports, news") {
		t.Errorf("r on alerts:\n%s", screen(m))
	}
	m.Update(press("R"))
	if !strings.Contains(screen(m), "reconnecting every feed") {
		t.Errorf("R:\n%s", screen(m))
	}
}

func TestMouse(t *testing.T) {
	m := newTestModel(t, demoConfig(t), 120, 36)
	rec := recordAll(m)
	// Layout at 120×36: header, ticker rows 1-3, prices/scores from row 4.
	m.Update(tea.MouseClickMsg{X: 100, Y: 10, Button: tea.MouseLeft})
	if f := focusedID(m); f != "scores" {
		t.Errorf("click focused %q, want scores", f)
	}
	m.Update(tea.MouseWheelMsg{X: 10, Y: 10, Button: tea.MouseWheelDown})
	if n := len(rec["prices"].msgs); n != 1 {
		t.Errorf("wheel over prices reached it %d times, want 1", n)
	}
	if f := focusedID(m); f != "scores" {
		t.Errorf("wheel moved the focus to %q", f)
	}
}

func TestInspectorOpensAndCloses(t *testing.T) {
	m := newTestModel(t, demoConfig(t), 120, 36)
	m.Update(demoBatches())
	for focusedID(m) != "raw" {
		m.Update(press("tab"))
	}
	m.Update(press("enter"))
	if m.detail == nil {
		t.Fatalf("enter on the log did not open the inspector")
	}
	s := screen(m)
	checkScreenSize(t, s, 120, 36)
	if !strings.Contains(s, "Oslo") {
		t.Errorf("inspector does not show the event:\n%s", s)
	}
	m.Update(tea.WindowSizeMsg{Width: 90, Height: 30})
	checkScreenSize(t, screen(m), 90, 30)
	m.Update(press("esc"))
	if m.detail != nil {
		t.Errorf("esc did not close the inspector")
	}
}

func TestRoutingAddsOncePerPanePerBatch(t *testing.T) {
	m := newTestModel(t, demoConfig(t), 120, 36)
	rec := recordAll(m)
	m.Update(demoBatches())
	for id, want := range map[string]int{"prices": 4, "scores": 2, "alerts": 2, "headlines": 1, "raw": 1} {
		r := rec[id]
		if len(r.adds) != 1 || len(r.adds[0]) != want {
			t.Errorf("pane %s: %d Add calls %v, want one with %d items", id, len(r.adds), r.adds, want)
		}
	}
	// Seq increases across feeds in arrival order.
	var last uint64
	for _, id := range []string{"prices", "scores"} {
		for _, it := range rec[id].items {
			if it.Seq <= last {
				t.Errorf("seq %d after %d", it.Seq, last)
			}
			last = it.Seq
		}
	}
	if it := rec["alerts"].items; it[0].Feed != "sports" || it[1].Feed != "news" || it[0].Seq >= it[1].Seq {
		t.Errorf("alerts items out of order: %+v", it)
	}
}

func TestPanesRenderOnlyWhenChanged(t *testing.T) {
	m := newTestModel(t, demoConfig(t), 120, 36)
	rec := recordAll(m)
	// All feeds open, so that no pane's note changes with new events.
	m.Update(batchMsg{batches: []feed.Batch{status("stocks", feed.Open), status("sports", feed.Open), status("news", feed.Open)}})
	m.View()
	for id, r := range rec {
		if len(r.views) != 1 {
			t.Errorf("%s rendered %d times for the first frame", id, len(r.views))
		}
	}
	m.View()
	m.Update(batchMsg{batches: []feed.Batch{events("stocks", testNow, quote(30, "AMD", 150, 1, 1, 10))}})
	m.View()
	for id, r := range rec {
		want := map[bool]int{true: 2, false: 1}[id == "prices"]
		if len(r.views) != want {
			t.Errorf("%s rendered %d times, want %d", id, len(r.views), want)
		}
	}
	m.Update(tickMsg(testNow))
	m.View()
	if n := len(rec["raw"].views); n != 2 {
		t.Errorf("a tick should redraw time-dependent panes: raw rendered %d times", n)
	}
}

func TestDimmedPaneNote(t *testing.T) {
	m := newTestModel(t, demoConfig(t), 120, 36)
	rec := recordAll(m)
	m.Update(demoBatches())
	m.Update(batchMsg{batches: []feed.Batch{{Feed: "stocks", Time: testNow, Status: &feed.Status{State: feed.Connecting, Attempt: 2}}}})
	m.View()
	vs := rec["prices"].views[len(rec["prices"].views)-1]
	if !vs.Dimmed || vs.Note != "CONNECTING · last event 3s ago" {
		t.Errorf("prices view state = %+v, want dimmed with the age", vs)
	}
	vs = rec["alerts"].views[len(rec["alerts"].views)-1]
	if vs.Dimmed || vs.Note != "" {
		t.Errorf("alerts (sports and news open) = %+v, want normal", vs)
	}
	m.Update(batchMsg{batches: []feed.Batch{{Feed: "stocks", Time: testNow, Status: &feed.Status{State: feed.Closed, Attempt: 1, HTTPStatus: 204}}}})
	m.View()
	vs = rec["prices"].views[len(rec["prices"].views)-1]
	if !vs.Dimmed || !strings.HasPrefix(vs.Note, "CLOSED") {
		t.Errorf("closed feed's pane = %+v", vs)
	}
}

// No escape sequence from feed data may reach the terminal.
func TestEscapesInFeedDataNeverReachTheScreen(t *testing.T) {
	nasty := []string{
		"\x1b]52;c;cHduZWQ=\x07", // OSC 52: write the clipboard
		"\x1b]0;owned\x07",       // set the window title
		"\x1b[2J\x1b[H",          // clear the screen, home the cursor
		"\x1b[31;1mred\x1b[0m",   // styling
		"\u009b2J",               // C1 CSI
		"\x1bP+q\x1b\\",          // DCS
		"\r\n\b\t\x00\x7f",
		"\u202etxt.exe",
	}
	cfg := demoConfig(t)
	for _, size := range [][2]int{{80, 24}, {120, 36}} {
		m := newTestModel(t, cfg, size[0], size[1])
		m.Update(demoBatches())
		var evs []feed.Event
		for i, s := range nasty {
			j := strings.ReplaceAll(s, `"`, `\"`)
			evs = append(evs,
				feed.Event{Type: "quote", ID: s, Data: `{"symbol":"X` + string(rune('A'+i)) + s + `","price":1,"change":1,"change_pct":1,"volume":1,"time":"` + j + `"}`},
				feed.Event{Type: "headline", ID: s, Data: `{"source":"` + s + `","title":"` + s + `"}`},
				feed.Event{Type: "notification", ID: s, Data: `{"title":"` + s + `","body":"` + s + `","level":"` + s + `"}`},
				feed.Event{Type: "weird" + s, ID: s, Data: s},
			)
		}
		m.Update(batchMsg{batches: []feed.Batch{events("stocks", testNow, evs...), events("news", testNow, evs...)}})
		for range 3 {
			m.Update(tickMsg(testNow))
			assertNoEscapes(t, m.View().Content)
			m.Update(press("tab"))
		}
		for focusedID(m) != "raw" {
			m.Update(press("tab"))
		}
		m.Update(press("enter"))
		assertNoEscapes(t, m.View().Content)
		m.Update(press("esc"))
		m.Update(press("z"))
		assertNoEscapes(t, m.View().Content)
	}
}

// The clock moves the countdown in the bar on every tick.
func TestTickMovesCountdown(t *testing.T) {
	now := testNow
	m := New(Options{Config: demoConfig(t), Clock: func() time.Time { return now }})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 36})
	m.Update(batchMsg{batches: []feed.Batch{{Feed: "sports", Time: now, Status: &feed.Status{State: feed.Connecting, Attempt: 2,
		ReconnectAt: now.Add(3 * time.Second), ReconnectIn: 3 * time.Second}}}})
	if s := screen(m); !strings.Contains(s, "retry in 3.0s") {
		t.Fatalf("no countdown:\n%s", s)
	}
	now = now.Add(700 * time.Millisecond)
	m.Update(tickMsg(now))
	if s := screen(m); !strings.Contains(s, "retry in 2.3s") {
		t.Errorf("countdown did not move:\n%s", s)
	}
}
