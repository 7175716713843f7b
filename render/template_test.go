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
