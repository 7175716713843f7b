package main

import (
	"bytes"
	"fmt"
	"image/color"
	"math/rand/v2"
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
	uv "github.com/charmbracelet/ultraviolet"
	"github.com/charmbracelet/x/ansi"
)

// renderer drives ultraviolet's terminal renderer the way bubbletea v2's
// renderer does in the alternate screen, so the emulator is tested against
// the exact escape sequences the TUI will send.
type renderer struct {
	out  bytes.Buffer
	scr  *uv.TerminalRenderer
	buf  uv.ScreenBuffer
	w, h int
}

func newRenderer(w, h int) *renderer {
	r := &renderer{w: w, h: h}
	r.scr = uv.NewTerminalRenderer(&r.out, []string{"TERM=xterm-256color"})
	r.scr.SetColorProfile(colorprofile.TrueColor)
	r.scr.SetTabStops(w)
	r.scr.SetBackspace(true)
	r.scr.SetScrollOptim(true)
	r.scr.Resize(w, h)
	r.out.WriteString(ansi.SetModeAltScreenSaveCursor)
	r.scr.SetFullscreen(true)
	r.scr.SetRelativeCursor(false)
	r.scr.Erase()
	r.buf = uv.NewScreenBuffer(w, h)
	return r
}

// frame renders view and returns the bytes a terminal would receive.
func (r *renderer) frame(t *testing.T, view string) []byte {
	t.Helper()
	r.out.Reset()
	r.buf.Clear()
	uv.NewStyledString(view).Draw(r.buf, r.buf.Bounds())
	r.scr.Render(r.buf.RenderBuffer)
	if err := r.scr.Flush(); err != nil {
		t.Fatal(err)
	}
	return bytes.Clone(r.out.Bytes())
}

func colourToken(c color.Color) string {
	switch c := c.(type) {
	case nil:
		return ""
	case ansi.BasicColor:
		return fmt.Sprintf("c%d", c)
	case ansi.IndexedColor:
		return fmt.Sprintf("c%d", c)
	}
	r, g, b, _ := c.RGBA()
	return rgb(int(r>>8), int(g>>8), int(b>>8))
}

// compare reports every cell where the emulator differs from what the
// renderer believes the terminal shows.
func compare(s *screen, buf uv.ScreenBuffer) []string {
	var diffs []string
	for y := 0; y < buf.Height(); y++ {
		for x := 0; x < buf.Width(); x++ {
			want := buf.CellAt(x, y)
			got := s.at(x, y)
			wantR, gotR := " ", " "
			if want != nil && want.Content != "" {
				wantR = want.Content
			}
			if want != nil && want.Content == "" && want.Width == 0 {
				wantR = "tail"
			}
			switch got.r {
			case 0:
			case wideTail:
				gotR = "tail"
			default:
				gotR = string(got.r)
			}
			if wantR != gotR {
				diffs = append(diffs, fmt.Sprintf("(%d,%d) rune %q, want %q", x, y, gotR, wantR))
				continue
			}
			if wantR != " " && want != nil && colourToken(want.Style.Fg) != got.fg {
				diffs = append(diffs, fmt.Sprintf("(%d,%d) %q fg %q, want %q", x, y, gotR, got.fg, colourToken(want.Style.Fg)))
			}
		}
	}
	return diffs
}

