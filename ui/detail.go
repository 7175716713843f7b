package ui

import (
	"bytes"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/tidwall/gjson"
	"github.com/tidwall/pretty"

	"github.com/livefeed/livefeed/config"
	"github.com/livefeed/livefeed/render"
)

// detailModel is the inspector: one event's metadata and its payload,
// pretty-printed and coloured when it is JSON, in a scrollable viewport.
type detailModel struct {
	it            Item
	st            *Styles
	km            KeyMap
	width, height int
	kind          string       // "JSON object", "text", …
	lines         [][]jsonSpan // the payload, one entry per line before wrapping
	showMeta      bool
	vp            viewport.Model
	// feedTitle is set when the inspector shows feeds rather than an event
	// (see newFeedDetail); everything then scrolls, there is no meta block.
	feedTitle string
}

// jsonSpan is a run of payload text in one colour.
type jsonSpan struct {
	text string // sanitized
	role config.Role
}

// Colours of JSON syntax, by theme role.
const (
	roleJSONKey    = config.RoleInfo
	roleJSONString = config.RoleGain
	roleJSONNumber = config.RoleAccent
	roleJSONLit    = config.RoleWarning // true, false, null
	roleJSONPunct  = config.RoleMuted
)

// newDetail builds the inspector for an item, sized width × height cells.
func newDetail(it Item, st *Styles, km KeyMap, width, height int) detailModel {
	if st == nil {
		st = NewStyles(config.DefaultTheme())
	}
	d := detailModel{it: it, st: st, km: km}
	d.lines, d.kind = payloadLines(it.Event.Data)
	return d.withViewport(width, height)
}

// newFeedDetail builds the inspector of feeds: lines are what
// feedInspectorLines describes, title names the feeds.
func newFeedDetail(title string, lines [][]jsonSpan, st *Styles, km KeyMap, width, height int) detailModel {
	if st == nil {
		st = NewStyles(config.DefaultTheme())
	}
	d := detailModel{st: st, km: km, feedTitle: title, lines: lines, kind: "feed"}
	return d.withViewport(width, height)
}

func (d detailModel) withViewport(width, height int) detailModel {
	off := key.NewBinding(key.WithDisabled())
	d.vp = viewport.New()
	d.vp.KeyMap = viewport.KeyMap{
		Up: d.km.Up, Down: d.km.Down, PageUp: d.km.PageUp, PageDown: d.km.PageDown,
		HalfPageUp: off, HalfPageDown: off, Left: off, Right: off,
	}
	d.vp.MouseWheelEnabled = true
	return d.SetSize(width, height)
}

// Item is the event the inspector shows.
func (d detailModel) Item() Item { return d.it }

// SetSize re-lays the inspector out for a new size, keeping the scroll
// position where it can.
func (d detailModel) SetSize(width, height int) detailModel {
	d.width, d.height = max(0, width), max(0, height)
	cw, ch := paneContentSize(viewState{Width: d.width, Height: d.height})
	meta := len(d.metaLines()) + 1 // and a rule
	d.showMeta = d.feedTitle == "" && ch >= meta+3
	vh := ch
	if d.showMeta {
		vh -= meta
	}
	d.vp.SetWidth(max(0, cw))
	d.vp.SetHeight(max(0, vh))
	var rows []string
	if cw > 0 {
		inks := inksOf(d.st)
		for _, l := range d.lines {
			rows = append(rows, wrapSpans(l, cw, inks)...)
		}
	}
	y := d.vp.YOffset()
	d.vp.SetContentLines(rows)
	d.vp.SetYOffset(y)
	return d
}

// Update scrolls: the up, down, page and top / bottom keys, and the wheel.
func (d detailModel) Update(msg tea.Msg) (detailModel, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, d.km.Top):
			d.vp.GotoTop()
			return d, nil
		case key.Matches(k, d.km.Bottom):
			d.vp.GotoBottom()
			return d, nil
		case key.Matches(k, d.km.Copy):
			return d, copyText(d.it.Event.Data)
		}
	}
	var cmd tea.Cmd
	d.vp, cmd = d.vp.Update(msg)
	return d, cmd
}

