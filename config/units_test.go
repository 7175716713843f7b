package config

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"
)

func TestNormalizeKey(t *testing.T) {
	good := map[string]string{
		"q": "q", "G": "G", "?": "?", "/": "/", "+": "+", " ": "space", "space": "space",
		"ctrl+c": "ctrl+c", "Ctrl+C": "ctrl+shift+c", "control+u": "ctrl+u", "shift+ctrl+x": "ctrl+shift+x",
		"alt+enter": "alt+enter", "option+x": "alt+x", "Escape": "esc", "return": "enter", "PageUp": "pgup",
		"page_down": "pgdown", "backtab": "shift+tab", "shift+tab": "shift+tab", "shift+g": "G", "F5": "f5",
		"ctrl++": "ctrl++", "é": "é", "cmd+k": "super+k", "del": "delete",
	}
	for in, want := range good {
		got, err := NormalizeKey(in)
		if err != nil || got != want {
			t.Errorf("NormalizeKey(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	bad := map[string]string{
		"": "empty", "ctrl+": "missing the key", "hyperspace+x": "unknown modifier", "ctrl+ctrl+x": "twice",
		"f99": "unknown key name", "enterr": "unknown key name", "shift+1": "the character shift produces", "\x01": "printable",
	}
	for in, want := range bad {
		if _, err := NormalizeKey(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("NormalizeKey(%q) error = %v, want %q", in, err, want)
		}
	}
}

func TestDefaultKeysAreValidAndDistinct(t *testing.T) {
	c := &Config{Keys: DefaultKeys(), Theme: DefaultTheme()}
	k := &checker{c: c}
	k.keys()
	if len(k.errs) > 0 {
		t.Errorf("default bindings: %v", k.errs)
	}
	for _, a := range Actions() {
		if len(c.Keys[a]) == 0 {
			t.Errorf("action %s has no default key", a)
		}
	}
	by := c.Keys.ByKey()
	if by["q"] != ActQuit || by["R"] != ActReconnectAll || by["ctrl+c"] != ActQuit {
		t.Errorf("ByKey = %v", by)
	}
}

func TestParseColor(t *testing.T) {
	good := map[string]string{
		"#FF5F87": "#ff5f87", "#abc": "#aabbcc", "203": "203", "0": "0", "red": "1", "Bright-Blue": "12",
		"bright_black": "8", "gray": "8", "brightwhite": "15", "default": "", "": "", " 42 ": "42",
	}
	for in, want := range good {
		got, err := ParseColor(in)
		if err != nil || got != want {
			t.Errorf("ParseColor(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"#12", "#ggg", "256", "-1", "reddish", "#1234567"} {
		if _, err := ParseColor(in); err == nil {
			t.Errorf("ParseColor(%q) accepted", in)
		}
	}
	for r, c := range DefaultTheme() {
		if n, err := ParseColor(c); err != nil || n != c {
			t.Errorf("default colour for %s %q is not normalized", r, c)
		}
	}
}

func TestExpand(t *testing.T) {
	env := envMap(map[string]string{"A": "alpha", "EMPTY": "", "B": "beta"})
	good := []struct {
		in, want string
		refs     []string
	}{
		{"plain", "plain", nil},
		{"$5 and $HOME and $", "$5 and $HOME and $", nil},
		{"${A}/x", "alpha/x", []string{"A"}},
		{"${EMPTY}", "", []string{"EMPTY"}},
		{"${EMPTY:-dflt}", "dflt", []string{"EMPTY"}},
		{"${MISSING:-}", "", []string{"MISSING"}},
		{"${MISSING:-${B}}", "beta", []string{"MISSING", "B"}},
		{"${MISSING:-a:b}", "a:b", []string{"MISSING"}},
		{"$${A}", "${A}", nil},
		{"${A}${B}", "alphabeta", []string{"A", "B"}},
	}
	for _, tt := range good {
		got, refs, issues := expand(tt.in, env)
		if got != tt.want || len(issues) > 0 || !reflect.DeepEqual(refs, tt.refs) {
			t.Errorf("expand(%q) = %q, %v, %v", tt.in, got, refs, issues)
		}
	}
	bad := []struct {
		in   string
		off  int
		want string
	}{
		{"x ${MISSING}", 2, "MISSING is not set"},
		{"${}", 0, "empty variable name"},
		{"${A-b}", 0, "unsupported form"},
		{"${A:?err}", 0, "unsupported form"},
		{"${1X}", 0, "not a variable name"},
		{"ab ${A", 3, "unclosed"},
		{"${MISSING:-${ALSO}}", 11, "ALSO is not set"},
	}
	for _, tt := range bad {
		_, _, issues := expand(tt.in, env)
		if len(issues) != 1 || issues[0].Offset != tt.off || !strings.Contains(issues[0].Msg, tt.want) {
			t.Errorf("expand(%q) issues = %+v, want offset %d %q", tt.in, issues, tt.off, tt.want)
		}
	}
	if _, _, issues := expand("${A}", nil); len(issues) != 1 {
		t.Error("a nil Env must leave variables unset")
	}
}

func TestSuggest(t *testing.T) {
	cands := []string{"columns", "max_backoff", "events", "feeds", "feed", "url"}
	tests := map[string]string{
		"colums": "columns", "coluns": "columns", "maxBackoff": "max_backoff", "max-backoff": "max_backoff",
		"evnets": "events", "URL": "url", "feds": "feeds", "zzz": "", "background": "", "u": "",
	}
	for in, want := range tests {
		if got := suggest(in, cands); got != want {
			t.Errorf("suggest(%q) = %q, want %q", in, got, want)
		}
	}
	if d := editDistance("abcd", "acbd"); d != 1 {
		t.Errorf("a swap costs %d", d)
	}
}

func TestPretty(t *testing.T) {
	e := &Error{Pos: Pos{File: "c.yaml", Line: 12, Col: 7}, Msg: "unknown key", Source: "\tkey: «値» x", Span: 3, Hint: "first\nsecond"}
	want := "c.yaml:12:7: unknown key\n" +
		" 12 |     key: «値» x\n" +
		"    |          ^~~~\n" +
		"   hint: first\n" +
		"         second\n"
	if got := e.Pretty(); got != want {
		t.Errorf("Pretty() =\n%s\nwant\n%s", got, want)
	}
	w := &Error{Pos: Pos{File: "c.yaml"}, Msg: "careful", Warning: true}
	if got := w.Pretty(); got != "c.yaml: warning: careful\n" {
		t.Errorf("Pretty() = %q", got)
	}
	if got := (&Error{Msg: "bare"}).Error(); got != "bare" {
		t.Errorf("Error() = %q", got)
	}
	list := ErrorList{e, w}
	if list.Err() == nil || len(list.Errors()) != 1 || len(list.Warnings()) != 1 {
		t.Error("ErrorList filters")
	}
	if (ErrorList{w}).Err() != nil {
		t.Error("warnings alone are not an error")
	}
}

// TestValidateHandBuilt: the TUI and tests may build configs in Go; Validate
// still catches what the parser would have.
func TestValidateHandBuilt(t *testing.T) {
	c := &Config{
		Feeds: []*Feed{{Name: "a b", URL: "ws://x", Retry: 0, MaxBackoff: 1, MaxEventSize: 0, ConnectTimeout: -1,
			Headers: map[string]string{"X-Ok": "line\nbreak"}}},
		Panes: []*Pane{
			{ID: "t", Type: Table, Max: 1, Columns: []*Column{{Title: "c", Spark: 1, Align: "middle", Color: ColorRule{Mode: ColorFixed, Role: "nope"}}}},
			{ID: "l", Type: "grid", Max: 0, Feeds: []string{"b"}, Events: []string{"["}},
		},
		Layout: Layout{Rows: []Row{{Cells: []Cell{{Pane: "t", Weight: 0}, {Pane: "ghost", Weight: 1}}, Weight: 1}}},
		Theme:  Theme{RoleGain: "Red", "nope": "1"},
		Keys:   Keys{ActQuit: {"Q"}, ActHelp: {"Q"}, ActClear: {"ctrl+c"}, "fly": {"f"}, ActZoom: {"Escape"}},
	}
	err := c.Validate()
	if err == nil {
		t.Fatal("Validate accepted a broken config")
	}
	text := err.Error()
	for _, want := range []string{
		`feed name "a b"`, `not ws://`, "retry of feed", "max_event_size", "connect_timeout", "must be one line",
		`pane "t" is a table but has no key`, "spark of column 1", "align of column 1", `unknown theme role "nope"`,
		`unknown type "grid"`, `unknown feed "b"`, `"[" of pane "l"`, "max of pane", "weight of pane \"t\"",
		`names pane "ghost"`, `pane "l" is not in the layout`, `colour "Red" is not normalized`, `theme: unknown role "nope"`,
		`key "Q" is bound to`, "ctrl+c always quits", `unknown action "fly"`, `"Escape" is spelt "esc"`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("Validate did not report %q", want)
		}
	}
}

func TestExplainGolden(t *testing.T) {
	for _, name := range []string{"default", "readme-example", "router"} {
		t.Run(name, func(t *testing.T) {
			var cfg *Config
			switch name {
			case "default":
				c, err := Load(Location{}, testEnv())
				if err != nil {
					t.Fatal(err)
				}
				cfg = c
			case "readme-example":
				c, err := Load(Location{Path: "testdata/readme-example.yaml"}, testEnv())
				if err != nil {
					t.Fatal(err)
				}
				cfg = c
			case "router":
				cfg = routerConfig(t)
			}
			var b bytes.Buffer
			if err := Explain(&b, cfg); err != nil {
				t.Fatal(err)
			}
			golden.RequireEqual(t, b.String())
		})
	}
}

// TestExplainKeys: the key reference lists every section and key the
// schema has, with the defaults the decoder applies.
func TestExplainKeys(t *testing.T) {
	var b bytes.Buffer
	if err := ExplainKeys(&b); err != nil {
		t.Fatal(err)
	}
	golden.RequireEqual(t, b.String())
	f := defaults(feedFields(), &Feed{})
	for _, want := range []string{
		"Default " + showDuration(f.Retry) + ".", "Default " + showSize(f.MaxEventSize) + ".",
		"  url              text, required\n", "  align        one of left, right, center, auto\n",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("ExplainKeys lacks %q", want)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(DefaultYAML()))
	f.Add([]byte("feeds: {a: {url: 'http://h/'}}\npanes: [{id: p, type: table, key: k, columns: [{path: x, format: '%d'}]}]\nlayout: [[p: 2]]\n"))
	f.Add([]byte("x: &a [*a]\n"))
	f.Add([]byte("feeds:\n  a: &x\n    <<: *x\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, problems := Check(bytes.NewReader(data), Options{Name: "fuzz.yaml", Env: testEnv()})
		for _, p := range problems {
			_ = p.Pretty()
		}
		if cfg != nil && len(problems.Errors()) == 0 {
			var b bytes.Buffer
			if err := Explain(&b, cfg); err != nil {
				t.Fatal(err)
			}
			for _, f := range cfg.Feeds {
				_ = cfg.Route(f.Name, "message")
			}
		}
	})
}

// TestAliasBomb: nested aliases that would expand to billions of values end
// with an error instead of exhausting memory or time.
func TestAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("x-0: &l0 { retry: 1s }\n")
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&b, "x-%d: &l%d [", i, i)
		for j := 0; j < 10; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "*l%d", i-1)
		}
		b.WriteString("]\n")
	}
	b.WriteString("feeds:\n  a:\n    url: http://127.0.0.1:1/\n    <<: *l9\n")
	_, problems := Check(strings.NewReader(b.String()), Options{Name: "bomb.yaml"})
	if !strings.Contains(pretty(problems), "too many values") {
		t.Errorf("problems:\n%s", pretty(problems))
	}
}

func TestDeepNesting(t *testing.T) {
	src := "feeds:\n  a:\n    url: http://127.0.0.1:1/\n    headers: " + strings.Repeat("{a: ", 200) + "1" + strings.Repeat("}", 200) + "\n"
	_, problems := Check(strings.NewReader(src), Options{Name: "deep.yaml"})
	if len(problems.Errors()) == 0 {
		t.Error("deeply nested headers accepted")
	}
}
