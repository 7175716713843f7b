package config

import (
	"fmt"
	"github.com/livefeed/livefeed/redact"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/livefeed/livefeed/render"
)

// nameRE is what feed names and pane ids may look like: they appear in
// layout keys, the status bar and `livefeed tail` output.
func nameRE() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`) }

// MaxEventSizeLimit bounds max_event_size.
const MaxEventSizeLimit = 1 << 30

type checker struct {
	c    *Config
	errs ErrorList
}

func (k *checker) errorf(p Pos, span int, msg string, args ...any) *Error {
	if p.File == "" {
		p.File = k.c.Name
	}
	e := k.c.src.errorAt(p, span, msg, args...)
	k.errs = append(k.errs, e)
	return e
}

// given reports whether the file set key, or something that looks like a
// misspelling of it (already reported as an unknown key).
func given(m map[string]Pos, key string) bool {
	_, set := m[key]
	_, typo := m["?"+key]
	return set || typo
}

// at returns a recorded position, falling back to the object's own.
func at(m map[string]Pos, key string, fallback Pos) Pos {
	if p, ok := m[key]; ok {
		return p
	}
	return fallback
}

// Validate checks the config as a whole: names and references between feeds,
// panes and layout, settings that contradict each other, key conflicts, and
// the values a hand-built Config could get wrong. It returns an ErrorList
// with every problem, each at its file:line:col, or nil.
func (c *Config) Validate() error {
	k := &checker{c: c}
	k.feeds()
	k.panes()
	k.layout()
	k.theme()
	k.keys()
	k.alerts()
	k.errs.Sort()
	return k.errs.Err()
}

func (k *checker) feeds() {
	c := k.c
	if len(c.Feeds) == 0 && given(c.at, "feeds") {
		if p, ok := c.at["feeds"]; ok {
			k.errorf(p, 1, "feeds is empty: there is nothing to watch")
		}
	} else if len(c.Feeds) == 0 {
		e := k.errorf(Pos{}, 1, "no feeds: there is nothing to watch")
		e.Hint = "add a feeds: section, e.g.\n  feeds:\n    stocks:\n      url: http://127.0.0.1:8080/events/stocks\nor run `livefeed config init` for a complete example"
	}
	re := nameRE()
	seen := map[string]Pos{}
	for _, f := range c.Feeds {
		if !re.MatchString(f.Name) {
			k.errorf(f.Pos, utf8.RuneCountInString(f.Name), "feed name %q: use letters, digits, '-', '_' and '.', starting with a letter or digit", f.Name)
		}
		if first, dup := seen[f.Name]; dup {
			k.errorf(f.Pos, utf8.RuneCountInString(f.Name), "feed %q is defined twice (first on line %d)", f.Name, first.Line)
		}
		seen[f.Name] = f.Pos
		k.feed(f)
	}
}

func (k *checker) feed(f *Feed) {
	urlPos := at(f.at, "url", f.Pos)
	switch {
	case f.urlBad:
	case f.URL == "" && !given(f.at, "url"):
		k.errorf(f.Pos, utf8.RuneCountInString(f.Name), "feed %q has no url", f.Name).Hint =
			fmt.Sprintf("add   url: http://host:port/path   under %s:", f.Name)
	case f.URL == "" && f.at["url"] == Pos{}:
		// misspelt url key, reported already
	default:
		if msg := checkURL(f.URL); msg != "" {
			k.errorf(urlPos, 1, "url of feed %q: %s", f.Name, msg)
		}
	}
	if f.Retry <= 0 {
		k.errorf(at(f.at, "retry", f.Pos), 1, "retry of feed %q must be above zero", f.Name)
	}
	if f.MaxBackoff <= 0 {
		k.errorf(at(f.at, "max_backoff", f.Pos), 1, "max_backoff of feed %q must be above zero", f.Name)
	} else if f.MaxBackoff < f.Retry && !given(f.at, "!retry") && !given(f.at, "!max_backoff") {
		p, ok := f.at["max_backoff"]
		if !ok {
			p = at(f.at, "retry", f.Pos)
		}
		k.errorf(p, 1, "max_backoff of feed %q (%v) is shorter than its retry (%v)", f.Name, f.MaxBackoff, f.Retry).Hint =
			"max_backoff caps the delay between reconnection attempts, so it must be at least retry"
	}
	if f.Stale < 0 {
		k.errorf(at(f.at, "stale", f.Pos), 1, "stale of feed %q must not be negative (0 turns it off)", f.Name)
	}
	if f.ConnectTimeout <= 0 {
		k.errorf(at(f.at, "connect_timeout", f.Pos), 1, "connect_timeout of feed %q must be above zero", f.Name)
	}
	if f.MaxEventSize < 1 || f.MaxEventSize > MaxEventSizeLimit {
		k.errorf(at(f.at, "max_event_size", f.Pos), 1, "max_event_size of feed %q must be between 1 byte and 1GiB, got %d", f.Name, f.MaxEventSize)
	}
	tokenRE := headerTokenRE()
	names := make([]string, 0, len(f.Headers))
	for name := range f.Headers {
		names = append(names, name)
	}
	slices.Sort(names)
	lower := map[string]string{}
	for _, name := range names {
		p := at(f.at, "headers."+name, f.Pos)
		if !tokenRE.MatchString(name) {
			k.errorf(p, 1, "%q is not a valid header name", name)
		}
		if strings.ContainsAny(f.Headers[name], "\r\n\x00") {
			k.errorf(p, 1, "header %q of feed %q must be one line", name, f.Name)
		}
		if other, dup := lower[strings.ToLower(name)]; dup && f.at["headers."+name] == (Pos{}) {
			k.errorf(p, 1, "headers %q and %q of feed %q differ only in case", other, name, f.Name)
		}
		lower[strings.ToLower(name)] = name
	}
}

// checkURL explains what is wrong with a feed URL, or returns "".
func checkURL(s string) string {
	// The URL is shown after ${VAR}s are filled in, so it may hold a secret.
	shown := redact.URL(s)
	if strings.TrimSpace(s) == "" {
		return "empty URL"
	}
	u, err := url.Parse(s)
	if err != nil {
		msg := err.Error()
		if ue, ok := err.(*url.Error); ok {
			msg = ue.Err.Error()
		}
		return fmt.Sprintf("%q is not a URL: %s", shown, redact.Text(msg))
	}
	switch {
	case strings.HasPrefix(s, "/"):
		return fmt.Sprintf("%q is only a path; write the whole URL, like http://127.0.0.1:8080%s", shown, shown)
	case u.Scheme == "" || !strings.Contains(s, "://"):
		return fmt.Sprintf("%q has no scheme; write http://%s (or https://)", shown, shown)
	case u.Scheme != "http" && u.Scheme != "https":
		return fmt.Sprintf("%q: livefeed reads SSE over http:// or https://, not %s://", shown, u.Scheme)
	case u.Host == "":
		return fmt.Sprintf("%q has no host", shown)
	case u.Fragment != "":
		return fmt.Sprintf("%q has a #fragment, which is never sent to the server", shown)
	}
	return ""
}

func (k *checker) panes() {
	c := k.c
	re := nameRE()
	seen := map[string]Pos{}
	feedNames := make([]string, len(c.Feeds))
	for i, f := range c.Feeds {
		feedNames[i] = f.Name
	}
	for i, p := range c.Panes {
		idPos := at(p.at, "id", p.Pos)
		what := fmt.Sprintf("pane %d", i+1)
		switch {
		case p.ID == "" && p.at["?id"] != (Pos{}):
		case p.ID == "":
			k.errorf(p.Pos, 1, "%s has no id", what).Hint = "give it one: id: prices (layout and messages refer to panes by id)"
		case !re.MatchString(p.ID):
			k.errorf(idPos, utf8.RuneCountInString(p.ID), "pane id %q: use letters, digits, '-', '_' and '.', starting with a letter or digit", p.ID)
		default:
			what = fmt.Sprintf("pane %q", p.ID)
			if first, dup := seen[p.ID]; dup {
				k.errorf(idPos, utf8.RuneCountInString(p.ID), "duplicate pane id %q (first used on line %d)", p.ID, first.Line)
			} else {
				seen[p.ID] = idPos
			}
		}
		switch {
		case slices.Contains(PaneTypes(), p.Type):
		case p.Type == "" && !given(p.at, "type"):
			k.errorf(p.Pos, 1, "%s has no type", what).Hint = "add type: ticker, table, list, log or text"
		case p.Type != "":
			k.errorf(at(p.at, "type", p.Pos), 1, "%s has unknown type %q", what, p.Type)
		}
		for j, f := range p.Feeds {
			if c.Feed(f) != nil || f == AlertsFeed {
				continue
			}
			fp := at(p.at, fmt.Sprintf("feeds.%d", j), p.Pos)
			e := k.errorf(fp, utf8.RuneCountInString(f), "%s names unknown feed %q%s", what, f, didYouMean(f, feedNames))
			if len(feedNames) > 0 && suggest(f, feedNames) == "" {
				e.Hint = "feeds defined: " + strings.Join(feedNames, ", ")
			}
		}
		for j, f := range p.Feeds {
			if slices.Index(p.Feeds, f) < j {
				k.errorf(at(p.at, fmt.Sprintf("feeds.%d", j), p.Pos), 1, "%s lists feed %q twice", what, f)
			}
		}
		for j, ev := range p.Events {
			if err := checkPattern(ev); err != nil {
				k.errorf(at(p.at, fmt.Sprintf("events.%d", j), p.Pos), 1, "event pattern %q of %s: %v", ev, what, err)
			}
		}
		if p.Max < 1 || p.Max > MaxItems {
			k.errorf(at(p.at, "max", p.Pos), 1, "max of %s must be between 1 and %d, got %d", what, MaxItems, p.Max)
		}
		k.paneKind(p, what)
	}
}

func (k *checker) paneKind(p *Pane, what string) {
	typePos := at(p.at, "type", p.Pos)
	if p.Type == Table {
		if p.Key == "" && len(p.KeyRules) == 0 && !given(p.at, "key") {
			k.errorf(typePos, 1, "%s is a table but has no key", what).Hint =
				"a table updates rows in place: add key: with the payload field that identifies a row, e.g. key: symbol"
		}
		if len(p.Columns) == 0 && !given(p.at, "columns") {
			k.errorf(typePos, 1, "%s is a table but has no columns", what).Hint =
				"add columns, e.g.\n  columns:\n    - { title: Symbol, path: symbol }\n    - { title: Price, path: price, format: \"%.2f\" }"
		}
		for i, col := range p.Columns {
			k.column(col, fmt.Sprintf("column %d of %s", i+1, what))
		}
		if len(p.Text) > 0 || p.Level != "" {
			k.errorf(p.Pos, 1, "%s is a table; text and level are for ticker, list and log panes", what)
		}
		k.tableState(p, what)
		return
	}
	switch p.Type {
	case Progress:
		k.progress(p, what)
		return
	case Chart:
		if len(p.Series) == 0 && !given(p.at, "series") {
			k.errorf(typePos, 1, "%s is a chart but has no series", what).Hint =
				"name the numbers to draw: series: [cpu_pct, mem_pct] (add split_by: host for one line per host)"
		}
		if len(p.Series) > 1 && p.SplitBy != "" {
			k.errorf(at(p.at, "split_by", p.Pos), 1, "%s splits by %s, so it draws one series; it names %d", what, p.SplitBy, len(p.Series)).Hint =
				"with split_by, give one path in series: (one line per value of split_by)"
		}
		if p.Window <= 0 {
			k.errorf(at(p.at, "window", p.Pos), 1, "window of %s must be above zero", what)
		}
		return
	case Stat:
		switch {
		case p.Value == "" && p.ValueExpr == nil && !given(p.at, "value") && !given(p.at, "expr"):
			k.errorf(typePos, 1, "%s is a stat pane but has no value", what).Hint =
				"say which number each tile shows: value: cpu_pct, or expr: mem_used / mem_total * 100 (add split_by: host for one tile per host)"
		case p.Value != "" && p.ValueExpr != nil:
			k.errorf(at(p.at, "expr", p.Pos), 1, "%s has both value and expr; use one", what)
		}
		if p.Spark < 0 || p.Spark == 1 {
			k.errorf(at(p.at, "spark", p.Pos), 1, "spark of %s must be 0 (none) or at least 2 points", what)
		}
		if t := p.Thresholds; t.Warning != nil && t.Error != nil && *t.Error < *t.Warning {
			k.errorf(at(p.at, "thresholds.error", p.Pos), 1, "thresholds of %s: error (%v) is below warning (%v)", what, *t.Error, *t.Warning)
		}
		return
	}
	if p.Type == Text {
		if p.Path == "" && !given(p.at, "path") {
			k.errorf(typePos, 1, "%s is a text pane but has no path", what).Hint =
				"say which payload field holds each fragment, e.g. path: choices.0.delta.content (OpenAI) or path: delta.text (Anthropic)"
		}
		k.taken(p, what, "reset_on", p.ResetOn)
	}
	if p.Key != "" || len(p.Columns) > 0 {
		k.errorf(p.Pos, 1, "%s is a %s pane; key and columns are only for tables", what, p.Type)
	}
	for _, r := range p.Text {
		if r.Template == nil {
			k.errorf(r.Pos, 1, "%s has a text rule without a template", what)
		}
		if r.Event != "" {
			if err := checkPattern(r.Event); err != nil {
				k.errorf(r.Pos, 1, "event pattern %q in text of %s: %v", r.Event, what, err)
			}
		}
	}
}

func (k *checker) progress(p *Pane, what string) {
	typePos := at(p.at, "type", p.Pos)
	if p.Key == "" && !given(p.at, "key") {
		k.errorf(typePos, 1, "%s is a progress pane but has no key", what).Hint =
			"a progress pane draws one bar per job: add key: with the payload field naming a job, e.g. key: job_id"
	}
	if p.Percent == "" && (p.Done == "" || p.Total == "") && !given(p.at, "percent") && !given(p.at, "done") && !given(p.at, "total") {
		k.errorf(typePos, 1, "%s has neither percent nor done and total", what).Hint =
			"say where the progress is: percent: percent, or done: done and total: total"
	}
	if (p.Done == "") != (p.Total == "") && !given(p.at, "!done") && !given(p.at, "!total") {
		k.errorf(at(p.at, "done", at(p.at, "total", p.Pos)), 1, "%s needs both done and total", what)
	}
	if p.Linger < 0 {
		k.errorf(at(p.at, "linger", p.Pos), 1, "linger of %s must not be negative", what)
	}
	for _, ev := range p.CompleteOn {
		if slices.Contains(p.FailOn, ev) {
			k.errorf(at(p.at, "fail_on", p.Pos), 1, "%s lists event %q in both complete_on and fail_on", what, ev)
		}
	}
}

// tableState checks the keys that say how rows change and go.
func (k *checker) tableState(p *Pane, what string) {
	switch p.Merge {
	case "", MergeReplace, MergeDeep:
	default:
		k.errorf(at(p.at, "merge", p.Pos), 1, "merge of %s must be replace or deep, got %q", what, p.Merge)
	}
	if p.Expire < 0 {
		k.errorf(at(p.at, "expire", p.Pos), 1, "expire of %s must not be negative (0 keeps rows)", what)
	}
	if p.Sort != "" && p.SortColumn() < 0 {
		if err := render.ValidatePath(p.Sort); err != nil {
			k.errorf(at(p.at, "sort", p.Pos), 1, "sort of %s: %q is neither a column nor a payload path: %v", what, p.Sort, err)
		}
	}
	for _, r := range p.KeyRules {
		if err := checkPattern(r.Event); err != nil {
			k.errorf(r.Pos, 1, "event pattern %q in key of %s: %v", r.Event, what, err)
		}
	}
	k.taken(p, what, "remove_on", p.RemoveOn)
}

// taken reports event names a pane reacts to (remove_on, reset_on) that
// its events: never let in, so the reaction could never happen.
func (k *checker) taken(p *Pane, what, key string, names []string) {
	if len(p.Events) == 0 {
		return
	}
	for i, name := range names {
		if isGlobPattern(name) || slices.ContainsFunc(p.Events, func(ev string) bool { return matchEvent(ev, name) }) {
			continue
		}
		k.errorf(at(p.at, fmt.Sprintf("%s.%d", key, i), p.Pos), 1, "%s of %s names event %q, which its events: do not take", key, what, name).Hint =
			fmt.Sprintf("add %s to events: [%s]", name, strings.Join(p.Events, ", "))
	}
}

func isGlobPattern(p string) bool { return strings.ContainsAny(p, `*?[\`) }

// SortColumn is the index of the column the pane's sort: names (by title,
// then path), or -1 when it names a payload path or nothing.
func (p *Pane) SortColumn() int {
	if p.Sort == "" {
		return -1
	}
	if i := slices.IndexFunc(p.Columns, func(c *Column) bool { return c.Title == p.Sort }); i >= 0 {
		return i
	}
	return slices.IndexFunc(p.Columns, func(c *Column) bool { return c.Path == p.Sort && c.Agg == AggNone })
}

func (k *checker) column(col *Column, what string) {
	var sources []string
	for _, key := range []string{"path", "text", "expr"} {
		if given(col.at, key) {
			sources = append(sources, key)
		}
	}
	switch {
	case col.Path == "" && col.Text == nil && col.Expr == nil && col.Agg != AggNone && !col.Agg.NeedsValue():
	case col.Path == "" && col.Text == nil && col.Expr == nil && len(sources) == 0:
		k.errorf(col.Pos, 1, "%s has no path", what).Hint = "say which payload field it shows: path: price (gjson syntax: a.b, items.0.name), or compute it: expr: 'length.new - length.old'"
	case len(sources) > 1:
		k.errorf(at(col.at, sources[1], col.Pos), 1, "%s has both %s and %s; use path for one field, text to combine several, expr to compute a value", what, sources[0], sources[1])
	}
	if col.Text != nil && col.Title == "" {
		k.errorf(col.Pos, 1, "%s uses text, so it needs a title", what)
	}
	if col.Spark != 0 {
		switch {
		case col.Spark < 2 || col.Spark > 1000:
			k.errorf(at(col.at, "spark", col.Pos), 1, "spark of %s must be between 2 and 1000 points", what)
		case col.Path == "" && col.Expr == nil && !given(col.at, "path") && !given(col.at, "expr"):
			k.errorf(at(col.at, "spark", col.Pos), 1, "%s draws a sparkline, so it needs a numeric path, not text", what)
		}
	}
	if col.Agg != AggNone {
		switch {
		case !slices.Contains(Aggs(), col.Agg):
			k.errorf(at(col.at, "agg", col.Pos), 1, "agg of %s must be one of %s, got %q", what, strings.Join(aggNames(), ", "), col.Agg)
		case col.Spark > 0:
			k.errorf(at(col.at, "agg", col.Pos), 1, "%s has both agg and spark; a sparkline already shows the values over time", what)
		case col.Agg.Numeric() && col.Agg.NeedsValue() && col.Text != nil:
			k.errorf(at(col.at, "agg", col.Pos), 1, "%s: agg %s needs a number, so it takes path, not text", what, col.Agg)
		}
	}
	if col.Width < 0 || col.Width > 1000 {
		k.errorf(at(col.at, "width", col.Pos), 1, "width of %s must be between 0 and 1000", what)
	}
	switch col.Align {
	case AlignAuto, AlignLeft, AlignRight, AlignCenter:
	default:
		k.errorf(at(col.at, "align", col.Pos), 1, "align of %s must be left, right, center or auto", what)
	}
	check := func(r Role) {
		if r != "" && !slices.Contains(Roles(), r) {
			k.errorf(at(col.at, "color", col.Pos), 1, "color of %s: unknown theme role %q", what, r)
		}
	}
	switch col.Color.Mode {
	case ColorNone, ColorSign, ColorLevel:
	case ColorFixed:
		if col.Color.Role == "" {
			k.errorf(at(col.at, "color", col.Pos), 1, "color of %s has no role", what)
		}
		check(col.Color.Role)
	case ColorMap:
		check(col.Color.Role)
		for _, r := range col.Color.Map {
			check(r)
		}
	default:
		k.errorf(at(col.at, "color", col.Pos), 1, "color of %s has unknown mode %q", what, col.Color.Mode)
	}
}

func (k *checker) layout() {
	c := k.c
	ids := make([]string, 0, len(c.Panes))
	for _, p := range c.Panes {
		if p.ID != "" && !slices.Contains(ids, p.ID) {
			ids = append(ids, p.ID)
		}
	}
	placed := map[string]Pos{}
	pageNames := map[string]Pos{}
	for _, pg := range c.Layout.Pages {
		if pg.Name == "" {
			continue
		}
		if first, dup := pageNames[pg.Name]; dup {
			k.errorf(pg.Pos, 1, "page %q is defined twice (first on line %d)", pg.Name, first.Line)
		}
		pageNames[pg.Name] = pg.Pos
	}
	type pageRow struct {
		what string
		r    Row
	}
	var rows []pageRow
	for _, pg := range c.Layout.PageList() {
		for i, r := range pg.Rows {
			what := fmt.Sprintf("layout row %d", i+1)
			if len(c.Layout.Pages) > 0 {
				what = fmt.Sprintf("page %q row %d", pg.Name, i+1)
			}
			rows = append(rows, pageRow{what, r})
		}
	}
	for _, pr := range rows {
		what, r := pr.what, pr.r
		if len(r.Cells) == 0 && !r.bad {
			k.errorf(r.Pos, 1, "%s has no panes", what)
		}
		if r.Weight < 1 || r.Weight > MaxWeight {
			k.errorf(r.Pos, 1, "weight of %s must be between 1 and %d", what, MaxWeight)
		}
		if r.MinHeight < 0 || r.MinHeight > MaxMinSize {
			k.errorf(r.Pos, 1, "min_height of %s must be between 0 and %d", what, MaxMinSize)
		}
		for _, cell := range r.Cells {
			n := utf8.RuneCountInString(cell.Pane)
			if c.Pane(cell.Pane) == nil {
				e := k.errorf(cell.Pos, n, "%s names pane %q, which is not defined%s", what, cell.Pane, didYouMean(cell.Pane, ids))
				if suggest(cell.Pane, ids) == "" && len(ids) > 0 {
					e.Hint = "panes defined: " + strings.Join(ids, ", ")
				}
				continue
			}
			if first, dup := placed[cell.Pane]; dup {
				if first.Line > 0 {
					k.errorf(cell.Pos, n, "pane %q appears in the layout twice (first on line %d)", cell.Pane, first.Line)
				} else {
					k.errorf(cell.Pos, n, "pane %q appears in the layout twice", cell.Pane)
				}
				continue
			}
			placed[cell.Pane] = cell.Pos
			if cell.Weight < 1 || cell.Weight > MaxWeight {
				k.errorf(cell.Pos, n, "weight of pane %q in %s must be between 1 and %d", cell.Pane, what, MaxWeight)
			}
			if cell.MinWidth < 0 || cell.MinWidth > MaxMinSize {
				k.errorf(cell.Pos, n, "min_width of pane %q in %s must be between 0 and %d", cell.Pane, what, MaxMinSize)
			}
		}
	}
	for _, p := range c.Panes {
		if _, ok := placed[p.ID]; !ok && p.ID != "" {
			k.errorf(p.Pos, 1, "pane %q is not in the layout", p.ID)
		}
	}
}

func (k *checker) theme() {
	c := k.c
	for _, r := range Roles() {
		col, ok := c.Theme[r]
		if !ok {
			continue
		}
		if norm, err := ParseColor(col); err != nil {
			k.errorf(c.themeAt[r], 1, "theme %s: %v", r, err)
		} else if norm != col {
			k.errorf(c.themeAt[r], 1, "theme %s: colour %q is not normalized (want %q; use ParseColor)", r, col, norm)
		}
	}
	for r := range c.Theme {
		if !slices.Contains(Roles(), r) {
			k.errorf(Pos{}, 1, "theme: unknown role %q", r)
		}
	}
}

func (k *checker) keys() {
	c := k.c
	type binding struct {
		action Action
		pos    Pos
	}
	byKey := map[string][]binding{}
	for _, a := range Actions() {
		for i, key := range c.Keys[a] {
			var p Pos
			if ps := c.keyAt[a]; i < len(ps) {
				p = ps[i]
			}
			if norm, err := NormalizeKey(key); err != nil {
				k.errorf(p, 1, "keys for %s: %v", a, err)
				continue
			} else if norm != key {
				k.errorf(p, 1, "keys for %s: %q is spelt %q by the terminal", a, key, norm)
				continue
			}
			if key == ReservedQuitKey && a != ActQuit {
				k.errorf(p, utf8.RuneCountInString(key), "%s always quits, so it cannot be bound to %s", ReservedQuitKey, a)
				continue
			}
			byKey[key] = append(byKey[key], binding{a, p})
		}
	}
	for a := range c.Keys {
		if !slices.Contains(Actions(), a) {
			k.errorf(Pos{}, 1, "keys: unknown action %q", a)
		}
	}
	keys := make([]string, 0, len(byKey))
	for key := range byKey {
		keys = append(keys, key)
	}
	slices.Sort(keys)
	for _, key := range keys {
		bs := byKey[key]
		if len(bs) < 2 {
			continue
		}
		// Report at the binding the user wrote (the last one written if
		// several), naming the others.
		at := bs[len(bs)-1]
		for _, b := range bs {
			if b.pos.Line > at.pos.Line || (at.pos.Line == 0 && b.pos.Line > 0) {
				at = b
			}
		}
		var others []string
		for _, b := range bs {
			if b.action == at.action {
				continue
			}
			if b.pos.Line > 0 {
				others = append(others, fmt.Sprintf("%s (line %d)", b.action, b.pos.Line))
			} else {
				others = append(others, fmt.Sprintf("%s (by default)", b.action))
			}
		}
		e := k.errorf(at.pos, utf8.RuneCountInString(key), "key %q is bound to %s and also to %s", key, at.action, strings.Join(others, " and "))
		if !c.explicitKeys(bs[0].action) || !c.explicitKeys(bs[len(bs)-1].action) {
			other := bs[0].action
			if other == at.action {
				other = bs[len(bs)-1].action
			}
			e.Hint = fmt.Sprintf("give %s other keys too, e.g. %s: [ctrl+%s], or unbind it with %s: []", other, other, strings.ToLower(key), other)
		}
	}
}
