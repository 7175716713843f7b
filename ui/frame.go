package ui

import (
	"slices"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/livefeed/livefeed/config"
	"github.com/livefeed/livefeed/render"
)

// frameSeg is one piece of text on a pane's border (title line or footer).
type frameSeg struct {
	text  string // display text; drawFrame sanitizes it again
	style lipgloss.Style
	keep  int // when space runs out the lowest keep goes first; keepAlways never goes
}

// Priorities of border segments: what a narrow pane gives up first.
const (
	keepCount   = 1
	keepDropped = 2
	keepExtra   = 3
	keepBadge   = 4
	keepNote    = 5
	keepFilter  = 6 // a filtered pane that does not say so misleads
	keepAlways  = 100
)

// minNoteCut is the fewest cells a note is cut down to before it is
// dropped instead: "CLOSED · HTTP 4…" still says what matters.
const minNoteCut = 16

// minTitleCells is how short a title may get to keep a pane's state in
// view.
const minTitleCells = 8

// frameHead is what a pane shows on its border besides its content.
type frameHead struct {
	title   string     // the pane's title
	count   string     // "12 rows"
	dropped int        // items discarded to stay within bounds
	extra   []frameSeg // pane specific: unread badge, filter, missing keys
	footer  []frameSeg // right-aligned on the bottom border, e.g. "↓ 3 new"
	bare    string     // shown instead of the title when the pane has one line only
}

// framePad is the blank column kept on each side of the content.
func framePad(width int) int {
	if width >= 12 {
		return 1
	}
	return 0
}

// paneContentSize is the area inside the border (and padding) of a pane of
// the given size; zero when there is no room for a frame.
func paneContentSize(vs viewState) (w, h int) {
	if vs.Width < 2 || vs.Height < 2 {
		return 0, 0
	}
	return vs.Width - 2 - 2*framePad(vs.Width), vs.Height - 2
}

// drawFrame draws a pane of exactly vs.Width × vs.Height cells: a rounded
// border with the title line on its top edge and body inside. Body lines are
// cut or padded to the content width; missing lines are blank.
func drawFrame(st *Styles, vs viewState, head frameHead, body []string) string {
	w, h := vs.Width, vs.Height
	if h <= 0 {
		return ""
	}
	if w <= 0 {
		return strings.Repeat("\n", h-1)
	}
	if w < 2 || h < 2 {
		segs := headSegs(st, vs, head)
		first := ""
		if head.bare != "" {
			first = head.bare
			if vs.Dimmed {
				first = lipgloss.NewStyle().Faint(true).Render(ansi.Strip(first))
			}
			first = fitCells(first, w)
		} else {
			first = joinFrameSegs(fitSegs(segs, w), st, vs.Dimmed)
			first = fitCells(first, w)
		}
		lines := make([]string, h)
		lines[0] = first
		for i := 1; i < h; i++ {
			lines[i] = strings.Repeat(" ", w)
		}
		return strings.Join(lines, "\n")
	}

	return framed(st, vs, head, fitBody(vs, body))
}

// fitBody is the body as drawFrame puts it inside the border: one
// fitBodyLine for each of the pane's content lines, blank past the body.
func fitBody(vs viewState, body []string) []string {
	cw, _ := paneContentSize(vs)
	fitted := make([]string, vs.Height-2)
	for i := range fitted {
		line := ""
		if i < len(body) {
			line = body[i]
		}
		fitted[i] = fitBodyLine(vs, line, cw)
	}
	return fitted
}

// fitBodyLine is a body line as drawFrame puts it inside the border: faint
// on a dimmed pane, cut or padded to the content width cw.
func fitBodyLine(vs viewState, line string, cw int) string {
	if vs.Dimmed && line != "" {
		line = lipgloss.NewStyle().Faint(true).Render(ansi.Strip(line))
	}
	return fitCells(line, cw)
}

