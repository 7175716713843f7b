package config

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/goccy/go-yaml/ast"
	"github.com/livefeed/livefeed/feed"
	"github.com/livefeed/livefeed/render"
)

// The tables below describe every key of every section once. The decoder
// dispatches on them, takes its did-you-mean candidates from them, and
// Schema() is built from them; theme roles and key actions have their own
// tables (roleTable, actionTable). To add a key, add one entry here.

// idPattern is what a feed name or pane id may look like.
const idPattern = `^[A-Za-z0-9][A-Za-z0-9_.-]*$`

// topFields are the top-level keys (x- keys aside, which are ignored).
func topFields() []spec[Config] {
	return []spec[Config]{
		custom("feeds", "SSE endpoints by name.", obj{
			{"type", "object"},
			{"propertyNames", obj{{"pattern", idPattern}}},
			{"additionalProperties", ref("feed")},
		}, func(d *decoder, a arg, c *Config) { d.feeds(c, a.v) }),
		custom("panes", "What to show, in order.", obj{{"type", "array"}, {"items", ref("pane")}},
			func(d *decoder, a arg, c *Config) { d.panes(c, a.v) }),
		custom("layout", "Rows of panes, top to bottom, or {pages: [{name, rows}, ...]}. Panes left out are added at the bottom (of the last page).", obj{{"anyOf", []any{
			obj{{"type", "array"}, {"items", ref("row")}},
			object(layoutFields()),
		}}},
			func(d *decoder, a arg, c *Config) { c.hasLayout = true; d.layout(c, a.v) }),
		custom("theme", "Colours by role; unset roles keep their defaults.", obj{{"type", "object"}, {"properties", themeProperties()}, {"additionalProperties", false}},
			func(d *decoder, a arg, c *Config) { d.theme(c, a.v) }),
		custom("alerts", "Alert rules: when an event matches, add it to the alert list (a list pane with feed: $alerts), ring the bell, notify.", obj{{"type", "array"}, {"items", object(alertFields())}},
			func(d *decoder, a arg, c *Config) { d.alerts(c, a.v) }),
		custom("keys", "Key bindings by action; [] unbinds. ctrl+c always quits.", obj{{"type", "object"}, {"properties", keyProperties()}, {"additionalProperties", false}},
			func(d *decoder, a arg, c *Config) { d.keys(c, a.v) }),
	}
}

