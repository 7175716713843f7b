package ui

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/livefeed/livefeed/config"
	"github.com/livefeed/livefeed/render"
)

// newPane builds the pane that shows a configured pane's events.
func newPane(p *config.Pane, st *Styles, km KeyMap) pane {
	if st == nil {
		st = NewStyles(config.DefaultTheme())
	}
	if p == nil {
		p = &config.Pane{ID: "events", Title: "events", Type: config.Log, Max: config.DefaultLogMax}
	}
	switch p.Type {
	case config.Ticker:
		return newTickerPane(p, st, km)
	case config.Table:
		return newTablePane(p, st, km)
	case config.List:
		return newListPane(p, st, km)
	case config.Progress:
		return newProgressPane(p, st, km)
	case config.Chart:
		return newChartPane(p, st)
	case config.Stat:
		return newStatPane(p, st)
	case config.Text:
		return newTextPane(p, st, km)
	}
	return newLogPane(p, st, km)
}

// focusMsg tells a pane that it gained or lost the focus. The parent sends
// it to the panes concerned whenever the focus moves; the list pane counts
// unread items only while it is not focused.
type focusMsg struct{ focused bool }

// paneMaxBytes bounds the memory one pane's items hold (as itemSize
// counts it), so that neither a generous max: nor a feed of large events
// can exhaust memory. It was 16 MiB of payload (+64 bytes an item), which
// a log with max: 1000000 taking every event of a 100,000 events/s firehose
// filled with ~97,000 events of 100 bytes: ~30 MB live, 120–140 MB resident
// once the garbage collector's headroom was added. Counted honestly, 8 MiB
// (~34,000 such events, 7 MB live) still gave 44–51 MB resident; 4 MiB
// (~17,000 events) keeps such a pane within issue 9's 40 MB.
const paneMaxBytes = 4 << 20

// Display limits for one item's text, in bytes: a line is never wider than
// a terminal, and the inspector shows the whole payload.
const (
	maxLineBytes = 1024
	maxCellBytes = 256
)

// paneMax is the pane's item bound, falling back to def when unset.
func paneMax(p *config.Pane, def int) int {
	if p.Max > 0 {
		return p.Max
	}
	return def
}

// paneTitleText is the pane's title as drawn.
func paneTitleText(p *config.Pane) string {
	if p.Title != "" {
		return render.Sanitize(p.Title)
	}
	return render.Sanitize(p.ID)
}

// itemSize estimates the memory an item holds in a pane: its strings and
// itemOverhead.
func itemSize(it Item) int {
	return len(it.Event.Data) + len(it.Event.ID) + len(it.Event.Type) + itemOverhead
}

// itemOverhead is what a pane holds per item besides its strings: the Item
// stored by value (96 bytes; a list entry adds its text's header and role
// for 128) and the payload allocation's rounding to a size class.
const itemOverhead = 144

func itemMeta(it Item) render.Meta {
	return render.Meta{Feed: it.Feed, Event: it.Event.Type, ID: it.Event.ID, Time: it.Time}
}

// itemContext renders time-dependent formats as of the item's arrival, in
// the zone of its timestamp (local time for live events).
func itemContext(it Item) render.Context {
	return render.Context{Now: it.Time, Loc: it.Time.Location()}
}

// itemTexter renders items with a pane's text templates.
type itemTexter struct {
	cfg      *config.Pane
	raw      *render.Template // {$data}, for events no text rule matches
	hasPaths map[*render.Template]bool
}

func newItemTexter(p *config.Pane) itemTexter {
	return itemTexter{cfg: p, raw: render.DataTemplate(), hasPaths: map[*render.Template]bool{}}
}

// text renders an item with the pane's template for its event name. When
// the template finds nothing in the payload (an event of another shape),
// the raw payload is shown instead of the template's bare punctuation.
func (x itemTexter) text(it Item) string {
	data := []byte(it.Event.Data)
	s := ""
	if t := textFor(x.cfg, x.raw, it.Event.Type); t != nil {
		meta, ctx := itemMeta(it), itemContext(it)
		s = t.Render(data, meta, ctx)
		paths, known := x.hasPaths[t]
		if !known {
			paths = len(t.Paths()) > 0
			x.hasPaths[t] = paths
		}
		if paths && s == t.Render([]byte("{}"), meta, ctx) {
			s = ""
		}
	}
	if strings.TrimSpace(s) == "" {
		s = render.Data(data)
	}
	return clipBytes(render.Sanitize(s), maxLineBytes)
}

// cellWidth is ansi.StringWidth with a fast path for printable ASCII, which
// most feed text is.
func cellWidth(s string) int {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return ansi.StringWidth(s)
		}
	}
	return len(s)
}

