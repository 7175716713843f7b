package render

import (
	"math"
	"strconv"
	"strings"

	"github.com/tidwall/gjson"
)

// When is a compiled comparison on one event, the subset of the expression
// language that alert rules need until full expressions land: payload paths
// (cpu_pct, quote.bid), $event, $feed and $id, numbers, 'text' or "text",
// true, false and null, compared with == != < <= > >=, combined with && (and),
// || (or), ! (not) and parentheses. A bare operand is true when it is
// present and not false, 0, "" or null. The syntax is expr-lang's, so a
// when: written for it keeps its meaning under the full language.
type When struct {
	src  string
	root whenNode
}

type whenNode interface {
	eval(data string, m Meta) gjson.Result
}

// ParseWhen compiles a condition; errors are *SyntaxError at the byte.
func ParseWhen(src string) (*When, error) {
	p := &whenParser{src: src}
	p.next()
	n, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.err != nil {
		return nil, p.err
	}
	if p.tok.kind != tEOF {
		return nil, errAt(p.tok.off, "unexpected %q", p.tok.text)
	}
	return &When{src: src, root: n}, nil
}

// String returns the condition's source text.
func (w *When) String() string { return w.src }

// Holds reports whether the condition is true for an event.
func (w *When) Holds(data string, m Meta) bool { return truthy(w.root.eval(data, m)) }

func truthy(v gjson.Result) bool {
	switch v.Type {
	case gjson.True:
		return true
	case gjson.Number:
		return v.Num != 0 && !math.IsNaN(v.Num)
	case gjson.String:
		return v.Str != ""
	case gjson.JSON:
		return v.Raw != "" && v.Raw != "[]" && v.Raw != "{}"
	}
	return false
}

var (
	resTrue  = gjson.Result{Type: gjson.True}
	resFalse = gjson.Result{Type: gjson.False}
)

func boolResult(b bool) gjson.Result {
	if b {
		return resTrue
	}
	return resFalse
}

type (
	whenPath  struct{ path string }
	whenMeta  struct{ name string }
	whenConst struct{ v gjson.Result }
	whenNot   struct{ x whenNode }
	whenLogic struct {
		and  bool
		l, r whenNode
	}
	whenCmp struct {
		op   string
		l, r whenNode
	}
)

func (n whenPath) eval(data string, _ Meta) gjson.Result { return gjson.Get(data, n.path) }
func (n whenConst) eval(string, Meta) gjson.Result       { return n.v }
func (n whenNot) eval(data string, m Meta) gjson.Result {
	return boolResult(!truthy(n.x.eval(data, m)))
}

func (n whenMeta) eval(_ string, m Meta) gjson.Result {
	s := ""
	switch n.name {
	case "$event":
		s = m.Event
	case "$feed":
		s = m.Feed
	case "$id":
		s = m.ID
	}
	return gjson.Result{Type: gjson.String, Str: s}
}

func (n whenLogic) eval(data string, m Meta) gjson.Result {
	l := truthy(n.l.eval(data, m))
	if n.and {
		return boolResult(l && truthy(n.r.eval(data, m)))
	}
	return boolResult(l || truthy(n.r.eval(data, m)))
}

// eval compares numbers as numbers (numeric text counts as a number) and
// anything else as text; ordering a missing value is false.
func (n whenCmp) eval(data string, m Meta) gjson.Result {
	a, b := n.l.eval(data, m), n.r.eval(data, m)
	if !a.Exists() || !b.Exists() || a.Type == gjson.Null || b.Type == gjson.Null {
		missing := (!a.Exists() || a.Type == gjson.Null) == (!b.Exists() || b.Type == gjson.Null)
		switch n.op {
		case "==":
			return boolResult(missing)
		case "!=":
			return boolResult(!missing)
		}
		return resFalse
	}
	x, xok := Float(a)
	y, yok := Float(b)
	c := 0
	if (a.Type == gjson.Number && !yok) || (b.Type == gjson.Number && !xok) {
		// A number against text that is not one: only "differs" holds.
		return boolResult(n.op == "!=")
	}
	if xok && yok && (a.Type == gjson.Number || b.Type == gjson.Number) {
		switch {
		case x < y:
			c = -1
		case x > y:
			c = 1
		}
	} else {
		c = strings.Compare(Value(a), Value(b))
	}
	switch n.op {
	case "==":
		return boolResult(c == 0)
	case "!=":
		return boolResult(c != 0)
	case "<":
		return boolResult(c < 0)
	case "<=":
		return boolResult(c <= 0)
	case ">":
		return boolResult(c > 0)
	}
	return boolResult(c >= 0)
}

type whenTokKind int

const (
	tEOF whenTokKind = iota
	tIdent
	tNumber
	tString
	tOp
)

type whenTok struct {
	kind whenTokKind
	text string
	off  int
}

type whenParser struct {
	src   string
	pos   int
	tok   whenTok
	depth int
	err   error
}

func isIdentByte(c byte, first bool) bool {
	return c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || !first && (c >= '0' && c <= '9' || c == '.')
}

