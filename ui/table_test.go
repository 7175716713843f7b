package ui

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/livefeed/livefeed/config"
	"github.com/livefeed/livefeed/feed"
)

func tableQuote(seq uint64, sym string, price, pct float64, when time.Time) Item {
	return paneItem(seq, "stocks", "quote", fmt.Sprint(seq), fmt.Sprintf(`{"symbol":%q,"price":%g,"change_pct":%g}`, sym, price, pct), when)
}

func tableOf(p pane) *tablePane { return p.(*tablePane) }

// tableRowOf is a row with its cells rendered, as the next View sees it.
func tableRowOf(p pane, key string) *tableRow {
	s := tableOf(p)
	s.flush()
	return s.rows[key]
}

// tableKeys lists the row keys in display order.
func tableKeys(p pane) []string {
	var ks []string
	for _, r := range tableOf(p).sorted() {
		ks = append(ks, r.key)
	}
	return ks
}

func TestTableUpsertAndBound(t *testing.T) {
	tests := []struct {
		name        string
		items       []Item
		wantKeys    string
		wantDropped int
		wantNoKey   int
	}{
		{"new keys in first-seen order", []Item{
			tableQuote(1, "B", 1, 0, paneAt(0)), tableQuote(2, "A", 2, 0, paneAt(0)), tableQuote(3, "C", 3, 0, paneAt(0)),
		}, "B A C", 0, 0},
		{"updates keep their place", []Item{
			tableQuote(1, "B", 1, 0, paneAt(0)), tableQuote(2, "A", 2, 0, paneAt(0)), tableQuote(3, "B", 5, 0, paneAt(0)),
		}, "B A", 0, 0},
		{"max 4 evicts the least recently updated", []Item{
			tableQuote(1, "A", 1, 0, paneAt(0)), tableQuote(2, "B", 1, 0, paneAt(0)), tableQuote(3, "C", 1, 0, paneAt(0)),
			tableQuote(4, "D", 1, 0, paneAt(0)), tableQuote(5, "A", 2, 0, paneAt(0)), tableQuote(6, "E", 1, 0, paneAt(0)),
			tableQuote(7, "F", 1, 0, paneAt(0)),
		}, "A D E F", 2, 0},
		{"events without the key are counted, not shown", []Item{
			tableQuote(1, "A", 1, 0, paneAt(0)),
			paneItem(2, "stocks", "quote", "", `{"sym":"B"}`, paneAt(0)),
			paneItem(3, "stocks", "quote", "", `not json`, paneAt(0)),
			paneItem(4, "stocks", "quote", "", `{"symbol":null}`, paneAt(0)),
		}, "A", 0, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := withItems(paneTestPane(t, "prices"), tt.items)
			if got := strings.Join(tableKeys(p), " "); got != tt.wantKeys {
				t.Errorf("rows %q, want %q", got, tt.wantKeys)
			}
			if p.Len() != len(strings.Fields(tt.wantKeys)) || p.Dropped() != tt.wantDropped || tableOf(p).noKey != tt.wantNoKey {
				t.Errorf("Len %d, Dropped %d, without key %d", p.Len(), p.Dropped(), tableOf(p).noKey)
			}
		})
	}
	p := withItems(paneTestPane(t, "prices"), []Item{tableQuote(1, "A", 1, 0, paneAt(0))})
	p.Clear()
	if p.Len() != 0 || p.Dropped() != 0 {
		t.Error("Clear left rows")
	}
}

