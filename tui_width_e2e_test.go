package main

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
)

// widthHostile is text whose width terminals and naive measuring disagree on,
// beside the control sequences of the hostile-input tests.
var widthHostile = []string{
	"family 👨\u200d👩\u200d👧 here",
	"love ❤\ufe0f you",
	"thumbs 👍🏽 up",
	"coder 🧑🏽\u200d💻 ok",
	"rainbow 🏳\ufe0f\u200d🌈 flag",
	"flag 🇯🇵 and 🇺🇸 and a lone 🇯",
	"keycap #\ufe0f\u20e3 text ☺\ufe0e",
	"zw a\u200bb\u200cc\u200dd\u200ee\u200ff\u2060g\u061ch\u00adi\ufeffj",
	"scotland 🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",
	"日本語のニュース 한국어 뉴스 中文新闻",
	"e\u0301 combining e\u0301e\u0301",
	"\x1b[2J\x1b[Hclear",
	"\x1b]52;c;ZXZpbA==\x07clip",
	"\x1b]8;;http://x\x1b\\link",
	"\u009b31m c1",
	"bell\x07 over\rwrite back\bspace",
	"\u202eevil\u202c bidi",
	"tab\there\nnew\x00line\x7fdel",
}

// tmuxCells is how many cells tmux 3.3a gives s, as probed with its cursor:
// wcwidth per code point, except that a soft hyphen takes a cell and a wide
// character after U+200D joins the previous cell. The test checks this model
// against the tmux it runs before trusting it.
func tmuxCells(s string) int {
	n, zwj := 0, false
	for _, r := range s {
		w := ansi.StringWidthWc(string(r))
		switch {
		case r == 0xad:
			w = 1
		case zwj && w == 2:
			w = 0
		}
		n += w
		zwj = r == 0x200d
	}
	return n
}

