package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// onKey handles a key press. ctrl+c always quits; the inspector and the
// help screen take keys while open; a pane that is capturing text (a filter
// being typed) gets every key; otherwise the model's bindings come first and
// the rest go to the focused pane.
func (m *Model) onKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	k := m.keys
	if key.Matches(msg, k.ForceQuit) {
		return m, tea.Quit
	}
	if !m.typing() {
		if cmd, ok := m.onReplayKey(msg); ok {
			return m, cmd
		}
	}
	if m.detail != nil {
		switch {
		case key.Matches(msg, k.Back):
			m.detail = nil
			m.invalidateAll()
			return m, nil
		case key.Matches(msg, k.Quit):
			return m, tea.Quit
		case m.detail.feedTitle == "" && key.Matches(msg, k.Copy):
			return m, m.copyData(m.detail.Item())
		case m.detail.feedTitle == "" && key.Matches(msg, k.CopyCurl):
			return m, m.copyCurl(m.detail.Item())
		}
		d, cmd := m.detail.Update(msg)
		m.detail = &d
		return m, cmd
	}
	if m.showHelp {
		return m, m.onHelpKey(msg)
	}
	if m.conns.open {
		return m, m.onConnsKey(msg)
	}
	s := m.focusedSlot()
	if s != nil && s.p.Capturing() {
		return m, m.sendToFocused(msg)
	}
	switch {
	case key.Matches(msg, k.Quit):
		return m, tea.Quit
	case key.Matches(msg, k.Help):
		m.showHelp = true
	case key.Matches(msg, k.Connections):
		m.conns.open = true
		m.conns.sel = min(m.conns.sel, max(len(m.statOrder)-1, 0))
	case m.banner != "" && key.Matches(msg, k.Back):
		m.dismissed = m.banner
		m.setBanner("")
	case key.Matches(msg, k.NextPane):
		m.cycleFocus(1) // redraws the two panes concerned (notifyFocus)
	case key.Matches(msg, k.PrevPane):
		m.cycleFocus(-1)
	case key.Matches(msg, k.NextPage):
		n := len(m.cfg.Layout.PageList())
		m.showPage((m.page + 1) % n)
	case key.Matches(msg, k.PrevPage):
		n := len(m.cfg.Layout.PageList())
		m.showPage((m.page + n - 1) % n)
	case m.pageKey(msg) >= 0:
		m.showPage(m.pageKey(msg))
	case s == nil:
	case key.Matches(msg, k.Zoom):
		m.zoomed = !m.zoomed
		if !m.zoomed && m.hidden(s) {
			m.cycleFocus(1)
		}
		m.invalidateAll()
	case m.zoomed && key.Matches(msg, k.Back):
		m.zoomed = false
		m.invalidateAll()
	case key.Matches(msg, k.Pause):
		m.togglePause(s)
	case key.Matches(msg, k.Clear):
		m.droppedGone += s.p.Dropped()
		s.p.Clear()
		s.pausedNew, s.frozen = 0, nil
		s.dirty, s.undrawn = true, false
		m.flash("cleared " + paneTitleText(s.cfg))
	case key.Matches(msg, k.Reconnect):
		return m, m.reconnect(s.feeds)
	case key.Matches(msg, k.ReconnectAll):
		return m, m.reconnect(nil)
	case key.Matches(msg, k.Export):
		return m, m.exportPane(s)
	case key.Matches(msg, k.Copy), key.Matches(msg, k.CopyCurl):
		if _, whole := s.p.(*textPane); whole && key.Matches(msg, k.Copy) {
			// A text pane copies its transcript, the thing it shows.
			return m, m.sendToFocused(msg)
		}
		it, ok := s.p.Selected()
		if !ok {
			m.flash("nothing selected in " + paneTitleText(s.cfg))
			return m, nil
		}
		if key.Matches(msg, k.Copy) {
			return m, m.copyData(it)
		}
		return m, m.copyCurl(it)
	case key.Matches(msg, k.Inspect):
		if it, ok := s.p.Selected(); ok {
			d := newDetail(it, m.styles, m.keys, m.width, m.detailHeight())
			m.detail = &d
			return m, nil
		}
		if note, _ := m.feedsNote(s.feeds); note != "" {
			// Nothing to select, and feeds that are not OPEN: what is
			// there to see is why.
			m.openFeedDetail(s)
			return m, nil
		}
		return m, m.sendToFocused(msg)
	case key.Matches(msg, k.InspectFeed):
		m.openFeedDetail(s)
	default:
		return m, m.sendToFocused(msg)
	}
	return m, nil
}

// onConnsKey handles a key in the connections view: move the selection,
// open the selected feed's details, reconnect it, or leave.
func (m *Model) onConnsKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	n := len(m.statOrder)
	m.conns.sel = min(m.conns.sel, max(n-1, 0)) // a reload may have removed feeds
	switch {
	case key.Matches(msg, k.Quit):
		return tea.Quit
	case key.Matches(msg, k.Help):
		m.showHelp = true
	case key.Matches(msg, k.Connections, k.Back):
		m.conns.open = false
		m.invalidateAll()
	case n == 0:
	case key.Matches(msg, k.Up):
		m.conns.sel = max(m.conns.sel-1, 0)
	case key.Matches(msg, k.Down):
		m.conns.sel = min(m.conns.sel+1, n-1)
	case key.Matches(msg, k.PageUp):
		m.conns.sel = max(m.conns.sel-connsPage, 0)
	case key.Matches(msg, k.PageDown):
		m.conns.sel = min(m.conns.sel+connsPage, n-1)
	case key.Matches(msg, k.Top):
		m.conns.sel = 0
	case key.Matches(msg, k.Bottom):
		m.conns.sel = n - 1
	case key.Matches(msg, k.Inspect):
		m.openConnDetail(m.statOrder[min(m.conns.sel, n-1)])
	case key.Matches(msg, k.Reconnect):
		return m.reconnect([]string{m.statOrder[min(m.conns.sel, n-1)].name})
	case key.Matches(msg, k.ReconnectAll):
		return m.reconnect(nil)
	}
	return nil
}

