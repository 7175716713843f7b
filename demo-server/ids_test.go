package demoserver

import (
	"maps"
	"testing"
)

func TestParseLastEventID(t *testing.T) {
	one := []string{TopicStocks}
	two := []string{TopicStocks, TopicNews}
	for _, tc := range []struct {
		raw   string
		names []string
		want  map[string]uint64 // nil: not ours
	}{
		{"120", one, map[string]uint64{"stocks": 120}},
		{"0", one, map[string]uint64{"stocks": 0}},
		{"18446744073709551615", one, map[string]uint64{"stocks": 1<<64 - 1}},
		{"18446744073709551616", one, nil},
		{"120", two, nil}, // ambiguous
		{"stocks:120,news:33", two, map[string]uint64{"stocks": 120, "news": 33}},
		{"news:33,stocks:120", two, map[string]uint64{"stocks": 120, "news": 33}},
		{"stocks:120", two, map[string]uint64{"stocks": 120}},
		{"stocks:120,sports:4", one, map[string]uint64{"stocks": 120, "sports": 4}},
		{"", one, nil},
		{"+1", one, nil},
		{"-1", one, nil},
		{"1e3", one, nil},
		{"0x10", one, nil},
		{"stocks:", two, nil},
		{":5", two, nil},
		{"stocks:5,", two, nil},
		{"stocks:5,,news:1", two, nil},
		{"stocks:5;news:1", two, nil},
		{"Stocks:5", two, nil},
		{"weather:5", two, nil},
		{"stocks:5,stocks:6", two, nil},
		{"stocks: 5", two, nil},
		{"stocks:٣", two, nil},
	} {
		got, ok := parseLastEventID(tc.raw, tc.names)
		if ok != (tc.want != nil) || !maps.Equal(got, tc.want) {
			t.Errorf("parseLastEventID(%q, %v) = %v, %v; want %v", tc.raw, tc.names, got, ok, tc.want)
		}
	}
}

func TestVectorIDRoundTrip(t *testing.T) {
	names := []string{TopicNews, TopicStocks, TopicSports}
	id := string(appendVectorID(nil, names, []uint64{33, 120, 0}))
	if id != "news:33,stocks:120,sports:0" {
		t.Fatalf("id %q", id)
	}
	got, ok := parseLastEventID(id, names)
	if !ok || !maps.Equal(got, map[string]uint64{"news": 33, "stocks": 120, "sports": 0}) {
		t.Fatalf("parsed back as %v, %v", got, ok)
	}
}

func TestRing(t *testing.T) {
	r := newRing(3)
	if evs, ok := r.after(0, 0); !ok || len(evs) != 0 || r.oldest() != 0 {
		t.Fatalf("empty ring: %v %v %d", evs, ok, r.oldest())
	}
	for seq := uint64(1); seq <= 5; seq++ {
		r.push(&event{seq: seq})
	}
	if r.oldest() != 3 {
		t.Fatalf("oldest = %d, want 3", r.oldest())
	}
	for _, tc := range []struct {
		after uint64
		want  []uint64
		ok    bool
	}{
		{5, nil, true},
		{4, []uint64{5}, true},
		{2, []uint64{3, 4, 5}, true},
		{1, nil, false},
		{0, nil, false},
	} {
		evs, ok := r.after(tc.after, 5)
		var seqs []uint64
		for _, e := range evs {
			seqs = append(seqs, e.seq)
		}
		if ok != tc.ok || len(seqs) != len(tc.want) || (len(seqs) > 0 && seqs[0] != tc.want[0]) {
			t.Errorf("after(%d) = %v, %v; want %v, %v", tc.after, seqs, ok, tc.want, tc.ok)
		}
	}
	empty := newRing(0)
	empty.push(&event{seq: 1})
	if _, ok := empty.after(0, 1); ok {
		t.Error("a ring of size 0 claims to hold events")
	}
}