// feedFields are the settings of one feed; their defaults are the engine's.
func feedFields() []spec[Feed] {
	return []spec[Feed]{
		must(custom("url", "The event stream's http:// or https:// URL. ${VAR} and ${VAR:-default} are expanded.", obj{{"type", "string"}},
			func(d *decoder, a arg, f *Feed) {
				before := len(d.errs)
				f.URL, _ = d.text(a.v, a.name)
				if f.urlBad = len(d.errs) > before; !f.urlBad {
					d.checkURLSecrets(f, a.v)
				}
			})),
		{key: "headers", doc: "Request headers. Put secrets in the environment: Authorization: \"Bearer ${TOKEN}\".",
			schema: obj{{"type", "object"}, {"additionalProperties", obj{{"type", []string{"string", "number", "boolean"}}}}},
			init:   func(f *Feed) { f.Headers = map[string]string{} },
			decode: func(d *decoder, a arg, f *Feed) { d.headers(f, a.v) }},
		durationKey("retry", "First reconnection delay; the server's retry: field overrides it.", DefaultRetry, func(f *Feed) *time.Duration { return &f.Retry }),
		durationKey("max_backoff", "Longest delay between failed reconnection attempts.", DefaultMaxBackoff, func(f *Feed) *time.Duration { return &f.MaxBackoff }),
		durationKey("stale", "Reconnect when nothing at all (not even a comment) arrives for this long; 0 turns it off.", DefaultStale, func(f *Feed) *time.Duration { return &f.Stale }),
		sizeKey("max_event_size", "Most bytes one event (or line) may take; a larger one drops the connection.", DefaultMaxEventSize, func(f *Feed) *int64 { return &f.MaxEventSize }),
		durationKey("connect_timeout", "How long to wait for the response headers.", DefaultConnectTimeout, func(f *Feed) *time.Duration { return &f.ConnectTimeout }),
		nested("tls", "", tlsFields, func(f *Feed) *TLS { return &f.TLS }),
		enumKey("method", "HTTP method of the request; EventSource only sends GET, LLM APIs stream the answer to a POST.", feed.Methods(), "GET",
			func(f *Feed, s string) { f.Method = s }),
		custom("body", "Request body sent with every attempt: text as written, or a mapping or list sent as JSON (with Content-Type: application/json unless headers set one). ${VAR} is expanded inside.",
			obj{{"anyOf", []any{obj{{"type", "string"}}, obj{{"type", "object"}}, obj{{"type", "array"}}}}}, decodeBody),
		custom("body_file", "File whose contents are the request body (relative to the config file); not with body.", obj{{"type", "string"}}, decodeBodyFile),
		custom("headers_command", "Command (argv list, no shell) run before every connection attempt with a 10s timeout; each stdout line \"Name: value\" is a header that overrides headers. With it, a 401 or 403 is retried with backoff.",
			obj{{"type", "array"}, {"minItems", 1}, {"items", obj{{"type", "string"}}}}, decodeHeadersCommand),
		enumKey("reconnect", "After the stream ends: always reopen it (EventSource), never (the feed stays CLOSED \"stream ended\"), or auto: always for GET, never for other methods.", feed.ReconnectPolicies(), "auto",
			func(f *Feed, s string) { f.Reconnect, _ = feed.ParseReconnectPolicy(s) }),
		textKey("end_on", "Data of the event that ends the stream, e.g. \"[DONE]\": that event is not shown, the feed is CLOSED \"finished\" and does not reconnect.", func(f *Feed) *string { return &f.EndOn }),
		{key: "retry_on", doc: "HTTP statuses retried with backoff instead of closing the feed; Retry-After is honoured up to max_backoff. [] behaves as a browser does. Default [502, 503, 504].",
			schema: obj{{"type", "array"}, {"items", obj{{"type", "integer"}, {"minimum", MinStatus}, {"maximum", MaxStatus}}}},
			init:   func(f *Feed) { f.RetryOn = feed.DefaultRetryOn() },
			decode: decodeRetryOn},
		pathKey("event_from", "Payload path of the event's name, used when it holds non-empty text (smee.io: x-github-event); events:, logs and the inspector see that name.", func(f *Feed) *string { return &f.EventFrom }),
		custom("drop", "Event names (globs) discarded before routing, e.g. [keep-alive]; counted as dropped, not in ev/s.", ref("stringList"), decodeFeedDrop),
	}
}

func tlsFields() []spec[TLS] {
	return []spec[TLS]{
		fileKey("ca_file", "PEM file of extra certificate authorities to trust (relative to the config file).", func(t *TLS) *string { return &t.CAFile }),
		boolKey("insecure", "Skip certificate verification. Only for testing.", func(t *TLS) *bool { return &t.Insecure }),
	}
}

// paneFields are the keys every pane takes. id and type are decoded before
// the rest, since type decides which other keys a pane takes.
func paneFields() []spec[Pane] {
	return []spec[Pane]{
		must(spec[Pane]{key: "id", doc: "Unique name of the pane, used by layout.", schema: obj{{"type", "string"}, {"pattern", idPattern}}}),
		must(spec[Pane]{key: "type"}), // its schema is the kind's const
		textKey("title", "Shown in the pane's border; defaults to the id.", func(p *Pane) *string { return &p.Title }),
		custom("feed", "The one feed this pane listens to.", obj{{"type", "string"}}, decodePaneFeed),
		custom("feeds", "Feeds this pane listens to; omit for all feeds.", ref("stringList"), decodePaneFeeds),
		custom("events", "Event names (globs like price.*) this pane takes. Omitted: every event; for a log pane, every event no other pane took.", ref("stringList"), decodePaneEvents),
		intKey("max", "How many items the pane keeps.", 1, MaxItems, func(p *Pane) *int { return &p.Max }),
		custom("where", "Condition on the event (an expression, or a list that must all hold), e.g. 'meta.domain != \"canary\" && !bot'; other events skip this pane.", ref("stringList"), decodePaneWhere),
	}
}

