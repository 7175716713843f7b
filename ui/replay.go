package ui

import (
	"fmt"
	"strconv"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/livefeed/livefeed/config"
)

// ReplayControl drives the replay a dashboard shows (livefeed replay
// --tui). Its methods are cheap and safe to call from Update.
type ReplayControl interface {
	Paused() bool
	SetPaused(bool)
	// Step moves to the next recorded event and pauses there; false when
	// there is none.
	Step() bool
	// Speed is the pace relative to the recording (0: as fast as possible).
	Speed() float64
	SetSpeed(float64)
	// Position is how far into the recording the replay is, of Span.
	Position() time.Duration
	Span() time.Duration
}

// Replay speeds the faster and slower keys move between.
const (
	minReplaySpeed = 1.0 / 64
	maxReplaySpeed = 1024
)

// keyMap is the config's key bindings, with the replay keys disabled
// unless the dashboard shows a replay.
func (m *Model) keyMap(cfg *config.Config) KeyMap {
	k := NewKeyMap(cfg.Keys)
	if m.replay == nil {
		for _, b := range []*key.Binding{&k.ReplayPause, &k.ReplayStep, &k.ReplayFaster, &k.ReplaySlower} {
			b.SetEnabled(false)
		}
	}
	return k
}

// onReplayKey handles the replay keys, wherever the focus is.
func (m *Model) onReplayKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	r, k := m.replay, m.keys
	if r == nil {
		return nil, false
	}
	switch {
	case key.Matches(msg, k.ReplayPause):
		r.SetPaused(!r.Paused())
	case key.Matches(msg, k.ReplayStep):
		if !r.Step() {
			m.flash("replay: no more events")
			return nil, true
		}
	case key.Matches(msg, k.ReplayFaster):
		r.SetSpeed(nextSpeed(r.Speed(), 2))
	case key.Matches(msg, k.ReplaySlower):
		r.SetSpeed(nextSpeed(r.Speed(), 0.5))
	default:
		return nil, false
	}
	m.flash(m.replayLabel())
	return nil, true
}

// nextSpeed multiplies a speed by f within the keys' range; from "as fast
// as possible" (0), slower goes to the fastest finite speed.
func nextSpeed(s, f float64) float64 {
	if s == 0 {
		if f < 1 {
			return maxReplaySpeed
		}
		return 0
	}
	return min(max(s*f, minReplaySpeed), maxReplaySpeed)
}

// replayLabel says where the replay is: "replay ×2 · 0:12 of 1:30 · paused".
func (m *Model) replayLabel() string {
	r := m.replay
	speed := "max"
	if v := r.Speed(); v != 0 {
		speed = "×" + strconv.FormatFloat(v, 'f', -1, 64)
	}
	s := fmt.Sprintf("replay %s · %s of %s", speed, clockDuration(min(r.Position(), r.Span())), clockDuration(r.Span()))
	if r.Paused() {
		s += " · paused"
	}
	return s
}

// clockDuration shows a duration as m:ss (h:mm:ss from an hour).
func clockDuration(d time.Duration) string {
	d = d.Round(time.Second)
	h, mnt, sec := int(d/time.Hour), int(d/time.Minute)%60, int(d/time.Second)%60
	if h > 0 {
		return fmt.Sprintf("%d:%02d:%02d", h, mnt, sec)
	}
	return fmt.Sprintf("%d:%02d", mnt, sec)
}
