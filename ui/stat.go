package ui

import (
	"math"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/tidwall/gjson"

	"github.com/livefeed/livefeed/config"
	"github.com/livefeed/livefeed/render"
)

// statPane shows tiles with one big number each: the latest value at the
// pane's value: path, one tile per split_by value, coloured by thresholds,
// with a sparkline of recent values under it.

// statPace bounds how often stat tiles redraw: a number changing faster
// than four times a second cannot be read anyway.
const statPace = 250 * time.Millisecond

// statTileMinWidth is the narrowest tile: room for "99.9%" in big digits.
const statTileMinWidth = 14

type statTile struct {
	name  string // sanitized
	text  string // the value as formatted, sanitized
	num   float64
	isNum bool
	spark []float64 // the last Spark values, oldest first
	last  Item
}

type statPane struct {
	cfg      *config.Pane
	st       *Styles
	tiles    []*statTile
	byName   map[string]*statTile
	overflow map[string]bool
	last     Item
	cache    paceCache
}

func newStatPane(p *config.Pane, st *Styles) *statPane {
	return &statPane{cfg: p, st: st, byName: map[string]*statTile{}, overflow: map[string]bool{}}
}

func (s *statPane) Config() *config.Pane       { return s.cfg }
func (s *statPane) Len() int                   { return len(s.tiles) }
func (s *statPane) Dropped() int               { return 0 }
func (s *statPane) Capturing() bool            { return false }
func (s *statPane) Update(msg tea.Msg) tea.Cmd { return nil }
func (s *statPane) Selected() (Item, bool)     { return s.last, s.last.Seq != 0 }

func (s *statPane) Clear() {
	s.tiles, s.byName, s.overflow, s.last = nil, map[string]*statTile{}, map[string]bool{}, Item{}
	s.cache = paceCache{}
}

func (s *statPane) Add(items []Item) {
	for _, it := range items {
		data := it.Event.Data // gjson.Get points into it; GetBytes would copy
		v := s.number(it)
		if !v.Exists() || v.Type == gjson.Null {
			continue
		}
		name := s.cfg.Value
		if s.cfg.ValueExpr != nil {
			name = s.cfg.ValueExpr.String()
		}
		if s.cfg.SplitBy != "" {
			k := gjson.Get(data, s.cfg.SplitBy)
			if !k.Exists() || k.Type == gjson.Null {
				continue
			}
			name = render.Value(k)
		}
		t := s.byName[name]
		if t == nil {
			if len(s.tiles) >= max(1, s.cfg.Max) {
				if _, seen := s.overflow[name]; !seen && len(s.overflow) < 10_000 {
					s.overflow[strings.Clone(name)] = true
				}
				continue
			}
			t = &statTile{name: oneLine(name, maxCellBytes)}
			s.byName[strings.Clone(name)] = t // name points into the payload
			s.tiles = append(s.tiles, t)
		}
		// Formatting is left to Render: under a firehose most values are
		// replaced before anyone sees them.
		t.last, t.text = it, ""
		t.num, t.isNum = render.Float(v)
		if t.isNum && (math.IsNaN(t.num) || math.IsInf(t.num, 0)) {
			t.isNum = false
		}
		if t.isNum && s.cfg.Spark > 0 {
			if len(t.spark) >= s.cfg.Spark {
				copy(t.spark, t.spark[1:])
				t.spark = t.spark[:len(t.spark)-1]
			}
			t.spark = append(t.spark, t.num)
		}
		s.last = it
	}
}

// number is an item's tile value: at the value: path, or computed by expr:.
func (s *statPane) number(it Item) gjson.Result {
	if s.cfg.ValueExpr != nil {
		return s.cfg.ValueExpr.Value(it.Event.Data, itemMeta(it))
	}
	return gjson.Get(it.Event.Data, s.cfg.Value)
}

// value is a tile's text, formatted on first use.
func (s *statPane) value(t *statTile) string {
	if t.text == "" {
		t.text = oneLine(s.cfg.Format.Apply(s.number(t.last), itemContext(t.last)), 64)
	}
	return t.text
}

// role colours a tile: by its thresholds when it has any (below them it is
// a gain, "fine"), else the accent.
func (s *statPane) role(t *statTile) config.Role {
	th := s.cfg.Thresholds
	if th.Warning == nil && th.Error == nil {
		return config.RoleAccent
	}
	if !t.isNum {
		return config.RoleMuted
	}
	if r := th.Level(t.num); r != "" {
		return r
	}
	return config.RoleGain
}

