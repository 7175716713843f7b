package ui

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/livefeed/livefeed/config"
)

// opsTestYAML holds one pane of each kind the Ops page uses.
const opsTestYAML = `
feeds:
  jobs: { url: "http://127.0.0.1:1/events/jobs" }
  metrics: { url: "http://127.0.0.1:1/events/metrics" }
panes:
  - id: jobs
    type: progress
    title: Jobs
    feed: jobs
    key: job_id
    label: "{name}"
    percent: percent
    stage: stage
    eta: eta_s
    complete_on: [complete]
    fail_on: [failed]
    linger: 30s
    max: 4
  - id: units
    type: progress
    feed: jobs
    key: job_id
    done: done
    total: total
  - id: cpu
    type: chart
    title: CPU by host
    feed: metrics
    series: [cpu_pct]
    split_by: host
    y_range: [0, 100]
    format: "%.0f%%"
    window: 1m
  - id: load
    type: chart
    feed: metrics
    series: [rps, p99_ms]
    format: compact
    window: 1m
  - id: hosts
    type: stat
    title: CPU
    feed: metrics
    value: cpu_pct
    split_by: host
    format: "%.0f%%"
    thresholds: { warning: 70, error: 90 }
    spark: 8
  - id: total
    type: stat
    feed: metrics
    value: rps
    format: compact
`

func opsTestPane(t testing.TB, id string) pane {
	t.Helper()
	cfg, problems := config.Check(strings.NewReader(opsTestYAML), config.Options{Name: "ops.yaml"})
	if errs := problems.Errors(); len(errs) > 0 || cfg == nil {
		t.Fatalf("test config: %v", errs)
	}
	p := cfg.Pane(id)
	if p == nil {
		t.Fatalf("no pane %q", id)
	}
	return newPane(p, NewStyles(cfg.Theme), NewKeyMap(cfg.Keys))
}

func jobEvent(seq uint64, typ, data string, at time.Duration) Item {
	return paneItem(seq, "jobs", typ, fmt.Sprint(seq), data, paneAt(at))
}

func progressOf(id, name string, pct float64, stage string, eta float64) string {
	return fmt.Sprintf(`{"job_id":%q,"name":%q,"percent":%g,"done":%d,"total":200,"stage":%q,"eta_s":%g}`, id, name, pct, int(pct*2), stage, eta)
}

// jobsScene is three jobs started one after the other: one finishes, one
// fails, one still runs.
func jobsScene() []Item {
	return []Item{
		jobEvent(1, "progress", progressOf("j1", "export", 10, "dump", 40), 0),
		jobEvent(2, "progress", progressOf("j2", "build", 5, "compile", 90), time.Second),
		jobEvent(3, "progress", progressOf("j3", "backup", 20, "snapshot", 30), 2*time.Second),
		jobEvent(4, "progress", progressOf("j1", "export", 60, "upload", 12), 10*time.Second),
		jobEvent(5, "progress", progressOf("j2", "build", 45, "link", 20), 10*time.Second),
		jobEvent(6, "complete", `{"job_id":"j3","name":"backup","duration_s":8,"result":"ok"}`, 10*time.Second),
		jobEvent(7, "failed", `{"job_id":"j2","name":"build","error":"disk full on /var"}`, 12*time.Second),
	}
}

func TestProgressGoldens(t *testing.T) {
	now := paneAt(15 * time.Second)
	focused := withItems(opsTestPane(t, "jobs"), jobsScene())
	focused.Update(panePress("down"))
	tests := []struct {
		name string
		p    pane
		vs   viewState
	}{
		{"progress_empty", opsTestPane(t, "jobs"), viewState{Width: 60, Height: 4, Now: now}},
		{"progress_wide", withItems(opsTestPane(t, "jobs"), jobsScene()), viewState{Width: 100, Height: 6, Now: now}},
		{"progress_narrow", withItems(opsTestPane(t, "jobs"), jobsScene()), viewState{Width: 34, Height: 6, Now: now}},
		{"progress_dimmed", withItems(opsTestPane(t, "jobs"), jobsScene()), viewState{Width: 80, Height: 6, Dimmed: true, Note: "CLOSED · last event 3s ago", Now: now}},
		{"progress_focused", focused, viewState{Width: 80, Height: 6, Focused: true, Now: now}},
		{"progress_failed_job", withItems(opsTestPane(t, "jobs"), jobsScene()[6:]), viewState{Width: 80, Height: 4, Now: now}},
		{"progress_done_total", withItems(opsTestPane(t, "units"), jobsScene()[:5]), viewState{Width: 90, Height: 5, Now: now}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			paneCheckBox(t, tt.name, tt.p.Render(tt.vs), tt.vs.Width, tt.vs.Height)
			viewGolden(t, tt.p.Render(tt.vs))
		})
	}
}

