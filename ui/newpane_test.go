package ui

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/livefeed/livefeed/config"
	"github.com/livefeed/livefeed/feed"
)

const paneTestYAML = `
feeds:
  stocks: { url: "http://127.0.0.1:1/events/stocks" }
  news: { url: "http://127.0.0.1:1/events/news" }
panes:
  - id: heads
    type: ticker
    feed: news
    events: [headline]
    text: "{source}: {title}"
  - id: prices
    type: table
    title: Stocks
    feed: stocks
    events: [quote]
    key: symbol
    max: 4
    columns:
      - { title: Symbol, path: symbol }
      - { title: Price, path: price, format: "%.2f" }
      - { title: Chg %, path: change_pct, format: percent, color: sign }
      - { title: Trend, path: price, spark: 6 }
  - id: alerts
    type: list
    title: Alerts
    feed: news
    events: [notification]
    level: level
    text: "{title}: {body}"
    max: 5
  - id: raw
    type: log
    title: Everything else
    max: 6
`

// paneTestSetup parses the test configuration and returns it with the
// default styles and keys.
func paneTestSetup(t testing.TB) (*config.Config, *Styles, KeyMap) {
	t.Helper()
	cfg, problems := config.Check(strings.NewReader(paneTestYAML), config.Options{Name: "panes.yaml"})
	if errs := problems.Errors(); len(errs) > 0 || cfg == nil {
		t.Fatalf("test config: %v", errs)
	}
	return cfg, NewStyles(cfg.Theme), NewKeyMap(cfg.Keys)
}

// withItems adds each batch of items to p, in order, and returns it.
func withItems(p pane, batches ...[]Item) pane {
	for _, items := range batches {
		p.Add(items)
	}
	return p
}

func paneTestPane(t testing.TB, id string) pane {
	t.Helper()
	cfg, st, km := paneTestSetup(t)
	p := cfg.Pane(id)
	if p == nil {
		t.Fatalf("no pane %q", id)
	}
	return newPane(p, st, km)
}

// paneT0 is the fixed clock of every pane test.
var paneT0 = time.Date(2025, 3, 14, 9, 26, 53, 0, time.UTC)

func paneAt(d time.Duration) time.Time { return paneT0.Add(d) }

func paneItem(seq uint64, feedName, typ, id, data string, when time.Time) Item {
	return Item{Seq: seq, Feed: feedName, Time: when, Event: feed.Event{Type: typ, ID: id, Data: data}}
}

// press builds a key press as the terminal would deliver it.
func panePress(s string) tea.KeyPressMsg {
	named := map[string]rune{
		"up": tea.KeyUp, "down": tea.KeyDown, "pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown,
		"home": tea.KeyHome, "end": tea.KeyEnd, "enter": tea.KeyEnter, "esc": tea.KeyEscape,
		"backspace": tea.KeyBackspace, "tab": tea.KeyTab,
	}
	if r, ok := named[s]; ok {
		return tea.KeyPressMsg{Code: r}
	}
	r, _ := utf8.DecodeRuneInString(s)
	return tea.KeyPressMsg{Code: r, Text: s}
}

func paneType(p pane, s string) pane {
	for _, r := range s {
		p.Update(panePress(string(r)))
	}
	return p
}

// checkBox fails unless view is exactly w × h cells.
func paneCheckBox(t *testing.T, what, view string, w, h int) {
	t.Helper()
	if h <= 0 {
		if view != "" {
			t.Errorf("%s at %dx%d: want empty view, got %q", what, w, h, view)
		}
		return
	}
	lines := strings.Split(view, "\n")
	if len(lines) != h {
		t.Errorf("%s at %dx%d: %d lines", what, w, h, len(lines))
	}
	for i, l := range lines {
		if got := ansi.StringWidth(l); got != max(w, 0) {
			t.Errorf("%s at %dx%d: line %d is %d cells wide: %q", what, w, h, i, got, ansi.Strip(l))
		}
	}
}

