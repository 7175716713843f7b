package demoserver

import (
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC)

// run steps g n times, one simulated second apart.
func run(g Generator, n int) []Message {
	var out []Message
	for i := range n {
		out = append(out, g.Next(t0.Add(time.Duration(i)*time.Second))...)
	}
	return out
}

func TestGeneratorsDeterministic(t *testing.T) {
	for i := range NewGenerators(1) {
		a := run(NewGenerators(42)[i], 500)
		b := run(NewGenerators(42)[i], 500)
		c := run(NewGenerators(43)[i], 500)
		topic := NewGenerators(1)[i].Topic()
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s: the same seed gave different events", topic)
		}
		if reflect.DeepEqual(a, c) {
			t.Errorf("%s: different seeds gave the same events", topic)
		}
	}
}

func TestStocks(t *testing.T) {
	g := NewStocks(7)
	symbols := map[string]bool{}
	last := map[string]Quote{}
	for _, m := range run(g, 5000) {
		q := m.Data.(Quote)
		if m.Event != "quote" {
			t.Fatalf("event %q", m.Event)
		}
		symbols[q.Symbol] = true
		if q.Price <= 0 || q.Price != math.Round(q.Price*100)/100 {
			t.Fatalf("price %v", q.Price)
		}
		if p, ok := last[q.Symbol]; ok {
			if q.Volume <= p.Volume {
				t.Fatalf("%s volume went from %d to %d", q.Symbol, p.Volume, q.Volume)
			}
			if r := q.Price / p.Price; r < 0.95 || r > 1.05 {
				t.Fatalf("%s jumped from %v to %v in one quote", q.Symbol, p.Price, q.Price)
			}
			// change is against the open, which does not move.
			if math.Abs((q.Price-q.Change)-(p.Price-p.Change)) > 0.011 {
				t.Fatalf("%s open moved: %v vs %v", q.Symbol, q.Price-q.Change, p.Price-p.Change)
			}
		}
		open := q.Price - q.Change
		if math.Abs(q.ChangePct-100*q.Change/open) > 0.011 {
			t.Fatalf("%+v: change_pct does not match change", q)
		}
		if _, err := time.Parse(time.RFC3339Nano, q.Time); err != nil {
			t.Fatalf("time %q: %v", q.Time, err)
		}
		last[q.Symbol] = q
	}
	if len(symbols) != 12 {
		t.Errorf("%d symbols, want a dozen", len(symbols))
	}
	// The walk stays in a believable band over a long demo.
	for sym, q := range last {
		if math.Abs(q.ChangePct) > 25 {
			t.Errorf("%s drifted %v%% from its open", sym, q.ChangePct)
		}
	}
}

// TestSports plays several hours of matches and checks that they make sense:
// clocks run forward, scores only go up by the goals announced, halves and
// full time happen, and finished matches are replaced.
func TestSports(t *testing.T) {
	g := NewSports(3)
	type state struct {
		Score
		pendingGoals [2]int
	}
	matches := map[int]*state{}
	finished, goals := 0, 0
	for _, m := range run(g, 20000) {
		switch d := m.Data.(type) {
		case Goal:
			if m.Event != "goal" {
				t.Fatalf("Goal in a %q event", m.Event)
			}
			s := matches[d.MatchID]
			if s == nil {
				t.Fatalf("goal in unknown match %d", d.MatchID)
			}
			switch d.Team {
			case s.Home:
				s.pendingGoals[0]++
			case s.Away:
				s.pendingGoals[1]++
			default:
				t.Fatalf("goal for %q in %s v %s", d.Team, s.Home, s.Away)
			}
			if d.Player == "" || d.Minute < 1 || d.Minute > 96 {
				t.Fatalf("goal %+v", d)
			}
			goals++
		case Score:
			if m.Event != "score" {
				t.Fatalf("Score in a %q event", m.Event)
			}
			if d.Home == d.Away || d.League == "" {
				t.Fatalf("match %+v", d)
			}
			s := matches[d.MatchID]
			if s == nil {
				s = &state{Score: d}
				s.HomeScore, s.AwayScore = d.HomeScore, d.AwayScore
				matches[d.MatchID] = s
				if len(matches) > liveMatches && (d.Minute > 3 || d.HomeScore+d.AwayScore > 0) {
					t.Fatalf("new match %+v does not start at kick-off", d)
				}
			} else {
				if d.HomeScore != s.HomeScore+s.pendingGoals[0] || d.AwayScore != s.AwayScore+s.pendingGoals[1] {
					t.Fatalf("score %d-%d after %d-%d and goals %v", d.HomeScore, d.AwayScore, s.HomeScore, s.AwayScore, s.pendingGoals)
				}
				if d.Minute < s.Minute {
					t.Fatalf("clock went back from %d to %d", s.Minute, d.Minute)
				}
				if s.Status == FullTime && d.Status != FullTime {
					t.Fatalf("match restarted after full time")
				}
				if s.Status != FullTime && d.Status == FullTime {
					finished++
				}
				s.Score = d
			}
			s.pendingGoals = [2]int{}
			if (d.Status == FirstHalf && d.Minute > 45) || (d.Status == HalfTime && d.Minute != 45) ||
				(d.Status == SecondHalf && (d.Minute < 46 || d.Minute > 95)) {
				t.Fatalf("minute %d with status %s", d.Minute, d.Status)
			}
		default:
			t.Fatalf("unexpected data %T", m.Data)
		}
	}
	if finished < 50 {
		t.Errorf("only %d matches finished in 20000 steps", finished)
	}
	if perMatch := float64(goals) / float64(finished); perMatch < 1.5 || perMatch > 4.5 {
		t.Errorf("%.1f goals per match, want football-like", perMatch)
	}
}

