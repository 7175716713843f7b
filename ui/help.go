package ui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/livefeed/livefeed/config"
	"github.com/livefeed/livefeed/render"
)

// newHelp is the bubbles help with the theme's colours: keys in the accent
// colour, descriptions muted, so it reads on light and dark backgrounds.
func newHelp(st *Styles) help.Model {
	h := help.New()
	keyStyle := st.For(config.RoleAccent)
	desc := st.Muted
	h.Styles = help.Styles{
		Ellipsis:       desc,
		ShortKey:       keyStyle,
		ShortDesc:      desc,
		ShortSeparator: desc,
		FullKey:        keyStyle,
		FullDesc:       st.For(config.RoleText),
		FullSeparator:  desc,
	}
	return h
}

// renderStatus is the bottom line: a passing message or what is hidden,
// then the short help for the current screen.
func (m *Model) renderStatus() string {
	st := m.styles
	var left string
	switch {
	case m.message != "":
		left = st.Badge.Render(" " + m.message)
	case !m.zoomed && len(m.layout.Hidden) > 0 && m.detail == nil && !m.showHelp:
		hint := ""
		if k := m.keys.Zoom.Help().Key; k != "" && m.keys.Zoom.Enabled() {
			hint = fmt.Sprintf(" (tab + %s shows them)", k)
		}
		left = st.For(config.RoleWarning).Render(fmt.Sprintf(" %d hidden: too small%s", len(m.layout.Hidden), hint))
	}
	var bindings []key.Binding
	switch {
	case m.detail != nil:
		bindings = []key.Binding{m.keys.Up, m.keys.Down, m.keys.PageUp, m.keys.PageDown, m.keys.Back, m.keys.Quit}
	case m.showHelp:
		bindings = []key.Binding{m.keys.Help, m.keys.Back}
	default:
		bindings = m.keys.ShortHelp()
	}
	lw := lipgloss.Width(left)
	h := m.help
	avail := m.width - lw - 2
	if avail < 10 {
		return padTo(ansi.Truncate(left, m.width, "…"), m.width)
	}
	right := fitShortHelp(h, bindings, avail)
	if left == "" {
		return padTo(" "+right, m.width)
	}
	return padTo(left+"  "+right, m.width)
}

// helpLine is one line of the help overlay: a key and what it does, or a
// section heading (key empty).
type helpLine struct {
	key, desc string
	heading   bool
}

// helpLines lists the help: every binding as configured (remapped keys
// shown as remapped, unbound ones left out) by section, then the filter
// syntax every pane's / understands.
func (m *Model) helpLines() []helpLine {
	k := m.keys
	sections := []struct {
		title    string
		bindings []key.Binding
	}{
		{"Panes", []key.Binding{k.NextPane, k.PrevPane, k.Zoom, k.Help, k.Quit}},
		{"Move", []key.Binding{k.Up, k.Down, k.Left, k.Right, k.PageUp, k.PageDown, k.Top, k.Bottom}},
		{"Look", []key.Binding{k.Inspect, k.Back, k.Filter, k.Wrap, k.Sort, k.SortReverse}},
		{"Feeds", []key.Binding{k.Pause, k.Clear, k.Reconnect, k.ReconnectAll}},
	}
	var out []helpLine
	for _, sec := range sections {
		out = append(out, helpLine{desc: sec.title, heading: true})
		for _, b := range sec.bindings {
			if b.Enabled() {
				out = append(out, helpLine{key: b.Help().Key, desc: b.Help().Desc})
			}
		}
	}
	out = append(out,
		helpLine{desc: "Filter (/ in any pane)", heading: true},
		helpLine{key: "word", desc: "has word (all terms must match)"},
		helpLine{key: "-word", desc: "excludes; -feed:x, -col:v too"},
		helpLine{key: "feed:NAME", desc: "from that feed; globs: feed:st*"},
		helpLine{key: "type:NAME", desc: "event type (also event:, id:)"},
		helpLine{key: "col:VALUE", desc: "tables: that column's cell has it"},
		helpLine{key: `"two words"`, desc: "quotes keep spaces"},
		helpLine{desc: "Mouse", heading: true},
		helpLine{key: "wheel", desc: "scrolls the pane under the pointer"},
		helpLine{key: "click", desc: "focuses a pane"},
	)
	return out
}

