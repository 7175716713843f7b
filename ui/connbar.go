package ui

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/livefeed/livefeed/config"
	"github.com/livefeed/livefeed/feed"
	"github.com/livefeed/livefeed/redact"
	"github.com/livefeed/livefeed/render"
)

// The connection bar lays chips out in equal slots so that its height
// depends only on the number of feeds and the width, never on the numbers
// in the chips (which would make the panes jump as rates change). Up to
// oneLineChips feeds share one line down to slots of minChipWidth cells;
// more feeds wrap into slots of at least wrapChipWidth.
const (
	minChipWidth  = 20
	wrapChipWidth = 26
	oneLineChips  = 4
	maxBarLines   = 2
)

// connBarHeight is how many lines the bar takes for n feeds at this width.
func connBarHeight(n, width int) int {
	if n == 0 {
		return 0
	}
	per := chipsPerLine(n, width)
	return min((n+per-1)/per, maxBarLines)
}

// chipAt is the index of the feed whose chip covers column x of bar line
// (0 for the bar's first line), as renderConnBar lays them out; false for
// the "+N more" slot and empty slots.
func chipAt(n, width, lines, x, line int) (int, bool) {
	if n == 0 || width <= 0 || x < 0 || x >= width || line < 0 {
		return 0, false
	}
	per := chipsPerLine(n, width)
	lines = min(lines, connBarHeight(n, width))
	if line >= lines {
		return 0, false
	}
	slots := per * lines
	shown := n
	if n > slots {
		shown = slots - 1
	}
	i := line*per + min(x/(width/per), per-1)
	return i, i < shown
}

// chipsPerLine is how many chips one line of the bar holds.
func chipsPerLine(n, width int) int {
	if n <= oneLineChips && n*minChipWidth <= width {
		return n
	}
	return max(min(width/wrapChipWidth, n), 1)
}

// chipSeg is one part of a chip. Parts are joined with " · ", or with a
// plain space when glue is set (icon, name and state read as one).
type chipSeg struct {
	text  string
	style lipgloss.Style
	glue  bool
	cut   bool // may be shortened (to at least minCut cells) to fit
}

// minCut is the fewest cells a cuttable segment (a server's error body) is
// cut down to before a barer variant of the chip is taken instead: fewer
// say nothing.
const minCut = 8

// renderConnBar draws one chip per feed in the given number of lines
// (connBarHeight, or fewer on a tiny screen), each exactly width cells;
// feeds that do not fit are counted as "+N more".
func renderConnBar(stats []*feedStat, st *Styles, now time.Time, width, lines int) []string {
	if len(stats) == 0 || width <= 0 || lines <= 0 {
		return nil
	}
	per := chipsPerLine(len(stats), width)
	lines = min(lines, connBarHeight(len(stats), width))
	slots := per * lines
	shown := stats
	more := 0
	if len(stats) > slots {
		shown, more = stats[:slots-1], len(stats)-(slots-1)
	}
	slotW := width / per
	out := make([]string, 0, lines)
	for l := range lines {
		var b strings.Builder
		used := 0
		for k := range per {
			i := l*per + k
			w := slotW
			if k == per-1 {
				w = width - used // the last slot takes the rounding
			}
			switch {
			case i < len(shown):
				b.WriteString(fitChip(chipVariants(shown[i], st, now), w))
			case i == len(shown) && more > 0:
				b.WriteString(padTo(st.Muted.Render(ansi.Truncate(fmt.Sprintf(" +%d more", more), w, "…")), w))
			default:
				b.WriteString(strings.Repeat(" ", w))
			}
			used += w
		}
		out = append(out, b.String())
	}
	return out
}

// fitChip renders the most detailed variant of a chip that fits width
// cells (one leading space included), truncating the barest one if it must.
func fitChip(variants [][]chipSeg, width int) string {
	if width <= 1 || len(variants) == 0 {
		return strings.Repeat(" ", max(width, 0))
	}
	for _, v := range variants {
		plain, styled := joinChipSegs(v)
		w := lipgloss.Width(plain) + 1
		if w > width {
			v, plain, styled = cutChip(v, w-width)
			w = lipgloss.Width(plain) + 1
		}
		if w <= width {
			return " " + styled + strings.Repeat(" ", width-w)
		}
	}
	plain, _ := joinChipSegs(variants[len(variants)-1])
	return " " + padTo(ansi.Truncate(plain, width-1, "…"), width-1)
}

