package config

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"
	"github.com/goccy/go-yaml"
)

// validator checks a JSON value against the subset of JSON Schema 2020-12
// that Schema emits. It refuses keywords it does not know, so the schema
// cannot quietly use one that this test would ignore.
type validator struct {
	root map[string]any
}

func (v *validator) validate(schema any, inst any, at string) []string {
	switch s := schema.(type) {
	case bool:
		if !s {
			return []string{at + ": not allowed"}
		}
		return nil
	case map[string]any:
		return v.object(s, inst, at)
	}
	return []string{fmt.Sprintf("%s: schema of unexpected type %T", at, schema)}
}

func jsonType(inst any) string {
	switch x := inst.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	case float64:
		if x == math.Trunc(x) {
			return "integer"
		}
		return "number"
	case int64, uint64, int:
		return "integer"
	}
	return fmt.Sprintf("unknown(%T)", inst)
}

func toFloat(inst any) (float64, bool) {
	switch x := inst.(type) {
	case float64:
		return x, true
	case int64:
		return float64(x), true
	case uint64:
		return float64(x), true
	case int:
		return float64(x), true
	}
	return 0, false
}

func (v *validator) object(s map[string]any, inst any, at string) []string {
	var errs []string
	fail := func(format string, args ...any) { errs = append(errs, at+": "+fmt.Sprintf(format, args...)) }
	typ := jsonType(inst)
	keys := make([]string, 0, len(s))
	for k := range s {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		val := s[k]
		switch k {
		case "$schema", "$id", "$defs", "title", "description", "default", "examples":
		case "$ref":
			name := strings.TrimPrefix(val.(string), "#/$defs/")
			def, ok := v.root["$defs"].(map[string]any)[name]
			if !ok {
				fail("unresolved $ref %v", val)
				continue
			}
			errs = append(errs, v.validate(def, inst, at)...)
		case "type":
			var allowed []string
			switch t := val.(type) {
			case string:
				allowed = []string{t}
			case []any:
				for _, x := range t {
					allowed = append(allowed, x.(string))
				}
			}
			if !slices.Contains(allowed, typ) && !(typ == "integer" && slices.Contains(allowed, "number")) {
				fail("want %s, got %s", strings.Join(allowed, " or "), typ)
			}
		case "properties", "patternProperties", "additionalProperties", "propertyNames", "required", "minProperties", "maxProperties":
			obj, ok := inst.(map[string]any)
			if !ok {
				continue
			}
			switch k {
			case "properties":
				for name, sub := range val.(map[string]any) {
					if x, ok := obj[name]; ok {
						errs = append(errs, v.validate(sub, x, at+"."+name)...)
					}
				}
			case "patternProperties":
				for pat, sub := range val.(map[string]any) {
					re := regexp.MustCompile(pat)
					for name, x := range obj {
						if re.MatchString(name) {
							errs = append(errs, v.validate(sub, x, at+"."+name)...)
						}
					}
				}
			case "additionalProperties":
				props, _ := s["properties"].(map[string]any)
				pats, _ := s["patternProperties"].(map[string]any)
				for name, x := range obj {
					if _, known := props[name]; known {
						continue
					}
					matched := false
					for pat := range pats {
						matched = matched || regexp.MustCompile(pat).MatchString(name)
					}
					if !matched {
						errs = append(errs, v.validate(val, x, at+"."+name)...)
					}
				}
			case "propertyNames":
				for name := range obj {
					errs = append(errs, v.validate(val, name, at+" key "+name)...)
				}
			case "required":
				for _, r := range val.([]any) {
					if _, ok := obj[r.(string)]; !ok {
						fail("missing %q", r)
					}
				}
			case "minProperties":
				if float64(len(obj)) < val.(float64) {
					fail("fewer than %v properties", val)
				}
			case "maxProperties":
				if float64(len(obj)) > val.(float64) {
					fail("more than %v properties", val)
				}
			}
		case "items", "minItems", "maxItems":
			arr, ok := inst.([]any)
			if !ok {
				continue
			}
			switch {
			case k == "items":
				for i, x := range arr {
					errs = append(errs, v.validate(val, x, fmt.Sprintf("%s[%d]", at, i))...)
				}
			case k == "minItems" && float64(len(arr)) < val.(float64):
				fail("fewer than %v items", val)
			case k == "maxItems" && float64(len(arr)) > val.(float64):
				fail("more than %v items", val)
			}
		case "enum":
			if !slices.ContainsFunc(val.([]any), func(e any) bool { return reflect.DeepEqual(e, inst) }) {
				fail("%v is not one of %v", inst, val)
			}
		case "const":
			if !reflect.DeepEqual(val, inst) {
				fail("want %v, got %v", val, inst)
			}
		case "pattern":
			if str, ok := inst.(string); ok && !regexp.MustCompile(val.(string)).MatchString(str) {
				fail("%q does not match %s", str, val)
			}
		case "minimum", "maximum":
			n, ok := toFloat(inst)
			if !ok {
				continue
			}
			if (k == "minimum" && n < val.(float64)) || (k == "maximum" && n > val.(float64)) {
				fail("%v is out of range (%s %v)", n, k, val)
			}
		case "anyOf", "oneOf":
			matches := 0
			var sub []string
			for _, alt := range val.([]any) {
				e := v.validate(alt, inst, at)
				if len(e) == 0 {
					matches++
				}
				sub = append(sub, e...)
			}
			if matches == 0 {
				fail("matches none of %s: %s", k, strings.Join(sub, "; "))
			}
			if k == "oneOf" && matches > 1 {
				fail("matches %d alternatives of oneOf", matches)
			}
		default:
			fail("schema uses keyword %q, which this validator does not implement", k)
		}
	}
	return errs
}