// View draws the inspector in exactly its width × height.
func (d detailModel) View() string {
	vs := viewState{Width: d.width, Height: d.height, Focused: true}
	head := frameHead{title: "event " + oneLine(d.it.Feed, maxCellBytes) + " / " + oneLine(d.it.Event.Type, maxCellBytes)}
	if d.feedTitle != "" {
		head.title = d.feedTitle
	} else if !d.showMeta {
		head.count = d.kind
	}
	total := d.vp.TotalLineCount()
	if vh := d.vp.Height(); total > vh && vh > 0 {
		first := d.vp.YOffset() + 1
		head.footer = append(head.footer, frameSeg{
			text:  fmt.Sprintf("lines %d–%d of %d", first, min(first+vh-1, total), total),
			style: d.st.Muted, keep: keepCount,
		})
	}
	if h := d.km.Back.Help(); d.km.Back.Enabled() && h.Key != "" {
		head.footer = append(head.footer, frameSeg{text: h.Key + " back", style: d.st.Muted, keep: keepExtra})
	}
	var body []string
	if d.showMeta {
		body = append(body, d.metaLines()...)
		cw, _ := paneContentSize(vs)
		body = append(body, d.st.Muted.Render(strings.Repeat("─", max(0, cw))))
	}
	if d.vp.Height() > 0 && d.vp.Width() > 0 {
		body = append(body, strings.Split(d.vp.View(), "\n")...)
	}
	return drawFrame(d.st, vs, head, body)
}

// metaLines describe the event: where it came from, its id, when it
// arrived and how big it is.
func (d detailModel) metaLines() []string {
	if d.feedTitle != "" {
		return nil
	}
	label := func(s string) string { return d.st.Muted.Render(fmt.Sprintf("%-9s", s)) }
	id := oneLine(d.it.Event.ID, maxLineBytes)
	if id == "" {
		id = d.st.Muted.Render("(none)")
	}
	received := "(unknown)"
	if !d.it.Time.IsZero() {
		received = d.it.Time.Format("2006-01-02 15:04:05.000 MST")
	}
	size := len(d.it.Event.Data)
	return []string{
		label("feed") + oneLine(d.it.Feed, maxLineBytes),
		label("type") + oneLine(d.it.Event.Type, maxLineBytes),
		label("id") + id,
		label("received") + received,
		label("size") + countLabel(size, "byte", "bytes") + d.st.Muted.Render(" · "+d.kind),
	}
}

// payloadLines splits a payload into coloured lines: valid JSON indented
// and highlighted, anything else as plain text.
func payloadLines(data string) ([][]jsonSpan, string) {
	trimmed := bytes.TrimSpace([]byte(data))
	if len(trimmed) > 0 && gjson.ValidBytes(trimmed) {
		out := pretty.PrettyOptions(trimmed, &pretty.Options{Width: 72, Indent: "  "})
		var lines [][]jsonSpan
		for _, l := range strings.Split(strings.TrimRight(string(out), "\n"), "\n") {
			lines = append(lines, jsonSpans(render.Sanitize(l)))
		}
		return lines, jsonKind(trimmed)
	}
	if data == "" {
		return [][]jsonSpan{{{text: "(empty payload)", role: config.RoleMuted}}}, "empty"
	}
	var lines [][]jsonSpan
	for _, l := range strings.Split(data, "\n") {
		l = strings.ReplaceAll(strings.TrimSuffix(l, "\r"), "\t", "    ")
		lines = append(lines, []jsonSpan{{text: render.Sanitize(l), role: config.RoleText}})
	}
	return lines, "text"
}

func jsonKind(b []byte) string {
	switch gjson.ParseBytes(b).Type {
	case gjson.JSON:
		if b[0] == '[' {
			return "JSON array"
		}
		return "JSON object"
	case gjson.String:
		return "JSON string"
	case gjson.Number:
		return "JSON number"
	case gjson.True, gjson.False:
		return "JSON boolean"
	}
	return "JSON null"
}

