package ui

import (
	"math"
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/tidwall/gjson"

	"github.com/livefeed/livefeed/config"
	"github.com/livefeed/livefeed/render"
)

// chartPane draws numbers over time as lines of braille dots: one series
// per series: path, or one per value of split_by. Each series keeps its own
// values, so values sharing a time stamp are all kept; a dot column shows
// the span from the lowest to the highest of its values.
//
// A series keeps its values in max: time buckets of window/max each, with
// the lowest, highest, first and last value of each: what drawing needs,
// at any width up to max/2 cells. Keeping points instead lost the window
// under a firehose: at 5,000 values a second per series, 2,000 points
// covered the last 0.4 s of a 1 m chart (bench/firehose --dashboard charts).

// maxChartSeries bounds the lines of one chart; more distinct split_by
// values are counted, not drawn.
const maxChartSeries = 32

// chartPace bounds how often a chart redraws: a dot column spans
// window/(2×width), so redrawing more often than that moves nothing but the
// newest dots, and braille drawing is the dearest render of any pane.
func chartPace(window time.Duration, dotsW int) time.Duration {
	p := window / time.Duration(max(1, dotsW))
	return min(max(p, 100*time.Millisecond), time.Second)
}

// chartBucket is a series' values in one slot of time.
type chartBucket struct {
	slot                 int64     // time / the bucket's span
	t                    time.Time // of its latest value
	lo, hi, first, final float64
	n                    int
}

type chartSeries struct {
	name string // sanitized
	b    boundedRing[chartBucket]
}

// chartPalette are the theme roles series take in turn.
var chartPalette = []config.Role{config.RoleAccent, config.RoleGain, config.RoleWarning, config.RoleInfo,
	config.RoleLoss, config.RoleStale, config.RoleNeutral, config.RoleTitle}

type chartPane struct {
	cfg      *config.Pane
	st       *Styles
	series   []*chartSeries
	byName   map[string]*chartSeries
	overflow map[string]bool
	latest   time.Time
	last     Item
	points   int

	cache  paceCache
	styles []lipgloss.Style
}

// paceCache keeps a pane's last rendering so that it redraws at its own
// pace: at once when its size, focus or note changes, else at most once per
// pace however often the model asks.
type paceCache struct {
	key viewKey
	at  time.Time
	out string
	ok  bool
}

// get returns the cached rendering if it may still be shown: the pane looks
// the same (size, focus, note) and its pace has not passed since it was drawn.
func (c *paceCache) get(vs viewState, pace time.Duration) (string, bool) {
	k := viewKey{w: vs.Width, h: vs.Height, focused: vs.Focused, dimmed: vs.Dimmed, note: vs.Note}
	if !c.ok || c.key != k || vs.Now.Before(c.at) || vs.Now.Sub(c.at) >= pace {
		return "", false
	}
	return c.out, true
}

func (c *paceCache) put(vs viewState, out string) string {
	c.key = viewKey{w: vs.Width, h: vs.Height, focused: vs.Focused, dimmed: vs.Dimmed, note: vs.Note}
	c.at, c.out, c.ok = vs.Now, out, true
	return out
}

func newChartPane(p *config.Pane, st *Styles) *chartPane {
	c := &chartPane{cfg: p, st: st, byName: map[string]*chartSeries{}, overflow: map[string]bool{}}
	for _, r := range chartPalette {
		c.styles = append(c.styles, st.For(r))
	}
	return c
}

func (c *chartPane) Config() *config.Pane { return c.cfg }
func (c *chartPane) Len() int             { return c.points }
func (c *chartPane) Dropped() int         { return 0 } // buckets merge values, never drop them
func (c *chartPane) Capturing() bool      { return false }

func (c *chartPane) Clear() {
	c.series, c.byName, c.overflow = nil, map[string]*chartSeries{}, map[string]bool{}
	c.points, c.last, c.latest = 0, Item{}, time.Time{}
	c.cache = paceCache{}
}

func (c *chartPane) Selected() (Item, bool) { return c.last, c.last.Seq != 0 }

func (c *chartPane) Update(msg tea.Msg) tea.Cmd { return nil }

func (c *chartPane) Add(items []Item) {
	for _, it := range items {
		// gjson.Get on the string, not GetBytes: its results point into
		// the payload instead of copying, which under a firehose was most
		// of this pane's garbage.
		data := it.Event.Data
		added := false
		if c.cfg.SplitBy != "" {
			key := gjson.Get(data, c.cfg.SplitBy)
			if key.Exists() && key.Type != gjson.Null && len(c.cfg.Series) > 0 {
				added = c.push(render.Value(key), gjson.Get(data, c.cfg.Series[0]), it.Time)
			}
		} else {
			for _, p := range c.cfg.Series {
				added = c.push(p, gjson.Get(data, p), it.Time) || added
			}
		}
		if added {
			c.last = it
			c.latest = laterOf(c.latest, it.Time)
		}
	}
	c.prune()
}

