package ui

import (
	"cmp"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/tidwall/gjson"

	"github.com/livefeed/livefeed/config"
	"github.com/livefeed/livefeed/render"
)

// Row state beyond "the latest event wins": keys chosen by event name, rows
// removed by an event or by age, rows merged from partial updates, and
// aggregate columns. A pane without these keys pays one length check each.

// sortByPath is tablePane.sortCol when the rows are ordered by the pane's
// sort: payload path rather than by a column.
const sortByPath = -2

// rowKeyFor returns the key of an event's row: the path of the first key
// rule matching the event name, else the pane's key path.
func rowKeyFor(p *config.Pane, event string, data []byte) (string, bool) {
	path := p.Key
	for _, r := range p.KeyRules {
		if matchEvent(r.Event, event) {
			path = r.Path
			break
		}
	}
	if path == "" {
		return "", false
	}
	v := gjson.GetBytes(data, path)
	if !v.Exists() || v.Type == gjson.Null {
		return "", false
	}
	return render.Value(v), true
}

// matchAny reports whether an event name matches one of the patterns.
func matchAny(patterns []string, event string) bool {
	for _, p := range patterns {
		if p == event || matchEvent(p, event) {
			return true
		}
	}
	return false
}

// remove takes the row with key k out of the table (remove_on, expire);
// unlike evict it is not a loss of data, so it is not counted as dropped.
func (s *tablePane) remove(k string) {
	r := s.rows[k]
	if r == nil {
		return
	}
	s.lru.Remove(r.lru)
	delete(s.rows, k)
	s.bytes -= itemSize(r.item)
	s.dirty = true
}

// expireRows removes the rows not updated within the pane's expire: of now.
// The LRU list is in update order, so only its front is looked at.
func (s *tablePane) expireRows(now time.Time) bool {
	if s.cfg.Expire <= 0 {
		return false
	}
	removed := false
	for e := s.lru.Front(); e != nil; e = s.lru.Front() {
		r := e.Value.(*tableRow)
		if now.Sub(r.item.Time) < s.cfg.Expire {
			break
		}
		s.remove(r.key)
		removed = true
	}
	return removed
}

// nextSort is the order the sort key moves to; the cycle is the configured
// payload path (if any), first seen, then each column.
func (s *tablePane) nextSort() int {
	switch {
	case s.sortCol == sortByPath:
		return -1
	case s.sortCol+1 < len(s.cols):
		return s.sortCol + 1
	case s.sortPath != "":
		return sortByPath
	}
	return -1
}

// sortValue is the row's value at the sort: path, kept like a cell so that
// it orders like one.
func sortValue(path string, data []byte) tableCell {
	v := gjson.GetBytes(data, path)
	num, ok := render.Float(v)
	if v.Type == gjson.String && !ok {
		return tableCell{text: v.Str}
	}
	return tableCell{text: v.Raw, num: num, hasNum: ok}
}

// compareRows orders two rows by the current sort, first seen breaking ties.
func (s *tablePane) compareRows(a, b *tableRow) int {
	c := 0
	switch sc := s.sortCol; {
	case sc == sortByPath:
		c = compareCells(a.sortVal, b.sortVal)
	case sc >= 0 && sc < len(a.cells):
		c = compareCells(a.cells[sc], b.cells[sc])
	default:
		c = cmp.Compare(a.first, b.first)
	}
	if s.desc {
		c = -c
	}
	if c == 0 {
		c = cmp.Compare(a.first, b.first)
	}
	return c
}

// aggState is one aggregate column's running value for one row.
type aggState struct {
	n            int64 // events
	nums         int64 // events with a numeric value
	sum          float64
	min, max     float64
	first, last  gjson.Result // copies, so the row does not pin old payloads
	rate         *minuteWindow
	hasFirst     bool
	hasLastValue bool
}

// minuteWindow counts events per second over the last minute.
type minuteWindow struct {
	sec [60]int64
	n   [60]uint32
}

func (w *minuteWindow) add(t time.Time) {
	s := t.Unix()
	i := ((s % 60) + 60) % 60
	if w.sec[i] != s {
		w.sec[i], w.n[i] = s, 0
	}
	w.n[i]++
}

// perMinute is how many events arrived in the minute up to now.
func (w *minuteWindow) perMinute(now time.Time) int {
	s, total := now.Unix(), 0
	for i := range w.sec {
		if d := s - w.sec[i]; d >= 0 && d < 60 {
			total += int(w.n[i])
		}
	}
	return total
}

// add folds one event's value into the aggregate.
func (a *aggState) add(agg config.Agg, v gjson.Result, at time.Time) {
	a.n++
	switch agg {
	case config.AggRate:
		if a.rate == nil {
			a.rate = &minuteWindow{}
		}
		a.rate.add(at)
	case config.AggFirst:
		if !a.hasFirst && v.Exists() && v.Type != gjson.Null {
			a.first, a.hasFirst = ownResult(v), true
		}
	case config.AggLast:
		if v.Exists() && v.Type != gjson.Null {
			a.last, a.hasLastValue = ownResult(v), true
		}
	case config.AggSum, config.AggMin, config.AggMax, config.AggAvg:
		x, ok := render.Float(v)
		if !ok {
			return
		}
		if a.nums == 0 || x < a.min {
			a.min = x
		}
		if a.nums == 0 || x > a.max {
			a.max = x
		}
		a.nums++
		a.sum += x
	}
}

// ownResult copies a value out of the payload it points into.
func ownResult(v gjson.Result) gjson.Result { return gjson.Parse(strings.Clone(v.Raw)) }

// value is the aggregate's result as of now (for rate), and whether there
// is one.
func (a *aggState) value(agg config.Agg, now time.Time) (gjson.Result, bool) {
	switch agg {
	case config.AggCount:
		return number(float64(a.n)), true
	case config.AggRate:
		if a.rate == nil {
			return number(0), true
		}
		return number(float64(a.rate.perMinute(now))), true
	case config.AggFirst:
		return a.first, a.hasFirst
	case config.AggLast:
		return a.last, a.hasLastValue
	}
	if a.nums == 0 {
		return gjson.Result{}, false
	}
	switch agg {
	case config.AggSum:
		return number(a.sum), true
	case config.AggMin:
		return number(a.min), true
	case config.AggMax:
		return number(a.max), true
	}
	return number(a.sum / float64(a.nums)), true
}

// number is a float as a JSON number; without a format it shows at most two
// decimals (an average of whole numbers should not read 3.3333333333333335).
func number(x float64) gjson.Result {
	raw := strconv.FormatFloat(math.Round(x*100)/100, 'f', -1, 64)
	return gjson.Result{Type: gjson.Number, Num: x, Raw: raw}
}

// aggCell renders an aggregate column's cell; a rate carries its unit.
func aggCell(col *config.Column, a *aggState, now time.Time, fc render.Context) (text string, role config.Role, num float64, hasNum bool) {
	if a == nil {
		return "", config.RoleText, 0, false
	}
	v, ok := a.value(col.Agg, now)
	if !ok {
		return "", config.RoleText, 0, false
	}
	text = col.Format.Apply(v, fc)
	if col.Agg == config.AggRate {
		text += "/min"
	}
	num, hasNum = render.Float(v)
	return text, pickRole(col.Color, v), num, hasNum
}