func (s *statPane) Render(vs viewState) string {
	if out, ok := s.cache.get(vs, statPace); ok {
		return out
	}
	cw, ch := paneContentSize(vs)
	head := frameHead{title: paneTitleText(s.cfg)}
	if s.cfg.SplitBy != "" {
		head.count = countLabel(len(s.tiles), "tile", "tiles")
	}
	if n := len(s.overflow); n > 0 {
		head.extra = append(head.extra, frameSeg{text: groupInt(n) + " more not shown", style: s.st.For(config.RoleWarning), keep: keepExtra})
	}
	if ch <= 0 {
		return s.cache.put(vs, drawFrame(s.st, vs, head, nil))
	}
	if len(s.tiles) == 0 {
		return s.cache.put(vs, drawFrame(s.st, vs, head, []string{waitingLine(s.st)}))
	}
	return s.cache.put(vs, drawFrame(s.st, vs, head, s.body(cw, ch)))
}

// body lays the tiles out in a grid: as many columns as fit, rows sharing
// the height; tiles that do not fit at all are left out.
func (s *statPane) body(cw, ch int) []string {
	const gap = 2
	n := len(s.tiles)
	cols := max(1, min(n, (cw+gap)/(statTileMinWidth+gap)))
	rows := (n + cols - 1) / cols
	// Fewer rows than tiles need when the height is short: each tile needs
	// two lines at least (name and number).
	rows = min(rows, max(1, ch/2))
	if rows*cols < n {
		cols = max(1, min(n, cw/max(1, statTileMinWidth/2)))
		rows = min((n+cols-1)/cols, max(1, ch/2))
	}
	tw := max(1, (cw-(cols-1)*gap)/cols)
	th := max(1, ch/rows)
	out := make([]string, 0, ch)
	for r := range rows {
		lines := make([]strings.Builder, th)
		for c := range cols {
			i := r*cols + c
			var tile []string
			if i < n {
				tile = s.tile(s.tiles[i], tw, th)
			}
			for l := range th {
				if c > 0 {
					lines[l].WriteString(strings.Repeat(" ", gap))
				}
				text := ""
				if l < len(tile) {
					text = tile[l]
				}
				lines[l].WriteString(fitCells(text, tw))
			}
		}
		for l := range lines {
			out = append(out, lines[l].String())
		}
	}
	return out
}

// tile draws one tile of w × h cells: the name, the number (in big digits
// when there is room), and the sparkline.
func (s *statPane) tile(t *statTile, w, h int) []string {
	style := s.st.For(s.role(t))
	name := s.st.Muted.Render(alignCells(t.name, w, config.AlignCenter))
	val := s.value(t)
	out := []string{name}
	bigRows := bigText(val)
	spark := s.cfg.Spark > 0 && len(t.spark) > 1
	need := 1 + 3
	if spark {
		need++
	}
	if h >= need && cellWidth(bigRows[0]) <= w {
		for _, row := range bigRows {
			out = append(out, style.Render(alignCells(row, w, config.AlignCenter)))
		}
	} else {
		out = append(out, style.Bold(true).Render(alignCells(val, w, config.AlignCenter)))
	}
	if spark && len(out) < h {
		sw := min(w, len(t.spark))
		out = append(out, style.Faint(true).Render(alignCells(render.Spark(t.spark, sw), w, config.AlignCenter)))
	}
	return out
}

// bigDigits draw a number three lines high with half blocks; other
// characters (units, letters) stand on the bottom line at normal size.
var bigDigits = map[rune][3]string{
	'0': {"█▀█", "█ █", "▀▀▀"},
	'1': {"▀█ ", " █ ", "▀▀▀"},
	'2': {"▀▀█", "█▀▀", "▀▀▀"},
	'3': {"▀▀█", " ▀█", "▀▀▀"},
	'4': {"█ █", "▀▀█", "  ▀"},
	'5': {"█▀▀", "▀▀█", "▀▀▀"},
	'6': {"█▀▀", "█▀█", "▀▀▀"},
	'7': {"▀▀█", "  █", "  ▀"},
	'8': {"█▀█", "█▀█", "▀▀▀"},
	'9': {"█▀█", "▀▀█", "▀▀▀"},
	'-': {"   ", "▀▀▀", "   "},
	'+': {" ▄ ", "▀█▀", "   "},
	'.': {" ", " ", "▀"},
	',': {" ", " ", "▄"},
	' ': {" ", " ", " "},
}

// bigText renders s in big digits, one string per line, with a space
// between two digits.
func bigText(s string) [3]string {
	var b [3]strings.Builder
	digit := func(r rune) bool { return r >= '0' && r <= '9' || r == '-' || r == '+' }
	prev := rune(0)
	for _, r := range s {
		if digit(prev) && digit(r) {
			for l := range b {
				b[l].WriteByte(' ')
			}
		}
		prev = r
		g, ok := bigDigits[r]
		if !ok {
			w := cellWidth(string(r))
			b[0].WriteString(strings.Repeat(" ", w))
			b[1].WriteString(strings.Repeat(" ", w))
			b[2].WriteRune(r)
			continue
		}
		for l := range b {
			b[l].WriteString(g[l])
		}
	}
	return [3]string{b[0].String(), b[1].String(), b[2].String()}
}
