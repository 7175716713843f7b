package render

import (
	"bytes"
	"strings"
	"time"

	"github.com/tidwall/gjson"
	"github.com/tidwall/pretty"
)

// Meta is what a template knows about an event besides its payload.
type Meta struct {
	Feed  string
	Event string
	ID    string
	Time  time.Time // when the event arrived
}

// MetaFields lists the names a template can use with a '$' prefix.
func MetaFields() []string { return []string{"event", "feed", "id", "time", "data"} }

// Template is compiled display text such as "{source}: {title}" or
// "{price|%.2f} ({change_pct|percent})": text in braces is a gjson path into
// the event's JSON payload, optionally followed by '|' and a format; {$event},
// {$feed}, {$id}, {$time} and {$data} (the raw payload) name the event itself;
// {{ and }} are literal braces.
type Template struct {
	src   string
	parts []part
}

type part struct {
	lit    string
	path   string // gjson path; "" for literal text and meta fields
	meta   string // meta field name without '$'
	format *Format
}

// Compile parses a template, checking its paths and formats, so that errors
// surface when the config is loaded rather than when an event arrives.
func Compile(src string) (*Template, error) {
	t := &Template{src: src}
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			t.parts = append(t.parts, part{lit: Sanitize(lit.String())})
			lit.Reset()
		}
	}
	for i := 0; i < len(src); i++ {
		switch c := src[i]; c {
		case '{':
			if i+1 < len(src) && src[i+1] == '{' {
				lit.WriteByte('{')
				i++
				continue
			}
			end, err := closingBrace(src, i)
			if err != nil {
				return nil, err
			}
			p, err := parseField(src[i+1:end], i+1)
			if err != nil {
				return nil, err
			}
			flush()
			t.parts = append(t.parts, p)
			i = end
		case '}':
			if i+1 < len(src) && src[i+1] == '}' {
				lit.WriteByte('}')
				i++
				continue
			}
			return nil, errAt(i, "unmatched '}' (write }} for a literal brace)")
		default:
			lit.WriteByte(c)
		}
	}
	flush()
	return t, nil
}

// closingBrace finds the '}' ending the field opened at src[open], skipping
// brackets, parentheses and quoted strings that gjson paths may contain.
func closingBrace(src string, open int) (int, error) {
	depth := 0
	for i := open + 1; i < len(src); i++ {
		switch src[i] {
		case '\\':
			i++
		case '"':
			j := skipQuoted(src, i)
			if j < 0 {
				return 0, errAt(i, "unterminated quoted string in {…}")
			}
			i = j
		case '(', '[', '{':
			depth++
		case ')', ']':
			if depth > 0 {
				depth--
			}
		case '}':
			if depth == 0 {
				return i, nil
			}
			depth--
		}
	}
	return 0, errAt(open, "unclosed '{' (write {{ for a literal brace)")
}

func skipQuoted(s string, i int) int {
	for j := i + 1; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case '"':
			return j
		}
	}
	return -1
}

// parseField compiles "path" or "path|format"; off is where field starts in
// the template, for error offsets.
func parseField(field string, off int) (part, error) {
	lead := len(field) - len(strings.TrimLeft(field, " "))
	body := strings.TrimSpace(field)
	off += lead
	if body == "" {
		return part{}, errAt(off-1, "empty {} (put a payload path inside, like {title}, or write {{ for a literal brace)")
	}
	var p part
	if bar := lastTopLevel(body, '|'); bar >= 0 && looksLikeFormat(strings.TrimSpace(body[bar+1:])) {
		spec := strings.TrimSpace(body[bar+1:])
		specOff := off + bar + 1 + len(body[bar+1:]) - len(strings.TrimLeft(body[bar+1:], " "))
		f, err := Parse(spec)
		if err != nil {
			se := err.(*SyntaxError)
			return part{}, errAt(specOff+se.Offset, "%s", se.Msg)
		}
		p.format = f
		body = strings.TrimSpace(body[:bar])
		if body == "" {
			return part{}, errAt(off, "missing path before '|%s'", spec)
		}
	}
	if name, ok := strings.CutPrefix(body, "$"); ok {
		for _, m := range MetaFields() {
			if name == m {
				p.meta = name
				return p, nil
			}
		}
		return part{}, errAt(off, "unknown field %q (event fields are $%s)", body, strings.Join(MetaFields(), ", $"))
	}
	if err := ValidatePath(body); err != nil {
		se := err.(*SyntaxError)
		return part{}, errAt(off+se.Offset, "%s", se.Msg)
	}
	p.path = body
	return p, nil
}