// cutChip shortens a variant's cuttable segment by excess cells if that
// leaves it at least minCut wide; otherwise it returns the variant as is.
func cutChip(segs []chipSeg, excess int) ([]chipSeg, string, string) {
	for i, seg := range segs {
		if !seg.cut || seg.text == "" {
			continue
		}
		if keep := ansi.StringWidth(seg.text) - excess; keep >= minCut {
			out := append([]chipSeg(nil), segs...)
			out[i].text = ansi.Truncate(seg.text, keep, "…")
			plain, styled := joinChipSegs(out)
			return out, plain, styled
		}
	}
	plain, styled := joinChipSegs(segs)
	return segs, plain, styled
}

func joinChipSegs(segs []chipSeg) (plain, styled string) {
	var p, s strings.Builder
	n := 0
	for _, seg := range segs {
		if seg.text == "" {
			continue
		}
		if n > 0 {
			sep := " · "
			if seg.glue {
				sep = " "
			}
			p.WriteString(sep)
			s.WriteString(sep)
		}
		p.WriteString(seg.text)
		s.WriteString(seg.style.Render(seg.text))
		n++
	}
	return p.String(), s.String()
}

// chipVariants describes one feed from the most detailed form to the
// barest. Every form keeps the icon (its shape and colour tell the state)
// and the name; then, as room allows: the state word, the countdown or why
// it is closed, the rate, the attempt, the age of the last event, the last
// event id and why the last connection ended.
func chipVariants(s *feedStat, st *Styles, now time.Time) [][]chipSeg {
	state := s.state()
	role := map[feed.State]config.Role{feed.Connecting: config.RoleConnecting, feed.Open: config.RoleOpen, feed.Closed: config.RoleClosed}[state]
	icon := chipSeg{text: map[feed.State]string{feed.Connecting: "◌", feed.Open: "●", feed.Closed: "✕"}[state], style: st.For(role)}
	name := chipSeg{text: render.Sanitize(s.name), style: st.Title, glue: true}
	word := chipSeg{text: strings.ToUpper(state.String()), style: st.For(role).Bold(true), glue: true}
	muted := func(text string) chipSeg { return chipSeg{text: text, style: st.Muted} }
	age := "no events yet"
	if !s.lastEventAt.IsZero() {
		age = shortDuration(now.Sub(s.lastEventAt)) + " ago"
	}
	v := func(segs ...chipSeg) []chipSeg { return segs }
	glued := func(c chipSeg) chipSeg { c.glue = true; return c }

	switch state {
	case feed.Open:
		rate := chipSeg{text: formatRate(s.rate.rate(now)), style: st.For(config.RoleText)}
		return [][]chipSeg{
			v(icon, name, word, rate, muted(droppedText(s.dropped)), muted(age), muted(idText(s.lastID))),
			v(icon, name, word, rate, muted(age)),
			v(icon, name, word, rate),
			v(icon, name, glued(rate)),
			v(icon, name),
		}
	case feed.Connecting:
		wait, short := "connecting…", "connecting…"
		if d := s.status.ReconnectAt.Sub(now); !s.status.ReconnectAt.IsZero() && d > 0 {
			wait, short = "retry in "+countdown(d), countdown(d)
			if s.status.RetryAfter {
				wait += " (Retry-After)"
			}
		}
		w := chipSeg{text: wait, style: st.For(config.RoleConnecting)}
		attempt := muted("attempt " + strconv.Itoa(max(s.status.Attempt, 1)))
		// A retried status (503 during a deploy, 401 with a token command)
		// says which, and what the server said, instead of a network error.
		code := statusCode(s.status)
		if code == 0 {
			why := muted(dropReason(s.status.Err))
			why.cut = true
			return [][]chipSeg{
				v(icon, name, word, w, attempt, muted(age), why),
				v(icon, name, word, w, attempt, muted(age)),
				v(icon, name, word, w, attempt),
				v(icon, name, word, w),
				v(icon, name, glued(w)),
				v(icon, name, chipSeg{text: short, style: w.style, glue: true}),
			}
		}
		httpSeg := chipSeg{text: fmt.Sprintf("HTTP %d", code), style: st.For(config.RoleClosed)}
		body := chipSeg{text: errorBody(s.status), style: st.Muted, cut: true}
		plain := chipSeg{text: strings.TrimSuffix(wait, " (Retry-After)"), style: w.style}
		return [][]chipSeg{
			v(icon, name, word, httpSeg, w, attempt, body),
			v(icon, name, word, httpSeg, w, body),
			v(icon, name, word, httpSeg, w),
			v(icon, name, word, httpSeg, plain),
			v(icon, name, glued(httpSeg), plain),
			v(icon, name, glued(plain)),
			v(icon, name, chipSeg{text: short, style: w.style, glue: true}),
		}
	}
	long, short := closeReason(s.status), shortCloseReason(s.status)
	why := chipSeg{text: long, style: st.For(config.RoleClosed)}
	brief := chipSeg{text: short, style: why.style, glue: true}
	if b := errorBody(s.status); b != "" {
		body := chipSeg{text: b, style: st.Muted, cut: true}
		// The body says more than the status's name: "HTTP 401" with it.
		return [][]chipSeg{
			v(icon, name, word, chipSeg{text: short, style: why.style}, body),
			v(icon, name, word, why),
			v(icon, name, word, chipSeg{text: short, style: why.style}),
			v(icon, name, brief),
		}
	}
	return [][]chipSeg{
		v(icon, name, word, why, muted(age)),
		v(icon, name, word, why),
		v(icon, name, word, chipSeg{text: short, style: why.style}),
		v(icon, name, brief),
	}
}