func TestNews(t *testing.T) {
	g := NewNews(5)
	titles := map[string]bool{}
	nextID, notes := 1, 0
	for _, m := range run(g, 3000) {
		switch d := m.Data.(type) {
		case Headline:
			if m.Event != "headline" || d.ID != nextID || d.Title == "" || d.Source == "" || d.Time == "" || strings.ContainsAny(d.Title, "{}") {
				t.Fatalf("headline %+v (want id %d)", d, nextID)
			}
			nextID++
			titles[d.Title] = true
		case Notification:
			if m.Event != "notification" || d.Title == "" || d.Body == "" || d.Time == "" || strings.ContainsAny(d.Body, "{}") {
				t.Fatalf("notification %+v", d)
			}
			switch d.Level {
			case "info", "success", "warning", "error":
			default:
				t.Fatalf("level %q", d.Level)
			}
			notes++
		}
	}
	if notes < 500 || notes > 1000 {
		t.Errorf("%d notifications in 3000 news events, want about a quarter", notes)
	}
	if len(titles) < 500 {
		t.Errorf("only %d distinct headlines in %d", len(titles), nextID-1)
	}
}

// TestNewsTemplates fills every template and notification and checks that no
// slot is left unfilled.
func TestNewsTemplates(t *testing.T) {
	g := NewNews(1)
	for _, tmpl := range newsTemplates {
		for range 20 {
			if s := g.fill(tmpl); strings.ContainsAny(s, "{}") {
				t.Errorf("template %q filled as %q", tmpl, s)
			}
		}
	}
	for _, n := range notifications {
		if s := g.fill(n.body); strings.ContainsAny(s, "{}") {
			t.Errorf("notification %q filled as %q", n.body, s)
		}
	}
}

