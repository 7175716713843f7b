package main

import (
	"testing"

	"github.com/livefeed/livefeed/feed"
)

// The clients are told to stop after the count marketStream returns, so it
// must be exactly the number of events a browser would dispatch.
func TestMarketStreamEventCount(t *testing.T) {
	body, n := marketStream(200_000)
	if len(body) < 200_000 {
		t.Fatalf("stream is %d bytes, want at least 200000", len(body))
	}
	got := 0
	p := feed.NewParser(0, func(feed.Event) { got++ }, nil)
	if err := p.Write(body); err != nil {
		t.Fatal(err)
	}
	if got != n {
		t.Errorf("marketStream says %d events, the parser dispatched %d", n, got)
	}
}

func TestSizeFlag(t *testing.T) {
	for in, want := range map[string]int{"10MB": 10e6, "10MiB": 10 << 20, "4096": 4096, "2kB": 2000, "3KiB": 3 << 10} {
		var n int
		if err := (sizeFlag{&n}).Set(in); err != nil || n != want {
			t.Errorf("Set(%q) = %d, %v; want %d", in, n, err, want)
		}
	}
	var n int
	for _, bad := range []string{"", "-1", "MB", "1.5MB"} {
		if err := (sizeFlag{&n}).Set(bad); err == nil {
			t.Errorf("Set(%q) accepted", bad)
		}
	}
}
