package ui

import (
	"fmt"

	"charm.land/bubbles/v2/key"

	"github.com/livefeed/livefeed/config"
)

// KeyMap holds every binding the TUI understands, built from the config so
// that remapped and unbound keys show up correctly in the help.
type KeyMap struct {
	Quit, Help, NextPane, PrevPane             key.Binding
	Up, Down, PageUp, PageDown, Top, Bottom    key.Binding
	Inspect, InspectFeed, Back, Filter, Pause  key.Binding
	Zoom, Clear, Connections                   key.Binding
	Reconnect, ReconnectAll, Sort, SortReverse key.Binding
	Left, Right, Wrap                          key.Binding
	Export, Copy, CopyCurl                     key.Binding
	NextPage, PrevPage                         key.Binding
	// Page[i] shows page i+1; GotoPage is all of them, for the help.
	Page     [config.MaxPageKeys]key.Binding
	GotoPage key.Binding
	// The replay keys work only in livefeed replay --tui; elsewhere they
	// are disabled (see Model.keyMap), so they neither match nor show.
	ReplayPause, ReplayStep, ReplayFaster, ReplaySlower key.Binding
	ForceQuit                                           key.Binding // ctrl+c, whatever the config says
}

// NewKeyMap turns the config's bindings into key.Bindings with help text.
func NewKeyMap(k config.Keys) KeyMap {
	b := func(a config.Action, help string) key.Binding {
		keys := k[a]
		if len(keys) == 0 {
			return key.NewBinding(key.WithDisabled())
		}
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(helpKeys(keys), help))
	}
	km := KeyMap{
		Quit:         b(config.ActQuit, "quit"),
		Help:         b(config.ActHelp, "help"),
		NextPane:     b(config.ActNextPane, "next pane"),
		PrevPane:     b(config.ActPrevPane, "prev pane"),
		Up:           b(config.ActUp, "up"),
		Down:         b(config.ActDown, "down"),
		PageUp:       b(config.ActPageUp, "page up"),
		PageDown:     b(config.ActPageDown, "page down"),
		Top:          b(config.ActTop, "top"),
		Bottom:       b(config.ActBottom, "bottom"),
		Inspect:      b(config.ActInspect, "inspect"),
		InspectFeed:  b(config.ActInspectFeed, "inspect feed"),
		Back:         b(config.ActBack, "back"),
		Filter:       b(config.ActFilter, "filter"),
		Pause:        b(config.ActPause, "pause"),
		Zoom:         b(config.ActZoom, "zoom"),
		Clear:        b(config.ActClear, "clear"),
		Reconnect:    b(config.ActReconnect, "reconnect feed"),
		ReconnectAll: b(config.ActReconnectAll, "reconnect all"),
		Sort:         b(config.ActSort, "sort column"),
		SortReverse:  b(config.ActSortReverse, "reverse sort"),
		Left:         b(config.ActLeft, "scroll left"),
		Right:        b(config.ActRight, "scroll right"),
		Wrap:         b(config.ActWrap, "wrap line"),
		Export:       b(config.ActExport, "export pane"),
		Copy:         b(config.ActCopy, "copy data"),
		CopyCurl:     b(config.ActCopyCurl, "copy as curl"),
		ReplayPause:  b(config.ActReplayPause, "pause replay"),
		ReplayStep:   b(config.ActReplayStep, "step replay"),
		ReplayFaster: b(config.ActReplayFaster, "replay faster"),
		ReplaySlower: b(config.ActReplaySlower, "replay slower"),
		NextPage:     b(config.ActNextPage, "next page"),
		PrevPage:     b(config.ActPrevPage, "prev page"),
		Connections:  b(config.ActConnections, "connections"),
		ForceQuit:    key.NewBinding(key.WithKeys(config.ReservedQuitKey), key.WithHelp(config.ReservedQuitKey, "quit")),
	}
	var all, first []string
	for i := range km.Page {
		km.Page[i] = b(config.ActPage(i+1), fmt.Sprintf("page %d", i+1))
		all = append(all, k[config.ActPage(i+1)]...)
		if ks := k[config.ActPage(i+1)]; len(ks) > 0 {
			first = append(first, ks[0])
		}
	}
	km.GotoPage = key.NewBinding(key.WithDisabled())
	if len(all) > 0 {
		label := first[0]
		if len(first) > 1 {
			label += "…" + first[len(first)-1]
		}
		km.GotoPage = key.NewBinding(key.WithKeys(all...), key.WithHelp(label, "go to page"))
	}
	return km
}

// helpKeys shows up to two keys of a binding, as "↑/k".
func helpKeys(keys []string) string {
	names := map[string]string{"up": "↑", "down": "↓", "left": "←", "right": "→", "enter": "⏎", "space": "␣"}
	s := ""
	for i, k := range keys {
		if i == 2 {
			break
		}
		if n, ok := names[k]; ok {
			k = n
		}
		if i > 0 {
			s += "/"
		}
		s += k
	}
	return s
}

// ShortHelp is the one-line help in the status bar (help.KeyMap).
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.NextPane, k.Inspect, k.Filter, k.Pause, k.Zoom, k.Reconnect, k.Help, k.Quit}
}

// FullHelp is the help screen's columns (help.KeyMap).
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.NextPane, k.PrevPane, k.Zoom, k.Help, k.Quit},
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
		{k.Inspect, k.InspectFeed, k.Back, k.Filter, k.Wrap, k.Sort, k.SortReverse, k.Left, k.Right},
		{k.Pause, k.Clear, k.Reconnect, k.ReconnectAll, k.Export, k.Copy, k.CopyCurl, k.Connections},
		{k.GotoPage, k.NextPage, k.PrevPage},
		{k.ReplayPause, k.ReplayStep, k.ReplayFaster, k.ReplaySlower},
	}
}
