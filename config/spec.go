package config

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/goccy/go-yaml/ast"
)

// spec is the one description of a config key (rule 10): its name, the
// JSON Schema of its value, its one-line doc with the default, and how it
// decodes into the section's struct T. The decoder's key dispatch and
// did-you-mean candidates, the defaults, Schema() and ExplainKeys all derive
// from the tables of specs in fields.go, so adding a key is adding one entry
// there (and the struct field it fills).
type spec[T any] struct {
	key      string
	doc      string                        // one line, shown in the schema; "" for none
	schema   obj                           // the value's JSON Schema, description aside
	required bool                          // the section needs it (schema "required")
	init     func(x *T)                    // sets the default; nil: the zero value
	decode   func(d *decoder, a arg, x *T) // nil: the section decodes it itself
}

// arg is the value of one key being decoded.
type arg struct {
	v    ast.Node // resolved and not null
	kpos Pos      // where the key is written
	name string   // the value in messages: `retry of feed "stocks"`
	in   section  // the section being decoded; in.what names it in messages
}

// jsonSchema is the key's schema with its doc as description.
func (s spec[T]) jsonSchema() obj {
	if s.doc == "" {
		return s.schema
	}
	return desc(s.doc, s.schema)
}

// keysOf lists a table's keys in order: the did-you-mean candidates.
func keysOf[T any](specs []spec[T]) []string {
	keys := make([]string, len(specs))
	for i, s := range specs {
		keys[i] = s.key
	}
	return keys
}

func lookup[T any](specs []spec[T], key string) (spec[T], bool) {
	for _, s := range specs {
		if s.key == key {
			return s, true
		}
	}
	return spec[T]{}, false
}

// properties is a table as JSON Schema properties.
func properties[T any](specs []spec[T]) obj {
	o := make(obj, 0, len(specs))
	for _, s := range specs {
		o = append(o, kv{s.key, s.jsonSchema()})
	}
	return o
}

// object is a table as a closed JSON Schema object.
func object[T any](specs []spec[T]) obj {
	o := obj{{"type", "object"}, {"properties", properties(specs)}}
	var req []string
	for _, s := range specs {
		if s.required {
			req = append(req, s.key)
		}
	}
	if len(req) > 0 {
		o = append(o, kv{"required", req})
	}
	return append(o, kv{"additionalProperties", false})
}

// defaults sets every default a table declares.
func defaults[T any](specs []spec[T], x *T) *T {
	for _, s := range specs {
		if s.init != nil {
			s.init(x)
		}
	}
	return x
}

// section is where a table's keys are decoded to and reported from.
type section struct {
	what   string         // for unknown keys: `tls of feed "a"`
	of     string         // joins a key into a value's name: ` of feed "a"`
	at     map[string]Pos // where each key was written; nil: not kept
	prefix string         // of keys in at: "tls."
}

// decodeFields decodes a mapping's entries by the table, reporting unknown
// keys with did-you-mean candidates from it.
func decodeFields[T any](d *decoder, es []entry, sec section, specs []spec[T], x *T) {
	d.fields(es, sec.what, keysOf(specs), sec.at, func(e entry) {
		s, _ := lookup(specs, e.key)
		decodeOne(d, e, sec, s, x)
	})
}

// decodeOne decodes one known, non-null key. A key whose value was reported
// is marked "!key" in at, so that checks comparing it with others stay quiet.
func decodeOne[T any](d *decoder, e entry, sec section, s spec[T], x *T) {
	v := d.resolve(e.value)
	if sec.at != nil {
		sec.at[sec.prefix+e.key] = d.pos(v)
	}
	if s.decode == nil {
		return
	}
	before := len(d.errs)
	s.decode(d, arg{v: v, kpos: e.kpos, name: e.key + sec.of, in: sec}, x)
	if sec.at != nil && len(d.errs) > before {
		sec.at["!"+sec.prefix+e.key] = sec.at[sec.prefix+e.key]
	}
}

// The constructors below are the kinds of value a key can hold. Each takes
// the key, its doc and where in T the value goes.

func textKey[T any](key, doc string, to func(*T) *string) spec[T] {
	return spec[T]{key: key, doc: doc, schema: obj{{"type", "string"}},
		decode: func(d *decoder, a arg, x *T) { *to(x), _ = d.text(a.v, a.name) }}
}

// pathKey is a gjson payload path, checked where it is written.
func pathKey[T any](key, doc string, to func(*T) *string) spec[T] {
	return spec[T]{key: key, doc: doc, schema: obj{{"type", "string"}},
		decode: func(d *decoder, a arg, x *T) {
			if s, ok := d.text(a.v, a.name); ok && d.checkPath(a.v, s, a.name) {
				*to(x) = s
			}
		}}
}

