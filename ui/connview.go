package ui

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/livefeed/livefeed/config"
	"github.com/livefeed/livefeed/feed"
	"github.com/livefeed/livefeed/redact"
	"github.com/livefeed/livefeed/render"
)

// The connections view (the connections key, f): every feed's transport in
// one block each, live; enter opens the selected feed's details in the
// inspector.

// connView is the connections view's state; the model draws it from the
// feeds' stats, so it holds only what the user chose.
type connView struct {
	open bool
	sel  int // index into the model's statOrder
}

// detailHintWidth is where the details wrap a hint.
const detailHintWidth = 72

// maxHeaderValue bounds one response header value in the details; a server
// may send kilobytes of cookies.
const maxHeaderValue = 512

// renderConns draws the connections view in exactly w × h cells: the
// selected feed's block is kept in sight.
func (m *Model) renderConns(w, h int) []string {
	vs := viewState{Width: w, Height: h, Focused: true, Now: m.now}
	cw, ch := paneContentSize(vs)
	inks := inksOf(m.styles)
	var rows []string
	selStart, selEnd := 0, 0
	sel := min(m.conns.sel, len(m.statOrder)-1) // the config may have lost feeds
	for i, st := range m.statOrder {
		if i > 0 {
			rows = append(rows, "")
		}
		if i == sel {
			selStart = len(rows)
		}
		for _, l := range connBlock(m.feedConfig(st.name), st, i == sel, m.now, cw) {
			rows = append(rows, wrapSpans(l, max(cw, 1), inks)...)
		}
		if i == sel {
			selEnd = len(rows)
		}
	}
	top := 0
	if selEnd > ch {
		top = max(selEnd-ch, 0)
		if selStart < top {
			top = selStart // a block taller than the screen: show its start
		}
	}
	rows = rows[min(top, len(rows)):]
	if len(rows) > ch {
		rows = rows[:ch]
	}
	head := frameHead{title: "connections", count: countLabel(len(m.statOrder), "feed", "feeds")}
	for _, b := range []struct {
		k    string
		what string
	}{{m.keys.Inspect.Help().Key, "details"}, {m.keys.Reconnect.Help().Key, "reconnect"}, {m.keys.Back.Help().Key, "back"}} {
		if b.k != "" {
			head.footer = append(head.footer, frameSeg{text: b.k + " " + b.what, style: m.styles.Muted, keep: keepExtra})
		}
	}
	return fitLines(drawFrame(m.styles, vs, head, rows), w, h)
}

func (m *Model) feedConfig(name string) *config.Feed {
	if m.cfg == nil {
		return nil
	}
	return m.cfg.Feed(name)
}

func stateRole(s feed.State) config.Role {
	switch s {
	case feed.Open:
		return config.RoleOpen
	case feed.Closed:
		return config.RoleClosed
	}
	return config.RoleConnecting
}

