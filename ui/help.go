package ui

import (
	"fmt"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/livefeed/livefeed/config"
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
	case !m.zoomed && len(m.layout.Hidden) > 0 && m.detail == nil && !m.showHelp && !m.conns.open:
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
		bindings = []key.Binding{m.keys.Help, m.keys.Back, m.keys.Quit}
	case m.conns.open:
		bindings = []key.Binding{m.keys.Up, m.keys.Down, m.keys.Inspect, m.keys.Reconnect, m.keys.Connections, m.keys.Help, m.keys.Quit}
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

// renderFullHelp is the help screen: every binding as configured (remapped
// and unbound keys included) in columns, centred in a frame.
func (m *Model) renderFullHelp(w, h int) []string {
	if w <= 0 || h <= 0 {
		return nil
	}
	st := m.styles
	hm := m.help
	hm.ShowAll = true
	hm.SetWidth(max(w-6, 10))
	title := st.TitleFocused.Render("Keys")
	body := hm.FullHelpView(m.keys.FullHelp())
	foot := st.Muted.Render(fmt.Sprintf("%s always quits · mouse: wheel scrolls, click focuses", config.ReservedQuitKey))
	if k := m.keys.Help.Help().Key; k != "" && m.keys.Help.Enabled() {
		foot = st.Muted.Render(k+" or ") + st.Muted.Render(m.keys.Back.Help().Key+" closes this · ") + foot
	}
	content := lipgloss.JoinVertical(lipgloss.Left, title, "", body, "", foot)
	box := st.PaneFocused.Padding(0, 2).Render(content)
	if lipgloss.Width(box) > w || lipgloss.Height(box) > h {
		// Too small for the frame: plain text, cut to fit.
		return fitLines(content, w, h)
	}
	return fitLines(lipgloss.Place(w, h, lipgloss.Center, lipgloss.Center, box), w, h)
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
