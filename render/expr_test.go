package render

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/expr-lang/expr/vm"
	"github.com/tidwall/gjson"
)

const wikiEdit = `{"meta":{"domain":"en.wikipedia.org","dt":"2026-12-02T06:00:00Z"},"bot":false,"length":{"old":100,"new":142},"tags":[{"name":"go"},{"name":"sse"}],"comment":null,"x-github-event":"push"}`

func TestExprEval(t *testing.T) {
	m := Meta{Feed: "wiki", Event: "message", ID: "42", Time: time.Date(2026, 12, 2, 6, 0, 0, 0, time.UTC)}
	tests := []struct {
		src, data string
		want      string // ResultOf(value) shown with Value; "!err" for an error
	}{
		{`meta.domain`, wikiEdit, "en.wikipedia.org"},
		{`length.new - length.old`, wikiEdit, "42"},
		{`length["new"] * 2`, wikiEdit, "284"},
		{`tags[1].name`, wikiEdit, "sse"},
		{`len(tags)`, wikiEdit, "2"},
		{`map(tags, .name)`, wikiEdit, `["go","sse"]`},
		{`$data["x-github-event"]`, wikiEdit, "push"},
		{`$data.meta.domain`, wikiEdit, "en.wikipedia.org"},
		{`$event + "@" + $feed + "#" + $id`, wikiEdit, "message@wiki#42"},
		{`comment`, wikiEdit, ""},
		{`comment ?? "none"`, wikiEdit, "none"},
		{`missing.deeper.still`, wikiEdit, ""},
		{`upper(meta.domain)`, wikiEdit, "EN.WIKIPEDIA.ORG"},
		{`let d = length.new; d - 2`, wikiEdit, "140"},
		{`length.new / 3 > 40`, wikiEdit, "true"},
		{`$data`, `12345`, "12345"},
		{`$data`, `not json at all`, "not json at all"},
		{`$data + "!"`, `"a bare string"`, "a bare string!"},
		{`length.new - length.old`, `not json`, "!err"},
		{`meta.domain`, ``, ""},
		{`1 / 0`, wikiEdit, "+Inf"},
		{`a - 1`, `{"a":"x"}`, "!err"},
		{`$time.Year()`, wikiEdit, "2026"},
		{`type`, `{"type":"delete"}`, "delete"},
		{`len(deep)`, `{"deep":` + strings.Repeat("[", 500_000) + strings.Repeat("]", 500_000) + `}`, "!err"},
		{`len($data)`, strings.Repeat("[", 500_000) + strings.Repeat("]", 500_000), "1000000"},
		{`len(big)`, `{"big":[` + strings.Repeat(`1,`, 100_000) + `1]}`, "100001"},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			e, err := CompileExpr(tt.src)
			if err != nil {
				t.Fatalf("CompileExpr: %v", err)
			}
			out, err := e.Eval(tt.data, m)
			got := Value(ResultOf(out))
			if err != nil {
				got = "!err"
			}
			if got != tt.want {
				t.Errorf("got %q (%v), want %q", got, err, tt.want)
			}
		})
	}
}

func TestConditionHolds(t *testing.T) {
	tests := []struct {
		src, data string
		want      bool
	}{
		{`meta.domain != "canary" && !bot`, wikiEdit, true},
		{`meta.domain != "canary" && !bot`, `{"meta":{"domain":"canary"},"bot":false}`, false},
		{`meta.domain != "canary" && !bot`, `{"meta":{"domain":"x"},"bot":true}`, false},
		{`!bot`, `{}`, false}, // !nil is an error: the event does not pass
		{`bot == nil`, `{}`, true},
		{`length.new > 100`, `garbage`, false},
		{`$event in ["a", "b"]`, `{}`, true},
		{`meta.domain matches "^en\\."`, wikiEdit, true},
	}
	for _, tt := range tests {
		e, err := CompileCondition(tt.src)
		if err != nil {
			t.Fatalf("%s: %v", tt.src, err)
		}
		if got := e.Holds(tt.data, Meta{Event: "a"}); got != tt.want {
			t.Errorf("%s on %s = %v, want %v", tt.src, tt.data, got, tt.want)
		}
	}
}

func TestExprPaths(t *testing.T) {
	e, err := CompileExpr(`meta.domain != "x" && length.new - length.old > 0 && $data["a.b"] == 1 && upper($event) != ""`)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"meta.domain", "length.new", "length.old", `a\.b`}
	if got := e.Paths(); !slices.Equal(got, want) {
		t.Errorf("Paths = %q, want %q", got, want)
	}
}

func TestExprCompileErrors(t *testing.T) {
	tests := []struct {
		src    string
		cond   bool
		offset int
		msg    string
	}{
		{``, false, 0, "empty expression"},
		{`meta.domain !=`, false, 13, "unexpected token EOF"},
		{`a + (b`, false, 5, "unexpected token EOF"},
		{`$nope == 1`, false, 0, "unknown name $nope"},
		{`x == 1 && $evnt == "a"`, false, 10, "unknown name $evnt"},
		{`nosuchfunc(a)`, false, 0, "unknown function nosuchfunc"},
		{`1 + 2`, true, 0, "expected bool"},
		{`"é" + `, false, 6, "unexpected token EOF"},
		{`a ==== b`, false, 4, "unexpected token"},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			_, err := compileExpr(tt.src, tt.cond)
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v, want a *SyntaxError", err)
			}
			if se.Offset != tt.offset || !strings.Contains(se.Msg, tt.msg) {
				t.Errorf("got offset %d %q, want %d %q", se.Offset, se.Msg, tt.offset, tt.msg)
			}
		})
	}
}

func TestResultOf(t *testing.T) {
	tests := []struct {
		in   any
		want gjson.Type
		text string
	}{
		{nil, gjson.Null, ""},
		{3, gjson.Number, "3"},
		{2.5, gjson.Number, "2.5"},
		{true, gjson.True, "true"},
		{"s", gjson.String, "s"},
		{[]any{1, "a"}, gjson.JSON, `[1,"a"]`},
		{time.Duration(1500) * time.Millisecond, gjson.String, "1.5s"},
		{func() {}, gjson.String, ""},
	}
	for _, tt := range tests {
		r := ResultOf(tt.in)
		if r.Type != tt.want || (tt.text != "" && Value(r) != tt.text) {
			t.Errorf("ResultOf(%v) = %v %q, want %v %q", tt.in, r.Type, Value(r), tt.want, tt.text)
		}
	}
}

// The two ways of giving expr a payload, on a 100-byte payload and a
// two-clause condition: looking up only the paths the expression reads
// (what Expr does), or decoding the payload into a map each event.
const benchPayload = `{"meta":{"domain":"en.wikipedia.org","uri":"https://en.wikipedia.org/x"},"bot":false,"ns":0}`

func BenchmarkExprPayload(b *testing.B) {
	const cond = `meta.domain != "canary" && !bot`
	b.Logf("payload %d bytes", len(benchPayload))
	b.Run("paths", func(b *testing.B) {
		e, err := CompileCondition(cond)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if !e.Holds(benchPayload, Meta{}) {
				b.Fatal("condition fails")
			}
		}
	})
	b.Run("decode-map", func(b *testing.B) {
		prog, err := compileSafely(cond, nil)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			var env map[string]any
			if err := json.Unmarshal([]byte(benchPayload), &env); err != nil {
				b.Fatal(err)
			}
			var v vm.VM
			out, err := runSafely(&v, prog, env)
			if err != nil || out != true {
				b.Fatal(out, err)
			}
		}
	})
}
