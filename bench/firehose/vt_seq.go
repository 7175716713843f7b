package main

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// csi applies one control sequence: the cursor movements, erases, inserts,
// deletes and scrolls a renderer uses, SGR, and the queries it may send.
func (s *screen) csi(cmd ansi.Cmd, params ansi.Params) {
	n := func(i int) int { // a count: missing or 0 means 1
		v, _, _ := params.Param(i, 1)
		return max(v, 1)
	}
	p := func(i, def int) int {
		v, _, _ := params.Param(i, def)
		return v
	}
	prefix, inter, final := cmd.Prefix(), cmd.Intermediate(), cmd.Final()
	if prefix == 0 && inter == 0 && strings.IndexByte("JKX@PLMST", final) >= 0 {
		s.changed() // an edit: its bytes belong to the row it is on
	}
	if prefix == '?' {
		s.decPrivate(final, inter, params)
		return
	}
	switch {
	case prefix == '>' && final == 'q': // XTVERSION
		s.send("xtversion", "\x1bP>|xterm(390)\x1b\\")
		return
	case prefix == '>' && final == 'c': // DA2
		s.send("da2", "\x1b[>41;390;0c")
		return
	case prefix != 0 || inter != 0:
		return // kitty keyboard, cursor style and the like: no effect here
	}
	switch final {
	case 'A': // CUU
		top := 0
		if s.y >= s.top {
			top = s.top
		}
		s.moveTo(s.x, max(s.y-n(0), top))
	case 'B', 'e': // CUD, VPR
		bot := s.h - 1
		if s.y <= s.bot {
			bot = s.bot
		}
		s.moveTo(s.x, min(s.y+n(0), bot))
	case 'C', 'a': // CUF, HPR
		s.moveTo(s.x+n(0), s.y)
	case 'D': // CUB
		s.moveTo(s.x-n(0), s.y)
	case 'E': // CNL
		s.moveTo(0, s.y+n(0))
	case 'F': // CPL
		s.moveTo(0, s.y-n(0))
	case 'G', '`': // CHA, HPA
		s.moveTo(n(0)-1, s.y)
	case 'd': // VPA
		s.moveTo(s.x, n(0)-1)
	case 'H', 'f': // CUP
		s.moveTo(n(1)-1, n(0)-1)
	case 'I': // CHT
		x := s.x
		for range n(0) {
			x = s.nextTab(x)
		}
		s.moveTo(x, s.y)
	case 'Z': // CBT
		x := s.x
		for range n(0) {
			x = s.prevTab(x)
		}
		s.moveTo(x, s.y)
	case 'J': // ED
		switch p(0, 0) {
		case 0:
			s.eraseCells(s.x, s.w, s.y)
			if s.y+1 < s.h {
				s.blankRows(s.y+1, s.h-1)
			}
		case 1:
			if s.y > 0 {
				s.blankRows(0, s.y-1)
			}
			s.eraseCells(0, s.x+1, s.y)
		default:
			s.blankRows(0, s.h-1)
		}
	case 'K': // EL
		switch p(0, 0) {
		case 0:
			s.eraseCells(s.x, s.w, s.y)
		case 1:
			s.eraseCells(0, s.x+1, s.y)
		default:
			s.eraseCells(0, s.w, s.y)
		}
	case 'X': // ECH
		s.eraseCells(s.x, s.x+n(0), s.y)
	case '@': // ICH
		s.insertBlanks(n(0))
	case 'P': // DCH
		s.deleteChars(n(0))
	case 'L': // IL
		if s.y >= s.top && s.y <= s.bot {
			s.scrollDown(s.y, s.bot, n(0))
			s.moveTo(0, s.y)
		}
	case 'M': // DL
		if s.y >= s.top && s.y <= s.bot {
			s.scrollUp(s.y, s.bot, n(0))
			s.moveTo(0, s.y)
		}
	case 'S': // SU
		s.scrollUp(s.top, s.bot, n(0))
	case 'T': // SD
		if len(params) <= 1 {
			s.scrollDown(s.top, s.bot, n(0))
		}
	case 'b': // REP
		if s.last != 0 {
			for range min(n(0), s.w*s.h) {
				s.print(s.last)
			}
		}
	case 'r': // DECSTBM
		top, bot := n(0)-1, p(1, s.h)
		if bot == 0 || bot > s.h {
			bot = s.h
		}
		bot--
		if top < bot {
			s.top, s.bot = top, bot
			s.moveTo(0, 0)
		}
	case 'm':
		s.sgr(params)
	case 'h', 'l':
		if p(0, 0) == 4 {
			s.insert = final == 'h'
		}
	case 's':
		s.savedX, s.savedY, s.savedPen = s.x, s.y, s.pen
	case 'u':
		s.moveTo(s.savedX, s.savedY)
		s.pen = s.savedPen
	case 'n': // DSR
		switch p(0, 0) {
		case 5:
			s.send("dsr", "\x1b[0n")
		case 6:
			s.send("cpr", fmt.Sprintf("\x1b[%d;%dR", s.y+1, s.x+1))
		}
	case 'c': // DA1
		s.send("da1", "\x1b[?62;22c")
	}
}

