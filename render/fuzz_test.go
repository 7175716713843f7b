package render

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzTemplate: no template source and no payload panics, and whatever
// renders is one line without control characters.
func FuzzTemplate(f *testing.F) {
	for _, s := range []string{
		"{content|text|trunc:5}", "{tags.#.name|join:\", \"|upper}", "{a ?? b ?? $event}", "{= a.b - c|%+d}",
		"{= 'x}' + y}", "{$time|time:datetime}", "{x|default:\"-\"}", "{{}} {a|%.2f}",
	} {
		f.Add(s, `{"content":"<p>x &amp; y</p>","tags":[{"name":"a"}],"a":{"b":3},"c":1,"x":null}`)
	}
	f.Add("{= $data}", "not json")
	f.Add("{a|join}", `{"a":[`+strings.Repeat(`[`, 100)+strings.Repeat(`]`, 100)+`]}`)
	f.Fuzz(func(t *testing.T, src, data string) {
		tpl, err := Compile(src)
		if err != nil {
			return
		}
		out := tpl.Render([]byte(data), Meta{Event: "e"}, Context{})
		if strings.ContainsAny(out, "\n\r\x1b\x07") || !utf8.ValidString(out) {
			t.Errorf("Render(%q) on %q = %q", src, data, out)
		}
	})
}

// FuzzExpr: no expression and no payload panics.
func FuzzExpr(f *testing.F) {
	f.Add(`meta.domain != "canary" && !bot`, `{"meta":{"domain":"x"},"bot":false}`)
	f.Add(`length.new - length.old`, `{"length":{"new":1,"old":"2"}}`)
	f.Add(`len($data)`, `[1,2,3]`)
	f.Add(`map(tags, .name)`, `{"tags":[{"name":1},null]}`)
	f.Fuzz(func(t *testing.T, src, data string) {
		e, err := CompileExpr(src)
		if err != nil {
			return
		}
		_ = e.Value(data, Meta{})
	})
}
