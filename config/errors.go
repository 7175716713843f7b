package config

import (
	"bytes"
	"fmt"
	"sort"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Pos is a place in a config file; Line and Col count from 1 (Col in
// characters), and 0 means unknown.
type Pos struct {
	File string
	Line int
	Col  int
}

// String formats the position as file:line:col, leaving out unknown parts.
func (p Pos) String() string {
	switch {
	case p.Line == 0:
		return p.File
	case p.Col == 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Error is one problem in a config, at a position.
type Error struct {
	Pos Pos
	Msg string
	// Hint is an optional second line telling how to fix it.
	Hint string
	// Warning marks problems that do not stop livefeed from running.
	Warning bool
	// Source is the text of the line at Pos (without its newline), if known.
	Source string
	// Span is how many characters from Pos.Col to underline (at least 1).
	Span int
}

// Error returns the one-line form "file:line:col: message".
func (e *Error) Error() string {
	prefix := e.Pos.String()
	if prefix != "" {
		prefix += ": "
	}
	if e.Warning {
		prefix += "warning: "
	}
	return prefix + e.Msg
}

// Pretty renders the error like a compiler: the message, the source line and
// a caret under the column, and the hint.
func (e *Error) Pretty() string {
	var b strings.Builder
	b.WriteString(e.Error())
	b.WriteByte('\n')
	if e.Source != "" && e.Pos.Line > 0 {
		num := fmt.Sprint(e.Pos.Line)
		gutter := strings.Repeat(" ", len(num))
		src := strings.ReplaceAll(e.Source, "\t", "    ")
		fmt.Fprintf(&b, " %s | %s\n", num, src)
		if e.Pos.Col > 0 {
			prefix := []rune(e.Source)
			if e.Pos.Col-1 < len(prefix) {
				prefix = prefix[:e.Pos.Col-1]
			}
			pad := ansi.StringWidth(strings.ReplaceAll(string(prefix), "\t", "    "))
			span := max(e.Span, 1)
			rest := []rune(e.Source)[min(len(prefix), len([]rune(e.Source))):]
			if w := ansi.StringWidth(string(rest[:min(span, len(rest))])); span > 1 && w > 0 {
				span = w
			}
			fmt.Fprintf(&b, " %s | %s^%s\n", gutter, strings.Repeat(" ", pad), strings.Repeat("~", span-1))
		}
	}
	if e.Hint != "" {
		fmt.Fprintf(&b, "   hint: %s\n", strings.ReplaceAll(e.Hint, "\n", "\n         "))
	}
	return b.String()
}

// ErrorList is every problem found, in file order.
type ErrorList []*Error

// Error renders every entry with its source line, followed by a count.
func (l ErrorList) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(strings.TrimRight(e.Pretty(), "\n"))
	}
	if n := l.count(false); n > 1 {
		fmt.Fprintf(&b, "\n%d errors", n)
	}
	return b.String()
}

func (l ErrorList) count(warnings bool) int {
	n := 0
	for _, e := range l {
		if e.Warning == warnings {
			n++
		}
	}
	return n
}

// Errors returns the entries that are errors, not warnings.
func (l ErrorList) Errors() ErrorList { return l.filter(false) }

// Warnings returns the entries that are warnings.
func (l ErrorList) Warnings() ErrorList { return l.filter(true) }

func (l ErrorList) filter(warn bool) ErrorList {
	var out ErrorList
	for _, e := range l {
		if e.Warning == warn {
			out = append(out, e)
		}
	}
	return out
}

// Sort orders the list by position, keeping the order of errors at the same
// place.
func (l ErrorList) Sort() {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i].Pos, l[j].Pos
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
}

// Err returns the list as an error, or nil when it holds no errors (warnings
// alone are not a failure).
func (l ErrorList) Err() error {
	if l.count(false) == 0 {
		return nil
	}
	return l
}

// source is a config file's text, kept to quote lines in messages.
type source struct {
	name  string
	lines []string
}

func newSource(name string, data []byte) *source {
	text := string(bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n")))
	return &source{name: name, lines: strings.Split(text, "\n")}
}

func (s *source) line(n int) string {
	if s == nil || n < 1 || n > len(s.lines) {
		return ""
	}
	return s.lines[n-1]
}

// errorAt builds an Error quoting the source line; s may be nil.
func (s *source) errorAt(p Pos, span int, msg string, args ...any) *Error {
	if s != nil && p.File == "" {
		p.File = s.name
	}
	return &Error{Pos: p, Msg: fmt.Sprintf(msg, args...), Source: s.line(p.Line), Span: span}
}

// suggest returns the candidate closest to got, if it is close enough to be
// a plausible typo: same letters ignoring case and separators, or a small
// edit distance.
func suggest(got string, candidates []string) string {
	norm := func(s string) string {
		return strings.NewReplacer("_", "", "-", "", " ", "").Replace(strings.ToLower(s))
	}
	best, bestDist := "", 1<<30
	for _, c := range candidates {
		if norm(c) == norm(got) {
			return c
		}
		d := editDistance(strings.ToLower(got), strings.ToLower(c))
		if d < bestDist {
			best, bestDist = c, d
		}
	}
	limit := 1
	if n := len([]rune(got)); n > 4 {
		limit = 2
	}
	if n := len([]rune(got)); n > 8 {
		limit = 3
	}
	if bestDist <= limit {
		return best
	}
	return ""
}

// didYouMean formats suggest's answer as a message suffix.
func didYouMean(got string, candidates []string) string {
	if s := suggest(got, candidates); s != "" {
		return fmt.Sprintf(" (did you mean %q?)", s)
	}
	return ""
}

// editDistance is the optimal-string-alignment distance: insertions,
// deletions, substitutions and swaps of neighbours each cost one.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