// next reads the next token into p.tok.
func (p *whenParser) next() {
	for p.pos < len(p.src) && strings.IndexByte(" \t\r\n", p.src[p.pos]) >= 0 {
		p.pos++
	}
	start := p.pos
	if p.pos >= len(p.src) {
		p.tok = whenTok{kind: tEOF, off: start}
		return
	}
	c := p.src[p.pos]
	switch {
	case isIdentByte(c, true):
		for p.pos < len(p.src) && isIdentByte(p.src[p.pos], p.pos == start) {
			p.pos++
		}
		p.tok = whenTok{kind: tIdent, text: p.src[start:p.pos], off: start}
	case c >= '0' && c <= '9' || c == '-' && p.pos+1 < len(p.src) && p.src[p.pos+1] >= '0' && p.src[p.pos+1] <= '9' || c == '.':
		p.pos++
		for p.pos < len(p.src) && strings.IndexByte("0123456789.eE_", p.src[p.pos]) >= 0 ||
			p.pos < len(p.src) && (p.src[p.pos] == '+' || p.src[p.pos] == '-') && (p.src[p.pos-1] == 'e' || p.src[p.pos-1] == 'E') {
			p.pos++
		}
		p.tok = whenTok{kind: tNumber, text: p.src[start:p.pos], off: start}
	case c == '"' || c == '\'':
		p.pos++
		var b strings.Builder
		for p.pos < len(p.src) && p.src[p.pos] != c {
			if p.src[p.pos] == '\\' && p.pos+1 < len(p.src) {
				p.pos++
			}
			b.WriteByte(p.src[p.pos])
			p.pos++
		}
		if p.pos >= len(p.src) {
			p.err = errAt(start, "unterminated text")
			p.tok = whenTok{kind: tEOF, off: start}
			return
		}
		p.pos++
		p.tok = whenTok{kind: tString, text: b.String(), off: start}
	default:
		for _, op := range []string{"&&", "||", "==", "!=", "<=", ">=", "<", ">", "!", "(", ")"} {
			if strings.HasPrefix(p.src[p.pos:], op) {
				p.pos += len(op)
				p.tok = whenTok{kind: tOp, text: op, off: start}
				return
			}
		}
		p.err = errAt(start, "unexpected %q", string(c))
		p.tok = whenTok{kind: tEOF, off: start}
	}
}

func (p *whenParser) is(words ...string) bool {
	if p.tok.kind != tOp && p.tok.kind != tIdent {
		return false
	}
	for _, w := range words {
		if p.tok.text == w {
			return true
		}
	}
	return false
}

func (p *whenParser) or() (whenNode, error) {
	l, err := p.and()
	for err == nil && p.is("||", "or") {
		p.next()
		var r whenNode
		if r, err = p.and(); err == nil {
			l = whenLogic{and: false, l: l, r: r}
		}
	}
	return l, err
}

func (p *whenParser) and() (whenNode, error) {
	l, err := p.unary()
	for err == nil && p.is("&&", "and") {
		p.next()
		var r whenNode
		if r, err = p.unary(); err == nil {
			l = whenLogic{and: true, l: l, r: r}
		}
	}
	return l, err
}

func (p *whenParser) unary() (whenNode, error) {
	if p.is("!", "not") {
		p.next()
		x, err := p.unary()
		return whenNot{x}, err
	}
	return p.cmp()
}

func (p *whenParser) cmp() (whenNode, error) {
	l, err := p.operand()
	if err != nil {
		return nil, err
	}
	if p.tok.kind == tOp && strings.Contains("== != < <= > >=", p.tok.text) && p.tok.text != "!" && p.tok.text != "(" && p.tok.text != ")" {
		op := p.tok.text
		p.next()
		r, err := p.operand()
		if err != nil {
			return nil, err
		}
		return whenCmp{op: op, l: l, r: r}, nil
	}
	return l, nil
}

func (p *whenParser) operand() (whenNode, error) {
	if p.err != nil {
		return nil, p.err
	}
	t := p.tok
	switch t.kind {
	case tEOF:
		return nil, errAt(t.off, "expression ends too soon")
	case tNumber:
		f, err := strconv.ParseFloat(strings.ReplaceAll(t.text, "_", ""), 64)
		if err != nil {
			return nil, errAt(t.off, "%q is not a number", t.text)
		}
		p.next()
		return whenConst{gjson.Result{Type: gjson.Number, Num: f, Raw: t.text}}, nil
	case tString:
		p.next()
		return whenConst{gjson.Result{Type: gjson.String, Str: t.text}}, nil
	case tIdent:
		p.next()
		switch t.text {
		case "true":
			return whenConst{resTrue}, nil
		case "false":
			return whenConst{resFalse}, nil
		case "null", "nil":
			return whenConst{gjson.Result{Type: gjson.Null}}, nil
		case "$event", "$feed", "$id":
			return whenMeta{t.text}, nil
		case "and", "or", "not":
			return nil, errAt(t.off, "%q needs an operand before it", t.text)
		}
		if strings.HasPrefix(t.text, "$") {
			return nil, errAt(t.off, "unknown name %q (use $event, $feed or $id)", t.text)
		}
		if err := ValidatePath(t.text); err != nil {
			return nil, errAt(t.off, "path %q: %v", t.text, err)
		}
		return whenPath{t.text}, nil
	}
	if t.text == "(" {
		p.depth++
		if p.depth > 64 {
			return nil, errAt(t.off, "parentheses nested too deeply")
		}
		p.next()
		n, err := p.or()
		if err != nil {
			return nil, err
		}
		if p.tok.text != ")" || p.tok.kind != tOp {
			return nil, errAt(p.tok.off, "missing )")
		}
		p.depth--
		p.next()
		return n, nil
	}
	return nil, errAt(t.off, "unexpected %q", t.text)
}