func TestNewPaneKinds(t *testing.T) {
	cfg, st, km := paneTestSetup(t)
	want := map[string]string{"heads": "*ui.tickerPane", "prices": "*ui.tablePane", "alerts": "*ui.listPane", "raw": "*ui.logPane"}
	for _, p := range cfg.Panes {
		got := fmt.Sprintf("%T", newPane(p, st, km))
		if got != want[p.ID] {
			t.Errorf("pane %s: %s, want %s", p.ID, got, want[p.ID])
		}
		if newPane(p, st, km).Config() != p {
			t.Errorf("pane %s: Config() is not the pane's config", p.ID)
		}
	}
	if p := newPane(nil, nil, km); p == nil || p.Config() == nil {
		t.Error("newPane(nil, nil) must still give a usable pane")
	}
}

// fillAll gives every test pane something to show.
func paneFillAll(t *testing.T) []pane {
	cfg, st, km := paneTestSetup(t)
	var ps []pane
	for _, p := range cfg.Panes {
		ps = append(ps, newPane(p, st, km))
	}
	items := []Item{
		paneItem(1, "news", "headline", "1", `{"source":"Wire","title":"Markets rally on rate cut hopes"}`, paneAt(0)),
		paneItem(2, "stocks", "quote", "7", `{"symbol":"ACME","price":12.5,"change_pct":1.25}`, paneAt(time.Second)),
		paneItem(3, "news", "notification", "2", `{"title":"Deploy","body":"v2 is out","level":"warning"}`, paneAt(2*time.Second)),
		paneItem(4, "stocks", "quote", "8", `{"symbol":"ACME","price":12.25,"change_pct":-0.5}`, paneAt(3*time.Second)),
		paneItem(5, "sports", "score", "", "not json\nat all", paneAt(4*time.Second)),
	}
	for i := range ps {
		ps[i].Add(items)
	}
	return ps
}

func TestPaneViewIsExactlyItsSize(t *testing.T) {
	ps := paneFillAll(t)
	_, st, km := paneTestSetup(t)
	sizes := []int{0, 1, 2, 3, 4, 5, 7, 10, 11, 12, 13, 20, 33, 80, 131}
	heights := []int{0, 1, 2, 3, 4, 5, 8, 24}
	for _, p := range ps {
		for _, w := range sizes {
			for _, h := range heights {
				for _, vs := range []viewState{
					{Width: w, Height: h, Now: paneAt(5 * time.Second)},
					{Width: w, Height: h, Focused: true, Note: "paused · 37 new", Now: paneAt(5 * time.Second)},
					{Width: w, Height: h, Dimmed: true, Note: "stale 12s", Now: paneAt(90 * time.Second)},
				} {
					paneCheckBox(t, p.Config().ID, p.Render(vs), w, h)
				}
			}
		}
	}
	it, _ := ps[3].Selected()
	for _, w := range sizes {
		for _, h := range heights {
			paneCheckBox(t, "inspector", newDetail(it, st, km, w, h).View(), w, h)
		}
	}
	paneCheckBox(t, "inspector resized", newDetail(it, st, km, 80, 24).SetSize(20, 6).View(), 20, 6)
}

func TestPaneViewWithWideAndHostileText(t *testing.T) {
	_, st, km := paneTestSetup(t)
	for _, id := range []string{"heads", "prices", "alerts", "raw"} {
		p := paneTestPane(t, id)
		p.Add([]Item{
			paneItem(1, "news", "headline", "漢字", `{"source":"東京","title":"全角の見出しがとても長い 🎉🎉 emoji","symbol":"日本","price":1,"body":"x"}`, paneAt(0)),
			paneItem(2, "stocks", "quote", "", `{"symbol":"`+strings.Repeat("W", 400)+`","price":2,"title":"`+strings.Repeat("長", 300)+`"}`, paneAt(0)),
		})
		for _, w := range []int{3, 9, 10, 17, 40, 61} {
			for _, h := range []int{1, 3, 6} {
				paneCheckBox(t, id, p.Render(viewState{Width: w, Height: h, Focused: true, Now: paneAt(time.Second)}), w, h)
			}
		}
		it, ok := p.Selected()
		if !ok {
			t.Fatalf("%s: nothing selected", id)
		}
		for _, w := range []int{5, 13, 40} {
			paneCheckBox(t, "inspector", newDetail(it, st, km, w, 12).View(), w, 12)
		}
	}
}

