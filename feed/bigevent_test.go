package feed

import (
	"context"
	"net/http"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// heapPeak samples the bytes of heap objects (live and not yet swept) until
// stop is closed, and returns the highest value seen.
func heapPeak(stop <-chan struct{}) <-chan uint64 {
	out := make(chan uint64, 1)
	go func() {
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		var peak uint64
		t := time.NewTicker(100 * time.Microsecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			peak = max(peak, s[0].Value.Uint64())
			select {
			case <-stop:
				out <- peak
				return
			case <-t.C:
			}
		}
	}()
	return out
}

// One big event must not cost much more than itself: issue 11 saw a 10 MB
// event take a process to 95 MB (carry, data buffer and the event's string
// all held at once, and kept after the event).
func TestBigEventPeakMemory(t *testing.T) {
	const size = 10 << 20
	var sent atomic.Bool
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if sent.Swap(true) {
			<-r.Context().Done()
			return
		}
		sse(w, "id: big-1\nevent: blob\ndata: ")
		chunk := []byte(strings.Repeat("x", 64<<10))
		for n := 0; n < size; n += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
		_, _ = w.Write([]byte("\n\n"))
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	}))
	f, err := New("big", Options{URL: srv.URL, MaxEventSize: 16 << 20})
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	base := heapPeak(closedChan())
	baseline := <-base

	stop := make(chan struct{})
	peakc := heapPeak(stop)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ch := make(chan Batch, 4)
	done := make(chan struct{})
	go func() { defer close(done); f.Run(ctx, ch) }()
	deadline := time.After(20 * time.Second)
	got := 0
	for got == 0 {
		select {
		case b := <-ch:
			for _, e := range b.Events {
				if len(e.Data) != size || e.Type != "blob" || e.ID != "big-1" {
					t.Fatalf("event: type %q id %q %d bytes", e.Type, e.ID, len(e.Data))
				}
				got++
			}
		case <-deadline:
			t.Fatal("no event within 20s")
		}
	}
	close(stop)
	peak := <-peakc
	cancel()
	<-done

	grew := int64(peak) - int64(baseline)
	t.Logf("heap objects: baseline %.1f MB, peak %.1f MB, +%.2f× the event", float64(baseline)/1e6, float64(peak)/1e6, float64(grew)/size)
	if grew > 3*size {
		t.Errorf("heap peaked %.2f× the event's size, want ≤ 3×", float64(grew)/size)
	}
	// After the event the parser keeps no big buffer.
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	if held := int64(ms.HeapAlloc) - int64(baseline); held > size/2 {
		t.Errorf("%.1f MB still held after the event was delivered and dropped", float64(held)/1e6)
	}
}

func closedChan() chan struct{} { c := make(chan struct{}); close(c); return c }
