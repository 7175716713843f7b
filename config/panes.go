package config

import (
	"errors"
	"fmt"
	"math"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"
	"github.com/livefeed/livefeed/render"
)

func paneTypeNames() []string {
	var s []string
	for _, t := range PaneTypes() {
		s = append(s, string(t))
	}
	return s
}

// paneSpecs are the keys a pane of type t takes; for an unknown type, every
// key that some pane takes, rather than guess.
func paneSpecs(t PaneType) []spec[Pane] {
	specs := paneFields()
	for _, k := range paneKinds() {
		if k.typ == t || t == "" {
			for _, s := range k.fields {
				if _, dup := lookup(specs, s.key); !dup {
					specs = append(specs, s)
				}
			}
		}
	}
	return specs
}

func (d *decoder) panes(cfg *Config, n ast.Node) {
	n = d.resolve(n)
	seq, ok := n.(*ast.SequenceNode)
	if !ok {
		if isNull(n) {
			return
		}
		d.errorf(d.pos(n), span(n), "panes must be a list, got %s", describe(n)).Hint =
			"write each pane as a list item:\n  panes:\n    - id: prices\n      type: table"
		return
	}
	for i, el := range seq.Values {
		if p := d.pane(el, i); p != nil {
			cfg.Panes = append(cfg.Panes, p)
		}
	}
}

func (d *decoder) pane(n ast.Node, index int) *Pane {
	n = d.resolve(n)
	p := &Pane{Pos: d.pos(n), at: map[string]Pos{}}
	if isNull(n) {
		p := lineStart(d.src, d.tokenPos(seqItemToken(n)).Line)
		p.File = d.src.name
		d.errorf(p, 1, "pane %d is empty: a \"-\" with nothing after it", index+1)
		return nil
	}
	if s, isStr := n.(*ast.StringNode); isStr {
		d.errorf(d.pos(s), span(s), "pane %d must be a mapping with id: and type:, got %s", index+1, describe(s)).Hint =
			fmt.Sprintf("write - { id: %s, type: log }", s.Value)
		return nil
	}
	es, ok := d.mapping(n, fmt.Sprintf("pane %d", index+1))
	if !ok {
		return nil
	}
	// id and type decide how the rest is read, so take them first.
	for _, e := range es {
		v := d.resolve(e.value)
		if isNull(v) {
			continue
		}
		switch e.key {
		case "id":
			p.at["id"] = d.pos(v)
			p.ID, _ = d.text(v, fmt.Sprintf("id of pane %d", index+1))
		case "type":
			p.at["type"] = d.pos(v)
			s, ok := d.text(v, fmt.Sprintf("type of pane %d", index+1))
			if !ok {
				continue
			}
			if !slices.Contains(paneTypeNames(), s) {
				var kinds []string
				for _, k := range paneKinds() {
					kinds = append(kinds, fmt.Sprintf("%s (%s)", k.typ, k.short))
				}
				d.errorf(d.pos(v), span(v), "unknown pane type %q%s", s, didYouMean(s, paneTypeNames())).Hint =
					"pane types: " + strings.Join(kinds, ", ")
				continue
			}
			p.Type = PaneType(s) // stays "" when unknown: every pane key is then taken
		}
	}
	what := fmt.Sprintf("pane %d", index+1)
	if p.ID != "" {
		what = fmt.Sprintf("pane %q", p.ID)
	}
	for _, k := range paneKinds() {
		if k.typ == p.Type {
			defaults(k.fields, p)
		}
	}
	specs, every := paneSpecs(p.Type), paneSpecs("")
	sec := section{what: what, of: " of " + what, at: p.at}
	for _, e := range es {
		s, ok := lookup(specs, e.key)
		if !ok {
			if _, other := lookup(every, e.key); other {
				var owners []string
				for _, k := range paneKinds() {
					if _, takes := lookup(k.fields, e.key); takes {
						owners = append(owners, string(k.typ))
					}
				}
				d.errorf(e.kpos, len([]rune(e.key)), "%s is a %s pane; %q is only for %s panes", what, p.Type, e.key, strings.Join(owners, ", "))
				continue
			}
			d.unknownKey(e, what, keysOf(specs), p.at)
			continue
		}
		if s.decode != nil && !isNull(d.resolve(e.value)) {
			decodeOne(d, e, sec, s, p)
		}
	}
	return p
}