// paneKind is one type of pane and the keys only it takes.
type paneKind struct {
	typ    PaneType
	doc    string // the schema's description of type:
	short  string // for the list of types in messages
	max    int    // default max:
	fields []spec[Pane]
}

func paneKinds() []paneKind {
	text := []spec[Pane]{
		custom("text", "Template for each item, e.g. \"{source}: {title}\", or a mapping from event name to template.", obj{
			{"anyOf", []any{
				obj{{"type", "string"}},
				obj{{"type", "object"}, {"additionalProperties", obj{{"type", "string"}}}},
			}},
		}, func(d *decoder, a arg, p *Pane) { p.Text = d.textRules(a.v, a.in.what) }),
		pathKey("level", "Payload path of a severity (info, warning, error, …) that colours each item.", func(p *Pane) *string { return &p.Level }),
	}
	table := []spec[Pane]{
		must(custom("key", "Payload path identifying a row, e.g. symbol, or a mapping from event name to path: { delete: \"@this\", \"*\": id }.", obj{
			{"anyOf", []any{
				obj{{"type", "string"}},
				obj{{"type", "object"}, {"additionalProperties", obj{{"type", "string"}}}},
			}},
		}, decodePaneKey)),
		must(custom("columns", "", obj{{"type", "array"}, {"minItems", 1}, {"items", ref("column")}},
			func(d *decoder, a arg, p *Pane) { p.Columns = d.columns(a.v, a.in.what) })),
		custom("remove_on", "Event names (globs) whose events remove the row with their key, e.g. [delete].", ref("stringList"),
			func(d *decoder, a arg, p *Pane) { p.RemoveOn = d.patterns(a, p.at) }),
		enumKey("merge", "How an event updates its row: replace it, or deep (a JSON merge patch, RFC 7396: the event's fields replace the row's, null deletes one, the rest stay).",
			[]string{string(MergeReplace), string(MergeDeep)}, string(MergeReplace), func(p *Pane, s string) { p.Merge = MergeMode(s) }),
		custom("sort", "Default order: a column (title or path) or payload path, ascending; -PATH for descending.", obj{{"type", "string"}, {"pattern", `^-?.+$`}},
			decodePaneSort),
		durationKey("expire", "Remove rows not updated for this long; 0 keeps them.", 0, func(p *Pane) *time.Duration { return &p.Expire }),
	}
	textPane := []spec[Pane]{
		must(pathKey("path", "Payload path of the fragment each event appends, e.g. choices.0.delta.content or delta.text.", func(p *Pane) *string { return &p.Path })),
		custom("reset_on", "Event names (globs) that start a new transcript, e.g. [message_start]; earlier ones stay above.", ref("stringList"),
			func(d *decoder, a arg, p *Pane) { p.ResetOn = d.patterns(a, p.at) }),
	}
	format := custom("format", "How numbers are written (y-axis labels, tile values): a column format such as %.1f, percent:0, compact or bytes.",
		obj{{"type", "string"}}, func(d *decoder, a arg, p *Pane) { p.Format = d.format(a.v, a.name) })
	splitBy := pathKey("split_by", "Payload path whose value gets its own line or tile, e.g. host.", func(p *Pane) *string { return &p.SplitBy })
	progress := []spec[Pane]{
		must(pathKey("key", "Payload path identifying a job, e.g. job_id.", func(p *Pane) *string { return &p.Key })),
		custom("label", "Template naming a job, e.g. \"{name}\"; defaults to the key.", obj{{"type", "string"}},
			func(d *decoder, a arg, p *Pane) { p.Label, _ = d.template(a.v, a.name) }),
		pathKey("percent", "Payload path of the percentage done (0-100); or give done and total.", func(p *Pane) *string { return &p.Percent }),
		pathKey("done", "Payload path of the units of work done, of total.", func(p *Pane) *string { return &p.Done }),
		pathKey("total", "Payload path of the units of work in all.", func(p *Pane) *string { return &p.Total }),
		pathKey("stage", "Payload path of the job's current step.", func(p *Pane) *string { return &p.Stage }),
		pathKey("eta", "Payload path of the seconds left; without it the ETA is estimated from the rate.", func(p *Pane) *string { return &p.ETA }),
		pathKey("error", "Payload path of a failed job's message. Default error.", func(p *Pane) *string { return &p.Error }),
		custom("complete_on", "Event names that mark a job done (shown green).", ref("stringList"),
			func(d *decoder, a arg, p *Pane) { p.CompleteOn = d.eventGlobs(a.v, a.name) }),
		custom("fail_on", "Event names that mark a job failed (shown red, with its error).", ref("stringList"),
			func(d *decoder, a arg, p *Pane) { p.FailOn = d.eventGlobs(a.v, a.name) }),
		durationKey("linger", "How long a finished job stays shown.", DefaultLinger, func(p *Pane) *time.Duration { return &p.Linger }),
	}
	chart := []spec[Pane]{
		custom("series", "Payload paths of the numbers to draw, one line each, e.g. [cpu_pct, mem_pct].", ref("stringList"),
			func(d *decoder, a arg, p *Pane) { p.Series = d.paths(a.v, a.name) }),
		splitBy,
		durationKey("window", "The time span shown.", DefaultWindow, func(p *Pane) *time.Duration { return &p.Window }),
		custom("y_range", "The y axis: auto (fits the data shown) or a fixed [min, max].", obj{
			{"anyOf", []any{
				obj{{"const", "auto"}},
				obj{{"type", "array"}, {"items", obj{{"type", "number"}}}, {"minItems", 2}, {"maxItems", 2}},
			}},
		}, func(d *decoder, a arg, p *Pane) { p.YRange = d.sparkRange(a.v, a.name) }),
		format,
	}
	stat := []spec[Pane]{
		pathKey("value", "Payload path of the tile's number, e.g. cpu_pct; or give expr.", func(p *Pane) *string { return &p.Value }),
		custom("expr", "Expression computing the tile's number instead of value: 'mem_used / mem_total * 100'.", obj{{"type", "string"}},
			func(d *decoder, a arg, p *Pane) {
				if s, ok := d.text(a.v, a.name); ok {
					p.ValueExpr, _ = d.expression(a.v, s, a.name, false)
				}
			}),
		splitBy,
		format,
		nested("thresholds", "Colour a tile from these values up, e.g. {warning: 70, error: 90}.", thresholdFields, func(p *Pane) *Thresholds { return &p.Thresholds }),
		intKey("spark", "How many recent values the sparkline under the number draws; 0 draws none. Default 20.", 0, 1000, func(p *Pane) *int { return &p.Spark }),
	}
	table = append(table, negBoolKey("flash", "Cue changed numbers with ▲/▼ for about a second; false turns the cues off for the whole table.",
		func(p *Pane) *bool { return &p.NoFlash }))
	list := append(slices.Clip(text), negBoolKey("unread", "Count items that arrive while the list is not focused or scrolled away; false hides the count.",
		func(p *Pane) *bool { return &p.NoUnread }))
	return []paneKind{
		{Ticker, "ticker: one scrolling line of recent events.", "scrolling line", DefaultTickerMax, text},
		{Table, "table: one row per key, updated in place.", "rows by key", DefaultTableMax, table},
		{List, "list: newest events first.", "newest first", DefaultListMax, list},
		{Log, "log: raw events; without events: it catches everything no other pane took.", "raw events", DefaultLogMax, text},
		{Progress, "progress: one bar per running job, finished jobs linger in green or red.", "job bars", DefaultProgressMax, progress},
		{Chart, "chart: lines of numbers over time, drawn in braille dots.", "lines over time", DefaultChartMax, chart},
		{Stat, "stat: tiles with one big number each, coloured by thresholds.", "big numbers", DefaultStatMax, stat},
		{Text, "text: one growing, word-wrapped text of the fragments events carry (token streams).", "growing text", DefaultTextMax, textPane},
	}
}

