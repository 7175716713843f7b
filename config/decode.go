package config

import (
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"
)

// decoder walks the YAML syntax tree by hand rather than unmarshalling, so
// that it can report every unknown key, wrong type and bad value with its
// position instead of stopping at the first.
type decoder struct {
	src     *source
	env     Env
	dir     string
	errs    ErrorList
	warns   ErrorList
	anchors []anchor // in document order
	refs    map[string]bool
	depth   int
	steps   int // nodes resolved, bounded against alias bombs
}

// maxSteps bounds the work one config may cause: aliases can reuse a node
// many times over, and a file of nested aliases could otherwise expand to
// billions of nodes.
const maxSteps = 300_000

// anchor is a &name definition; an alias refers to the last one defined
// before it, as YAML says.
type anchor struct {
	name   string
	offset int
	value  ast.Node
}

// anchorCollector gathers every anchor in the document up front, because
// the decoder does not visit nodes in document order.
type anchorCollector struct{ list *[]anchor }

func (c anchorCollector) Visit(n ast.Node) ast.Visitor {
	if a, ok := n.(*ast.AnchorNode); ok && a.Name != nil && a.Name.GetToken() != nil {
		off := 0
		if tk := a.GetToken(); tk != nil && tk.Position != nil {
			off = tk.Position.Offset
		}
		*c.list = append(*c.list, anchor{a.Name.GetToken().Value, off, a.Value})
	}
	return c
}

// entry is one key: value pair of a mapping.
type entry struct {
	key   string
	kpos  Pos
	value ast.Node
}

func (d *decoder) add(e *Error) *Error {
	if e.Warning {
		d.warns = append(d.warns, e)
	} else {
		d.errs = append(d.errs, e)
	}
	return e
}

// errorf reports a problem at p, underlining span characters.
func (d *decoder) errorf(p Pos, span int, msg string, args ...any) *Error {
	return d.add(d.src.errorAt(p, span, msg, args...))
}

func (d *decoder) warnf(p Pos, span int, msg string, args ...any) *Error {
	e := d.src.errorAt(p, span, msg, args...)
	e.Warning = true
	return d.add(e)
}

// tokenPos converts a token's position.
func (d *decoder) tokenPos(tk *token.Token) Pos {
	if tk == nil || tk.Position == nil {
		return Pos{File: d.src.name}
	}
	return Pos{File: d.src.name, Line: tk.Position.Line, Col: tk.Position.Column}
}

// pos is where a node starts: for a block mapping that is its first key,
// not the colon goccy records.
func (d *decoder) pos(n ast.Node) Pos {
	switch v := n.(type) {
	case nil:
		return Pos{File: d.src.name}
	case *ast.MappingNode:
		if !v.IsFlowStyle && len(v.Values) > 0 {
			return d.pos(v.Values[0])
		}
	case *ast.MappingValueNode:
		return d.pos(v.Key)
	case *ast.AnchorNode:
		return d.tokenPos(v.GetToken())
	case *ast.TagNode:
		return d.tokenPos(v.GetToken())
	}
	return d.tokenPos(n.GetToken())
}

// span is how many characters of a scalar to underline.
func span(n ast.Node) int {
	if n == nil {
		return 1
	}
	tk := n.GetToken()
	if tk == nil {
		return 1
	}
	switch n.(type) {
	case *ast.MappingNode, *ast.SequenceNode, *ast.MappingValueNode, *ast.LiteralNode, *ast.NullNode:
		return 1
	}
	s := tk.Value
	if o := strings.TrimSpace(tk.Origin); o != "" && !strings.Contains(o, "\n") {
		s = o
	}
	return max(1, utf8.RuneCountInString(s))
}