// statusCode is the HTTP status of a response that was not a stream (0 when
// the last attempt got none, or got a 200).
func statusCode(s feed.Status) int {
	code := s.HTTPStatus
	var he *feed.HTTPError
	if errors.As(s.Err, &he) && he.Status != 0 {
		code = he.Status
	}
	if code == 200 {
		return 0
	}
	return code
}

// errorBody is the server's answer to a failed request, made safe to draw
// on one line ("" when there was none).
func errorBody(s feed.Status) string {
	var he *feed.HTTPError
	if !errors.As(s.Err, &he) || he.Body == "" {
		return ""
	}
	return strings.Join(strings.Fields(render.Sanitize(he.Body)), " ")
}

func droppedText(n uint64) string {
	if n == 0 {
		return ""
	}
	return strconv.FormatUint(n, 10) + " dropped"
}

func idText(id string) string {
	if id == "" {
		return ""
	}
	return "id " + ansi.Truncate(render.Sanitize(id), 16, "…")
}

// closeReason says why a feed is CLOSED, as briefly as is still clear.
func closeReason(s feed.Status) string {
	var he *feed.HTTPError
	if s.HTTPStatus == 0 && errors.As(s.Err, &he) {
		s.HTTPStatus = he.Status
	}
	switch {
	case errors.Is(s.Err, feed.ErrFinished):
		return "finished (end_on)"
	case errors.Is(s.Err, feed.ErrStreamEnded):
		return "stream ended (r reconnects)"
	case s.HTTPStatus == 204:
		return "204 No Content (server said stop)"
	case s.HTTPStatus != 0 && s.HTTPStatus != 200:
		if t := httpStatusText(s.HTTPStatus); t != "" {
			return fmt.Sprintf("HTTP %d %s", s.HTTPStatus, t)
		}
		return fmt.Sprintf("HTTP %d", s.HTTPStatus)
	case s.HTTPStatus == 200 || errors.As(s.Err, &he):
		ct := s.ContentType
		if he != nil && ct == "" {
			ct = he.ContentType
		}
		if mt, _, _ := strings.Cut(ct, ";"); strings.TrimSpace(mt) != "" {
			return render.Sanitize(strings.TrimSpace(mt)) + " (not an event stream)"
		}
		return "no Content-Type (not an event stream)"
	case s.Err != nil:
		return errText(s.Err)
	}
	return "closed"
}

// shortCloseReason is closeReason for a narrow chip: "204", "HTTP 401",
// "text/html".
func shortCloseReason(s feed.Status) string {
	var he *feed.HTTPError
	if s.HTTPStatus == 0 && errors.As(s.Err, &he) {
		s.HTTPStatus = he.Status
	}
	switch {
	case s.HTTPStatus == 204:
		return "204 No Content"
	case s.HTTPStatus != 0 && s.HTTPStatus != 200:
		return fmt.Sprintf("HTTP %d", s.HTTPStatus)
	}
	long := closeReason(s)
	if short, ok := strings.CutSuffix(long, " (not an event stream)"); ok {
		return short
	}
	return ansi.Truncate(long, 16, "…")
}