// connBlock is one feed's block in the connections view, width cells wide
// (hints are word-wrapped to it; other lines wrap where they must).
func connBlock(c *config.Feed, st *feedStat, selected bool, now time.Time, width int) [][]jsonSpan {
	muted := func(s string) jsonSpan { return jsonSpan{text: s, role: config.RoleMuted} }
	text := func(s string) jsonSpan { return jsonSpan{text: s, role: config.RoleText} }
	mark, nameRole := "  ", config.RoleTitle
	if selected {
		mark, nameRole = "▶ ", config.RoleFocus
	}
	state := st.state()
	first := []jsonSpan{muted(mark), {text: oneLine(st.name, maxCellBytes), role: nameRole}, text("  "),
		{text: strings.ToUpper(state.String()), role: stateRole(state)}}
	cs := st.conn
	if cs != nil && !cs.since.IsZero() {
		first = append(first, muted(" since "+cs.since.Format("15:04:05")+" ("+shortDuration(now.Sub(cs.since))+")"))
	}
	lines := [][]jsonSpan{first}
	indent := muted("  ")
	if c != nil {
		method := c.Method
		if method == "" {
			method = "GET"
		}
		lines = append(lines, []jsonSpan{indent, text(method + " " + render.Sanitize(redact.URL(c.URL)))})
	}
	resp := responseLine(st)
	if resp != "" {
		lines = append(lines, []jsonSpan{indent, text(resp)})
	}
	// "HTTP 401 Unauthorized" would repeat the response line.
	if why := stateWhy(st.status, now); why != "" && (resp == "" || !strings.HasPrefix(why, "HTTP ")) {
		lines = append(lines, []jsonSpan{indent, {text: why, role: stateRole(state)}})
	}
	if b := errorBody(st.status); b != "" {
		lines = append(lines, []jsonSpan{indent, muted("body "), text(ansi.Truncate(b, max(width-7, 10), "…"))})
	}
	counts := countersText(st)
	if st.seen && st.status.Retry > 0 {
		counts = "retry " + st.status.Retry.String() + " (" + st.status.RetryFrom.String() + ") · " + counts
	}
	lines = append(lines, []jsonSpan{indent, muted(counts)})
	if cs != nil {
		if vals, longest := cs.arrivals.gaps(now); longest > 0 {
			// A narrow screen shows the most recent seconds that fit.
			secs := min(timelineSeconds, max(width-ansi.StringWidth("  gaps  last 60s · longest 10.0s"), 10))
			lines = append(lines, []jsonSpan{indent, muted("gaps "), {text: render.SparkIn(vals, secs, 0, longest.Seconds()), role: config.RoleAccent},
				muted(fmt.Sprintf(" last %ds · longest %s", secs, countdown(longest)))})
		}
	}
	for _, h := range connHints(st, now) {
		for _, l := range wrapWords(h, max(width-2, 20)) {
			lines = append(lines, []jsonSpan{indent, {text: l, role: config.RoleWarning}})
		}
	}
	return lines
}

// responseLine is "HTTP/1.1 200 OK · text/event-stream" for the current or
// last response, "" before any.
func responseLine(st *feedStat) string {
	if st.conn == nil || (st.conn.resp.Proto == "" && st.conn.resp.HTTPStatus == 0) {
		return ""
	}
	r := st.conn.resp
	s := render.Sanitize(r.Proto)
	if s != "" {
		s += " "
	}
	s += strconv.Itoa(r.HTTPStatus)
	if t := http200Text(r.HTTPStatus); t != "" {
		s += " " + t
	}
	if r.ContentType != "" {
		s += " · " + oneLine(r.ContentType, maxCellBytes)
	}
	if r.State == feed.Open && st.state() != feed.Open {
		// The connection it opened has ended since.
		s = "last response " + s
	}
	return s
}

func http200Text(code int) string {
	switch code {
	case 200:
		return "OK"
	case 204:
		return "No Content"
	}
	return httpStatusText(code)
}

// stateWhy says what the feed is doing about its state: why it is CLOSED,
// or when it tries again and why; "" when OPEN.
func stateWhy(s feed.Status, now time.Time) string {
	switch s.State {
	case feed.Closed:
		return closeReason(s)
	case feed.Connecting:
		parts := []string{"attempt " + strconv.Itoa(max(s.Attempt, 1))}
		if r := dropReason(s.Err); r != "" {
			parts = append(parts, r)
		}
		if d := s.ReconnectAt.Sub(now); !s.ReconnectAt.IsZero() && d > 0 {
			w := "retry in " + countdown(d)
			if s.RetryAfter {
				w += " (Retry-After)"
			}
			parts = append(parts, w)
		}
		return strings.Join(parts, " · ")
	}
	return ""
}

// countersText is "12.3 kB · 1,234 events · 0 dropped · 2 reconnects".
func countersText(st *feedStat) string {
	var parts []string
	var bytes, reconnects uint64
	if st.conn != nil {
		bytes, reconnects = st.conn.bytes, st.conn.reconnects
	}
	parts = append(parts, byteSize(bytes), countLabel(int(st.events), "event", "events"),
		groupInt(int(st.dropped))+" dropped", countLabel(int(reconnects), "reconnect", "reconnects"))
	return strings.Join(parts, " · ")
}