func boolKey[T any](key, doc string, to func(*T) *bool) spec[T] {
	return spec[T]{key: key, doc: doc, schema: obj{{"type", "boolean"}},
		decode: func(d *decoder, a arg, x *T) { *to(x), _ = d.boolean(a.v, a.name) }}
}

// negBoolKey is a boolean that defaults to true, stored negated so that the
// zero value of the struct means the default.
func negBoolKey[T any](key, doc string, to func(*T) *bool) spec[T] {
	return spec[T]{key: key, doc: doc + " Default true.", schema: obj{{"type", "boolean"}},
		decode: func(d *decoder, a arg, x *T) {
			if v, ok := d.boolean(a.v, a.name); ok {
				*to(x) = !v
			}
		}}
}

// intKey is a whole number within [lo, hi]; a value out of range keeps the
// default.
func intKey[T any](key, doc string, lo, hi int, to func(*T) *int) spec[T] {
	return spec[T]{key: key, doc: doc, schema: obj{{"type", "integer"}, {"minimum", lo}, {"maximum", hi}},
		decode: func(d *decoder, a arg, x *T) {
			if n, ok := d.integer(a.v, a.name, lo, hi); ok {
				*to(x) = n
			}
		}}
}

// durationKey is a duration such as 3s with its default, which the doc
// states.
func durationKey[T any](key, doc string, def time.Duration, to func(*T) *time.Duration) spec[T] {
	return spec[T]{key: key, doc: doc + " Default " + showDuration(def) + ".", schema: ref("duration"),
		init: func(x *T) { *to(x) = def },
		decode: func(d *decoder, a arg, x *T) {
			if v, ok := d.duration(a.v, a.name); ok {
				*to(x) = v
			}
		}}
}

// sizeKey is a byte count such as 1MiB with its default, which the doc
// states.
func sizeKey[T any](key, doc string, def int64, to func(*T) *int64) spec[T] {
	return spec[T]{key: key, doc: doc + " Default " + showSize(def) + ".", schema: ref("size"),
		init: func(x *T) { *to(x) = def },
		decode: func(d *decoder, a arg, x *T) {
			if v, ok := d.size(a.v, a.name); ok {
				*to(x) = v
			}
		}}
}

// nested is a mapping decoded by its own table.
func nested[T, U any](key, doc string, specs func() []spec[U], to func(*T) *U) spec[T] {
	return spec[T]{key: key, doc: doc, schema: object(specs()),
		decode: func(d *decoder, a arg, x *T) {
			what := key + " of " + a.in.what
			es, ok := d.mapping(a.v, what)
			if !ok {
				return
			}
			in := section{what: what, of: a.in.of, at: a.in.at, prefix: a.in.prefix + key + "."}
			decodeFields(d, es, in, specs(), to(x))
		}}
}

// custom is a key whose value needs its own decoder.
func custom[T any](key, doc string, schema obj, decode func(d *decoder, a arg, x *T)) spec[T] {
	return spec[T]{key: key, doc: doc, schema: schema, decode: decode}
}

// must marks a key the section requires.
func must[T any](s spec[T]) spec[T] {
	s.required = true
	return s
}

// showDuration writes a default as people write it: 60s, not 1m0s.
func showDuration(d time.Duration) string {
	if d%time.Second == 0 {
		return fmt.Sprintf("%ds", d/time.Second)
	}
	return d.String()
}

// showSize writes a default byte count in the largest binary unit that
// divides it.
func showSize(n int64) string {
	for _, u := range []struct {
		name string
		size int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if n > 0 && n%u.size == 0 {
			return fmt.Sprintf("%d%s", n/u.size, u.name)
		}
	}
	return fmt.Sprintf("%d", n)
}

// enumKey is one of a fixed set of words, with did-you-mean on a typo; a
// non-empty def is the default, which the doc states.
func enumKey[T any](key, doc string, values []string, def string, set func(x *T, v string)) spec[T] {
	s := spec[T]{key: key, doc: doc, schema: obj{{"enum", values}},
		decode: func(d *decoder, a arg, x *T) {
			s, ok := d.text(a.v, a.name)
			if !ok {
				return
			}
			if !slices.Contains(values, s) {
				d.errorf(d.pos(a.v), span(a.v), "%s must be %s, got %q%s", a.name, orList(values), s, didYouMean(s, values))
				return
			}
			set(x, s)
		}}
	if def != "" {
		s.doc += " Default " + def + "."
		s.init = func(x *T) { set(x, def) }
	}
	return s
}

// fileKey is a local file, relative to the config file's directory; ~/ is
// the home directory.
func fileKey[T any](key, doc string, to func(*T) *string) spec[T] {
	return spec[T]{key: key, doc: doc, schema: obj{{"type", "string"}},
		decode: func(d *decoder, a arg, x *T) {
			if s, ok := d.text(a.v, a.name); ok {
				*to(x) = d.localPath(s)
			}
		}}
}

// orList writes "a, b or c".
func orList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}