// paneHostile holds what a malicious feed might send to take over a terminal.
var paneHostile = []string{
	"\x1b[2J\x1b[H",                 // clear the screen, cursor home
	"\x1b]52;c;ZXZpbA==\x07",        // OSC 52: write the clipboard
	"\x1b]0;pwned\x1b\\",            // OSC 0: set the window title
	"\x1b]8;;http://x\x1b\\link",    // OSC 8 hyperlink
	"\u009b31m",                     // C1 CSI
	"\u009d0;title\u009c",           // C1 OSC … ST
	"bell\x07",                      // BEL
	"over\rwrite",                   // carriage return
	"back\bspace",                   // backspace
	"\x1bP+q544e\x1b\\",             // DCS
	"\u202eevil\u202c",              // bidi override
	"tab\there\nnew\x00line\x7fdel", // other controls
}

func paneHostileItems() []Item {
	var items []Item
	for i, h := range paneHostile {
		data, err := json.Marshal(map[string]any{
			"symbol": fmt.Sprintf("S%d%s", i, h), "price": i, "change_pct": 1,
			"source": h, "title": h, "body": h, "level": h,
		})
		if err != nil {
			panic(err)
		}
		items = append(items,
			paneItem(uint64(2*i+1), "news"+h, "headline"+h, "id"+h, string(data), paneAt(time.Duration(i)*time.Second)),
			paneItem(uint64(2*i+2), "stocks"+h, "quote"+h, "id2"+h, "raw "+h+" payload", paneAt(time.Duration(i)*time.Second)),
		)
	}
	return items
}

// paneCheckClean fails if a view carries anything but lipgloss's own styling.
func paneCheckClean(t *testing.T, what, view string) {
	t.Helper()
	for _, p := range paneDirt(view) {
		t.Errorf("%s: %s", what, p)
	}
}

// paneDirt lists what in a view could control the terminal: any escape
// sequence but SGR styling, and any control character in the text.
func paneDirt(view string) []string {
	var problems []string
	if strings.Contains(view, "\x1b]") || strings.Contains(view, "\x1bP") || strings.Contains(view, "\x1b_") {
		problems = append(problems, fmt.Sprintf("an OSC, DCS or APC sequence: %q", view))
	}
	if !utf8.ValidString(view) {
		problems = append(problems, "invalid UTF-8")
	}
	plain := ansi.Strip(view)
	for _, bad := range []string{"\x1b", "\x07", "\u009b", "\u009d", "\u009c", "\r", "\b", "\x00", "\x7f", "\u202e", "\t"} {
		if strings.Contains(plain, bad) {
			problems = append(problems, fmt.Sprintf("%q after stripping styles: %q", bad, plain))
		}
	}
	for _, l := range strings.Split(view, "\n") {
		for i := 0; i < len(l); i++ {
			if l[i] != 0x1b {
				continue
			}
			j := i + 1
			if j >= len(l) || l[j] != '[' {
				problems = append(problems, fmt.Sprintf("an escape other than CSI: %q", l))
				break
			}
			for j++; j < len(l) && (l[j] < 0x40 || l[j] > 0x7e); j++ {
			}
			if j >= len(l) || l[j] != 'm' {
				problems = append(problems, fmt.Sprintf("a CSI other than SGR: %q", l[i:min(len(l), j+1)]))
			}
			i = j
		}
	}
	return problems
}

func TestPaneDirtFindsControls(t *testing.T) {
	for _, h := range paneHostile {
		if len(paneDirt("ok "+h+" ok")) == 0 {
			t.Errorf("paneDirt misses %q", h)
		}
	}
	clean := NewStyles(config.DefaultTheme()).For(config.RoleGain).Bold(true).Reverse(true).Render("fine ◆ text") + "\n│ x │"
	if p := paneDirt(clean); len(p) != 0 {
		t.Errorf("styled text is clean, got %v", p)
	}
}

