package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/livefeed/livefeed/config"
)

const tableStateYAML = `
feeds:
  masto: { url: "http://127.0.0.1:1/api/v1/streaming/public" }
  hn: { url: "http://127.0.0.1:1/v0/item/8863.json" }
  wiki: { url: "http://127.0.0.1:1/v2/stream/recentchange" }
panes:
  - id: toots
    type: table
    feed: masto
    events: [update, delete]
    key: { delete: "@this", "*": id }
    remove_on: [delete]
    expire: 10m
    columns: [id, { title: Who, path: account.acct }]
  - id: items
    type: table
    feed: hn
    events: [put, patch]
    key: path
    merge: deep
    columns:
      - { title: Title, path: data.title }
      - { title: Score, path: data.score }
      - { title: By, path: data.by }
  - id: wikis
    type: table
    feed: wiki
    key: wiki
    sort: -bytes
    columns:
      - wiki
      - { title: Edits, agg: count }
      - { title: Rate, agg: rate }
      - { title: Bytes, path: delta, agg: sum }
      - { title: Min, path: delta, agg: min }
      - { title: Max, path: delta, agg: max }
      - { title: Avg, path: delta, agg: avg }
      - { title: First, path: user, agg: first }
      - { title: Last, path: user, agg: last }
`

func stateTable(t *testing.T, id string) *tablePane {
	t.Helper()
	cfg, problems := config.Check(strings.NewReader(tableStateYAML), config.Options{Name: "state.yaml"})
	if errs := problems.Errors(); len(errs) > 0 {
		t.Fatalf("config: %v", errs)
	}
	return newPane(cfg.Pane(id), NewStyles(cfg.Theme), NewKeyMap(cfg.Keys)).(*tablePane)
}

func cellTexts(s *tablePane, key string) []string {
	s.flush()
	r := s.rows[key]
	if r == nil {
		return nil
	}
	var out []string
	for _, c := range r.cells {
		out = append(out, c.text)
	}
	return out
}

func TestTableRemoveOnWithKeyByEvent(t *testing.T) {
	s := stateTable(t, "toots")
	s.Add([]Item{
		paneItem(1, "masto", "update", "", `{"id":"109","account":{"acct":"ann"}}`, paneAt(0)),
		paneItem(2, "masto", "update", "", `{"id":"110","account":{"acct":"bob"}}`, paneAt(0)),
		// Mastodon's delete carries the bare id, not JSON: "@this" keys it.
		paneItem(3, "masto", "delete", "", `109`, paneAt(time.Second)),
		paneItem(4, "masto", "delete", "", `999`, paneAt(time.Second)), // never seen: nothing to remove
	})
	if got := strings.Join(tableKeys(s), " "); got != "110" {
		t.Errorf("rows %q, want 110 (109 deleted)", got)
	}
	if s.Dropped() != 0 || s.noKey != 0 {
		t.Errorf("a removal is neither a drop nor a missing key: dropped %d, without key %d", s.Dropped(), s.noKey)
	}
	view := ansi.Strip(s.Render(viewState{Width: 40, Height: 5, Now: paneAt(time.Second)}))
	if strings.Contains(view, "ann") || !strings.Contains(view, "bob") {
		t.Errorf("view:\n%s", view)
	}
}

func TestTableExpire(t *testing.T) {
	s := stateTable(t, "toots")
	s.Add([]Item{
		paneItem(1, "masto", "update", "", `{"id":"1"}`, paneAt(0)),
		paneItem(2, "masto", "update", "", `{"id":"2"}`, paneAt(0)),
		paneItem(3, "masto", "update", "", `{"id":"3"}`, paneAt(5*time.Minute)),
		paneItem(4, "masto", "update", "", `{"id":"1"}`, paneAt(6*time.Minute)), // updated: stays
	})
	s.Update(tickMsg(paneAt(9 * time.Minute)))
	if got := strings.Join(tableKeys(s), " "); got != "1 2 3" {
		t.Errorf("before 10m: rows %q", got)
	}
	s.Update(tickMsg(paneAt(10 * time.Minute)))
	if got := strings.Join(tableKeys(s), " "); got != "1 3" {
		t.Errorf("at 10m: rows %q, want 1 3", got)
	}
	s.Update(tickMsg(paneAt(20 * time.Minute)))
	if s.Len() != 0 || s.Dropped() != 0 {
		t.Errorf("at 20m: %d rows, %d dropped", s.Len(), s.Dropped())
	}
}

