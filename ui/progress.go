package ui

import (
	"math"
	"slices"
	"strconv"
	"time"

	"charm.land/bubbles/v2/progress"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/tidwall/gjson"

	"github.com/livefeed/livefeed/config"
	"github.com/livefeed/livefeed/render"
)

// progressPane draws one bar per job, keyed like a table's rows: running
// jobs newest first, then finished ones (done in green, failed in red with
// their error) until they have lingered for the pane's linger:.

// jobState is where a job stands.
type jobState int

const (
	jobRunning jobState = iota
	jobDone
	jobFailed
)

// job is one row of a progress pane. Text fields are sanitized when set.
type job struct {
	key, label, stage, err string
	state                  jobState
	percent                float64 // 0-100; NaN while unknown
	done, total            float64 // NaN unless the pane reads done/total
	eta                    float64 // seconds left as the feed says; NaN: estimate
	started                time.Time
	firstPct               float64 // the first known percentage, for the rate
	firstAt                time.Time
	lastAt                 time.Time
	endedAt                time.Time
	seq                    uint64 // of the event that started the job: newer on top
	last                   Item   // for the inspector
}

type progressPane struct {
	cfg     *config.Pane
	st      *Styles
	km      KeyMap
	jobs    map[string]*job
	dropped int
	now     time.Time // of the last item or tick, for lingering

	sel, top, page int
	order          []*job // as last drawn, for the selection
	bars           map[jobState]*progress.Model
}

func newProgressPane(p *config.Pane, st *Styles, km KeyMap) *progressPane {
	g := &progressPane{cfg: p, st: st, km: km, jobs: map[string]*job{}, page: 1, bars: map[jobState]*progress.Model{}}
	for state, role := range map[jobState]config.Role{jobRunning: config.RoleInfo, jobDone: config.RoleGain, jobFailed: config.RoleError} {
		opts := []progress.Option{progress.WithoutPercentage(), progress.WithFillCharacters('━', '─')}
		if c := st.For(role).GetForeground(); c != nil {
			opts = append(opts, progress.WithColors(c))
		}
		bar := progress.New(opts...)
		g.bars[state] = &bar
	}
	return g
}

func (g *progressPane) Config() *config.Pane { return g.cfg }
func (g *progressPane) Len() int             { return len(g.jobs) }
func (g *progressPane) Dropped() int         { return g.dropped }
func (g *progressPane) Capturing() bool      { return false }

func (g *progressPane) Clear() {
	g.jobs = map[string]*job{}
	g.order = nil
	g.dropped, g.sel, g.top = 0, 0, 0
}

func (g *progressPane) Add(items []Item) {
	for _, it := range items {
		data := readOnlyBytes(it.Event.Data)
		key, ok := rowKey(g.cfg, data)
		if !ok {
			continue
		}
		j := g.jobs[key]
		if j == nil {
			j = &job{key: render.Sanitize(key), percent: math.NaN(), done: math.NaN(), total: math.NaN(), eta: math.NaN(),
				firstPct: math.NaN(), started: it.Time, seq: it.Seq}
			g.jobs[key] = j
			g.bound(key)
		}
		j.last = it
		j.lastAt = it.Time
		g.now = laterOf(g.now, it.Time)
		if g.cfg.Label != nil {
			if s := g.cfg.Label.Render(data, itemMeta(it), itemContext(it)); s != "" {
				j.label = oneLine(s, maxCellBytes)
			}
		}
		switch {
		case matchAny(g.cfg.FailOn, it.Event.Type):
			j.state, j.endedAt = jobFailed, it.Time
			j.err = oneLine(render.Value(gjson.GetBytes(data, g.cfg.Error)), maxLineBytes)
			continue
		case matchAny(g.cfg.CompleteOn, it.Event.Type):
			j.state, j.endedAt, j.percent, j.eta = jobDone, it.Time, 100, 0
			if !math.IsNaN(j.total) {
				j.done = j.total
			}
			continue
		}
		j.state = jobRunning // a job may be restarted under the same key
		g.read(j, data, it.Time)
	}
}

