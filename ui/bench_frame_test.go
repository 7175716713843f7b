package ui

import (
	"fmt"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	uv "github.com/charmbracelet/ultraviolet"

	"github.com/livefeed/livefeed/feed"
)

// marketsYAML is bench/firehose's "markets" dashboard: a ticker, a table
// keyed by symbol, a trade list and a catch-all log over three feeds
// (bench/firehose's TestUIMarketsIsTheMarketsDashboard keeps the file the
// same as what the harness runs).
func marketsYAML(tb testing.TB) string {
	tb.Helper()
	b, err := os.ReadFile("testdata/markets.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

// marketsEvents makes n events of bench/firehose's mix (quotes for 20
// symbols, a trade in 25, a headline and a status event in 100) from seq on.
func marketsEvents(rng *rand.Rand, seq, n int) []feed.Event {
	syms := []string{"AAPL", "MSFT", "GOOGL", "AMZN", "NVDA", "META", "TSLA", "JPM", "V", "NFLX",
		"AMD", "DIS", "INTC", "ORCL", "CRM", "ADBE", "PEP", "KO", "XOM", "WMT"}
	evs := make([]feed.Event, n)
	for i := range evs {
		s := seq + i
		sym := syms[rng.IntN(len(syms))]
		price := 100 + rng.Float64()*50
		id := fmt.Sprint(s)
		switch {
		case s%100 == 0:
			evs[i] = feed.Event{Type: "headline", ID: id, Data: fmt.Sprintf(`{"symbol":%q,"title":"%s trades at %.2f","source":"Wire"}`, sym, sym, price)}
		case s%100 == 50:
			evs[i] = feed.Event{Type: "status", ID: id, Data: fmt.Sprintf(`{"market":"open","seq":%d,"latency_ms":%d}`, s, 1+rng.IntN(20))}
		case s%25 == 7:
			evs[i] = feed.Event{Type: "trade", ID: id, Data: fmt.Sprintf(`{"symbol":%q,"side":"buy","qty":%d,"price":%.2f,"level":"info"}`, sym, 100*(1+rng.IntN(100)), price)}
		default:
			evs[i] = feed.Event{Type: "quote", ID: id, Data: fmt.Sprintf(`{"symbol":%q,"price":%.2f,"change_pct":%.2f,"volume":%d}`, sym, price, rng.Float64()*4-2, 100000+rng.IntN(1000000))}
		}
	}
	return evs
}

// termSim does what bubbletea's renderer does with each new View (v2.1.1,
// cursedRenderer.flush): parse the whole string into cells, then diff the
// cells against the screen and write the changes. It counts the bytes.
type termSim struct {
	buf   uv.ScreenBuffer
	scr   *uv.TerminalRenderer
	last  string
	bytes int
}

type countWriter struct{ n *int }

func (w countWriter) Write(p []byte) (int, error) { *w.n += len(p); return len(p), nil }

func newTermSim(w, h int) *termSim {
	t := &termSim{buf: uv.NewScreenBuffer(w, h)}
	t.scr = uv.NewTerminalRenderer(countWriter{&t.bytes}, []string{"TERM=xterm-256color"})
	t.scr.SetFullscreen(true)
	t.scr.Resize(w, h)
	return t
}

func (t *termSim) flush(content string) {
	if content == t.last {
		return // bubbletea compares the views first
	}
	t.last = content
	t.buf.Clear()
	uv.NewStyledString(content).Draw(t.buf, t.buf.Bounds())
	t.scr.Render(t.buf.RenderBuffer)
	_ = t.scr.Flush()
}

// marketsModel is the markets dashboard at 120×36 with every feed open and
// secs seconds of traffic at rate events/s behind it, on a clock the
// benchmark moves.
func marketsModel(b testing.TB, rate, secs int) (*Model, *time.Time, *rand.Rand, *termSim) {
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	m := New(Options{Config: parseConfig(b, "markets.yaml", marketsYAML(b)), Clock: func() time.Time { return now }, Start: now})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 36})
	m.Update(batchMsg{batches: []feed.Batch{status("f1", feed.Open), status("f2", feed.Open), status("f3", feed.Open)}})
	rng := rand.New(rand.NewPCG(1, 2))
	seq := 1
	for range secs * 4 {
		now = now.Add(250 * time.Millisecond)
		n := rate / 4
		m.Update(batchMsg{batches: []feed.Batch{{Feed: "f1", Time: now, Events: marketsEvents(rng, seq, n)}}, events: n, at: now})
		seq += n
		m.Update(tickMsg(now))
	}
	now = now.Add(5 * time.Second) // flashes over, feeds quiet
	m.Update(tickMsg(now))
	t := newTermSim(120, 36)
	t.flush(m.View().Content)
	t.bytes = 0 // the first screen is not a frame of the benchmark
	return m, &now, rng, t
}

// BenchmarkFrameFocus is a focus change on a quiet dashboard, as the
// firehose harness presses Tab and Shift-Tab every 250 ms: the model's
// Update and View, then bubbletea's renderer's work for the new view.
func BenchmarkFrameFocus(b *testing.B) { benchFocus(b, true) }

// BenchmarkModelFocus is BenchmarkFrameFocus without the renderer: the
// model's Update alone.
func BenchmarkModelFocus(b *testing.B) { benchFocus(b, false) }

func benchFocus(b *testing.B, renderer bool) {
	m, now, _, t := marketsModel(b, 1000, 5)
	keys := []tea.KeyPressMsg{press("tab"), press("shift+tab")}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		*now = now.Add(250 * time.Millisecond)
		m.Update(keys[i%2])
		if renderer {
			t.flush(m.View().Content)
		}
	}
	if renderer {
		b.ReportMetric(float64(t.bytes)/float64(b.N), "termB/op")
	}
}

// BenchmarkFrameIdleTick is the 100 ms tick on a quiet dashboard.
func BenchmarkFrameIdleTick(b *testing.B) {
	m, now, _, t := marketsModel(b, 1000, 5)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		*now = now.Add(tickInterval)
		m.Update(tickMsg(*now))
		t.flush(m.View().Content)
	}
	b.ReportMetric(float64(t.bytes)/float64(b.N), "termB/op")
}

// BenchmarkFrameBusySecond is one second at 1,000 events/s as the model
// sees it: a delivery every 100 ms (the ingest interval) and a tick every
// 100 ms, each followed by the renderer, and a key every 250 ms.
func BenchmarkFrameBusySecond(b *testing.B) {
	m, now, rng, t := marketsModel(b, 1000, 5)
	keys := []tea.KeyPressMsg{press("tab"), press("shift+tab")}
	pre := make([][]feed.Event, 64)
	for i := range pre {
		pre[i] = marketsEvents(rng, 1_000_000+100*i, 100)
	}
	b.ReportAllocs()
	b.ResetTimer()
	k := 0
	for range b.N {
		for step := range 10 {
			*now = now.Add(50 * time.Millisecond)
			m.Update(batchMsg{batches: []feed.Batch{{Feed: "f1", Time: *now, Events: pre[(k+step)%len(pre)]}}, events: 100, at: *now})
			t.flush(m.View().Content)
			if step%5 == 2 || step%5 == 4 {
				m.Update(keys[k%2])
				k++
				t.flush(m.View().Content)
			}
			*now = now.Add(50 * time.Millisecond)
			m.Update(tickMsg(*now))
			t.flush(m.View().Content)
		}
	}
	b.ReportMetric(float64(t.bytes)/float64(b.N), "termB/op")
}
