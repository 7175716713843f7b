package render

import (
	"bytes"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

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
// the event's JSON payload, optionally followed by a format and filters
// ("{tags.#.name|join:", "|upper}", see Filters); {$event}, {$feed}, {$id},
// {$time} (15:04:05 unless a time format follows) and {$data} (the raw
// payload) name the event itself; "{display_name ?? acct}" takes the first
// value that is not missing, null or empty; "{= length.new - length.old}"
// is an expression (see Expr); {{ and }} are literal braces. JSON null
// renders as empty text.
type Template struct {
	src   string
	parts []part
}

type part struct {
	lit   string
	alts  []source // a field's value: the first of these that is present
	steps []step   // formats and filters applied to it, in order
}

// source is where a field's value comes from: one of path, meta and expr.
type source struct {
	path string // gjson path
	meta string // meta field name without '$'
	expr *Expr
}

// step is a format or a filter of a field.
type step struct {
	format *Format
	filter string // a name from Filters
	arg    string // join's separator, default's text
	n      int    // trunc's length
}

// Filters lists the names a template field can pipe its value through
// after a path or format:
//
//	text         strip HTML tags, decode entities (&amp;), fold whitespace
//	join[:SEP]   join an array's items with SEP (default ", ")
//	trunc:N      cut to N characters, ending in … when cut
//	upper, lower change case
//	default:TEXT TEXT when the value is empty (missing, null or "")
//
// SEP and TEXT may be quoted ("…") to hold spaces or '|'.
func Filters() []string { return []string{"text", "join", "trunc", "upper", "lower", "default"} }

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
			end, err := closingBrace(src, i, i+1 < len(src) && strings.HasPrefix(strings.TrimLeft(src[i+1:], " "), "="))
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
// brackets, parentheses and quoted strings that gjson paths may contain;
// in an expression (isExpr) also strings in single quotes and backquotes.
func closingBrace(src string, open int, isExpr bool) (int, error) {
	depth := 0
	for i := open + 1; i < len(src); i++ {
		switch c := src[i]; c {
		case '\\':
			i++
		case '"', '\'', '`':
			if c != '"' && !isExpr {
				continue
			}
			j := skipQuotedBy(src, i, c)
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

func skipQuoted(s string, i int) int { return skipQuotedBy(s, i, '"') }

// skipQuotedBy returns the index of the quote q closing the string opened
// at s[i], or -1.
func skipQuotedBy(s string, i int, q byte) int {
	for j := i + 1; j < len(s); j++ {
		switch s[j] {
		case '\\':
			if q != '`' {
				j++
			}
		case q:
			return j
		}
	}
	return -1
}

// parseField compiles "source ?? source|format|filter…"; off is where
// field starts in the template, for error offsets.
func parseField(field string, off int) (part, error) {
	lead := len(field) - len(strings.TrimLeft(field, " "))
	body := strings.TrimRight(field[lead:], " ")
	off += lead
	if body == "" {
		return part{}, errAt(off-1, "empty {} (put a payload path inside, like {title}, or write {{ for a literal brace)")
	}
	// Formats and filters are peeled off from the right while the text
	// after the last top-level '|' is one, so that gjson paths and
	// expressions keep their own '|'.
	var p part
	for {
		bar := lastTopLevel(body, '|')
		if bar < 0 {
			break
		}
		spec := strings.TrimSpace(body[bar+1:])
		if !looksLikeFormat(spec) && !looksLikeFilter(spec) {
			break
		}
		specOff := off + bar + 1 + len(body[bar+1:]) - len(strings.TrimLeft(body[bar+1:], " "))
		st, err := parseStep(spec, specOff)
		if err != nil {
			return part{}, err
		}
		p.steps = append([]step{st}, p.steps...)
		body = strings.TrimRight(body[:bar], " ")
		if strings.TrimSpace(body) == "" {
			return part{}, errAt(off, "missing path before '|%s'", spec)
		}
	}
	if rest, ok := strings.CutPrefix(body, "="); ok {
		e, err := CompileExpr(rest)
		if err != nil {
			se := err.(*SyntaxError)
			return part{}, errAt(off+1+se.Offset, "%s", se.Msg)
		}
		p.alts = []source{{expr: e}}
		return p, nil
	}
	at := 0
	for _, alt := range splitTopLevel(body, "??") {
		lead := len(alt) - len(strings.TrimLeft(alt, " "))
		src, err := parseSource(strings.TrimSpace(alt), off+at+lead)
		if err != nil {
			return part{}, err
		}
		p.alts = append(p.alts, src)
		at += len(alt) + 2
	}
	if p.alts[0].meta == "time" && (len(p.steps) == 0 || p.steps[0].format == nil) {
		// {$time} alone would print the arrival time with nanoseconds.
		f, _ := Parse("time")
		p.steps = append([]step{{format: f}}, p.steps...)
	}
	return p, nil
}

// parseSource compiles one alternative: a payload path or a $name.
func parseSource(body string, off int) (source, error) {
	if body == "" {
		return source{}, errAt(off, "missing path around ??")
	}
	if name, ok := strings.CutPrefix(body, "$"); ok {
		for _, m := range MetaFields() {
			if name == m {
				return source{meta: name}, nil
			}
		}
		return source{}, errAt(off, "unknown field %q (event fields are $%s)", body, strings.Join(MetaFields(), ", $"))
	}
	if err := ValidatePath(body); err != nil {
		se := err.(*SyntaxError)
		return source{}, errAt(off+se.Offset, "%s", se.Msg)
	}
	return source{path: body}, nil
}

// parseStep compiles a format or a filter.
func parseStep(spec string, off int) (step, error) {
	name, arg, hasArg := strings.Cut(spec, ":")
	if !looksLikeFilter(spec) {
		f, err := Parse(spec)
		if err != nil {
			se := err.(*SyntaxError)
			return step{}, errAt(off+se.Offset, "%s", se.Msg)
		}
		return step{format: f}, nil
	}
	argOff := off + len(name) + 1
	st := step{filter: name}
	if hasArg {
		a, err := filterArg(arg, argOff)
		if err != nil {
			return step{}, err
		}
		st.arg = a
	}
	switch name {
	case "text", "upper", "lower":
		if hasArg {
			return step{}, errAt(argOff, "%s takes no argument", name)
		}
	case "join":
		if !hasArg {
			st.arg = ", "
		}
	case "trunc":
		n, err := strconv.Atoi(st.arg)
		if err != nil || n < 1 || n > 10_000 {
			return step{}, errAt(argOff, "trunc wants a length from 1 to 10000, like trunc:40")
		}
		st.n = n
	case "default":
		if !hasArg {
			return step{}, errAt(off, `default wants the text to show, like default:"-"`)
		}
		st.arg = Sanitize(st.arg)
	}
	return st, nil
}

// filterArg unquotes a "quoted" argument; others are taken as written.
func filterArg(arg string, off int) (string, error) {
	a := strings.TrimSpace(arg)
	if !strings.HasPrefix(a, `"`) {
		return a, nil
	}
	u, err := strconv.Unquote(a)
	if err != nil {
		return "", errAt(off, "malformed quoted argument %s", a)
	}
	return u, nil
}

func looksLikeFilter(s string) bool {
	name, _, _ := strings.Cut(s, ":")
	for _, f := range Filters() {
		if name == f {
			return true
		}
	}
	return false
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

// topLevel calls visit with each index of s that is outside brackets,
// parentheses and quotes; visit returns how many more bytes to skip.
func topLevel(s string, visit func(i int) int) {
	depth := 0
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
			if depth == 0 {
				i += visit(i)
			}
		}
	}
}

// splitTopLevel splits s at each sep outside brackets, parentheses and
// quotes.
func splitTopLevel(s, sep string) []string {
	var parts []string
	start := 0
	topLevel(s, func(i int) int {
		if !strings.HasPrefix(s[i:], sep) {
			return 0
		}
		parts = append(parts, s[start:i])
		start = i + len(sep)
		return len(sep) - 1
	})
	return append(parts, s[start:])
}

// lastTopLevel finds the last c outside brackets, parentheses and quotes.
func lastTopLevel(s string, c byte) int {
	last := -1
	topLevel(s, func(i int) int {
		if s[i] == c {
			last = i
		}
		return 0
	})
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
		for _, a := range p.alts {
			switch {
			case a.path != "":
				ps = append(ps, a.path)
			case a.expr != nil:
				ps = append(ps, a.expr.Paths()...)
			}
		}
	}
	return ps
}

// Render fills the template from an event's payload; missing fields and
// JSON null render as empty text. The result is sanitized and fits on one
// line.
func (t *Template) Render(data []byte, m Meta, c Context) string {
	var b strings.Builder
	for i := range t.parts {
		p := &t.parts[i]
		if p.lit != "" {
			b.WriteString(p.lit)
			continue
		}
		b.WriteString(p.render(data, m, c))
	}
	return b.String()
}

// render evaluates one field.
func (p *part) render(data []byte, m Meta, c Context) string {
	var v gjson.Result
	for _, a := range p.alts {
		switch {
		case a.meta != "":
			v = metaValue(a.meta, data, m)
		case a.expr != nil:
			v = a.expr.Value(string(data), m)
		default:
			v = gjson.GetBytes(data, a.path)
		}
		if present(v) {
			break
		}
	}
	text, isText := "", false
	str := func() string {
		if !isText {
			text, isText = Value(v), true
		}
		return text
	}
	for _, st := range p.steps {
		switch st.filter {
		case "":
			if isText {
				v = gjson.Result{Type: gjson.String, Str: text}
			}
			text, isText = st.format.Apply(v, c), true
		case "join":
			if !isText && v.IsArray() {
				var parts []string
				for _, x := range v.Array() {
					if s := Value(x); s != "" {
						parts = append(parts, s)
					}
				}
				text, isText = Sanitize(strings.Join(parts, st.arg)), true
			}
		case "text":
			text = HTMLText(str())
		case "upper":
			text = strings.ToUpper(str())
		case "lower":
			text = strings.ToLower(str())
		case "trunc":
			text = truncate(str(), st.n)
		case "default":
			if str() == "" {
				text = st.arg
			}
		}
	}
	return str()
}

// present reports whether a value counts for ?? and default: not missing,
// not null, not empty text.
func present(v gjson.Result) bool {
	return v.Exists() && v.Type != gjson.Null && !(v.Type == gjson.String && v.Str == "")
}

// truncate cuts s to n characters, the last one … when it cuts.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
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