// fitLinesSlice cuts or pads lines to exactly h lines of w cells.
func fitLinesSlice(lines []string, w, h int) []string {
	return fitLines(strings.Join(lines, "\n"), w, h)
}

// filterHelp keeps the lines whose key or text contains the filter (any
// case), with the heading of each section that keeps a line.
func filterHelp(lines []helpLine, filter string) []helpLine {
	f := strings.ToLower(strings.TrimSpace(filter))
	if f == "" {
		return lines
	}
	var out []helpLine
	var heading *helpLine
	for i := range lines {
		l := lines[i]
		if l.heading {
			heading = &lines[i]
			continue
		}
		if strings.Contains(strings.ToLower(l.key+" "+l.desc), f) {
			if heading != nil {
				out = append(out, *heading)
				heading = nil
			}
			out = append(out, l)
		}
	}
	return out
}

// helpState is the help overlay's scroll position and filter.
type helpState struct {
	filter string
	top    int
	page   int // lines shown by the last render, for page up / down
}

// onHelpKey handles a key while the help is open: the help key or esc
// close it (esc clears a filter first), arrows and page keys scroll, and
// typed text filters.
func (m *Model) onHelpKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	h := &m.helpView
	named := msg.Text == "" // arrows, page keys: never typed text
	switch {
	case key.Matches(msg, k.Help) && !(msg.Text != "" && h.filter != "" && msg.Text != k.Help.Keys()[0]):
		m.closeHelp()
	case msg.Code == tea.KeyEscape || (key.Matches(msg, k.Back) && named):
		if h.filter != "" {
			h.filter, h.top = "", 0
		} else {
			m.closeHelp()
		}
	case msg.Code == tea.KeyBackspace:
		if r := []rune(h.filter); len(r) > 0 {
			h.filter, h.top = string(r[:len(r)-1]), 0
		}
	case named && key.Matches(msg, k.Up):
		h.top--
	case named && key.Matches(msg, k.Down):
		h.top++
	case named && key.Matches(msg, k.PageUp):
		h.top -= max(h.page, 1)
	case named && key.Matches(msg, k.PageDown):
		h.top += max(h.page, 1)
	case named && key.Matches(msg, k.Top):
		h.top = 0
	case named && key.Matches(msg, k.Bottom):
		h.top = 1 << 30
	case msg.Text != "" && msg.Mod&^tea.ModShift == 0:
		h.filter, h.top = h.filter+render.Sanitize(msg.Text), 0
	}
	return nil
}

func (m *Model) closeHelp() {
	m.showHelp = false
	m.helpView = helpState{}
	m.invalidateAll()
}

// renderHelpOverlay draws the help box over the dashboard, which keeps
// moving behind it, dimmed.
func (m *Model) renderHelpOverlay(under []string, w, h int) []string {
	faint := lipgloss.NewStyle().Faint(true)
	out := make([]string, len(under))
	for i, l := range under {
		out[i] = faint.Render(ansi.Strip(l))
	}
	box := m.renderHelpBox(w, h)
	bw := 0
	if len(box) > 0 {
		bw = ansi.StringWidth(box[0])
	}
	x, y := max((w-bw)/2, 0), max((h-len(box))/2, 0)
	for i, l := range box {
		if y+i >= len(out) {
			break
		}
		bg := out[y+i]
		out[y+i] = ansi.Cut(bg, 0, x) + l + ansi.Cut(bg, x+bw, w)
	}
	return out
}

