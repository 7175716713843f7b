package ui

import (
	"bytes"
	"encoding/base64"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/livefeed/livefeed/capture"
	"github.com/livefeed/livefeed/config"
	"github.com/livefeed/livefeed/feed"
)

func newExportModel(t *testing.T, dir string) *Model {
	t.Helper()
	m := New(Options{Config: demoConfig(t), Clock: func() time.Time { return testNow }, Start: testNow, ExportDir: dir})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	m.Update(demoBatches())
	return m
}

// focusPane presses tab until the pane with id has the focus.
func focusPane(t *testing.T, m *Model, id string) {
	t.Helper()
	for range len(m.order) + 1 {
		if s := m.focusedSlot(); s != nil && s.id == id {
			return
		}
		m.Update(press("tab"))
	}
	t.Fatalf("pane %q never got the focus", id)
}

// exportFocused presses the export key, runs the command it returns (the
// file is written there, not in Update) and hands the result back.
func exportFocused(t *testing.T, m *Model) exportedMsg {
	t.Helper()
	_, cmd := m.Update(press("e"))
	if cmd == nil {
		t.Fatalf("export returned no command; status %q", m.message)
	}
	msg, ok := cmd().(exportedMsg)
	if !ok {
		t.Fatalf("export command returned %T", msg)
	}
	m.Update(msg)
	return msg
}

func TestExportTableAsCSV(t *testing.T) {
	dir := t.TempDir()
	m := newExportModel(t, dir)
	focusPane(t, m, "prices")
	msg := exportFocused(t, m)
	if msg.err != nil {
		t.Fatal(msg.err)
	}
	wantPath := filepath.Join(dir, "prices-"+testNow.Format("20060102-150405")+".csv")
	if msg.path != wantPath || msg.n != 3 {
		t.Errorf("exported %d rows to %s, want 3 to %s", msg.n, msg.path, wantPath)
	}
	if !strings.Contains(screen(m), "exported 3 rows of prices to "+wantPath[:20]) {
		t.Errorf("the banner does not name the file:\n%s", screen(m))
	}
	b, err := os.ReadFile(msg.path)
	if err != nil {
		t.Fatal(err)
	}
	// Shown columns, then the raw value of each path column, then the
	// row's key and latest event.
	golden.RequireEqual(t, b)

	// A second export in the same second does not overwrite the first.
	msg2 := exportFocused(t, m)
	if msg2.err != nil || msg2.path != strings.TrimSuffix(wantPath, ".csv")+"-2.csv" {
		t.Errorf("second export: %s, %v", msg2.path, msg2.err)
	}
}

func TestExportLogAsCapture(t *testing.T) {
	dir := t.TempDir()
	m := newExportModel(t, dir)
	extra := feed.Event{Type: "weird", ID: "", Data: "line 1\nline 2 \x1b[31m ✓"}
	m.Update(batchMsg{batches: []feed.Batch{events("news", testNow, extra)}, events: 1, at: testNow})
	focusPane(t, m, "raw")
	msg := exportFocused(t, m)
	if msg.err != nil {
		t.Fatal(msg.err)
	}
	if filepath.Ext(msg.path) != ".ndjson" || msg.n != 2 {
		t.Fatalf("exported %d to %s", msg.n, msg.path)
	}
	got, err := os.ReadFile(msg.path)
	if err != nil {
		t.Fatal(err)
	}
	// The capture format, byte for byte: the weather event no other pane
	// took, then the one just added, raw (escape sequences stay data).
	var want []byte
	weather := demoBatches().batches[5].Events[2]
	want = capture.AppendEvent(want, "news", testNow.Add(-2*time.Second), &weather)
	want = capture.AppendEvent(want, "news", testNow, &extra)
	if !bytes.Equal(got, want) {
		t.Errorf("exported\n%s\nwant\n%s", got, want)
	}
	lines, err := capture.ReadAll(bytes.NewReader(got))
	if err != nil || len(lines) != 2 || lines[1].Event != extra {
		t.Errorf("read back %+v, %v", lines, err)
	}
}

func TestExportListAndTicker(t *testing.T) {
	dir := t.TempDir()
	m := newExportModel(t, dir)
	for id, n := range map[string]int{"alerts": 2, "headlines": 1} {
		focusPane(t, m, id)
		msg := exportFocused(t, m)
		if msg.err != nil || msg.n != n {
			t.Errorf("%s: %d items, %v", id, msg.n, msg.err)
			continue
		}
		lines, err := capture.ReadAll(bytes.NewReader(mustReadFile(t, msg.path)))
		if err != nil || len(lines) != n {
			t.Errorf("%s: %d lines, %v", id, len(lines), err)
		}
	}
}

func mustReadFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestExportEmptyPaneAndFailure(t *testing.T) {
	m := New(Options{Config: demoConfig(t), Clock: func() time.Time { return testNow }, ExportDir: t.TempDir()})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	focusPane(t, m, "prices")
	if _, cmd := m.Update(press("e")); cmd != nil || !strings.Contains(m.message, "nothing to export") {
		t.Errorf("empty pane: cmd %v, message %q", cmd != nil, m.message)
	}
	m = newExportModel(t, filepath.Join(t.TempDir(), "missing", "dir"))
	focusPane(t, m, "prices")
	msg := exportFocused(t, m)
	if msg.err == nil || !strings.Contains(screen(m), "export of prices failed") {
		t.Errorf("export into a missing directory: %v\n%s", msg.err, screen(m))
	}
}

func TestCSVSafe(t *testing.T) {
	for in, want := range map[string]string{
		"": "", "AAPL": "AAPL", "-0.41": "-0.41", "+2.5": "+2.5", "=HYPERLINK(\"x\")": "'=HYPERLINK(\"x\")",
		"@SUM(A1)": "'@SUM(A1)", "-cmd": "'-cmd", "\tx": "'\tx", "+0.27%": "+0.27%", "-1.2M": "-1.2M", "-1e3": "-1e3",
		"-2+3": "'-2+3", "+1%%": "'+1%%", "=1": "'=1",
	} {
		if got := csvSafe(in); got != want {
			t.Errorf("csvSafe(%q) = %q, want %q", in, got, want)
		}
	}
	if got := exportName("../../etc/pass wd", testNow); !strings.HasPrefix(got, "_.._etc_pass_wd-") {
		t.Errorf("exportName = %q", got)
	}
}

