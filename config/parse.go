package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/livefeed/livefeed/redact"
)

// MaxFileSize bounds a config file; anything larger is surely not one.
const MaxFileSize = 4 << 20

// Parse reads a YAML config, starting from the defaults. It reports YAML
// syntax errors (the first one; the parser cannot go on) and every unknown
// key, type mismatch and malformed value as an ErrorList. Except after a
// syntax error, the Config is returned even with errors so that Validate can
// add its findings to the same report.
func Parse(r io.Reader, opts Options) (*Config, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", displayName(opts.Name), err)
	}
	if len(data) > MaxFileSize {
		return nil, ErrorList{{Pos: Pos{File: opts.Name}, Msg: fmt.Sprintf("file is larger than %d MiB; is it really a livefeed config?", MaxFileSize>>20)}}
	}
	return parseBytes(data, opts)
}

func displayName(name string) string {
	if name == "" {
		return "config"
	}
	return name
}

func parseBytes(data []byte, opts Options) (*Config, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	src := newSource(opts.Name, data)
	cfg := &Config{Name: opts.Name, Theme: DefaultTheme(), Keys: DefaultKeys(), src: src}
	if !utf8.Valid(data) {
		return nil, ErrorList{firstInvalidUTF8(src)}
	}
	file, err := parser.ParseBytes(data, 0, parser.AllowDuplicateMapKey())
	if err != nil {
		return nil, ErrorList{syntaxError(src, err)}
	}
	d := &decoder{src: src, env: opts.Env, dir: opts.Dir, refs: map[string]bool{}}
	for _, doc := range file.Docs {
		if doc != nil && doc.Body != nil {
			ast.Walk(anchorCollector{&d.anchors}, doc.Body)
		}
	}
	cfg.keyAt = map[Action][]Pos{}
	cfg.at = map[string]Pos{}
	cfg.themeAt = map[Role]Pos{}
	d.document(cfg, file)
	finish(cfg)
	for r := range d.refs {
		cfg.EnvRefs = append(cfg.EnvRefs, r)
	}
	sort.Strings(cfg.EnvRefs)
	cfg.warnings = d.warns
	d.errs.Sort()
	return cfg, d.errs.Err()
}

func firstInvalidUTF8(src *source) *Error {
	for i, l := range src.lines {
		if !utf8.ValidString(l) {
			col := 1
			for j := range l {
				r, _ := utf8.DecodeRuneInString(l[j:])
				if r == utf8.RuneError {
					break
				}
				col++
			}
			e := src.errorAt(Pos{Line: i + 1, Col: col}, 1, "the file is not valid UTF-8")
			e.Source = strings.ToValidUTF8(l, "\ufffd")
			return e
		}
	}
	return src.errorAt(Pos{}, 1, "the file is not valid UTF-8")
}

// syntaxError turns the YAML parser's error into ours, with a plainer
// message for the mistakes people actually make.
func syntaxError(src *source, err error) *Error {
	var ye yaml.Error
	if !errors.As(err, &ye) || ye.GetToken() == nil || ye.GetToken().Position == nil {
		return src.errorAt(Pos{}, 1, "YAML syntax error: %v", err)
	}
	tk := ye.GetToken()
	p := Pos{Line: tk.Position.Line, Col: tk.Position.Column}
	msg := ye.GetMessage()
	hint := ""
	switch {
	case strings.Contains(msg, "cannot start any token") && strings.Contains(msg, "\t"):
		// The scanner reports a tab at the start of the token's text.
		line := src.line(p.Line)
		if i := strings.IndexByte(line, '\t'); i >= 0 {
			p.Col = utf8.RuneCountInString(line[:i]) + 1
		}
		msg = "tab character in indentation: YAML indents with spaces only"
		hint = "replace the tab with spaces (most editors can convert tabs to spaces)"
	case msg == "mapping value is not allowed in this context":
		if strings.Contains(strings.TrimRight(tk.Origin, " \n"), "\n") {
			// A plain value ran on into the next line, which was indented
			// deeper than its key: point at that line.
			p = lineStart(src, p.Line+1)
			msg = "bad indentation: this line is indented deeper than the key above it"
			hint = "keys of the same mapping must start in the same column"
		} else {
			msg = "unexpected ':' here: a value cannot itself be a key: value pair on the same line"
			hint = "quote the value if it contains \": \" (for example title: \"Chg: %\"), or start a nested mapping on the next line"
		}
	case strings.HasPrefix(msg, "value is not allowed in this context"), msg == "non-map value is specified", msg == "unexpected key name":
		msg = "bad indentation: this line does not line up with the lines above it"
		hint = "keys of the same mapping must start in the same column; list items start with \"- \" at their parent's indentation or deeper"
	case strings.HasPrefix(msg, "could not find end character of double-quoted text"), strings.HasPrefix(msg, "could not find end character of single-quoted text"):
		p.Col = quoteCol(src.line(p.Line), p.Col)
		msg = "unterminated quoted string: the closing quote is missing"
	case msg == "',' or ']' must be specified":
		msg = "expected ',' or ']' here: is the list's closing ']' missing?"
	case msg == "',' or '}' must be specified":
		msg = "expected ',' or '}' here: is the mapping's closing '}' missing?"
	case msg == "sequence end token ']' not found":
		msg = "unclosed '[': the list has no closing ']'"
	case msg == "could not find flow mapping end token '}'":
		msg = "unclosed '{': the mapping has no closing '}'"
	case strings.HasPrefix(msg, "could not find '[' character"):
		msg = "unmatched ']'"
	case strings.HasPrefix(msg, "could not find '{' character"):
		msg = "unmatched '}'"
	case strings.Contains(msg, "map key definition includes an implicit line break"):
		msg = "a key must fit on one line"
	default:
		msg = "YAML syntax error: " + msg
	}
	e := src.errorAt(p, 1, "%s", msg)
	e.Hint = hint
	return e
}

