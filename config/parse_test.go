package config

import (
	"bytes"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
)

// parseOK parses and validates src, failing the test on any error.
func parseOK(t *testing.T, src string, env Env) *Config {
	t.Helper()
	cfg, problems := Check(strings.NewReader(src), Options{Name: "test.yaml", Env: env, Dir: "/etc/livefeed"})
	if errs := problems.Errors(); len(errs) > 0 {
		t.Fatalf("unexpected errors:\n%s", pretty(errs))
	}
	return cfg
}

func TestParseFull(t *testing.T) {
	src := `
x-defaults: &defaults { retry: 500ms }
feeds:
  stocks:
    <<: *defaults
    url: ${DEMO_URL}/events/stocks
    headers:
      Authorization: "Bearer ${STOCKS_TOKEN}"
      X-Version: 2
      X-Empty:
    max_backoff: 1m30s
    stale: 0
    max_event_size: 512KiB
    connect_timeout: 4s
    tls: { ca_file: certs/ca.pem, insecure: false }
  news:
    url: "https://news.example.com/sse?x=$5&y=$${literal}"
    max_event_size: 2048
    tls: { ca_file: ~/ca.pem }
panes:
  - id: prices
    type: table
    title: Stocks
    feed: stocks
    events: quote
    key: symbol
    max: 50
    columns:
      - symbol
      - { title: Price, path: price, format: "%.2f", width: 9 }
      - { title: Chg, path: change_pct, format: percent, color: sign, align: right }
      - { title: Trend, path: price, spark: 30 }
      - { title: State, path: status, color: { open: open, "*": muted } }
      - { title: Pair, text: "{a}/{b}", color: accent }
  - id: feed-log
    type: list
    feeds: [stocks, news]
    events: [notification, "goal*"]
    level: level
    text:
      notification: "{title}"
      "*": "{$event}: {$data}"
  - { id: headlines, type: ticker, feed: news, events: [headline], text: "{source}: {title}" }
  - { id: raw, type: log }
layout:
  - headlines
  - [prices: 3, { pane: feed-log, weight: 2, min_width: 30 }]
  - { panes: [raw], weight: 2, min_height: 5 }
theme:
  gain: "#0F0"
  loss: 203
  focus: Bright-Blue
keys:
  pause: space
  clear: []
  reconnect_all: [R, ctrl+R]
`
	env := testEnv("STOCKS_TOKEN", "s3cret")
	cfg := parseOK(t, src, env)

	st := cfg.Feed("stocks")
	want := &Feed{
		Name: "stocks", URL: "http://127.0.0.1:9999/events/stocks",
		Headers: map[string]string{"Authorization": "Bearer s3cret", "X-Version": "2", "X-Empty": ""},
		Retry:   500 * time.Millisecond, MaxBackoff: 90 * time.Second, Stale: 0,
		MaxEventSize: 512 << 10, ConnectTimeout: 4 * time.Second,
		TLS:    TLS{CAFile: "/etc/livefeed/certs/ca.pem"},
		Method: "GET", RetryOn: []int{502, 503, 504},
	}
	if !st.Equal(want) {
		t.Errorf("stocks = %+v\nwant %+v", st, want)
	}
	news := cfg.Feed("news")
	if news.URL != "https://news.example.com/sse?x=$5&y=${literal}" {
		t.Errorf("news URL = %q", news.URL)
	}
	if news.MaxEventSize != 2048 || news.Retry != DefaultRetry || news.Stale != DefaultStale || news.ConnectTimeout != DefaultConnectTimeout {
		t.Errorf("news defaults = %+v", news)
	}
	if news.TLS.CAFile != "/home/user/ca.pem" {
		t.Errorf("news ca_file = %q", news.TLS.CAFile)
	}
	if !reflect.DeepEqual(cfg.EnvRefs, []string{"DEMO_URL", "STOCKS_TOKEN"}) {
		t.Errorf("EnvRefs = %v", cfg.EnvRefs)
	}

	prices := cfg.Pane("prices")
	if prices.Type != Table || prices.Title != "Stocks" || prices.Key != "symbol" || prices.Max != 50 ||
		!reflect.DeepEqual(prices.Feeds, []string{"stocks"}) || !reflect.DeepEqual(prices.Events, []string{"quote"}) {
		t.Errorf("prices = %+v", prices)
	}
	cols := prices.Columns
	if len(cols) != 6 {
		t.Fatalf("%d columns", len(cols))
	}
	if cols[0].Title != "symbol" || cols[0].Path != "symbol" || cols[0].Format != nil {
		t.Errorf("bare column = %+v", cols[0])
	}
	if cols[1].Format.String() != "%.2f" || cols[1].Width != 9 || !cols[1].RightAligned() {
		t.Errorf("price column = %+v", cols[1])
	}
	if cols[2].Color.Mode != ColorSign || cols[2].Align != AlignRight {
		t.Errorf("change column = %+v", cols[2])
	}
	if cols[3].Spark != 30 || !cols[3].RightAligned() {
		t.Errorf("spark column = %+v", cols[3])
	}
	if cols[4].Color.Mode != ColorMap || cols[4].Color.Map["open"] != RoleOpen || cols[4].Color.Role != RoleMuted {
		t.Errorf("map colour = %+v", cols[4].Color)
	}
	if cols[5].Text == nil || cols[5].Path != "" || cols[5].Color.Role != RoleAccent {
		t.Errorf("text column = %+v", cols[5])
	}

	fl := cfg.Pane("feed-log")
	if fl.Level != "level" || len(fl.Text) != 2 || fl.Max != DefaultListMax || fl.Title != "feed-log" {
		t.Errorf("feed-log = %+v", fl)
	}
	if r := fl.Text[0]; r.Event != "notification" || r.Template.String() != "{title}" {
		t.Errorf("text rule 0 = %q: %q", r.Event, r.Template)
	}
	if r := fl.Text[1]; r.Event != "*" || r.Template.String() != "{$event}: {$data}" {
		t.Errorf("text rule 1 = %q: %q", r.Event, r.Template)
	}
	raw := cfg.Pane("raw")
	if !raw.CatchAll() || raw.Max != DefaultLogMax || len(raw.Text) != 0 {
		t.Errorf("raw = %+v", raw)
	}

	wantLayout := Layout{Rows: []Row{
		{Cells: []Cell{{Pane: "headlines", Weight: 1}}, Weight: 1},
		{Cells: []Cell{{Pane: "prices", Weight: 3}, {Pane: "feed-log", Weight: 2, MinWidth: 30}}, Weight: 1},
		{Cells: []Cell{{Pane: "raw", Weight: 1}}, Weight: 2, MinHeight: 5},
	}}
	if !cfg.Layout.Equal(wantLayout) {
		t.Errorf("layout = %+v", cfg.Layout)
	}
	if cfg.Theme[RoleGain] != "#00ff00" || cfg.Theme[RoleLoss] != "203" || cfg.Theme[RoleFocus] != "12" ||
		cfg.Theme[RoleError] != DefaultTheme()[RoleError] {
		t.Errorf("theme = %v", cfg.Theme)
	}
	if !reflect.DeepEqual(cfg.Keys[ActPause], []string{"space"}) || len(cfg.Keys[ActClear]) != 0 ||
		!reflect.DeepEqual(cfg.Keys[ActReconnectAll], []string{"R", "ctrl+shift+r"}) ||
		!reflect.DeepEqual(cfg.Keys[ActQuit], []string{"q"}) {
		t.Errorf("keys = %v", cfg.Keys)
	}
	if cfg.Keys.ByKey()["c"] != "" || cfg.Keys.ByKey()["ctrl+c"] != ActQuit {
		t.Errorf("ByKey = %v", cfg.Keys.ByKey())
	}
}