// read takes a running job's numbers from a progress event.
func (g *progressPane) read(j *job, data []byte, at time.Time) {
	num := func(p string) float64 {
		if p == "" {
			return math.NaN()
		}
		if f, ok := render.Float(gjson.GetBytes(data, p)); ok && !math.IsInf(f, 0) {
			return f
		}
		return math.NaN()
	}
	j.done, j.total = num(g.cfg.Done), num(g.cfg.Total)
	pct := num(g.cfg.Percent)
	if math.IsNaN(pct) && j.total > 0 && !math.IsNaN(j.done) {
		pct = 100 * j.done / j.total
	}
	if !math.IsNaN(pct) {
		j.percent = math.Max(0, math.Min(100, pct))
		if math.IsNaN(j.firstPct) {
			j.firstPct, j.firstAt = j.percent, at
		}
	}
	j.eta = num(g.cfg.ETA)
	if g.cfg.Stage != "" {
		j.stage = oneLine(render.Value(gjson.GetBytes(data, g.cfg.Stage)), maxCellBytes)
	}
}

// bound keeps at most max jobs, dropping finished ones first, then the
// oldest running.
func (g *progressPane) bound(keep string) {
	for len(g.jobs) > max(1, g.cfg.Max) {
		var victim *job
		for k, j := range g.jobs {
			if k == keep {
				continue
			}
			if victim == nil || evictBefore(j, victim) {
				victim = j
			}
		}
		if victim == nil {
			return
		}
		delete(g.jobs, victim.key)
		g.dropped++
	}
}

// evictBefore says whether a goes before b when the pane is full: finished
// jobs first, then the oldest.
func evictBefore(a, b *job) bool {
	if fa, fb := a.state != jobRunning, b.state != jobRunning; fa != fb {
		return fa
	}
	return a.seq < b.seq
}

func laterOf(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// expired reports whether a finished job has lingered long enough.
func (g *progressPane) expired(j *job, now time.Time) bool {
	return j.state != jobRunning && !now.Before(j.endedAt.Add(g.cfg.Linger))
}

func (g *progressPane) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tickMsg:
		now := time.Time(msg)
		for k, j := range g.jobs {
			if g.expired(j, now) {
				delete(g.jobs, k)
			}
		}
		return nil
	}
	if next, ok := navIndex(g.km, msg, g.sel, len(g.order), g.page); ok {
		g.sel = next
	}
	return nil
}

func (g *progressPane) Selected() (Item, bool) {
	if len(g.order) == 0 {
		return Item{}, false
	}
	return g.order[clampIndex(g.sel, len(g.order))].last, true
}

// sorted lists the jobs to show: running ones newest first, then finished
// ones, the most recently ended first.
func (g *progressPane) sorted(now time.Time) []*job {
	out := make([]*job, 0, len(g.jobs))
	for _, j := range g.jobs {
		if !g.expired(j, now) {
			out = append(out, j)
		}
	}
	slices.SortFunc(out, func(a, b *job) int {
		ra, rb := a.state == jobRunning, b.state == jobRunning
		switch {
		case ra != rb:
			if ra {
				return -1
			}
			return 1
		case !ra && !a.endedAt.Equal(b.endedAt):
			return b.endedAt.Compare(a.endedAt)
		}
		return int(b.seq) - int(a.seq)
	})
	return out
}

func (g *progressPane) Render(vs viewState) string {
	now := vs.Now
	if now.IsZero() {
		now = g.now
	}
	g.order = g.sorted(now)
	n := len(g.order)
	running := 0
	for _, j := range g.order {
		if j.state == jobRunning {
			running++
		}
	}
	cw, ch := paneContentSize(vs)
	g.page = max(1, ch)
	g.top = scrollTop(g.top, clampIndex(g.sel, n), n, ch)
	head := frameHead{title: paneTitleText(g.cfg), count: countLabel(running, "running", "running"), dropped: g.dropped}
	if done := n - running; done > 0 {
		head.extra = append(head.extra, frameSeg{text: countLabel(done, "finished", "finished"), style: g.st.Muted, keep: keepExtra})
	}
	if ch <= 0 {
		return drawFrame(g.st, vs, head, nil)
	}
	body := make([]string, 0, ch)
	if n == 0 {
		body = append(body, g.st.Muted.Render("no jobs running"))
	}
	// One tail width for every row, so that the bars line up.
	tails := make([]string, n)
	tailW := 0
	for i := g.top; i < n && i < g.top+ch; i++ {
		tails[i] = g.tail(g.order[i], now)
		tailW = max(tailW, cellWidth(tails[i]))
	}
	for i := g.top; i < n && i < g.top+ch; i++ {
		line := g.line(g.order[i], tails[i], tailW, cw)
		if vs.Focused && i == clampIndex(g.sel, n) {
			line = g.st.Selected.Render(fitCells(ansi.Strip(line), cw))
		}
		body = append(body, line)
	}
	return drawFrame(g.st, vs, head, body)
}

