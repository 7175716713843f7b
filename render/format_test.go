package render

import (
	"math"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/charmbracelet/x/ansi"
	"github.com/tidwall/gjson"
)

func TestApply(t *testing.T) {
	utc := time.UTC
	ctx := Context{Now: time.Date(2025, 3, 1, 12, 0, 0, 0, utc), Loc: utc}
	tests := []struct {
		spec string
		in   string // JSON value
		want string
	}{
		{"%.2f", `12.345`, "12.35"},
		{"%.2f", `"12.345"`, "12.35"},
		{"%.2f", `"n/a"`, "n/a"},
		{"%d", `12.6`, "13"},
		{"%d pts", `3`, "3 pts"},
		{"%5.1f%%", `2.25`, "  2.2%"},
		{"%s!", `"hi"`, "hi!"},
		{"%x", `255`, "ff"},
		{"%.2f", `null`, ""},
		{"number", `1234567`, "1,234,567"},
		{"number", `1234567.891`, "1,234,567.89"},
		{"number", `-1234.5`, "-1,234.50"},
		{"number:0", `999.5`, "1,000"},
		{"number:3", `0.5`, "0.500"},
		{"percent", `1.234`, "+1.23%"},
		{"percent", `-0.5`, "-0.50%"},
		{"percent", `0`, "0.00%"},
		{"percent", `-0.001`, "0.00%"},
		{"percent:1", `12.34`, "+12.3%"},
		{"currency", `1234.5`, "$1,234.50"},
		{"currency", `-3.1`, "-$3.10"},
		{"currency:EUR", `3.1`, "€3.10"},
		{"currency:JPY", `1234.5`, "¥1,234"},
		{"currency:JPY:2", `1234.5`, "¥1,234.50"},
		{"currency:CHF", `12`, "CHF 12.00"},
		{"currency:SEK", `12`, "SEK 12.00"},
		{"currency:0", `12.7`, "$13"},
		{"currency:£:1", `12.25`, "£12.2"},
		{"compact", `999`, "999"},
		{"compact", `1234`, "1.2K"},
		{"compact", `1000`, "1K"},
		{"compact", `999950`, "1M"},
		{"compact", `3400000`, "3.4M"},
		{"compact", `5600000000`, "5.6B"},
		{"compact", `7800000000000`, "7.8T"},
		{"compact", `-1234`, "-1.2K"},
		{"compact:2", `1234`, "1.23K"},
		{"compact", `0.26`, "0.3"},
		{"bytes", `512`, "512 B"},
		{"bytes", `1536`, "1.5 KiB"},
		{"bytes", `1048575`, "1 MiB"},
		{"duration", `0.85`, "850ms"},
		{"duration", `4.5`, "4.5s"},
		{"duration", `185`, "3m05s"},
		{"duration", `3720`, "1h02m"},
		{"duration", `183600`, "2d03h"},
		{"duration:ms", `1500`, "1.5s"},
		{"duration", `"1m30s"`, "1m30s"},
		{"duration", `-90`, "-1m30s"},
		{"duration", `"soon"`, "soon"},
		{"time", `"2025-03-01T11:59:30Z"`, "11:59:30"},
		{"time", `1740830370`, "11:59:30"},
		{"time", `1740830370123`, "11:59:30"},
		{"time:date", `1740830370`, "2025-03-01"},
		{"time:2006-01-02 15:04", `"2025-03-01T11:59:30+01:00"`, "2025-03-01 10:59"},
		{"time", `"yesterday"`, "yesterday"},
		{"relative", `"2025-03-01T11:59:30Z"`, "30s ago"},
		{"relative", `"2025-03-01T12:03:00Z"`, "in 3m"},
		{"relative", `"2025-03-01T12:00:00.5Z"`, "now"},
		{"relative", `1740657600`, "2d ago"},
		{"number", `"abc"`, "abc"},
		{"number", `true`, "true"},
		{"percent", `{"a":1}`, `{"a":1}`},
	}
	for _, tt := range tests {
		f, err := Parse(tt.spec)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.spec, err)
			continue
		}
		if got := f.Apply(gjson.Parse(tt.in), ctx); got != tt.want {
			t.Errorf("Parse(%q).Apply(%s) = %q, want %q", tt.spec, tt.in, got, tt.want)
		}
	}
}

