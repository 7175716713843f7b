package ui

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/livefeed/livefeed/config"
	"github.com/livefeed/livefeed/feed"
)

// BenchmarkModelFrame measures the UI's share of a firehose: one frame's
// worth of events at 100,000 events/s over three feeds (1,667 events at 60
// frames/s) routed into the demo dashboard's panes, then the frame drawn.
// CPU share of one core at 100k events/s ≈ ns/op × 60 / 1e9.
func BenchmarkModelFrame(b *testing.B) {
	cfg := demoConfig(b)
	m := New(Options{Config: cfg})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 36})
	const perFrame = 100_000 / 60
	syms := []string{"AAPL", "MSFT", "GOOGL", "AMZN", "NVDA", "META", "TSLA", "JPM", "V", "NFLX", "AMD", "DIS"}
	mk := func(frame int) batchMsg {
		now := time.Now()
		var msg batchMsg
		// Reads of ~50 events, as a busy connection delivers them.
		for r := 0; r < perFrame/50; r++ {
			evs := make([]feed.Event, 50)
			f := []string{"stocks", "sports", "news"}[r%3]
			for i := range evs {
				n := frame*perFrame + r*50 + i
				switch f {
				case "stocks":
					evs[i] = quote(n, syms[n%len(syms)], 100+float64(n%500)/10, float64(n%7)-3, 0.5, 1000+n)
				case "sports":
					evs[i] = feed.Event{Type: "score", ID: fmt.Sprint(n), Data: fmt.Sprintf(
						`{"match_id":%d,"league":"Premier League","home":"Arsenal","away":"Chelsea","home_score":%d,"away_score":1,"minute":%d,"status":"2H"}`, n%8, n%5, n%90)}
				default:
					evs[i] = feed.Event{Type: []string{"headline", "notification"}[n%2], ID: fmt.Sprint(n), Data: fmt.Sprintf(
						`{"source":"City Desk","title":"Story number %d","body":"details","level":"info"}`, n)}
				}
			}
			msg.batches = append(msg.batches, feed.Batch{Feed: f, Time: now, Events: evs})
		}
		return msg
	}
	frames := make([]batchMsg, 16)
	for i := range frames {
		frames[i] = mk(i)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m.Update(frames[i%len(frames)])
		m.View()
	}
	b.ReportMetric(float64(perFrame), "events/op")
}

// BenchmarkLogHeldMemory measures what a log that takes a firehose holds:
// 200,000 events of the firehose benchmark's shape (~100 bytes, id and data
// in one string as the parser makes them) into a log with max: 1000000,
// then the live heap after a GC. It reports the events held and the heap
// they take (issue 9's memory case; the byte bound, not max:, decides).
func BenchmarkLogHeldMemory(b *testing.B) {
	now := time.Now()
	for range b.N {
		b.StopTimer()
		var ms runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&ms)
		base := ms.HeapAlloc
		p := newPane(&config.Pane{ID: "log", Type: config.Log, Max: 1_000_000}, nil, NewKeyMap(config.Keys{}))
		b.StartTimer()
		for r := range 100 {
			items := make([]Item, 2000)
			for i := range items {
				n := r*2000 + i
				s := fmt.Sprintf(`%06d{"symbol":"AAPL","price":%d.25,"change_pct":0.12,"volume":123456,"bid":1.5,"ask":1.6}`, n, n)
				items[i] = Item{Seq: uint64(n), Feed: "f1", Time: now, Event: feed.Event{Type: "quote", ID: s[:6], Data: s[6:]}}
			}
			p.Add(items)
		}
		b.StopTimer()
		runtime.GC()
		runtime.ReadMemStats(&ms)
		b.ReportMetric(float64(p.Len()), "events-held")
		b.ReportMetric(float64(ms.HeapAlloc-base)/1e6, "heap-MB")
		runtime.KeepAlive(p)
		b.StartTimer()
	}
}