func TestTableCellsTrackTheLatestEvent(t *testing.T) {
	p := withItems(paneTestPane(t, "prices"), []Item{
		tableQuote(1, "A", 10, 1, paneAt(0)),
		tableQuote(2, "A", 11, -2, paneAt(time.Second)),
		tableQuote(3, "A", 9.5, -2, paneAt(2*time.Second)),
	})
	r := tableRowOf(p, "A")
	if r.cells[1].text != "9.50" || r.cells[2].text != "-2.00%" || r.cells[2].role != config.RoleLoss {
		t.Errorf("cells %+v", r.cells[:3])
	}
	if got := fmt.Sprint(r.cells[3].spark); got != "[10 11 9.5]" {
		t.Errorf("spark history %s", got)
	}
	if it, _ := p.Selected(); it.Seq != 3 {
		t.Errorf("the row holds its latest event, got %d", it.Seq)
	}
	for i := range 10 {
		p.Add([]Item{tableQuote(uint64(10+i), "A", float64(i), 0, paneAt(3*time.Second))})
	}
	if n := len(tableOf(p).rows["A"].cells[3].spark); n != 6 {
		t.Errorf("spark keeps the last 6 values, has %d", n)
	}
}

func TestTableFlash(t *testing.T) {
	tests := []struct {
		name     string
		from, to string
		col      int
		wantDir  int
		wantRole config.Role
	}{
		{"price up", `{"symbol":"A","price":1}`, `{"symbol":"A","price":2}`, 1, 1, config.RoleGain},
		{"price down", `{"symbol":"A","price":2}`, `{"symbol":"A","price":1.5}`, 1, -1, config.RoleLoss},
		{"number to text", `{"symbol":"A","price":2}`, `{"symbol":"A","price":"halted"}`, 1, 0, config.RoleNeutral},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Each value is rendered (a frame) before the next arrives.
			p := withItems(paneTestPane(t, "prices"), []Item{paneItem(1, "stocks", "quote", "", tt.from, paneAt(0))})
			tableRowOf(p, "A")
			p.Add([]Item{paneItem(2, "stocks", "quote", "", tt.to, paneAt(10*time.Second))})
			c := tableRowOf(p, "A").cells[tt.col]
			if c.dir != tt.wantDir || flashRole(c.dir) != tt.wantRole {
				t.Errorf("dir %d (%s), want %d (%s)", c.dir, flashRole(c.dir), tt.wantDir, tt.wantRole)
			}
			for d, want := range map[time.Duration]bool{
				9 * time.Second: false, 10 * time.Second: true, 10*time.Second + 999*time.Millisecond: true, 11 * time.Second: false,
			} {
				if got := flashing(c, paneAt(d)); got != want {
					t.Errorf("flashing at %v = %v, want %v", d, got, want)
				}
			}
			if sym := tableRowOf(p, "A").cells[0]; !sym.changed.IsZero() {
				t.Error("an unchanged cell must not flash")
			}
		})
	}
	fresh := tableRowOf(withItems(paneTestPane(t, "prices"), []Item{tableQuote(1, "A", 1, 0, paneAt(0))}), "A")
	if !fresh.cells[1].changed.IsZero() {
		t.Error("a new row does not flash")
	}
}

// Between two frames only the latest value of a row counts: the flash
// compares it with the value last rendered, whatever came in between.
func TestTableFlashComparesWithTheLastRenderedValue(t *testing.T) {
	tests := []struct {
		name    string
		between []float64 // prices arriving between the two frames
		wantDir int
		flash   bool
	}{
		{"rose then fell below", []float64{12, 9}, -1, true},
		{"fell then rose above", []float64{8, 11}, 1, true},
		{"back where it was", []float64{15, 10}, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := withItems(paneTestPane(t, "prices"), []Item{tableQuote(1, "A", 10, 0, paneAt(0))})
			tableRowOf(p, "A")
			var items []Item
			for i, price := range tt.between {
				items = append(items, tableQuote(uint64(2+i), "A", price, 0, paneAt(time.Duration(i+1)*time.Second)))
			}
			c := tableRowOf(withItems(p, items), "A").cells[1]
			if flashing(c, paneAt(2*time.Second)) != tt.flash || (tt.flash && c.dir != tt.wantDir) {
				t.Errorf("flashing %v dir %d, want %v dir %d", flashing(c, paneAt(2*time.Second)), c.dir, tt.flash, tt.wantDir)
			}
			if got, want := fmt.Sprint(c.spark), "[]"; got != want {
				t.Errorf("price column has spark %s", got)
			}
			if got, want := fmt.Sprint(tableRowOf(p, "A").cells[3].spark), fmt.Sprint(append([]float64{10}, tt.between...)); got != want {
				t.Errorf("the sparkline has %s, want every sample %s", got, want)
			}
		})
	}
}