// resolve follows anchors, aliases and tags to the node holding the value.
func (d *decoder) resolve(n ast.Node) ast.Node {
	d.steps++
	if d.steps == maxSteps {
		d.errorf(d.pos(n), 1, "the config expands to too many values (aliases used too many times over)")
	}
	if d.steps >= maxSteps {
		return nil
	}
	for range 32 {
		switch v := n.(type) {
		case *ast.AnchorNode:
			n = v.Value
		case *ast.AliasNode:
			name, off := v.Value.GetToken().Value, v.GetToken().Position.Offset
			var target ast.Node
			for _, a := range d.anchors {
				if a.name == name && a.offset < off {
					target = a.value
				}
			}
			if target == nil {
				d.errorf(d.pos(v), span(v), "alias *%s refers to an anchor that is not defined above it", name)
				return nil
			}
			n = target
		case *ast.TagNode:
			n = v.Value
		default:
			return n
		}
	}
	return n
}

func isNull(n ast.Node) bool {
	_, ok := n.(*ast.NullNode)
	return n == nil || ok
}

// describe names a node's kind for "want X, got Y" messages.
func describe(n ast.Node) string {
	switch v := n.(type) {
	case nil, *ast.NullNode:
		return "nothing"
	case *ast.MappingNode, *ast.MappingValueNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a list"
	case *ast.IntegerNode, *ast.FloatNode, *ast.InfinityNode, *ast.NanNode:
		return "the number " + v.GetToken().Value
	case *ast.BoolNode:
		return v.GetToken().Value
	case *ast.StringNode:
		return fmt.Sprintf("the text %q", v.Value)
	case *ast.LiteralNode:
		return "a block of text"
	}
	return "a " + strings.ToLower(n.Type().String())
}

// mapping returns a mapping's entries, with merge keys (<<: *anchor)
// expanded; explicit keys win over merged ones and duplicates are errors.
func (d *decoder) mapping(n ast.Node, what string) ([]entry, bool) {
	n = d.resolve(n)
	var pairs []*ast.MappingValueNode
	switch v := n.(type) {
	case *ast.MappingNode:
		pairs = v.Values
	case *ast.MappingValueNode:
		pairs = []*ast.MappingValueNode{v}
	case nil:
		return nil, false
	default:
		d.errorf(d.pos(n), span(n), "%s must be a mapping (key: value lines), got %s", what, describe(n))
		return nil, false
	}
	d.depth++
	defer func() { d.depth-- }()
	if d.depth > 64 {
		d.errorf(d.pos(n), 1, "%s is nested too deeply", what)
		return nil, false
	}
	var explicit, merged []entry
	seen := map[string]Pos{}
	for _, kv := range pairs {
		if _, ok := kv.Key.(*ast.MergeKeyNode); ok {
			merged = append(merged, d.mergeEntries(kv.Value, what)...)
			continue
		}
		key := d.resolve(kv.Key)
		kp := d.pos(kv.Key)
		var name string
		switch k := key.(type) {
		case *ast.StringNode:
			name = k.Value
		case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode:
			name = k.GetToken().Value
		default:
			d.errorf(kp, span(kv.Key), "%s: keys must be plain names, got %s", what, describe(key))
			continue
		}
		if first, dup := seen[name]; dup {
			d.errorf(kp, utf8.RuneCountInString(name), "duplicate key %q in %s (first set on line %d)", name, what, first.Line)
			continue
		}
		seen[name] = kp
		explicit = append(explicit, entry{key: name, kpos: kp, value: kv.Value})
	}
	for _, m := range merged {
		if _, ok := seen[m.key]; !ok {
			seen[m.key] = m.kpos
			explicit = append(explicit, m)
		}
	}
	return explicit, true
}

func (d *decoder) mergeEntries(n ast.Node, what string) []entry {
	n = d.resolve(n)
	var out []entry
	if seq, ok := n.(*ast.SequenceNode); ok {
		for _, item := range seq.Values {
			out = append(out, d.mergeEntries(item, what)...)
		}
		return out
	}
	es, _ := d.mapping(n, what+" (merged with <<)")
	return es
}

