package ui

import (
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/livefeed/livefeed/config"
	"github.com/livefeed/livefeed/render"
)

// filterBox is the / filter every pane kind embeds: the parsed filter, and
// the input line while it is being typed. The pane decides what an item's
// text is; the syntax (see logFilter) is the same everywhere.
type filterBox struct {
	filter logFilter
	edit   bool // the filter input is open
	input  textinput.Model
	inputW int
}

func newFilterBox(st *Styles, placeholder string) filterBox {
	in := textinput.New()
	in.Prompt = "/"
	in.Placeholder = placeholder
	styles := textinput.DefaultStyles(true)
	styles.Focused.Prompt = st.Badge
	styles.Blurred.Prompt = st.Badge
	styles.Focused.Placeholder = st.Muted
	styles.Blurred.Placeholder = st.Muted
	styles.Cursor.Blink = false // no blink timer: nothing to redraw while idle
	in.SetStyles(styles)
	in.CharLimit = 256
	return filterBox{input: in}
}

// filterKey handles the keys of a pane that is not typing a filter: the
// filter key opens the input, back clears a set filter. handled is false
// for every other message; changed says the filter changed.
func (f *filterBox) filterKey(msg tea.Msg, km KeyMap) (cmd tea.Cmd, handled, changed bool) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil, false, false
	}
	switch {
	case key.Matches(k, km.Filter):
		f.edit = true
		f.input.SetValue(f.filter.raw)
		f.input.CursorEnd()
		f.sizeInput(f.inputW)
		return f.input.Focus(), true, false
	case key.Matches(k, km.Back) && !f.filter.empty():
		f.filter = parseLogFilter("")
		return nil, true, true
	}
	return nil, false, false
}

// updateInput handles the open filter input: Enter keeps the filter, Esc
// (or the back key) clears it, anything else edits it with a live
// preview. changed says the filter changed.
func (f *filterBox) updateInput(msg tea.Msg, km KeyMap) (cmd tea.Cmd, changed bool) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case k.Code == tea.KeyEnter && k.Mod == 0:
			f.edit = false
			f.input.Blur()
			return nil, f.set(f.input.Value())
		case k.Code == tea.KeyEscape, key.Matches(k, km.Back) && k.Text == "":
			f.edit = false
			f.input.Blur()
			f.input.SetValue("")
			return nil, f.set("")
		}
	}
	switch msg.(type) {
	case tea.KeyPressMsg, tea.PasteMsg:
	default:
		return nil, false // ticks and the like are not for the input
	}
	before := f.input.Value()
	f.sizeInput(f.inputW)
	f.input, cmd = f.input.Update(msg)
	if v := f.input.Value(); v != before {
		changed = f.set(v)
	}
	return cmd, changed
}

func (f *filterBox) set(text string) bool {
	next := parseLogFilter(text)
	changed := next.raw != f.filter.raw
	f.filter = next
	return changed
}

// sizeInput fits the input line to a content width.
func (f *filterBox) sizeInput(w int) {
	f.inputW = w
	f.input.SetWidth(max(1, w-ansi.StringWidth(f.input.Prompt)-1))
}

// titleSeg is the filter's segment on the pane's title line, shown (also
// on a paused pane) while a filter is set and not being typed.
func (f *filterBox) titleSeg(st *Styles) (frameSeg, bool) {
	if f.filter.empty() || f.edit {
		return frameSeg{}, false
	}
	return frameSeg{text: "filter " + render.Sanitize(f.filter.raw), style: st.For(config.RoleAccent), keep: keepFilter}, true
}

// withInput puts the input line under rows lines of body while it is open.
func (f *filterBox) withInput(body []string, rows int) []string {
	if !f.edit {
		return body
	}
	for len(body) < rows {
		body = append(body, "")
	}
	return append(body[:rows], f.input.View())
}