// runCmd runs cmd in a real bubbletea program writing to a buffer, and
// returns what the program wrote to the terminal.
func runCmd(t *testing.T, cmd tea.Cmd) string {
	t.Helper()
	var out bytes.Buffer
	p := tea.NewProgram(cmdModel{cmd}, tea.WithInput(nil), tea.WithOutput(&out), tea.WithWindowSize(40, 5))
	if _, err := p.Run(); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

type cmdModel struct{ cmd tea.Cmd }

func (c cmdModel) Init() tea.Cmd                       { return tea.Sequence(c.cmd, tea.Quit) }
func (c cmdModel) Update(tea.Msg) (tea.Model, tea.Cmd) { return c, nil }
func (c cmdModel) View() tea.View                      { return tea.NewView("") }

func osc52(s string) string {
	return "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte(s)) + "\x07"
}

func TestCopyDataIsOSC52(t *testing.T) {
	m := newExportModel(t, t.TempDir())
	focusPane(t, m, "raw")
	_, cmd := m.Update(press("y"))
	if cmd == nil {
		t.Fatal("y returned no command")
	}
	// JSON is copied pretty-printed.
	want := osc52("{\n  \"city\": \"Oslo\",\n  \"temp\": -2\n}")
	if out := runCmd(t, cmd); !strings.Contains(out, want) {
		t.Errorf("terminal got %q, want it to contain %q", out, want)
	}
	if !strings.Contains(m.message, "copied 34 bytes of news data") {
		t.Errorf("status %q", m.message)
	}

	// An event too big for a terminal sequence is not sent.
	big := feed.Event{Type: "big", Data: strings.Repeat("x", maxClipboard+1)}
	m.Update(batchMsg{batches: []feed.Batch{events("news", testNow, big)}, events: 1, at: testNow})
	if _, cmd := m.Update(press("y")); cmd != nil || !strings.Contains(m.message, "too big") {
		t.Errorf("a %d-byte event: cmd %v, status %q", len(big.Data), cmd != nil, m.message)
	}

	// Text is copied as it is, control characters included (base64 keeps
	// them away from the terminal).
	if got := clipboardText("a\nb\x1b[2J"); got != "a\nb\x1b[2J" {
		t.Errorf("text: %q", got)
	}
	if got := clipboardText(`"just a JSON string"`); got != `"just a JSON string"` {
		t.Errorf("JSON scalar: %q", got)
	}

	// In the inspector, y copies the inspected event.
	focusPane(t, m, "prices")
	m.Update(press("enter"))
	if m.detail == nil {
		t.Fatal("enter opened no inspector")
	}
	_, cmd = m.Update(press("y"))
	if out := runCmd(t, cmd); !strings.Contains(out, "\x1b]52;c;"+base64.StdEncoding.EncodeToString([]byte("{\n  \"symbol\": \"AAPL\""))[:20]) {
		t.Errorf("inspector copy: %q", out)
	}
}

func TestCopyCurl(t *testing.T) {
	f := &config.Feed{Name: "s", URL: "https://user:pw@api.example.com/v1/stream?topic=a&access_token=abc123",
		Headers: map[string]string{"Authorization": "Bearer tok", "X-Tenant": "it's mine"}, TLS: config.TLS{Insecure: true, CAFile: "/etc/ca dir/ca.pem"}}
	got := curlCommand(f, false)
	want := `curl -N -H 'Accept: text/event-stream' -H 'Cache-Control: no-cache' -H 'Authorization: ***' -H 'X-Tenant: it'\''s mine' --insecure --cacert '/etc/ca dir/ca.pem' 'https://user:***@api.example.com/v1/stream?topic=a&access_token=***'`
	if got != want {
		t.Errorf("redacted:\n got %s\nwant %s", got, want)
	}
	got = curlCommand(f, true)
	if !strings.Contains(got, `'Authorization: Bearer tok'`) || !strings.Contains(got, `'https://user:pw@api.example.com/v1/stream?topic=a&access_token=abc123'`) {
		t.Errorf("--show-secrets: %s", got)
	}
	plain := &config.Feed{Name: "p", URL: "http://127.0.0.1:8080/events/stocks"}
	if got := curlCommand(plain, false); got != "curl -N -H 'Accept: text/event-stream' -H 'Cache-Control: no-cache' http://127.0.0.1:8080/events/stocks" {
		t.Errorf("plain: %s", got)
	}

	post := &config.Feed{Name: "llm", URL: "https://api.example.com/v1/chat", Method: "POST", Body: `{"stream":true,"q":"it's"}`, BodyJSON: true,
		Headers: map[string]string{"X-Api-Key": "k"}}
	if got, want := curlCommand(post, false), `curl -N -X POST -H 'Accept: text/event-stream' -H 'Cache-Control: no-cache' -H 'Content-Type: application/json' -H 'X-Api-Key: ***' --data-binary '{"stream":true,"q":"it'\''s"}' https://api.example.com/v1/chat`; got != want {
		t.Errorf("POST:\n got %s\nwant %s", got, want)
	}
	fromFile := &config.Feed{Name: "f", URL: "http://h/s", Method: "PUT", BodyFile: "/etc/body file.json", Headers: map[string]string{"content-type": "text/plain"}, BodyJSON: true}
	if got, want := curlCommand(fromFile, false), `curl -N -X PUT -H 'Accept: text/event-stream' -H 'Cache-Control: no-cache' -H 'content-type: text/plain' --data-binary '@/etc/body file.json' http://h/s`; got != want {
		t.Errorf("body file:\n got %s\nwant %s", got, want)
	}

	// Y on an event copies its feed's request.
	m := newExportModel(t, t.TempDir())
	focusPane(t, m, "prices")
	_, cmd := m.Update(press("Y"))
	want = osc52("curl -N -H 'Accept: text/event-stream' -H 'Cache-Control: no-cache' http://127.0.0.1:9/events/stocks")
	if out := runCmd(t, cmd); !strings.Contains(out, want) {
		t.Errorf("Y: terminal got %q, want %q", out, want)
	}
}

// The new keys are remappable like the others and listed in the help.
func TestExportKeysRemapAndHelp(t *testing.T) {
	cfg := parseConfig(t, "k.yaml", dashboardYAML(t)+"\nkeys:\n  export: [x]\n  copy: []\n")
	m := New(Options{Config: cfg, Clock: func() time.Time { return testNow }, ExportDir: t.TempDir()})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	m.Update(demoBatches())
	focusPane(t, m, "prices")
	if _, cmd := m.Update(press("x")); cmd == nil {
		t.Error("export remapped to x does nothing")
	}
	if _, cmd := m.Update(press("y")); cmd != nil {
		t.Error("unbound copy still copies")
	}
	m.Update(press("?"))
	help := screen(m)
	for _, want := range []string{`x\s+export pane`, `Y\s+copy as curl`} {
		if !regexp.MustCompile(want).MatchString(help) {
			t.Errorf("help lacks %q:\n%s", want, help)
		}
	}
	if strings.Contains(help, "copy data") || strings.Contains(help, "replay") {
		t.Errorf("help lists an unbound key or the replay keys outside a replay:\n%s", help)
	}
}

// A filtered pane exports what its filter lets through.
func TestExportFollowsTheFilter(t *testing.T) {
	m := newExportModel(t, t.TempDir())
	filter := func(text string) {
		m.Update(press("/"))
		for _, r := range text {
			m.Update(press(string(r)))
		}
		m.Update(press("enter"))
	}
	focusPane(t, m, "prices")
	filter("MSFT")
	if msg := exportFocused(t, m); msg.err != nil || msg.n != 1 || !strings.Contains(string(mustReadFile(t, msg.path)), "\nMSFT,414.02,") {
		t.Errorf("filtered table: %d rows, %v", msg.n, msg.err)
	}
	focusPane(t, m, "alerts")
	filter("type:goal")
	msg := exportFocused(t, m)
	lines, err := capture.ReadAll(bytes.NewReader(mustReadFile(t, msg.path)))
	if err != nil || msg.n != 1 || len(lines) != 1 || lines[0].Event.Type != "goal" {
		t.Errorf("filtered list: %d, %+v, %v", msg.n, lines, err)
	}
}
