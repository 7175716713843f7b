package config

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/livefeed/livefeed/render"
)

const diffBase = `
feeds:
  stocks: { url: "http://127.0.0.1:1/stocks", headers: { X-A: "1" } }
  news: { url: "http://127.0.0.1:1/news" }
panes:
  - id: prices
    type: table
    feed: stocks
    events: [quote]
    key: symbol
    columns: [{ title: P, path: price, format: "%.2f", color: sign }]
  - { id: heads, type: ticker, feed: news, text: "{title}" }
  - { id: raw, type: log }
layout: [[prices, heads], [raw]]
`

func mustParse(t *testing.T, src string) *Config {
	t.Helper()
	cfg, problems := Check(strings.NewReader(src), Options{Name: "diff.yaml"})
	if errs := problems.Errors(); len(errs) > 0 {
		t.Fatalf("%s", pretty(errs))
	}
	return cfg
}

func TestDiff(t *testing.T) {
	old := mustParse(t, diffBase)
	tests := []struct {
		name string
		edit func(string) string
		want Changes
	}{
		{"identical", func(s string) string { return s }, Changes{}},
		{"moved and commented", func(s string) string {
			return "# a comment\n\n" + strings.ReplaceAll(s, "  - { id: raw", "\n  - { id: raw")
		}, Changes{}},
		{"header", func(s string) string { return strings.Replace(s, `X-A: "1"`, `X-A: "2"`, 1) }, Changes{FeedsChanged: []string{"stocks"}}},
		{"drop", func(s string) string {
			return strings.Replace(s, `X-A: "1" } }`, `X-A: "1" }, drop: [ping], event_from: kind }`, 1)
		}, Changes{FeedsRerouted: []string{"stocks"}}},
		{"drop and url", func(s string) string {
			return strings.Replace(s, `1/stocks", headers: { X-A: "1" } }`, `1/stocks2", headers: { X-A: "1" }, drop: [ping] }`, 1)
		}, Changes{FeedsChanged: []string{"stocks"}}},
		{"feed added", func(s string) string {
			return strings.Replace(s, "panes:", "  sports: { url: \"http://127.0.0.1:1/sports\" }\npanes:", 1)
		}, Changes{FeedsAdded: []string{"sports"}}},
		{"feed removed", func(s string) string {
			return strings.Replace(strings.Replace(s, "  news: { url: \"http://127.0.0.1:1/news\" }\n", "", 1), "feed: news, ", "", 1)
		}, Changes{FeedsRemoved: []string{"news"}, PanesChanged: []string{"heads"}}},
		{"column format", func(s string) string { return strings.Replace(s, `"%.2f"`, `"%.3f"`, 1) }, Changes{PanesChanged: []string{"prices"}}},
		{"template", func(s string) string { return strings.Replace(s, `"{title}"`, `"{title}!"`, 1) }, Changes{PanesChanged: []string{"heads"}}},
		{"pane removed", func(s string) string {
			return strings.Replace(strings.Replace(s, "  - { id: raw, type: log }\n", "", 1), ", [raw]", "", 1)
		}, Changes{PanesRemoved: []string{"raw"}, Layout: true}},
		{"layout", func(s string) string { return strings.Replace(s, "[prices, heads]", "[prices: 2, heads]", 1) }, Changes{Layout: true}},
		{"theme", func(s string) string { return s + "theme: { gain: red }\n" }, Changes{Theme: true}},
		{"keys", func(s string) string { return s + "keys: { help: [H] }\n" }, Changes{Keys: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Diff(old, mustParse(t, tt.edit(diffBase)))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Diff = %+v\nwant   %+v", got, tt.want)
			}
			if got.Empty() != reflect.DeepEqual(tt.want, Changes{}) {
				t.Errorf("Empty() = %v", got.Empty())
			}
		})
	}
}

func TestChangesString(t *testing.T) {
	ch := Changes{FeedsChanged: []string{"a", "b"}, PanesAdded: []string{"p"}, Theme: true}
	if got := ch.String(); got != "feeds changed: a, b; panes added: p; theme changed" {
		t.Errorf("String() = %q", got)
	}
	if got := (Changes{}).String(); got != "no changes" {
		t.Errorf("empty String() = %q", got)
	}
}

