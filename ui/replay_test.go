package ui

import (
	"regexp"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// fakeReplay is a ReplayControl that records what the keys asked for.
type fakeReplay struct {
	paused bool
	speed  float64
	pos    time.Duration
	steps  int
	left   int // events left for Step
}

func (r *fakeReplay) Paused() bool            { return r.paused }
func (r *fakeReplay) SetPaused(p bool)        { r.paused = p }
func (r *fakeReplay) Speed() float64          { return r.speed }
func (r *fakeReplay) SetSpeed(s float64)      { r.speed = s }
func (r *fakeReplay) Position() time.Duration { return r.pos }
func (r *fakeReplay) Span() time.Duration     { return 90 * time.Second }
func (r *fakeReplay) Step() bool {
	if r.left == 0 {
		return false
	}
	r.left--
	r.steps++
	r.paused = true
	r.pos += time.Second
	return true
}

func TestReplayKeys(t *testing.T) {
	r := &fakeReplay{speed: 1, pos: 12 * time.Second, left: 1}
	m := New(Options{Config: demoConfig(t), Clock: func() time.Time { return testNow }, Replay: r})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	if !strings.Contains(screen(m), "replay ×1 · 0:12 of 1:30") {
		t.Errorf("header lacks the replay:\n%s", strings.SplitN(screen(m), "\n", 2)[0])
	}
	steps := []struct {
		key   string
		check func() bool
		label string
	}{
		{"P", func() bool { return r.paused }, "replay ×1 · 0:12 of 1:30 · paused"},
		{"P", func() bool { return !r.paused }, "replay ×1 · 0:12 of 1:30"},
		{">", func() bool { return r.speed == 2 }, "replay ×2"},
		{">", func() bool { return r.speed == 4 }, "replay ×4"},
		{"<", func() bool { return r.speed == 2 }, "replay ×2"},
		{".", func() bool { return r.steps == 1 && r.paused }, "replay ×2 · 0:13 of 1:30 · paused"},
		{".", func() bool { return r.steps == 1 }, "replay: no more events"},
	}
	for i, s := range steps {
		m.Update(press(s.key))
		if !s.check() {
			t.Errorf("step %d (%s): replay state %+v", i, s.key, *r)
		}
		if !strings.HasPrefix(m.message, s.label) {
			t.Errorf("step %d (%s): status %q, want %q", i, s.key, m.message, s.label)
		}
	}
	// The help lists the replay keys; while it is open, keys filter it.
	m.Update(press("?"))
	if help := screen(m); !regexp.MustCompile(`P\s+pause replay`).MatchString(help) || !regexp.MustCompile(`\.\s+step replay`).MatchString(help) {
		t.Errorf("help lacks the replay keys:\n%s", help)
	}
	before := r.paused
	m.Update(press("P"))
	if r.paused != before {
		t.Error("P typed into the help's filter paused the replay")
	}
	m.Update(press("esc"))
	m.Update(press("esc"))

	// While a filter is typed, the replay keys are text.
	focusPane(t, m, "raw")
	m.Update(press("/"))
	speed, paused := r.speed, r.paused
	for _, k := range []string{"P", ".", ">", "<"} {
		m.Update(press(k))
	}
	if r.speed != speed || r.paused != paused || r.steps != 1 {
		t.Errorf("keys typed into the filter drove the replay: %+v", *r)
	}
}

func TestNextSpeed(t *testing.T) {
	for _, tc := range []struct{ from, f, want float64 }{
		{1, 2, 2}, {1, 0.5, 0.5}, {maxReplaySpeed, 2, maxReplaySpeed}, {minReplaySpeed, 0.5, minReplaySpeed},
		{0, 0.5, maxReplaySpeed}, {0, 2, 0},
	} {
		if got := nextSpeed(tc.from, tc.f); got != tc.want {
			t.Errorf("nextSpeed(%v, %v) = %v, want %v", tc.from, tc.f, got, tc.want)
		}
	}
	if got := clockDuration(3723 * time.Second); got != "1:02:03" {
		t.Errorf("clockDuration = %q", got)
	}
}