// oneLine shows untrusted text on one line: line breaks become ⏎ and other
// controls are neutralized.
func oneLine(s string, maxBytes int) string {
	s = clipBytes(s, maxBytes)
	if strings.ContainsAny(s, "\r\n") {
		s = strings.NewReplacer("\r\n", "⏎", "\n", "⏎", "\r", "⏎").Replace(s)
	}
	return render.Sanitize(s)
}

// clipBytes shortens s to about n bytes at a rune boundary, marking the cut.
func clipBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// relAgo is a short relative time: "now", "5s ago", "3m ago", "2h ago"; a
// time slightly ahead of the clock is "now", and a zero time is "".
func relAgo(now, t time.Time) string {
	if t.IsZero() || now.IsZero() {
		return ""
	}
	return render.Ago(max(0, now.Sub(t)))
}

// groupInt writes n with thousands separators.
func groupInt(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		return "-" + s
	}
	return s
}

// countLabel is "1 row" or "1,234 rows".
func countLabel(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return groupInt(n) + " " + many
}

// navIndex moves a selection index over n items for a navigation key or
// mouse wheel; page is how many items one screen shows. ok is false for
// anything else.
func navIndex(km KeyMap, msg tea.Msg, sel, n, page int) (next int, ok bool) {
	page = max(1, page)
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, km.Up):
			sel--
		case key.Matches(msg, km.Down):
			sel++
		case key.Matches(msg, km.PageUp):
			sel -= page
		case key.Matches(msg, km.PageDown):
			sel += page
		case key.Matches(msg, km.Top):
			sel = 0
		case key.Matches(msg, km.Bottom):
			sel = n - 1
		default:
			return sel, false
		}
	case tea.MouseWheelMsg:
		switch msg.Button {
		case tea.MouseWheelUp:
			sel -= 3
		case tea.MouseWheelDown:
			sel += 3
		default:
			return sel, false
		}
	default:
		return sel, false
	}
	return clampIndex(sel, n), true
}

func clampIndex(i, n int) int {
	return max(0, min(i, n-1))
}

// scrollTop keeps the selected index inside a window of rows lines starting
// at top, moving the window as little as possible.
func scrollTop(top, sel, n, rows int) int {
	if rows <= 0 || n <= 0 {
		return 0
	}
	if sel < top {
		top = sel
	}
	if sel >= top+rows {
		top = sel - rows + 1
	}
	return max(0, min(top, n-rows))
}

// boundedRing is a FIFO of at most a given number of elements that grows on
// demand, so a pane with a large max: costs nothing until it fills.
type boundedRing[T any] struct {
	buf  []T
	head int // index of the oldest element
	n    int
}

func (r *boundedRing[T]) Len() int { return r.n }

// At returns the i-th element, 0 being the oldest.
func (r *boundedRing[T]) At(i int) T { return r.buf[(r.head+i)%len(r.buf)] }

// Ptr points at the i-th element, for filling it in place; the pointer is
// valid until the next Push or PopFront.
func (r *boundedRing[T]) Ptr(i int) *T { return &r.buf[(r.head+i)%len(r.buf)] }

// Push appends v; when the ring already holds limit elements, the oldest
// is removed and returned. A ring is always pushed with the same limit.
func (r *boundedRing[T]) Push(v T, limit int) (old T, evicted bool) {
	limit = max(1, limit)
	if r.n >= limit {
		old = r.buf[r.head]
		r.buf[r.head] = v
		r.head = (r.head + 1) % len(r.buf)
		return old, true
	}
	if r.n == len(r.buf) {
		grown := make([]T, r.n, min(limit, ringGrowth(r.n)))
		for i := range r.n {
			grown[i] = r.At(i)
		}
		r.buf, r.head = grown[:cap(grown)], 0
	}
	r.buf[(r.head+r.n)%len(r.buf)] = v
	r.n++
	return old, false
}

// ringGrowth is the capacity a full ring of n elements grows to: doubling
// while small, then by a quarter. A pane bounded by bytes (paneMaxBytes)
// rather than by its max: stops growing somewhere in between, and with
// doubling held up to twice the slots it needed: a log with max: 1000000
// taking a 100,000 events/s firehose kept 34,000 events in 65,536 slots of
// 96 bytes, a third of its memory.
func ringGrowth(n int) int {
	if n < 4096 {
		return max(16, 2*n)
	}
	return n + n/4
}

// PopFront removes and returns the oldest element.
func (r *boundedRing[T]) PopFront() (v T, ok bool) {
	if r.n == 0 {
		return v, false
	}
	var zero T
	v = r.buf[r.head]
	r.buf[r.head] = zero
	r.head = (r.head + 1) % len(r.buf)
	r.n--
	return v, true
}

// Reset empties the ring and releases its memory.
func (r *boundedRing[T]) Reset() { *r = boundedRing[T]{} }
