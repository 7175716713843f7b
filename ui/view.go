package ui

import (
	"errors"
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/livefeed/livefeed/config"
	"github.com/livefeed/livefeed/feed"
	"github.com/livefeed/livefeed/render"
)

// framesPerLogRecord is how often LIVEFEED_FRAME_LOG=1 logs the frame count.
const framesPerLogRecord = 100

// draw renders the whole screen for View. Panes are re-rendered only when
// their data, size, focus, note or dimming changed, or time moved on (a
// tick).
func (m *Model) draw() {
	lines := m.render()
	cost := changedBytes(m.lastLines, lines)
	if m.dataFrame {
		m.pacer.Drew(m.now, cost)
		m.dataFrame = false
	}
	if cost == 0 && len(lines) == len(m.lastLines) {
		return
	}
	m.lastLines = lines
	m.lastContent = strings.Join(lines, "\n")
	m.frames++
	m.frameBytes += uint64(cost)
	if m.frameLog && m.frames%framesPerLogRecord == 0 {
		m.log.Info("frames", "frames", m.frames, "est_bytes", m.frameBytes)
	}
}

// changedBytes estimates what the terminal renderer writes to turn the
// screen prev into next: per changed line, the styled bytes from the first
// to the last byte that differ (bubbletea's renderer rewrites every cell
// between the first and the last changed cell of a line) and a cursor move.
// It is what data frames are paced by (live.Pacer.Drew), so it only needs
// to rank frames by cost, not to match the renderer byte for byte.
func changedBytes(prev, next []string) int {
	const move = 8 // a cursor position sequence
	n := 0
	for i, l := range next {
		if i >= len(prev) {
			n += move + len(l)
			continue
		}
		p := prev[i]
		if p == l {
			continue
		}
		a, b := 0, 0
		for a < len(p) && a < len(l) && p[a] == l[a] {
			a++
		}
		for b < len(p)-a && b < len(l)-a && p[len(p)-1-b] == l[len(l)-1-b] {
			b++
		}
		n += move + len(l) - a - b
	}
	return n
}

// View shows the screen the last Update drew.
func (m *Model) View() tea.View {
	v := tea.NewView(m.lastContent)
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = "livefeed"
	return v
}

// render composes header, panes (or the inspector, or the help), connection
// bar and status line into exactly width × height cells, one string a line.
func (m *Model) render() []string {
	if m.width <= 0 || m.height <= 0 {
		return nil
	}
	top := []string{m.header()}
	if m.banner != "" {
		top = append(top, m.renderBanner())
	}
	var bottom []string
	if m.detail == nil && (!m.conns.open || m.showHelp) {
		bottom = append(bottom, m.connBar()...)
	}
	bottom = append(bottom, m.status())
	bodyH := max(m.height-len(top)-len(bottom), 0)
	var body []string
	switch {
	case m.detail != nil:
		body = fitLines(m.detail.View(), m.width, bodyH)
	case m.showHelp:
		under := m.renderPanes()
		if m.conns.open {
			under = m.renderConns(m.width, bodyH)
		}
		body = m.renderHelpOverlay(fitLinesSlice(under, m.width, bodyH), m.width, bodyH)
	case m.conns.open:
		body = m.renderConns(m.width, bodyH)
	default:
		body = m.renderPanes()
		if m.firstFrame < 0 && len(m.boxes()) > 0 {
			m.firstFrame = m.clock().Sub(m.start)
		}
		if m.firstData < 0 && m.routed > 0 {
			m.firstData = m.clock().Sub(m.start)
		}
	}
	lines := append(append(top, body...), bottom...)
	if len(lines) > m.height { // a tiny terminal: keep the header and the status line
		if m.height == 1 {
			lines = lines[:1]
		} else {
			lines = append(lines[:m.height-1], lines[len(lines)-1])
		}
	}
	return lines
}

// barCache is the connection bar as last drawn and what it showed.
type barCache struct {
	lines []string
	at    time.Time
	w, h  int
	sig   []barSig
}

// barSig is what must redraw the bar at once when it changes: a feed's
// state (and which feeds there are); with barShown, everything its chip
// shows within a second (the rates count whole seconds).
type barSig struct {
	st    *feedStat
	state feed.State
	at    time.Time
	shown barShown
}

type barShown struct {
	events, dropped uint64
	lastID          string
	age, wait       time.Duration // the age in the unit shortDuration shows; a countdown
}

