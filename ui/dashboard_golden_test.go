package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/livefeed/livefeed/config"
	"github.com/livefeed/livefeed/feed"
)

// tableLogYAML is the smallest useful dashboard: one table, one log.
const tableLogYAML = `
feeds:
  stocks: { url: "http://127.0.0.1:9/events/stocks" }
panes:
  - id: prices
    type: table
    title: Stocks
    events: [quote]
    key: symbol
    columns:
      - { title: Symbol, path: symbol }
      - { title: Price, path: price, format: "%.2f" }
      - { title: Change, path: change, format: "%+.2f", color: sign }
      - { title: Chg %, path: change_pct, format: percent, color: sign }
      - { title: Volume, path: volume, format: compact }
      - { title: Trend, path: price, spark: 20 }
  - id: raw
    type: log
    title: Raw events
layout:
  - [prices]
  - [raw]
`

// demoTraffic is six seconds of demo-server-like traffic, a batch every
// half second: 11 stocks, 4 matches with goals, notifications, headlines
// and events no pane takes. It is deterministic.
func demoTraffic(t0 time.Time) []batchMsg {
	syms := []string{"AAPL", "MSFT", "NVDA", "TSLA", "AMZN", "META", "GOOGL", "JPM", "V", "NFLX", "AMD"}
	base := []float64{227.9, 414.0, 119.8, 241.9, 185.6, 532.6, 169.6, 212.9, 281.8, 705.6, 150.4}
	matches := []struct{ league, home, away string }{
		{"Premier League", "Arsenal", "Chelsea"}, {"La Liga", "Sevilla", "Valencia"},
		{"Serie A", "Juventus", "Lazio"}, {"Bundesliga", "Dortmund", "Leipzig"},
	}
	notes := []map[string]any{
		{"level": "warning", "title": "Maintenance", "body": "API read-only at 18:00"},
		{"level": "success", "title": "Backfill complete", "body": "Recovered 161 missed events"},
		{"level": "error", "title": "Slow consumer", "body": "A subscriber fell 48 events behind"},
		{"level": "info", "title": "High volatility", "body": "NVDA moved 5.9% in the last minute"},
	}
	heads := []string{"Harbour bridge reopens after repairs", "Rates held for a third month", "Night trains return to the north line"}
	var out []batchMsg
	seq := 0
	for f := range 12 {
		at := t0.Add(time.Duration(f) * 500 * time.Millisecond)
		var stocks, sports, news []feed.Event
		for k := range 4 {
			i := (f*4 + k) % len(syms)
			seq++
			d := float64((f*7+k*3)%9-4) / 10
			stocks = append(stocks, jsonEvent("quote", fmt.Sprint(seq), map[string]any{
				"symbol": syms[i], "price": base[i] + d*float64(f%3+1), "change": d, "change_pct": d / 2,
				"volume": 400000 + 350000*i + 1000*f,
				"time":   at.Add(-time.Duration(k) * 100 * time.Millisecond).Format(time.RFC3339Nano),
			}))
		}
		mi := f % len(matches)
		mm := matches[mi]
		seq++
		sports = append(sports, jsonEvent("score", fmt.Sprint(seq), map[string]any{
			"match_id": 1000 + mi, "league": mm.league, "home": mm.home, "away": mm.away,
			"home_score": f / 5, "away_score": (f + mi) / 7, "minute": 20 + 5*f + mi, "status": []string{"1H", "2H", "HT", "1H"}[mi],
		}))
		if f%5 == 4 {
			seq++
			sports = append(sports, jsonEvent("goal", fmt.Sprint(seq), map[string]any{"team": mm.home, "player": "Saka", "minute": 20 + 5*f}))
		}
		if f%3 == 0 {
			seq++
			news = append(news, jsonEvent("notification", fmt.Sprint(seq), notes[(f/3)%len(notes)]))
			seq++
			news = append(news, jsonEvent("headline", fmt.Sprint(seq), map[string]any{"source": "City Desk", "title": heads[(f/3)%len(heads)]}))
		}
		seq++
		news = append(news, jsonEvent("weather", fmt.Sprint(seq), map[string]any{"city": "Oslo", "temp": f - 4}))
		seq++
		sports = append(sports, jsonEvent("heartbeat", fmt.Sprint(seq), map[string]any{"uptime_s": 3600 + f}))
		b := batchMsg{batches: []feed.Batch{events("stocks", at, stocks...), events("sports", at, sports...), events("news", at, news...)}}
		if f == 0 {
			b.batches = append([]feed.Batch{status("stocks", feed.Open), status("sports", feed.Open), status("news", feed.Open)}, b.batches...)
		}
		out = append(out, b)
	}
	return out
}

// runDashboard plays demoTraffic into a model of the given size and
// returns it at the end, after the layout has settled on the content.
func runDashboard(t *testing.T, cfg *config.Config, w, h int) *Model {
	t.Helper()
	t0 := testNow.Add(-6 * time.Second)
	now := t0
	m := New(Options{Config: cfg, Clock: func() time.Time { return now }, Start: t0.Add(-time.Second)})
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	for _, b := range demoTraffic(t0) {
		now = b.batches[len(b.batches)-1].Time
		m.Update(b)
		m.Update(tickMsg(now))
	}
	now = testNow
	m.Update(tickMsg(now))
	return m
}

// TestDashboardGoldens: the built-in demo dashboard and a one table + one
// log dashboard at 80×24, 120×36 and 200×60, ANSI-stripped.
func TestDashboardGoldens(t *testing.T) {
	configs := []struct {
		name string
		yaml string
	}{
		{"demo", string(config.DefaultYAML())},
		{"table_log", tableLogYAML},
	}
	for _, c := range configs {
		for _, size := range [][2]int{{80, 24}, {120, 36}, {200, 60}} {
			t.Run(fmt.Sprintf("%s_%dx%d", c.name, size[0], size[1]), func(t *testing.T) {
				m := runDashboard(t, parseConfig(t, c.name+".yaml", c.yaml), size[0], size[1])
				got := screen(m)
				checkScreenSize(t, got, size[0], size[1])
				golden.RequireEqual(t, got+"\n")
			})
		}
	}
}

// TestDemoAt80x24 is 80×24 as a first-class size: every pane of the demo
// dashboard is on screen with its most important columns.
func TestDemoAt80x24(t *testing.T) {
	m := runDashboard(t, parseConfig(t, "demo.yaml", string(config.DefaultYAML())), 80, 24)
	s := screen(m)
	if len(m.layout.Hidden) > 0 {
		t.Errorf("panes hidden at 80×24: %v", m.layout.Hidden)
	}
	for _, want := range []string{"Stocks", "Symbol", "Price", "Change", "Live scores", "Home", "Score", "Away", "Alerts", "Raw events", "NVDA", "Arsenal", "headlines"} {
		if !strings.Contains(s, want) {
			t.Errorf("80×24 lacks %q:\n%s", want, s)
		}
	}
	for _, r := range m.layout.Rows {
		if r.Collapsed {
			t.Errorf("a row is collapsed to its title at 80×24:\n%s", s)
		}
	}
}
