package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/livefeed/livefeed/config"
	"github.com/livefeed/livefeed/render"
)

// The demo server's payloads, as documented, render without surprises in
// the built-in dashboard.
func TestDefaultConfigCells(t *testing.T) {
	env := func(k string) (string, bool) {
		v, ok := map[string]string{"HOME": "/home/user"}[k]
		return v, ok
	}
	cfg, err := config.Load(config.Location{Source: config.FromDefault}, env)
	if err != nil {
		t.Fatal(err)
	}
	quote := []byte(`{"symbol":"ACME","price":101.255,"change":-1.5,"change_pct":-1.46,"volume":1234567,"time":"2025-03-01T12:00:00.000Z"}`)
	fc := render.Context{Now: time.Date(2025, 3, 1, 12, 0, 1, 0, time.UTC), Loc: time.UTC}
	var cells []string
	for _, c := range cfg.Pane("prices").Columns {
		s, role := columnCell(c, quote, render.Meta{}, fc)
		cells = append(cells, s+"/"+string(role))
	}
	if got := strings.Join(cells, " "); got != "ACME/text 101.25/text -1.50/loss -1.46%/loss 1.2M/text 101.255/text 12:00:00/text" &&
		got != "ACME/text 101.26/text -1.50/loss -1.46%/loss 1.2M/text 101.255/text 12:00:00/text" {
		t.Errorf("price row = %q", got)
	}
	score := []byte(`{"match_id":7,"league":"Serie A","home":"Roma","away":"Lazio","home_score":2,"away_score":1,"minute":67,"status":"2H"}`)
	var sc []string
	for _, c := range cfg.Pane("scores").Columns {
		s, role := columnCell(c, score, render.Meta{}, fc)
		sc = append(sc, s+"/"+string(role))
	}
	if got := strings.Join(sc, " "); got != "Serie A/muted Roma/text 2 - 1/text Lazio/text 67'/text 2H/open" {
		t.Errorf("score row = %q", got)
	}
	alerts := cfg.Pane("alerts")
	raw := render.DataTemplate()
	goal := []byte(`{"match_id":7,"team":"Roma","player":"Luca Rossi","minute":66}`)
	if got := textFor(alerts, raw, "goal").Render(goal, render.Meta{Event: "goal"}, fc); got != "GOAL Roma, Luca Rossi 66'" {
		t.Errorf("goal text = %q", got)
	}
	note := []byte(`{"level":"warning","title":"Delay","body":"Feed lagging","time":"2025-03-01T12:00:00.000Z"}`)
	if got := textFor(alerts, raw, "notification").Render(note, render.Meta{}, fc); got != "Delay: Feed lagging" {
		t.Errorf("notification text = %q", got)
	}
	if got := paneLevelRole(alerts, note); got != config.RoleWarning {
		t.Errorf("notification role = %q", got)
	}
}

func TestTextFor(t *testing.T) {
	notify, _ := render.Compile("{title}")
	star, _ := render.Compile("{$event}: {$data}")
	raw := render.DataTemplate()
	p := &config.Pane{Type: config.List, Text: []config.TextRule{{Event: "notification", Template: notify}, {Event: "goal*", Template: star}}}
	for event, want := range map[string]string{"notification": "{title}", "goal": "{$event}: {$data}", "goals": "{$event}: {$data}", "x": "{$data}"} {
		if got := textFor(p, raw, event).String(); got != want {
			t.Errorf("textFor(%s) = %q, want %q", event, got, want)
		}
	}
}

