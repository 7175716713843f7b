package ui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/tidwall/gjson"

	"github.com/livefeed/livefeed/config"
	"github.com/livefeed/livefeed/render"
)

// textPane joins the fragments of a token stream (an LLM's answer, say)
// into one growing, word-wrapped text: each event appends the string at the
// pane's path. An event named in reset_on starts a new transcript below the
// previous ones, which stay scrollable. The view follows the end of the text
// until the user scrolls up, and follows again from the bottom.
type textPane struct {
	cfg *config.Pane
	st  *Styles
	km  KeyMap
	max int

	ts      []*transcript // oldest first; never empty
	bytes   int
	dropped int // fragments of transcripts dropped to stay within bounds
	last    Item

	vp     viewport.Model
	follow bool
	width  int // the wrap width of the lines in the caches
}

// transcript is one answer: its text and when its fragments came.
type transcript struct {
	text         strings.Builder
	start        time.Time // its first event (the reset, when there is one)
	first, last  time.Time // its first and latest fragment
	frags        int
	lines        []string // wrapped and sanitized up to wrapped bytes of text
	wrapped      int
	openPara     int // byte offset in text where the unfinished paragraph starts
	openParaLine int // its first line in lines
}

// textMaxBytes bounds one transcript: past it, its oldest part goes.
const textMaxBytes = paneMaxBytes / 2

func newTextPane(p *config.Pane, st *Styles, km KeyMap) *textPane {
	t := &textPane{cfg: p, st: st, km: km, max: paneMax(p, config.DefaultTextMax), follow: true}
	t.ts = []*transcript{{}}
	off := key.NewBinding(key.WithDisabled())
	t.vp = viewport.New()
	t.vp.KeyMap = viewport.KeyMap{
		Up: km.Up, Down: km.Down, PageUp: km.PageUp, PageDown: km.PageDown,
		HalfPageUp: off, HalfPageDown: off, Left: off, Right: off,
	}
	t.vp.MouseWheelEnabled = true
	return t
}

func (t *textPane) Config() *config.Pane { return t.cfg }

// setConfig takes a config that differs only in names, keeping the text
// (a reload that renames the pane).
func (t *textPane) setConfig(p *config.Pane) { t.cfg = p }
func (t *textPane) Capturing() bool          { return false }
func (t *textPane) Dropped() int             { return t.dropped }

// Len is the number of fragments held.
func (t *textPane) Len() int {
	n := 0
	for _, tr := range t.ts {
		n += tr.frags
	}
	return n
}

func (t *textPane) Clear() {
	t.ts = []*transcript{{}}
	t.bytes, t.dropped, t.last = 0, 0, Item{}
	t.follow = true
	t.vp.SetContentLines(nil)
}

func (t *textPane) cur() *transcript { return t.ts[len(t.ts)-1] }

// Add appends each event's fragment; a reset_on event first starts a new
// transcript (unless the current one is still empty).
func (t *textPane) Add(items []Item) {
	for _, it := range items {
		t.last = it
		t.last.Event.Data = "" // the transcript is what the pane keeps
		if len(t.cfg.ResetOn) > 0 && matchAny(t.cfg.ResetOn, it.Event.Type) {
			t.reset(it.Time)
		}
		cur := t.cur()
		if cur.start.IsZero() {
			cur.start = it.Time
		}
		frag := fragment(gjson.Get(it.Event.Data, t.cfg.Path))
		if frag == "" {
			continue
		}
		if cur.frags == 0 {
			cur.first = it.Time
		}
		cur.frags++
		cur.last = it.Time
		cur.text.WriteString(frag)
		t.bytes += len(frag)
		t.bound()
	}
}

// fragment is a value as text: a string as it is (newlines kept), numbers
// and other JSON as written; a missing value or null is nothing.
func fragment(v gjson.Result) string {
	switch {
	case !v.Exists() || v.Type == gjson.Null:
		return ""
	case v.Type == gjson.String:
		return v.Str
	}
	return v.Raw
}

func (t *textPane) reset(at time.Time) {
	if cur := t.cur(); cur.frags == 0 {
		cur.start = at
		return
	}
	t.ts = append(t.ts, &transcript{start: at})
	t.bound()
}

// bound keeps at most max transcripts and paneMaxBytes of text; a single
// transcript over textMaxBytes loses its oldest half.
func (t *textPane) bound() {
	for len(t.ts) > 1 && (len(t.ts) > t.max || t.bytes > paneMaxBytes) {
		t.bytes -= t.ts[0].text.Len()
		t.dropped += t.ts[0].frags
		t.ts[0] = nil
		t.ts = t.ts[1:]
	}
	if cur := t.cur(); cur.text.Len() > textMaxBytes {
		s := cur.text.String()
		cut := len(s) / 2
		for cut < len(s) && s[cut]&0xC0 == 0x80 {
			cut++ // not inside a UTF-8 sequence
		}
		cur.text.Reset()
		cur.text.WriteString(s[cut:])
		t.bytes -= cut
		cur.lines, cur.wrapped, cur.openPara, cur.openParaLine = nil, 0, 0, 0
	}
}

