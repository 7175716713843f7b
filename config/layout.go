package config

import (
	"fmt"
	"slices"

	"github.com/goccy/go-yaml/ast"
)

// Bounds on layout numbers.
const (
	MaxWeight  = 100
	MaxMinSize = 1000
)

// layout decodes rows, or {pages: [{name: N, rows: [...]}, ...]}. A row
// is a list of cells ([prices: 2, alerts]), a single pane id, or the long
// form {panes: [...], weight: 2, min_height: 5}. A cell is a pane id,
// "id: weight", or {pane: id, weight: 2, min_width: 30}.
func (d *decoder) layout(cfg *Config, n ast.Node) {
	n = d.resolve(n)
	switch n.(type) {
	case *ast.MappingNode, *ast.MappingValueNode:
		es, ok := d.mapping(n, "layout")
		if !ok {
			return
		}
		decodeFields(d, es, section{what: "layout", of: " of layout"}, layoutFields(), &cfg.Layout)
		if !hasKey(es, "pages") {
			d.errorf(d.pos(n), 1, "layout is rows of panes, or pages: [...]").Hint =
				"write pages:\n  layout:\n    pages:\n      - { name: Markets, rows: [[prices, alerts]] }\n      - { name: Ops, rows: [[jobs], [cpu]] }"
		}
		return
	}
	cfg.Layout.Rows = d.rows(n, "layout", "layout row")
}

// layoutFields are the keys of a layout written as a mapping.
func layoutFields() []spec[Layout] {
	return []spec[Layout]{
		must(custom("pages", "Named pages, each with its rows; keys 1-9, [ and ] switch between them.",
			obj{{"type", "array"}, {"minItems", 1}, {"items", ref("page")}},
			func(d *decoder, a arg, l *Layout) { l.Pages = d.pages(a.v) })),
	}
}

// pageFields are the keys of one page.
func pageFields() []spec[Page] {
	return []spec[Page]{
		must(textKey("name", "Shown in the header's page tabs.", func(p *Page) *string { return &p.Name })),
		must(custom("rows", "Rows of panes, as in a layout without pages.", obj{{"type", "array"}, {"items", ref("row")}},
			func(d *decoder, a arg, p *Page) {
				p.Rows = d.rows(a.v, fmt.Sprintf("rows of page %q", p.Name), fmt.Sprintf("page %q row", p.Name))
			})),
	}
}

func (d *decoder) pages(n ast.Node) []Page {
	seq, ok := n.(*ast.SequenceNode)
	if !ok {
		d.errorf(d.pos(n), span(n), "pages of layout must be a list, got %s", describe(n))
		return nil
	}
	pages := []Page{}
	for i, el := range seq.Values {
		el = d.resolve(el)
		what := fmt.Sprintf("page %d of layout", i+1)
		es, ok := d.mapping(el, what)
		if !ok {
			continue
		}
		pg := Page{Pos: d.pos(el)}
		// The name first: messages about the rows name the page.
		for _, e := range es {
			if e.key == "name" {
				pg.Name, _ = d.text(d.resolve(e.value), "name of "+what)
			}
		}
		at := map[string]Pos{}
		decodeFields(d, es, section{what: what, of: " of " + what, at: at}, pageFields(), &pg)
		if !given(at, "name") {
			d.errorf(pg.Pos, 1, "%s has no name", what).Hint = "give it one for the header's tabs: name: Ops"
		}
		if !given(at, "rows") {
			d.errorf(pg.Pos, 1, "%s has no rows", what).Hint = "add its rows of panes: rows: [[jobs], [cpu, hosts]]"
		}
		pages = append(pages, pg)
	}
	return pages
}

// rows decodes a list of layout rows; rowWhat names a row in messages.
func (d *decoder) rows(n ast.Node, what, rowWhat string) []Row {
	n = d.resolve(n)
	seq, ok := n.(*ast.SequenceNode)
	if !ok {
		if isNull(n) {
			return nil
		}
		d.errorf(d.pos(n), span(n), "%s must be a list of rows, got %s", what, describe(n)).Hint =
			"write rows of pane ids:\n  layout:\n    - [prices: 2, alerts: 1]\n    - [headlines]"
		return nil
	}
	var rows []Row
	for i, el := range seq.Values {
		row := Row{Weight: 1, Pos: d.pos(el)}
		what := fmt.Sprintf("%s %d", rowWhat, i+1)
		el = d.resolve(el)
		switch v := el.(type) {
		case *ast.SequenceNode:
			row.Cells = d.cells(v, what)
		case *ast.StringNode:
			row.Cells = d.cells(v, what)
		case *ast.MappingNode, *ast.MappingValueNode:
			es, _ := d.mapping(v, what)
			if !hasKey(es, "panes") && len(es) == 1 && suggest(es[0].key, keysOf(rowFields())) == "" {
				// "- prices: 2" is a one-cell short row.
				row.Cells = d.cells(v, what)
				break
			}
			typos := map[string]Pos{}
			decodeFields(d, es, section{what: what, of: " of " + what, at: typos}, rowFields(), &row)
			if !hasKey(es, "panes") {
				row.bad = true
				if !given(typos, "panes") {
					d.errorf(row.Pos, 1, "%s needs panes: (rows are [a, b: 2] or {panes: [a, b], weight: 2, min_height: 5})", what)
				}
			}
		default:
			d.errorf(d.pos(el), span(el), "%s must be a list of panes like [prices: 2, alerts], got %s", what, describe(el))
			continue
		}
		rows = append(rows, row)
	}
	return rows
}