// Rows evicted before any View never cost a render, and the list of rows
// waiting for one stays bounded when nothing is drawn.
func TestTableStaleRowsStayBounded(t *testing.T) {
	p := paneWithMax(t, "prices", 4)
	for i := range 2000 {
		p.Add([]Item{tableQuote(uint64(i+1), fmt.Sprintf("S%d", i), 1, 0, paneAt(0))})
	}
	s := tableOf(p)
	if n := len(s.stale); n > 2*len(s.rows)+64 {
		t.Errorf("%d stale rows for %d rows", n, len(s.rows))
	}
	if got := strings.Join(tableKeys(p), " "); got != "S1996 S1997 S1998 S1999" {
		t.Errorf("rows %s", got)
	}
	for _, r := range s.rows {
		if !r.rendered || r.stale {
			t.Errorf("row %s not rendered after sorting", r.key)
		}
	}
}

func TestTableSortAndSelection(t *testing.T) {
	p := withItems(paneWithMax(t, "prices", 100), []Item{
		tableQuote(1, "beta", 30, 1, paneAt(0)),
		tableQuote(2, "Alpha", 5, -1, paneAt(0)),
		tableQuote(3, "gamma", 100, 0.5, paneAt(0)),
		paneItem(4, "stocks", "quote", "", `{"symbol":"delta","price":"n/a","change_pct":0}`, paneAt(0)),
	})
	steps := []struct {
		key  string
		want string
	}{
		{"", "beta Alpha gamma delta"},  // first seen
		{"s", "Alpha beta delta gamma"}, // symbol, ignoring case
		{"S", "gamma delta beta Alpha"}, // reversed
		{"s", "Alpha beta gamma delta"}, // price ascending, numbers first
		{"s", "Alpha delta gamma beta"}, // change
		{"s", "Alpha beta gamma delta"}, // spark column: its last value
		{"s", "beta Alpha gamma delta"}, // back to first seen
		{"S", "delta gamma Alpha beta"}, // newest first
	}
	for _, st := range steps {
		if st.key != "" {
			p.Update(panePress(st.key))
		}
		if got := strings.Join(tableKeys(p), " "); got != st.want {
			t.Errorf("after %q: %s, want %s", st.key, got, st.want)
		}
	}

	sel := func() string {
		it, ok := p.Selected()
		if !ok {
			return ""
		}
		for k, r := range tableOf(p).rows {
			if r.item.Seq == it.Seq {
				return k
			}
		}
		return "?"
	}
	// Order is now delta gamma Alpha beta.
	nav := []struct {
		key, want string
	}{
		{"", "delta"}, {"down", "gamma"}, {"j", "Alpha"}, {"end", "beta"}, {"down", "beta"},
		{"home", "delta"}, {"up", "delta"}, {"pgdown", "Alpha"}, {"pgup", "delta"}, {"down", "gamma"},
	}
	p.Render(viewState{Width: 60, Height: 5, Focused: true, Now: paneAt(0)}) // a page is 2 rows
	for _, n := range nav {
		if n.key != "" {
			p.Update(panePress(n.key))
		}
		if got := sel(); got != n.want {
			t.Errorf("after %q: selected %s, want %s", n.key, got, n.want)
		}
	}
	// The selection follows its row when the order changes.
	p.Update(panePress("S"))
	if got := sel(); got != "gamma" {
		t.Errorf("after re-sorting: selected %s, want gamma", got)
	}
}

