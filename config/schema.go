package config

import (
	"bytes"
	"encoding/json"
	"strings"
)

// SchemaID identifies livefeed's config schema.
const SchemaID = "https://github.com/livefeed/livefeed/config.schema.json"

// obj is a JSON object that keeps its keys in the order written, so the
// schema reads top-down like the docs.
type obj []kv

type kv struct {
	k string
	v any
}

func (o obj) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, p := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := json.Marshal(p.k)
		if err != nil {
			return nil, err
		}
		v, err := json.Marshal(p.v)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// get is the value of key k, or nil.
func (o obj) get(k string) any {
	for _, p := range o {
		if p.k == k {
			return p.v
		}
	}
	return nil
}

func ref(name string) obj { return obj{{"$ref", "#/$defs/" + name}} }

func desc(d string, o obj) obj { return append(obj{{"description", d}}, o...) }

// envAlt lets a pattern-checked string also be a ${VAR} reference.
func envAlt(pattern string) string { return `^(` + pattern + `|.*\$\{.*)$` }

// roleNames lists the theme roles as JSON values.
func roleNames() []any {
	names := []any{}
	for _, r := range Roles() {
		names = append(names, string(r))
	}
	return names
}

// themeProperties derives the theme's keys from roleTable.
func themeProperties() obj {
	props := obj{}
	for _, r := range roleTable() {
		def := r.color
		if def == "" {
			def = "default"
		}
		props = append(props, kv{string(r.role), desc(r.doc+" (default "+def+")", ref("color"))})
	}
	return props
}

// keyProperties derives the keys section from actionTable.
func keyProperties() obj {
	props := obj{}
	for _, a := range actionTable() {
		props = append(props, kv{string(a.action), desc(a.doc+" (default "+strings.Join(a.keys, ", ")+")", ref("keyList"))})
	}
	return props
}

// paneSchema is one kind of pane: the common keys with type fixed to the
// kind, then the kind's own.
func paneSchema(k paneKind) obj {
	specs := append(paneFields(), k.fields...)
	for i := range specs {
		if specs[i].key == "type" {
			specs[i].schema = obj{{"description", k.doc}, {"const", string(k.typ)}}
		}
	}
	return object(specs)
}

// Schema returns a JSON Schema (draft 2020-12) of the config file, for
// editors: `# yaml-language-server: $schema=livefeed.schema.json`. Every
// section's keys come from its table in fields.go.
func Schema() []byte {
	stringList := obj{
		{"anyOf", []any{
			obj{{"type", "string"}},
			obj{{"type", "array"}, {"items", obj{{"type", "string"}}}},
		}},
	}
	column := append(obj{{"type", "object"}, {"properties", properties(columnFields())}},
		kv{"anyOf", []any{obj{{"required", []string{"path"}}}, obj{{"required", []string{"text"}}}, obj{{"required", []string{"expr"}}}}},
		kv{"additionalProperties", false})
	defs := obj{
		{"duration", obj{
			{"description", "A duration such as 3s, 500ms, 1m30s or 0."},
			{"type", []string{"string", "integer"}},
			{"pattern", envAlt(`0|([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+`)},
			{"minimum", 0}, {"maximum", 0},
		}},
		{"size", obj{
			{"description", "A size in bytes: 1000, 512KiB, 1MiB, 2MB."},
			{"type", []string{"string", "integer"}},
			{"pattern", envAlt(`[0-9]+(\.[0-9]+)? ?([kKmMgG]([iI]?[bB])?|[bB])?`)},
			{"minimum", 1},
		}},
		{"color", obj{
			{"description", "#rrggbb, #rgb, an ANSI colour number 0-255, a name (red, bright_blue, gray, …) or default."},
			{"type", []string{"string", "integer"}},
			{"pattern", `^(#[0-9a-fA-F]{3}|#[0-9a-fA-F]{6}|[0-9]{1,3}|default|none|(bright[_ -]?)?(black|red|green|yellow|blue|magenta|cyan|white)|gr[ae]y|)$`},
			{"minimum", 0}, {"maximum", 255},
		}},
		{"stringList", stringList},
		{"keyList", desc("Keys as bubbletea names them: q, G, ?, ctrl+r, shift+tab, space, enter, esc, pgup, f1. [] unbinds.", stringList)},
		{"feed", object(feedFields())},
		{"column", obj{{"anyOf", []any{desc("A payload path, shown under its own name.", obj{{"type", "string"}}), column}}}},
	}
	var kinds []any
	for _, k := range paneKinds() {
		kinds = append(kinds, ref(string(k.typ)+"Pane"))
	}
	defs = append(defs, kv{"pane", obj{{"oneOf", kinds}}})
	for _, k := range paneKinds() {
		defs = append(defs, kv{string(k.typ) + "Pane", paneSchema(k)})
	}
	defs = append(defs,
		kv{"cell", obj{
			{"anyOf", []any{
				desc("A pane id.", obj{{"type", "string"}}),
				obj{{"description", "id: weight"}, {"type", "object"}, {"minProperties", 1}, {"maxProperties", 1},
					{"additionalProperties", obj{{"type", "integer"}, {"minimum", 1}, {"maximum", MaxWeight}}}},
				object(cellFields()),
			}},
		}},
		kv{"row", obj{
			{"anyOf", []any{
				desc("A row of one pane.", obj{{"type", "string"}}),
				desc("Panes side by side: [prices: 2, alerts].", obj{{"type", "array"}, {"minItems", 1}, {"items", ref("cell")}}),
				object(rowFields()),
			}},
		}},
		kv{"page", object(pageFields())},
	)
	root := obj{
		{"$schema", "https://json-schema.org/draft/2020-12/schema"},
		{"$id", SchemaID},
		{"title", "livefeed configuration"},
		{"description", "Feeds to subscribe to, panes that show their events, and how they are laid out. Check a file with `livefeed config check`."},
		{"type", "object"},
		{"properties", properties(topFields())},
		{"patternProperties", obj{{"^x-", obj{{"description", "Ignored: a place for YAML anchors to reuse, e.g. x-defaults: &defaults {retry: 1s}."}}}}},
		{"additionalProperties", false},
		{"$defs", defs},
	}
	out, err := json.MarshalIndent(root, "", "  ")
	if err != nil {
		panic("config: schema does not marshal: " + err.Error())
	}
	return append(out, '\n')
}