// lineStart is the position of the first non-space character of a line.
func lineStart(src *source, line int) Pos {
	l := src.line(line)
	return Pos{Line: line, Col: utf8.RuneCountInString(l[:len(l)-len(strings.TrimLeft(l, " "))]) + 1}
}

// quoteCol moves a column reported before a quoted string onto its quote.
func quoteCol(line string, col int) int {
	from := runeOffset(line, col-1)
	if i := strings.IndexAny(line[from:], `"'`); i >= 0 {
		return utf8.RuneCountInString(line[:from+i]) + 1
	}
	return col
}

// document decodes the top level.
func (d *decoder) document(cfg *Config, f *ast.File) {
	var body ast.Node
	for _, doc := range f.Docs {
		if doc == nil || doc.Body == nil {
			continue
		}
		if body != nil {
			d.errorf(d.pos(doc.Body), 1, "a config is one YAML document; remove this second one (after ---)")
			break
		}
		body = doc.Body
	}
	if body == nil {
		return
	}
	es, ok := d.mapping(body, "the config")
	if !ok {
		cfg.at["?feeds"] = d.pos(body) // reported; do not add "no feeds"
		return
	}
	// Keys starting with x- are ignored, so that they can hold anchors
	// (x-defaults: &defaults {...}) as in Compose files.
	es = slices.DeleteFunc(es, func(e entry) bool { return strings.HasPrefix(e.key, "x-") })
	decodeFields(d, es, section{what: "the config", at: cfg.at}, topFields(), cfg)
	for _, e := range es {
		// A section given as an alias (feeds: *all) is reported where the
		// alias is, not where its anchor is.
		if _, ok := cfg.at[e.key]; ok {
			cfg.at[e.key] = d.pos(e.value)
		}
	}
}

func (d *decoder) feeds(cfg *Config, n ast.Node) {
	broken := func() { // reported; Validate should not add "feeds is empty"
		cfg.at["?feeds"] = cfg.at["feeds"]
		delete(cfg.at, "feeds")
	}
	if seq, ok := d.resolve(n).(*ast.SequenceNode); ok {
		d.errorf(d.pos(seq), 1, "feeds must be a mapping from feed name to settings, not a list").Hint =
			"write a mapping from name to settings:\n  feeds:\n    stocks:\n      url: http://…"
		broken()
		return
	}
	es, ok := d.mapping(n, "feeds")
	if !ok {
		broken()
		return
	}
	for _, e := range es {
		if v := d.resolve(e.value); slices.Contains(keysOf(feedFields()), e.key) && !isMapping(v) {
			// "retry: 3s" one level too shallow reads as a feed named retry.
			d.errorf(e.kpos, utf8.RuneCountInString(e.key), "%q is a feed setting, but it is indented as a feed name", e.key).Hint =
				"indent it under its feed, in line with that feed's url:"
			continue
		}
		f := defaults(feedFields(), &Feed{Name: e.key, Pos: e.kpos, at: map[string]Pos{}})
		cfg.Feeds = append(cfg.Feeds, f)
		if isNull(d.resolve(e.value)) {
			continue
		}
		if s, isStr := d.resolve(e.value).(*ast.StringNode); isStr {
			d.errorf(d.pos(s), span(s), "feed %q must be a mapping of settings, got %s", f.Name, describe(s)).Hint =
				fmt.Sprintf("write\n  %s:\n    url: %s", f.Name, s.Value)
			f.urlBad = true
			continue
		}
		d.feed(f, e.value)
	}
}