func seqItemToken(n ast.Node) *token.Token {
	if n == nil {
		return nil
	}
	return n.GetToken()
}

// checkPattern validates an event-name glob.
func checkPattern(p string) error {
	if p == "" {
		return errors.New("empty pattern")
	}
	if _, err := path.Match(p, ""); err != nil {
		return errors.New("malformed glob (check [ ] and \\ escapes)")
	}
	return nil
}

// matchEvent matches an event name against a checked pattern.
func matchEvent(pattern, name string) bool {
	ok, _ := path.Match(pattern, name)
	return ok
}

// checkPath reports a malformed gjson path at the place it goes wrong.
func (d *decoder) checkPath(n ast.Node, s, what string) bool {
	if err := render.ValidatePath(s); err != nil {
		d.syntaxError(n, s, what, err, "")
		return false
	}
	return true
}

// syntaxError reports a mistake in a path, template or format at the
// character where it is, when the error says which, else at the value's start.
func (d *decoder) syntaxError(n ast.Node, s, what string, err error, hint string) {
	off := 0
	var se *render.SyntaxError
	if errors.As(err, &se) {
		off = se.Offset
	}
	d.errorf(d.offsetPos(n, s, off), 1, "%s: %v", what, err).Hint = hint
}

// template compiles a text template, pointing into it on error.
func (d *decoder) template(n ast.Node, what string) (*render.Template, bool) {
	s, ok := d.text(n, what)
	if !ok {
		return nil, false
	}
	t, err := render.Compile(s)
	if err != nil {
		d.syntaxError(n, s, what, err, "templates look like \"{source}: {title}\", \"{price|%.2f}\", \"{content|text|trunc:80}\", \"{display_name ?? acct}\" or \"{= length.new - length.old}\"; write {{ and }} for literal braces")
		return nil, false
	}
	return t, true
}

// expression compiles an expression (a condition when cond), pointing into
// it on error: compiling is the validation, and the compiled program is what
// runs per event.
func (d *decoder) expression(n ast.Node, s, what string, cond bool) (*render.Expr, bool) {
	compile := render.CompileExpr
	if cond {
		compile = render.CompileCondition
	}
	e, err := compile(s)
	if err != nil {
		d.syntaxError(n, s, what, err, "expressions look like meta.domain != \"canary\" && !bot, or length.new - length.old; see expr-lang.org")
		return nil, false
	}
	return e, true
}

// textRules decodes text: one template for every event, or a mapping from
// event pattern to template.
func (d *decoder) textRules(n ast.Node, what string) []TextRule {
	switch n.(type) {
	case *ast.StringNode, *ast.LiteralNode:
		if t, ok := d.template(n, "text of "+what); ok {
			return []TextRule{{Template: t, Pos: d.pos(n)}}
		}
		return nil
	case *ast.MappingNode, *ast.MappingValueNode:
	default:
		d.errorf(d.pos(n), span(n), "text of %s must be a template string or a mapping from event name to template, got %s", what, describe(n))
		return nil
	}
	es, ok := d.mapping(n, "text of "+what)
	if !ok {
		return nil
	}
	var rules []TextRule
	for _, e := range es {
		if err := checkPattern(e.key); err != nil {
			d.errorf(e.kpos, len([]rune(e.key)), "event pattern %q in text of %s: %v", e.key, what, err)
			continue
		}
		v := d.resolve(e.value)
		if isNull(v) {
			continue
		}
		if t, ok := d.template(v, fmt.Sprintf("text for %q in %s", e.key, what)); ok {
			rules = append(rules, TextRule{Event: e.key, Template: t, Pos: e.kpos})
		}
	}
	return rules
}

func (d *decoder) columns(n ast.Node, what string) []*Column {
	seq, ok := n.(*ast.SequenceNode)
	if !ok {
		d.errorf(d.pos(n), span(n), "columns of %s must be a list, got %s", what, describe(n)).Hint =
			"write a list of columns:\n  columns:\n    - { title: Price, path: price, format: \"%.2f\" }"
		return nil
	}
	cols := []*Column{}
	for i, el := range seq.Values {
		if c := d.column(d.resolve(el), fmt.Sprintf("column %d of %s", i+1, what)); c != nil {
			cols = append(cols, c)
		}
	}
	return cols
}

