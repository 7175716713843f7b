package ui

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/livefeed/livefeed/config"
)

func TestJSONSpans(t *testing.T) {
	tests := []struct {
		line string
		want []jsonSpan
	}{
		{`  "price": 12.5,`, []jsonSpan{
			{"  ", config.RoleText}, {`"price"`, roleJSONKey}, {":", roleJSONPunct}, {" ", config.RoleText},
			{"12.5", roleJSONNumber}, {",", roleJSONPunct},
		}},
		{`  "say \"hi\"": "a:b",`, []jsonSpan{
			{"  ", config.RoleText}, {`"say \"hi\""`, roleJSONKey}, {":", roleJSONPunct}, {" ", config.RoleText},
			{`"a:b"`, roleJSONString}, {",", roleJSONPunct},
		}},
		{`[true, false, null, -1e3]`, []jsonSpan{
			{"[", roleJSONPunct}, {"true", roleJSONLit}, {",", roleJSONPunct}, {" ", config.RoleText}, {"false", roleJSONLit},
			{",", roleJSONPunct}, {" ", config.RoleText}, {"null", roleJSONLit}, {",", roleJSONPunct}, {" ", config.RoleText},
			{"-1e3", roleJSONNumber}, {"]", roleJSONPunct},
		}},
		{`"unterminated`, []jsonSpan{{`"unterminated`, roleJSONString}}},
		{``, []jsonSpan{{"", config.RoleText}}},
	}
	for _, tt := range tests {
		if got := jsonSpans(tt.line); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("jsonSpans(%q) =\n%v\nwant\n%v", tt.line, got, tt.want)
		}
	}
}

func plainLines(lines [][]jsonSpan) []string {
	var out []string
	for _, l := range lines {
		var b strings.Builder
		for _, s := range l {
			b.WriteString(s.text)
		}
		out = append(out, b.String())
	}
	return out
}

func TestPayloadLines(t *testing.T) {
	tests := []struct {
		data     string
		kind     string
		wantText []string
	}{
		{`{"a":1,"b":{"c":[1,2]}}`, "JSON object", []string{"{", `  "a": 1,`, `  "b": {`, `    "c": [1, 2]`, "  }", "}"}},
		{` [1,"x"] `, "JSON array", []string{`[1, "x"]`}},
		{`42`, "JSON number", []string{"42"}},
		{`"esc \u001b[2J"`, "JSON string", []string{`"esc \u001b[2J"`}},
		{"{\"raw\":\"c1 \u009b here\"}", "JSON object", []string{"{", "  \"raw\": \"c1 \uFFFD here\"", "}"}},
		{"plain\ttext\r\nsecond \x1b[31mline", "text", []string{"plain    text", "second \uFFFD[31mline"}},
		{`{"broken":`, "text", []string{`{"broken":`}},
		{"", "empty", []string{"(empty payload)"}},
	}
	for _, tt := range tests {
		lines, kind := payloadLines(tt.data)
		if got := plainLines(lines); kind != tt.kind || !reflect.DeepEqual(got, tt.wantText) {
			t.Errorf("payloadLines(%q) = %s %q, want %s %q", tt.data, kind, got, tt.kind, tt.wantText)
		}
	}
}

func TestWrapSpans(t *testing.T) {
	st := NewStyles(config.DefaultTheme())
	spans := []jsonSpan{{`"key"`, roleJSONKey}, {": ", roleJSONPunct}, {`"` + strings.Repeat("漢字ab", 7) + `"`, roleJSONString}}
	for _, w := range []int{1, 3, 7, 10, 40, 200} {
		rows := wrapSpans(spans, w, inksOf(st))
		var joined strings.Builder
		for _, r := range rows {
			if got := ansi.StringWidth(r); got > max(w, 2) {
				t.Errorf("width %d: row %q is %d wide", w, ansi.Strip(r), got)
			}
			if strings.Count(r, "\x1b[") > 0 && !strings.HasSuffix(r, "\x1b[m") {
				t.Errorf("width %d: row %q leaves its colour on", w, r)
			}
			joined.WriteString(ansi.Strip(r))
		}
		if want := `"key": "` + strings.Repeat("漢字ab", 7) + `"`; joined.String() != want {
			t.Errorf("width %d: wrapping lost text: %q", w, joined.String())
		}
	}
}

