// Command teafloor is the floor under livefeed's TUI figures: a bubbletea
// program with nothing to do but show a full 120×36 screen of text, either
// still or changing --every interval (one character a frame, as a ticker's
// scroll would). What it costs is what any bubbletea v2 dashboard costs on
// the machine before it reads a feed: its renderer wakes 60 times a second
// and, on a change, parses and diffs the whole screen. docs/BENCHMARKS.md
// ("The floor under the TUI") has the commands and figures.
//
//	tmux new-session -d -x 120 -y 36 'go run ./bench/teafloor --every 125ms'
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
)

type frameMsg time.Time

type model struct {
	every time.Duration
	n     int
	rows  []string
}

func (m model) next() tea.Cmd {
	if m.every <= 0 {
		return nil
	}
	return tea.Tick(m.every, func(t time.Time) tea.Msg { return frameMsg(t) })
}

func (m model) Init() tea.Cmd { return m.next() }

func (m model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if msg.String() == "q" {
			return m, tea.Quit
		}
	case frameMsg:
		m.n++
		return m, m.next()
	}
	return m, nil
}

func (m model) View() tea.View {
	// The last row scrolls one cell a frame; the others stay.
	line := strings.Repeat("livefeed ", 20)
	off := m.n % 9
	v := tea.NewView(strings.Join(m.rows, "\n") + "\n" + line[off:off+120])
	v.AltScreen = true
	return v
}

func main() {
	every := flag.Duration("every", 0, "change the screen this often (0: never)")
	fps := flag.Int("fps", 0, "the renderer's frames a second (0: bubbletea's default, 60)")
	flag.Parse()
	rows := make([]string, 35)
	for i := range rows {
		rows[i] = fmt.Sprintf("%-120s", fmt.Sprintf("row %d: %s", i, strings.Repeat("text ", 20)))
	}
	if _, err := tea.NewProgram(model{every: *every, rows: rows}, tea.WithFPS(*fps)).Run(); err != nil {
		fmt.Fprintln(os.Stderr, "teafloor:", err)
		os.Exit(1)
	}
}
