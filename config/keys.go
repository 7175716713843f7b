package config

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Action is something a key can do in the TUI.
type Action string

// The bindable actions.
const (
	ActQuit         Action = "quit"
	ActHelp         Action = "help"
	ActNextPane     Action = "next_pane"
	ActPrevPane     Action = "prev_pane"
	ActUp           Action = "up"
	ActDown         Action = "down"
	ActPageUp       Action = "page_up"
	ActPageDown     Action = "page_down"
	ActTop          Action = "top"
	ActBottom       Action = "bottom"
	ActInspect      Action = "inspect"
	ActInspectFeed  Action = "inspect_feed"
	ActBack         Action = "back"
	ActFilter       Action = "filter"
	ActPause        Action = "pause"
	ActZoom         Action = "zoom"
	ActClear        Action = "clear"
	ActReconnect    Action = "reconnect"
	ActReconnectAll Action = "reconnect_all"
	ActSort         Action = "sort"
	ActSortReverse  Action = "sort_reverse"
	ActExport       Action = "export"
	ActCopy         Action = "copy"
	ActCopyCurl     Action = "copy_curl"
	ActReplayPause  Action = "replay_pause"
	ActReplayStep   Action = "replay_step"
	ActReplayFaster Action = "replay_faster"
	ActReplaySlower Action = "replay_slower"
	ActNextPage     Action = "next_page"
	ActPrevPage     Action = "prev_page"
	ActLeft         Action = "left"
	ActRight        Action = "right"
	ActWrap         Action = "wrap"
	ActConnections  Action = "connections"
)

// MaxPageKeys is how many pages have a key of their own (page_1 … page_9).
const MaxPageKeys = 9

// ActPage is the action that shows page n (1-based, up to MaxPageKeys).
func ActPage(n int) Action { return Action(fmt.Sprintf("page_%d", n)) }

// ReservedQuitKey always quits, whatever the bindings say, so that a
// configuration can never lock the user in.
const ReservedQuitKey = "ctrl+c"

type actionInfo struct {
	action Action
	keys   []string
	doc    string
}

func actionTable() []actionInfo {
	t := []actionInfo{
		{ActQuit, []string{"q"}, "quit livefeed (ctrl+c always quits too)"},
		{ActHelp, []string{"?"}, "show the key help"},
		{ActNextPane, []string{"tab"}, "focus the next pane"},
		{ActPrevPane, []string{"shift+tab"}, "focus the previous pane"},
		{ActUp, []string{"up", "k"}, "move the selection up"},
		{ActDown, []string{"down", "j"}, "move the selection down"},
		{ActPageUp, []string{"pgup", "ctrl+u"}, "scroll a page up"},
		{ActPageDown, []string{"pgdown", "ctrl+d"}, "scroll a page down"},
		{ActTop, []string{"home", "g"}, "jump to the newest / first item"},
		{ActBottom, []string{"end", "G"}, "jump to the oldest / last item"},
		{ActInspect, []string{"enter"}, "show the selected event's full payload"},
		{ActInspectFeed, []string{"i"}, "show the focused pane's feeds: request, state and the server's last error response"},
		{ActBack, []string{"esc"}, "close the inspector, help or filter"},
		{ActFilter, []string{"/"}, "filter the focused pane"},
		{ActPause, []string{"p", "space"}, "pause / resume the focused pane's updates"},
		{ActZoom, []string{"z"}, "zoom the focused pane to full screen and back"},
		{ActClear, []string{"c"}, "clear the focused pane"},
		{ActReconnect, []string{"r"}, "reconnect the focused pane's feeds now"},
		{ActReconnectAll, []string{"R"}, "reconnect every feed now"},
		{ActSort, []string{"s"}, "sort the focused table by the next column"},
		{ActSortReverse, []string{"S"}, "reverse the focused table's sort order"},
		{ActExport, []string{"e"}, "export the focused pane to a file (NDJSON capture, CSV for a table)"},
		{ActCopy, []string{"y"}, "copy the selected event's data (pretty JSON when it is JSON), or a text pane's transcript, to the clipboard (OSC 52)"},
		{ActCopyCurl, []string{"Y"}, "copy a curl command that makes the selected event's feed request"},
		{ActReplayPause, []string{"P"}, "pause / resume a replay (livefeed replay --tui)"},
		{ActReplayStep, []string{"."}, "replay the next event, paused (livefeed replay --tui)"},
		{ActReplayFaster, []string{">"}, "replay twice as fast (livefeed replay --tui)"},
		{ActReplaySlower, []string{"<"}, "replay half as fast (livefeed replay --tui)"},
		{ActNextPage, []string{"]"}, "show the next page"},
		{ActPrevPage, []string{"["}, "show the previous page"},
		{ActLeft, []string{"left", "h"}, "scroll a log's lines or a table's columns left"},
		{ActRight, []string{"right", "l"}, "scroll a log's lines or a table's columns right"},
		{ActWrap, []string{"w"}, "wrap the selected log line, or unwrap it"},
		{ActConnections, []string{"f"}, "show every feed's connection: response, retry, attempts, timing"},
	}
	for n := 1; n <= MaxPageKeys; n++ {
		t = append(t, actionInfo{ActPage(n), []string{strconv.Itoa(n)}, fmt.Sprintf("show page %d", n)})
	}
	return t
}