// byteSize is a byte count in SI units: "812 B", "12.3 kB", "4.1 MB".
func byteSize(n uint64) string {
	if n < 1000 {
		return strconv.FormatUint(n, 10) + " B"
	}
	f, units := float64(n)/1000, "kMGTP"
	u := 0
	for f >= 1000 && u < len(units)-1 {
		f /= 1000
		u++
	}
	return strconv.FormatFloat(f, 'f', 1, 64) + " " + units[u:u+1] + "B"
}

// connHints explain a transport that holds events back: bursts after
// silences (a buffering proxy) and a compressed stream.
func connHints(st *feedStat, now time.Time) []string {
	if st.conn == nil {
		return nil
	}
	var hints []string
	if every, ok := st.conn.arrivals.burstEvery(now); ok {
		hints = append(hints, fmt.Sprintf("⚠ events arrive in bursts every ~%s: a proxy may be buffering the stream (nginx: X-Accel-Buffering: no)", roughDuration(every)))
	}
	if enc := headerValue(st.conn.resp.Header, "Content-Encoding"); enc != "" && !strings.EqualFold(enc, "identity") {
		hints = append(hints, "⚠ Content-Encoding: "+oneLine(enc, 64)+": compression can hold events back until a compressed block fills")
	}
	return hints
}

// roughDuration is a burst interval as a person would say it: "1s", "2.5s",
// "300ms".
func roughDuration(d time.Duration) string {
	switch {
	case d < time.Second:
		return strconv.Itoa(int(d.Round(10*time.Millisecond)/time.Millisecond)) + "ms"
	case d < 10*time.Second:
		s := strconv.FormatFloat(d.Round(100*time.Millisecond).Seconds(), 'f', 1, 64)
		return strings.TrimSuffix(s, ".0") + "s"
	}
	return strconv.Itoa(int(d.Round(time.Second)/time.Second)) + "s"
}

// wrapWords breaks text at spaces into lines of at most w cells (a word
// longer than that gets a line of its own); ansi.Wordwrap also breaks at
// hyphens, which would split "X-Accel-Buffering".
func wrapWords(s string, w int) []string {
	var lines []string
	line, lw := "", 0
	for _, word := range strings.Fields(s) {
		ww := ansi.StringWidth(word)
		if lw > 0 && lw+1+ww > w {
			lines = append(lines, line)
			line, lw = "", 0
		}
		if lw > 0 {
			line += " "
			lw++
		}
		line += word
		lw += ww
	}
	return append(lines, line)
}

