package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/livefeed/livefeed/config"
)

func stepFivePanes(t *testing.T) (*config.Config, *Styles, KeyMap) {
	t.Helper()
	cfg := parseConfig(t, "step5.yaml", `
feeds:
  wiki: { url: "http://127.0.0.1:1/wiki" }
panes:
  - id: edits
    type: table
    key: wiki
    columns: [wiki, count, mixed, { title: Δ, expr: 'new - old' }, { title: L, path: count, align: left }, { title: T, path: ts, format: time }]
  - { id: raw, type: log, text: { edit: "{user} edited {title|upper}", "*": "{= $event + '!'}" } }
  - { id: plain, type: log, feed: wiki }
`)
	return cfg, NewStyles(cfg.Theme), NewKeyMap(cfg.Keys)
}

// TestAlignAutoRawNumbers: align: auto right-aligns a column whose values
// are numbers, raw or computed, not only numeric formats; a column that has
// shown text stays left.
func TestAlignAutoRawNumbers(t *testing.T) {
	cfg, st, km := stepFivePanes(t)
	p := withItems(newPane(cfg.Pane("edits"), st, km), []Item{
		paneItem(1, "wiki", "edit", "", `{"wiki":"en","count":5,"mixed":7,"old":10,"new":3,"ts":1700000000}`, paneAt(0)),
		paneItem(2, "wiki", "edit", "", `{"wiki":"de","count":12345,"mixed":"n/a","old":1,"new":2}`, paneAt(1)),
		paneItem(3, "wiki", "edit", "", `{"wiki":"fr","count":null,"mixed":1,"old":1}`, paneAt(2)),
	})
	s := tableOf(p)
	s.widths(200)
	want := []config.Align{config.AlignLeft, config.AlignRight, config.AlignLeft, config.AlignRight, config.AlignLeft, config.AlignLeft}
	for i, w := range want {
		if got := s.align(i); got != w {
			t.Errorf("column %d (%s) aligns %q, want %q", i, s.cols[i].Title, got, w)
		}
	}
}

// TestLogPaneText: a log pane shows its text: template where one matches
// the event name, and the raw payload otherwise.
func TestLogPaneText(t *testing.T) {
	cfg, st, km := stepFivePanes(t)
	items := []Item{
		paneItem(1, "wiki", "edit", "", `{"user":"ann","title":"go"}`, paneAt(0)),
		paneItem(2, "wiki", "other", "", `{"user":"bob"}`, paneAt(1)),
	}
	got := ansi.Strip(withItems(newPane(cfg.Pane("raw"), st, km), items).Render(viewState{Width: 120, Height: 6, Now: paneAt(2)}))
	for _, want := range []string{"ann edited GO", "other!"} {
		if !strings.Contains(got, want) {
			t.Errorf("log with text: lacks %q:\n%s", want, got)
		}
	}
	plain := ansi.Strip(withItems(newPane(cfg.Pane("plain"), st, km), items).Render(viewState{Width: 120, Height: 6, Now: paneAt(2)}))
	if !strings.Contains(plain, `{"user":"ann","title":"go"}`) {
		t.Errorf("log without text: should show the payload:\n%s", plain)
	}
}
