package render

import (
	"strings"
	"testing"
	"time"
)

func TestTemplateRender(t *testing.T) {
	ctx := Context{Now: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC), Loc: time.UTC}
	meta := Meta{Feed: "news", Event: "headline", ID: "42", Time: time.Date(2025, 3, 1, 11, 0, 5, 0, time.UTC)}
	data := []byte(`{"source":"Wire","title":"Rates \u001b[1mrise","price":12.345,"change_pct":-1.5,"tags":["a","b"],"user":{"name":"Ann"},"level":"warn"}`)
	tests := []struct {
		src  string
		want string
	}{
		{"{source}: {title}", "Wire: Rates \ufffd[1mrise"},
		{"{price|%.2f} ({change_pct|percent})", "12.35 (-1.50%)"},
		{"{ price | number:1 }", "12.3"},
		{"{user.name} has {tags.#} tags, first {tags.0}", "Ann has 2 tags, first a"},
		{"{missing}|{source}", "|Wire"},
		{"{{literal}} {source}", "{literal} Wire"},
		{"[{$feed}/{$event} #{$id}] {$time|time}", "[news/headline #42] 11:00:05"},
		{"{$data}", `{"source":"Wire","title":"Rates \u001b[1mrise","price":12.345,"change_pct":-1.5,"tags":["a","b"],"user":{"name":"Ann"},"level":"warn"}`},
		{"{user}", `{"name":"Ann"}`},
		{"{tags|%s}", `["a","b"]`},
		{`{tags.#(=="b")}`, "b"},
		{"line1\nline2", "line1 line2"},
		{"", ""},
	}
	for _, tt := range tests {
		tpl, err := Compile(tt.src)
		if err != nil {
			t.Errorf("Compile(%q): %v", tt.src, err)
			continue
		}
		if got := tpl.Render(data, meta, ctx); got != tt.want {
			t.Errorf("Compile(%q).Render = %q, want %q", tt.src, got, tt.want)
		}
		if tpl.String() != tt.src {
			t.Errorf("String() = %q, want %q", tpl.String(), tt.src)
		}
	}
}

func TestTemplateNonJSON(t *testing.T) {
	tpl, err := Compile("{$event}: {$data} {title}")
	if err != nil {
		t.Fatal(err)
	}
	got := tpl.Render([]byte("plain text\nsecond"), Meta{Event: "message"}, Context{})
	if got != "message: plain text second " {
		t.Errorf("Render = %q", got)
	}
}

func TestTemplateErrors(t *testing.T) {
	tests := []struct {
		src string
		off int
		msg string
	}{
		{"{title", 0, "unclosed '{'"},
		{"title}", 5, "unmatched '}'"},
		{"a {} b", 2, "empty {}"},
		{"{a..b}", 3, "empty segment"},
		{"{.a}", 1, "empty segment"},
		{"{a.}", 2, "ends with a separator"},
		{"{a[0}", 0, "unclosed"},
		{"{a]}", 2, "unbalanced"},
		{"{price|%.2z}", 7, "not supported"},
		{"{price|percent:x}", 15, "decimals"},
		{"x {$evnt}", 3, "unknown field \"$evnt\""},
		{"{|number}", 1, "missing path"},
		{`{a.#(b=="x}`, 8, "unterminated"},
	}
	for _, tt := range tests {
		_, err := Compile(tt.src)
		se, ok := err.(*SyntaxError)
		if !ok {
			t.Errorf("Compile(%q) error = %v, want *SyntaxError", tt.src, err)
			continue
		}
		if se.Offset != tt.off || !strings.Contains(se.Msg, tt.msg) {
			t.Errorf("Compile(%q) = offset %d %q, want offset %d containing %q", tt.src, se.Offset, se.Msg, tt.off, tt.msg)
		}
	}
}

func TestTemplatePaths(t *testing.T) {
	tpl, err := Compile("{a} {$event} {b.c|number} {{x}}")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(tpl.Paths(), ","); got != "a,b.c" {
		t.Errorf("Paths = %q", got)
	}
}

func BenchmarkTemplateRender(b *testing.B) {
	tpl, err := Compile("{source}: {title} ({price|%.2f})")
	if err != nil {
		b.Fatal(err)
	}
	data := []byte(`{"id":"n-1","title":"Markets rally as rates hold","source":"Wire","price":101.25,"time":"2025-03-01T12:00:00Z"}`)
	b.ReportAllocs()
	for b.Loop() {
		_ = tpl.Render(data, Meta{}, Context{})
	}
}