func TestParseAnchorsAndMerge(t *testing.T) {
	src := `
feeds:
  a: &common
    url: http://127.0.0.1:1/a
    retry: 1s
    headers: &h { X-Team: blue }
  b:
    <<: *common
    url: http://127.0.0.1:1/b
  c:
    url: http://127.0.0.1:1/c
    headers: *h
panes: [{ id: raw, type: log }]
`
	cfg := parseOK(t, src, nil)
	b, c := cfg.Feed("b"), cfg.Feed("c")
	if b.URL != "http://127.0.0.1:1/b" || b.Retry != time.Second || b.Headers["X-Team"] != "blue" {
		t.Errorf("merged feed b = %+v", b)
	}
	if c.Headers["X-Team"] != "blue" {
		t.Errorf("aliased headers = %v", c.Headers)
	}
	if names := []string{cfg.Feeds[0].Name, cfg.Feeds[1].Name, cfg.Feeds[2].Name}; !reflect.DeepEqual(names, []string{"a", "b", "c"}) {
		t.Errorf("feed order = %v", names)
	}
}

func TestParseDefaults(t *testing.T) {
	cfg := parseOK(t, "feeds:\n  only:\n    url: http://127.0.0.1:1/\n", nil)
	if len(cfg.Panes) != 1 || cfg.Panes[0].ID != "events" || !cfg.Panes[0].CatchAll() {
		t.Fatalf("panes = %+v", cfg.Panes)
	}
	if !cfg.Layout.Auto || len(cfg.Layout.Rows) != 1 {
		t.Errorf("layout = %+v", cfg.Layout)
	}
	if !reflect.DeepEqual(cfg.Theme, DefaultTheme()) || !reflect.DeepEqual(cfg.Keys, DefaultKeys()) {
		t.Error("theme or keys differ from the defaults")
	}
	if len(cfg.Warnings()) != 0 {
		t.Errorf("warnings: %v", cfg.Warnings())
	}
}