// mutate changes one field to a different value of its type.
func mutate(t *testing.T, v reflect.Value) {
	t.Helper()
	switch v.Kind() {
	case reflect.String:
		v.SetString(v.String() + "x")
	case reflect.Int, reflect.Int64:
		if v.Type() == reflect.TypeOf(time.Duration(0)) {
			v.SetInt(v.Int() + int64(time.Second))
		} else {
			v.SetInt(v.Int() + 7)
		}
	case reflect.Bool:
		v.SetBool(!v.Bool())
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		for _, k := range v.MapKeys() {
			m.SetMapIndex(k, v.MapIndex(k))
		}
		k := reflect.New(v.Type().Key()).Elem()
		k.SetString("added")
		val := reflect.New(v.Type().Elem()).Elem()
		if val.Kind() == reflect.String {
			val.SetString("gain")
		}
		m.SetMapIndex(k, val)
		v.Set(m)
	case reflect.Slice:
		el := reflect.New(v.Type().Elem()).Elem()
		switch el.Kind() {
		case reflect.String:
			el.SetString("extra")
		case reflect.Pointer:
			el.Set(reflect.New(el.Type().Elem()))
		}
		v.Set(reflect.Append(v, el))
	case reflect.Pointer:
		switch v.Type() {
		case reflect.TypeOf(&render.Format{}):
			f, err := render.Parse("number:3")
			if err != nil {
				t.Fatal(err)
			}
			v.Set(reflect.ValueOf(f))
		case reflect.TypeOf(&render.Template{}):
			tp, err := render.Compile("{zz}")
			if err != nil {
				t.Fatal(err)
			}
			v.Set(reflect.ValueOf(tp))
		case reflect.TypeOf(new(float64)):
			f := 1.5
			if !v.IsNil() {
				f = *v.Interface().(*float64) + 1
			}
			v.Set(reflect.ValueOf(&f))
		case reflect.TypeOf(&render.Expr{}):
			e, err := render.CompileExpr("zz + 1")
			if err != nil {
				t.Fatal(err)
			}
			v.Set(reflect.ValueOf(e))
		case reflect.TypeOf(&[2]float64{}):
			if v.IsNil() {
				v.Set(reflect.ValueOf(&[2]float64{0, 1}))
			} else {
				v.Set(reflect.ValueOf(&[2]float64{-1, 2}))
			}
		default:
			t.Fatalf("no mutation for %v", v.Type())
		}
	case reflect.Struct:
		mutate(t, v.Field(0))
	default:
		t.Fatalf("no mutation for %v", v.Type())
	}
}

// TestEqualCoversEveryField changes each exported field in turn and checks
// that Equal notices, so that a field added later cannot be forgotten by
// Diff (which would keep a stale connection or pane after a reload).
func TestEqualCoversEveryField(t *testing.T) {
	cfg := mustParse(t, diffBase)
	check := func(name string, orig any, clone func() any, equal func(a, b any) bool, skip ...string) {
		typ := reflect.TypeOf(orig).Elem()
		for i := 0; i < typ.NumField(); i++ {
			f := typ.Field(i)
			if !f.IsExported() || f.Name == "Pos" || contains(skip, f.Name) {
				continue
			}
			c := clone()
			mutate(t, reflect.ValueOf(c).Elem().Field(i))
			if equal(orig, c) {
				t.Errorf("%s.Equal ignores a change to %s", name, f.Name)
			}
			if !equal(orig, clone()) {
				t.Errorf("%s.Equal: a clone is not equal", name)
			}
		}
	}
	f := cfg.Feed("stocks")
	check("Feed", f, func() any {
		c := *f
		c.Headers = map[string]string{}
		for k, v := range f.Headers {
			c.Headers[k] = v
		}
		c.at = nil
		return &c
	}, func(a, b any) bool { return a.(*Feed).Equal(b.(*Feed)) })

	p := cfg.Pane("prices")
	check("Pane", p, func() any {
		c := *p
		c.Feeds = append([]string(nil), p.Feeds...)
		c.Events = append([]string(nil), p.Events...)
		c.Columns = append([]*Column(nil), p.Columns...)
		c.Text = append([]TextRule(nil), p.Text...)
		return &c
	}, func(a, b any) bool { return a.(*Pane).Equal(b.(*Pane)) })

	col := p.Columns[0]
	check("Column", col, func() any {
		c := *col
		c.Color.Map = map[string]Role{}
		return &c
	}, func(a, b any) bool { return a.(*Column).Equal(b.(*Column)) })
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