// wrap brings a transcript's wrapped lines up to date for width cells:
// only the unfinished paragraph is wrapped again as fragments arrive.
func (tr *transcript) wrap(width int) []string {
	s := tr.text.String()
	if tr.wrapped == len(s) {
		return tr.lines
	}
	tr.lines = tr.lines[:tr.openParaLine]
	rest := s[tr.openPara:]
	for {
		para, more, complete := strings.Cut(rest, "\n")
		tr.lines = append(tr.lines, wrapPara(para, width)...)
		if !complete {
			break
		}
		tr.openPara += len(para) + 1
		tr.openParaLine = len(tr.lines)
		rest = more
	}
	tr.wrapped = len(s)
	return tr.lines
}

// wrapPara word-wraps one paragraph of untrusted text, cutting words longer
// than a line.
func wrapPara(p string, width int) []string {
	p = render.Sanitize(p)
	if p == "" {
		return []string{""}
	}
	return strings.Split(ansi.Wrap(p, width, ""), "\n")
}

// Render draws the transcripts, oldest first, each after a rule naming
// when it started; the title shows the latest one's time to first fragment
// and fragments per second.
func (t *textPane) Render(vs viewState) string {
	cw, ch := paneContentSize(vs)
	head := frameHead{title: paneTitleText(t.cfg), dropped: t.dropped}
	cur := t.cur()
	if cur.frags > 0 {
		head.extra = append(head.extra, frameSeg{text: "first " + latency(cur.first.Sub(cur.start)), style: t.st.Muted, keep: keepExtra})
		if span := cur.last.Sub(cur.first); span > 0 && cur.frags > 1 {
			head.extra = append(head.extra, frameSeg{text: formatRate(float64(cur.frags-1) / span.Seconds()), style: t.st.Muted, keep: keepExtra})
		}
	}
	head.count = countLabel(len(t.ts), "transcript", "transcripts")
	if ch <= 0 || cw <= 0 {
		return drawFrame(t.st, vs, head, nil)
	}
	if cw != t.width {
		t.width = cw
		for _, tr := range t.ts {
			tr.lines, tr.wrapped, tr.openPara, tr.openParaLine = nil, 0, 0, 0
		}
	}
	var lines []string
	for i, tr := range t.ts {
		if len(t.ts) > 1 {
			rule := fmt.Sprintf("── %d · %s ", i+1, tr.start.Format("15:04:05"))
			lines = append(lines, t.st.Muted.Render(rule+strings.Repeat("─", max(0, cw-ansi.StringWidth(rule)))))
		}
		lines = append(lines, tr.wrap(cw)...)
	}
	if cur.frags == 0 && len(t.ts) == 1 {
		lines = []string{waitingLine(t.st)}
	}
	t.vp.SetWidth(cw)
	t.vp.SetHeight(ch)
	y := t.vp.YOffset()
	t.vp.SetContentLines(lines)
	if t.follow {
		t.vp.GotoBottom()
	} else {
		t.vp.SetYOffset(y)
	}
	if total := len(lines); total > ch && !t.follow {
		first := t.vp.YOffset() + 1
		head.footer = append(head.footer, frameSeg{
			text:  fmt.Sprintf("lines %d–%d of %d", first, min(first+ch-1, total), total),
			style: t.st.Muted, keep: keepCount,
		})
	}
	return drawFrame(t.st, vs, head, strings.Split(t.vp.View(), "\n"))
}

// latency shows a latency the way people read one: 850ms, 1.2s, 1m5s.
func latency(d time.Duration) string {
	switch {
	case d < 0:
		return "0ms"
	case d < time.Second:
		return fmt.Sprintf("%dms", d.Milliseconds())
	case d < time.Minute:
		return fmt.Sprintf("%.1fs", d.Seconds())
	}
	return d.Round(time.Second).String()
}

// Text is the newest transcript, as copied.
func (t *textPane) Text() string { return t.cur().text.String() }

// Selected is the newest transcript as an item, so the inspector shows
// (and copies) the whole text.
func (t *textPane) Selected() (Item, bool) {
	if t.last.Seq == 0 && t.cur().frags == 0 {
		return Item{}, false
	}
	it := t.last
	it.Event.Data = t.Text()
	return it, true
}

// Update scrolls (keys and wheel) and copies the newest transcript.
func (t *textPane) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, t.km.Copy):
			return copyText(t.Text())
		case key.Matches(msg, t.km.Top):
			t.vp.GotoTop()
			t.follow = t.vp.AtBottom()
			return nil
		case key.Matches(msg, t.km.Bottom):
			t.vp.GotoBottom()
			t.follow = true
			return nil
		}
	case tea.MouseWheelMsg:
	default:
		return nil
	}
	var cmd tea.Cmd
	t.vp, cmd = t.vp.Update(msg)
	t.follow = t.vp.AtBottom()
	return cmd
}

// copiedMsg tells the model that text went to the clipboard, for the
// status line.
type copiedMsg struct{ chars int }

// copyText puts text on the system clipboard through the terminal (OSC 52,
// which works over ssh too) and tells the model.
func copyText(s string) tea.Cmd {
	n := len([]rune(s))
	return tea.Batch(tea.SetClipboard(s), func() tea.Msg { return copiedMsg{chars: n} })
}