func (d *decoder) feed(f *Feed, n ast.Node) {
	what := fmt.Sprintf("feed %q", f.Name)
	if es, ok := d.mapping(n, what); ok {
		decodeFields(d, es, section{what: what, of: " of " + what, at: f.at}, feedFields(), f)
	}
}

// headerTokenRE is RFC 9110's token, the characters a header name may use.
func headerTokenRE() *regexp.Regexp { return regexp.MustCompile("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$") }

func (d *decoder) headers(f *Feed, n ast.Node) {
	what := fmt.Sprintf("headers of feed %q", f.Name)
	es, ok := d.mapping(n, what)
	if !ok {
		return
	}
	seen := map[string]Pos{}
	tokenRE := headerTokenRE()
	for _, e := range es {
		if !tokenRE.MatchString(e.key) {
			d.errorf(e.kpos, utf8.RuneCountInString(e.key), "%q is not a valid header name (letters, digits and - only)", e.key)
			continue
		}
		lower := strings.ToLower(e.key)
		if first, dup := seen[lower]; dup {
			d.errorf(e.kpos, utf8.RuneCountInString(e.key), "header %q is set twice in feed %q (also on line %d; header names ignore case)", e.key, f.Name, first.Line)
			continue
		}
		seen[lower] = e.kpos
		v := d.resolve(e.value)
		if isNull(v) {
			f.Headers[e.key] = ""
			continue
		}
		val, ok := d.text(v, fmt.Sprintf("header %q of feed %q", e.key, f.Name))
		if !ok {
			continue
		}
		f.at["headers."+e.key] = d.pos(v)
		if strings.ContainsAny(val, "\r\n\x00") {
			d.errorf(d.pos(v), span(v), "header %q of feed %q must be one line (it contains a line break)", e.key, f.Name)
			continue
		}
		f.Headers[e.key] = val
		if looksSecret(e.key, val) && !strings.Contains(raw(v), "${") {
			env := secretEnvName(f.Name, e.key)
			w := d.warnf(d.pos(v), span(v), "header %q of feed %q is a credential written into the file", e.key, f.Name)
			w.Hint = fmt.Sprintf("keep secrets out of config files: write %s: \"%s\" and export %s", e.key, secretTemplate(val, env), env)
		} else if looksSecret(e.key, val) {
			for _, ld := range literalDefaults(raw(v)) {
				d.warnDefault(v, fmt.Sprintf("header %q of feed %q", e.key, f.Name), ld)
			}
		}
	}
}

func isMapping(n ast.Node) bool {
	switch n.(type) {
	case *ast.MappingNode, *ast.MappingValueNode:
		return true
	}
	return false
}

// looksSecret says whether a header probably carries a credential.
func looksSecret(name, value string) bool {
	n := strings.ToLower(name)
	for _, s := range []string{"authorization", "token", "key", "cookie", "secret", "password", "auth", "session"} {
		if strings.Contains(n, s) {
			return value != ""
		}
	}
	v := strings.ToLower(value)
	return strings.HasPrefix(v, "bearer ") || strings.HasPrefix(v, "basic ")
}

// secretEnvName suggests a variable name for a header's secret, like
// STOCKS_TOKEN for Authorization or STOCKS_API_KEY for X-Api-Key.
func secretEnvName(feed, header string) string {
	up := func(s string) string {
		return strings.ToUpper(strings.NewReplacer("-", "_", ".", "_").Replace(s))
	}
	h := strings.ToLower(header)
	suffix := "TOKEN"
	if h != "authorization" && !strings.Contains(h, "token") {
		suffix = up(strings.TrimPrefix(h, "x-"))
	}
	return up(feed) + "_" + suffix
}

// secretTemplate suggests a ${VAR} form keeping an auth scheme word.
func secretTemplate(val, env string) string {
	if scheme, _, ok := strings.Cut(val, " "); ok && (strings.EqualFold(scheme, "bearer") || strings.EqualFold(scheme, "basic") || strings.EqualFold(scheme, "token")) {
		return scheme + " ${" + env + "}"
	}
	return "${" + env + "}"
}

