package ui

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	uv "github.com/charmbracelet/ultraviolet"
	"github.com/charmbracelet/x/ansi"

	"github.com/livefeed/livefeed/config"
	"github.com/livefeed/livefeed/feed"
	"github.com/livefeed/livefeed/live"
)

// TestTimeChangedIsExact: whenever a pane says time alone did not change
// it (TimeChanged false), rendering it at the later time draws exactly what
// it drew before, so the tick may skip it. Panes of the demo dashboard and
// of the firehose benchmark's, rendered every 37 ms for 4 s after their
// traffic, across the ends of change cues, ages and a scrolling ticker.
func TestTimeChangedIsExact(t *testing.T) {
	markets := func(t *testing.T) *Model {
		now := testNow.Add(-3 * time.Second)
		m := New(Options{Config: parseConfig(t, "markets.yaml", marketsYAML(t)), Clock: func() time.Time { return now }, Start: now})
		m.Update(tea.WindowSizeMsg{Width: 120, Height: 36})
		m.Update(batchMsg{batches: []feed.Batch{status("f1", feed.Open), status("f2", feed.Open), status("f3", feed.Open)}})
		rng := rand.New(rand.NewPCG(1, 2))
		for i := range 12 {
			now = now.Add(250 * time.Millisecond)
			m.Update(batchMsg{batches: []feed.Batch{events("f1", now, marketsEvents(rng, 1+i*300, 300)...)}, events: 300, at: now})
			m.Update(tickMsg(now))
		}
		return m
	}
	models := map[string]*Model{
		"demo":    runDashboard(t, parseConfig(t, "demo.yaml", string(config.DefaultYAML())), 120, 36),
		"markets": markets(t),
	}
	for name, m := range models {
		for _, s := range m.slots {
			if _, ok := s.p.(timedPane); !ok || s.lines == nil {
				continue
			}
			vs := viewState{Width: s.key.w, Height: s.key.h, Focused: s.key.focused, Dimmed: s.key.dimmed, Note: s.key.note, Now: m.now}
			last := s.p.Render(vs)
			still, moved := 0, 0
			for step := 1; step <= 108; step++ {
				vs.Now = m.now.Add(time.Duration(step) * 37 * time.Millisecond)
				changed := timeChanged(s.p, vs.Now)
				got := s.p.Render(vs)
				if !changed && got != last {
					t.Fatalf("%s/%s at +%v: TimeChanged false but the render changed:\n%s\n---\n%s", name, s.id, vs.Now.Sub(m.now), last, got)
				}
				if changed {
					moved++
				} else {
					still++
				}
				last = got
			}
			t.Logf("%s/%s (%T): %d renders skipped, %d not", name, s.id, s.p, still, moved)
			if name == "markets" && still == 0 {
				t.Errorf("%s/%s: time changed it at every step; want it still once cues and ages settle", name, s.id)
			}
			if _, ok := s.p.(*tickerPane); ok && name == "markets" && moved == 0 {
				t.Errorf("%s/%s: a scrolling ticker never moved", name, s.id)
			}
		}
	}
}

// TestFrameOnlyDrawsTheSameFrame: a render with FrameOnly has the title
// line, the side borders and the bottom line of the whole render.
func TestFrameOnlyDrawsTheSameFrame(t *testing.T) {
	m := runDashboard(t, parseConfig(t, "demo.yaml", string(config.DefaultYAML())), 120, 36)
	for _, focused := range []bool{false, true} {
		for _, s := range m.slots {
			if s.lines == nil || s.key.w < 3 || s.key.h < 3 {
				continue
			}
			w, h := s.key.w, s.key.h
			vs := viewState{Width: w, Height: h, Focused: focused, Dimmed: s.key.dimmed, Note: s.key.note, Now: m.now}
			full := fitLines(s.p.Render(vs), w, h)
			vs.FrameOnly = true
			frame := fitLines(s.p.Render(vs), w, h)
			for i := range full {
				if i == 0 || i == h-1 {
					if frame[i] != full[i] {
						t.Errorf("%s line %d: frame only %q, whole %q", s.id, i, frame[i], full[i])
					}
					continue
				}
				fb, wb := uv.NewScreenBuffer(w, 1), uv.NewScreenBuffer(w, 1)
				uv.NewStyledString(frame[i]).Draw(fb, fb.Bounds())
				uv.NewStyledString(full[i]).Draw(wb, wb.Bounds())
				for _, x := range []int{0, w - 1} {
					if fc, wc := fb.CellAt(x, 0), wb.CellAt(x, 0); !fc.Equal(wc) {
						t.Errorf("%s line %d cell %d: frame only %#v, whole %#v", s.id, i, x, *fc, *wc)
					}
				}
			}
		}
	}
}

