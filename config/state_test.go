package config

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestTableStateKeys(t *testing.T) {
	cfg := parseOK(t, `
feeds:
  masto: { url: "http://127.0.0.1:9/api/v1/streaming/public" }
panes:
  - id: toots
    type: table
    events: [update, delete, status.update]
    key: { delete: "@this", "*": id }
    remove_on: [delete]
    merge: deep
    sort: -created_at
    expire: 10m
    columns:
      - { title: Who, path: account.acct }
      - { title: Edits, agg: count }
      - { title: Per min, agg: rate }
      - { title: Bytes, path: size, agg: sum }
  - id: answer
    type: text
    path: choices.0.delta.content
    reset_on: [message_start]
`, nil)
	p := cfg.Panes[0]
	if p.Key != "id" || !reflect.DeepEqual(p.KeyRules, []KeyRule{{Event: "delete", Path: "@this", Pos: p.KeyRules[0].Pos}}) {
		t.Errorf("key = %q, rules %+v", p.Key, p.KeyRules)
	}
	if !reflect.DeepEqual(p.RemoveOn, []string{"delete"}) || p.Merge != MergeDeep || p.Sort != "created_at" || !p.SortDesc || p.Expire != 10*time.Minute {
		t.Errorf("state = remove_on %v merge %q sort %q desc %v expire %v", p.RemoveOn, p.Merge, p.Sort, p.SortDesc, p.Expire)
	}
	var aggs []Agg
	var titles []string
	for _, c := range p.Columns {
		aggs, titles = append(aggs, c.Agg), append(titles, c.Title)
	}
	if !reflect.DeepEqual(aggs, []Agg{AggNone, AggCount, AggRate, AggSum}) {
		t.Errorf("aggs = %q", aggs)
	}
	if !p.Columns[2].RightAligned() || p.Columns[0].RightAligned() {
		t.Errorf("aggregates of numbers right-align under align: auto")
	}
	if p.SortColumn() != -1 {
		t.Errorf("sort by a payload path names no column, got %d", p.SortColumn())
	}
	tp := cfg.Panes[1]
	if tp.Type != Text || tp.Path != "choices.0.delta.content" || !reflect.DeepEqual(tp.ResetOn, []string{"message_start"}) || tp.Max != DefaultTextMax {
		t.Errorf("text pane = %+v", tp)
	}
}

func TestTableStateSortNamesColumn(t *testing.T) {
	cfg := parseOK(t, `
feeds: { wiki: { url: "http://127.0.0.1:9/v2/stream/recentchange" } }
panes:
  - id: wikis
    type: table
    key: wiki
    sort: -Edits
    columns: [wiki, { title: Edits, agg: count }]
`, nil)
	if p := cfg.Panes[0]; p.SortColumn() != 1 || !p.SortDesc || p.Columns[1].Title != "Edits" {
		t.Errorf("sort column = %d desc %v", p.SortColumn(), p.SortDesc)
	}
}

func TestTableStateErrors(t *testing.T) {
	for _, tc := range []struct{ name, pane, want string }{
		{"unknown merge", "type: table\n    key: id\n    merge: shallow\n    columns: [id]", `merge of pane "p" must be replace or deep, got "shallow"`},
		{"merge typo", "type: table\n    key: id\n    merge: dep\n    columns: [id]", `(did you mean "deep"?)`},
		{"bad key glob", "type: table\n    key: { \"[\": id }\n    columns: [id]", `event pattern "[" in key of pane "p": malformed glob`},
		{"bad key path", "type: table\n    key: { delete: \"a..b\" }\n    columns: [id]", `key for "delete" in pane "p"`},
		{"key list", "type: table\n    key: [a, b]\n    columns: [id]", `key of pane "p" must be a path or a mapping from event name to path`},
		{"remove_on not taken", "type: table\n    events: [update]\n    key: id\n    remove_on: [delete]\n    columns: [id]", `remove_on of pane "p" names event "delete", which its events: do not take`},
		{"remove_on on list", "type: list\n    remove_on: [delete]", `"remove_on" is only for table panes`},
		{"negative expire", "type: table\n    key: id\n    expire: -1s\n    columns: [id]", `expire of pane "p"`},
		{"empty sort", "type: table\n    key: id\n    sort: \"-\"\n    columns: [id]", `sort of pane "p" names no column or path`},
		{"unknown agg", "type: table\n    key: id\n    columns: [{ path: n, agg: median }]", `agg of column 1 of pane "p" must be`},
		{"agg and spark", "type: table\n    key: id\n    columns: [{ path: n, agg: sum, spark: 10 }]", `has both agg and spark`},
		{"sum needs path", "type: table\n    key: id\n    columns: [{ title: S, agg: sum }]", `column 1 of pane "p" has no path`},
		{"text pane without path", "type: text", `pane "p" is a text pane but has no path`},
		{"reset_on not taken", "type: text\n    path: d\n    events: [delta]\n    reset_on: [start]", `reset_on of pane "p" names event "start", which its events: do not take`},
		{"text on text pane", "type: text\n    path: d\n    text: \"{x}\"", `"text" is only for ticker, list, log panes`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := "feeds: { a: { url: \"http://127.0.0.1:9/\" } }\npanes:\n  - id: p\n    " + tc.pane + "\n"
			_, problems := Check(strings.NewReader(src), Options{Name: "test.yaml"})
			got := pretty(problems.Errors())
			if !strings.Contains(got, tc.want) {
				t.Errorf("errors do not mention %q:\n%s", tc.want, got)
			}
		})
	}
}

func TestExplainRowState(t *testing.T) {
	cfg := parseOK(t, `
feeds:
  masto: { url: "http://127.0.0.1:9/api/v1/streaming/public" }
  claude: { url: "http://127.0.0.1:9/v1/messages" }
panes:
  - id: toots
    type: table
    feed: masto
    events: [update, delete]
    key: { delete: "@this", "*": id }
    remove_on: [delete]
    columns: [id]
  - id: answer
    type: text
    feed: claude
    events: [message_start, content_block_delta]
    path: delta.text
    reset_on: [message_start]
`, nil)
	var sb strings.Builder
	if err := Explain(&sb, cfg); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"update               → toots (table)\n",
		"delete               → toots (table, removes the row with its key)\n",
		"message_start        → answer (text, starts a new transcript)\n",
		"content_block_delta  → answer (text)\n",
	} {
		if !strings.Contains(sb.String(), want) {
			t.Errorf("explain lacks %q:\n%s", want, sb.String())
		}
	}
}