func detailItem(data string) Item {
	return paneItem(42, "stocks", "quote", "1001", data, paneAt(1500*time.Millisecond))
}

func bigJSON(n int) string {
	var parts []string
	for i := range n {
		parts = append(parts, fmt.Sprintf(`"field%02d":%d`, i, i))
	}
	return "{" + strings.Join(parts, ",") + "}"
}

func TestDetailScroll(t *testing.T) {
	_, st, km := paneTestSetup(t)
	d := newDetail(detailItem(bigJSON(40)), st, km, 60, 20) // 42 lines in a viewport of 12
	steps := []struct {
		msg  tea.Msg
		want int
	}{
		{nil, 0},
		{panePress("down"), 1},
		{panePress("j"), 2},
		{panePress("up"), 1},
		{panePress("pgdown"), 13},
		{panePress("end"), 30},
		{panePress("down"), 30},
		{panePress("home"), 0},
		{tea.MouseWheelMsg{Button: tea.MouseWheelDown}, 3},
		{tea.MouseWheelMsg{Button: tea.MouseWheelUp}, 0},
		{panePress("G"), 30},
		{panePress("pgup"), 18},
	}
	for i, s := range steps {
		if s.msg != nil {
			d, _ = d.Update(s.msg)
		}
		if got := d.vp.YOffset(); got != s.want {
			t.Errorf("step %d (%v): offset %d, want %d", i, s.msg, got, s.want)
		}
	}
	if v := ansi.Strip(d.View()); !strings.Contains(v, "lines 19–30 of 42") {
		t.Errorf("no position in the footer:\n%s", v)
	}
	if d.Item().Seq != 42 {
		t.Error("Item is the inspected event")
	}
	d = d.SetSize(60, 30)
	if d.vp.YOffset() > 20 {
		t.Errorf("a taller inspector cannot scroll past the end: offset %d", d.vp.YOffset())
	}
}

func TestDetailGoldens(t *testing.T) {
	_, st, km := paneTestSetup(t)
	quote := detailItem(`{"symbol":"ACME","price":12.5,"change_pct":-0.42,"halted":false,"note":null,"tags":["tech","nasdaq"],"book":{"bid":12.49,"ask":12.51}}`)
	scrolled := newDetail(detailItem(bigJSON(30)), st, km, 50, 14)
	scrolled, _ = scrolled.Update(panePress("pgdown"))
	noID := quote
	noID.Event.ID = ""
	tests := []struct {
		name string
		d    detailModel
	}{
		{"detail_json", newDetail(quote, st, km, 60, 22)},
		{"detail_text", newDetail(detailItem("plain text payload\nsecond line\twith a tab"), st, km, 50, 12)},
		{"detail_scrolled", scrolled},
		{"detail_wrapped", newDetail(detailItem(`{"title":"`+strings.Repeat("a long headline ", 8)+`"}`), st, km, 40, 14)},
		{"detail_small", newDetail(noID, st, km, 40, 7)},
		{"detail_empty_no_id", newDetail(paneItem(1, "news", "ping", "", "", time.Time{}), st, km, 44, 13)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			viewGolden(t, tt.d.View())
		})
	}
}

// BenchmarkDetailOpen measures opening the inspector on a 1 MiB JSON event.
func BenchmarkDetailOpen(b *testing.B) {
	_, st, km := paneTestSetup(b)
	var sb strings.Builder
	sb.WriteString("[")
	for i := 0; sb.Len() < 1<<20; i++ {
		if i > 0 {
			sb.WriteString(",")
		}
		fmt.Fprintf(&sb, `{"id":%d,"name":"item %d","ok":true,"tags":["a","b"],"price":%d.5}`, i, i, i)
	}
	sb.WriteString("]")
	it := detailItem(sb.String())
	b.ReportAllocs()
	for b.Loop() {
		d := newDetail(it, st, km, 120, 40)
		_ = d.View()
	}
}
