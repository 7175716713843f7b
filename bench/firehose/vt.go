package main

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// cell is one character cell of the emulated screen. Only the foreground
// colour is kept: it is what tells a focused pane's border from the others.
type cell struct {
	r  rune   // 0 is a blank cell
	fg string // normalised SGR foreground, "" for the default
}

// wideTail marks the second cell of a double-width character.
const wideTail = -1

// screen is a small terminal emulator: enough of xterm to follow what
// bubbletea's renderer (ultraviolet) sends — cursor movement, erase,
// insert/delete of characters and lines, scroll regions, tabs, REP and the
// SGR foreground — so the harness can see what is on the screen after every
// read, and answer the queries a real terminal answers.
type screen struct {
	w, h     int
	cells    []cell // row-major, w*h
	x, y     int
	wrapNext bool // the last column was written; the next print wraps
	autowrap bool
	insert   bool // IRM
	top, bot int  // scroll region, inclusive rows
	pen      string
	last     rune // for REP
	savedX   int
	savedY   int
	savedPen string
	modes    map[int]bool // DEC private modes currently set

	parser *ansi.Parser
	// reply receives the answers to terminal queries (device attributes,
	// cursor position, colours, mode reports), to be written back to the
	// program's input.
	reply func([]byte)
	// syncFrames counts synchronized updates (mode 2026 reset), which is one
	// per frame when the program uses them.
	syncFrames int
	// queries counts the queries answered, by kind, for the report.
	queries map[string]int
	// rowBytes attributes the output to screen rows: the bytes since the
	// last change of the screen (cursor moves, colours, the text itself)
	// count for the row that change was on.
	rowBytes []int64
	pending  int64
}

func newScreen(w, h int, reply func([]byte)) *screen {
	s := &screen{w: w, h: h, reply: reply, modes: map[int]bool{}, queries: map[string]int{}, rowBytes: make([]int64, h)}
	s.reset()
	s.parser = ansi.NewParser()
	s.parser.SetHandler(ansi.Handler{
		Print:     s.print,
		Execute:   s.execute,
		HandleCsi: s.csi,
		HandleEsc: s.esc,
		HandleOsc: s.osc,
		HandleDcs: s.dcs,
	})
	return s
}

func (s *screen) reset() {
	s.cells = make([]cell, s.w*s.h)
	s.x, s.y = 0, 0
	s.wrapNext = false
	s.autowrap = true
	s.insert = false
	s.top, s.bot = 0, s.h-1
	s.pen = ""
	s.last = 0
}

// Write feeds program output to the emulator; it never fails.
func (s *screen) Write(b []byte) (int, error) {
	for _, c := range b {
		s.pending++
		s.parser.Advance(c)
	}
	return len(b), nil
}

// changed attributes the pending bytes to the cursor's row.
func (s *screen) changed() {
	s.rowBytes[s.y] += s.pending
	s.pending = 0
}

func (s *screen) at(x, y int) *cell { return &s.cells[y*s.w+x] }

// Row is the text of row y, blanks as spaces, wide characters once.
func (s *screen) Row(y int) string {
	var b strings.Builder
	for x := 0; x < s.w; x++ {
		switch c := s.at(x, y); c.r {
		case 0:
			b.WriteByte(' ')
		case wideTail:
		default:
			b.WriteRune(c.r)
		}
	}
	return b.String()
}

// String is the whole screen as text, one line per row.
func (s *screen) String() string {
	rows := make([]string, s.h)
	for y := range rows {
		rows[y] = strings.TrimRight(s.Row(y), " ")
	}
	return strings.Join(rows, "\n")
}

// Contains reports whether text appears on one row of the screen.
func (s *screen) Contains(text string) bool {
	for y := 0; y < s.h; y++ {
		if strings.Contains(s.Row(y), text) {
			return true
		}
	}
	return false
}

func (s *screen) send(kind, answer string) {
	s.queries[kind]++
	if s.reply != nil {
		s.reply([]byte(answer))
	}
}

func runeWidth(r rune) int {
	if r < 0x7f {
		return 1
	}
	return ansi.StringWidthWc(string(r))
}

func (s *screen) print(r rune) {
	w := runeWidth(r)
	if w <= 0 {
		return
	}
	if s.wrapNext && s.autowrap {
		s.x = 0
		s.index()
	}
	s.wrapNext = false
	if w > 1 && s.x+w > s.w {
		if !s.autowrap {
			return
		}
		s.x = 0
		s.index()
	}
	if s.insert {
		s.insertBlanks(w)
	}
	s.changed()
	s.clearWide(s.x)
	*s.at(s.x, s.y) = cell{r: r, fg: s.pen}
	if w == 2 {
		s.clearWide(s.x + 1)
		*s.at(s.x+1, s.y) = cell{r: wideTail, fg: s.pen}
	}
	s.last = r
	if s.x+w >= s.w {
		s.x = s.w - 1
		s.wrapNext = s.autowrap
	} else {
		s.x += w
	}
}