// push adds one value to the named series, creating it while there is room.
func (c *chartPane) push(name string, v gjson.Result, at time.Time) bool {
	f, ok := render.Float(v)
	if !ok || math.IsNaN(f) || math.IsInf(f, 0) {
		return false
	}
	s := c.byName[name]
	if s == nil {
		if len(c.series) >= maxChartSeries {
			if _, seen := c.overflow[name]; !seen && len(c.overflow) < 10_000 {
				c.overflow[strings.Clone(name)] = true
			}
			return false
		}
		s = &chartSeries{name: oneLine(name, maxCellBytes)}
		c.byName[strings.Clone(name)] = s // name points into the payload
		c.series = append(c.series, s)
	}
	span := max(1, int64(c.cfg.Window)/int64(max(1, c.cfg.Max)))
	slot := at.UnixNano() / span
	c.points++
	if n := s.b.Len(); n > 0 {
		if last := s.b.Ptr(n - 1); slot <= last.slot {
			// The same slot, or a value from before it (feeds' clocks
			// interleave): merged into the newest bucket, not lost.
			last.lo, last.hi, last.final = math.Min(last.lo, f), math.Max(last.hi, f), f
			last.n++
			if at.After(last.t) {
				last.t = at
			}
			return true
		}
	}
	// One bucket more than max, so that a full window is covered while the
	// oldest slot is still filling.
	if old, evicted := s.b.Push(chartBucket{slot: slot, t: at, lo: f, hi: f, first: f, final: f, n: 1}, c.cfg.Max+1); evicted {
		c.points -= old.n
	}
	return true
}

// prune forgets the buckets that have left the window.
func (c *chartPane) prune() {
	from := c.latest.Add(-c.cfg.Window)
	for _, s := range c.series {
		for s.b.Len() > 0 && s.b.At(0).t.Before(from) {
			old, _ := s.b.PopFront()
			c.points -= old.n
		}
	}
}

func (c *chartPane) Render(vs viewState) string {
	now := vs.Now
	if now.IsZero() {
		now = c.latest
	}
	vs.Now = now
	cw, ch := paneContentSize(vs)
	if out, ok := c.cache.get(vs, chartPace(c.cfg.Window, 2*cw)); ok {
		return out
	}
	head := frameHead{title: paneTitleText(c.cfg), count: countLabel(len(c.series), "series", "series")}
	if n := len(c.overflow); n > 0 {
		head.extra = append(head.extra, frameSeg{text: groupInt(n) + " more not drawn", style: c.st.For(config.RoleWarning), keep: keepExtra})
	}
	if ch <= 0 {
		return c.cache.put(vs, drawFrame(c.st, vs, head, nil))
	}
	if c.points == 0 {
		return c.cache.put(vs, drawFrame(c.st, vs, head, []string{waitingLine(c.st)}))
	}
	return c.cache.put(vs, drawFrame(c.st, vs, head, c.body(cw, ch, now)))
}

// body draws the legend, the plot with its y-axis labels, and the time axis.
func (c *chartPane) body(cw, ch int, now time.Time) []string {
	var legend, axis []string
	ph := ch
	if ch >= 4 {
		ph -= 2
	}
	from := now.Add(-c.cfg.Window)
	lo, hi := c.yRange(from, now)
	labels := []string{c.label(hi), c.label(lo)}
	mid := -1
	if ph >= 5 {
		mid = ph / 2
		labels = append(labels, c.label(hi-(hi-lo)*float64(mid)/float64(ph-1)))
	}
	labelW := 0
	for _, l := range labels {
		labelW = max(labelW, cellWidth(l))
	}
	if labelW > cw/3 {
		labelW = 0
	}
	pw := cw - labelW
	if labelW > 0 {
		pw -= 2
	}
	if pw < 2 {
		return nil
	}
	canvas := newBrailleCanvas(pw, ph)
	for i, s := range c.series {
		c.plot(canvas, s, i, from, now, lo, hi)
	}
	plot := canvas.rows(c.styles)
	muted := c.st.Muted
	out := make([]string, 0, ch)
	if ch >= 4 {
		legend = c.legend(cw)
		out = append(out, legend...)
	}
	for r, row := range plot {
		if labelW > 0 {
			l, tick := "", "│"
			switch r {
			case 0:
				l, tick = labels[0], "┤"
			case ph - 1:
				l, tick = labels[1], "┤"
			case mid:
				l, tick = labels[2], "┤"
			}
			row = muted.Render(alignCells(l, labelW, config.AlignRight)+" "+tick) + row
		}
		out = append(out, row)
	}
	if ch >= 4 {
		axis = []string{muted.Render(strings.Repeat(" ", cw-pw) + timeAxis(c.cfg.Window, pw))}
		out = append(out, axis...)
	}
	return out
}