func TestPanesNeverEmitControlSequencesFromFeeds(t *testing.T) {
	_, st, km := paneTestSetup(t)
	items := paneHostileItems()
	for _, id := range []string{"heads", "prices", "alerts", "raw"} {
		// Panes that take every event: route the hostile events by their
		// own names, and by names the templates know.
		p := paneTestPane(t, id)
		p.Add(items)
		if p.Len() == 0 {
			t.Fatalf("%s took none of the hostile events", id)
		}
		for _, vs := range []viewState{
			{Width: 100, Height: 20, Now: paneAt(3 * time.Second)},
			{Width: 100, Height: 20, Focused: true, Note: "note\x1b]0;x\x07", Now: paneAt(7 * time.Second)},
			{Width: 40, Height: 6, Dimmed: true, Note: "stale", Now: paneAt(7 * time.Second)},
		} {
			paneCheckClean(t, id, p.Render(vs))
		}
		for i := 0; i < p.Len(); i++ {
			p.Update(panePress("down"))
			it, ok := p.Selected()
			if !ok {
				t.Fatalf("%s: nothing selected", id)
			}
			paneCheckClean(t, id+" inspector", newDetail(it, st, km, 90, 30).View())
		}
	}
	// Tables key rows by a payload field; a key full of escapes is one.
	tbl := withItems(paneTestPane(t, "prices"), items)
	if tbl.Len() == 0 {
		t.Fatal("table took none of the hostile rows")
	}
	// The log's filter input echoes what the user types or pastes.
	lg := withItems(paneTestPane(t, "raw"), items)
	lg.Update(panePress("/"))
	lg.Update(tea.PasteMsg{Content: "\x1b]52;c;eA==\x07id"})
	paneCheckClean(t, "log filter", lg.Render(viewState{Width: 80, Height: 10, Focused: true, Now: paneAt(0)}))
}

func TestBoundedRing(t *testing.T) {
	var r boundedRing[int]
	var evicted []int
	for i := range 40 {
		if old, ok := r.Push(i, 5); ok {
			evicted = append(evicted, old)
		}
	}
	if r.Len() != 5 || len(evicted) != 35 || evicted[0] != 0 || evicted[34] != 34 {
		t.Fatalf("len %d, evicted %v", r.Len(), evicted)
	}
	for i := range 5 {
		if r.At(i) != 35+i {
			t.Errorf("At(%d) = %d, want %d", i, r.At(i), 35+i)
		}
	}
	if v, ok := r.PopFront(); !ok || v != 35 || r.Len() != 4 {
		t.Errorf("PopFront = %d, %v; len %d", v, ok, r.Len())
	}
	r.Push(99, 5)
	if r.At(4) != 99 || r.At(0) != 36 {
		t.Errorf("after refill: %d … %d", r.At(0), r.At(4))
	}
	if len(r.buf) > 16 {
		t.Errorf("ring of 5 holds a buffer of %d", len(r.buf))
	}
	r.Reset()
	if _, ok := r.PopFront(); ok || r.Len() != 0 {
		t.Error("Reset left elements")
	}
}

func TestFitAndAlignCells(t *testing.T) {
	tests := []struct {
		in    string
		w     int
		align config.Align
		want  string
	}{
		{"abc", 5, config.AlignLeft, "abc  "},
		{"abc", 5, config.AlignRight, "  abc"},
		{"abc", 6, config.AlignCenter, " abc  "},
		{"abcdef", 4, config.AlignLeft, "abc…"},
		{"abcdef", 4, config.AlignRight, "abc…"},
		{"漢字漢字", 5, config.AlignLeft, "漢字…"},
		{"漢字漢字", 4, config.AlignLeft, "漢… "},
		{"x", 0, config.AlignLeft, ""},
		{"abc", 1, config.AlignLeft, "…"},
	}
	for _, tt := range tests {
		if got := alignCells(tt.in, tt.w, tt.align); got != tt.want {
			t.Errorf("alignCells(%q, %d, %s) = %q, want %q", tt.in, tt.w, tt.align, got, tt.want)
		}
	}
	styled := NewStyles(config.DefaultTheme()).For(config.RoleGain).Render("gain text")
	if got := fitCells(styled, 6); ansi.StringWidth(got) != 6 || ansi.Strip(got) != "gain …" {
		t.Errorf("fitCells(styled) = %q", got)
	}
}