// dashboard builds a frame that looks like the TUI's: a ticker line, a table
// with changing numbers, a list and a scrolling log, one pane focused.
func dashboard(w, h, step, focus int, rng *rand.Rand) string {
	border := lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(lipgloss.Color("#5f5f87"))
	focused := border.BorderForeground(lipgloss.Color("#ff00af"))
	gain := lipgloss.NewStyle().Foreground(lipgloss.Color("#5fd787"))
	loss := lipgloss.NewStyle().Foreground(lipgloss.Color("1"))
	muted := lipgloss.NewStyle().Foreground(lipgloss.Color("244"))
	box := func(i int, width, height int, title string, lines []string) string {
		st := border
		if i == focus {
			st = focused
		}
		body := make([]string, 0, height-2)
		for _, l := range lines {
			if len(body) == height-2 {
				break
			}
			body = append(body, ansi.Truncate(l, width-2, "…"))
		}
		for len(body) < height-2 {
			body = append(body, "")
		}
		out := st.Width(width).Height(height).Render(strings.Join(body, "\n"))
		// Put the title into the top border as panes do.
		rows := strings.Split(out, "\n")
		rows[0] = ansi.Truncate(rows[0], 2, "") + " " + title + " " + ansi.TruncateLeft(rows[0], len(title)+4, "")
		return strings.Join(rows, "\n")
	}
	symbols := []string{"AAPL", "MSFT", "GOOGL", "AMZN", "NVDA", "META", "TSLA", "JPM", "V", "NFLX"}
	var table []string
	for i, s := range symbols {
		chg := float64((step*7+i*13)%41-20) / 10
		st := gain
		if chg < 0 {
			st = loss
		}
		spark := strings.Repeat("▁▂▃▄▅▆▇█"[3*(step%8):3*(step%8)+3], 1+(step+i)%12)
		table = append(table, fmt.Sprintf("%-6s %9.2f %s %s", s, 100+float64(step%97)+float64(i), st.Render(fmt.Sprintf("%+5.1f%%", chg)), spark))
	}
	var list []string
	for i := 0; i < 12; i++ {
		list = append(list, fmt.Sprintf("%s trade %d %s", muted.Render(fmt.Sprintf("%2ds", i)), step-i, strings.Repeat("x", rng.IntN(30))))
	}
	var log []string
	for i := step + 40; i > step; i-- { // scrolls by one line per step
		log = append(log, fmt.Sprintf("12:00:%02d f%d quote %d {\"symbol\":\"%s\",\"price\":%d}", i%60, i%3+1, i, symbols[i%len(symbols)], 100+i%50))
	}
	tick := []rune(strings.Repeat("AAPL: record high · ", 10))
	off := step % 20
	ticker := string(tick[off:min(off+w, len(tick))])
	top := (h - 1) / 2
	left := w * 3 / 5
	row := lipgloss.JoinHorizontal(lipgloss.Top,
		box(0, left, top, "Quotes", table),
		box(1, w-left, top, "Trades", list))
	return lipgloss.JoinVertical(lipgloss.Left, ticker, row, box(2, w, h-1-top, "Log", log))
}

func TestScreenFollowsRenderer(t *testing.T) {
	const w, h = 120, 36
	rng := rand.New(rand.NewPCG(1, 2))
	r := newRenderer(w, h)
	s := newScreen(w, h, nil)
	for step := 0; step < 200; step++ {
		focus := (step / 10) % 3
		view := dashboard(w, h, step, focus, rng)
		if step%37 == 36 { // a mostly blank frame, like a help screen
			view = "Help\n\n  tab  next pane\n  q    quit"
		}
		out := r.frame(t, view)
		// Split writes at random points, as reads from a pty do.
		for len(out) > 0 {
			n := min(len(out), 1+rng.IntN(200))
			s.Write(out[:n])
			out = out[n:]
		}
		if d := compare(s, r.buf); len(d) > 0 {
			t.Fatalf("step %d: %d cells differ, first: %s\nscreen:\n%s", step, len(d), strings.Join(d[:min(5, len(d))], "; "), s.String())
		}
	}
	if !s.Contains("Quotes") || !s.Contains("Log") {
		t.Fatalf("titles missing:\n%s", s.String())
	}
}

func TestFocusSignatureMovesWithFocus(t *testing.T) {
	const w, h = 120, 36
	rng := rand.New(rand.NewPCG(3, 4))
	r := newRenderer(w, h)
	s := newScreen(w, h, nil)
	s.Write(r.frame(t, dashboard(w, h, 0, 0, rng)))
	first := s.focusSignature("#ff00af")
	if !strings.HasPrefix(first, "corners ") {
		t.Fatalf("signature %q: want the focused pane's corners", first)
	}
	// Content changes alone must not change the signature.
	for step := 1; step < 20; step++ {
		s.Write(r.frame(t, dashboard(w, h, step, 0, rng)))
		if got := s.focusSignature("#ff00af"); got != first {
			t.Fatalf("step %d: signature changed without a focus change: %q → %q", step, first, got)
		}
	}
	s.Write(r.frame(t, dashboard(w, h, 20, 1, rng)))
	if got := s.focusSignature("#ff00af"); got == first || got == "" {
		t.Fatalf("signature %q after the focus moved, was %q", got, first)
	}
	if got := s.focusSignature("#123456"); got != "" {
		t.Fatalf("signature of an unused colour = %q", got)
	}
}