// renderHelpBox is the help itself: a framed, scrollable list of keys with
// the filter line at the bottom, at most 76 × h cells.
func (m *Model) renderHelpBox(w, h int) []string {
	st := m.styles
	bh := h
	if bh > 12 {
		bh -= 2 // a line of the dashboard above and below
	}
	if w < 20 || bh < 5 {
		return nil
	}
	lines := filterHelp(m.helpLines(), m.helpView.filter)
	keyW := 0
	for _, l := range lines {
		if !l.heading {
			keyW = max(keyW, ansi.StringWidth(l.key))
		}
	}
	keyW = min(keyW, 14)
	keyStyle, descStyle := st.For(config.RoleAccent), st.For(config.RoleText)
	format := func(ls []helpLine, colW int) []string {
		out := make([]string, 0, len(ls))
		for _, l := range ls {
			if l.heading {
				out = append(out, fitCells(st.Title.Render(l.desc), colW))
				continue
			}
			out = append(out, fitCells("  "+keyStyle.Render(alignCells(l.key, keyW, config.AlignLeft))+"  "+descStyle.Render(l.desc), colW))
		}
		return out
	}
	// Two columns when the screen is wide and one would not fit: the
	// whole help in view at 120×36, as in lazygit.
	const colW, gap = 54, 3
	bw := min(w, 76)
	rendered := format(lines, bw-6)
	if len(lines)+4 > bh && w >= 2*colW+gap+6 {
		// Split at the section heading nearest the middle.
		split, best := len(lines), 2*len(lines)+1
		for k, l := range lines {
			d := 2*k - len(lines)
			if d < 0 {
				d = -d
			}
			if k > 0 && l.heading && d < best {
				split, best = k, d
			}
		}
		left, right := format(lines[:split], colW), format(lines[split:], colW)
		rendered = make([]string, max(len(left), len(right)))
		for r := range rendered {
			l, rt := strings.Repeat(" ", colW), ""
			if r < len(left) {
				l = left[r]
			}
			if r < len(right) {
				rt = right[r]
			}
			rendered[r] = l + strings.Repeat(" ", gap) + rt
		}
		bw = 2*colW + gap + 6
	}
	rows := bh - 2 - 2 // frame, the filter line and a blank above it
	if len(rendered)+4 < bh {
		rows = len(rendered)
		bh = rows + 4
	}
	rows = max(rows, 1)
	hv := &m.helpView
	hv.page = rows
	hv.top = max(0, min(hv.top, len(rendered)-rows))
	body := make([]string, 0, bh)
	for i := hv.top; i < len(rendered) && i < hv.top+rows; i++ {
		body = append(body, rendered[i])
	}
	if len(lines) == 0 {
		body = append(body, st.Muted.Render("nothing matches"))
	}
	for len(body) < rows {
		body = append(body, "")
	}
	body = append(body, "")
	quit := config.ReservedQuitKey + " always quits"
	if hv.filter != "" {
		body = append(body, st.Badge.Render("/")+hv.filter+st.Muted.Render("  esc clears · "+quit))
	} else {
		body = append(body, st.Muted.Render("type to filter · ↑/↓ scroll · esc closes · "+quit))
	}
	head := frameHead{title: "Keys", count: countLabel(len(lines), "line", "lines")}
	if len(rendered) > rows {
		head.count = fmt.Sprintf("%d–%d of %d", hv.top+1, min(hv.top+rows, len(rendered)), len(rendered))
	}
	return strings.Split(drawFrame(st, viewState{Width: bw, Height: bh, Focused: true}, head, body), "\n")
}

// fitShortHelp renders the short help in width cells, leaving out bindings
// from the middle rather than the end, so that help and quit (listed last)
// always show.
func fitShortHelp(h help.Model, bindings []key.Binding, width int) string {
	h.SetWidth(0)
	var shown []key.Binding
	for _, b := range bindings {
		if b.Enabled() {
			shown = append(shown, b)
		}
	}
	for len(shown) > 2 && lipgloss.Width(h.ShortHelpView(shown)) > width {
		shown = append(shown[:len(shown)-3], shown[len(shown)-2:]...)
	}
	h.SetWidth(width)
	return h.ShortHelpView(shown)
}