// framed draws the frame of a pane at least 2×2 around its body lines,
// fitted (fitBodyLine): exactly vs.Height-2 of them.
func framed(st *Styles, vs viewState, head frameHead, fitted []string) string {
	w, h := vs.Width, vs.Height
	segs := headSegs(st, vs, head)
	frame := st.Pane
	if vs.Focused {
		frame = st.PaneFocused
	}
	if vs.Dimmed {
		frame = st.PaneDimmed
	}
	b := frame.GetBorderStyle()
	if b.Top == "" || b.Left == "" {
		b = lipgloss.RoundedBorder()
	}
	bs := lipgloss.NewStyle().Faint(frame.GetFaint())
	if c := frame.GetBorderTopForeground(); c != nil {
		bs = bs.Foreground(c)
	}

	lines := make([]string, 0, h)
	lines = append(lines, edgeLine(bs, b.TopLeft, b.Top, b.TopRight, joinFrameSegs(fitSegs(segs, w-6), st, vs.Dimmed), w, false))

	pad := framePad(w)
	left := bs.Render(b.Left) + strings.Repeat(" ", pad)
	right := strings.Repeat(" ", pad) + bs.Render(b.Right)
	for _, line := range fitted {
		lines = append(lines, left+line+right)
	}

	foot := make([]frameSeg, 0, len(head.footer))
	for _, s := range head.footer {
		if vs.Dimmed {
			s.style = s.style.Faint(true)
		}
		foot = append(foot, s)
	}
	lines = append(lines, edgeLine(bs, b.BottomLeft, b.Bottom, b.BottomRight, joinFrameSegs(fitSegs(foot, w-6), st, vs.Dimmed), w, true))
	return strings.Join(lines, "\n")
}

// headSegs lists a pane's title segments in display order.
func headSegs(st *Styles, vs viewState, head frameHead) []frameSeg {
	title := st.Title
	if vs.Focused {
		title = st.TitleFocused
	}
	muted := st.Muted
	if vs.Dimmed {
		title = title.Faint(true)
		muted = muted.Faint(true)
	}
	segs := []frameSeg{{text: head.title, style: title, keep: keepAlways}}
	if head.count != "" {
		segs = append(segs, frameSeg{text: head.count, style: muted, keep: keepCount})
	}
	if head.dropped > 0 {
		segs = append(segs, frameSeg{text: "dropped " + groupInt(head.dropped), style: st.For(config.RoleWarning), keep: keepDropped})
	}
	for _, s := range head.extra {
		if vs.Dimmed {
			s.style = s.style.Faint(true)
		}
		segs = append(segs, s)
	}
	if note := render.Sanitize(vs.Note); note != "" {
		// The note says why a pane looks as it does ("stale 12s",
		// "paused · 3 new"), so it stays legible even on a dimmed pane.
		style := st.Badge
		if vs.Dimmed {
			style = st.For(config.RoleStale)
		}
		segs = append(segs, frameSeg{text: note, style: style, keep: keepNote})
	}
	return segs
}

// fitSegs drops the least important segments until the rest fit in width
// (joined with " · "), then cuts what is left.
func fitSegs(segs []frameSeg, width int) []frameSeg {
	if width < 1 || len(segs) == 0 {
		return nil
	}
	out := make([]frameSeg, 0, len(segs))
	for _, s := range segs {
		s.text = render.Sanitize(s.text)
		if s.text != "" {
			out = append(out, s)
		}
	}
	total := func() int {
		n := 0
		for i, s := range out {
			if i > 0 {
				n += 3
			}
			n += ansi.StringWidth(s.text)
		}
		return n
	}
	for total() > width {
		low, at := keepAlways, -1
		for i, s := range out {
			if s.keep < low {
				low, at = s.keep, i
			}
		}
		if at < 0 {
			break
		}
		// A long note (a server's error body) is cut rather than lost, as
		// long as a useful part of it stays.
		if out[at].keep == keepNote {
			sw := ansi.StringWidth(out[at].text)
			if room := sw - (total() - width); room >= minNoteCut && room < sw {
				out[at].text = ansi.Truncate(out[at].text, room, "…")
				continue
			}
		}
		if tw := ansi.StringWidth(out[0].text); low >= keepNote && out[0].keep == keepAlways && tw > minTitleCells {
			// What the pane is doing (paused, filtered) matters more than
			// the end of its title.
			out[0].text = ansi.Truncate(out[0].text, max(minTitleCells, tw-(total()-width)), "…")
			continue
		}
		out = append(out[:at], out[at+1:]...)
	}
	if t := total(); t > width && len(out) > 0 {
		// Only unremovable segments are left: shorten the first one.
		rest := t - ansi.StringWidth(out[0].text)
		if room := width - rest; room >= 1 {
			out[0].text = ansi.Truncate(out[0].text, room, "…")
		} else {
			out = out[:1]
			out[0].text = ansi.Truncate(out[0].text, width, "…")
		}
	}
	return out
}

