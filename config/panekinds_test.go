package config

import (
	"strings"
	"testing"
	"time"

	"github.com/livefeed/livefeed/render"
)

const opsPanes = `
feeds:
  jobs: { url: "http://127.0.0.1:1/jobs" }
  metrics: { url: "http://127.0.0.1:1/metrics" }
panes:
  - id: jobs
    type: progress
    feed: jobs
    key: job_id
    label: "{name}"
    percent: percent
    stage: stage
    eta: eta_s
    complete_on: [complete]
    fail_on: [failed]
    linger: 10s
  - id: cpu
    type: chart
    feed: metrics
    series: [cpu_pct]
    split_by: host
    y_range: [0, 100]
    format: "%.0f%%"
  - id: hosts
    type: stat
    feed: metrics
    value: cpu_pct
    split_by: host
    thresholds: { warning: 70, error: 90 }
  - { id: mem, type: chart, feed: metrics, series: [mem_pct, cpu_pct] }
`

func TestParseProgressChartStat(t *testing.T) {
	cfg := parseOK(t, opsPanes, nil)
	jobs, cpu, hosts, mem := cfg.Pane("jobs"), cfg.Pane("cpu"), cfg.Pane("hosts"), cfg.Pane("mem")
	if jobs.Key != "job_id" || jobs.Percent != "percent" || jobs.Stage != "stage" || jobs.ETA != "eta_s" ||
		jobs.Linger != 10*time.Second || jobs.Error != "error" || jobs.Label == nil || jobs.Max != DefaultProgressMax ||
		strings.Join(jobs.CompleteOn, ",") != "complete" || strings.Join(jobs.FailOn, ",") != "failed" {
		t.Errorf("progress pane: %+v", jobs)
	}
	if cpu.SplitBy != "host" || cpu.YRange == nil || *cpu.YRange != [2]float64{0, 100} || cpu.Format == nil || cpu.Window != DefaultWindow {
		t.Errorf("chart pane: %+v", cpu)
	}
	if mem.YRange != nil || len(mem.Series) != 2 || mem.Max != DefaultChartMax {
		t.Errorf("chart pane mem: %+v", mem)
	}
	if hosts.Value != "cpu_pct" || hosts.Spark != DefaultStatSpark || hosts.Thresholds.Warning == nil || *hosts.Thresholds.Error != 90 {
		t.Errorf("stat pane: %+v", hosts)
	}
	for v, want := range map[float64]Role{50: "", 70: RoleWarning, 89.9: RoleWarning, 90: RoleError} {
		if got := hosts.Thresholds.Level(v); got != want {
			t.Errorf("Level(%v) = %q, want %q", v, got, want)
		}
	}
}

func TestParseProgressChartStatErrors(t *testing.T) {
	head := "feeds: { m: { url: \"http://127.0.0.1:1/m\" } }\npanes:\n"
	tests := []struct{ name, pane, want string }{
		{"progress without key", "  - { id: j, type: progress, percent: p }", `pane "j" is a progress pane but has no key`},
		{"progress without amount", "  - { id: j, type: progress, key: k }", `pane "j" has neither percent nor done and total`},
		{"done without total", "  - { id: j, type: progress, key: k, done: d }", `pane "j" needs both done and total`},
		{"both complete and fail", "  - { id: j, type: progress, key: k, percent: p, complete_on: [end], fail_on: [end] }", `lists event "end" in both`},
		{"chart without series", "  - { id: c, type: chart }", `pane "c" is a chart but has no series`},
		{"split with several series", "  - { id: c, type: chart, series: [a, b], split_by: host }", `splits by host, so it draws one series`},
		{"bad y_range", "  - { id: c, type: chart, series: [a], y_range: [5, 1] }", `y_range of pane "c": min 5 must be below max 1`},
		{"bad format", "  - { id: c, type: chart, series: [a], format: \"nope\" }", `format of pane "c"`},
		{"stat without value", "  - { id: s, type: stat }", `pane "s" is a stat pane but has no value`},
		{"value and expr", "  - { id: s, type: stat, value: v, expr: 'a + 1' }", `pane "s" has both value and expr`},
		{"bad expr", "  - { id: s, type: stat, expr: 'a +' }", `expr of pane "s"`},
		{"thresholds upside down", "  - { id: s, type: stat, value: v, thresholds: { warning: 90, error: 70 } }", `error (70) is below warning (90)`},
		{"threshold not a number", "  - { id: s, type: stat, value: v, thresholds: { warning: high } }", `warning of pane "s" must be a number`},
		{"stat key of a chart", "  - { id: c, type: chart, series: [a], thresholds: { warning: 1 } }", `"thresholds" is only for stat panes`},
		{"table key of a stat", "  - { id: s, type: stat, value: v, columns: [a] }", `"columns" is only for table panes`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, problems := Check(strings.NewReader(head+tt.pane), Options{Name: "t.yaml"})
			got := pretty(problems.Errors())
			if !strings.Contains(got, tt.want) {
				t.Errorf("errors:\n%s\nwant one containing %q", got, tt.want)
			}
		})
	}
}