func barSigOf(st *feedStat, now time.Time) barSig {
	sh := barShown{events: st.events, dropped: st.dropped, lastID: st.lastID, age: -1, wait: -1}
	if !st.lastEventAt.IsZero() {
		sh.age = ageUnit(now.Sub(st.lastEventAt))
	}
	if d := st.status.ReconnectAt.Sub(now); !st.status.ReconnectAt.IsZero() && d > 0 {
		sh.wait = d // a countdown in tenths: redrawn every time
	}
	return barSig{st: st, state: st.state(), at: st.statusAt, shown: sh}
}

// ageUnit truncates an age to what shortDuration shows of it.
func ageUnit(d time.Duration) time.Duration {
	switch {
	case d < 0:
		return 0
	case d < time.Minute:
		return d.Truncate(time.Second)
	case d < time.Hour:
		return d.Truncate(time.Minute)
	case d < 48*time.Hour:
		return d.Truncate(time.Hour)
	}
	return d.Truncate(24 * time.Hour)
}

// connBar is the connection bar. While the feeds are busy enough that data
// frames are paced (live.Pacer.RedrawOnTick), it is redrawn only when a
// feed's state changes, the second changes (ages and countdowns count
// seconds) or a data interval has passed: its rates, ids and ages change
// with every batch, and redrawing them at every tick under a firehose was
// 2 kB/s of the terminal's output for figures nobody can read that fast.
//
// Quiet, it is redrawn when anything it shows changes (barShown): keys and
// ticks of an idle dashboard re-rendered it for every frame to the same
// line, 7% of the CPU of an idle dashboard.
func (m *Model) connBar() []string {
	c := &m.bar
	same := c.lines != nil && c.w == m.width && c.h == m.barH && len(c.sig) == len(m.statOrder) &&
		c.at.Unix() == m.now.Unix()
	coarse := !m.pacer.RedrawOnTick(m.now, c.at, tickInterval)
	for i := 0; same && i < len(c.sig); i++ {
		sig := barSigOf(m.statOrder[i], m.now)
		if coarse {
			sig.shown = c.sig[i].shown
		}
		same = c.sig[i] == sig
	}
	if same {
		return c.lines
	}
	c.lines = renderConnBar(m.statOrder, m.styles, m.now, m.width, m.barH)
	c.at, c.w, c.h = m.now, m.width, m.barH
	c.sig = c.sig[:0]
	for _, st := range m.statOrder {
		c.sig = append(c.sig, barSigOf(st, m.now))
	}
	return c.lines
}

// renderPanes draws the pane area, row by row.
func (m *Model) renderPanes() []string {
	area := m.paneArea
	out := make([]string, 0, area.H)
	focused := m.focusedSlot()
	if m.zoomed && focused != nil {
		return m.paneLines(focused, area.W, area.H, true)
	}
	for _, row := range m.layout.Rows {
		rowLines := make([]strings.Builder, row.H)
		for _, c := range row.Cells {
			i, ok := m.byID[c.Pane]
			if !ok {
				continue
			}
			s := m.slots[i]
			var cell []string
			if row.Collapsed {
				cell = []string{m.titleStrip(s, c.W, s == focused)}
			} else {
				cell = m.paneLines(s, c.W, c.H, s == focused)
			}
			for l := range rowLines {
				rowLines[l].WriteString(cell[l])
			}
		}
		// Cells are exactly their width and fill the row, so rows need no
		// padding (measuring a styled line is not free at 60 frames/s).
		for l := range rowLines {
			out = append(out, rowLines[l].String())
		}
	}
	for len(out) < area.H {
		out = append(out, strings.Repeat(" ", area.W))
	}
	return out[:area.H]
}