func TestParseNullMeansDefault(t *testing.T) {
	cfg := parseOK(t, "feeds:\n  a:\n    url: http://127.0.0.1:1/\n    retry:\n    headers:\npanes:\ntheme:\nkeys:\n", nil)
	if cfg.Feeds[0].Retry != DefaultRetry || len(cfg.Panes) != 1 {
		t.Errorf("nulls did not keep defaults: %+v %+v", cfg.Feeds[0], cfg.Panes)
	}
}

func TestLayoutAppendsMissingPanes(t *testing.T) {
	src := `
feeds: { a: { url: "http://127.0.0.1:1/" } }
panes:
  - { id: one, type: log, events: [x] }
  - { id: two, type: log }
  - { id: three, type: list }
layout:
  - [two]
`
	cfg := parseOK(t, src, nil)
	want := Layout{Rows: []Row{
		{Cells: []Cell{{Pane: "two", Weight: 1}}, Weight: 1},
		{Cells: []Cell{{Pane: "one", Weight: 1}, {Pane: "three", Weight: 1}}, Weight: 1},
	}}
	if !cfg.Layout.Equal(want) {
		t.Errorf("layout = %+v", cfg.Layout)
	}
	ws := cfg.Warnings()
	if len(ws) != 2 || !strings.Contains(ws[0].Msg, `"one" is not in the layout`) || ws[0].Pos.Line != 4 {
		t.Errorf("warnings = %v", ws)
	}
}

func TestAutoLayout(t *testing.T) {
	panes := []*Pane{
		{ID: "t1", Type: Ticker}, {ID: "tab", Type: Table}, {ID: "l1", Type: List},
		{ID: "logx", Type: Log, Events: []string{"x"}}, {ID: "raw", Type: Log}, {ID: "t2", Type: Ticker},
	}
	got := AutoLayout(panes)
	want := Layout{Auto: true, Rows: []Row{
		{Cells: []Cell{{Pane: "t1", Weight: 1}}, Weight: 1},
		{Cells: []Cell{{Pane: "t2", Weight: 1}}, Weight: 1},
		{Cells: []Cell{{Pane: "tab", Weight: 3}, {Pane: "l1", Weight: 2}}, Weight: 2},
		{Cells: []Cell{{Pane: "logx", Weight: 2}}, Weight: 2},
		{Cells: []Cell{{Pane: "raw", Weight: 1}}, Weight: 1},
	}}
	if !got.Equal(want) {
		t.Errorf("AutoLayout = %+v", got)
	}
}