// headerValue is a header's first value, looked up regardless of case.
func headerValue(h map[string][]string, name string) string {
	for k, v := range h {
		if strings.EqualFold(k, name) && len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

// connDetailLines is what the inspector adds for one feed when opened from
// the connections view: the response's headers, the reconnection time, the
// arrival timeline with its hints, and the attempts.
func connDetailLines(st *feedStat, now time.Time) [][]jsonSpan {
	var lines [][]jsonSpan
	row := func(label, value string, role config.Role) {
		lines = append(lines, []jsonSpan{{text: fmt.Sprintf("%-9s", label), role: config.RoleMuted}, {text: value, role: role}})
	}
	head := func(s string) {
		lines = append(lines, []jsonSpan{{text: "", role: config.RoleText}}, []jsonSpan{{text: s, role: config.RoleTitle}})
	}
	cs := st.conn
	if cs == nil {
		cs = &connStat{}
	}
	head("connection")
	if !cs.since.IsZero() {
		state := st.state()
		row("since", strings.ToUpper(state.String())+" since "+cs.since.Format("15:04:05")+" ("+shortDuration(now.Sub(cs.since))+" ago)", stateRole(state))
	}
	if st.seen && st.status.Retry > 0 {
		retry := st.status.Retry.String() + " (" + st.status.RetryFrom.String() + ")"
		if st.status.State == feed.Connecting && st.status.ReconnectIn > 0 {
			retry += " · this wait " + countdown(st.status.ReconnectIn)
			if st.status.RetryAfter {
				retry += " (Retry-After)"
			} else if st.status.ReconnectIn != st.status.Retry {
				retry += " (backoff)"
			}
		}
		row("retry", retry, config.RoleText)
	}
	row("counts", countersText(st), config.RoleText)
	if r := responseLine(st); r != "" {
		head("response · " + r)
		names := make([]string, 0, len(cs.resp.Header))
		for k := range cs.resp.Header {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			for _, v := range cs.resp.Header[k] {
				lines = append(lines, []jsonSpan{{text: oneLine(k, maxCellBytes) + ": ", role: config.RoleInfo},
					{text: oneLine(redact.Header(k, v), maxHeaderValue), role: config.RoleText}})
			}
		}
	}
	if vals, longest := cs.arrivals.gaps(now); longest > 0 {
		// One bar a second, as high as the longest wait that ended in it.
		head("arrivals · last 60s · longest gap " + countdown(longest))
		lines = append(lines, []jsonSpan{{text: render.SparkIn(vals, timelineSeconds, 0, longest.Seconds()), role: config.RoleAccent}})
	} else {
		head("arrivals · last 60s")
		lines = append(lines, []jsonSpan{{text: "no gaps between events in the last minute", role: config.RoleMuted}})
	}
	for _, h := range connHints(st, now) {
		// Wrapped at words for any terminal of 80 columns or more; the
		// inspector would cut a long line anywhere.
		for _, l := range wrapWords(h, detailHintWidth) {
			lines = append(lines, []jsonSpan{{text: l, role: config.RoleWarning}})
		}
	}
	head(fmt.Sprintf("attempts · newest first (last %d kept)", maxAttempts))
	if cs.attempts.n == 0 {
		lines = append(lines, []jsonSpan{{text: "none yet", role: config.RoleMuted}})
		return lines
	}
	lines = append(lines, []jsonSpan{{text: fmt.Sprintf("%-12s %-12s %8s %9s %7s  %s", "time", "outcome", "duration", "bytes", "events", "reason"), role: config.RoleMuted}})
	cs.attempts.newestFirst(func(a *attempt) {
		outcome, end, role := a.outcome, a.end, config.RoleText
		switch {
		case !end.IsZero():
			if a.outcome != "dropped" && a.outcome != "reconnected" {
				role = config.RoleClosed
			}
		case a.start.After(now):
			outcome, end = "waiting", a.start
		case a.opened:
			outcome, end, role = "open", now, config.RoleOpen
		default:
			outcome, end, role = "connecting", now, config.RoleConnecting
		}
		reason := ""
		if a.reason != "" {
			reason = oneLine(a.reason, maxLineBytes)
		}
		lines = append(lines, []jsonSpan{{text: fmt.Sprintf("%-12s %-12s %8s %9s %7s  ", a.start.Format("15:04:05.000"), outcome,
			countdown(max(end.Sub(a.start), 0)), byteSize(a.bytes), groupInt(int(a.events))), role: role},
			{text: reason, role: config.RoleMuted}})
	})
	return lines
}

// openConnDetail opens the inspector on one feed from the connections view:
// the feed inspector's lines and the connection's.
func (m *Model) openConnDetail(st *feedStat) {
	d := newFeedDetail("connection "+oneLine(st.name, maxCellBytes), m.connDetailOf(st), m.styles, m.keys, m.width, m.detailHeight())
	d.connFeed = st.name
	m.detail = &d
}

func (m *Model) connDetailOf(st *feedStat) [][]jsonSpan {
	return append(feedInspectorLines([]string{st.name}, m.cfg, m.stats, m.now), connDetailLines(st, m.now)...)
}

// refreshConnDetail redraws open connection details with what changed
// since (a tick: the attempt under way, ages, the timeline).
func (m *Model) refreshConnDetail() {
	if m.detail == nil || m.detail.connFeed == "" {
		return
	}
	if st := m.stats[m.detail.connFeed]; st != nil {
		d := m.detail.withLines(m.connDetailOf(st))
		m.detail = &d
	}
}
