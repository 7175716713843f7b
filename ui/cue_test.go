package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/livefeed/livefeed/config"
)

const cueYAML = `
feeds:
  stocks: { url: "http://127.0.0.1:1/events/stocks" }
panes:
  - id: prices
    type: table
    title: Stocks
    key: symbol
    columns:
      - { title: Symbol, path: symbol }
      - { title: Price, path: price, format: "%.2f" }
      - { title: Change, path: change, format: "%+.2f", color: sign }
      - { title: Volume, path: volume, format: compact, flash: false }
`

func cueQuote(seq uint64, sym string, price, change float64, vol int, at time.Duration) Item {
	return paneItem(seq, "stocks", "quote", "", fmt.Sprintf(`{"symbol":%q,"price":%.2f,"change":%.2f,"volume":%d}`, sym, price, change, vol), paneAt(at))
}

// cueTable is TSLA rising then falling while its change stays positive:
// the fall must show as ▼ without turning the green "+0.32" red.
func cueTable(t *testing.T, yaml string, noColor bool) pane {
	t.Helper()
	cfg := parseConfig(t, "cue.yaml", yaml)
	st := NewStyles(cfg.Theme)
	st.NoColor = noColor
	p := newPane(cfg.Pane("prices"), st, NewKeyMap(cfg.Keys))
	p.Add([]Item{cueQuote(1, "TSLA", 250.10, 0.50, 1000, 0), cueQuote(2, "AAPL", 227.00, -0.10, 2000, 0)})
	p.Render(viewState{Width: 50, Height: 5, Now: paneAt(0)})
	p.Add([]Item{cueQuote(3, "TSLA", 249.92, 0.32, 1100, time.Second), cueQuote(4, "AAPL", 227.40, 0.30, 2100, time.Second)})
	return p
}

// TestChangeCueGoldens keeps the styled cue frames: bright at once, faint
// after cueFresh, gone after flashFor; glyphs only under NO_COLOR.
func TestChangeCueGoldens(t *testing.T) {
	for _, tt := range []struct {
		name    string
		after   time.Duration
		noColor bool
	}{
		{"fresh", 100 * time.Millisecond, false},
		{"fading", 700 * time.Millisecond, false},
		{"gone", 1100 * time.Millisecond, false},
		{"no_color", 100 * time.Millisecond, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := cueTable(t, cueYAML, tt.noColor)
			out := p.Render(viewState{Width: 50, Height: 5, Now: paneAt(time.Second + tt.after)})
			golden.RequireEqual(t, out+"\n")
		})
	}
}

func TestChangeCues(t *testing.T) {
	p := cueTable(t, cueYAML, false)
	st := tableOf(p).st
	out := p.Render(viewState{Width: 50, Height: 5, Now: paneAt(time.Second + 100*time.Millisecond)})
	plain := ansi.Strip(out)
	tsla := lineWith(t, plain, "TSLA")
	if !strings.Contains(tsla, "▼249.92") || !strings.Contains(tsla, "▼+0.32") {
		t.Errorf("TSLA fell: want ▼ before price and change, got %q", tsla)
	}
	if strings.Contains(tsla, "▲") || strings.Contains(lineWith(t, plain, "AAPL"), "▼") {
		t.Errorf("wrong direction: %q", plain)
	}
	if strings.ContainsAny(lineWith(t, plain, "TSLA")[strings.Index(tsla, "+0.32")+5:], "▲▼") {
		t.Errorf("volume has flash: false, yet shows a cue: %q", tsla)
	}
	// The sign colour wins over the direction: +0.32 is drawn as a gain.
	if !strings.Contains(out, st.For("gain").Render("+0.32")) {
		t.Errorf("+0.32 is not in the gain colour: %q", out)
	}
	if strings.Contains(out, "\x1b[7m") || strings.Contains(out, ";7m") {
		t.Errorf("no reverse video in cues: %q", out)
	}
	later := ansi.Strip(p.Render(viewState{Width: 50, Height: 5, Now: paneAt(2100 * time.Millisecond)}))
	if strings.ContainsAny(later, "▲▼•") {
		t.Errorf("cues must be gone after %v: %q", flashFor, later)
	}

	off := cueTable(t, strings.Replace(cueYAML, "key: symbol", "key: symbol\n    flash: false", 1), false)
	if s := ansi.Strip(off.Render(viewState{Width: 50, Height: 5, Now: paneAt(time.Second)})); strings.ContainsAny(s, "▲▼•") {
		t.Errorf("table flash: false shows cues: %q", s)
	}
}

// TestHeadingKeepsGraphemes: a heading is underlined as one run, so that a
// flag or a ZWJ sequence reaches the terminal whole (lipgloss's underline
// styles rune by rune, and tmux then drew the row two cells short).
func TestHeadingKeepsGraphemes(t *testing.T) {
	st := NewStyles(config.DefaultTheme())
	for _, title := range []string{"Title 🇯🇵", "family 👨‍👩‍👧"} {
		if h := st.Heading(title); !strings.Contains(h, title) {
			t.Errorf("heading %q split the text: %q", title, h)
		}
	}
}

func lineWith(t *testing.T, s, sub string) string {
	t.Helper()
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			return l
		}
	}
	t.Fatalf("no line with %q in\n%s", sub, s)
	return ""
}

// TestHierarchy: the focused pane is told by its border's weight (it reads
// without colour), titles are bold, column headings muted and underlined.
func TestHierarchy(t *testing.T) {
	p := cueTable(t, cueYAML, false)
	st := tableOf(p).st
	focused := p.Render(viewState{Width: 50, Height: 5, Focused: true, Now: paneAt(0)})
	plain := ansi.Strip(focused)
	if !strings.HasPrefix(plain, "┏━") || !strings.Contains(plain, "┗") {
		t.Errorf("focused pane needs a heavy border: %q", strings.SplitN(plain, "\n", 2)[0])
	}
	if other := ansi.Strip(p.Render(viewState{Width: 50, Height: 5, Now: paneAt(0)})); !strings.HasPrefix(other, "╭─") {
		t.Errorf("unfocused pane keeps the light rounded border: %q", strings.SplitN(other, "\n", 2)[0])
	}
	if !strings.Contains(focused, st.Heading("Symbol")) || !strings.Contains(st.Heading("Symbol"), "\x1b[4m") {
		t.Errorf("column heading not in the muted underlined style: %q", focused)
	}
	if st.ColumnHeader.GetBold() || !st.ColumnHeader.GetUnderline() || !st.Title.GetBold() {
		t.Error("headings: underlined, not bold; titles: bold")
	}
}