func TestTableDeepMerge(t *testing.T) {
	s := stateTable(t, "items")
	s.Add([]Item{
		paneItem(1, "hn", "put", "", `{"path":"/","data":{"by":"dhouston","score":111,"title":"My YC app: Dropbox"}}`, paneAt(0)),
	})
	s.Add([]Item{
		paneItem(2, "hn", "patch", "", `{"path":"/","data":{"score":112,"by":null}}`, paneAt(time.Second)),
	})
	if got := cellTexts(s, "/"); strings.Join(got, "|") != "My YC app: Dropbox|112|" {
		t.Errorf("cells %q: the title must survive a patch of the score, by deleted by null", got)
	}
	it, _ := s.Selected()
	if want := `{"path":"/","data":{"score":112,"title":"My YC app: Dropbox"}}`; it.Event.Data != want {
		t.Errorf("inspector payload %s, want %s", it.Event.Data, want)
	}
	// replace (the default) forgets what an update does not repeat.
	r := stateTable(t, "toots")
	r.Add([]Item{
		paneItem(1, "masto", "update", "", `{"id":"1","account":{"acct":"ann"}}`, paneAt(0)),
		paneItem(2, "masto", "update", "", `{"id":"1"}`, paneAt(0)),
	})
	if got := cellTexts(r, "1"); got[1] != "" {
		t.Errorf("replace kept %q", got[1])
	}
}

func wikiEdit(seq uint64, wiki string, delta int, user string, at time.Time) Item {
	return paneItem(seq, "wiki", "message", "", fmt.Sprintf(`{"wiki":%q,"delta":%d,"user":%q}`, wiki, delta, user), at)
}

func TestTableAggregates(t *testing.T) {
	s := stateTable(t, "wikis")
	s.Add([]Item{
		wikiEdit(1, "enwiki", 10, "a", paneAt(0)),
		wikiEdit(2, "dewiki", 500, "x", paneAt(0)),
		wikiEdit(3, "enwiki", -4, "b", paneAt(30*time.Second)),
		wikiEdit(4, "enwiki", 3, "c", paneAt(70*time.Second)),
		paneItem(5, "wiki", "message", "", `{"wiki":"enwiki","user":"d"}`, paneAt(80*time.Second)), // no delta
	})
	// Edits, rate as of the last event, Σ, min, max, avg, first, last.
	want := "enwiki|4|3/min|9|-4|10|3|a|d"
	if got := strings.Join(cellTexts(s, "enwiki"), "|"); got != want {
		t.Errorf("enwiki = %s, want %s", got, want)
	}
	// The rate is drawn as of now: a minute after the last edit it is 0.
	view := ansi.Strip(s.Render(viewState{Width: 80, Height: 6, Now: paneAt(141 * time.Second)}))
	if !strings.Contains(view, "0/min") || strings.Contains(view, "3/min") {
		t.Errorf("rate not decayed:\n%s", view)
	}
	// sort: -bytes is a payload path, not a column: rows by bytes, descending.
	if !strings.Contains(view, "by bytes ▼") {
		t.Errorf("the title should say how rows are ordered:\n%s", view)
	}
	for _, tc := range []struct {
		sortCol int
		desc    bool
		want    string
	}{
		{1, true, "enwiki dewiki"},   // edits, most first
		{3, true, "dewiki enwiki"},   // Σ bytes
		{-1, false, "enwiki dewiki"}, // first seen
	} {
		s.sortCol, s.desc, s.dirty = tc.sortCol, tc.desc, true
		if got := strings.Join(tableKeys(s), " "); got != tc.want {
			t.Errorf("sort %d desc %v: %q, want %q", tc.sortCol, tc.desc, got, tc.want)
		}
	}
	// Aggregates are numbers: right-aligned under align: auto.
	if s.align(1) != config.AlignRight || s.align(7) != config.AlignLeft {
		t.Errorf("align count %q, first %q", s.align(1), s.align(7))
	}
}

func TestTableSortByPathCycle(t *testing.T) {
	s := stateTable(t, "wikis")
	s.Add([]Item{
		paneItem(1, "wiki", "message", "", `{"wiki":"a","bytes":5}`, paneAt(0)),
		paneItem(2, "wiki", "message", "", `{"wiki":"b","bytes":50}`, paneAt(0)),
		paneItem(3, "wiki", "message", "", `{"wiki":"c","bytes":"7"}`, paneAt(0)),
	})
	if got := strings.Join(tableKeys(s), " "); got != "b c a" {
		t.Errorf("sort: -bytes gives %q, want b c a", got)
	}
	var seen []int
	for range len(s.cols) + 2 {
		s.Update(panePress("s"))
		seen = append(seen, s.sortCol)
	}
	if fmt.Sprint(seen) != "[-1 0 1 2 3 4 5 6 7 8 -2]" {
		t.Errorf("s cycles through %v", seen)
	}
}