func TestTemplateFiltersAndExpressions(t *testing.T) {
	ctx := Context{Now: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC), Loc: time.UTC}
	meta := Meta{Feed: "masto", Event: "update", ID: "7", Time: time.Date(2025, 3, 1, 11, 0, 5, 123456789, time.UTC)}
	data := []byte(`{"content":"<p>Hello &amp; <a href=\"x\">welcome</a></p><p>to   <b>Go</b>&#33;</p>","display_name":"","acct":"ann@x","nick":null,
		"tags":[{"name":"golang"},{"name":"sse"},{"name":null}],"words":["a","b"],"length":{"old":100,"new":142},"title":"Breaking news today","n":null,
		"evil":"<p>&#27;[31mred</p>"}`)
	tests := []struct{ src, want string }{
		{"{content|text}", "Hello & welcome to Go!"},
		{"{evil|text}", "\ufffd[31mred"},
		{"{tags.#.name|join}", "golang, sse"},
		{`{tags.#.name|join:" | "}`, "golang | sse"},
		{"{words|join:/}", "a/b"},
		{"{words|join|upper}", "A, B"},
		{"{title|trunc:8}", "Breakin…"},
		{"{title|trunc:100}", "Breaking news today"},
		{"{title|upper}", "BREAKING NEWS TODAY"},
		{"{title|lower|trunc:5}", "brea…"},
		{`{nick|default:"anon"}`, "anon"},
		{`{missing|default:"-"}`, "-"},
		{`{title|default:"-"}`, "Breaking news today"},
		{"{display_name ?? acct}", "ann@x"},
		{"{nick ?? display_name ?? acct|upper}", "ANN@X"},
		{"{nick ?? $event}", "update"},
		{"{n}|{nick}|{n|%.2f}|{n|number}", "|||"},
		{"{= length.new - length.old}", "42"},
		{"{= length.new - length.old|%+d}", "+42"},
		{"{= (length.new - length.old) / length.old * 100|percent:1}", "+42.0%"},
		{"{= upper(acct) + '}'}", "ANN@X}"},
		{"{= len(tags)} tags", "3 tags"},
		{"{= nick ?? 'x'}", "x"},
		{"{= missing.field}", ""},
		{"{= acct - 1}", ""},
		{"{$time}", "11:00:05"},
		{"{$time|time:datetime}", "2025-03-01 11:00:05"},
		{"{$time|upper}", "11:00:05"},
		{"{length|join}", `{"old":100,"new":142}`},
	}
	for _, tt := range tests {
		tpl, err := Compile(tt.src)
		if err != nil {
			t.Errorf("Compile(%q): %v", tt.src, err)
			continue
		}
		if got := tpl.Render(data, meta, ctx); got != tt.want {
			t.Errorf("Compile(%q).Render = %q, want %q", tt.src, got, tt.want)
		}
	}
}

func TestTemplateFilterErrors(t *testing.T) {
	tests := []struct {
		src string
		off int
		msg string
	}{
		{"{title|trunc:x}", 13, "trunc wants a length"},
		{"{title|trunc:0}", 13, "trunc wants a length"},
		{"{title|trunc}", 13, "trunc wants a length"},
		{"{title|upper:x}", 13, "takes no argument"},
		{"{title|default}", 7, "default wants"},
		{`{title|default:"x}`, 15, "unterminated"},
		{`{title|default:"\q"}`, 15, "malformed quoted"},
		{"{a ?? }", 5, "missing path around ??"},
		{"{a ?? $nope}", 6, "unknown field"},
		{"{= a +}", 5, "unexpected token EOF"},
		{"{= $evnt}", 3, "unknown name $evnt"},
		{"{=}", 2, "empty expression"},
		{"{= 'abc}", 3, "unterminated"},
	}
	for _, tt := range tests {
		_, err := Compile(tt.src)
		se, ok := err.(*SyntaxError)
		if !ok {
			t.Errorf("Compile(%q) error = %v, want *SyntaxError", tt.src, err)
			continue
		}
		if se.Offset != tt.off || !strings.Contains(se.Msg, tt.msg) {
			t.Errorf("Compile(%q) = offset %d %q, want offset %d containing %q", tt.src, se.Offset, se.Msg, tt.off, tt.msg)
		}
	}
}

func TestHTMLText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"<p>a</p><p>b</p>", "a b"},
		{"a<br/>b<br>c", "a b c"},
		{"x <span>y</span>z", "x yz"},
		{"1 < 2 and 3 > 2", "1 < 2 and 3 > 2"},
		{"<unclosed", "<unclosed"},
		{"&lt;b&gt; &quot;q&quot; &#x1F600; &nbsp;", "<b> \"q\" 😀"},
		{"a\u0007b\x1b[2Jc", "a\ufffdb\ufffd[2Jc"},
		{"", ""},
		{strings.Repeat("<p>", 10000), ""},
	}
	for _, tt := range tests {
		if got := HTMLText(tt.in); got != tt.want {
			t.Errorf("HTMLText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestTemplateHostilePayloads: non-JSON, huge and deeply nested payloads
// render without panicking, in one line.
func TestTemplateHostilePayloads(t *testing.T) {
	big := `{"big":[` + strings.Repeat(`"x",`, 100_000) + `"y"],"deep":` + strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000) + `}`
	tests := []struct{ src, data, want string }{
		{"{big|join:|trunc:5}", big, "xxxx…"},
		{"{= len(big)}", big, "100001"},
		{"{deep|join|trunc:6}", big, "[[[[[…"},
		{"{= len(deep)}", big, ""},
		{"{title|text|upper} {= a + 1}", "<p>not json</p>", " "},
		{"{$data|text}", "<p>not &amp; json</p>", "not & json"},
		{"{a ?? b|default:none}", "\x00\xff", "none"},
	}
	for _, tt := range tests {
		tpl, err := Compile(tt.src)
		if err != nil {
			t.Fatalf("Compile(%q): %v", tt.src, err)
		}
		if got := tpl.Render([]byte(tt.data), Meta{}, Context{}); got != tt.want {
			t.Errorf("Compile(%q).Render = %.40q, want %q", tt.src, got, tt.want)
		}
	}
}