func TestProgressOrderLingerAndBound(t *testing.T) {
	p := withItems(opsTestPane(t, "jobs"), jobsScene()).(*progressPane)
	order := func(now time.Duration) string {
		var keys []string
		for _, j := range p.sorted(paneAt(now)) {
			keys = append(keys, fmt.Sprintf("%s:%d", j.key, j.state))
		}
		return strings.Join(keys, " ")
	}
	// Running first (newest on top), then finished, latest ended first.
	if got, want := order(15*time.Second), "j1:0 j2:2 j3:1"; got != want {
		t.Errorf("order %q, want %q", got, want)
	}
	if got, want := p.jobs["j2"].err, "disk full on /var"; got != want {
		t.Errorf("error %q, want %q", got, want)
	}
	// j3 ended at 10s, j2 at 12s; linger is 30s.
	if got, want := order(40*time.Second), "j1:0 j2:2"; got != want {
		t.Errorf("after 40s: %q, want %q", got, want)
	}
	p.Update(tickMsg(paneAt(42 * time.Second)))
	if p.Len() != 1 {
		t.Errorf("a tick after the linger left %d jobs, want 1", p.Len())
	}
	// max is 4: a fifth job pushes out finished jobs first, then the oldest.
	p = withItems(opsTestPane(t, "jobs"), jobsScene()).(*progressPane)
	for i := range 3 {
		id := fmt.Sprintf("n%d", i)
		p.Add([]Item{jobEvent(uint64(20+i), "progress", progressOf(id, id, 1, "", 1), 13*time.Second)})
	}
	if p.Len() != 4 || p.Dropped() != 2 {
		t.Fatalf("Len %d Dropped %d, want 4 and 2", p.Len(), p.Dropped())
	}
	if _, ok := p.jobs["j1"]; !ok {
		t.Error("a running job was dropped while finished ones remained")
	}
	// A job seen again after failing runs again.
	p.Add([]Item{jobEvent(30, "progress", progressOf("j1", "export", 70, "upload", 5), 14*time.Second)})
	if j := p.jobs["j1"]; j.state != jobRunning || j.percent != 70 {
		t.Errorf("j1 %+v", j)
	}
}

func TestProgressHostileText(t *testing.T) {
	p := withItems(opsTestPane(t, "jobs"), []Item{
		jobEvent(1, "progress", `{"job_id":"x\u001b[2J","name":"evil\u001b]0;pwn\u0007","percent":"NaN","stage":"a\nb"}`, 0),
		jobEvent(2, "failed", `{"job_id":"x\u001b[2J","error":"\u001b[31mred\u001b[0m"}`, time.Second),
		jobEvent(3, "progress", `{"job_id":"big","percent":1e308}`, time.Second),
		jobEvent(4, "progress", `not json`, time.Second),
	})
	out := p.Render(viewState{Width: 70, Height: 6, Now: paneAt(2 * time.Second)})
	for _, bad := range []string{"\x1b[2J", "\x1b]0;", "\a", "\x1b[31mred"} {
		if strings.Contains(out, bad) {
			t.Errorf("control sequence %q reached the view:\n%q", bad, out)
		}
	}
	if p.(*progressPane).jobs["big"].percent != 100 {
		t.Error("a percentage above 100 is not clamped")
	}
}

func metricEvent(seq uint64, host string, cpu, rps, p99 float64, at time.Duration) Item {
	return paneItem(seq, "metrics", "metric", fmt.Sprint(seq),
		fmt.Sprintf(`{"host":%q,"cpu_pct":%g,"mem_pct":50,"conns":100,"rps":%g,"p99_ms":%g}`, host, cpu, rps, p99), paneAt(at))
}