// checkURLSecrets warns about passwords and tokens written into a URL.
func (d *decoder) checkURLSecrets(f *Feed, v ast.Node) {
	rawURL := raw(v)
	u, err := url.Parse(f.URL)
	if err != nil {
		return
	}
	if _, hasPw := u.User.Password(); hasPw && !strings.Contains(rawURL, "${") {
		d.warnf(d.pos(v), span(v), "the URL of feed %q contains a password", f.Name).Hint =
			"move it to the environment, e.g. https://user:${FEED_PASSWORD}@host/…, or use an Authorization header with ${VAR}"
		return
	}
	for key, vals := range u.Query() {
		if looksSecret(key, strings.Join(vals, "")) && !strings.Contains(rawURL, "${") {
			d.warnf(d.pos(v), span(v), "the URL of feed %q carries a credential in its %q parameter", f.Name, key).Hint =
				fmt.Sprintf("write %s=${%s} and export the variable", key, strings.ToUpper(key))
			return
		}
	}
	// A default standing where the password or a secret parameter goes:
	// find where each default lands by putting a marker in its place.
	defaults := literalDefaults(rawURL)
	for i, ld := range defaults {
		const marker = "LIVEFEEDDEFAULTMARKER"
		marked := rawURL
		for j, other := range defaults {
			with := "x" // the others stand aside, as parseable text
			if j == i {
				with = marker
			}
			marked = strings.Replace(marked, other.Ref, with, 1)
		}
		u, err := url.Parse(marked)
		if err != nil {
			continue
		}
		pw, _ := u.User.Password()
		secret := strings.Contains(pw, marker)
		for key, vals := range u.Query() {
			secret = secret || (redact.SecretParam(key) && strings.Contains(strings.Join(vals, ""), marker))
		}
		if secret {
			d.warnDefault(v, fmt.Sprintf("the URL of feed %q", f.Name), ld)
		}
	}
}

// warnDefault warns about a credential given as the literal default of an
// environment variable: it is in the file, and used whenever the variable
// is unset.
func (d *decoder) warnDefault(v ast.Node, what string, ld envDefault) {
	d.warnf(d.findInScalar(v, ld.Ref), utf8.RuneCountInString(ld.Ref), "%s falls back to a credential written into the file: the default of $%s", what, ld.Name).Hint =
		fmt.Sprintf("write ${%s} without a default so that a missing variable is an error (fine to keep for a public demo token)", ld.Name)
}

func (d *decoder) theme(cfg *Config, n ast.Node) {
	es, ok := d.mapping(n, "theme")
	if !ok {
		return
	}
	roles := make([]string, 0, len(Roles()))
	for _, r := range Roles() {
		roles = append(roles, string(r))
	}
	d.fields(es, "theme", roles, nil, func(e entry) {
		v := d.resolve(e.value)
		s, ok := d.text(v, "theme colour "+e.key)
		if !ok {
			return
		}
		c, err := ParseColor(s)
		if err != nil {
			d.errorf(d.pos(v), span(v), "theme %s: %v", e.key, err)
			return
		}
		cfg.Theme[Role(e.key)] = c
		cfg.themeAt[Role(e.key)] = d.pos(v)
	})
}

func (d *decoder) keys(cfg *Config, n ast.Node) {
	es, ok := d.mapping(n, "keys")
	if !ok {
		return
	}
	actions := make([]string, 0, len(Actions()))
	for _, a := range Actions() {
		actions = append(actions, string(a))
	}
	d.fields(es, "keys", actions, nil, func(e entry) {
		v := d.resolve(e.value)
		items, ok := d.stringList(v, "keys for "+e.key)
		if !ok {
			return
		}
		a := Action(e.key)
		keys := []string{}
		var at []Pos
		for _, it := range items {
			k, err := NormalizeKey(it.val)
			if err != nil {
				d.errorf(it.pos, span(it.node), "%v", err)
				continue
			}
			if slices.Contains(keys, k) {
				d.errorf(it.pos, span(it.node), "key %q is listed twice for %s", it.val, e.key)
				continue
			}
			keys = append(keys, k)
			at = append(at, it.pos)
		}
		if len(at) == 0 {
			at = []Pos{d.pos(v)} // where the action was unbound
		}
		cfg.Keys[a] = keys
		cfg.keyAt[a] = at
	})
}

// explicit reports whether the user bound an action in the file.
func (c *Config) explicitKeys(a Action) bool {
	_, ok := c.keyAt[a]
	return ok
}