// Every row the dashboard draws has exactly the terminal's width in tmux,
// with headlines full of emoji, flags, skin tones, joiners, CJK and escapes:
// no border shifts.
func TestTUIRowsKeepTheirWidthInTmux(t *testing.T) {
	tmux := e2eTmux(t)
	dir := t.TempDir()
	bin := e2eBuild(t, dir)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		for i, h := range widthHostile {
			data, _ := json.Marshal(map[string]any{"key": fmt.Sprintf("k%02d %s", i, h), "title": h, "n": i})
			fmt.Fprintf(w, "event: headline\ndata: %s\n\n", data)
		}
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	})}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })

	cfg := filepath.Join(dir, "width.yaml")
	tuiWriteFile(t, cfg, fmt.Sprintf(`
feeds:
  news: { url: "http://%s/" }
panes:
  - { id: ticker, type: ticker, events: [headline], text: "{title}" }
  - id: table
    type: table
    title: "Table 👍🏽 ❤️"
    events: [headline]
    key: key
    columns:
      - { title: Key, path: key }
      - { title: "Title 🇯🇵", path: title }
  - { id: list, type: list, title: List, events: [headline], text: "{title}" }
  - { id: raw, type: log, title: Raw, events: ["*"] }
layout:
  - [ticker]
  - [table: 3, list: 2]
  - [raw]
`, ln.Addr()))

	sock := fmt.Sprintf("livefeed-width-%d-%d", os.Getpid(), time.Now().UnixNano())
	tm := func(args ...string) (string, error) {
		out, err := exec.Command(tmux, append([]string{"-L", sock, "-f", "/dev/null"}, args...)...).CombinedOutput()
		return string(out), err
	}
	t.Cleanup(func() { _, _ = tm("kill-server") })

	// Calibrate: tmuxCells must be what this tmux does with each headline.
	if out, err := tm("new-session", "-d", "-s", "calib", "-x", "200", "-y", "5", "sh", "-c", "sleep 60"); err != nil {
		t.Fatalf("tmux new-session: %v\n%s", err, out)
	}
	for _, h := range widthHostile {
		s := strings.Map(func(r rune) rune {
			if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || (r >= 0x202a && r <= 0x202e) {
				return -1
			}
			return r
		}, h)
		if _, err := tm("respawn-pane", "-k", "-t", "calib", "sh", "-c", `printf '\033[H\033[2J%s' "$1"; sleep 60`, "sh", s); err != nil {
			t.Fatal(err)
		}
		var x string
		for range 50 {
			time.Sleep(20 * time.Millisecond)
			if out, err := tm("display", "-p", "-t", "calib", "#{cursor_x}"); err == nil {
				if x = strings.TrimSpace(out); x != "0" {
					break
				}
			}
		}
		if want := fmt.Sprint(tmuxCells(s)); x != want {
			t.Fatalf("tmux puts %q in %s cells, the test's model says %s", s, x, want)
		}
	}
	// calib stays until the end: killing the last session ends the server,
	// racing with the next new-session ("server exited unexpectedly").

	const cols = 120
	cmdline := fmt.Sprintf("%s --config %s --log-file %s", tuiShellQuote(bin), tuiShellQuote(cfg), tuiShellQuote(filepath.Join(dir, "log")))
	if out, err := tm("new-session", "-d", "-s", "ui", "-x", fmt.Sprint(cols), "-y", "40", "env", "TERM=xterm-256color", "sh", "-c", cmdline); err != nil {
		t.Fatalf("tmux new-session: %v\n%s", err, out)
	}
	var screen string
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		out, _ := tm("capture-pane", "-p", "-t", "ui")
		screen = out
		if strings.Contains(screen, "k17") && strings.Contains(screen, "scotland") && strings.Contains(screen, "coder") {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if !strings.Contains(screen, "k17") {
		t.Fatalf("the headlines did not arrive:\n%s", screen)
	}
	time.Sleep(300 * time.Millisecond) // let the ticker and the frame settle
	screen, _ = tm("capture-pane", "-p", "-t", "ui")

	bordered := 0
	for i, row := range strings.Split(strings.TrimRight(screen, "\n"), "\n") {
		if !strings.ContainsAny(row, "│╭╮╰╯┃┏┓┗┛") {
			continue
		}
		bordered++
		if w := tmuxCells(row); w != cols {
			t.Errorf("row %d is %d cells wide in tmux, want %d: %q", i, w, cols, row)
		}
		last, _ := lastRune(row)
		if !strings.ContainsRune("│╮╯┃┓┛", last) {
			t.Errorf("row %d does not end with a border: %q", i, row)
		}
	}
	// Side by side panes meet at the same column on every row.
	junctions := map[int][]int{}
	for i, row := range strings.Split(strings.TrimRight(screen, "\n"), "\n") {
		for _, j := range []string{"││", "╮╭", "╯╰", "┃│", "│┃", "┓╭", "╮┏", "┛╰", "╯┗"} { // ┃┓┛┏┗: the focused pane
			if k := strings.Index(row, j); k >= 0 {
				c := tmuxCells(row[:k])
				junctions[c] = append(junctions[c], i)
				break
			}
		}
	}
	if len(junctions) != 1 {
		t.Errorf("the table and the list meet at columns %v (column: rows), want one column", junctions)
	}
	if bordered < 10 {
		t.Errorf("only %d bordered rows:\n%s", bordered, screen)
	}
	if t.Failed() {
		t.Logf("screen:\n%s", screen)
	}
}

func lastRune(s string) (rune, bool) {
	rs := []rune(s)
	if len(rs) == 0 {
		return 0, false
	}
	return rs[len(rs)-1], true
}

// e2eTmux finds tmux, skipping (or failing under LIVEFEED_E2E=1) without it.
func e2eTmux(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end test; skipped with -short")
	}
	tmux, err := exec.LookPath("tmux")
	if err != nil {
		if os.Getenv("LIVEFEED_E2E") == "1" {
			t.Fatal("tmux is not installed, and LIVEFEED_E2E=1 requires the end-to-end tests (apt-get install tmux)")
		}
		t.Skip("tmux is not installed; install it (apt-get install tmux) or set LIVEFEED_E2E=1 to require this test")
	}
	return tmux
}

// e2eBuild builds the livefeed binary into dir.
func e2eBuild(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "livefeed")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}