// metricsScene is a minute of samples from three hosts, one a second, with
// a CPU spike on web-2 half way.
func metricsScene() []Item {
	var items []Item
	seq := uint64(0)
	for s := range 60 {
		for h, host := range []string{"web-1", "web-2", "db-1"} {
			seq++
			cpu := 30 + 10*float64(h) + 8*math.Sin(float64(s)/6+float64(h))
			if host == "web-2" && s >= 28 && s < 40 {
				cpu = 95
			}
			items = append(items, metricEvent(seq, host, cpu, 1000+float64(200*h)+float64(10*s), 40+float64(s%7), time.Duration(s)*time.Second))
		}
	}
	return items
}

func TestChartGoldens(t *testing.T) {
	now := paneAt(59 * time.Second)
	tests := []struct {
		name string
		p    pane
		vs   viewState
	}{
		{"chart_empty", opsTestPane(t, "cpu"), viewState{Width: 50, Height: 6, Now: now}},
		{"chart_split_wide", withItems(opsTestPane(t, "cpu"), metricsScene()), viewState{Width: 90, Height: 12, Now: now}},
		{"chart_split_narrow", withItems(opsTestPane(t, "cpu"), metricsScene()), viewState{Width: 30, Height: 8, Now: now}},
		{"chart_paths_auto", withItems(opsTestPane(t, "load"), metricsScene()), viewState{Width: 70, Height: 10, Now: now}},
		{"chart_dimmed", withItems(opsTestPane(t, "cpu"), metricsScene()), viewState{Width: 60, Height: 8, Dimmed: true, Note: "CLOSED · last event 1m ago", Now: now.Add(time.Minute)}},
		{"chart_short", withItems(opsTestPane(t, "cpu"), metricsScene()), viewState{Width: 40, Height: 3, Now: now}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := tt.p.Render(tt.vs)
			paneCheckBox(t, tt.name, out, tt.vs.Width, tt.vs.Height)
			viewGolden(t, out)
		})
	}
}

// TestChartKeepsEqualTimestamps: points sharing a time stamp are all kept,
// and the drawing spans their lowest to their highest.
func TestChartKeepsEqualTimestamps(t *testing.T) {
	p := opsTestPane(t, "cpu").(*chartPane)
	var items []Item
	for i, v := range []float64{0, 100, 50} {
		items = append(items, metricEvent(uint64(i+1), "web-1", v, 0, 0, 30*time.Second))
	}
	p.Add(items)
	if p.Len() != 3 {
		t.Fatalf("Len %d, want 3 points", p.Len())
	}
	cv := newBrailleCanvas(10, 4)
	p.plot(cv, p.series[0], 0, paneAt(0), paneAt(60*time.Second), 0, 100)
	_, dh := cv.dots()
	x := (2*10 - 1) / 2 // 30s of 60s
	for y := range dh {
		if cv.bits[(y/4)*cv.w+x/2]&brailleBit[y%4][x%2] == 0 {
			t.Fatalf("dot column %d is not lit at y=%d: the span from 0 to 100 is not drawn", x, y)
		}
	}
}

func TestChartWindowSeriesBoundAndPace(t *testing.T) {
	p := withItems(opsTestPane(t, "cpu"), metricsScene()).(*chartPane)
	if p.Len() != 180 {
		t.Errorf("Len %d, want 180 points in the window", p.Len())
	}
	p.Add([]Item{metricEvent(999, "web-1", 10, 0, 0, 90*time.Second)})
	if want := 3*30 + 1; p.Len() != want { // 30..59s for three hosts (the 30s edge included), and the new one
		t.Errorf("after the window moved: Len %d, want %d", p.Len(), want)
	}
	for i := range maxChartSeries + 5 {
		p.Add([]Item{metricEvent(uint64(1000+i), fmt.Sprintf("h%02d", i), 1, 0, 0, 90*time.Second)})
	}
	if len(p.series) != maxChartSeries || len(p.overflow) != 8 {
		t.Errorf("%d series, %d overflow; want %d and 8", len(p.series), len(p.overflow), maxChartSeries)
	}
	vs := viewState{Width: 80, Height: 10, Now: paneAt(90 * time.Second)}
	first := p.Render(vs)
	if !strings.Contains(first, "8 more not drawn") {
		t.Error("the title does not count the series left out")
	}
	p.Clear()
	p.Add([]Item{metricEvent(1, "web-1", 10, 0, 0, 90*time.Second)})
	a := p.Render(vs)
	p.Add([]Item{metricEvent(2, "web-1", 90, 0, 0, 90*time.Second)})
	vs.Now = vs.Now.Add(50 * time.Millisecond)
	if b := p.Render(vs); b != a {
		t.Error("the chart redrew before its pace")
	}
	vs.Now = vs.Now.Add(time.Second)
	if b := p.Render(vs); b == a {
		t.Error("the chart did not redraw after its pace")
	}
	vs.Width--
	vs.Now = vs.Now.Add(time.Millisecond)
	if b := p.Render(vs); ansi.StringWidth(strings.SplitN(b, "\n", 2)[0]) != vs.Width {
		t.Error("a resize waited for the pace")
	}
}