// Actions lists every bindable action.
func Actions() []Action {
	t := actionTable()
	as := make([]Action, len(t))
	for i, a := range t {
		as[i] = a.action
	}
	return as
}

// Keys maps each action to the keys that trigger it, in bubbletea's
// key.String() spelling ("q", "G", "ctrl+u", "shift+tab", "space"). An
// action with no keys is unbound.
type Keys map[Action][]string

// DefaultKeys returns the built-in bindings.
func DefaultKeys() Keys {
	k := Keys{}
	for _, a := range actionTable() {
		k[a.action] = slices.Clone(a.keys)
	}
	return k
}

// ByKey inverts the bindings for per-keypress lookup; ReservedQuitKey maps to
// ActQuit even when no binding names it.
func (k Keys) ByKey() map[string]Action {
	m := map[string]Action{ReservedQuitKey: ActQuit}
	for _, a := range Actions() {
		for _, key := range k[a] {
			m[key] = a
		}
	}
	return m
}

func keyModifiers() []string { return []string{"ctrl", "alt", "shift", "meta", "hyper", "super"} }

func specialKeys() []string {
	names := []string{"enter", "tab", "backspace", "esc", "space", "up", "down", "left", "right",
		"begin", "find", "insert", "delete", "select", "pgup", "pgdown", "home", "end",
		"capslock", "scrolllock", "numlock", "printscreen", "pause", "menu"}
	for i := 1; i <= 24; i++ {
		names = append(names, "f"+strconv.Itoa(i))
	}
	return names
}

// NormalizeKey checks a key name and returns bubbletea's spelling of it:
// modifiers lower-cased and ordered ctrl, alt, shift, meta, hyper, super;
// aliases like escape, return, pageup and backtab resolved; "shift+a" as "A".
func NormalizeKey(s string) (string, error) {
	orig := s
	if s == "" {
		return "", fmt.Errorf("empty key name")
	}
	if s == " " {
		return "space", nil
	}
	s = strings.TrimSpace(s)
	var parts []string
	switch {
	case s == "+":
		parts = []string{"+"}
	case strings.HasSuffix(s, "++"):
		parts = append(strings.Split(strings.TrimSuffix(s, "++"), "+"), "+")
	default:
		parts = strings.Split(s, "+")
	}
	base := parts[len(parts)-1]
	mods := map[string]bool{}
	for _, m := range parts[:len(parts)-1] {
		m = strings.ToLower(strings.TrimSpace(m))
		switch m {
		case "control":
			m = "ctrl"
		case "option", "opt":
			m = "alt"
		case "cmd", "command", "win":
			m = "super"
		}
		if !slices.Contains(keyModifiers(), m) {
			return "", fmt.Errorf("key %q: unknown modifier %q (want ctrl, alt, shift, meta, hyper or super)", orig, m)
		}
		if mods[m] {
			return "", fmt.Errorf("key %q: modifier %q given twice", orig, m)
		}
		mods[m] = true
	}
	if base == "" {
		return "", fmt.Errorf("key %q: missing the key after the modifiers", orig)
	}
	if utf8.RuneCountInString(base) == 1 {
		r, _ := utf8.DecodeRuneInString(base)
		if !unicode.IsPrint(r) || r == ' ' {
			if r == ' ' {
				base = "space"
			} else {
				return "", fmt.Errorf("key %q: not a printable character", orig)
			}
		}
		if unicode.IsUpper(r) && len(mods) > 0 {
			// bubbletea reports ctrl+shift+a, never ctrl+A.
			mods["shift"] = true
			base = string(unicode.ToLower(r))
		}
		if mods["shift"] && len(mods) == 1 && unicode.IsLetter(r) {
			// A shifted letter arrives as its upper-case text.
			return string(unicode.ToUpper(r)), nil
		}
		if mods["shift"] && len(mods) == 1 && base != "space" {
			return "", fmt.Errorf("key %q: write the character shift produces instead (e.g. \"!\" rather than \"shift+1\")", orig)
		}
	} else {
		b := strings.ToLower(base)
		aliases := map[string]string{
			"escape": "esc", "return": "enter", "pageup": "pgup", "page_up": "pgup", "page-up": "pgup",
			"pagedown": "pgdown", "page_down": "pgdown", "page-down": "pgdown", "del": "delete",
			"ins": "insert", "bs": "backspace", "spacebar": "space", "arrowup": "up", "arrowdown": "down",
			"arrowleft": "left", "arrowright": "right",
		}
		if a, ok := aliases[b]; ok {
			b = a
		}
		if b == "backtab" {
			b = "tab"
			mods["shift"] = true
		}
		if !slices.Contains(specialKeys(), b) {
			return "", fmt.Errorf("key %q: unknown key name %q (want one character, or one of enter, tab, esc, space, up, down, left, right, pgup, pgdown, home, end, delete, backspace, f1…f24, with optional ctrl+, alt+, shift+)", orig, base)
		}
		base = b
	}
	var out strings.Builder
	for _, m := range keyModifiers() {
		if mods[m] {
			out.WriteString(m + "+")
		}
	}
	out.WriteString(base)
	return out.String(), nil
}