// jsonSpans colours one line of pretty-printed JSON. Strings never span
// lines in pretty output, so each line can be scanned on its own.
func jsonSpans(line string) []jsonSpan {
	var out []jsonSpan
	start := 0 // where the last span begins; spans are contiguous
	add := func(text string, role config.Role) {
		end := start + len(text)
		if n := len(out); n > 0 && out[n-1].role == role {
			out[n-1].text = line[start-len(out[n-1].text) : end]
		} else {
			out = append(out, jsonSpan{text: line[start:end], role: role})
		}
		start = end
	}
	for i := 0; i < len(line); {
		c := line[i]
		switch {
		case c == '"':
			j := i + 1
			for j < len(line) && line[j] != '"' {
				if line[j] == '\\' {
					j++
				}
				j++
			}
			j = min(j+1, len(line))
			k := j
			for k < len(line) && line[k] == ' ' {
				k++
			}
			role := roleJSONString
			if k < len(line) && line[k] == ':' {
				role = roleJSONKey
			}
			add(line[i:j], role)
			i = j
		case c == '-' || (c >= '0' && c <= '9'):
			j := i + 1
			for j < len(line) && strings.IndexByte("0123456789+-.eE", line[j]) >= 0 {
				j++
			}
			add(line[i:j], roleJSONNumber)
			i = j
		case strings.HasPrefix(line[i:], "true"), strings.HasPrefix(line[i:], "null"):
			add(line[i:i+4], roleJSONLit)
			i += 4
		case strings.HasPrefix(line[i:], "false"):
			add(line[i:i+5], roleJSONLit)
			i += 5
		case c == ' ':
			j := i
			for j < len(line) && line[j] == ' ' {
				j++
			}
			add(line[i:j], config.RoleText)
			i = j
		default:
			add(line[i:i+1], roleJSONPunct)
			i++
		}
	}
	if out == nil {
		out = []jsonSpan{{text: "", role: config.RoleText}}
	}
	return out
}

// wrapSpans breaks a line of spans into rows of at most w cells, each row
// styled on its own so that no colour leaks into the frame. A payload can
// be a megabyte, so styles are applied as precomputed escape sequences and
// ASCII text is cut without looking at grapheme clusters.
func wrapSpans(spans []jsonSpan, w int, inks map[config.Role]ink) []string {
	w = max(1, w)
	var rows []string
	var b strings.Builder
	used := 0
	for _, sp := range spans {
		k := inks[sp.role]
		ascii := isPlainASCII(sp.text)
		for rest := sp.text; rest != ""; {
			if used >= w {
				rows = append(rows, b.String())
				b.Reset()
				used = 0
			}
			room := w - used
			var chunk string
			if ascii {
				chunk = rest[:min(len(rest), room)]
				used += len(chunk)
			} else {
				n := 0
				for n < len(rest) {
					cluster, cw := ansi.FirstGraphemeCluster(rest[n:], ansi.GraphemeWidth)
					if cluster == "" || (cw > room && (n > 0 || used > 0)) {
						break
					}
					n += len(cluster)
					room -= cw
					used += cw
				}
				if n == 0 {
					used = w // a wide character at the end of a row: wrap
					continue
				}
				chunk = rest[:n]
			}
			b.WriteString(k.pre)
			b.WriteString(chunk)
			b.WriteString(k.post)
			rest = rest[len(chunk):]
		}
	}
	return append(rows, b.String())
}

// isPlainASCII reports whether s is printable ASCII only.
func isPlainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

// ink is a style reduced to the escape sequences around its text.
type ink struct{ pre, post string }

// inksOf precomputes every role's ink.
func inksOf(st *Styles) map[config.Role]ink {
	inks := map[config.Role]ink{}
	for _, r := range config.Roles() {
		if pre, post, ok := strings.Cut(st.For(r).Render("X"), "X"); ok {
			inks[r] = ink{pre, post}
		}
	}
	return inks
}