func TestStatGoldens(t *testing.T) {
	now := paneAt(59 * time.Second)
	tests := []struct {
		name string
		p    pane
		vs   viewState
	}{
		{"stat_empty", opsTestPane(t, "hosts"), viewState{Width: 40, Height: 5, Now: now}},
		{"stat_split_wide", withItems(opsTestPane(t, "hosts"), metricsScene()[:96]), viewState{Width: 70, Height: 7, Now: now}},
		{"stat_split_narrow", withItems(opsTestPane(t, "hosts"), metricsScene()[:96]), viewState{Width: 24, Height: 9, Now: now}},
		{"stat_split_short", withItems(opsTestPane(t, "hosts"), metricsScene()[:96]), viewState{Width: 60, Height: 4, Now: now}},
		{"stat_dimmed", withItems(opsTestPane(t, "hosts"), metricsScene()), viewState{Width: 70, Height: 7, Dimmed: true, Note: "CONNECTING · last event 4s ago", Now: now}},
		{"stat_single", withItems(opsTestPane(t, "total"), metricsScene()), viewState{Width: 30, Height: 6, Now: now}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := tt.p.Render(tt.vs)
			paneCheckBox(t, tt.name, out, tt.vs.Width, tt.vs.Height)
			viewGolden(t, out)
		})
	}
}

func TestStatThresholdsAndSpark(t *testing.T) {
	p := opsTestPane(t, "hosts").(*statPane)
	for i, cpu := range []float64{10, 20, 30, 40, 50, 60, 75, 80, 95} {
		p.Add([]Item{metricEvent(uint64(i+1), "web-1", cpu, 0, 0, time.Duration(i)*time.Second)})
		want := config.RoleGain
		switch {
		case cpu >= 90:
			want = config.RoleError
		case cpu >= 70:
			want = config.RoleWarning
		}
		if got := p.role(p.tiles[0]); got != want {
			t.Errorf("cpu %v: role %s, want %s", cpu, got, want)
		}
	}
	if got := p.tiles[0].spark; len(got) != 8 || got[0] != 20 || got[7] != 95 {
		t.Errorf("sparkline values %v, want the last 8", got)
	}
	if got := p.value(p.tiles[0]); got != "95%" {
		t.Errorf("value %q, want 95%%", got)
	}
	p.Add([]Item{paneItem(99, "metrics", "metric", "", `{"host":"web-1","cpu_pct":"n/a \u001b[2J"}`, paneAt(0))})
	if got := p.role(p.tiles[0]); got != config.RoleMuted {
		t.Errorf("a value that is not a number: role %s, want muted", got)
	}
	if out := p.Render(viewState{Width: 40, Height: 6, Now: paneAt(time.Hour)}); strings.Contains(out, "\x1b[2J") {
		t.Error("a control sequence in a value reached the view")
	}
}

func TestBigText(t *testing.T) {
	got := bigText("-12.5%")
	want := [3]string{"    ▀█  ▀▀█ █▀▀ ", "▀▀▀  █  █▀▀ ▀▀█ ", "    ▀▀▀ ▀▀▀▀▀▀▀%"}
	if got != want {
		t.Errorf("bigText:\n%q\nwant\n%q", got, want)
	}
}