func TestScreenAnswersQueries(t *testing.T) {
	var replies []string
	s := newScreen(80, 24, func(b []byte) { replies = append(replies, string(b)) })
	s.Write([]byte("ab\x1b[5;7H\x1b[6n"))
	s.Write([]byte("\x1b]11;?\x07\x1b[c\x1b[?2026$p\x1b[?2027$p\x1b[?u\x1b[>0q"))
	want := []string{
		"\x1b[5;7R",
		"\x1b]11;rgb:1c1c/1c1c/1c1c\x1b\\",
		"\x1b[?62;22c",
		"\x1b[?2026;2$y",
		"\x1b[?2027;0$y",
		"\x1bP>|xterm(390)\x1b\\",
	}
	if strings.Join(replies, "|") != strings.Join(want, "|") {
		t.Fatalf("replies %q, want %q", replies, want)
	}
	s.Write([]byte("\x1b[?2026h\x1b[Hx\x1b[?2026l\x1b[?2026h\x1b[?2026l"))
	if s.syncFrames != 2 {
		t.Fatalf("syncFrames = %d, want 2", s.syncFrames)
	}
}

func TestScreenEdits(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"wrap", "\x1b[1;9Habcd", "        ab\ncd"},
		{"no autowrap", "\x1b[?7l\x1b[1;9Habcd", "        ad"},
		{"ich dch", "abcdef\x1b[1;3H\x1b[2@XY\x1b[1;1H\x1b[1P", "bXYcdef"},
		{"ech el", "abcdef\x1b[1;2H\x1b[2Xz\x1b[1;6H\x1b[K", "az de"},
		{"rep", "-\x1b[4b", "-----"},
		{"il dl", "1\r\n2\r\n3\r\n4\x1b[2;1H\x1b[L\x1b[3;1H\x1b[M", "1\n\n3"},
		{"scroll region", "1\r\n2\r\n3\r\n4\x1b[2;3r\x1b[3;1H\nX\x1b[r", "1\n3\nX\n4"},
		{"reverse index", "1\r\n2\x1b[1;1H\x1bMZ", "Z\n1\n2"},
		{"tabs", "a\tb\x1b[2Zc", "c       b"},
		{"backspace", "abc\b\bX", "aXc"},
		{"erase display", "abc\r\ndef\x1b[1;2H\x1b[J", "a"},
		{"wide", "日本\x1b[1;2Hx", " x本"},
		{"sgr colon rgb", "\x1b[38:2::1:2:3mq", "q"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newScreen(10, 4, nil)
			s.Write([]byte(tt.in))
			if got := strings.TrimRight(s.String(), "\n"); got != tt.want {
				t.Fatalf("screen:\n%q\nwant:\n%q", got, tt.want)
			}
		})
	}
	s := newScreen(10, 2, nil)
	s.Write([]byte("\x1b[38;2;255;0;175mA\x1b[38:2::1:2:3mB\x1b[31mC\x1b[38;5;200mD\x1b[0mE\x1b[94mF"))
	var got []string
	for x := 0; x < 6; x++ {
		got = append(got, s.at(x, 0).fg)
	}
	if want := "#ff00af #010203 c1 c200  c12"; strings.Join(got, " ") != want {
		t.Fatalf("colours %q, want %q", strings.Join(got, " "), want)
	}
}

func TestScreenAttributesBytesToRows(t *testing.T) {
	s := newScreen(10, 4, nil)
	s.Write([]byte("\x1b[2;1H\x1b[31mabc"))      // 14 bytes for row 1
	s.Write([]byte("\x1b[4;1H\x1b[K\x1b[1;1Hz")) // 9 for row 3, 7 for row 0
	if got := fmt.Sprint(s.rowBytes); got != "[7 14 0 9]" {
		t.Fatalf("rowBytes %s, want [7 14 0 9]", got)
	}
}
