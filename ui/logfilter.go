package ui

import (
	"path"
	"strings"
	"unicode"
)

// logFilter selects the items of any pane (its name is from when only the
// log had one). Words must all appear somewhere (feed, type, id or text,
// ignoring case); feed:GLOB, type:GLOB (or event:) and id:GLOB restrict
// those fields, several of the same kind meaning any of them; in a table,
// COLUMN:VALUE matches the column of that title or path (VALUE is a glob if
// it has * ? or [, else a part of the cell); a leading '-' excludes what a
// term matches. Double quotes keep spaces in a term.
type logFilter struct {
	raw   string
	terms []filterTerm
}

type filterTerm struct {
	field   string // "", "feed", "type", "id" or "col" (then column is set)
	column  string // lower case column name, for field "col"
	word    string // the whole term as a word, for a col: term where there is no such column
	pattern string // lower case
	neg     bool
}

func (f logFilter) empty() bool { return len(f.terms) == 0 }

// parseLogFilter reads a filter expression; it never fails: anything it does
// not recognise is a word to look for.
func parseLogFilter(s string) logFilter {
	f := logFilter{raw: strings.TrimSpace(s)}
	for _, tok := range splitFilter(s) {
		t := filterTerm{}
		if len(tok) > 1 && tok[0] == '-' {
			t.neg, tok = true, tok[1:]
		}
		if field, val, ok := strings.Cut(tok, ":"); ok {
			switch strings.ToLower(field) {
			case "feed":
				t.field = "feed"
			case "type", "event":
				t.field = "type"
			case "id":
				t.field = "id"
			default:
				if field != "" && val != "" {
					t.field, t.column, t.word = "col", strings.ToLower(field), strings.ToLower(tok)
				}
			}
			if t.field != "" {
				tok = val
			}
		}
		if tok == "" {
			continue
		}
		t.pattern = strings.ToLower(tok)
		f.terms = append(f.terms, t)
	}
	return f
}

// splitFilter splits on spaces outside double quotes, dropping the quotes.
func splitFilter(s string) []string {
	var toks []string
	var cur strings.Builder
	quoted, have := false, false
	for _, r := range s {
		switch {
		case r == '"':
			quoted, have = !quoted, true
		case unicode.IsSpace(r) && !quoted:
			if have {
				toks = append(toks, cur.String())
			}
			cur.Reset()
			have = false
		default:
			cur.WriteRune(r)
			have = true
		}
	}
	if have {
		toks = append(toks, cur.String())
	}
	return toks
}

func (f logFilter) match(e *logEntry) bool {
	var text string
	return f.matchItem(e.it, func() string {
		if text == "" {
			text = strings.ToLower(e.it.Feed + "\x00" + e.it.Event.Type + "\x00" + e.it.Event.ID + "\x00" + e.it.Event.Data)
		}
		return text
	}, nil)
}

// matchItem matches an item whose searchable text (lower case) text
// returns, made only if a word needs it; column, when not nil, looks up a
// table cell by column title or path (lower case).
func (f logFilter) matchItem(it Item, text func() string, column func(name string) (string, bool)) bool {
	var need, got [3]bool // feed, type, id: positive terms of one kind are alternatives
	for _, t := range f.terms {
		var hit bool
		kind := -1
		switch t.field {
		case "feed":
			kind, hit = 0, globFold(t.pattern, it.Feed)
		case "type":
			kind, hit = 1, globFold(t.pattern, it.Event.Type)
		case "id":
			kind, hit = 2, globFold(t.pattern, it.Event.ID)
		case "col":
			if cell, ok := lookupColumn(column, t.column); ok {
				hit = matchCell(t.pattern, cell)
			} else {
				hit = strings.Contains(text(), t.word) // "http://…" is a word, not a column
			}
		default:
			hit = strings.Contains(text(), t.pattern)
		}
		switch {
		case t.neg:
			if hit {
				return false
			}
		case kind < 0:
			if !hit {
				return false
			}
		default:
			need[kind] = true
			got[kind] = got[kind] || hit
		}
	}
	for i := range need {
		if need[i] && !got[i] {
			return false
		}
	}
	return true
}

func lookupColumn(column func(string) (string, bool), name string) (string, bool) {
	if column == nil {
		return "", false
	}
	return column(name)
}

// matchCell matches a cell against a column term: a glob when the pattern
// has glob characters, else a part of the cell, ignoring case.
func matchCell(pattern, cell string) bool {
	if strings.ContainsAny(pattern, "*?[") {
		return globFold(pattern, cell)
	}
	return strings.Contains(strings.ToLower(cell), pattern)
}

// globFold matches a lower-case glob against a value ignoring case; a
// malformed glob matches the value literally.
func globFold(pattern, value string) bool {
	value = strings.ToLower(value)
	ok, err := path.Match(pattern, value)
	if err != nil {
		return pattern == value
	}
	return ok
}