func TestPaneHelpers(t *testing.T) {
	p := &config.Pane{ID: "t", Type: config.Table, Key: "id.0"}
	if k, ok := rowKey(p, []byte(`{"id":[42]}`)); !ok || k != "42" {
		t.Errorf("rowKey = %q, %v", k, ok)
	}
	if _, ok := rowKey(p, []byte(`{"id":null}`)); ok {
		t.Error("rowKey of null should fail")
	}
	if textFor(p, render.DataTemplate(), "x") != nil {
		t.Error("tables have no text")
	}
	l := &config.Pane{ID: "l", Type: config.List, Level: "sev"}
	for in, want := range map[string]config.Role{`{"sev":"ERROR"}`: config.RoleError, `{"sev":"warn"}`: config.RoleWarning, `{"sev":"info"}`: config.RoleInfo,
		`{"sev":"debug"}`: config.RoleMuted, `{"sev":"success"}`: config.RoleGain, `{"sev":"weird"}`: config.RoleText, `{}`: config.RoleText} {
		if got := paneLevelRole(l, []byte(in)); got != want {
			t.Errorf("paneLevelRole(%s) = %q, want %q", in, got, want)
		}
	}
	if got := textFor(l, render.DataTemplate(), "anything").Render([]byte(`{"a": 1}`), render.Meta{}, render.Context{}); got != `{"a":1}` {
		t.Errorf("hand-built list pane raw text = %q", got)
	}
}

func TestColorRulePick(t *testing.T) {
	c := &config.Column{Path: "v", Color: config.ColorRule{Mode: config.ColorSign}}
	for in, want := range map[string]config.Role{`{"v":1}`: config.RoleGain, `{"v":-2}`: config.RoleLoss, `{"v":0}`: config.RoleNeutral, `{"v":"x"}`: config.RoleText, `{}`: config.RoleText} {
		if _, got := columnCell(c, []byte(in), render.Meta{}, render.Context{}); got != want {
			t.Errorf("sign %s = %q, want %q", in, got, want)
		}
	}
	m := config.ColorRule{Mode: config.ColorMap, Map: map[string]config.Role{"up": config.RoleOpen}}
	c = &config.Column{Path: "v", Color: m}
	if _, got := columnCell(c, []byte(`{"v":"down"}`), render.Meta{}, render.Context{}); got != config.RoleText {
		t.Errorf("map miss without fallback = %q", got)
	}
}

func TestColumnNumber(t *testing.T) {
	c := &config.Column{Path: "p"}
	if n, ok := columnNumber(c, []byte(`{"p":"12.5"}`), render.Meta{}); !ok || n != 12.5 {
		t.Errorf("columnNumber = %v, %v", n, ok)
	}
	if _, ok := columnNumber(&config.Column{Text: nil}, []byte(`{"p":1}`), render.Meta{}); ok {
		t.Error("a column without a path has no number")
	}
}

// TestComputedColumns: expr: columns compute a value that formats and
// colours apply to; JSON null shows as nothing in every kind of column.
func TestComputedColumns(t *testing.T) {
	cfg := parseConfig(t, "expr.yaml", `
feeds:
  wiki: { url: "http://127.0.0.1:1/wiki" }
panes:
  - id: edits
    type: table
    key: wiki
    columns:
      - { title: Δ, expr: 'length.new - length.old', format: "%+d", color: sign }
      - { expr: 'upper($event) + ":" + title' }
      - comment
      - { title: C, path: comment, format: number }
      - { title: T, text: "{comment}|{title|upper}" }
      - { title: Tags, expr: 'join(map(tags, .name), ",")' }
      - { title: Bad, expr: 'title - 1' }
`)
	data := []byte(`{"wiki":"en","title":"Go","length":{"old":100,"new":58},"comment":null,"tags":[{"name":"a"},{"name":"b"}]}`)
	var got []string
	for _, c := range cfg.Pane("edits").Columns {
		s, role := columnCell(c, data, render.Meta{Event: "edit"}, render.Context{})
		got = append(got, c.Title+"="+s+"/"+string(role))
	}
	want := `Δ=-42/loss upper($event) + ":" + title=EDIT:Go/text comment=/text C=/text T=|GO/text Tags=a,b/text Bad=/text`
	if s := strings.Join(got, " "); s != want {
		t.Errorf("cells = %q\nwant    %q", s, want)
	}
	if n, ok := columnNumber(cfg.Pane("edits").Columns[0], data, render.Meta{}); !ok || n != -42 {
		t.Errorf("columnNumber = %v, %v", n, ok)
	}
}