// BenchmarkTableStateAdd measures batches of 100 events into tables with
// row state, beside the same table without it: deep merging costs a merge
// per event, aggregates a fold per column.
func BenchmarkTableStateAdd(b *testing.B) {
	items := make([]Item, 3000)
	for i := range items {
		items[i] = paneItem(uint64(i), "wiki", "message", "", fmt.Sprintf(`{"wiki":"wiki%d","delta":%d,"user":"u%d","bytes":%d}`, i%300, i%97-40, i%13, i), paneAt(time.Duration(i)*time.Millisecond))
	}
	for _, tc := range []struct{ name, extra string }{
		{"plain", ""},
		{"aggregates", "\n      - { title: N, agg: count }\n      - { title: R, agg: rate }\n      - { title: S, path: delta, agg: sum }\n      - { title: A, path: delta, agg: avg }"},
		{"deep-merge", "\n    merge: deep"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			src := "feeds: { wiki: { url: \"http://127.0.0.1:1/\" } }\npanes:\n  - id: t\n    type: table\n    key: wiki\n    columns:\n      - wiki\n      - delta\n      - user"
			if strings.HasPrefix(tc.extra, "\n      -") {
				src += tc.extra
			} else {
				src = strings.Replace(src, "    key: wiki", "    key: wiki"+tc.extra, 1)
			}
			cfg, problems := config.Check(strings.NewReader(src), config.Options{Name: "bench.yaml"})
			if errs := problems.Errors(); len(errs) > 0 {
				b.Fatal(errs)
			}
			p := newPane(cfg.Pane("t"), NewStyles(cfg.Theme), NewKeyMap(cfg.Keys))
			p.Add(items)
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				off := (i * 100) % (len(items) - 100)
				p.Add(items[off : off+100])
			}
		})
	}
}

func TestTableKeyRulesWithoutDefault(t *testing.T) {
	cfg, problems := config.Check(strings.NewReader(`
feeds: { a: { url: "http://127.0.0.1:1/" } }
panes:
  - id: t
    type: table
    key: { "user.*": login, "repo.*": full_name }
    remove_on: ["*.deleted"]
    columns: [login, full_name]
`), config.Options{Name: "rules.yaml"})
	if errs := problems.Errors(); len(errs) > 0 {
		t.Fatal(errs)
	}
	s := newPane(cfg.Pane("t"), NewStyles(cfg.Theme), NewKeyMap(cfg.Keys)).(*tablePane)
	s.Add([]Item{
		paneItem(1, "a", "user.created", "", `{"login":"ann"}`, paneAt(0)),
		paneItem(2, "a", "repo.created", "", `{"full_name":"ann/x","login":"ann"}`, paneAt(0)),
		paneItem(3, "a", "other", "", `{"login":"bob"}`, paneAt(0)), // no rule, no "*": no key
		paneItem(4, "a", "user.deleted", "", `{"login":"ann"}`, paneAt(0)),
	})
	if got := strings.Join(tableKeys(s), " "); got != "ann/x" || s.noKey != 1 {
		t.Errorf("rows %q, without key %d", got, s.noKey)
	}
	if v := ansi.Strip(s.Render(viewState{Width: 60, Height: 5, Now: paneAt(0)})); !strings.Contains(v, "1 without key") {
		t.Errorf("view:\n%s", v)
	}
}

func TestTableStateGolden(t *testing.T) {
	s := stateTable(t, "wikis")
	s.Add([]Item{
		wikiEdit(1, "enwiki", 130, "Gopherette", paneAt(0)),
		wikiEdit(2, "dewiki", -4, "Spreeblick", paneAt(10*time.Second)),
		wikiEdit(3, "enwiki", 1500, "Streamer", paneAt(20*time.Second)),
		wikiEdit(4, "enwiki", -50, "Gopherette", paneAt(30*time.Second)),
	})
	viewGolden(t, s.Render(viewState{Width: 100, Height: 6, Focused: true, Now: paneAt(40 * time.Second)}))
}