// fields decodes a mapping's entries with set, reporting keys not in allowed.
// Null values (a key with nothing after the colon) leave the default alone.
// A misspelt key is recorded in at under its likely name, so that Validate
// does not also complain that the real key is missing.
func (d *decoder) fields(es []entry, what string, allowed []string, at map[string]Pos, set func(e entry)) {
	for _, e := range es {
		if !slices.Contains(allowed, e.key) {
			d.unknownKey(e, what, allowed, at)
			continue
		}
		if isNull(d.resolve(e.value)) {
			continue
		}
		set(e)
	}
}

func (d *decoder) unknownKey(e entry, what string, allowed []string, at map[string]Pos) *Error {
	err := d.errorf(e.kpos, utf8.RuneCountInString(e.key), "unknown key %q in %s%s", e.key, what, didYouMean(e.key, allowed))
	if s := suggest(e.key, allowed); s == "" {
		err.Hint = "valid keys here: " + strings.Join(allowed, ", ")
	} else if at != nil {
		at["?"+s] = e.kpos
	}
	return err
}

// text decodes a string value, expanding ${VAR}s. Numbers and booleans are
// taken as written, so that `title: 2024` works.
func (d *decoder) text(n ast.Node, what string) (string, bool) {
	n = d.resolve(n)
	switch v := n.(type) {
	case *ast.StringNode:
		return d.expand(v, v.Value), true
	case *ast.LiteralNode:
		return d.expand(v, v.Value.Value), true
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode:
		return v.GetToken().Value, true
	case nil:
		return "", false
	}
	d.errorf(d.pos(n), span(n), "%s must be text, got %s", what, describe(n))
	return "", false
}

// raw returns a string node's text before ${VAR} expansion.
func raw(n ast.Node) string {
	switch v := n.(type) {
	case *ast.StringNode:
		return v.Value
	case *ast.LiteralNode:
		return v.Value.Value
	}
	return ""
}

// expand expands a scalar's ${VAR}s, reporting problems at the reference.
func (d *decoder) expand(n ast.Node, s string) string {
	out, refs, issues := expand(s, d.env)
	for _, r := range refs {
		d.refs[r] = true
	}
	for _, is := range issues {
		p := d.findInScalar(n, s[is.Offset:is.Offset+is.Len])
		d.errorf(p, utf8.RuneCountInString(s[is.Offset:is.Offset+is.Len]), "%s", is.Msg).Hint = is.Hint
	}
	return out
}

// findInScalar locates text from a scalar in the source: the scalar's own
// line (and the lines of a block scalar) are searched, falling back to where
// the scalar starts.
func (d *decoder) findInScalar(n ast.Node, needle string) Pos {
	start := d.pos(n)
	lines := 1 + strings.Count(raw(n), "\n")
	if _, ok := n.(*ast.LiteralNode); ok {
		lines++
	}
	for l := start.Line; l < start.Line+lines && l <= len(d.src.lines); l++ {
		line := d.src.line(l)
		from := 0
		if l == start.Line {
			from = runeOffset(line, start.Col-1)
		}
		if i := strings.Index(line[from:], needle); i >= 0 {
			return Pos{File: start.File, Line: l, Col: utf8.RuneCountInString(line[:from+i]) + 1}
		}
	}
	return start
}

// runeOffset converts a character index in s to a byte offset.
func runeOffset(s string, chars int) int {
	for i := range s {
		if chars <= 0 {
			return i
		}
		chars--
	}
	return len(s)
}

// offsetPos is the position of a byte offset inside a single-line scalar,
// used to point into templates and formats.
func (d *decoder) offsetPos(n ast.Node, s string, off int) Pos {
	p := d.pos(n)
	if raw(n) == s && !strings.Contains(s, "\n") {
		if _, ok := n.(*ast.StringNode); ok {
			line := d.src.line(p.Line)
			from := runeOffset(line, p.Col-1)
			if i := strings.Index(line[from:], s); i >= 0 {
				return Pos{File: p.File, Line: p.Line, Col: utf8.RuneCountInString(line[:from+i]) + 1 + utf8.RuneCountInString(s[:min(off, len(s))])}
			}
		}
	}
	return p
}