// TestNextTickMissesNothing: on a quiet dashboard the model sleeps past
// the 100 ms tick (nextTick), yet the screen drawn by a tick at any moment
// before the next one (from tickInterval on) is the screen already shown:
// the clock, ages of events and trades, a still ticker. A message or a
// feed that is not OPEN brings back the 100 ms tick.
func TestNextTickMissesNothing(t *testing.T) {
	now := testNow
	m := New(Options{Config: parseConfig(t, "markets.yaml", marketsYAML(t)), Clock: func() time.Time { return now }, Start: now})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 36})
	m.Update(batchMsg{batches: []feed.Batch{status("f1", feed.Open), status("f2", feed.Open), status("f3", feed.Open)}})
	rng := rand.New(rand.NewPCG(1, 2))
	// Trades (ages in the list) and quotes (the feeds' last events, aged
	// in the connection bar) at other moments of the second.
	for i, f := range []string{"f1", "f2", "f3"} {
		for _, evs := range [][]feed.Event{marketsEvents(rng, 7, 1), append(marketsEvents(rng, 1, 6), marketsEvents(rng, 100, 1)...)} {
			now = now.Add(time.Duration(130+70*i) * time.Millisecond)
			m.Update(batchMsg{batches: []feed.Batch{events(f, now, evs...)}, events: len(evs), at: now})
		}
	}
	now = now.Add(2 * time.Second) // no cue lit any more
	m.Update(tickMsg(now))
	long := 0
	for range 40 {
		d := m.nextTick()
		if d < tickInterval || d > time.Second {
			t.Fatalf("next tick in %v", d)
		}
		if d > tickInterval {
			long++
		}
		shown, at := m.lastContent, now
		for step := tickInterval; step < d; step += 10 * time.Millisecond {
			now = at.Add(step)
			m.Update(tickMsg(now))
			if m.lastContent != shown {
				t.Fatalf("at +%v of a %v sleep from %v the screen changed:\n%s\n---\n%s", step, d, at.Format("15:04:05.000"), shown, m.lastContent)
			}
		}
		now = at.Add(d)
		m.Update(tickMsg(now))
	}
	if long < 10 {
		t.Errorf("%d of 40 ticks came later than tickInterval on a quiet dashboard", long)
	}
	m.flash("hello")
	if d := m.nextTick(); d != tickInterval {
		t.Errorf("with a message the next tick is in %v, want %v", d, tickInterval)
	}
	m.message = ""
	m.Update(batchMsg{batches: []feed.Batch{status("f2", feed.Connecting)}})
	if d := m.nextTick(); d != tickInterval {
		t.Errorf("with a feed connecting the next tick is in %v, want %v", d, tickInterval)
	}
}

// TestConnBarCacheIsExact: while the feeds are quiet, the connection bar
// drawn from its cache is the bar drawn afresh, through ages, a countdown
// and new events.
func TestConnBarCacheIsExact(t *testing.T) {
	now := testNow
	m := New(Options{Config: parseConfig(t, "markets.yaml", marketsYAML(t)), Clock: func() time.Time { return now }, Start: now})
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 36})
	m.Update(batchMsg{batches: []feed.Batch{status("f1", feed.Open), status("f2", feed.Open)}})
	rng := rand.New(rand.NewPCG(1, 2))
	cd := status("f3", feed.Connecting)
	cd.Status.ReconnectAt = now.Add(2500 * time.Millisecond)
	m.Update(batchMsg{batches: []feed.Batch{cd}})
	for step := range 120 {
		now = testNow.Add(time.Duration(step) * 37 * time.Millisecond)
		if step%60 == 3 {
			m.Update(batchMsg{batches: []feed.Batch{events("f1", now, marketsEvents(rng, step, 1)...)}, events: 1, at: now})
		}
		m.now = now
		m.pacer = live.Pacer{} // quiet: the exact cache, not the coarse mode
		got := m.connBar()
		want := renderConnBar(m.statOrder, m.styles, m.now, m.width, m.barH)
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("at +%v the cached bar\n%s\nwant\n%s", now.Sub(testNow), ansi.Strip(strings.Join(got, "\n")), ansi.Strip(strings.Join(want, "\n")))
		}
	}
}
