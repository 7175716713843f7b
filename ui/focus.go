package ui

import (
	"github.com/livefeed/livefeed/config"
)

// relayout recomputes the screen areas after a resize or a config change.
func (m *Model) relayout() {
	m.byID = make(map[string]int, len(m.slots))
	for i, s := range m.slots {
		m.byID[s.id] = i
	}
	prev := m.focusedSlot()
	pages := m.cfg.Layout.PageList()
	m.page = clampIndex(m.page, len(pages))
	rows := pages[m.page].Rows
	onPage := map[string]bool{}
	for _, r := range rows {
		for _, c := range r.Cells {
			onPage[c.Pane] = true
		}
	}
	focused := m.pageFocus[m.page]
	if prev != nil && (onPage[prev.id] || len(pages) == 1) {
		focused = prev.id
	}

	w, h := m.width, m.height
	bannerH := 0
	if m.banner != "" {
		bannerH = 1
	}
	m.barH = connBarHeight(len(m.statOrder), w)
	body := h - 2 - bannerH - m.barH // header and status line
	if body < minBoxHeight && m.barH > 1 {
		body += m.barH - 1
		m.barH = 1
	}
	if body < 1 && m.barH > 0 {
		body += m.barH
		m.barH = 0
	}
	m.paneArea = rect{X: 0, Y: 1 + bannerH, W: max(w, 0), H: max(body, 0)}
	isTicker := func(id string) bool {
		i, ok := m.byID[id]
		return ok && m.slots[i].cfg.Type == config.Ticker
	}
	m.layout = computeLayoutFit(config.Layout{Rows: rows}, isTicker, m.wantOf, m.paneArea)

	m.order = m.order[:0]
	seen := map[string]bool{}
	for _, r := range rows {
		for _, c := range r.Cells {
			if i, ok := m.byID[c.Pane]; ok && !seen[c.Pane] {
				seen[c.Pane] = true
				m.order = append(m.order, m.slots[i])
			}
		}
	}
	for _, s := range m.slots { // panes the layout left out (never, for a valid config)
		if !seen[s.id] && len(pages) == 1 {
			m.order = append(m.order, s)
		}
	}
	m.focus = 0
	for i, s := range m.order {
		if s.id == focused {
			m.focus = i
		}
	}
	if !m.zoomed && m.hidden(m.focusedSlot()) {
		m.cycleFocus(1)
	}
	m.notifyFocus(prev)
	for _, s := range m.slots {
		s.dirty = true
	}
}

// showPage switches to page i (0-based), keeping each page's focus; the
// feeds and panes of other pages keep running, they are only not drawn.
func (m *Model) showPage(i int) {
	n := len(m.cfg.Layout.PageList())
	if i < 0 || i >= n || i == m.page {
		return
	}
	if m.pageFocus == nil {
		m.pageFocus = map[int]string{}
	}
	prev := m.focusedSlot()
	if prev != nil {
		m.pageFocus[m.page] = prev.id
	}
	m.page, m.zoomed = i, false
	m.relayout()
	m.invalidateAll()
}

// notifyFocus tells the panes that lost and gained the focus (a list counts
// unread items only while it is not focused). It does not mark them dirty:
// their view keys change with the focus, which redraws them, and a pane
// that nothing else changed may then draw only what the focus changes
// (viewState.FocusOnly).
func (m *Model) notifyFocus(prev *paneSlot) {
	cur := m.focusedSlot()
	if cur == prev {
		return
	}
	if prev != nil {
		prev.p.Update(focusMsg{focused: false})
	}
	if cur != nil {
		cur.p.Update(focusMsg{focused: true})
	}
}

func (m *Model) focusedSlot() *paneSlot {
	if m.focus < 0 || m.focus >= len(m.order) {
		return nil
	}
	return m.order[m.focus]
}

// hidden reports whether a pane has no box in the current layout.
func (m *Model) hidden(s *paneSlot) bool {
	if s == nil {
		return false
	}
	for _, id := range m.layout.Hidden {
		if id == s.id {
			return true
		}
	}
	return false
}

// cycleFocus moves the focus by dir (±1), skipping panes that are not on
// screen unless a pane is zoomed (then every pane can be zoomed in turn).
func (m *Model) cycleFocus(dir int) {
	n := len(m.order)
	if n == 0 {
		return
	}
	prev := m.focusedSlot()
	for step := 1; step <= n; step++ {
		i := ((m.focus+dir*step)%n + n) % n
		if m.zoomed || !m.hidden(m.order[i]) {
			m.focus = i
			m.notifyFocus(prev)
			return
		}
	}
}

// boxes are the panes on screen now, with their boxes.
func (m *Model) boxes() []cellBox {
	if m.zoomed {
		if s := m.focusedSlot(); s != nil {
			return []cellBox{{Pane: s.id, rect: m.paneArea}}
		}
	}
	return m.layout.boxes()
}

func (m *Model) slotAt(x, y int) *paneSlot {
	if m.detail != nil || m.showHelp {
		return nil
	}
	for _, b := range m.boxes() {
		if b.contains(x, y) {
			if i, ok := m.byID[b.Pane]; ok {
				return m.slots[i]
			}
		}
	}
	return nil
}