func TestParsePages(t *testing.T) {
	cfg := parseOK(t, opsPanes+`
layout:
  pages:
    - name: Jobs
      rows: [[jobs]]
    - name: Metrics
      rows:
        - [cpu: 2, hosts]
`, nil)
	pages := cfg.Layout.PageList()
	if len(pages) != 2 || pages[0].Name != "Jobs" || pages[1].Name != "Metrics" || len(cfg.Layout.Rows) != 0 {
		t.Fatalf("pages %+v", cfg.Layout)
	}
	// mem was left out: it goes at the bottom of the last page.
	last := pages[1].Rows[len(pages[1].Rows)-1]
	if len(last.Cells) != 1 || last.Cells[0].Pane != "mem" || pages[1].Rows[0].Cells[0].Weight != 2 {
		t.Errorf("rows of the last page: %+v", pages[1].Rows)
	}
	if k := cfg.Keys[ActPage(2)]; len(k) != 1 || k[0] != "2" {
		t.Errorf("page_2 keys %v", k)
	}
	single := parseOK(t, opsPanes+"layout: [[jobs, cpu], [hosts, mem]]\n", nil)
	if got := single.Layout.PageList(); len(got) != 1 || got[0].Name != "" || len(got[0].Rows) != 2 {
		t.Errorf("a layout without pages is one unnamed page: %+v", got)
	}
}