// paneLines returns a pane's view as exactly h lines of w cells, from the
// cache when nothing it depends on changed. A paused pane keeps showing the
// content it had when paused while its frame (title, note with the "N new"
// count, focus colour) stays live; so does, until the next data frame, a
// pane whose new data is not due to be drawn yet.
func (m *Model) paneLines(s *paneSlot, w, h int, focused bool) []string {
	note, dimmed := m.paneNote(s)
	k := viewKey{w: w, h: h, focused: focused, dimmed: dimmed, note: note}
	if !s.dirty && k == s.key && s.lines != nil {
		return s.lines
	}
	m.keepSides(s, k)
	vs := viewState{Width: w, Height: h, Focused: focused, Dimmed: dimmed, Note: note, Now: m.now, FocusOnly: m.focusOnly(s, k)}
	// Only the frame of a render is used around a body kept from before
	// (refreshFrame), except in panes too small for a frame.
	frameOnly := w >= 3 && h >= 3
	if s.paused {
		if s.frozen == nil || s.frozenKey.w != w || s.frozenKey.h != h {
			s.frozen = fitLines(s.p.Render(vs), w, h)
			s.frozenKey = k
			s.lines = s.frozen
		} else if k != s.key || s.lines == nil {
			vs.FrameOnly = frameOnly
			s.lines = refreshFrame(s.bodyCut.mids(s.frozen, w), fitLines(s.p.Render(vs), w, h), w)
		}
		s.lines = withSides(s.lines, s.sides, &s.sideCut, w)
		s.key, s.dirty, s.drawnAt = k, false, m.now
		return s.lines
	}
	if s.undrawn && s.bodyW == w && len(s.body) == h {
		// Between data frames (see drawDataIfDue): the new frame (focus,
		// title, counts) around the body the last data frame drew.
		vs.FrameOnly = frameOnly
		s.lines = refreshFrame(s.bodyCut.mids(s.body, w), fitLines(s.p.Render(vs), w, h), w)
	} else {
		live := fitLines(s.p.Render(vs), w, h)
		s.lines, s.body, s.bodyW, s.undrawn = live, live, w, false
	}
	s.lines = withSides(s.lines, s.sides, &s.sideCut, w)
	s.key, s.dirty, s.drawnAt = k, false, m.now
	return s.lines
}

// focusOnly says whether only the focus changed what s draws since its
// last Render (viewState.FocusOnly). A Tab re-rendered the whole table
// and the ticker for their borders, titles and selected row: Update took
// 0.55 ms a focus key on the markets dashboard, 0.2 ms drawing them from
// their last render (BenchmarkModelFocus).
func (m *Model) focusOnly(s *paneSlot, k viewKey) bool {
	if s.lines == nil || s.dirty || s.undrawn || s.paused || k.focused == s.key.focused ||
		k.w != s.key.w || k.h != s.key.h || k.dimmed != s.key.dimmed || k.note != s.key.note {
		return false
	}
	tp, ok := s.p.(timedPane)
	return ok && !tp.TimeChanged(m.now)
}

// sideDelay is how long, under busy feeds, a pane's side borders keep their
// colour after a focus change (see keepSides).
const sideDelay = time.Second

// keepSides decides whether a pane keeps its side borders as they are. A
// focus change recolours the borders of two panes, and bubbletea's
// renderer (ultraviolet's TerminalRenderer.putRange) rewrites every cell
// from the first to the last changed cell of a line: its test for skipping
// unchanged cells (same > end-start) never holds. So recolouring the left
// and right borders of side-by-side panes rewrites whole lines: ~2.5 kB a
// focus change on the benchmark's dashboard, 10 kB/s of the 20 at four key
// presses a second. While the feeds are busy, the title line and the
// bottom border (with the corners) show the focus at once, and the sides
// follow sideDelay after the pane's last focus change, in one redraw.
// When the feeds are quiet, bytes do not matter: the sides change at once.
func (m *Model) keepSides(s *paneSlot, k viewKey) {
	sameBox := s.lines != nil && k.w == s.key.w && k.h == s.key.h && k.dimmed == s.key.dimmed
	switch {
	case !sameBox || !m.pacer.Busy(m.now):
		s.sides = nil
	case k.focused != s.key.focused:
		if s.sides == nil {
			s.sides = s.lines
		}
		s.sidesDue = m.now.Add(sideDelay)
	case s.sides != nil && !m.now.Before(s.sidesDue):
		s.sides = nil
	}
}

// withSides gives lines the side borders of sides (same size), or returns
// them as they are when sides is nil; cut holds the cuts of sides.
func withSides(lines, sides []string, cut *cutCache, w int) []string {
	if sides == nil || len(sides) != len(lines) || w < 3 {
		return lines
	}
	left, right := cut.edges(sides, w)
	out := make([]string, len(lines))
	for i := range out {
		if i == 0 || i == len(out)-1 {
			out[i] = lines[i]
			continue
		}
		out[i] = left[i] + ansi.Cut(lines[i], 1, w-1) + right[i]
	}
	return out
}