// TestJobs runs the job simulator for a long while and checks every job's
// story: progress only moves forward and agrees with itself, a job ends once
// (complete after reaching its total, or failed before it), nothing follows
// its end, a few run at once, and about one in five fails.
func TestJobs(t *testing.T) {
	g := NewJobs(11)
	type state struct {
		last  JobProgress
		ended bool
	}
	jobs := map[string]*state{}
	var order []string
	completed, failed := 0, 0
	for step := range 5000 {
		msgs := g.Next(t0.Add(time.Duration(step) * time.Second))
		if step == 0 && len(msgs) < 3 {
			t.Fatalf("first step sent %d events, want progress of 3 jobs at once", len(msgs))
		}
		for _, m := range msgs {
			switch d := m.Data.(type) {
			case JobProgress:
				if m.Event != "progress" {
					t.Fatalf("JobProgress in a %q event", m.Event)
				}
				s := jobs[d.JobID]
				if s == nil {
					s = &state{}
					jobs[d.JobID] = s
					order = append(order, d.JobID)
					if want := fmt.Sprintf("job-%d", len(order)); d.JobID != want {
						t.Fatalf("new job %s, want %s", d.JobID, want)
					}
				} else if s.last.Name != d.Name || s.last.Total != d.Total || d.Done < s.last.Done {
					t.Fatalf("%s went from %+v to %+v", d.JobID, s.last, d)
				}
				if s.ended {
					t.Fatalf("progress %+v after the job ended", d)
				}
				if d.Total <= 0 || d.Done < 0 || d.Done > d.Total || d.Name == "" || d.Stage == "" || d.EtaS < 0 ||
					d.Percent != math.Floor(1000*float64(d.Done)/float64(d.Total))/10 || (d.Done == d.Total) != (d.EtaS == 0 && d.Percent == 100) {
					t.Fatalf("implausible progress %+v", d)
				}
				s.last = d
			case JobComplete:
				s := jobs[d.JobID]
				if m.Event != "complete" || s == nil || s.ended || s.last.Done != s.last.Total || d.Name != s.last.Name || d.Result == "" || d.DurationS <= 0 {
					t.Fatalf("complete %+v after %+v", d, s)
				}
				s.ended = true
				completed++
			case JobFailed:
				s := jobs[d.JobID]
				if m.Event != "failed" || s == nil || s.ended || s.last.Done >= s.last.Total || d.Name != s.last.Name || d.Error == "" {
					t.Fatalf("failed %+v after %+v", d, s)
				}
				s.ended = true
				failed++
			default:
				t.Fatalf("unexpected data %T", m.Data)
			}
		}
		running := 0
		for _, s := range jobs {
			if !s.ended {
				running++
			}
		}
		if step > 0 && (running < 1 || running > 4) {
			t.Fatalf("step %d: %d jobs running, want 1 to 4", step, running)
		}
	}
	ended := completed + failed
	if ended < 150 {
		t.Errorf("only %d jobs ended in 5000 steps", ended)
	}
	if share := float64(failed) / float64(ended); share < 0.1 || share > 0.3 {
		t.Errorf("%d of %d jobs failed, want about one in five", failed, ended)
	}
}

// TestMetrics: three hosts sampled every step, numbers in range, mostly a
// normal load, with spikes (CPU at 90% or more) that start often enough to
// fire alerts, the first within the first half minute.
func TestMetrics(t *testing.T) {
	g := NewMetrics(9)
	spikes, firstSpike, calm, memHigh := 0, -1, 0, 0
	hot := map[string]bool{}
	const steps = 3000
	for step := range steps {
		msgs := g.Next(t0.Add(time.Duration(step) * time.Second))
		if len(msgs) != len(metricHosts) {
			t.Fatalf("step %d: %d samples, want one per host", step, len(msgs))
		}
		for i, m := range msgs {
			d := m.Data.(Metric)
			if m.Event != "metric" || d.Host != metricHosts[i].name {
				t.Fatalf("step %d: %s event for %q, want metric for %s", step, m.Event, d.Host, metricHosts[i].name)
			}
			if d.CPUPct < 0 || d.CPUPct > 100 || d.MemPct < 0 || d.MemPct > 100 || d.Conns < 0 || d.RPS < 0 || d.P99MS <= 0 {
				t.Fatalf("implausible %+v", d)
			}
			if _, err := time.Parse(time.RFC3339Nano, d.Time); err != nil {
				t.Fatalf("time %q: %v", d.Time, err)
			}
			if d.CPUPct >= 90 && !hot[d.Host] {
				spikes++
				if firstSpike < 0 {
					firstSpike = step
				}
				if d.P99MS < 3*metricHosts[i].ms {
					t.Errorf("a spike on %s with p99 %v ms, want latency to rise with it", d.Host, d.P99MS)
				}
			}
			hot[d.Host] = d.CPUPct >= 90
			if d.CPUPct < 60 {
				calm++
			}
			if d.MemPct >= 85 {
				memHigh++
			}
		}
	}
	if firstSpike < 0 || firstSpike > 30 {
		t.Errorf("first spike at step %d, want one within 30", firstSpike)
	}
	if spikes < steps/60 || spikes > steps/15 {
		t.Errorf("%d spikes in %d steps, want one every 15 to 60", spikes, steps)
	}
	if share := float64(calm) / float64(3*steps); share < 0.7 {
		t.Errorf("only %.0f%% of samples under 60%% CPU: the hosts should mostly be calm", 100*share)
	}
	if memHigh == 0 {
		t.Error("memory never reached 85%")
	}
}