func TestTableWidthsFit(t *testing.T) {
	p := withItems(paneTestPane(t, "prices"), []Item{
		paneItem(1, "stocks", "quote", "", `{"symbol":"`+strings.Repeat("LONGNAME", 10)+`","price":123456.789,"change_pct":12.5}`, paneAt(0)),
	})
	s := tableOf(p)
	for _, avail := range []int{10, 24, 40, 200} {
		ws, gap := s.widths(avail)
		total, shown := 0, 0
		for _, w := range ws {
			if w > 0 {
				total += w
				shown++
			}
		}
		total += gap * (shown - 1)
		if shown > 1 && total > avail {
			t.Errorf("at %d cells the columns take %d (%v)", avail, total, ws)
		}
		if ws[1] != 0 && ws[1] < len("123456.79") {
			t.Errorf("at %d cells the price is cut to %d cells", avail, ws[1])
		}
		if ws[3] != 0 && (ws[3] < 5 || ws[3] > 6) {
			t.Errorf("the sparkline takes 5 to 6 cells, got %d", ws[3])
		}
		if ws[0] == 0 {
			t.Errorf("at %d cells the first column is hidden", avail)
		}
	}
	if ws, _ := s.widths(200); ws[0] < 80 || ws[1] < 10 || ws[3] != 5 { // one sample: the sparkline's least
		t.Errorf("with room every column takes at least its content's width, a sparkline its length: %v", ws)
	}
	if ws, _ := s.widths(40); ws[0] >= 80 || ws[1] != 10 { // 9 digits and the change cue
		t.Errorf("short of room the text column gives way first: %v", ws)
	}
	// Room left after hiding a column goes to the columns that were cut.
	for _, avail := range []int{24, 40} {
		ws, gap := s.widths(avail)
		used, shown := 0, 0
		for _, w := range ws {
			if w > 0 {
				used += w
				shown++
			}
		}
		// Two cells are kept for the › that says columns are hidden.
		if used += gap * (shown - 1); ws[0] < 80 && used < avail-2 {
			t.Errorf("at %d cells the first column is cut to %d while %d cells stand empty (%v)", avail, ws[0], avail-2-used, ws)
		}
	}
}

// TestTableColumnScroll: columns that do not fit are hidden from the right
// with a › on the heading and a count in the title; → and ← scroll them,
// keeping the first column (the row's name).
func TestTableColumnScroll(t *testing.T) {
	p := withItems(paneTestPane(t, "prices"), []Item{tableQuote(1, "ACME", 12.5, 1.25, paneAt(0)), tableQuote(2, "GLOBEX", 230.1, -0.8, paneAt(0))})
	vs := viewState{Width: 30, Height: 6, Focused: true, Now: paneAt(0)}
	v := ansi.Strip(p.Render(vs))
	lines := strings.Split(v, "\n")
	if !strings.Contains(lines[0], "cols hidden") && !strings.Contains(lines[0], "col hidden") {
		t.Errorf("title does not count the hidden columns: %q", lines[0])
	}
	if !strings.Contains(lines[1], "›") || strings.Contains(lines[1], "Trend") {
		t.Errorf("heading lacks the › marker: %q", lines[1])
	}
	p.Update(panePress("l"))
	p.Update(panePress("l"))
	v = ansi.Strip(p.Render(vs))
	lines = strings.Split(v, "\n")
	if !strings.Contains(lines[1], "Symbol") || !strings.Contains(lines[1], "Trend") || strings.Contains(lines[1], "Price") || !strings.Contains(lines[1], "‹") {
		t.Errorf("after → → the first column and the last ones show: %q", lines[1])
	}
	for range 5 {
		p.Update(panePress("h"))
	}
	if v := ansi.Strip(p.Render(vs)); !strings.Contains(strings.Split(v, "\n")[1], "Price") {
		t.Errorf("← scrolls back: %q", strings.Split(v, "\n")[1])
	}
}

