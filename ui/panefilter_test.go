package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestFilterInEveryPane: / works the same in every pane kind: it captures
// typing, Enter keeps the filter and the title says so, Esc clears it.
func TestFilterInEveryPane(t *testing.T) {
	headline := func(seq uint64, src, title string) Item {
		return paneItem(seq, "news", "headline", "", `{"source":"`+src+`","title":"`+title+`"}`, paneAt(0))
	}
	tests := []struct {
		pane, query string
		items       []Item
		want, gone  []string
	}{
		{"heads", "harbour", []Item{headline(1, "Desk", "Harbour bridge opens"), headline(2, "Wire", "Rates unchanged")},
			[]string{"Harbour bridge"}, []string{"Rates"}},
		{"heads", "-rates feed:news", []Item{headline(1, "Desk", "Harbour bridge opens"), headline(2, "Wire", "Rates unchanged")},
			[]string{"Harbour bridge"}, []string{"Rates"}},
		{"prices", "symbol:GLO*", []Item{tableQuote(1, "ACME", 12.6, 1.6, paneAt(0)), tableQuote(2, "GLOBEX", 229.4, -1.1, paneAt(0))},
			[]string{"GLOBEX", "1 of 2 rows"}, []string{"ACME"}},
		{"prices", "-acme", []Item{tableQuote(1, "ACME", 12.6, 1.6, paneAt(0)), tableQuote(2, "GLOBEX", 229.4, -1.1, paneAt(0))},
			[]string{"GLOBEX"}, []string{"ACME"}},
		{"prices", "price:229", []Item{tableQuote(1, "ACME", 12.6, 1.6, paneAt(0)), tableQuote(2, "GLOBEX", 229.4, -1.1, paneAt(0))},
			[]string{"GLOBEX"}, []string{"ACME"}},
		{"alerts", "disk", []Item{listNote(1, "disk full", "error", paneAt(0)), listNote(2, "cpu hot", "warning", paneAt(0))},
			[]string{"disk full", "1 of 2 items"}, []string{"cpu hot"}},
		{"alerts", "type:notification -cpu", []Item{listNote(1, "disk full", "error", paneAt(0)), listNote(2, "cpu hot", "warning", paneAt(0))},
			[]string{"disk full"}, []string{"cpu hot"}},
		{"raw", "feed:sto*", []Item{paneItem(1, "stocks", "tick", "", `{"a":1}`, paneAt(0)), paneItem(2, "news", "tick", "", `{"b":2}`, paneAt(0))},
			[]string{`{"a":1}`}, []string{`{"b":2}`}},
	}
	for _, tt := range tests {
		t.Run(tt.pane+" "+tt.query, func(t *testing.T) {
			p := withItems(paneTestPane(t, tt.pane), tt.items)
			vs := viewState{Width: 70, Height: 8, Focused: true, Now: paneAt(0)}
			p.Render(vs)
			p.Update(panePress("/"))
			if !p.Capturing() {
				t.Fatal("/ does not open the filter")
			}
			p = paneType(p, tt.query)
			p.Update(panePress("enter"))
			if p.Capturing() {
				t.Fatal("enter does not close the input")
			}
			v := ansi.Strip(p.Render(vs))
			title := strings.SplitN(v, "\n", 2)[0]
			if !strings.Contains(title, "filter") {
				t.Errorf("the title does not show the filter: %q", title)
			}
			for _, w := range tt.want {
				if !strings.Contains(v, w) {
					t.Errorf("filtered view lacks %q:\n%s", w, v)
				}
			}
			for _, g := range tt.gone {
				if strings.Contains(v, g) {
					t.Errorf("filtered view still shows %q:\n%s", g, v)
				}
			}
			p.Update(panePress("esc"))
			v = ansi.Strip(p.Render(vs))
			for _, g := range tt.gone {
				if !strings.Contains(v, g) {
					t.Errorf("esc should clear the filter, %q is missing:\n%s", g, v)
				}
			}
		})
	}
}

// TestFilterThroughTheModel: in the dashboard, / on a focused table takes
// every key (q does not quit), Enter applies, and the title says so.
func TestFilterThroughTheModel(t *testing.T) {
	m := newTestModel(t, demoConfig(t), 120, 36)
	m.Update(demoBatches())
	for focusedID(m) != "prices" {
		m.Update(press("tab"))
	}
	m.Update(press("/"))
	for _, k := range []string{"s", "y", "m", "b", "o", "l", ":", "n", "v", "d", "q"} {
		if _, cmd := m.Update(press(k)); isQuit(cmd) {
			t.Fatal("q quit while typing a filter")
		}
	}
	m.Update(press("enter"))
	s := screen(m)
	title := lineWith(t, s, "Stocks")
	if !strings.Contains(title, "filter symbol:nvdq") || !strings.Contains(s, "no rows match the filter") {
		t.Errorf("filter symbol:nvdq should match nothing and say so:\n%s", s)
	}
	m.Update(press("esc"))
	m.Update(press("/"))
	for _, k := range "symbol:nv" {
		m.Update(press(string(k)))
	}
	m.Update(press("enter"))
	s = screen(m)
	if !strings.Contains(s, "NVDA") || strings.Contains(s, "AAPL") || !strings.Contains(lineWith(t, s, "Stocks"), "1 of 3 rows") {
		t.Errorf("symbol:nv should keep NVDA only:\n%s", s)
	}
}