func looksLikeFormat(s string) bool {
	if strings.Contains(s, "%") {
		return true
	}
	name, _, _ := strings.Cut(s, ":")
	for _, k := range Kinds() {
		if name == string(k) {
			return true
		}
	}
	return false
}

// lastTopLevel finds the last c outside brackets, parentheses and quotes.
func lastTopLevel(s string, c byte) int {
	depth, last := 0, -1
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			if j := skipQuoted(s, i); j >= 0 {
				i = j
			}
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			depth--
		default:
			if s[i] == c && depth == 0 {
				last = i
			}
		}
	}
	return last
}

// ValidatePath checks the shape of a gjson path: no empty segments, balanced
// brackets and quotes. gjson itself accepts anything, so typos like "a..b"
// would otherwise silently match nothing.
func ValidatePath(p string) error {
	if p == "" {
		return errAt(0, "empty path")
	}
	if p != strings.TrimSpace(p) {
		return errAt(0, "path %q has leading or trailing spaces", p)
	}
	var stack []byte
	segStart := 0
	for i := 0; i < len(p); i++ {
		switch c := p[i]; c {
		case '\\':
			if i+1 >= len(p) {
				return errAt(i, "path %q ends with a lone backslash", p)
			}
			i++
		case '"':
			j := skipQuoted(p, i)
			if j < 0 {
				return errAt(i, "unterminated quoted string in path %q", p)
			}
			i = j
		case '(', '[', '{':
			stack = append(stack, c)
		case ')', ']', '}':
			want := map[byte]byte{')': '(', ']': '[', '}': '{'}[c]
			if len(stack) == 0 || stack[len(stack)-1] != want {
				return errAt(i, "unbalanced %q in path %q", string(c), p)
			}
			stack = stack[:len(stack)-1]
		case '.', '|':
			if len(stack) > 0 {
				continue
			}
			if i == segStart {
				return errAt(i, "empty segment in path %q (paths look like a.b.c or items.0.name)", p)
			}
			segStart = i + 1
		}
	}
	if len(stack) > 0 {
		return errAt(len(p)-1, "unclosed %q in path %q", string(stack[len(stack)-1]), p)
	}
	if segStart == len(p) {
		return errAt(len(p)-1, "path %q ends with a separator", p)
	}
	return nil
}

// String returns the template's source text.
func (t *Template) String() string { return t.src }

// Paths lists the payload paths the template reads.
func (t *Template) Paths() []string {
	var ps []string
	for _, p := range t.parts {
		if p.path != "" {
			ps = append(ps, p.path)
		}
	}
	return ps
}

// Render fills the template from an event's payload; missing fields render
// as empty text. The result is sanitized and fits on one line.
func (t *Template) Render(data []byte, m Meta, c Context) string {
	var b strings.Builder
	for _, p := range t.parts {
		switch {
		case p.lit != "":
			b.WriteString(p.lit)
		case p.meta != "":
			b.WriteString(p.format.Apply(metaValue(p.meta, data, m), c))
		default:
			b.WriteString(p.format.Apply(gjson.GetBytes(data, p.path), c))
		}
	}
	return b.String()
}

func metaValue(name string, data []byte, m Meta) gjson.Result {
	s := ""
	switch name {
	case "event":
		s = m.Event
	case "feed":
		s = m.Feed
	case "id":
		s = m.ID
	case "time":
		if m.Time.IsZero() {
			return gjson.Result{}
		}
		s = m.Time.Format(time.RFC3339Nano)
	case "data":
		s = Data(data)
	}
	return gjson.Result{Type: gjson.String, Str: s, Raw: s}
}

// Data renders a raw payload on one line: JSON objects and arrays compacted,
// anything else as text.
func Data(data []byte) string {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[') && gjson.ValidBytes(trimmed) {
		return Sanitize(string(pretty.Ugly(trimmed)))
	}
	return Sanitize(string(data))
}

// DataTemplate returns the template showing the raw payload, {$data}: what
// panes show for events no text rule matches.
func DataTemplate() *Template {
	t, err := Compile("{$data}")
	if err != nil {
		panic("render: built-in template: " + err.Error())
	}
	return t
}