// dropReason says briefly why the previous connection ended ("" when it was
// the first attempt or a requested reconnect).
func dropReason(err error) string {
	switch {
	case err == nil, errors.Is(err, feed.ErrReconnect):
		return ""
	case errors.Is(err, feed.ErrStreamEnded):
		return "stream ended"
	case errors.Is(err, feed.ErrStale):
		return "stale"
	case errors.Is(err, feed.ErrTimeout):
		return "connect timeout"
	case errors.Is(err, feed.ErrEventTooLarge):
		return "event too large"
	}
	return errText(err)
}

// errText shortens a network error to its last, most specific part
// ("dial tcp 127.0.0.1:9: connect: connection refused" → "connection
// refused").
func errText(err error) string {
	var ce *feed.CommandError
	if errors.As(err, &ce) {
		// The command's own words say what to fix (a login expired);
		// the exit status only that it failed.
		why := ce.Stderr
		if why == "" && ce.Err != nil {
			why = ce.Err.Error()
		}
		return ansi.Truncate("headers_command: "+render.Sanitize(redact.Text(why)), 60, "…")
	}
	s := render.Sanitize(redact.Text(err.Error()))
	if i := strings.LastIndex(s, ": "); i >= 0 && i+2 < len(s) {
		s = s[i+2:]
	}
	return ansi.Truncate(s, 40, "…")
}

func httpStatusText(code int) string {
	return map[int]string{
		400: "Bad Request", 401: "Unauthorized", 402: "Payment Required", 403: "Forbidden",
		404: "Not Found", 405: "Method Not Allowed", 406: "Not Acceptable", 407: "Proxy Auth Required",
		408: "Request Timeout", 409: "Conflict", 410: "Gone", 413: "Content Too Large",
		414: "URI Too Long", 415: "Unsupported Media Type", 418: "I'm a teapot", 421: "Misdirected Request",
		425: "Too Early", 426: "Upgrade Required", 429: "Too Many Requests", 431: "Headers Too Large",
		451: "Unavailable For Legal Reasons", 500: "Internal Server Error", 501: "Not Implemented",
		502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout", 505: "HTTP Version Not Supported",
		301: "Moved Permanently", 302: "Found", 303: "See Other", 304: "Not Modified",
		307: "Temporary Redirect", 308: "Permanent Redirect", 201: "Created", 202: "Accepted",
	}[code]
}

// countdown shows a wait with tenths under a minute: "2.4s", "1m05s".
func countdown(d time.Duration) string {
	if d < time.Minute {
		return strconv.FormatFloat(float64(d.Round(100*time.Millisecond))/float64(time.Second), 'f', 1, 64) + "s"
	}
	d = d.Round(time.Second)
	return fmt.Sprintf("%dm%02ds", int(d/time.Minute), int(d%time.Minute/time.Second))
}

// shortDuration is a coarse age: "0s", "42s", "3m", "5h", "2d".
func shortDuration(d time.Duration) string {
	switch {
	case d < 0:
		return "0s"
	case d < time.Minute:
		return strconv.Itoa(int(d/time.Second)) + "s"
	case d < time.Hour:
		return strconv.Itoa(int(d/time.Minute)) + "m"
	case d < 48*time.Hour:
		return strconv.Itoa(int(d/time.Hour)) + "h"
	}
	return strconv.Itoa(int(d/(24*time.Hour))) + "d"
}

// formatRate is events per second in at most five characters: "0/s",
// "4.2/s", "37/s", "1.2k/s".
func formatRate(r float64) string {
	switch {
	case r <= 0:
		return "0/s"
	case r < 10:
		return strconv.FormatFloat(r, 'f', 1, 64) + "/s"
	case r < 1000:
		return strconv.FormatFloat(r, 'f', 0, 64) + "/s"
	case r < 1e6:
		return strconv.FormatFloat(r/1e3, 'f', 1, 64) + "k/s"
	}
	return strconv.FormatFloat(r/1e6, 'f', 1, 64) + "M/s"
}

// padTo pads a styled string with spaces to exactly w cells, truncating it
// if it is wider.
func padTo(s string, w int) string {
	sw := lipgloss.Width(s)
	switch {
	case sw == w:
		return s
	case sw > w:
		return ansi.Truncate(s, w, "")
	}
	return s + strings.Repeat(" ", w-sw)
}