func TestApplyMissing(t *testing.T) {
	f, _ := Parse("number")
	if got := f.Apply(gjson.Get(`{}`, "x"), Context{}); got != "" {
		t.Errorf("missing value rendered %q, want empty", got)
	}
	var none *Format
	if got := none.Apply(gjson.Parse(`"a\u001b[31mb"`), Context{}); got != "a\ufffd[31mb" {
		t.Errorf("nil format on escape = %q", got)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		spec string
		off  int
		msg  string
	}{
		{"", 0, "empty format"},
		{"precent", 0, `unknown format "precent"`},
		{"%.2", 0, "incomplete"},
		{"%.2z", 0, "not supported"},
		{"%d and %d", 7, "more than one verb"},
		{"100%%", 0, "has no verb"},
		{"percent:x", 8, "decimals"},
		{"percent:11", 8, "decimals"},
		{"currency:DOLLARS", 9, "currency"},
		{"currency:EUR:z", 13, "decimals"},
		{"duration:d", 9, "unknown duration unit"},
		{"time:", 5, "empty time layout"},
		{"time:HH:MM", 5, "no date or time fields"},
		{"relative:1", 9, "no argument"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.spec)
		se, ok := err.(*SyntaxError)
		if !ok {
			t.Errorf("Parse(%q) error = %v, want *SyntaxError", tt.spec, err)
			continue
		}
		if se.Offset != tt.off || !strings.Contains(se.Msg, tt.msg) {
			t.Errorf("Parse(%q) = offset %d %q, want offset %d containing %q", tt.spec, se.Offset, se.Msg, tt.off, tt.msg)
		}
	}
}

func TestNumeric(t *testing.T) {
	for spec, want := range map[string]bool{"%.2f": true, "%s": false, "number": true, "time": false, "relative": false, "compact": true} {
		f, err := Parse(spec)
		if err != nil {
			t.Fatal(err)
		}
		if f.Numeric() != want {
			t.Errorf("Parse(%q).Numeric() = %v", spec, !want)
		}
	}
}

func TestSign(t *testing.T) {
	tests := []struct {
		in   string
		sign int
		ok   bool
	}{
		{`1.5`, 1, true}, {`-0.1`, -1, true}, {`0`, 0, true}, {`"2"`, 1, true},
		{`"+1.2%"`, 1, true}, {`"-3 pts"`, -1, true}, {`"abc"`, 0, false}, {`null`, 0, false},
		{`"-"`, 0, false}, {`true`, 0, false},
	}
	for _, tt := range tests {
		s, ok := Sign(gjson.Parse(tt.in))
		if s != tt.sign || ok != tt.ok {
			t.Errorf("Sign(%s) = %d, %v; want %d, %v", tt.in, s, ok, tt.sign, tt.ok)
		}
	}
}

func TestValue(t *testing.T) {
	tests := map[string]string{
		`"plain"`:               "plain",
		`12.50`:                 "12.50",
		`true`:                  "true",
		`null`:                  "", // JSON null shows as nothing, as a missing value does
		`{ "a" : [1, 2] }`:      `{"a":[1,2]}`,
		`"line1\nline2\tx"`:     "line1 line2 x",
		`"bell\u0007 \u202eab"`: "bell\ufffd \ufffdab",
	}
	for in, want := range tests {
		if got := Value(gjson.Parse(in)); got != want {
			t.Errorf("Value(%s) = %q, want %q", in, got, want)
		}
	}
}