// integer decodes a whole number within [lo, hi].
func (d *decoder) integer(n ast.Node, what string, lo, hi int) (int, bool) {
	n = d.resolve(n)
	v, ok := n.(*ast.IntegerNode)
	if !ok {
		if _, isStr := n.(*ast.StringNode); isStr && strings.Contains(raw(n), "${") {
			d.errorf(d.pos(n), span(n), "%s must be a whole number; ${VAR} is only expanded in text values", what)
			return 0, false
		}
		d.errorf(d.pos(n), span(n), "%s must be a whole number, got %s", what, describe(n))
		return 0, false
	}
	var i int64
	switch x := v.Value.(type) {
	case int64:
		i = x
	case uint64:
		if x > math.MaxInt64 {
			i = math.MaxInt64
		} else {
			i = int64(x)
		}
	}
	if i < int64(lo) || i > int64(hi) {
		d.errorf(d.pos(n), span(n), "%s must be between %d and %d, got %d", what, lo, hi, i)
		return 0, false
	}
	return int(i), true
}

// number decodes a finite number.
func (d *decoder) number(n ast.Node, what string) (float64, bool) {
	n = d.resolve(n)
	switch v := n.(type) {
	case *ast.IntegerNode, *ast.FloatNode:
		f, err := strconv.ParseFloat(v.GetToken().Value, 64)
		if err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
			return f, true
		}
	}
	d.errorf(d.pos(n), span(n), "%s must be a number, got %s", what, describe(n))
	return 0, false
}

// boolean decodes true or false, refusing YAML 1.1 spellings like "yes".
func (d *decoder) boolean(n ast.Node, what string) (bool, bool) {
	n = d.resolve(n)
	if v, ok := n.(*ast.BoolNode); ok {
		return v.Value, true
	}
	e := d.errorf(d.pos(n), span(n), "%s must be true or false, got %s", what, describe(n))
	switch strings.ToLower(raw(n)) {
	case "yes", "on", "y":
		e.Hint = "write true"
	case "no", "off", "n":
		e.Hint = "write false"
	}
	return false, false
}

// duration decodes "3s", "1m30s", "500ms" or 0; negative durations are
// refused.
func (d *decoder) duration(n ast.Node, what string) (time.Duration, bool) {
	n = d.resolve(n)
	switch v := n.(type) {
	case *ast.IntegerNode, *ast.FloatNode:
		if v.GetToken().Value == "0" {
			return 0, true
		}
		d.errorf(d.pos(n), span(n), "%s: %s has no unit", what, v.GetToken().Value).Hint =
			fmt.Sprintf("write %ss for seconds or %sms for milliseconds", v.GetToken().Value, v.GetToken().Value)
		return 0, false
	case *ast.StringNode, *ast.LiteralNode:
		s, _ := d.text(n, what)
		dur, err := parseDuration(s)
		if err != nil {
			d.errorf(d.pos(n), span(n), "%s: %v", what, err).Hint = "durations look like 3s, 500ms, 1m30s or 2h"
			return 0, false
		}
		return dur, true
	}
	d.errorf(d.pos(n), span(n), "%s must be a duration like 3s or 1m30s, got %s", what, describe(n))
	return 0, false
}

func parseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "0" {
		return 0, nil
	}
	dur, err := time.ParseDuration(s)
	if err != nil {
		if _, numErr := strconv.ParseFloat(s, 64); numErr == nil {
			return 0, fmt.Errorf("%q has no unit", s)
		}
		return 0, fmt.Errorf("%q is not a duration", s)
	}
	if dur < 0 {
		return 0, fmt.Errorf("%q is negative", s)
	}
	return dur, nil
}

