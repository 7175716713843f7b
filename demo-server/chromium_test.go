package demoserver

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestChromiumPage opens the demo page in real headless Chromium and checks,
// in the live DOM, that EventSource connections to every topic are OPEN
// and that their events were rendered.
//
// The DOM is read over the DevTools protocol (--remote-debugging-pipe)
// rather than with --dump-dom: --dump-dom snapshots right at the load event,
// before any event arrived, and --virtual-time-budget never ends while an
// event stream is open. Set LIVEFEED_SCREENSHOT=/tmp/demo.png to also save a
// screenshot of the page.
func TestChromiumPage(t *testing.T) {
	bin := chromiumPath()
	if bin == "" {
		if os.Getenv("LIVEFEED_E2E") == "1" {
			t.Fatal("chromium is not installed, and LIVEFEED_E2E=1 requires this test (apt-get install -y chromium)")
		}
		t.Skip("chromium is not installed (apt-get install -y chromium); skipping the browser test (LIVEFEED_E2E=1 makes this a failure)")
	}
	s := startServer(t, func(o *Options) { o.Rate = 20 })
	ctx, cancel := context.WithTimeout(t.Context(), 45*time.Second)
	defer cancel()
	b := launchChromium(ctx, t, bin, s.URL()+"/")

	chip := regexp.MustCompile(`<div class="conn" data-topic="(\w+)" data-state="(\w+)" data-count="(\d+)"`)
	var dom string
	var problems []string
	for {
		var err error
		dom, err = b.evalString(ctx, "document.documentElement.outerHTML")
		if err != nil {
			t.Fatalf("reading the DOM: %v", err)
		}
		problems = problems[:0]
		states := map[string]string{}
		for _, m := range chip.FindAllStringSubmatch(dom, -1) {
			if n, _ := strconv.Atoi(m[3]); n == 0 {
				problems = append(problems, m[1]+": no events yet")
			}
			states[m[1]] = m[2]
		}
		for _, topic := range Topics() {
			if states[topic] != "OPEN" {
				problems = append(problems, fmt.Sprintf("%s connection is %q, want OPEN", topic, states[topic]))
			}
		}
		for what, re := range map[string]string{
			"a stock row with a price":     `<tr class="stock-row[^"]*" data-symbol="[A-Z]+"><td class="sym">[A-Z]+</td><td class="px">[0-9,]+\.\d\d</td>`,
			"a match card":                 `<div class="match[^"]*" data-match="\d+"><div class="league">[^<]+</div>`,
			"a headline or notification":   `class="(item headline|note notification [a-z]+)"><div class="title">[^<]+</div>`,
			"an event log line with an id": `<span class="id">#\d+ </span>`,
			"a job with a name and a bar":  `<div class="job[^"]*" data-job="job-\d+"><div class="top"><span class="jname">[^<]+</span><span class="pct">(?:[0-9.]+%|done|failed)</span></div><div class="bar"><div class="fill" style="width: [0-9.]+%;?"`,
			"a host row with its CPU":      `<tr class="host-row" data-host="[a-z0-9-]+"><td class="sym">[a-z0-9-]+</td><td class="cpu[^"]*">[0-9.]+%</td><td class="spark">[▁▂▃▄▅▆▇█]+</td>`,
		} {
			if !regexp.MustCompile(re).MatchString(dom) {
				problems = append(problems, "no "+what)
			}
		}
		if len(problems) == 0 || ctx.Err() != nil {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if len(problems) > 0 {
		t.Fatalf("page after %v: %s\n\nDOM:\n%s", 45*time.Second, strings.Join(problems, "; "), dom)
	}
	if path := os.Getenv("LIVEFEED_SCREENSHOT"); path != "" {
		time.Sleep(2 * time.Second) // let more data fill the page
		png, err := b.screenshot(ctx)
		if err != nil {
			t.Fatalf("screenshot: %v", err)
		}
		if err := os.WriteFile(path, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot saved to %s", path)
	}
}

func chromiumPath() string {
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// browser is a headless Chromium driven over the DevTools protocol on a pipe.
type browser struct {
	cmd     *exec.Cmd
	in      *os.File // to Chromium
	replies chan cdpReply
	nextID  int
	session string
}

type cdpReply struct {
	ID     int             `json:"id"`
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Message string `json:"message"`
	} `json:"error"`
}

func launchChromium(ctx context.Context, t *testing.T, bin, url string) *browser {
	t.Helper()
	toChrome, chromeIn, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	chromeOut, fromChrome, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--no-first-run", "--user-data-dir="+t.TempDir(),
		"--remote-debugging-pipe", "--window-size=1280,1600", "--hide-scrollbars", url)
	cmd.ExtraFiles = []*os.File{toChrome, fromChrome} // fd 3: commands in, fd 4: replies out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	toChrome.Close()
	fromChrome.Close()
	b := &browser{cmd: cmd, in: chromeIn, replies: make(chan cdpReply, 16)}
	t.Cleanup(func() {
		_, _ = b.call(context.Background(), false, "Browser.close", nil)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
		chromeIn.Close()
		chromeOut.Close()
	})
	go func() {
		defer close(b.replies)
		r := bufio.NewReader(chromeOut)
		for {
			msg, err := r.ReadBytes(0)
			if err != nil {
				return
			}
			var rep cdpReply
			if json.Unmarshal(msg[:len(msg)-1], &rep) == nil && rep.ID != 0 {
				b.replies <- rep
			}
		}
	}()

	// Attach to the page Chromium opened for url.
	for {
		res, err := b.call(ctx, false, "Target.getTargets", nil)
		if err != nil {
			t.Fatalf("chromium: %v", err)
		}
		var targets struct {
			TargetInfos []struct{ TargetID, Type, URL string }
		}
		_ = json.Unmarshal(res, &targets)
		for _, ti := range targets.TargetInfos {
			if ti.Type == "page" && strings.HasPrefix(ti.URL, url) {
				res, err := b.call(ctx, false, "Target.attachToTarget", map[string]any{"targetId": ti.TargetID, "flatten": true})
				if err != nil {
					t.Fatalf("chromium: %v", err)
				}
				var att struct{ SessionID string }
				_ = json.Unmarshal(res, &att)
				b.session = att.SessionID
				return b
			}
		}
		select {
		case <-ctx.Done():
			t.Fatalf("chromium never opened %s", url)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// call sends one DevTools command, to the page when inPage, and waits for its reply.
func (b *browser) call(ctx context.Context, inPage bool, method string, params any) (json.RawMessage, error) {
	b.nextID++
	msg := map[string]any{"id": b.nextID, "method": method}
	if params != nil {
		msg["params"] = params
	}
	if inPage {
		msg["sessionId"] = b.session
	}
	raw, _ := json.Marshal(msg)
	if _, err := b.in.Write(append(raw, 0)); err != nil {
		return nil, err
	}
	for {
		select {
		case rep, ok := <-b.replies:
			if !ok {
				return nil, errors.New("chromium closed the DevTools pipe")
			}
			if rep.ID != b.nextID {
				continue
			}
			if rep.Error != nil {
				return nil, fmt.Errorf("%s: %s", method, rep.Error.Message)
			}
			return rep.Result, nil
		case <-ctx.Done():
			return nil, fmt.Errorf("%s: %w", method, ctx.Err())
		}
	}
}

func (b *browser) evalString(ctx context.Context, expr string) (string, error) {
	res, err := b.call(ctx, true, "Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true})
	if err != nil {
		return "", err
	}
	var v struct{ Result struct{ Value string } }
	err = json.Unmarshal(res, &v)
	return v.Result.Value, err
}

func (b *browser) screenshot(ctx context.Context) ([]byte, error) {
	res, err := b.call(ctx, true, "Page.captureScreenshot", map[string]any{"format": "png"})
	if err != nil {
		return nil, err
	}
	var v struct{ Data string }
	if err := json.Unmarshal(res, &v); err != nil {
		return nil, err
	}
	return base64.StdEncoding.DecodeString(v.Data)
}
