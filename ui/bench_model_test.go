package ui

import (
	"fmt"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

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
