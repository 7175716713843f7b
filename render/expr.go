package render

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/vm"
	"github.com/tidwall/gjson"
)

// Expr is a compiled expression (github.com/expr-lang/expr) evaluated on one
// event: payload fields by name (meta.domain, length.new, items[0].id), and
// $event, $feed, $id, $time and $data (the whole payload: decoded JSON, or
// the text when it is not JSON). A missing field and JSON null are nil.
//
// The payload is never decoded as a whole: compiling rewrites every chain of
// constant member accesses (meta.domain, $data["x-id"], tags[0]) into one
// gjson path, and evaluation looks up just those paths. For a 100-byte
// payload and a two-clause condition that is ~4x faster than decoding it
// into a map per event (BenchmarkExprPayload in expr_test.go; numbers in
// docs/BENCHMARKS.md).
type Expr struct {
	src   string
	prog  *vm.Program
	paths []string // payload paths read
	keys  []string // keys[i] is "." + paths[i], their name in the env
	meta  []string // $names read
	// spare is the state of the last evaluation, reused by the next: one
	// atomic swap instead of sync.Pool's Get and Put, which took ~5% of a
	// condition's CPU profile (BenchmarkRouteWhere). Evaluations that
	// overlap (there are none in the TUI) each get their own.
	spare atomic.Pointer[exprState]
}

// exprState is what one evaluation needs, reused through Expr.spare so that
// evaluating allocates only for the values it produces.
type exprState struct {
	vm  vm.VM
	env map[string]any
}

// exprMeta are the $names an expression may use.
func exprMeta() []string { return []string{"$event", "$feed", "$id", "$time", "$data"} }

// CompileExpr compiles an expression producing any value: a computed column
// or a template's {= …}.
func CompileExpr(src string) (*Expr, error) { return compileExpr(src, false) }

// CompileCondition compiles an expression that must produce true or false,
// such as a pane's where:.
func CompileCondition(src string) (*Expr, error) { return compileExpr(src, true) }

func compileExpr(src string, cond bool) (*Expr, error) {
	if strings.TrimSpace(src) == "" {
		return nil, errAt(0, "empty expression")
	}
	e := &Expr{src: src}
	f := &fieldPatcher{e: e, lets: map[string]bool{}}
	opts := []expr.Option{
		// A map env with every value typed any makes each name one map
		// lookup (OpLoadFast), and undefined names nil rather than errors.
		expr.Env(map[string]any{}),
		expr.AllowUndefinedVariables(),
		expr.Patch(letCollector{f.lets}),
		expr.Patch(f),
		expr.Patch(nameCollector{e}),
	}
	if cond {
		opts = append(opts, expr.AsBool())
	}
	prog, err := compileSafely(src, opts)
	if err != nil {
		return nil, exprError(src, err)
	}
	if f.err != nil {
		return nil, f.err
	}
	if cond {
		if err := notCondition(src, prog.Node()); err != nil {
			return nil, err
		}
	}
	e.prog = prog
	return e, nil
}

// compileSafely turns a panic inside the library into an error: an
// expression comes from a config file, and a bad one must be reported, not
// crash the program.
func compileSafely(src string, opts []expr.Option) (p *vm.Program, err error) {
	defer func() {
		if r := recover(); r != nil {
			p, err = nil, fmt.Errorf("cannot compile: %v", r)
		}
	}()
	return expr.Compile(src, opts...)
}

// exprError turns the library's error into a SyntaxError at the byte where
// it is, with the library's message minus its own position and snippet.
func exprError(src string, err error) error {
	var fe *file.Error
	if !errors.As(err, &fe) {
		return errAt(0, "%v", err)
	}
	off, runes := len(src), 0
	for i := range src {
		if runes == fe.From {
			off = i
			break
		}
		runes++
	}
	msg := fe.Message
	if msg == "" {
		msg = err.Error()
	}
	return errAt(off, "%s", msg)
}

// notCondition reports a condition that can only be a number or text. The
// payload's types are unknown when compiling, so the library lets
// length.new - length.old pass as a condition; it would be false for every
// event.
func notCondition(src string, n ast.Node) error {
	what := ""
	switch v := n.(type) {
	case *ast.BinaryNode:
		switch v.Operator {
		case "+", "-", "*", "/", "%", "**", "^":
			what = "a number"
		}
	case *ast.IntegerNode, *ast.FloatNode:
		what = "a number"
	case *ast.StringNode:
		what = "text"
	}
	if what == "" {
		return nil
	}
	return errAt(0, "a condition must be true or false, and %q is %s (compare it: %s > 0)", src, what, src)
}