// thresholdFields are the levels of a stat pane's thresholds.
func thresholdFields() []spec[Thresholds] {
	num := func(key, doc string, to func(*Thresholds) **float64) spec[Thresholds] {
		return custom(key, doc, obj{{"type", "number"}}, func(d *decoder, a arg, t *Thresholds) {
			if f, ok := d.number(a.v, a.name); ok {
				*to(t) = &f
			}
		})
	}
	return []spec[Thresholds]{
		num("warning", "From this value up the tile is a warning.", func(t *Thresholds) **float64 { return &t.Warning }),
		num("error", "From this value up the tile is an error.", func(t *Thresholds) **float64 { return &t.Error }),
	}
}

// columnFields are the keys of a table column written as a mapping.
func columnFields() []spec[Column] {
	return []spec[Column]{
		textKey("title", "Column heading; defaults to the path.", func(c *Column) *string { return &c.Title }),
		pathKey("path", "gjson path of the value: price, quote.bid, items.0.name.", func(c *Column) *string { return &c.Path }),
		custom("text", "Template combining fields instead of path: \"{home_score} - {away_score}\".", obj{{"type", "string"}},
			func(d *decoder, a arg, c *Column) { c.Text, _ = d.template(a.v, a.name) }),
		custom("expr", "Expression computing the value instead of path: 'length.new - length.old' (formats, colours and sparklines apply to it).", obj{{"type", "string"}},
			func(d *decoder, a arg, c *Column) {
				if s, ok := d.text(a.v, a.name); ok {
					c.Expr, _ = d.expression(a.v, s, a.name, false)
				}
			}),
		custom("format", "printf (\"%.2f\", \"%d pts\") or number[:D], percent[:D], currency[:CUR][:D], compact[:D], bytes[:D], duration[:UNIT], time[:LAYOUT], relative.",
			obj{{"type", "string"}, {"pattern", `^(.*%.*|(number|percent|compact|bytes)(:[0-9]+)?|currency(:.*)?|duration(:(ns|us|µs|ms|s|m|h))?|time(:.+)?|relative)$`}},
			decodeColumnFormat),
		custom("color", "sign (gain/loss/neutral), level (by severity word), a theme role, or a mapping from value to role (\"*\" for others).", obj{
			{"anyOf", []any{
				obj{{"enum", append([]any{"sign", "level", "none"}, roleNames()...)}},
				obj{{"type", "object"}, {"additionalProperties", obj{{"enum", roleNames()}}}},
			}},
		}, func(d *decoder, a arg, c *Column) { c.Color, _ = d.colorRule(a.v, a.name) }),
		intKey("spark", "Draw a sparkline of the last N values instead of the value.", 2, 1000, func(c *Column) *int { return &c.Spark }),
		custom("spark_range", "The sparkline's scale: auto (the values shown) or a fixed [min, max].", obj{
			{"anyOf", []any{
				obj{{"const", "auto"}},
				obj{{"type", "array"}, {"items", obj{{"type", "number"}}}, {"minItems", 2}, {"maxItems", 2}},
			}},
		}, func(d *decoder, a arg, c *Column) { c.SparkRange = d.sparkRange(a.v, a.name) }),
		enumKey("agg", "Aggregate over the row's events instead of the current value: count, rate (per minute over the last minute), sum, min, max, avg, last or first.",
			aggNames(), "", func(c *Column, s string) { c.Agg = Agg(s) }),
		intKey("width", "Fixed width in terminal columns; 0 fits the content.", 0, 1000, func(c *Column) *int { return &c.Width }),
		enumKey("align", "Alignment; auto right-aligns numeric formats and columns whose values are numbers.", []string{"left", "right", "center", "auto"}, "",
			func(c *Column, s string) {
				if c.Align = Align(s); s == "auto" {
					c.Align = AlignAuto
				}
			}),
		negBoolKey("flash", "Cue the column's changes with ▲/▼ (numbers only); false turns the cue off.", func(c *Column) *bool { return &c.NoFlash }),
	}
}