// line draws one job: label, bar, percentage, then what fits of the stage,
// the ETA and the rate (or, once it ended, the outcome).
func (g *progressPane) line(j *job, tail string, tailMax, w int) string {
	label := j.label
	if label == "" {
		label = j.key
	}
	labelW := min(max(w/4, 6), 24, w)
	pct := "  ?%"
	if !math.IsNaN(j.percent) {
		pct = alignCells(strconv.Itoa(int(math.Floor(j.percent)))+"%", 4, config.AlignRight)
	}
	role := config.RoleMuted
	switch j.state {
	case jobDone:
		role = config.RoleGain
	case jobFailed:
		role = config.RoleError
	}
	// What is left goes to the bar, at least 10 cells; the tail gets what
	// the bar does not need beyond half of the rest.
	rest := w - labelW - 1 - 1 - 4
	tailW := 0
	if tailMax > 0 && rest >= 10+12 {
		tailW = min(tailMax+2, rest-max(10, rest/2))
	}
	barW := rest - tailW
	if barW < 3 {
		return alignCells(g.st.For(role).Render(label), w, config.AlignLeft)
	}
	bar := g.bars[j.state]
	bar.SetWidth(barW)
	frac := 0.0
	if !math.IsNaN(j.percent) {
		frac = j.percent / 100
	}
	if j.state == jobFailed && math.IsNaN(j.percent) {
		frac = 0
	}
	labelStyle := g.st.For(config.RoleText)
	if j.state != jobRunning {
		labelStyle = g.st.For(role)
	}
	out := labelStyle.Render(alignCells(label, labelW, config.AlignLeft)) + " " + bar.ViewAs(frac) + " " + g.st.For(role).Render(pct)
	if tailW > 0 {
		out += "  " + g.st.For(role).Render(alignCells(tail, tailW-2, config.AlignLeft))
	}
	return out
}

// tail is the text after a job's bar.
func (g *progressPane) tail(j *job, now time.Time) string {
	switch j.state {
	case jobDone:
		return "✓ done " + shortDuration(now.Sub(j.endedAt)) + " ago"
	case jobFailed:
		if j.err != "" {
			return "✗ " + j.err
		}
		return "✗ failed"
	}
	s := j.stage
	add := func(t string) {
		if t == "" {
			return
		}
		if s != "" {
			s += " · "
		}
		s += t
	}
	rate := g.rate(j)
	eta := j.eta
	if math.IsNaN(eta) && rate > 0 && !math.IsNaN(j.percent) {
		eta = (100 - j.percent) / rate
	}
	if !math.IsNaN(eta) && eta >= 0 {
		add("ETA " + render.FormatDuration(time.Duration(math.Round(eta))*time.Second))
	}
	if rate > 0 {
		if !math.IsNaN(j.done) && !math.IsNaN(j.total) && j.total > 0 {
			add(formatRate(rate*j.total/100) + "")
		} else {
			add(strconv.FormatFloat(rate, 'f', 1, 64) + "%/s")
		}
	}
	return s
}

// rate is percentage points per second since the job was first seen.
func (g *progressPane) rate(j *job) float64 {
	dt := j.lastAt.Sub(j.firstAt).Seconds()
	if dt <= 0 || math.IsNaN(j.firstPct) || math.IsNaN(j.percent) {
		return 0
	}
	return (j.percent - j.firstPct) / dt
}