func hasKey(es []entry, key string) bool {
	return slices.ContainsFunc(es, func(e entry) bool { return e.key == key })
}

// cells decodes a row's panes.
func (d *decoder) cells(n ast.Node, what string) []Cell {
	var els []ast.Node
	switch v := n.(type) {
	case *ast.SequenceNode:
		els = v.Values
	case *ast.StringNode, *ast.MappingNode, *ast.MappingValueNode:
		els = []ast.Node{v}
	default:
		d.errorf(d.pos(n), span(n), "panes of %s must be a list like [prices: 2, alerts], got %s", what, describe(n))
		return nil
	}
	cells := []Cell{}
	for _, el := range els {
		el = d.resolve(el)
		c := Cell{Weight: 1, Pos: d.pos(el)}
		switch v := el.(type) {
		case *ast.StringNode:
			c.Pane, _ = d.text(v, what)
		case *ast.MappingNode, *ast.MappingValueNode:
			es, ok := d.mapping(v, what)
			if !ok {
				continue
			}
			if hasKey(es, "pane") || len(es) != 1 {
				if !hasKey(es, "pane") {
					d.errorf(c.Pos, 1, "a pane in %s is written as id, id: weight, or {pane: id, weight: 2, min_width: 30}", what)
					continue
				}
				decodeFields(d, es, section{what: "a pane of " + what, of: " in " + what}, cellFields(), &c)
				break
			}
			e := es[0]
			c.Pane, c.Pos = e.key, e.kpos
			if cv := d.resolve(e.value); !isNull(cv) {
				if w, ok := d.integer(cv, fmt.Sprintf("weight of %q in %s", e.key, what), 1, MaxWeight); ok {
					c.Weight = w
				}
			}
		default:
			d.errorf(d.pos(el), span(el), "a pane in %s must be an id like prices or prices: 2, got %s", what, describe(el))
			continue
		}
		if c.Pane != "" {
			cells = append(cells, c)
		}
	}
	return cells
}

// finish fills in what the file left to defaults: pane titles and limits,
// one catch-all log pane called "events" when there are no panes (so a file
// listing only feeds shows everything), and a complete layout.
func finish(cfg *Config) {
	if len(cfg.Panes) == 0 {
		cfg.Panes = []*Pane{{ID: "events", Type: Log, at: map[string]Pos{}}}
	}
	for _, p := range cfg.Panes {
		if p.Title == "" {
			p.Title = p.ID
		}
		if p.Max == 0 {
			p.Max = DefaultLogMax
			for _, k := range paneKinds() {
				if k.typ == p.Type {
					p.Max = k.max
				}
			}
		}
		switch p.Type {
		case Progress:
			if p.Error == "" {
				p.Error = "error"
			}
		case Stat:
			if _, set := p.at["spark"]; !set && p.Spark == 0 {
				p.Spark = DefaultStatSpark
			}
		}
		for _, c := range p.Columns {
			if c.Title == "" {
				c.Title = c.Path
				if c.Expr != nil {
					c.Title = c.Expr.String()
				}
			}
			if c.Title == "" && c.Agg != AggNone {
				c.Title = string(c.Agg)
			}
		}
	}
	if !cfg.hasLayout || (len(cfg.Layout.Rows) == 0 && len(cfg.Layout.Pages) == 0) {
		cfg.Layout = AutoLayout(cfg.Panes)
		return
	}
	placed := map[string]bool{}
	for _, pg := range cfg.Layout.PageList() {
		for _, r := range pg.Rows {
			for _, c := range r.Cells {
				placed[c.Pane] = true
			}
		}
	}
	var missing []Cell
	for _, p := range cfg.Panes {
		if p.ID != "" && !placed[p.ID] {
			missing = append(missing, Cell{Pane: p.ID, Weight: 1})
			cfg.appended = append(cfg.appended, p.ID)
			placed[p.ID] = true
		}
	}
	if len(missing) == 0 {
		return
	}
	// Panes left out go at the bottom of the last page.
	row := Row{Cells: missing, Weight: 1}
	if n := len(cfg.Layout.Pages); n > 0 {
		cfg.Layout.Pages[n-1].Rows = append(cfg.Layout.Pages[n-1].Rows, row)
	} else {
		cfg.Layout.Rows = append(cfg.Layout.Rows, row)
	}
}

// AutoLayout arranges panes when the file has no layout: each ticker on its
// own row at the top, then tables and lists two to a row (tables wider), and
// the catch-all logs side by side at the bottom.
func AutoLayout(panes []*Pane) Layout {
	l := Layout{Auto: true}
	var middle, bottom []Cell
	seen := map[string]bool{}
	for _, p := range panes {
		if p.ID == "" || seen[p.ID] {
			continue
		}
		seen[p.ID] = true
		switch {
		case p.Type == Ticker:
			l.Rows = append(l.Rows, Row{Cells: []Cell{{Pane: p.ID, Weight: 1}}, Weight: 1})
		case p.CatchAll():
			bottom = append(bottom, Cell{Pane: p.ID, Weight: 1})
		default:
			w := 2
			if p.Type == Table {
				w = 3
			}
			middle = append(middle, Cell{Pane: p.ID, Weight: w})
		}
	}
	for i := 0; i < len(middle); i += 2 {
		l.Rows = append(l.Rows, Row{Cells: slices.Clone(middle[i:min(i+2, len(middle))]), Weight: 2})
	}
	if len(bottom) > 0 {
		l.Rows = append(l.Rows, Row{Cells: bottom, Weight: 1})
	}
	return l
}
