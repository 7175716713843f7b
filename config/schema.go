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

func ref(name string) obj { return obj{{"$ref", "#/$defs/" + name}} }

func desc(d string, o obj) obj { return append(obj{{"description", d}}, o...) }

func str(d string) obj { return obj{{"description", d}, {"type", "string"}} }

func integer(d string, lo, hi int) obj {
	return obj{{"description", d}, {"type", "integer"}, {"minimum", lo}, {"maximum", hi}}
}

// envAlt lets a pattern-checked string also be a ${VAR} reference.
func envAlt(pattern string) string { return `^(` + pattern + `|.*\$\{.*)$` }

// Schema returns a JSON Schema (draft 2020-12) of the config file, for
// editors: `# yaml-language-server: $schema=livefeed.schema.json`.
func Schema() []byte {
	roleNames := []any{}
	for _, r := range Roles() {
		roleNames = append(roleNames, string(r))
	}
	themeProps := obj{}
	for _, r := range roleTable() {
		def := r.color
		if def == "" {
			def = "default"
		}
		themeProps = append(themeProps, kv{string(r.role), desc(r.doc+" (default "+def+")", ref("color"))})
	}
	keyProps := obj{}
	for _, a := range actionTable() {
		keyProps = append(keyProps, kv{string(a.action), desc(a.doc+" (default "+strings.Join(a.keys, ", ")+")", ref("keyList"))})
	}
	colorWords := append([]any{"sign", "level", "none"}, roleNames...)

	common := obj{
		{"id", desc("Unique name of the pane, used by layout.", obj{{"type", "string"}, {"pattern", `^[A-Za-z0-9][A-Za-z0-9_.-]*$`}})},
		{"type", nil}, // filled per pane type
		{"title", str("Shown in the pane's border; defaults to the id.")},
		{"feed", str("The one feed this pane listens to.")},
		{"feeds", desc("Feeds this pane listens to; omit for all feeds.", ref("stringList"))},
		{"events", desc("Event names (globs like price.*) this pane takes. Omitted: every event; for a log pane, every event no other pane took.", ref("stringList"))},
		{"max", integer("How many items the pane keeps.", 1, MaxItems)},
	}
	textProps := obj{
		{"text", desc("Template for each item, e.g. \"{source}: {title}\", or a mapping from event name to template.", obj{
			{"anyOf", []any{
				obj{{"type", "string"}},
				obj{{"type", "object"}, {"additionalProperties", obj{{"type", "string"}}}},
			}},
		})},
		{"level", str("Payload path of a severity (info, warning, error, …) that colours each item.")},
	}
	pane := func(t PaneType, d string, extra obj, required ...string) obj {
		props := obj{}
		for _, p := range common {
			if p.k == "type" {
				p.v = obj{{"description", d}, {"const", string(t)}}
			}
			props = append(props, p)
		}
		props = append(props, extra...)
		return obj{
			{"type", "object"},
			{"properties", props},
			{"required", append([]string{"id", "type"}, required...)},
			{"additionalProperties", false},
		}
	}

	cellLong := obj{
		{"type", "object"},
		{"properties", obj{
			{"pane", str("Pane id.")},
			{"weight", integer("Share of the row's width.", 1, MaxWeight)},
			{"min_width", integer("Fewest terminal columns for the pane.", 0, MaxMinSize)},
		}},
		{"required", []string{"pane"}},
		{"additionalProperties", false},
	}

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
		{"stringList", obj{
			{"anyOf", []any{
				obj{{"type", "string"}},
				obj{{"type", "array"}, {"items", obj{{"type", "string"}}}},
			}},
		}},
		{"keyList", obj{
			{"description", "Keys as bubbletea names them: q, G, ?, ctrl+r, shift+tab, space, enter, esc, pgup, f1. [] unbinds."},
			{"anyOf", []any{
				obj{{"type", "string"}},
				obj{{"type", "array"}, {"items", obj{{"type", "string"}}}},
			}},
		}},
		{"feed", obj{
			{"type", "object"},
			{"properties", obj{
				{"url", str("The event stream's http:// or https:// URL. ${VAR} and ${VAR:-default} are expanded.")},
				{"headers", desc("Request headers. Put secrets in the environment: Authorization: \"Bearer ${TOKEN}\".", obj{
					{"type", "object"},
					{"additionalProperties", obj{{"type", []string{"string", "number", "boolean"}}}},
				})},
				{"retry", desc("First reconnection delay; the server's retry: field overrides it. Default 3s.", ref("duration"))},
				{"max_backoff", desc("Longest delay between failed reconnection attempts. Default 60s.", ref("duration"))},
				{"stale", desc("Reconnect when nothing at all (not even a comment) arrives for this long; 0 turns it off. Default 45s.", ref("duration"))},
				{"max_event_size", desc("Most bytes one event (or line) may take; a larger one drops the connection. Default 1MiB.", ref("size"))},
				{"connect_timeout", desc("How long to wait for the response headers. Default 10s.", ref("duration"))},
				{"tls", obj{
					{"type", "object"},
					{"properties", obj{
						{"ca_file", str("PEM file of extra certificate authorities to trust (relative to the config file).")},
						{"insecure", obj{{"description", "Skip certificate verification. Only for testing."}, {"type", "boolean"}}},
					}},
					{"additionalProperties", false},
				}},
			}},
			{"required", []string{"url"}},
			{"additionalProperties", false},
		}},
		{"column", obj{
			{"anyOf", []any{
				obj{{"description", "A payload path, shown under its own name."}, {"type", "string"}},
				obj{
					{"type", "object"},
					{"properties", obj{
						{"title", str("Column heading; defaults to the path.")},
						{"path", str("gjson path of the value: price, quote.bid, items.0.name.")},
						{"text", str("Template combining fields instead of path: \"{home_score} - {away_score}\".")},
						{"format", obj{
							{"description", "printf (\"%.2f\", \"%d pts\") or number[:D], percent[:D], currency[:CUR][:D], compact[:D], bytes[:D], duration[:UNIT], time[:LAYOUT], relative."},
							{"type", "string"},
							{"pattern", `^(.*%.*|(number|percent|compact|bytes)(:[0-9]+)?|currency(:.*)?|duration(:(ns|us|µs|ms|s|m|h))?|time(:.+)?|relative)$`},
						}},
						{"color", obj{
							{"description", "sign (gain/loss/neutral), level (by severity word), a theme role, or a mapping from value to role (\"*\" for others)."},
							{"anyOf", []any{
								obj{{"enum", colorWords}},
								obj{{"type", "object"}, {"additionalProperties", obj{{"enum", roleNames}}}},
							}},
						}},
						{"spark", integer("Draw a sparkline of the last N values instead of the value.", 2, 1000)},
						{"spark_range", obj{
							{"description", "The sparkline's scale: auto (the values shown) or a fixed [min, max]."},
							{"anyOf", []any{
								obj{{"const", "auto"}},
								obj{{"type", "array"}, {"items", obj{{"type", "number"}}}, {"minItems", 2}, {"maxItems", 2}},
							}},
						}},
						{"width", integer("Fixed width in terminal columns; 0 fits the content.", 0, 1000)},
						{"align", obj{{"description", "Alignment; auto right-aligns numeric formats."}, {"enum", []string{"left", "right", "center", "auto"}}}},
					}},
					{"anyOf", []any{obj{{"required", []string{"path"}}}, obj{{"required", []string{"text"}}}}},
					{"additionalProperties", false},
				},
			}},
		}},
		{"pane", obj{
			{"oneOf", []any{ref("tickerPane"), ref("tablePane"), ref("listPane"), ref("logPane")}},
		}},
		{"tickerPane", pane(Ticker, "ticker: one scrolling line of recent events.", textProps)},
		{"tablePane", pane(Table, "table: one row per key, updated in place.", obj{
			{"key", str("Payload path identifying a row, e.g. symbol.")},
			{"columns", obj{{"type", "array"}, {"minItems", 1}, {"items", ref("column")}}},
		}, "key", "columns")},
		{"listPane", pane(List, "list: newest events first.", textProps)},
		{"logPane", pane(Log, "log: raw events; without events: it catches everything no other pane took.", textProps)},
		{"cell", obj{
			{"anyOf", []any{
				obj{{"description", "A pane id."}, {"type", "string"}},
				obj{{"description", "id: weight"}, {"type", "object"}, {"minProperties", 1}, {"maxProperties", 1},
					{"additionalProperties", obj{{"type", "integer"}, {"minimum", 1}, {"maximum", MaxWeight}}}},
				cellLong,
			}},
		}},
		{"row", obj{
			{"anyOf", []any{
				obj{{"description", "A row of one pane."}, {"type", "string"}},
				obj{{"description", "Panes side by side: [prices: 2, alerts]."}, {"type", "array"}, {"minItems", 1}, {"items", ref("cell")}},
				obj{
					{"type", "object"},
					{"properties", obj{
						{"panes", obj{{"type", "array"}, {"minItems", 1}, {"items", ref("cell")}}},
						{"weight", integer("Share of the height.", 1, MaxWeight)},
						{"min_height", integer("Fewest terminal lines for the row.", 0, MaxMinSize)},
					}},
					{"required", []string{"panes"}},
					{"additionalProperties", false},
				},
			}},
		}},
	}

	root := obj{
		{"$schema", "https://json-schema.org/draft/2020-12/schema"},
		{"$id", SchemaID},
		{"title", "livefeed configuration"},
		{"description", "Feeds to subscribe to, panes that show their events, and how they are laid out. Check a file with `livefeed config check`."},
		{"type", "object"},
		{"properties", obj{
			{"feeds", obj{
				{"description", "SSE endpoints by name."},
				{"type", "object"},
				{"propertyNames", obj{{"pattern", `^[A-Za-z0-9][A-Za-z0-9_.-]*$`}}},
				{"additionalProperties", ref("feed")},
			}},
			{"panes", obj{{"description", "What to show, in order."}, {"type", "array"}, {"items", ref("pane")}}},
			{"layout", obj{{"description", "Rows of panes, top to bottom. Panes left out are added at the bottom."}, {"type", "array"}, {"items", ref("row")}}},
			{"theme", obj{{"description", "Colours by role; unset roles keep their defaults."}, {"type", "object"}, {"properties", themeProps}, {"additionalProperties", false}}},
			{"keys", obj{{"description", "Key bindings by action; [] unbinds. ctrl+c always quits."}, {"type", "object"}, {"properties", keyProps}, {"additionalProperties", false}}},
		}},
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