func TestTableGoldens(t *testing.T) {
	quotes := []Item{
		tableQuote(1, "ACME", 12.5, 1.25, paneAt(0)),
		tableQuote(2, "GLOBEX", 230.1, -0.8, paneAt(time.Second)),
		tableQuote(3, "INITECH", 7.25, 0, paneAt(time.Second)),
		tableQuote(4, "ACME", 12.75, 2, paneAt(2*time.Second)),
		tableQuote(5, "ACME", 12.6, 1.6, paneAt(3*time.Second)),
		tableQuote(6, "GLOBEX", 229.4, -1.1, paneAt(3*time.Second)),
	}
	now := paneAt(3500 * time.Millisecond)
	sorted := withItems(paneTestPane(t, "prices"), quotes)
	sorted.Update(panePress("s"))
	sorted.Update(panePress("s"))
	sorted.Update(panePress("S"))
	sorted.Update(panePress("down"))
	many := paneWithMax(t, "prices", 50)
	for i := range 12 {
		many.Add([]Item{tableQuote(uint64(i+1), fmt.Sprintf("SYM%02d", i), float64(10+i), float64(i)-5, paneAt(0))})
	}
	many.Update(panePress("end"))
	dropped := withItems(paneTestPane(t, "prices"), quotes, []Item{
		tableQuote(7, "UMBRELLA", 1, 0, paneAt(3*time.Second)), tableQuote(8, "WAYNE", 2, 0, paneAt(3*time.Second)),
		paneItem(9, "stocks", "quote", "", `{"sym":"X"}`, paneAt(3*time.Second)),
	})
	tests := []struct {
		name string
		p    pane
		vs   viewState
	}{
		{"table_empty", paneTestPane(t, "prices"), viewState{Width: 50, Height: 5, Now: now}},
		{"table_basic", withItems(paneTestPane(t, "prices"), quotes), viewState{Width: 50, Height: 7, Now: now}},
		{"table_sorted_focused", sorted, viewState{Width: 50, Height: 7, Focused: true, Now: now}},
		{"table_scrolled_focused", many, viewState{Width: 50, Height: 7, Focused: true, Now: now}},
		{"table_dropped_note", dropped, viewState{Width: 70, Height: 8, Note: "paused · 2 new", Now: now}},
		{"table_dimmed", withItems(paneTestPane(t, "prices"), quotes), viewState{Width: 50, Height: 6, Dimmed: true, Note: "stale 45s", Now: now}},
		{"table_narrow", withItems(paneTestPane(t, "prices"), quotes), viewState{Width: 26, Height: 6, Now: now}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			viewGolden(t, tt.p.Render(tt.vs))
		})
	}
}

func TestTableSparkRange(t *testing.T) {
	cfg := parseConfig(t, "spark.yaml", `
feeds: { s: { url: "http://127.0.0.1:1/" } }
panes:
  - id: fixed
    type: table
    key: k
    columns: [ { title: K, path: k }, { title: Fixed, path: v, spark: 3, spark_range: [0, 100] } ]
  - id: auto
    type: table
    key: k
    columns: [ { title: K, path: k }, { title: Auto, path: v, spark: 3 } ]
`)
	for id, want := range map[string]string{"fixed": "▄▄▄", "auto": "▁▅█"} {
		p := newPane(cfg.Pane(id), NewStyles(cfg.Theme), NewKeyMap(cfg.Keys))
		for i, v := range []int{40, 41, 42} {
			p.Add([]Item{{Seq: uint64(i), Feed: "s", Time: paneT0, Event: feed.Event{Type: "message", Data: fmt.Sprintf(`{"k":"a","v":%d}`, v)}}})
		}
		view := ansi.Strip(p.Render(viewState{Width: 30, Height: 4, Now: paneT0.Add(time.Minute)}))
		if !regexp.MustCompile(`│ a +` + want + ` `).MatchString(view) {
			t.Errorf("%s range: want sparkline %s in\n%s", id, want, view)
		}
	}
}