// joinFrameSegs renders segments separated by a muted " · ".
func joinFrameSegs(segs []frameSeg, st *Styles, dimmed bool) string {
	sep := st.Muted
	if dimmed {
		sep = sep.Faint(true)
	}
	var b strings.Builder
	for i, s := range segs {
		if i > 0 {
			b.WriteString(sep.Render(" · "))
		}
		b.WriteString(s.style.Render(s.text))
	}
	return b.String()
}

// edgeLine draws the top or bottom border of width w with text on it: after
// the left corner on top, before the right corner at the bottom.
func edgeLine(bs lipgloss.Style, leftCorner, fill, rightCorner, text string, w int, alignRight bool) string {
	tw := ansi.StringWidth(text)
	if text == "" || tw > w-6 {
		return bs.Render(leftCorner + strings.Repeat(fill, max(0, w-2)) + rightCorner)
	}
	rest := w - 5 - tw
	if alignRight {
		return bs.Render(leftCorner+strings.Repeat(fill, rest)) + " " + text + " " + bs.Render(fill+rightCorner)
	}
	return bs.Render(leftCorner+fill) + " " + text + " " + bs.Render(strings.Repeat(fill, rest)+rightCorner)
}

// fitCells cuts s (which may hold styling) to at most w cells with "…" and
// pads it with spaces to exactly w cells.
func fitCells(s string, w int) string { return alignCells(s, w, config.AlignLeft) }

// alignCells fits s (which may hold styling) into exactly w cells, aligned,
// cutting it with "…" when it is wider.
func alignCells(s string, w int, align config.Align) string {
	if w <= 0 {
		return ""
	}
	sw := cellWidth(s)
	if sw > w {
		s = ansi.Truncate(s, w, "…")
		sw = ansi.StringWidth(s)
	}
	gap := max(0, w-sw)
	switch align {
	case config.AlignRight:
		return strings.Repeat(" ", gap) + s
	case config.AlignCenter:
		return strings.Repeat(" ", gap/2) + s + strings.Repeat(" ", gap-gap/2)
	}
	return s + strings.Repeat(" ", gap)
}

// waitingLine is the body of a pane that has nothing to show yet.
func waitingLine(st *Styles) string {
	return st.Muted.Render("waiting for events…")
}

// focusRedraw is what a pane's last full Render drew, so that a focus
// change (viewState.FocusOnly) draws the frame again around the same body
// instead of rendering every row: only the border, the title and the
// selected row show the focus.
// The body is kept fitted to the border (fitBodyLine): measuring every
// line again was most of what remained of a focus change's cost.
type focusRedraw struct {
	ok     bool
	w, h   int
	dimmed bool
	head   frameHead
	fitted []string
	sel    int    // the body line the focus highlights; -1: none
	plain  string // that line without the highlight
}

// drawKeep is drawFrame, recording head and body for draw. sel is the body
// line the focus highlights (-1: none) and plain that line unhighlighted.
func (f *focusRedraw) drawKeep(st *Styles, vs viewState, head frameHead, body []string, sel int, plain string) string {
	if vs.Width < 2 || vs.Height < 2 {
		f.ok = false
		return drawFrame(st, vs, head, body)
	}
	fitted := fitBody(vs, body)
	*f = focusRedraw{ok: true, w: vs.Width, h: vs.Height, dimmed: vs.Dimmed, head: head, fitted: fitted, sel: sel, plain: plain}
	return framed(st, vs, head, fitted)
}

// draw is the pane drawn with vs's focus from what drawKeep recorded; ok
// is false unless vs is FocusOnly and otherwise the same, and then the
// pane renders in full. Anything but FocusOnly forgets the record.
func (f *focusRedraw) draw(st *Styles, vs viewState) (string, bool) {
	if !vs.FocusOnly || !f.ok || f.w != vs.Width || f.h != vs.Height || f.dimmed != vs.Dimmed {
		f.ok = false
		return "", false
	}
	fitted := f.fitted
	if f.sel >= 0 && f.sel < len(fitted) {
		cw, _ := paneContentSize(vs)
		fitted = slices.Clone(fitted)
		fitted[f.sel] = fitBodyLine(vs, selectedLine(st, f.plain, cw, vs.Focused), cw)
	}
	return framed(st, vs, f.head, fitted), true
}

// selectedLine is a list's selected line: highlighted while the pane has
// the focus.
func selectedLine(st *Styles, line string, cw int, focused bool) string {
	if !focused {
		return line
	}
	return st.Selected.Render(fitCells(ansi.Strip(line), cw))
}