// TestChartCoversWindowUnderFirehose: many values a second still draw the
// whole window (in buckets), keeping every value's low and high.
func TestChartCoversWindowUnderFirehose(t *testing.T) {
	p := opsTestPane(t, "cpu").(*chartPane) // window 1m, max 2000
	items := make([]Item, 0, 1000)
	for i := range 60_000 {
		at := time.Duration(i) * time.Millisecond
		v := float64(i%100) / 2 // 0 … 49.5
		if i == 30_000 {
			v = 100 // one spike half way
		}
		items = append(items, metricEvent(uint64(i+1), "web-1", v, 0, 0, at))
		if len(items) == cap(items) {
			p.Add(items)
			items = items[:0]
		}
	}
	if p.Len() != 60_000 {
		t.Errorf("Len %d, want every value of the window counted", p.Len())
	}
	if n := p.series[0].b.Len(); n > 2001 {
		t.Errorf("%d buckets, want at most max+1", n)
	}
	cv := newBrailleCanvas(50, 4)
	p.plot(cv, p.series[0], 0, paneAt(0), paneAt(60*time.Second), 0, 100)
	first, last := -1, -1
	for x := range 100 {
		for y := range 16 {
			if cv.bits[(y/4)*cv.w+x/2]&brailleBit[y%4][x%2] != 0 {
				if first < 0 {
					first = x
				}
				last = x
			}
		}
	}
	if first > 1 || last < 98 {
		t.Errorf("dots from column %d to %d, want the whole width", first, last)
	}
	if cv.bits[49/2]&brailleBit[0][49%2] == 0 && cv.bits[50/2]&brailleBit[0][50%2] == 0 {
		t.Error("the spike to 100 half way is not drawn")
	}
}

// BenchmarkChartStatAdd is the per-event cost of issue 14's firehose case:
// quotes for 20 symbols into a chart split by symbol and a stat pane.
func BenchmarkChartStatAdd(b *testing.B) {
	cfg, problems := config.Check(strings.NewReader(`
feeds: { f: { url: "http://127.0.0.1:1/f" } }
panes:
  - { id: chart, type: chart, series: [change_pct], split_by: symbol, window: 1m }
  - { id: tiles, type: stat, value: price, split_by: symbol }
`), config.Options{Name: "bench.yaml"})
	if err := problems.Errors().Err(); err != nil {
		b.Fatal(err)
	}
	st := NewStyles(cfg.Theme)
	chart, tiles := newPane(cfg.Pane("chart"), st, KeyMap{}), newPane(cfg.Pane("tiles"), st, KeyMap{})
	items := make([]Item, 200)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		for j := range items {
			n := i*len(items) + j
			items[j] = paneItem(uint64(n), "f", "quote", "", fmt.Sprintf(`{"symbol":"S%02d","price":%d.25,"change_pct":%d.5,"volume":1000}`, n%20, n%500, n%7), paneAt(time.Duration(n)*10*time.Microsecond))
		}
		chart.Add(items)
		tiles.Add(items)
	}
}

// BenchmarkChartRender draws a full 1m chart of 20 series at 70×22.
func BenchmarkChartRender(b *testing.B) {
	p := opsTestPane(b, "cpu").(*chartPane)
	items := make([]Item, 0, 60_000)
	for i := range 60_000 {
		items = append(items, metricEvent(uint64(i+1), fmt.Sprintf("h%02d", i%20), float64(i%100), 0, 0, time.Duration(i)*time.Millisecond))
	}
	p.Add(items)
	vs := viewState{Width: 70, Height: 22, Now: paneAt(time.Minute)}
	b.ReportAllocs()
	for b.Loop() {
		p.cache = paceCache{}
		p.Render(vs)
	}
}