func TestRelAgo(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{-time.Second, "now"}, {0, "now"}, {999 * time.Millisecond, "now"}, {5 * time.Second, "5s ago"},
		{59 * time.Second, "59s ago"}, {time.Minute, "1m ago"}, {59 * time.Minute, "59m ago"},
		{3 * time.Hour, "3h ago"}, {49 * time.Hour, "2d ago"},
	}
	for _, tt := range tests {
		if got := relAgo(paneT0.Add(tt.d), paneT0); got != tt.want {
			t.Errorf("relAgo(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
	if relAgo(paneT0, time.Time{}) != "" {
		t.Error("an unknown time has no age")
	}
}

func TestOneLineAndGroupInt(t *testing.T) {
	if got := oneLine("a\r\nb\nc\rd\te", 100); got != "a⏎b⏎c⏎d e" {
		t.Errorf("oneLine = %q", got)
	}
	if got := oneLine(strings.Repeat("é", 10), 7); got != "ééé…" {
		t.Errorf("oneLine clip = %q", got)
	}
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", -1234567: "-1,234,567"} {
		if got := groupInt(n); got != want {
			t.Errorf("groupInt(%d) = %q, want %q", n, got, want)
		}
	}
}

// paneBenchItems are n demo-like events of every kind the test panes take.
func paneBenchItems(n int) []Item {
	items := make([]Item, n)
	for i := range items {
		switch i % 3 {
		case 0:
			items[i] = paneItem(uint64(i), "stocks", "quote", fmt.Sprint(i),
				fmt.Sprintf(`{"symbol":"SYM%02d","price":%d.25,"change":-0.5,"change_pct":%d.5,"volume":123456,"time":"2025-03-14T09:26:53Z"}`, i%40, 100+i%17, i%5-2), paneAt(time.Duration(i)*time.Millisecond))
		case 1:
			items[i] = paneItem(uint64(i), "news", "headline", fmt.Sprint(i),
				fmt.Sprintf(`{"id":%d,"source":"Wire","title":"Headline number %d about markets and weather"}`, i, i), paneAt(time.Duration(i)*time.Millisecond))
		default:
			items[i] = paneItem(uint64(i), "news", "notification", fmt.Sprint(i),
				fmt.Sprintf(`{"title":"Alert %d","body":"Something happened somewhere","level":"warning"}`, i), paneAt(time.Duration(i)*time.Millisecond))
		}
	}
	return items
}

// BenchmarkPaneAdd measures routing a batch of 100 events into each kind of
// pane at its bound (b.N batches).
func BenchmarkPaneAdd(b *testing.B) {
	items := paneBenchItems(3000)
	for _, id := range []string{"heads", "prices", "alerts", "raw"} {
		b.Run(id, func(b *testing.B) {
			cfg, st, km := paneTestSetup(b)
			pc := *cfg.Pane(id)
			pc.Max = map[string]int{"heads": 50, "prices": 1000, "alerts": 500, "raw": 2000}[id]
			p := withItems(newPane(&pc, st, km), items)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				off := (i * 100) % (len(items) - 100)
				p.Add(items[off : off+100])
			}
		})
	}
}

// BenchmarkPaneView measures one frame of a full pane of 120 × 20 cells.
func BenchmarkPaneView(b *testing.B) {
	items := paneBenchItems(3000)
	for _, id := range []string{"heads", "prices", "alerts", "raw"} {
		b.Run(id, func(b *testing.B) {
			cfg, st, km := paneTestSetup(b)
			pc := *cfg.Pane(id)
			pc.Max = 2000
			p := withItems(newPane(&pc, st, km), items)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				_ = p.Render(viewState{Width: 120, Height: 20, Focused: true, Now: paneAt(time.Duration(i) * 100 * time.Millisecond)})
			}
		})
	}
}

func TestPanesBoundTheirBytes(t *testing.T) {
	big := strings.Repeat("x", 1<<20)
	for _, id := range []string{"heads", "prices", "alerts", "raw"} {
		p := paneWithMax(t, id, 1000)
		const n = 20
		for i := range n {
			data := fmt.Sprintf(`{"symbol":"S%d","source":"s","title":"t%d","pad":%q}`, i, i, big)
			p.Add([]Item{paneItem(uint64(i+1), "f", "headline", fmt.Sprint(i), data, paneAt(0))})
		}
		if p.Len() >= n || p.Len() < 2 || p.Len()+p.Dropped() != n {
			t.Errorf("%s: %d MiB of events: Len %d, Dropped %d", id, n, p.Len(), p.Dropped())
		}
		if held := p.Len() * (1 << 20); held > paneMaxBytes {
			t.Errorf("%s holds %d bytes, more than %d", id, held, paneMaxBytes)
		}
	}
}