// rowFields are the keys of a layout row's long form.
func rowFields() []spec[Row] {
	return []spec[Row]{
		must(custom("panes", "", obj{{"type", "array"}, {"minItems", 1}, {"items", ref("cell")}},
			func(d *decoder, a arg, r *Row) { r.Cells = d.cells(a.v, a.in.what) })),
		intKey("weight", "Share of the height.", 1, MaxWeight, func(r *Row) *int { return &r.Weight }),
		intKey("min_height", "Fewest terminal lines for the row.", 0, MaxMinSize, func(r *Row) *int { return &r.MinHeight }),
	}
}

// cellFields are the keys of a layout cell's long form.
func cellFields() []spec[Cell] {
	return []spec[Cell]{
		must(custom("pane", "Pane id.", obj{{"type", "string"}}, func(d *decoder, a arg, c *Cell) {
			c.Pane, _ = d.text(a.v, a.name)
			c.Pos = d.pos(a.v)
		})),
		intKey("weight", "Share of the row's width.", 1, MaxWeight, func(c *Cell) *int { return &c.Weight }),
		intKey("min_width", "Fewest terminal columns for the pane.", 0, MaxMinSize, func(c *Cell) *int { return &c.MinWidth }),
	}
}

func decodePaneFeed(d *decoder, a arg, p *Pane) {
	if _, both := p.at["feeds"]; both && p.Feeds != nil {
		d.errorf(a.kpos, 4, "%s has both feed: and feeds:; use one", a.in.what)
		return
	}
	if _, isList := a.v.(*ast.SequenceNode); isList {
		d.errorf(d.pos(a.v), 1, "feed of %s names one feed; for several, write feeds: [a, b]", a.in.what)
		return
	}
	if s, ok := d.text(a.v, a.name); ok {
		p.Feeds = []string{s}
		p.at["feeds.0"] = d.pos(a.v)
	}
}