// refreshFrame puts the live frame around frozen content: the top and bottom
// lines and the one-cell side borders come from live, the inside from frozen
// (frozenMid: the cutCache.mids of its lines).
func refreshFrame(frozenMid, live []string, w int) []string {
	h := len(live)
	out := make([]string, h)
	for i := range out {
		if i == 0 || i == h-1 || w < 3 || i >= len(frozenMid) {
			out[i] = live[i]
			continue
		}
		out[i] = ansi.Cut(live[i], 0, 1) + frozenMid[i] + ansi.Cut(live[i], w-1, w)
	}
	return out
}

// cutCache holds the ansi.Cut pieces of a block of a pane's lines that does
// not change while it is shown: the body kept between data frames (or of a
// paused pane), the lines whose side borders the pane keeps. Under busy
// feeds every focus key put the frame around the same body and the same
// sides again, cutting each line grapheme by grapheme each time (ansi.Cut
// was 4% of the process at 1,000 events/s). The pieces are ansi.Cut's own,
// byte for byte, so the frames' cost estimates (changedBytes) stay as they
// were.
type cutCache struct {
	of          *string // the block's first line: blocks are never changed in place
	n, w        int
	mid         []string // ansi.Cut(line, 1, w-1)
	left, right []string // ansi.Cut(line, 0, 1) and ansi.Cut(line, w-1, w)
}

func (c *cutCache) use(lines []string, w int) {
	if len(lines) == 0 || c.of != &lines[0] || c.n != len(lines) || c.w != w {
		*c = cutCache{of: nil, n: len(lines), w: w}
		if len(lines) > 0 {
			c.of = &lines[0]
		}
	}
}

// mids are the insides of lines, w cells wide.
func (c *cutCache) mids(lines []string, w int) []string {
	c.use(lines, w)
	if c.mid == nil {
		c.mid = make([]string, len(lines))
		for i := 1; i < len(lines)-1 && w >= 3; i++ {
			c.mid[i] = ansi.Cut(lines[i], 1, w-1)
		}
	}
	return c.mid
}

// edges are the first and the last cells of lines, w cells wide.
func (c *cutCache) edges(lines []string, w int) (left, right []string) {
	c.use(lines, w)
	if c.left == nil {
		c.left, c.right = make([]string, len(lines)), make([]string, len(lines))
		for i := 1; i < len(lines)-1 && w >= 3; i++ {
			c.left[i], c.right[i] = ansi.Cut(lines[i], 0, 1), ansi.Cut(lines[i], w-1, w)
		}
	}
	return c.left, c.right
}

// titleStrip is a pane squeezed to one line: its title and note.
func (m *Model) titleStrip(s *paneSlot, w int, focused bool) string {
	note, _ := m.paneNote(s)
	style := m.styles.Title
	mark := "▸ "
	if focused {
		style, mark = m.styles.TitleFocused, "▶ "
	}
	text := style.Render(mark + paneTitleText(s.cfg))
	if note != "" {
		text += m.styles.Muted.Render(" · " + note)
	}
	return padTo(ansi.Truncate(text, w, "…"), w)
}

// paneNote is the text for a pane's title line and whether to draw it
// faint: paused panes count what arrived since; panes none of whose feeds is
// OPEN say so, with the age of their last event.
func (m *Model) paneNote(s *paneSlot) (note string, dimmed bool) {
	var parts []string
	if s.paused {
		if s.pausedNew > 0 {
			parts = append(parts, "paused · "+formatCount(uint64(s.pausedNew))+" new")
		} else {
			parts = append(parts, "paused")
		}
	}
	if len(s.feeds) > 0 {
		if note, none := m.feedsNote(s.feeds); note != "" {
			parts = append(parts, note)
			dimmed = none
		}
	}
	return strings.Join(parts, " · "), dimmed
}

// feedsNote sums up a pane's feeds for its title: "CONNECTING · no events
// yet" when none is OPEN, "1 of 4 CLOSED" when some are CLOSED, and for the first feed a server said no to, its status and what it
// said ("HTTP 401 · {"error":"token expired"}"). none reports that no feed
// is OPEN.
func (m *Model) feedsNote(feeds []string) (note string, none bool) {
	var open, connecting, closed, known int
	var last time.Time
	var why string
	for _, name := range feeds {
		st := m.stats[name]
		if st == nil {
			continue
		}
		known++
		switch st.state() {
		case feed.Open:
			open++
		case feed.Connecting:
			connecting++
		case feed.Closed:
			closed++
		}
		if st.lastEventAt.After(last) {
			last = st.lastEventAt
		}
		if why == "" && st.state() != feed.Open {
			why = statusNote(st.status)
		}
	}
	// Some feeds OPEN and others reconnecting is routine and the bar shows
	// it; a CLOSED one stays closed until someone acts, so the pane says so.
	if known == 0 || open == known || (open > 0 && closed == 0) {
		return "", false
	}
	var parts []string
	switch {
	case closed == known:
		parts = append(parts, "CLOSED")
	case connecting == known:
		parts = append(parts, "CONNECTING")
	case open == 0:
		parts = append(parts, fmt.Sprintf("CONNECTING · %d of %d CLOSED", closed, known))
	default:
		parts = append(parts, fmt.Sprintf("%d of %d CLOSED", closed, known))
	}
	if why != "" {
		parts = append(parts, why)
	}
	if open == 0 {
		age := "no events yet"
		if !last.IsZero() {
			age = "last event " + shortDuration(m.now.Sub(last)) + " ago"
		}
		parts = append(parts, age)
	}
	return strings.Join(parts, " · "), open == 0
}