func TestSanitize(t *testing.T) {
	tests := map[string]string{
		"":                  "",
		"héllo wörld ✓":     "héllo wörld ✓",
		"\x1b[2J":           "\ufffd[2J",
		"a\x9bb":            "a\ufffdb", // invalid UTF-8 byte
		"a\u009bb":          "a\ufffdb", // C1 CSI
		"a\r\nb":            "a  b",
		"\x7f":              "\ufffd",
		"tab\there":         "tab here",
		"\u2066iso\u2069ok": "\ufffdiso\ufffdok",
	}
	// Width certainty: what remains measures the same in tmux 3.3a as in
	// ansi.StringWidth (see Sanitize).
	widths := []struct{ in, want string }{
		{"👨\u200d👩\u200d👧 family", "👨👩👧 family"},
		{"❤\ufe0f love", "❤ love"},
		{"☺\ufe0e text", "☺ text"},
		{"#\ufe0f\u20e3", "#\u20e3"},
		{"👍🏽 ok", "👍 ok"},
		{"🧑🏽\u200d💻", "🧑💻"},
		{"🏳\ufe0f\u200d🌈", "🏳🌈"},
		{"flag 🇯🇵!", "flag 🇯🇵!"},
		{"🇯🇵🇺", "🇯🇵U"},
		{"🇯", "J"},
		{"a\u200bb\u200cc\u200ed\u200fe\u2060f\u061cg\u00adh\ufeffi", "abcdefghi"},
		{"🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f", "🏴"},
		{"日本語 한국어 e\u0301", "日本語 한국어 e\u0301"},
	}
	for _, tt := range widths {
		got := Sanitize(tt.in)
		if got != tt.want {
			t.Errorf("Sanitize(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if g, wc := ansi.StringWidth(got), ansi.StringWidthWc(got); g != wc {
			t.Errorf("Sanitize(%q) = %q: %d cells by grapheme, %d by wcwidth", tt.in, got, g, wc)
		}
	}
	for in, want := range tests {
		if got := Sanitize(in); got != want {
			t.Errorf("Sanitize(%q) = %q, want %q", in, got, want)
		}
	}
	// Every format character goes, whatever shortcut the code takes.
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if unicode.Is(unicode.Cf, r) {
			if got := Sanitize("a" + string(r) + "b"); got != "ab" && got != "a\ufffdb" {
				t.Errorf("Sanitize keeps format character %U: %q", r, got)
			}
		}
	}
	clean := "already clean ✓ 🇯🇵 日本 한국 👍"
	if n := testing.AllocsPerRun(100, func() { _ = Sanitize(clean) }); n != 0 {
		t.Errorf("Sanitize of clean text allocated %v times", n)
	}
}

func TestFormatDuration(t *testing.T) {
	tests := map[time.Duration]string{
		0: "0s", 500: "500ns", 1500: "1.5µs", 2 * time.Millisecond: "2ms",
		59*time.Second + 940*time.Millisecond:                  "59.9s",
		time.Minute:                                            "1m00s",
		999960 * time.Microsecond:                              "1s",
		59960 * time.Millisecond:                               "1m00s",
		59*time.Minute + 59*time.Second + 600*time.Millisecond: "1h00m",
		25 * time.Hour:                                         "1d01h",
		math.MinInt64:                                          "-106751d23h",
		-1500 * time.Millisecond:                               "-1.5s",
	}
	for d, want := range tests {
		if got := FormatDuration(d); got != want {
			t.Errorf("FormatDuration(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestSpark(t *testing.T) {
	tests := []struct {
		in    []float64
		width int
		want  string
	}{
		{nil, 5, ""},
		{[]float64{1, 2, 3}, 0, ""},
		{[]float64{1, 2, 3, 4, 5, 6, 7, 8}, 8, "▁▂▃▄▅▆▇█"},
		{[]float64{5, 5, 5}, 3, "▄▄▄"},
		{[]float64{0, 10, 0, 10}, 2, "▁█"},
		{[]float64{0, math.NaN(), 10}, 3, "▁ █"},
	}
	for _, tt := range tests {
		if got := Spark(tt.in, tt.width); got != tt.want {
			t.Errorf("Spark(%v, %d) = %q, want %q", tt.in, tt.width, got, tt.want)
		}
	}
}

func TestSparkIn(t *testing.T) {
	tests := []struct {
		in     []float64
		width  int
		lo, hi float64
		want   string
	}{
		{[]float64{0, 50, 100}, 3, 0, 100, "▁▅█"},
		{[]float64{-10, 150}, 2, 0, 100, "▁█"},     // out of range clamps
		{[]float64{40, 41, 42}, 3, 0, 100, "▄▄▄"},  // small moves stay small on a fixed scale
		{[]float64{1, 2, 3, 4}, 2, 0, 4, "▆█"},     // the last width values
		{[]float64{math.Inf(1), 2}, 2, 0, 4, " ▅"}, // non-finite values leave a gap
		{[]float64{1, 2, 3}, 0, 0, 4, ""},
	}
	for _, tt := range tests {
		if got := SparkIn(tt.in, tt.width, tt.lo, tt.hi); got != tt.want {
			t.Errorf("SparkIn(%v, %d, %v, %v) = %q, want %q", tt.in, tt.width, tt.lo, tt.hi, got, tt.want)
		}
	}
}