func decodePaneFeeds(d *decoder, a arg, p *Pane) {
	if _, both := p.at["feed"]; both {
		d.errorf(a.kpos, 5, "%s has both feed: and feeds:; use one", a.in.what)
		return
	}
	items, _ := d.stringList(a.v, a.name)
	p.Feeds = []string{}
	for i, it := range items {
		p.Feeds = append(p.Feeds, it.val)
		p.at[fmt.Sprintf("feeds.%d", i)] = it.pos
	}
}

func decodePaneEvents(d *decoder, a arg, p *Pane) {
	items, _ := d.stringList(a.v, a.name)
	p.Events = []string{}
	for _, it := range items {
		if err := checkPattern(it.val); err != nil {
			d.errorf(it.pos, span(it.node), "event pattern %q of %s: %v", it.val, a.in.what, err)
			continue
		}
		p.at[fmt.Sprintf("events.%d", len(p.Events))] = it.pos
		p.Events = append(p.Events, it.val)
	}
}

// decodePaneKey decodes key: one path, or a mapping from event pattern to
// path whose "*" entry is the path for every other event.
func decodePaneKey(d *decoder, a arg, p *Pane) {
	switch a.v.(type) {
	case *ast.StringNode:
		if s, ok := d.text(a.v, a.name); ok && d.checkPath(a.v, s, a.name) {
			p.Key = s
		}
		return
	case *ast.MappingNode, *ast.MappingValueNode:
	default:
		d.errorf(d.pos(a.v), span(a.v), "%s must be a path or a mapping from event name to path, got %s", a.name, describe(a.v))
		return
	}
	es, ok := d.mapping(a.v, a.name)
	if !ok {
		return
	}
	for _, e := range es {
		v := d.resolve(e.value)
		if isNull(v) {
			continue
		}
		what := fmt.Sprintf("key for %q in %s", e.key, a.in.what)
		s, ok := d.text(v, what)
		if !ok || !d.checkPath(v, s, what) {
			continue
		}
		if e.key == "*" {
			p.Key = s
			continue
		}
		if err := checkPattern(e.key); err != nil {
			d.errorf(e.kpos, len([]rune(e.key)), "event pattern %q in %s: %v", e.key, a.name, err)
			continue
		}
		p.KeyRules = append(p.KeyRules, KeyRule{Event: e.key, Path: s, Pos: e.kpos})
	}
}