// decPrivate handles CSI ? sequences: modes, their reports, cursor reports.
func (s *screen) decPrivate(final, inter byte, params ansi.Params) {
	switch {
	case final == 'h' || final == 'l':
		set := final == 'h'
		for i := range params {
			mode := params[i].Param(0)
			switch mode {
			case 7:
				s.autowrap = set
			case 47, 1047, 1049:
				if set && mode == 1049 {
					s.savedX, s.savedY, s.savedPen = s.x, s.y, s.pen
				}
				s.blankRows(0, s.h-1)
				if !set && mode == 1049 {
					s.moveTo(s.savedX, s.savedY)
				}
			case 2026:
				if !set && s.modes[2026] {
					s.syncFrames++
				}
			}
			s.modes[mode] = set
		}
	case final == 'p' && inter == '$': // DECRQM
		mode, _, _ := params.Param(0, 0)
		// Like a current terminal: synchronized output is supported,
		// grapheme clustering (2027) is not.
		value := 0
		switch mode {
		case 2026, 1, 7, 25, 47, 1000, 1002, 1003, 1004, 1006, 1047, 1049, 2004:
			value = 2
			if s.modes[mode] || (mode == 7 && s.autowrap) {
				value = 1
			}
		}
		s.send(fmt.Sprintf("decrqm %d", mode), fmt.Sprintf("\x1b[?%d;%d$y", mode, value))
	case final == 'n' && len(params) > 0 && params[0].Param(0) == 6: // DECXCPR
		s.send("cpr", fmt.Sprintf("\x1b[?%d;%dR", s.y+1, s.x+1))
	case final == 'u':
		// Kitty keyboard query: an xterm does not answer, so the program
		// keeps legacy key encoding (Tab is \t, Shift-Tab CSI Z).
	}
}

func (s *screen) esc(cmd ansi.Cmd) {
	if cmd.Intermediate() != 0 {
		return // charset designations
	}
	switch cmd.Final() {
	case '7':
		s.savedX, s.savedY, s.savedPen = s.x, s.y, s.pen
	case '8':
		s.moveTo(s.savedX, s.savedY)
		s.pen = s.savedPen
	case 'D':
		s.wrapNext = false
		s.index()
	case 'E':
		s.wrapNext = false
		s.x = 0
		s.index()
	case 'M':
		s.wrapNext = false
		s.reverseIndex()
	case 'c':
		s.reset()
	}
}

func (s *screen) osc(cmd int, data []byte) {
	if !bytes.HasSuffix(data, []byte(";?")) {
		return
	}
	switch cmd {
	case 10:
		s.send("osc 10", "\x1b]10;rgb:d0d0/d0d0/d0d0\x1b\\")
	case 11: // a dark background, answered so nothing waits for a timeout
		s.send("osc 11", "\x1b]11;rgb:1c1c/1c1c/1c1c\x1b\\")
	case 12:
		s.send("osc 12", "\x1b]12;rgb:d0d0/d0d0/d0d0\x1b\\")
	}
}

func (s *screen) dcs(cmd ansi.Cmd, _ ansi.Params, _ []byte) {
	if cmd.Intermediate() == '+' && cmd.Final() == 'q' { // XTGETTCAP
		s.send("xtgettcap", "\x1bP0+r\x1b\\")
	}
}

// sgr tracks the foreground colour; other attributes do not matter here.
func (s *screen) sgr(params ansi.Params) {
	if len(params) == 0 {
		s.pen = ""
		return
	}
	for i := 0; i < len(params); i++ {
		v := params[i].Param(0)
		switch {
		case v == 0 || v == 39:
			s.pen = ""
		case v >= 30 && v <= 37:
			s.pen = fmt.Sprintf("c%d", v-30)
		case v >= 90 && v <= 97:
			s.pen = fmt.Sprintf("c%d", v-90+8)
		case v == 38 || v == 48 || v == 58:
			colour, used := extendedColour(params[i:])
			if v == 38 {
				s.pen = colour
			}
			i += used
		}
	}
}

// extendedColour decodes 38;5;n, 38;2;r;g;b and their colon forms
// (38:5:n, 38:2::r:g:b) starting at params[0], returning the normalised
// colour and how many parameters after the first it used.
func extendedColour(params ansi.Params) (string, int) {
	if params[0].HasMore() { // colon form: the sub-parameters belong together
		var sub []int
		i := 0
		for ; i < len(params); i++ {
			sub = append(sub, params[i].Param(-1))
			if !params[i].HasMore() {
				break
			}
		}
		switch {
		case len(sub) >= 3 && sub[1] == 5:
			return fmt.Sprintf("c%d", sub[2]), i
		case len(sub) >= 6 && sub[1] == 2: // with colour space id
			return rgb(sub[3], sub[4], sub[5]), i
		case len(sub) == 5 && sub[1] == 2:
			return rgb(sub[2], sub[3], sub[4]), i
		}
		return "", i
	}
	arg := func(i int) int {
		if i < len(params) {
			return params[i].Param(0)
		}
		return 0
	}
	switch arg(1) {
	case 5:
		return fmt.Sprintf("c%d", arg(2)), 2
	case 2:
		return rgb(arg(2), arg(3), arg(4)), 4
	}
	return "", 1
}

func rgb(r, g, b int) string { return fmt.Sprintf("#%02x%02x%02x", r&0xff, g&0xff, b&0xff) }
