package render

import (
	"errors"
	"testing"
)

func TestWhen(t *testing.T) {
	data := `{"host":"web-1","cpu_pct":93.5,"mem_pct":"71","ok":true,"tags":[],"n":{"x":0},"job":{"error":"disk full"}}`
	m := Meta{Feed: "metrics", Event: "metric", ID: "7"}
	tests := []struct {
		src  string
		want bool
	}{
		{"cpu_pct > 90", true},
		{"cpu_pct >= 93.5", true},
		{"cpu_pct < 90", false},
		{"cpu_pct > 90 && host == 'web-2'", false},
		{"cpu_pct > 90 and host == \"web-1\"", true},
		{"cpu_pct > 99 || mem_pct >= 70", true},
		{"mem_pct > 8", true}, // numeric text compares as a number
		{"!(cpu_pct > 90)", false},
		{"not ok", false},
		{"ok", true},
		{"tags", false},
		{"n.x", false},
		{"missing > 1", false},
		{"missing == null", true},
		{"missing != null", false},
		{"host != null", true},
		{"job.error", true},
		{"$event == 'metric' && $feed == 'metrics' && $id == '7'", true},
		{"host < 'web-2'", true},
		{"1e2 > cpu_pct", true},
		{"-5 < cpu_pct", true},
		{"a || b && false", false}, // && binds tighter
		{"(cpu_pct > 90 || false) && true", true},
	}
	for _, tt := range tests {
		w, err := ParseWhen(tt.src)
		if err != nil {
			t.Errorf("%s: %v", tt.src, err)
			continue
		}
		if got := w.Holds(data, m); got != tt.want {
			t.Errorf("%s = %v, want %v", tt.src, got, tt.want)
		}
		if w.String() != tt.src {
			t.Errorf("String() = %q", w.String())
		}
	}
	w, _ := ParseWhen("cpu_pct > 90")
	for _, bad := range []string{"", "not json", `{"cpu_pct":"NaN"}`, `[1,2`} {
		if w.Holds(bad, m) {
			t.Errorf("holds for %q", bad)
		}
	}
}

func TestWhenErrors(t *testing.T) {
	tests := []struct {
		src string
		off int
	}{
		{"cpu_pct >", 9},
		{"cpu_pct > 90 &&", 15},
		{"(cpu_pct > 90", 13},
		{"cpu_pct > 'x", 10},
		{"cpu_pct ~ 3", 8},
		{"$nope == 1", 0},
		{"a b", 2},
		{"1.2.3 > 1", 0},
	}
	for _, tt := range tests {
		_, err := ParseWhen(tt.src)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("%q: error %v, want a SyntaxError", tt.src, err)
			continue
		}
		if se.Offset != tt.off {
			t.Errorf("%q: error at %d (%v), want %d", tt.src, se.Offset, se, tt.off)
		}
	}
	deep := ""
	for range 100 {
		deep += "("
	}
	if _, err := ParseWhen(deep + "1"); err == nil {
		t.Error("deep nesting accepted")
	}
}