// normalize turns YAML-decoded values into JSON-decoded ones.
func normalize(x any) any {
	switch v := x.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range v {
			out[k] = normalize(e)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = normalize(e)
		}
		return out
	case uint64:
		return float64(v)
	case int64:
		return float64(v)
	case int:
		return float64(v)
	}
	return x
}

func loadSchema(t *testing.T) *validator {
	t.Helper()
	var root map[string]any
	if err := json.Unmarshal(Schema(), &root); err != nil {
		t.Fatalf("schema is not JSON: %v", err)
	}
	return &validator{root: root}
}

func schemaErrors(t *testing.T, v *validator, src []byte) []string {
	t.Helper()
	var doc any
	if err := yaml.Unmarshal(src, &doc); err != nil {
		t.Fatalf("YAML: %v", err)
	}
	var root any = v.root
	return v.validate(root, normalize(doc), "$")
}

func TestSchemaGolden(t *testing.T) {
	s := Schema()
	if !json.Valid(s) {
		t.Fatal("schema is not valid JSON")
	}
	golden.RequireEqual(t, s)
}

// TestSchemaValidatesExamples: every example users see passes the schema
// their editor will check it against.
func TestSchemaValidatesExamples(t *testing.T) {
	v := loadSchema(t)
	readme, err := os.ReadFile("testdata/readme-example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	payloads, err := os.ReadFile("testdata/readme-payloads.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for name, src := range map[string][]byte{"built-in default (config init)": DefaultYAML(), "README example": readme, "README payloads example": payloads} {
		if errs := schemaErrors(t, v, src); len(errs) > 0 {
			t.Errorf("%s fails the schema:\n%s", name, strings.Join(errs, "\n"))
		}
	}
}

// TestSchemaAgreesOnMistakes: documents livefeed rejects, the schema rejects
// too, so the editor flags what `config check` would.
func TestSchemaAgreesOnMistakes(t *testing.T) {
	v := loadSchema(t)
	base := "feeds:\n  a:\n    url: http://127.0.0.1:1/\n"
	bad := map[string]string{
		"unknown top-level key": base + "pane: []\n",
		"unknown feed key":      base + "    retyr: 3s\n",
		"bad duration":          base + "    retry: fast\n",
		"duration without unit": base + "    retry: 3\n",
		"bad size":              base + "    max_event_size: lots\n",
		"insecure as text":      base + "    tls: { insecure: \"yes\" }\n",
		"unknown pane type":     base + "panes: [{ id: p, type: tabel }]\n",
		"table without key":     base + "panes: [{ id: p, type: table, columns: [x] }]\n",
		"key on a list":         base + "panes: [{ id: p, type: list, key: x }]\n",
		"column typo":           base + "panes: [{ id: p, type: table, key: k, columns: [{ path: x, titel: X }] }]\n",
		"bad format":            base + "panes: [{ id: p, type: table, key: k, columns: [{ path: x, format: precent }] }]\n",
		"bad colour rule":       base + "panes: [{ id: p, type: table, key: k, columns: [{ path: x, color: sing }] }]\n",
		"max zero":              base + "panes: [{ id: p, type: log, max: 0 }]\n",
		"row typo":              base + "panes: [{ id: p, type: log }]\nlayout: [{ pane: [p] }]\n",
		"weight zero":           base + "panes: [{ id: p, type: log }]\nlayout: [[p: 0]]\n",
		"unknown role":          base + "theme: { gian: red }\n",
		"bad colour":            base + "theme: { gain: \"#12\" }\n",
		"unknown action":        base + "keys: { quitt: [q] }\n",
	}
	for name, src := range bad {
		if errs := schemaErrors(t, v, []byte(src)); len(errs) == 0 {
			t.Errorf("%s: the schema accepts it", name)
		}
		if _, problems := Check(strings.NewReader(src), Options{Name: "x.yaml"}); len(problems.Errors()) == 0 {
			t.Errorf("%s: livefeed accepts it", name)
		}
	}
}

func schemaProps(t *testing.T, v *validator, path ...any) []string {
	t.Helper()
	var cur any = v.root
	for _, p := range path {
		switch k := p.(type) {
		case string:
			cur = cur.(map[string]any)[k]
		case int:
			cur = cur.([]any)[k]
		}
		if cur == nil {
			t.Fatalf("schema has nothing at %v", path)
		}
	}
	var names []string
	for k := range cur.(map[string]any) {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// TestSchemaKeysAccepted: every key the schema offers an editor, the
// parser accepts where the schema puts it, and it refuses one it does not
// know. Both derive from the same tables, so this checks the decoder's
// dispatch and the schema's nesting, not two lists kept by hand.
func TestSchemaKeysAccepted(t *testing.T) {
	v := loadSchema(t)
	base := "feeds:\n  a:\n    url: http://127.0.0.1:1/\n"
	type kind struct {
		schema []string
		doc    func(key string) string
	}
	kinds := map[string]kind{
		"top": {schemaProps(t, v, "properties"), func(k string) string {
			if k == "feeds" {
				return base
			}
			return base + k + ":\n"
		}},
		"feed": {schemaProps(t, v, "$defs", "feed", "properties"), func(k string) string {
			return base + "    " + k + ":\n"
		}},
		"tls": {schemaProps(t, v, "$defs", "feed", "properties", "tls", "properties"), func(k string) string {
			return base + "    tls: { " + k + ": }\n"
		}},
		"column": {schemaProps(t, v, "$defs", "column", "anyOf", 1, "properties"), func(k string) string {
			return base + "panes: [{ id: p, type: table, key: k, columns: [{ path: x, " + k + ": }] }]\n"
		}},
		"row": {schemaProps(t, v, "$defs", "row", "anyOf", 2, "properties"), func(k string) string {
			return base + "panes: [{ id: p, type: log }]\nlayout: [{ panes: [p], " + k + ": }]\n"
		}},
		"cell": {schemaProps(t, v, "$defs", "cell", "anyOf", 2, "properties"), func(k string) string {
			return base + "panes: [{ id: p, type: log }]\nlayout: [[{ pane: p, " + k + ": }]]\n"
		}},
		"theme": {schemaProps(t, v, "properties", "theme", "properties"), func(k string) string {
			return base + "theme: { " + k + ": }\n"
		}},
		"keys": {schemaProps(t, v, "properties", "keys", "properties"), func(k string) string {
			return base + "keys: { " + k + ": }\n"
		}},
	}
	for _, pt := range PaneTypes() {
		kinds["pane "+string(pt)] = kind{schemaProps(t, v, "$defs", string(pt)+"Pane", "properties"), func(k string) string {
			return base + "panes:\n  - id: p\n    type: " + string(pt) + "\n    " + k + ":\n"
		}}
	}
	for name, k := range kinds {
		if len(k.schema) == 0 {
			t.Errorf("%s: the schema has no keys", name)
		}
		for _, key := range append(slices.Clone(k.schema), "bogus_key") {
			if key == "id" || key == "type" || key == "url" || key == "pane" || key == "panes" {
				continue // part of every document above
			}
			_, problems := Check(strings.NewReader(k.doc(key)), Options{Name: "x.yaml"})
			unknown := slices.ContainsFunc(problems, func(e *Error) bool {
				return strings.Contains(e.Msg, "unknown key") || strings.Contains(e.Msg, "is only for")
			})
			if unknown != (key == "bogus_key") {
				t.Errorf("%s: key %q: parser says unknown=%v:\n%s", name, key, unknown, pretty(problems))
			}
		}
	}
}

func TestSchemaTopLevelExtensions(t *testing.T) {
	v := loadSchema(t)
	src := []byte("x-common: &c { retry: 2s }\nfeeds:\n  a:\n    <<: *c\n    url: http://127.0.0.1:1/\n")
	var doc any
	if err := yaml.Unmarshal(src, &doc); err != nil {
		t.Fatal(err)
	}
	if errs := v.validate(map[string]any(v.root), normalize(doc), "$"); len(errs) > 0 {
		t.Errorf("schema rejects x- keys: %v", errs)
	}
	if _, problems := Check(bytes.NewReader(src), Options{Name: "x.yaml"}); len(problems) > 0 {
		t.Errorf("parser rejects x- keys: %s", pretty(problems))
	}
}