// statusNote is why a feed is not OPEN when a server said so: its HTTP
// status and body, or that it finished; "" for network trouble, which the
// connection bar details.
func statusNote(s feed.Status) string {
	if errors.Is(s.Err, feed.ErrFinished) {
		return "finished"
	}
	code := statusCode(s)
	if code == 0 {
		return ""
	}
	note := fmt.Sprintf("HTTP %d", code)
	if b := errorBody(s); b != "" {
		note += " · " + ansi.Truncate(b, maxNoteBody, "…")
	}
	return note
}

// maxNoteBody bounds the error body in a pane's title; the frame cuts it
// further to fit, and the feed inspector shows it whole.
const maxNoteBody = 200

// fitLines cuts or pads a rendered block to exactly h lines of w cells, so
// that a pane can never push the rest of the screen out of place.
func fitLines(s string, w, h int) []string {
	if h <= 0 {
		return nil
	}
	lines := strings.SplitN(s, "\n", h+1)
	if len(lines) > h {
		lines = lines[:h]
	}
	out := make([]string, h)
	for i := range out {
		if i < len(lines) {
			out[i] = padTo(lines[i], w)
		} else {
			out[i] = strings.Repeat(" ", w)
		}
	}
	return out
}

// headerKey is everything the header shows; statusKey everything the
// status line shows. The model redraws for every batch and tick, and these
// lines change far less often: rendering them again each time (lipgloss,
// the short help's widths) was a tenth of the TUI's CPU at 1,000 events/s.
type headerKey struct {
	cfg         *config.Config // its name, styles and keys
	width       int
	second      int64
	open, feeds int
	shown       uint64
	rate        float64
	page        int // the tab shown highlighted
}

type statusKey struct {
	cfg                    *config.Config
	width                  int
	message                string
	hidden                 int
	zoomed, detail, helpOn bool
	conns                  bool
}

// lineCaches hold the header and status line as last rendered.
type lineCaches struct {
	headerKey  headerKey
	headerLine string
	statusKey  statusKey
	statusLine string
}

// header is renderHeader's line, rendered again only when it changes.
func (m *Model) header() string {
	k := headerKey{cfg: m.cfg, width: m.width, second: m.now.Unix(), feeds: len(m.statOrder), shown: m.shownEvents, page: m.page}
	for _, f := range m.statOrder {
		if f.state() == feed.Open {
			k.open++
		}
		k.rate += f.rate.rate(m.now)
	}
	if k != m.headerKey || m.headerLine == "" {
		m.headerKey, m.headerLine = k, m.renderHeader()
	}
	return m.headerLine
}

// status is renderStatus's line, rendered again only when it changes.
func (m *Model) status() string {
	k := statusKey{cfg: m.cfg, width: m.width, message: m.message, hidden: len(m.layout.Hidden),
		zoomed: m.zoomed, detail: m.detail != nil, helpOn: m.showHelp, conns: m.conns.open}
	if k != m.statusKey || m.statusLine == "" {
		m.statusKey, m.statusLine = k, m.renderStatus()
	}
	return m.statusLine
}