// decodePaneSort decodes sort: PATH or -PATH.
func decodePaneSort(d *decoder, a arg, p *Pane) {
	s, ok := d.text(a.v, a.name)
	if !ok {
		return
	}
	p.Sort, p.SortDesc = strings.CutPrefix(s, "-")
	if p.Sort == "" {
		d.errorf(d.pos(a.v), span(a.v), "%s names no column or path", a.name).Hint = "write sort: price, or sort: -price for descending"
	}
}

// patterns decodes a list of event-name globs, recording where each is as
// KEY.N in at.
func (d *decoder) patterns(a arg, at map[string]Pos) []string {
	items, _ := d.stringList(a.v, a.name)
	key, _, _ := strings.Cut(a.name, " ")
	out := []string{}
	for _, it := range items {
		if err := checkPattern(it.val); err != nil {
			d.errorf(it.pos, span(it.node), "event pattern %q of %s: %v", it.val, a.in.what, err)
			continue
		}
		at[fmt.Sprintf("%s.%d", key, len(out))] = it.pos
		out = append(out, it.val)
	}
	return out
}

func aggNames() []string {
	var s []string
	for _, a := range Aggs() {
		s = append(s, string(a))
	}
	return s
}

func decodePaneWhere(d *decoder, a arg, p *Pane) {
	items, _ := d.stringList(a.v, a.name)
	p.Where = []*render.Expr{}
	for i, it := range items {
		what := a.name
		if _, isList := a.v.(*ast.SequenceNode); isList {
			what = fmt.Sprintf("where %d of %s", i+1, a.in.what)
		}
		if e, ok := d.expression(it.node, it.val, what, true); ok {
			p.Where = append(p.Where, e)
		}
	}
}

func decodeFeedDrop(d *decoder, a arg, f *Feed) {
	items, _ := d.stringList(a.v, a.name)
	f.Drop = []string{}
	for _, it := range items {
		if err := checkPattern(it.val); err != nil {
			d.errorf(it.pos, span(it.node), "event pattern %q in %s: %v", it.val, a.name, err)
			continue
		}
		f.Drop = append(f.Drop, it.val)
	}
}

func decodeColumnFormat(d *decoder, a arg, c *Column) { c.Format = d.format(a.v, a.name) }

// format compiles a column format, pointing into it on error.
func (d *decoder) format(n ast.Node, what string) *render.Format {
	s, ok := d.text(n, what)
	if !ok {
		return nil
	}
	f, err := render.Parse(s)
	if err != nil {
		d.syntaxError(n, s, what, err, "formats: a printf pattern like \"%.2f\", or number, percent, currency[:EUR], compact, bytes, duration, time[:LAYOUT], relative")
		return nil
	}
	return f
}

// eventGlobs decodes a list of event-name globs.
func (d *decoder) eventGlobs(n ast.Node, what string) []string {
	items, _ := d.stringList(n, what)
	out := []string{}
	for _, it := range items {
		if err := checkPattern(it.val); err != nil {
			d.errorf(it.pos, span(it.node), "event pattern %q of %s: %v", it.val, what, err)
			continue
		}
		out = append(out, it.val)
	}
	return out
}

// paths decodes a list of payload paths.
func (d *decoder) paths(n ast.Node, what string) []string {
	items, _ := d.stringList(n, what)
	out := []string{}
	for _, it := range items {
		if d.checkPath(it.node, it.val, what) {
			out = append(out, it.val)
		}
	}
	return out
}