// connsPage is how many feeds a page key moves the selection by.
const connsPage = 5

// typing says whether keys are text (the help's filter, or a pane's being
// edited) rather than shortcuts.
func (m *Model) typing() bool {
	if m.showHelp {
		return true
	}
	s := m.focusedSlot()
	return m.detail == nil && s != nil && s.p.Capturing()
}

// openFeedDetail opens the inspector on the feeds of a pane.
func (m *Model) openFeedDetail(s *paneSlot) {
	names := s.feeds
	if len(names) == 0 {
		return
	}
	if len(names) == 1 {
		m.openFeedDetailOf(names[0])
		return
	}
	title := fmt.Sprintf("%d feeds of %s", len(names), paneTitleText(s.cfg))
	d := newFeedDetail(title, feedInspectorLines(names, m.cfg, m.stats, m.now), m.styles, m.keys, m.width, m.detailHeight())
	m.detail = &d
}

// openFeedDetailOf opens the inspector on one feed.
func (m *Model) openFeedDetailOf(name string) {
	d := newFeedDetail("feed "+oneLine(name, maxCellBytes), feedInspectorLines([]string{name}, m.cfg, m.stats, m.now), m.styles, m.keys, m.width, m.detailHeight())
	m.detail = &d
}

func (m *Model) sendToFocused(msg tea.Msg) tea.Cmd {
	s := m.focusedSlot()
	if s == nil {
		return nil
	}
	var cmd tea.Cmd
	cmd = s.p.Update(msg)
	s.dirty = true
	s.undrawn = false // what the user does to a pane shows at once, with its data
	if s.paused {
		s.frozen = nil // scrolling or filtering a paused pane shows the result
	}
	return cmd
}

func (m *Model) togglePause(s *paneSlot) {
	s.paused = !s.paused
	s.pausedNew, s.frozen = 0, nil
	s.dirty, s.undrawn = true, false
	if s.paused {
		m.flash("paused " + paneTitleText(s.cfg) + " (data keeps arriving)")
	} else {
		m.flash("resumed " + paneTitleText(s.cfg))
	}
}

// reconnect asks the named feeds (all of them for nil) to reconnect now.
func (m *Model) reconnect(names []string) tea.Cmd {
	if names == nil {
		m.flash("reconnecting every feed")
	} else if len(names) == 0 {
		m.flash("this pane listens to no feed")
		return nil
	} else {
		m.flash("reconnecting " + strings.Join(names, ", "))
	}
	m.log.Info("reconnect requested", "feeds", names)
	fs := m.feeds
	if fs == nil {
		return nil
	}
	return func() tea.Msg {
		if names == nil {
			fs.ReconnectAll()
		} else {
			fs.Reconnect(names)
		}
		return nil
	}
}

func (m *Model) onClick(msg tea.MouseClickMsg) tea.Cmd {
	if msg.Button != tea.MouseLeft || (m.conns.open && m.detail == nil && !m.showHelp) {
		return nil
	}
	if msg.Y == 0 && m.detail == nil && !m.showHelp {
		if i := m.tabAt(msg.X); i >= 0 {
			m.showPage(i)
		}
		return nil
	}
	s := m.slotAt(msg.X, msg.Y)
	if s == nil {
		// A click on a chip inspects that feed.
		barTop := m.height - 1 - m.barH
		if i, ok := chipAt(len(m.statOrder), m.width, m.barH, msg.X, msg.Y-barTop); ok && m.detail == nil && !m.showHelp {
			m.openFeedDetailOf(m.statOrder[i].name)
		}
		return nil
	}
	for i, o := range m.order {
		if o == s && i != m.focus {
			prev := m.focusedSlot()
			m.focus = i
			m.notifyFocus(prev)
			m.invalidateAll()
		}
	}
	return nil
}

func (m *Model) onWheel(msg tea.MouseWheelMsg) tea.Cmd {
	if m.detail != nil {
		d, cmd := m.detail.Update(msg)
		m.detail = &d
		return cmd
	}
	if m.conns.open {
		if n := len(m.statOrder); n > 0 && !m.showHelp {
			switch msg.Button {
			case tea.MouseWheelUp:
				m.conns.sel = max(min(m.conns.sel, n-1)-1, 0)
			case tea.MouseWheelDown:
				m.conns.sel = min(m.conns.sel+1, n-1)
			}
		}
		return nil
	}
	s := m.slotAt(msg.X, msg.Y)
	if s == nil {
		return nil
	}
	var cmd tea.Cmd
	cmd = s.p.Update(msg)
	s.dirty, s.undrawn = true, false
	if s.paused {
		s.frozen = nil
	}
	return cmd
}

func (m *Model) invalidateAll() {
	for _, s := range m.slots {
		s.dirty = true
	}
}

// pageKey is the page (0-based) a key shows, or -1.
func (m *Model) pageKey(msg tea.KeyPressMsg) int {
	for i, b := range m.keys.Page {
		if key.Matches(msg, b) {
			return i
		}
	}
	return -1
}