func TestParsePagesErrors(t *testing.T) {
	tests := []struct{ name, layout, want string }{
		{"no name", "layout: { pages: [ { rows: [[jobs]] } ] }", "page 1 of layout has no name"},
		{"no rows", "layout: { pages: [ { name: A } ] }", "page 1 of layout has no rows"},
		{"twice", "layout: { pages: [ { name: A, rows: [[jobs]] }, { name: A, rows: [[cpu]] } ] }", `page "A" is defined twice`},
		{"pane on two pages", "layout: { pages: [ { name: A, rows: [[jobs]] }, { name: B, rows: [[jobs, cpu]] } ] }", `pane "jobs" appears in the layout twice`},
		{"unknown pane", "layout: { pages: [ { name: A, rows: [[jbos]] } ] }", `page "A" row 1 names pane "jbos", which is not defined (did you mean "jobs"?)`},
		{"not pages", "layout: { rows: [[jobs]] }", `unknown key "rows" in layout`},
		{"page typo", "layout: { pages: [ { name: A, rowz: [[jobs]] } ] }", `unknown key "rowz" in page 1 of layout (did you mean "rows"?)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, problems := Check(strings.NewReader(opsPanes+tt.layout+"\n"), Options{Name: "t.yaml"})
			got := pretty(problems.Errors())
			if !strings.Contains(got, tt.want) {
				t.Errorf("errors:\n%s\nwant one containing %q", got, tt.want)
			}
		})
	}
}

func TestParseAlerts(t *testing.T) {
	cfg := parseOK(t, opsPanes+`  - { id: fired, type: list, feed: $alerts, level: level, text: "{rule}: {message}" }
alerts:
  - name: cpu high
    feed: metrics
    events: [metric]
    when: cpu_pct > 90 && host != "db-1"
    key: host
    message: "{host} CPU at {cpu_pct|%.0f}%"
    level: error
    cooldown: 30s
    bell: true
    notify: true
  - name: job failed
    feeds: [jobs]
    events: [failed]
`, nil)
	if len(cfg.Alerts) != 2 {
		t.Fatalf("%d alerts", len(cfg.Alerts))
	}
	a, b := cfg.Alerts[0], cfg.Alerts[1]
	if a.Name != "cpu high" || a.When == nil || a.When.String() != `cpu_pct > 90 && host != "db-1"` || a.Key != "host" ||
		a.Message == nil || a.Level != AlertError || a.Cooldown != 30*time.Second || !a.Bell || !a.Notify {
		t.Errorf("alert %+v", a)
	}
	if b.Level != AlertWarning || b.Cooldown != DefaultCooldown || b.When != nil || b.Bell || b.Notify {
		t.Errorf("defaults %+v", b)
	}
	if !a.Takes("metrics", "metric") || a.Takes("jobs", "metric") || a.Takes("metrics", "other") || !b.Takes("jobs", "failed") {
		t.Error("Takes")
	}
	if !a.When.Holds(`{"host":"web-1","cpu_pct":95}`, render.Meta{}) || a.When.Holds(`{"host":"db-1","cpu_pct":95}`, render.Meta{}) ||
		a.When.Holds(`{"host":"web-1"}`, render.Meta{}) || a.When.Holds(`not json`, render.Meta{}) {
		t.Error("condition")
	}
	if p := cfg.AlertPane(); p == nil || p.ID != "fired" {
		t.Errorf("AlertPane %v", p)
	}
	// Reload sees a changed rule.
	other := parseOK(t, strings.Replace(opsPanes, "linger: 10s", "linger: 10s", 1)+"alerts: [{ name: x, when: a > 1 }]\n", nil)
	if ch := Diff(cfg, other); !ch.Alerts || !strings.Contains(ch.String(), "alerts changed") {
		t.Errorf("Diff %+v", ch)
	}
	if ch := Diff(cfg, cfg); ch.Alerts {
		t.Error("Diff of a config with itself says alerts changed")
	}
}

func TestParseAlertErrors(t *testing.T) {
	tests := []struct{ name, alerts, want string }{
		{"no name", "[{ when: a > 1 }]", "alert 1 has no name"},
		{"bad when", "[{ name: x, when: 'cpu_pct >' }]", `t.yaml:31:36: when of alert "x": unexpected token EOF`}, // at the character
		{"unknown feed", "[{ name: x, feed: metrix }]", `alert "x" names unknown feed "metrix" (did you mean "metrics"?)`},
		{"bad level", "[{ name: x, level: critical }]", `level of alert "x" must be info, warning or error`},
		{"twice", "[{ name: x }, { name: x }]", `alert "x" is defined twice`},
		{"feed and feeds", "[{ name: x, feed: jobs, feeds: [jobs] }]", `alert "x" has both feed: and feeds:`},
		{"typo", "[{ name: x, cooldwn: 1m }]", `unknown key "cooldwn" in alert "x" (did you mean "cooldown"?)`},
		{"not a list", "{ name: x }", "alerts must be a list of rules"},
		{"bad template", "[{ name: x, message: '{host' }]", `message of alert "x"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, problems := Check(strings.NewReader(opsPanes+"alerts: "+tt.alerts+"\n"), Options{Name: "t.yaml"})
			got := pretty(problems.Errors())
			if !strings.Contains(got, tt.want) {
				t.Errorf("errors:\n%s\nwant one containing %q", got, tt.want)
			}
		})
	}
}