// renderHeader is the top line: app and config on the left; feeds open,
// event total, rate and the clock on the right.
func (m *Model) renderHeader() string {
	st := m.styles
	left := st.TitleFocused.Render(" livefeed") + st.Muted.Render(" · "+m.configLabel())
	if tabs := m.pageTabs(true); tabs != "" {
		// The tabs matter more than the config's name, which goes first,
		// then the other pages' names.
		name := st.TitleFocused.Render(" livefeed") + " "
		left = name + tabs + st.Muted.Render(" · "+m.configLabel())
		if lipgloss.Width(left)+40 > m.width {
			left = name + tabs
		}
		if lipgloss.Width(left)+10 > m.width {
			left = name + m.pageTabs(false)
		}
	}
	if m.replay != nil {
		left += st.Muted.Render(" · ") + st.For(config.RoleAccent).Render(m.replayLabel())
	}
	open := 0
	var rate float64
	for _, f := range m.statOrder {
		if f.state() == feed.Open {
			open++
		}
		rate += f.rate.rate(m.now)
	}
	right := st.Muted.Render(formatCount(uint64(open))+"/"+formatCount(uint64(len(m.statOrder)))+" open · ") +
		st.Header.Render(formatCount(m.shownEvents)) + st.Muted.Render(" events · ") +
		st.Header.Render(formatRate(rate)) + st.Muted.Render(" · ") +
		st.Header.Render(m.now.Format("15:04:05")) + " "
	lw, rw := lipgloss.Width(left), lipgloss.Width(right)
	if lw+rw+1 > m.width {
		right = st.Header.Render(m.now.Format("15:04:05")) + " "
		rw = lipgloss.Width(right)
		if lw+rw+1 > m.width {
			return padTo(ansi.Truncate(left, m.width, "…"), m.width)
		}
	}
	return left + strings.Repeat(" ", m.width-lw-rw) + right
}

// pageTabs are the header's page tabs, "1 Markets  2 Ops" with the page
// shown highlighted; "" when there is only one page. Unless full, only the
// page shown has its name.
func (m *Model) pageTabs(full bool) string {
	pages := m.cfg.Layout.PageList()
	if len(pages) < 2 {
		return ""
	}
	st := m.styles
	var b strings.Builder
	for i, pg := range pages {
		name := render.Sanitize(pg.Name)
		if !full && i != m.page {
			name = ""
		}
		text := m.tabText(i, name)
		if i == m.page {
			b.WriteString(st.Selected.Render(" " + text + " "))
		} else {
			b.WriteString(st.Muted.Render(" " + text + " "))
		}
	}
	return b.String()
}

// tabAt is the page whose tab is at column x of the header, or -1.
func (m *Model) tabAt(x int) int {
	pages := m.cfg.Layout.PageList()
	if len(pages) < 2 {
		return -1
	}
	head := []rune(ansi.Strip(m.renderHeader()))
	from := 0
	for i, pg := range pages {
		// The tab is the page's key and, when there is room, its name.
		for _, text := range []string{m.tabText(i, render.Sanitize(pg.Name)), m.tabText(i, "")} {
			at := runeIndex(head[from:], []rune(" "+text+" "))
			if at < 0 {
				continue
			}
			start := from + at
			end := start + len([]rune(text)) + 2
			if x >= start && x < end {
				return i
			}
			from = end
			break
		}
	}
	return -1
}

// tabText is a tab's label: the page's key and name.
func (m *Model) tabText(i int, name string) string {
	num := ""
	if i < len(m.keys.Page) && m.keys.Page[i].Enabled() {
		num = m.keys.Page[i].Help().Key
	}
	if t := strings.TrimSpace(num + " " + name); t != "" {
		return t
	}
	return "·"
}

func runeIndex(s, sub []rune) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if string(s[i:i+len(sub)]) == string(sub) {
			return i
		}
	}
	return -1
}

func (m *Model) configLabel() string {
	if m.cfg.Name == "" {
		return "built-in demo config"
	}
	return render.Sanitize(m.cfg.Name)
}

func (m *Model) renderBanner() string {
	hint := ""
	if h := m.keys.Back.Help().Key; h != "" && m.keys.Back.Enabled() {
		hint = " · " + h + " dismisses"
	}
	text := " ✕ " + render.Sanitize(m.banner)
	hw := lipgloss.Width(hint)
	if lipgloss.Width(text)+hw > m.width {
		text = ansi.Truncate(text, max(m.width-hw, 0), "…")
	}
	return padTo(m.styles.Banner.Render(text)+m.styles.Muted.Render(hint), m.width)
}

// formatCount writes a count with thousands separators: 12,345.
func formatCount(n uint64) string {
	s := []byte{}
	digits := 0
	for {
		if digits > 0 && digits%3 == 0 {
			s = append(s, ',')
		}
		s = append(s, byte('0'+n%10))
		digits++
		n /= 10
		if n == 0 {
			break
		}
	}
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		s[i], s[j] = s[j], s[i]
	}
	return string(s)
}