// letCollector records names bound by let, which are not payload fields.
type letCollector struct{ lets map[string]bool }

func (l letCollector) Visit(n *ast.Node) {
	if v, ok := (*n).(*ast.VariableDeclaratorNode); ok {
		l.lets[v.Name] = true
	}
}

// fieldPatcher rewrites payload field accesses into env lookups. ast.Walk
// visits children first, so a chain a.b.c is seen as a, then a.b, then
// a.b.c: each step extends the path of the identifier it replaced.
type fieldPatcher struct {
	e    *Expr
	lets map[string]bool
	err  error
}

const payloadPrefix = "."

func (f *fieldPatcher) Visit(n *ast.Node) {
	switch v := (*n).(type) {
	case *ast.CallNode:
		// A function's name is not a field. There are no functions but the
		// library's builtins (which parse as BuiltinNode), so a call by
		// name is a typo that would otherwise fail on every event.
		if id, ok := v.Callee.(*ast.IdentifierNode); ok {
			id.Value = strings.TrimPrefix(id.Value, payloadPrefix)
			if !f.lets[id.Value] {
				f.fail(id.Location(), "unknown function %s (expressions can use the builtins of expr-lang.org/docs/language-definition)", id.Value)
			}
		}
	case *ast.IdentifierNode:
		switch {
		case f.lets[v.Value] || v.Value == "$env":
		case strings.HasPrefix(v.Value, "$"):
			if !contains(exprMeta(), v.Value) {
				f.fail(v.Location(), "unknown name %s (event fields are %s)", v.Value, strings.Join(exprMeta(), ", "))
				return
			}
		default:
			v.Value = payloadPrefix + gjson.Escape(v.Value)
		}
	case *ast.MemberNode:
		id, ok := v.Node.(*ast.IdentifierNode)
		if !ok || (!strings.HasPrefix(id.Value, payloadPrefix) && id.Value != "$data") {
			return
		}
		var seg string
		switch p := v.Property.(type) {
		case *ast.StringNode:
			seg = gjson.Escape(p.Value)
		case *ast.IntegerNode:
			if p.Value < 0 {
				return
			}
			seg = strconv.Itoa(p.Value)
		default:
			return
		}
		path := seg
		if id.Value != "$data" {
			path = id.Value + "." + seg
		} else {
			path = payloadPrefix + path
		}
		ast.Patch(n, &ast.IdentifierNode{Value: path})
	}
}

func (f *fieldPatcher) fail(loc file.Location, format string, args ...any) {
	if f.err == nil {
		f.err = exprError(f.e.src, &file.Error{Location: loc, Message: fmt.Sprintf(format, args...)})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// String returns the expression's source text.
func (e *Expr) String() string { return e.src }

// Paths lists the payload paths the expression reads, for explain and tests.
func (e *Expr) Paths() []string { return e.paths }

// nameCollector records the env names a patched tree loads.
type nameCollector struct{ e *Expr }

func (c nameCollector) Visit(n *ast.Node) {
	id, ok := (*n).(*ast.IdentifierNode)
	if !ok {
		return
	}
	switch s := id.Value; {
	case strings.HasPrefix(s, payloadPrefix):
		if p := s[len(payloadPrefix):]; !contains(c.e.paths, p) {
			c.e.paths = append(c.e.paths, p)
			c.e.keys = append(c.e.keys, s)
		}
	case contains(exprMeta(), s) && !contains(c.e.meta, s):
		c.e.meta = append(c.e.meta, s)
	}
}

// Eval evaluates the expression on an event's payload. It takes the payload
// as a string, as feed.Event holds it, so that the values looked up share its
// memory instead of being copied (1 allocation per event instead of 3). An error (a type mismatch such
// as nil - 1, a division by zero) means the event has no value here.
func (e *Expr) Eval(data string, m Meta) (any, error) {
	st := e.spare.Swap(nil)
	if st == nil {
		st = &exprState{env: make(map[string]any, len(e.paths)+len(e.meta))}
	}
	for i, p := range e.paths {
		st.env[e.keys[i]] = jsonValue(gjson.Get(data, p))
	}
	for _, name := range e.meta {
		st.env[name] = metaAny(name, data, m)
	}
	// Every key is overwritten by the next evaluation, so the map is not
	// cleared: clearing it was 7% of an evaluation.
	out, err := runSafely(&st.vm, e.prog, st.env)
	e.spare.Store(st)
	return out, err
}

// runSafely reports a panic inside the library as an error: payloads are
// untrusted, and no payload may take the program down.
func runSafely(v *vm.VM, p *vm.Program, env map[string]any) (out any, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("%v", r)
		}
	}()
	return v.Run(p, env)
}