// plot draws one series: the min-to-max span of each dot column, joined to
// the previous column with data by a line.
func (c *chartPane) plot(cv *brailleCanvas, s *chartSeries, idx int, from, now time.Time, lo, hi float64) {
	dw, dh := cv.dots()
	span := now.Sub(from)
	if span <= 0 || dw < 1 {
		return
	}
	toY := func(v float64) int {
		f := (v - lo) / (hi - lo)
		return (dh - 1) - int(math.Round(math.Max(0, math.Min(1, f))*float64(dh-1)))
	}
	type col struct {
		x                     int
		lo, hi, first, latest float64
	}
	var prev, cur col
	have := false
	flush := func() {
		cv.vline(cur.x, toY(cur.lo), toY(cur.hi), idx)
		if prev.x >= 0 && have && prev.x != cur.x {
			cv.line(prev.x, toY(prev.latest), cur.x, toY(cur.first), idx)
		}
	}
	prev.x = -1
	for i := range s.b.Len() {
		p := s.b.Ptr(i)
		if p.t.Before(from) {
			continue
		}
		x := int(float64(p.t.Sub(from)) / float64(span) * float64(dw-1))
		x = min(max(x, 0), dw-1)
		switch {
		case !have:
			cur, have = col{x, p.lo, p.hi, p.first, p.final}, true
		case x == cur.x:
			cur.lo, cur.hi, cur.latest = math.Min(cur.lo, p.lo), math.Max(cur.hi, p.hi), p.final
		default:
			flush()
			prev = cur
			cur = col{x, p.lo, p.hi, p.first, p.final}
		}
	}
	if have {
		flush()
	}
}

// yRange is the y axis: y_range, or the span of the values in the window
// with a little room above and below.
func (c *chartPane) yRange(from, now time.Time) (lo, hi float64) {
	if r := c.cfg.YRange; r != nil {
		return r[0], r[1]
	}
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, s := range c.series {
		for i := range s.b.Len() {
			p := s.b.Ptr(i)
			if p.t.Before(from) {
				continue
			}
			lo, hi = math.Min(lo, p.lo), math.Max(hi, p.hi)
		}
	}
	switch {
	case math.IsInf(lo, 0):
		return 0, 1
	case lo == hi:
		d := math.Max(math.Abs(lo)*0.1, 1)
		return lo - d, hi + d
	}
	// A little room above and below, but an axis of positive values does
	// not start below zero.
	pad := (hi - lo) * 0.05
	if lo >= 0 {
		return math.Max(0, lo-pad), hi + pad
	}
	return lo - pad, hi + pad
}

// label formats a y-axis value with the pane's format.
func (c *chartPane) label(v float64) string {
	return oneLine(c.cfg.Format.Apply(numberResult(v), render.Context{}), 32)
}

// numberResult wraps a number for render.Format.
func numberResult(v float64) gjson.Result {
	raw := strconv.FormatFloat(v, 'f', -1, 64)
	if math.Abs(v) >= 1e21 || (v != 0 && math.Abs(v) < 1e-6) {
		raw = strconv.FormatFloat(v, 'g', 6, 64)
	} else if c := strconv.FormatFloat(v, 'f', 4, 64); len(c) < len(raw) {
		raw = strings.TrimRight(strings.TrimRight(c, "0"), ".")
	}
	return gjson.Result{Type: gjson.Number, Num: v, Raw: raw}
}

// legend names each series in its colour with its latest value, wrapped to
// one line (what does not fit is counted).
func (c *chartPane) legend(w int) []string {
	var b strings.Builder
	used := 0
	for i, s := range c.series {
		if s.b.Len() == 0 {
			continue
		}
		v := c.label(s.b.At(s.b.Len() - 1).final)
		item := "━ " + s.name + " " + v
		iw := cellWidth(item) + 2
		if used+iw > w {
			if rest := "+" + strconv.Itoa(len(c.series)-i); used+len(rest) <= w {
				b.WriteString(c.st.Muted.Render(rest))
			}
			break
		}
		st := c.styles[i%len(c.styles)]
		b.WriteString(st.Render("━ ") + c.st.For(config.RoleText).Render(s.name) + " " + st.Render(v) + "  ")
		used += iw
	}
	return []string{b.String()}
}

// timeAxis labels the plot's width: the window's start on the left, its
// middle, and "now" on the right.
func timeAxis(window time.Duration, w int) string {
	left, right := "-"+axisDuration(window), "now"
	line := []rune(strings.Repeat(" ", w))
	put := func(at int, s string) {
		for i, r := range []rune(s) {
			if at+i >= 0 && at+i < len(line) {
				line[at+i] = r
			}
		}
	}
	if w < len(left)+len(right)+1 {
		put(w-len(right), right)
		return string(line)
	}
	put(0, left)
	if mid := "-" + axisDuration(window/2); w >= 2*(len(left)+len(mid)+len(right)) {
		put(w/2-len(mid)/2, mid)
	}
	put(w-len(right), right)
	return string(line)
}

// axisDuration writes a window the short way: 5m, 2m30s, 45s, 1h.
func axisDuration(d time.Duration) string {
	s := d.Round(time.Second).String()
	s = strings.Replace(s, "m0s", "m", 1)
	s = strings.Replace(s, "h0m", "h", 1)
	return s
}
