//go:build linux

package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/livefeed/livefeed/config"
	"github.com/livefeed/livefeed/feed"
)

// The test binary doubles as a stand-in for the livefeed TUI (with
// FIREHOSE_FAKE_TUI=1), so the harness's pty, emulator, key timing and log
// handling are tested without depending on the real TUI. It keeps the same
// contract: --config and --log-file, panes in boxes whose focused border is
// drawn in the theme's focus colour, Tab / Shift-Tab / q, frame records with
// LIVEFEED_FRAME_LOG=1 and a summary record on exit.
const fakeEnv = "FIREHOSE_FAKE_TUI"

func TestMain(m *testing.M) {
	if os.Getenv(fakeEnv) == "1" {
		os.Exit(fakeTUI(os.Args[1:]))
	}
	os.Exit(m.Run())
}

func fakeTUI(args []string) int {
	started := time.Now()
	fs := flag.NewFlagSet("fake", flag.ContinueOnError)
	cfgPath := fs.String("config", "", "")
	logPath := fs.String("log-file", "", "")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	lf, err := os.OpenFile(*logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer lf.Close()
	log := slog.New(slog.NewJSONHandler(lf, nil))
	cfg, err := config.Load(config.Location{Path: *cfgPath}, os.LookupEnv)
	if err != nil {
		log.Error("config", "err", err)
		return 1
	}
	old, err := unix.IoctlGetTermios(0, unix.TCGETS)
	if err != nil {
		log.Error("termios", "err", err)
		return 1
	}
	raw := *old
	raw.Iflag &^= unix.IGNBRK | unix.BRKINT | unix.PARMRK | unix.ISTRIP | unix.INLCR | unix.IGNCR | unix.ICRNL | unix.IXON
	raw.Oflag &^= unix.OPOST
	raw.Lflag &^= unix.ECHO | unix.ECHONL | unix.ICANON | unix.ISIG | unix.IEXTEN
	raw.Cflag &^= unix.CSIZE | unix.PARENB
	raw.Cflag |= unix.CS8
	raw.Cc[unix.VMIN], raw.Cc[unix.VTIME] = 1, 0
	unix.IoctlSetTermios(0, unix.TCSETS, &raw) //nolint:errcheck // best effort
	defer unix.IoctlSetTermios(0, unix.TCSETS, old)
	ws, _ := unix.IoctlGetWinsize(1, unix.TIOCGWINSZ)
	w, h := int(ws.Col), int(ws.Row)
	focusSGR := "\x1b[38;2;255;0;175m"
	if c := strings.TrimPrefix(cfg.Theme.Color(config.RoleFocus), "#"); len(c) == 6 {
		var r, g, b int
		fmt.Sscanf(c, "%02x%02x%02x", &r, &g, &b)
		focusSGR = fmt.Sprintf("\x1b[38;2;%d;%d;%dm", r, g, b)
	}
	os.Stdout.WriteString("\x1b[?1049h\x1b[?25l\x1b[?2026$p\x1b]11;?\x07")

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var (
		mu      sync.Mutex
		counts  = map[string]int64{}
		total   int64
		batches int64
		focus   int
		syncOK  bool
		quit    = make(chan struct{})
	)
	out := make(chan feed.Batch, 64)
	for _, fc := range cfg.Feeds {
		f, err := feed.New(fc.Name, feed.Options{URL: fc.URL})
		if err != nil {
			log.Error("feed", "err", err)
			return 1
		}
		go f.Run(ctx, out)
	}
	go func() {
		for b := range out {
			mu.Lock()
			counts[b.Feed] += int64(len(b.Events))
			total += int64(len(b.Events))
			batches++
			mu.Unlock()
		}
	}()
	go func() {
		buf := make([]byte, 256)
		var in []byte
		for {
			n, err := os.Stdin.Read(buf)
			if err != nil {
				return
			}
			in = append(in, buf[:n]...)
			mu.Lock()
			if bytes.Contains(in, []byte("\x1b[?2026;2$y")) {
				syncOK = true
			}
			for len(in) > 0 {
				switch {
				case bytes.HasPrefix(in, []byte("\x1b[Z")):
					focus--
					in = in[3:]
				case in[0] == '\t':
					focus++
					in = in[1:]
				case in[0] == 'q':
					close(quit)
					in = nil
				default:
					in = in[1:]
				}
			}
			mu.Unlock()
		}
	}()
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM)

	var panes []*config.Pane
	for _, p := range cfg.Panes {
		if p.Type != config.Ticker {
			panes = append(panes, p)
		}
	}
	frames, firstFrame := int64(0), time.Duration(0)
	last := ""
	tk := time.NewTicker(16 * time.Millisecond)
	defer tk.Stop()
loop:
	for {
		select {
		case <-tk.C:
		case <-quit:
			break loop
		case <-sig:
			break loop
		}
		mu.Lock()
		f := ((focus % len(panes)) + len(panes)) % len(panes)
		content := fmt.Sprintf("focus %d events %d", f, total)
		for _, fc := range cfg.Feeds {
			content += fmt.Sprintf(" %s=%d", fc.Name, counts[fc.Name])
		}
		useSync := syncOK
		mu.Unlock()
		if content == last {
			continue
		}
		last = content
		var b strings.Builder
		if useSync {
			b.WriteString("\x1b[?2026h")
		}
		boxH := h / len(panes)
		for i, p := range panes {
			colour := "\x1b[39m"
			if i == f {
				colour = focusSGR
			}
			top := i * boxH
			title := "─ " + p.Title + " "
			fmt.Fprintf(&b, "\x1b[%d;1H%s╭%s%s╮", top+1, colour, title, strings.Repeat("─", w-2-len([]rune(title))))
			for y := 1; y < boxH-1; y++ {
				text := ""
				if y == 1 {
					text = content
				}
				fmt.Fprintf(&b, "\x1b[%d;1H%s│\x1b[39m%-*.*s%s│", top+y+1, colour, w-2, w-2, text, colour)
			}
			fmt.Fprintf(&b, "\x1b[%d;1H%s╰%s╯\x1b[39m", top+boxH, colour, strings.Repeat("─", w-2))
		}
		if useSync {
			b.WriteString("\x1b[?2026l")
		}
		os.Stdout.WriteString(b.String())
		frames++
		if frames == 1 {
			firstFrame = time.Since(started)
		}
		if frames%100 == 0 && os.Getenv("LIVEFEED_FRAME_LOG") == "1" {
			log.Info("frames", "frames", frames)
		}
	}
	cancel()
	os.Stdout.WriteString("\x1b[?1049l\x1b[?25h")
	mu.Lock()
	defer mu.Unlock()
	log.Info("summary", "events", total, "per_feed", counts, "routed", total, "dropped", 0,
		"frames", frames, "batches", batches, "elapsed_ms", time.Since(started).Milliseconds(),
		"first_frame_ms", firstFrame.Milliseconds())
	return 0
}