// Holds reports whether a condition is true for an event; an evaluation
// error counts as false.
func (e *Expr) Holds(data string, m Meta) bool {
	out, err := e.Eval(data, m)
	b, ok := out.(bool)
	return err == nil && ok && b
}

// Value evaluates the expression as a value to format: nil (and an error)
// is a missing value, which renders as empty text.
func (e *Expr) Value(data string, m Meta) gjson.Result {
	out, err := e.Eval(data, m)
	if err != nil {
		return gjson.Result{}
	}
	return ResultOf(out)
}

// metaAny is the value of $event, $feed, $id, $time or $data.
func metaAny(name, data string, m Meta) any {
	switch name {
	case "$event":
		return m.Event
	case "$feed":
		return m.Feed
	case "$id":
		return m.ID
	case "$time":
		if m.Time.IsZero() {
			return nil
		}
		return m.Time
	case "$data":
		var v any
		if json.Unmarshal([]byte(data), &v) != nil {
			return data
		}
		return v
	}
	return nil
}

// jsonValue converts a gjson value to what expr works with: nil, bool,
// int (whole numbers that fit), float64, string, or decoded objects and
// arrays.
func jsonValue(v gjson.Result) any {
	switch v.Type {
	case gjson.True:
		return true
	case gjson.False:
		return false
	case gjson.Number:
		if !strings.ContainsAny(v.Raw, ".eE") {
			if n, err := strconv.ParseInt(v.Raw, 10, 64); err == nil {
				return int(n)
			}
		}
		return v.Num
	case gjson.String:
		return v.Str
	case gjson.JSON:
		// encoding/json, not gjson's Value: that one is quadratic in the
		// nesting depth (3.6 s for 20,000 levels), and a payload is
		// untrusted; encoding/json is linear and stops at 10,000 levels.
		var x any
		if json.Unmarshal([]byte(v.Raw), &x) != nil {
			return nil
		}
		return x
	}
	return nil
}

// ResultOf wraps an expression's result as a gjson value so that formats
// apply to it: numbers stay numbers, times become RFC 3339 text, durations
// Go duration text, lists and maps JSON.
func ResultOf(x any) gjson.Result {
	switch v := x.(type) {
	case nil:
		return gjson.Result{}
	case bool:
		if v {
			return gjson.Result{Type: gjson.True, Raw: "true"}
		}
		return gjson.Result{Type: gjson.False, Raw: "false"}
	case string:
		return gjson.Result{Type: gjson.String, Str: v, Raw: strconv.Quote(v)}
	case time.Time:
		s := v.Format(time.RFC3339Nano)
		return gjson.Result{Type: gjson.String, Str: s, Raw: strconv.Quote(s)}
	case time.Duration:
		s := v.String()
		return gjson.Result{Type: gjson.String, Str: s, Raw: strconv.Quote(s)}
	}
	rv := reflect.ValueOf(x)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return gjson.Result{Type: gjson.Number, Num: float64(rv.Int()), Raw: strconv.FormatInt(rv.Int(), 10)}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return gjson.Result{Type: gjson.Number, Num: float64(rv.Uint()), Raw: strconv.FormatUint(rv.Uint(), 10)}
	case reflect.Float32, reflect.Float64:
		f := rv.Float()
		if math.IsNaN(f) || math.IsInf(f, 0) {
			s := strconv.FormatFloat(f, 'g', -1, 64)
			return gjson.Result{Type: gjson.String, Str: s, Raw: strconv.Quote(s)}
		}
		return gjson.Result{Type: gjson.Number, Num: f, Raw: strconv.FormatFloat(f, 'f', -1, 64)}
	}
	b, err := json.Marshal(x)
	if err != nil {
		s := fmt.Sprint(x)
		return gjson.Result{Type: gjson.String, Str: s, Raw: strconv.Quote(s)}
	}
	return gjson.Result{Type: gjson.JSON, Raw: string(b)}
}
