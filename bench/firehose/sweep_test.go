package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestParseRates(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want []float64
		ok   bool
	}{
		{"100,1000, 10000,1e5", []float64{100, 1000, 10000, 100000}, true},
		{"1000", []float64{1000}, true},
		{"100,,1000", nil, false},
		{"0", nil, false},
		{"-5", nil, false},
		{"fast", nil, false},
	} {
		got, err := parseRates(tt.in)
		if (err == nil) != tt.ok || len(got) != len(tt.want) {
			t.Errorf("parseRates(%q) = %v, %v", tt.in, got, err)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("parseRates(%q)[%d] = %v, want %v", tt.in, i, got[i], tt.want[i])
			}
		}
	}
}

// The sweep's summary takes the median of each rate's runs and compares
// its CPU with the median at 10,000 events/s.
func TestWriteSweepMediansAndRatio(t *testing.T) {
	rep := func(rate, cpu, bytes float64) *Report {
		return &Report{Rate: rate, CPUSteadyPct: cpu, TermBytesSteadyPS: bytes, FramesSteadyPS: 5, PeakRSSMB: 25}
	}
	reps := []*Report{
		rep(1000, 4, 9000), rep(10000, 10, 8000),
		rep(1000, 6, 9500), rep(10000, 12, 8100),
		rep(1000, 20, 9900), rep(10000, 11, 8200),
	}
	var out bytes.Buffer
	writeSweep(&out, reps)
	s := out.String()
	_, medians, ok := strings.Cut(s, "medians per rate:")
	if !ok {
		t.Fatalf("no medians in\n%s", s)
	}
	// 1000/s: CPU median 6 of the 10k median 11 = 55%; bytes median 9500.
	if !strings.Contains(medians, "55%") || !strings.Contains(medians, "9500") || !strings.Contains(medians, "100%") {
		t.Errorf("medians wrong:\n%s", medians)
	}
	if n := strings.Count(s, "\n"); n < 10 {
		t.Errorf("want a line per run and per rate, got\n%s", s)
	}
}