func (d *decoder) column(n ast.Node, what string) *Column {
	c := &Column{Pos: d.pos(n), at: map[string]Pos{}}
	switch n.(type) {
	case *ast.StringNode:
		// A bare path is a column titled by its path.
		s, _ := d.text(n, what)
		if !d.checkPath(n, s, what) {
			return nil
		}
		c.Title, c.Path = s, s
		c.at["path"] = c.Pos
		return c
	case *ast.MappingNode, *ast.MappingValueNode:
	default:
		d.errorf(d.pos(n), span(n), "%s must be a mapping like { title: Price, path: price } or a path, got %s", what, describe(n))
		return nil
	}
	es, ok := d.mapping(n, what)
	if !ok {
		return nil
	}
	decodeFields(d, es, section{what: what, of: " of " + what, at: c.at}, columnFields(), c)
	if at, ok := c.at["spark_range"]; ok && c.Spark == 0 {
		d.errorf(at, 1, "spark_range of %s only applies to a sparkline", what).Hint = "add spark: N to draw the last N values as a sparkline"
	}
	return c
}

// sparkRange decodes "auto" (nil) or [min, max] with min < max.
func (d *decoder) sparkRange(n ast.Node, what string) *[2]float64 {
	if s, ok := n.(*ast.StringNode); ok && s.Value == "auto" {
		return nil
	}
	seq, ok := n.(*ast.SequenceNode)
	if !ok || len(seq.Values) != 2 {
		d.errorf(d.pos(n), span(n), "%s must be auto or [min, max], got %s", what, describe(n))
		return nil
	}
	var r [2]float64
	for i, el := range seq.Values {
		el = d.resolve(el)
		var f float64
		var err error
		switch v := el.(type) {
		case *ast.IntegerNode, *ast.FloatNode:
			f, err = strconv.ParseFloat(v.GetToken().Value, 64)
		default:
			err = strconv.ErrSyntax
		}
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			d.errorf(d.pos(el), span(el), "%s: %s is not a number", what, describe(el))
			return nil
		}
		r[i] = f
	}
	if !(r[0] < r[1]) {
		d.errorf(d.pos(n), span(n), "%s: min %v must be below max %v", what, r[0], r[1])
		return nil
	}
	return &r
}

func colorWords() []string {
	w := []string{string(ColorSign), string(ColorLevel)}
	for _, r := range Roles() {
		w = append(w, string(r))
	}
	return w
}

// colorRule decodes color: sign, level, a role name, or a mapping from value
// to role ("*" for anything else).
func (d *decoder) colorRule(n ast.Node, what string) (ColorRule, bool) {
	role := func(v ast.Node, s string) (Role, bool) {
		if slices.Contains(Roles(), Role(s)) {
			return Role(s), true
		}
		var rs []string
		for _, r := range Roles() {
			rs = append(rs, string(r))
		}
		d.errorf(d.pos(v), span(v), "%s: unknown theme role %q%s", what, s, didYouMean(s, rs)).Hint =
			"roles: " + strings.Join(rs, ", ")
		return "", false
	}
	switch n.(type) {
	case *ast.StringNode:
		s, _ := d.text(n, what)
		switch s {
		case "sign":
			return ColorRule{Mode: ColorSign}, true
		case "level":
			return ColorRule{Mode: ColorLevel}, true
		case "none", "":
			return ColorRule{}, true
		}
		if slices.Contains(Roles(), Role(s)) {
			return ColorRule{Mode: ColorFixed, Role: Role(s)}, true
		}
		d.errorf(d.pos(n), span(n), "%s: want sign, level, a theme role or a mapping from value to role, got %q%s", what, s, didYouMean(s, colorWords()))
		return ColorRule{}, false
	case *ast.MappingNode, *ast.MappingValueNode:
	default:
		d.errorf(d.pos(n), span(n), "%s must be sign, level, a theme role or a mapping, got %s", what, describe(n))
		return ColorRule{}, false
	}
	es, ok := d.mapping(n, what)
	if !ok {
		return ColorRule{}, false
	}
	rule := ColorRule{Mode: ColorMap, Map: map[string]Role{}}
	for _, e := range es {
		v := d.resolve(e.value)
		s, ok := d.text(v, what)
		if !ok {
			continue
		}
		r, ok := role(v, s)
		if !ok {
			continue
		}
		if e.key == "*" {
			rule.Role = r
		} else {
			rule.Map[e.key] = r
		}
	}
	return rule, true
}