// clearWide blanks the other half of a wide character about to be
// overwritten at column x, as terminals do.
func (s *screen) clearWide(x int) {
	c := s.at(x, s.y)
	if c.r == wideTail && x > 0 {
		*s.at(x-1, s.y) = cell{}
	} else if c.r != 0 && c.r != wideTail && x+1 < s.w && s.at(x+1, s.y).r == wideTail {
		*s.at(x+1, s.y) = cell{}
	}
}

func (s *screen) execute(b byte) {
	switch b {
	case '\b':
		s.wrapNext = false
		if s.x > 0 {
			s.x--
		}
	case '\t':
		s.wrapNext = false
		s.x = s.nextTab(s.x)
	case '\n', '\v', '\f':
		s.wrapNext = false
		s.index()
	case '\r':
		s.wrapNext = false
		s.x = 0
	}
}

func (s *screen) nextTab(x int) int { return min((x/8+1)*8, s.w-1) }
func (s *screen) prevTab(x int) int { return max(((x-1)/8)*8, 0) }

// index moves the cursor down one row, scrolling the region at its bottom.
func (s *screen) index() {
	switch {
	case s.y == s.bot:
		s.scrollUp(s.top, s.bot, 1)
	case s.y < s.h-1:
		s.y++
	}
}

func (s *screen) reverseIndex() {
	switch {
	case s.y == s.top:
		s.scrollDown(s.top, s.bot, 1)
	case s.y > 0:
		s.y--
	}
}

func (s *screen) blankRows(from, to int) {
	for y := from; y <= to; y++ {
		clear(s.cells[y*s.w : (y+1)*s.w])
	}
}

// scrollUp moves rows top..bot up by n, blanking the rows that come in.
func (s *screen) scrollUp(top, bot, n int) {
	n = min(n, bot-top+1)
	if n <= 0 {
		return
	}
	copy(s.cells[top*s.w:(bot+1-n)*s.w], s.cells[(top+n)*s.w:(bot+1)*s.w])
	s.blankRows(bot+1-n, bot)
}

// scrollDown moves rows top..bot down by n, blanking the rows that come in.
func (s *screen) scrollDown(top, bot, n int) {
	n = min(n, bot-top+1)
	if n <= 0 {
		return
	}
	copy(s.cells[(top+n)*s.w:(bot+1)*s.w], s.cells[top*s.w:(bot+1-n)*s.w])
	s.blankRows(top, top+n-1)
}

func (s *screen) insertBlanks(n int) {
	row := s.cells[s.y*s.w : (s.y+1)*s.w]
	n = min(n, s.w-s.x)
	copy(row[s.x+n:], row[s.x:s.w-n])
	clear(row[s.x : s.x+n])
}

func (s *screen) deleteChars(n int) {
	row := s.cells[s.y*s.w : (s.y+1)*s.w]
	n = min(n, s.w-s.x)
	copy(row[s.x:], row[s.x+n:])
	clear(row[s.w-n:])
}

func (s *screen) eraseCells(x0, x1, y int) {
	x0, x1 = max(x0, 0), min(x1, s.w)
	if x0 < x1 {
		clear(s.cells[y*s.w+x0 : y*s.w+x1])
	}
}

func (s *screen) moveTo(x, y int) {
	s.wrapNext = false
	s.x = min(max(x, 0), s.w-1)
	s.y = min(max(y, 0), s.h-1)
}

// cornerRunes are the corners of every lipgloss border style.
const cornerRunes = "╭╮╰╯┌┐└┘╔╗╚╝┏┓┗┛"

// focusSignature identifies where the cells drawn in colour fg are: the
// positions of the border corners in that colour, or, when there are none,
// the bounding box of every cell in it. Titles and counters inside a focused
// pane change all the time; its corners only move when the focus does.
func (s *screen) focusSignature(fg string) string {
	var corners strings.Builder
	minX, minY, maxX, maxY := s.w, s.h, -1, -1
	for y := 0; y < s.h; y++ {
		for x := 0; x < s.w; x++ {
			c := s.at(x, y)
			if c.fg != fg || c.r == 0 || c.r == ' ' {
				continue
			}
			if strings.ContainsRune(cornerRunes, c.r) {
				fmt.Fprintf(&corners, "%d,%d;", x, y)
			}
			minX, minY = min(minX, x), min(minY, y)
			maxX, maxY = max(maxX, x), max(maxY, y)
		}
	}
	if corners.Len() > 0 {
		return "corners " + corners.String()
	}
	if maxX < 0 {
		return ""
	}
	return fmt.Sprintf("box %d,%d-%d,%d", minX, minY, maxX, maxY)
}