// TestChartAndStatHostileInput: names from feed data never reach the
// terminal as control sequences, odd values are skipped, and endless
// distinct split_by values are counted, not kept.
func TestChartAndStatHostileInput(t *testing.T) {
	evil := []Item{
		paneItem(1, "metrics", "metric", "", `{"host":"\u001b]0;pwn\u0007web","cpu_pct":50}`, paneAt(0)),
		paneItem(2, "metrics", "metric", "", `{"host":"\u001b[2Jx","cpu_pct":"NaN"}`, paneAt(time.Second)),
		paneItem(3, "metrics", "metric", "", `{"host":"y","cpu_pct":1e400}`, paneAt(time.Second)),
		paneItem(4, "metrics", "metric", "", `{"host":{"a":1},"cpu_pct":[1]}`, paneAt(time.Second)),
		paneItem(5, "metrics", "metric", "", `{"host":"z","cpu_pct":"42"}`, paneAt(time.Second)),
		paneItem(6, "metrics", "metric", "", `garbage`, paneAt(time.Second)),
	}
	for i := range 20_000 {
		evil = append(evil, metricEvent(uint64(10+i), fmt.Sprintf("h%05d", i), 1, 0, 0, 2*time.Second))
	}
	for _, id := range []string{"cpu", "hosts"} {
		p := withItems(opsTestPane(t, id), evil)
		out := p.Render(viewState{Width: 80, Height: 12, Now: paneAt(3 * time.Second)})
		for _, bad := range []string{"\x1b]0;", "\a", "\x1b[2J"} {
			if strings.Contains(out, bad) {
				t.Errorf("%s: %q reached the view", id, bad)
			}
		}
		paneCheckBox(t, id, out, 80, 12)
	}
	c := withItems(opsTestPane(t, "cpu"), evil).(*chartPane)
	if len(c.series) != maxChartSeries || len(c.overflow) > 10_000 {
		t.Errorf("chart: %d series, %d overflow names kept", len(c.series), len(c.overflow))
	}
	if s := c.byName["z"]; s == nil || s.b.At(0).final != 42 {
		t.Error("a number written as text is not charted")
	}
	st := withItems(opsTestPane(t, "hosts"), evil).(*statPane)
	if len(st.tiles) != config.DefaultStatMax || len(st.overflow) > 10_000 {
		t.Errorf("stat: %d tiles, %d overflow names kept", len(st.tiles), len(st.overflow))
	}
}

func TestProgressSelection(t *testing.T) {
	p := withItems(opsTestPane(t, "jobs"), jobsScene())
	vs := viewState{Width: 80, Height: 6, Focused: true, Now: paneAt(15 * time.Second)}
	p.Render(vs)
	want := []string{"j1", "j2", "j3", "j3"} // running first, then the latest ended; the end stops
	for i, w := range want {
		it, ok := p.Selected()
		if !ok || !strings.Contains(it.Event.Data, `"job_id":"`+w+`"`) {
			t.Errorf("step %d: selected %q, want job %s", i, it.Event.Data, w)
		}
		p.Update(panePress("down"))
		p.Render(vs)
	}
	p.Clear()
	if _, ok := p.Selected(); ok || p.Len() != 0 {
		t.Error("Clear left jobs")
	}
}

func TestStatExpr(t *testing.T) {
	cfg, problems := config.Check(strings.NewReader(`
feeds: { m: { url: "http://127.0.0.1:1/m" } }
panes:
  - { id: mem, type: stat, feed: m, expr: "used / total * 100", split_by: host, format: "%.0f%%", thresholds: { warning: 70 } }
`), config.Options{Name: "expr.yaml"})
	if err := problems.Errors().Err(); err != nil {
		t.Fatal(err)
	}
	p := newPane(cfg.Pane("mem"), NewStyles(cfg.Theme), KeyMap{}).(*statPane)
	p.Add([]Item{
		paneItem(1, "m", "metric", "", `{"host":"a","used":3,"total":4}`, paneAt(0)),
		paneItem(2, "m", "metric", "", `{"host":"b","used":1,"total":4}`, paneAt(0)),
		paneItem(3, "m", "metric", "", `{"host":"c","used":"x"}`, paneAt(0)),
	})
	if len(p.tiles) != 2 {
		t.Fatalf("%d tiles, want 2 (the third has no number)", len(p.tiles))
	}
	if got := p.value(p.tiles[0]); got != "75%" || p.role(p.tiles[0]) != config.RoleWarning {
		t.Errorf("tile a: %q %s", got, p.role(p.tiles[0]))
	}
	if got := p.value(p.tiles[1]); got != "25%" || p.role(p.tiles[1]) != config.RoleGain {
		t.Errorf("tile b: %q %s", got, p.role(p.tiles[1]))
	}
}
