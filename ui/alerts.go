package ui

import (
	"context"
	"log/slog"
	"strings"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"

	"github.com/livefeed/livefeed/config"
	"github.com/livefeed/livefeed/feed"
	"github.com/livefeed/livefeed/live"
)

// maxOSCText bounds the bytes of a notification's title or body.
const maxOSCText = 240

// alertBytes is what a firing writes to the terminal besides the screen:
// BEL when the rule rings the bell, and a desktop notification both as OSC
// 777 (urxvt, foot, WezTerm, Ghostty, VTE terminals) and OSC 9 (iTerm2,
// Windows Terminal, kitty, ConEmu); terminals ignore the sequences they do
// not know. Inside tmux, which drops OSC sequences it does not handle, the
// notifications are sent again wrapped for passthrough (tmux 3.3 and later
// with allow-passthrough on; otherwise tmux drops those too). The text comes
// from feed data, so it is stripped of every control character before it
// goes inside a sequence.
func alertBytes(f live.Firing, inTmux bool) string {
	var b strings.Builder
	if f.Bell {
		b.WriteByte('\a')
	}
	if f.Notify {
		// A ';' in the title would end it early in OSC 777.
		title := strings.ReplaceAll(oscText("livefeed: "+f.Rule), ";", ",")
		body := oscText(f.Message)
		// The title first in OSC 9: text starting "4;" is a progress
		// report in ConEmu and Windows Terminal.
		seqs := []string{"\x1b]777;notify;" + title + ";" + body + "\a", "\x1b]9;" + title + ": " + body + "\a"}
		for _, seq := range seqs {
			b.WriteString(seq)
		}
		if inTmux {
			for _, seq := range seqs {
				b.WriteString(tmuxPassthrough(seq))
			}
		}
	}
	return b.String()
}

// tmuxPassthrough wraps a sequence in tmux's DCS passthrough, doubling its
// ESCs as tmux requires.
func tmuxPassthrough(seq string) string {
	return "\x1bPtmux;" + strings.ReplaceAll(seq, "\x1b", "\x1b\x1b") + "\x1b\\"
}

// oscText keeps the printable characters of s (no C0, DEL or C1 controls,
// which could end or change the sequence), at most maxOSCText bytes.
func oscText(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) || r == utf8.RuneError {
			continue
		}
		if b.Len()+utf8.RuneLen(r) > maxOSCText {
			break
		}
		b.WriteRune(r)
	}
	return b.String()
}

// deliverAlerts shows firings: as items of the panes that list alerts
// (feed: $alerts), else as a banner; writes them to the log; and returns
// the bell and notifications to write to the terminal.
func (m *Model) deliverAlerts(fs []live.Firing, perPane [][]Item) (raw string) {
	var b strings.Builder
	for _, f := range fs {
		level := slog.LevelWarn
		switch f.Level {
		case config.AlertInfo:
			level = slog.LevelInfo
		case config.AlertError:
			level = slog.LevelError
		}
		attrs := []any{"rule", f.Rule, "level", f.Level, "message", f.Message}
		if f.Feed != "" {
			attrs = append(attrs, "feed", f.Feed)
		}
		if f.Key != "" {
			attrs = append(attrs, "key", f.Key)
		}
		if f.Throttled > 0 {
			attrs = append(attrs, "throttled", f.Throttled)
		}
		m.log.Log(context.Background(), level, "alert", attrs...)

		shown := false
		m.seq++
		it := Item{Seq: m.seq, Feed: config.AlertsFeed, Time: f.Time, Event: feed.Event{Type: config.AlertEvent, Data: f.JSON()}}
		for i, s := range m.slots {
			if s.cfg.ShowsAlerts() {
				perPane[i] = append(perPane[i], it)
				shown = true
			}
		}
		if !shown && (m.banner == "" || m.alertBanner) {
			// A config problem's banner stays: it says why edits are not
			// taking effect.
			m.setBanner("alert " + f.Rule + ": " + f.Message)
			m.alertBanner = true
		}
		b.WriteString(alertBytes(f, m.inTmux()))
	}
	return b.String()
}

// inTmux reports whether the terminal is tmux, from $TMUX.
func (m *Model) inTmux() bool {
	if m.env == nil {
		return false
	}
	v, ok := m.env("TMUX")
	return ok && v != ""
}

// rawCmd writes bytes to the terminal as they are, or is nil for none.
func rawCmd(s string) tea.Cmd {
	if s == "" {
		return nil
	}
	return tea.Raw(s)
}