func TestDefaultConfig(t *testing.T) {
	cfg, err := Load(Location{Source: FromDefault}, testEnv())
	if err != nil {
		t.Fatal(err)
	}
	if ws := cfg.Warnings(); len(ws) > 0 {
		t.Errorf("the built-in config has warnings:\n%s", pretty(ws))
	}
	for _, f := range cfg.Feeds {
		if !strings.HasPrefix(f.URL, "http://127.0.0.1:8080/events/") {
			t.Errorf("feed %s URL %q does not default to the demo server", f.Name, f.URL)
		}
	}
	cfg, err = Load(Location{Source: FromDefault}, testEnv(EnvDemoURL, "http://127.0.0.1:41234"))
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.Feed("news").URL; got != "http://127.0.0.1:41234/events/news" {
		t.Errorf("news URL with %s set = %q", EnvDemoURL, got)
	}
}

func TestReadmeExample(t *testing.T) {
	data, err := os.ReadFile("testdata/readme-example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg, problems := Check(bytes.NewReader(data), Options{Name: "readme-example.yaml", Env: testEnv()})
	// Its demo token is a literal default, which config check warns about
	// (issue 11); nothing else.
	if len(problems) != 1 || !problems[0].Warning || !strings.Contains(problems[0].Error(), "default of $STOCKS_TOKEN") {
		t.Fatalf("the README example should have exactly the STOCKS_TOKEN default warning, has:\n%s", pretty(problems))
	}
	if len(cfg.Feeds) != 3 || len(cfg.Panes) != 5 || cfg.Layout.Auto {
		t.Errorf("unexpected shape: %d feeds, %d panes", len(cfg.Feeds), len(cfg.Panes))
	}
	if cfg.Feed("stocks").Headers["Authorization"] != "Bearer demo" {
		t.Errorf("default in ${STOCKS_TOKEN:-demo} not applied: %v", cfg.Feed("stocks").Headers)
	}
}

func TestPaneHelpers(t *testing.T) {
	if !(&Pane{Type: List}).Listens("x") || (&Pane{Feeds: []string{"a"}}).Listens("b") {
		t.Error("Listens")
	}
	if DefaultTheme().Color(RoleLoss) != "9" {
		t.Error("Theme.Color")
	}
}

// TestReadmeExampleInSync: the README's configuration example is this tested
// file, verbatim. (Skips until the README has its Configuration section.)
func TestReadmeExampleInSync(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil || !strings.Contains(string(readme), "## Configuration") {
		t.Skip("README.md has no Configuration section yet")
	}
	example, err := os.ReadFile("testdata/readme-example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), "```yaml\n"+string(example)+"```") {
		t.Error("README.md's configuration example differs from config/testdata/readme-example.yaml; paste the file into the README")
	}
}

// The request keys: a body written as YAML goes out as JSON in the order
// written with ${VAR}s expanded; body_file is read relative to the config;
// retry_on: [] is "none", not "default".
func TestParseRequestKeys(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(dir+"/q.json", []byte(`{"q":1}`), 0o600); err != nil {
		t.Fatal(err)
	}
	src := `
feeds:
  chat:
    url: http://127.0.0.1:1/v1/chat
    method: POST
    body:
      model: "${MODEL}"
      stream: true
      n: 2
      temperature: 0.5
      stop: null
      messages: [{ role: user, content: "a <b> & \"c\"" }]
    headers_command: [get-token, --audience, "${AUD}"]
    reconnect: never
    end_on: "[DONE]"
    retry_on: []
  file:
    url: http://127.0.0.1:1/b
    method: PUT
    body_file: q.json
    retry_on: [429, 503]
  text:
    url: http://127.0.0.1:1/c
    method: PATCH
    body: "x=${MODEL}"
panes: [{ id: raw, type: log }]
`
	cfg, problems := Check(strings.NewReader(src), Options{Name: "r.yaml", Env: testEnv("MODEL", "gpt-x", "AUD", "api"), Dir: dir})
	if errs := problems.Errors(); len(errs) > 0 {
		t.Fatal(pretty(errs))
	}
	chat := cfg.Feed("chat")
	wantBody := `{"model":"gpt-x","stream":true,"n":2,"temperature":0.5,"stop":null,"messages":[{"role":"user","content":"a <b> & \"c\""}]}`
	if chat.Body != wantBody || !chat.BodyJSON || chat.Method != "POST" {
		t.Errorf("chat body = %q (json %v, method %s)\nwant %q", chat.Body, chat.BodyJSON, chat.Method, wantBody)
	}
	if !reflect.DeepEqual(chat.HeadersCommand, []string{"get-token", "--audience", "api"}) {
		t.Errorf("headers_command = %q", chat.HeadersCommand)
	}
	if chat.Reconnect.String() != "never" || chat.EndOn != "[DONE]" || chat.RetryOn == nil || len(chat.RetryOn) != 0 {
		t.Errorf("reconnect %v, end_on %q, retry_on %#v", chat.Reconnect, chat.EndOn, chat.RetryOn)
	}
	file := cfg.Feed("file")
	if file.Body != `{"q":1}` || file.BodyJSON || file.BodyFile != dir+"/q.json" || !reflect.DeepEqual(file.RetryOn, []int{429, 503}) {
		t.Errorf("file feed = %+v", file)
	}
	if text := cfg.Feed("text"); text.Body != "x=gpt-x" || text.BodyJSON || text.Method != "PATCH" {
		t.Errorf("text feed = %+v", text)
	}
	if ws := cfg.Warnings(); len(ws) != 0 {
		t.Errorf("warnings: %s", pretty(ws))
	}
}

// A body sent with GET is almost always a forgotten method.
func TestBodyWithGETWarns(t *testing.T) {
	cfg := parseOK(t, "feeds:\n  a:\n    url: http://127.0.0.1:1/a\n    body: { q: 1 }\npanes: [{ id: raw, type: log }]\n", nil)
	ws := cfg.Warnings()
	if len(ws) != 1 || !strings.Contains(ws[0].Error(), "body with GET") || ws[0].Pos.Line != 4 {
		t.Errorf("warnings = %s", pretty(ws))
	}
}

// explain names a feed's method when it is not GET, and its end_on.
func TestExplainShowsRequest(t *testing.T) {
	cfg := parseOK(t, "feeds:\n  chat:\n    url: \"http://127.0.0.1:1/v1/chat?key=${K:-s3cret}\"\n    method: POST\n    end_on: \"[DONE]\"\npanes: [{ id: raw, type: log }]\n", nil)
	var b bytes.Buffer
	if err := Explain(&b, cfg); err != nil {
		t.Fatal(err)
	}
	if want := `feed chat  POST http://127.0.0.1:1/v1/chat?key=***  (ends on data "[DONE]")`; !strings.Contains(b.String(), want) {
		t.Errorf("explain:\n%s\nwant %q", b.String(), want)
	}
}

// TestReadmePayloadsExample: the README's example of expressions, where:,
// event_from, drop and filters is this file, verbatim, and it loads cleanly.
func TestReadmePayloadsExample(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	example, err := os.ReadFile("testdata/readme-payloads.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), "```yaml\n"+string(example)+"```") {
		t.Error("README.md's payloads example differs from config/testdata/readme-payloads.yaml; paste the file into the README")
	}
	cfg, problems := Check(bytes.NewReader(example), Options{Name: "readme-payloads.yaml", Env: testEnv()})
	if len(problems) > 0 {
		t.Fatalf("the example has problems:\n%s", pretty(problems))
	}
	if p := cfg.Pane("comments"); len(p.Where) != 2 {
		t.Errorf("comments has %d where conditions, want 2", len(p.Where))
	}
	if f := cfg.Feed("smee"); f.EventFrom != "x-github-event" || !cfg.Feed("firebase").Drops("keep-alive") {
		t.Errorf("feed settings: %+v", f)
	}
}

// Hostile bodies are errors, never a panic or a hang: nesting past the
// bound, and aliases multiplying one node.
func TestBodyHostile(t *testing.T) {
	deep := strings.Repeat("[", 200) + strings.Repeat("]", 200)
	bomb := "x-a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\nx-b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nx-c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n" +
		"x-d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\nx-e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nx-f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
	for name, src := range map[string]string{
		"deep": "feeds:\n  a:\n    url: http://127.0.0.1:1/\n    method: POST\n    body: " + deep + "\n",
		"bomb": bomb + "feeds:\n  a:\n    url: http://127.0.0.1:1/\n    method: POST\n    body: *f\n",
	} {
		_, problems := Check(strings.NewReader(src), Options{Name: "h.yaml"})
		if len(problems.Errors()) == 0 {
			t.Errorf("%s: no error", name)
		}
	}
}