// size decodes a byte count: 1000, "512KiB", "1MiB", "2MB".
func (d *decoder) size(n ast.Node, what string) (int64, bool) {
	n = d.resolve(n)
	switch v := n.(type) {
	case *ast.IntegerNode:
		s, err := ParseSize(v.GetToken().Value)
		if err != nil {
			d.errorf(d.pos(n), span(n), "%s: %v", what, err)
			return 0, false
		}
		return s, true
	case *ast.StringNode:
		str, _ := d.text(n, what)
		s, err := ParseSize(str)
		if err != nil {
			d.errorf(d.pos(n), span(n), "%s: %v", what, err).Hint = "sizes look like 1MiB, 512KiB, 64KB or 1000 (bytes)"
			return 0, false
		}
		return s, true
	}
	d.errorf(d.pos(n), span(n), "%s must be a size like 1MiB or 512KiB, got %s", what, describe(n))
	return 0, false
}

// ParseSize reads a byte count with an optional unit: B, KB/MB/GB (powers of
// 1000) or KiB/MiB/GiB (powers of 1024), case-insensitive.
func ParseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	i := 0
	for i < len(t) && (t[i] >= '0' && t[i] <= '9' || t[i] == '.') {
		i++
	}
	numPart, unit := t[:i], strings.ToLower(strings.TrimSpace(t[i:]))
	n, err := strconv.ParseFloat(numPart, 64)
	if err != nil || numPart == "" {
		return 0, fmt.Errorf("%q is not a size", s)
	}
	mult := map[string]float64{
		"": 1, "b": 1, "kb": 1e3, "mb": 1e6, "gb": 1e9,
		"kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30,
	}[unit]
	if mult == 0 {
		return 0, fmt.Errorf("%q has an unknown unit %q (use B, KB, MB, GB, KiB, MiB or GiB)", s, t[i:])
	}
	v := n * mult
	if v != math.Trunc(v) {
		return 0, fmt.Errorf("%q is not a whole number of bytes", s)
	}
	if v > 1<<40 {
		return 0, fmt.Errorf("%q is too large", s)
	}
	return int64(v), nil
}

// item is one string of a list, with where it was written.
type item struct {
	val  string
	pos  Pos
	node ast.Node
}

// stringList decodes a list of strings; a single string is taken as a list
// of one, so `events: quote` works like `events: [quote]`.
func (d *decoder) stringList(n ast.Node, what string) ([]item, bool) {
	n = d.resolve(n)
	switch v := n.(type) {
	case *ast.SequenceNode:
		out := []item{}
		ok := true
		for _, el := range v.Values {
			el = d.resolve(el)
			switch el.(type) {
			case *ast.StringNode, *ast.IntegerNode, *ast.LiteralNode:
				s, _ := d.text(el, what)
				out = append(out, item{val: s, pos: d.pos(el), node: el})
			default:
				d.errorf(d.pos(el), span(el), "%s: each entry must be text, got %s", what, describe(el))
				ok = false
			}
		}
		return out, ok
	case *ast.StringNode, *ast.IntegerNode, *ast.LiteralNode:
		s, _ := d.text(n, what)
		return []item{{val: s, pos: d.pos(n), node: n}}, true
	}
	d.errorf(d.pos(n), span(n), "%s must be a list like [a, b], got %s", what, describe(n))
	return nil, false
}

// localPath expands a leading ~/ and makes a relative path relative to the
// config file's directory.
func (d *decoder) localPath(p string) string {
	if p == "" {
		return ""
	}
	if rest, ok := strings.CutPrefix(p, "~/"); ok && d.env != nil {
		if home, ok := d.env("HOME"); ok && home != "" {
			return filepath.Join(home, rest)
		}
	}
	if !filepath.IsAbs(p) && d.dir != "" {
		return filepath.Join(d.dir, p)
	}
	return filepath.Clean(p)
}
