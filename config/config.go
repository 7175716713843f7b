// Package config reads livefeed's YAML configuration: which SSE feeds to
// subscribe to, which named events go to which pane, which payload fields
// become which columns, how panes are laid out, the colour theme and the key
// bindings.
//
// Parse turns YAML into a Config starting from the defaults, reporting every
// unknown key, type mismatch and malformed value with file:line:col; Validate
// checks what spans the file (unknown feeds, duplicate ids, layout names).
// Both are pure: file access lives in Load and Lookup, the environment is
// passed in as an Env, and nothing here keeps package-level state.
package config

import (
	"slices"
	"strings"
	"time"

	"github.com/livefeed/livefeed/feed"
	"github.com/livefeed/livefeed/render"
)

// Env looks up an environment variable; os.LookupEnv fits. A nil Env has no
// variables, so every ${VAR} without a default is an error.
type Env func(name string) (value string, ok bool)

// Options says where YAML being parsed came from and what it may refer to.
type Options struct {
	// Name is the file name shown in messages ("config.yaml:12:7: …").
	Name string
	// Env resolves ${VAR} and ${VAR:-default} in string values.
	Env Env
	// Dir is the directory relative tls.ca_file paths are resolved against
	// (normally the config file's directory); "" leaves them as written.
	Dir string
}

// Defaults for feed settings are the engine's, so that a feed left to its
// defaults behaves the same from a config file as from `livefeed tail`.
const (
	DefaultRetry          = feed.DefaultRetry
	DefaultMaxBackoff     = feed.DefaultMaxBackoff
	DefaultStale          = feed.DefaultStale
	DefaultMaxEventSize   = feed.DefaultMaxEventSize
	DefaultConnectTimeout = feed.DefaultConnectTimeout
	// MaxBodyFile bounds a body_file, which is read whole into memory and
	// sent with every attempt.
	MaxBodyFile = 16 << 20
)

// Config is a whole livefeed configuration.
type Config struct {
	// Name is the file the config was read from ("" for the built-in default).
	Name string
	// Feeds in the order the file lists them.
	Feeds []*Feed
	// Panes in the order the file lists them; a file with none gets one
	// catch-all log pane, "events".
	Panes []*Pane
	// Layout places the panes; it is complete: every pane appears exactly once.
	Layout Layout
	// Theme maps every Role to a colour.
	Theme Theme
	// Keys maps every Action to its keys (possibly none).
	Keys Keys
	// Alerts are the alert rules, in file order.
	Alerts []*Alert
	// EnvRefs are the environment variables the file refers to, sorted.
	EnvRefs []string

	src       *source
	warnings  ErrorList // found while parsing; Warnings adds the semantic ones
	hasLayout bool      // the file has a layout: key
	appended  []string  // panes the file's layout left out, added as a last row
	keyAt     map[Action][]Pos
	themeAt   map[Role]Pos
	at        map[string]Pos // top-level keys the file set
}

// Feed is one SSE endpoint and how to connect to it.
type Feed struct {
	// Name is the key under feeds:, used by panes and in the status bar.
	Name string
	// URL is the http(s) URL of the event stream, with ${VAR}s expanded.
	URL string
	// Headers are sent with every request (values with ${VAR}s expanded).
	Headers map[string]string
	// Retry is the initial reconnection delay; the server's retry: field
	// replaces it.
	Retry time.Duration
	// MaxBackoff caps the delay between failed reconnection attempts.
	MaxBackoff time.Duration
	// Stale is how long a connection may receive nothing at all (not even
	// comments) before it is dropped and reconnected; 0 turns the check off
	// (feed.Options spells that as a negative Stale).
	Stale time.Duration
	// MaxEventSize bounds the bytes one event (or line) may take; a larger
	// one drops the connection.
	MaxEventSize int64
	// ConnectTimeout bounds the wait for response headers; always above zero.
	ConnectTimeout time.Duration
	// TLS configures certificate checks.
	TLS TLS
	// Method is the request's HTTP method: GET (the default), POST, PUT or PATCH.
	Method string
	// Body is sent with every request: body: as written (a mapping or
	// sequence encoded as JSON), or the contents of BodyFile; "" sends none.
	Body string
	// BodyJSON says Body was written as a mapping or sequence, so the request
	// gets Content-Type: application/json unless Headers set one.
	BodyJSON bool
	// BodyFile is where Body was read from (resolved against the config
	// file's directory), or "".
	BodyFile string
	// HeadersCommand is an argv (no shell) run before every connection
	// attempt; its stdout lines "Name: value" override Headers.
	HeadersCommand []string
	// Reconnect says whether a stream that ends is reopened.
	Reconnect feed.ReconnectPolicy
	// EndOn is a data string that ends the stream for good ("" for none).
	EndOn string
	// RetryOn are the HTTP statuses retried with backoff; empty retries none.
	RetryOn []int
	// EventFrom is a payload path whose value, when it is a non-empty
	// string, replaces the event's name before routing; "" keeps the name
	// the stream gave.
	EventFrom string
	// Drop are event-name patterns (path.Match globs) discarded before
	// routing: they reach no pane and count as dropped, not as events.
	Drop []string
	// Pos is where the feed is defined.
	Pos Pos

	at     map[string]Pos // where each setting was written, for messages
	urlBad bool           // the url already has an error; do not pile on
}

// TLS holds a feed's certificate settings.
type TLS struct {
	// CAFile is a PEM bundle of extra certificate authorities to trust.
	CAFile string
	// Insecure skips certificate verification; it is only ever set by an
	// explicit insecure: true.
	Insecure bool
}

// PaneType says how a pane shows its events.
type PaneType string

// The kinds of pane.
const (
	Ticker PaneType = "ticker" // one scrolling line of recent events
	Table  PaneType = "table"  // rows upserted by key, one column per field
	List   PaneType = "list"   // newest-first list of events
	Log    PaneType = "log"    // raw event log
	// Progress shows one bar per running job, keyed like a table's rows.
	Progress PaneType = "progress"
	// Chart draws numbers over time as lines of braille dots.
	Chart PaneType = "chart"
	// Stat shows tiles with one big number each.
	Stat PaneType = "stat"
	Text PaneType = "text" // one growing text of fragments (token streams)
)

// PaneTypes lists the pane types in documentation order.
func PaneTypes() []PaneType {
	var ts []PaneType
	for _, k := range paneKinds() {
		ts = append(ts, k.typ)
	}
	return ts
}

// Default item limits per pane type (the memory a pane may hold).
const (
	DefaultTickerMax = 50
	DefaultTableMax  = 1000
	DefaultListMax   = 500
	DefaultLogMax    = 2000
	// DefaultProgressMax bounds the jobs a progress pane tracks at once.
	DefaultProgressMax = 200
	// DefaultChartMax bounds the points a chart keeps per series.
	DefaultChartMax = 2000
	// DefaultStatMax bounds the tiles of a stat pane split by a value.
	DefaultStatMax = 64
	// DefaultLinger is how long a finished job stays in a progress pane.
	DefaultLinger = 30 * time.Second
	// DefaultWindow is the time span a chart shows.
	DefaultWindow = 5 * time.Minute
	// DefaultStatSpark is how many recent values a stat tile's sparkline draws.
	DefaultStatSpark = 20
	DefaultTextMax   = 20 // transcripts a text pane keeps
	// MaxItems bounds any pane's max.
	MaxItems = 1_000_000
)

// Pane is one box on screen and the events routed to it.
type Pane struct {
	// ID names the pane in layout and messages.
	ID string
	// Type is the pane's kind.
	Type PaneType
	// Title is shown in the pane's border; it defaults to ID.
	Title string
	// Feeds the pane listens to; empty means every feed.
	Feeds []string
	// Events are event-name patterns (path.Match globs) the pane takes from
	// its feeds. Empty means every event, except for a log pane, which then
	// takes only the events no other pane takes.
	Events []string
	// Key is the payload path that identifies a table row (for events no
	// KeyRules entry matches).
	Key string
	// KeyRules pick the key's path by event name (key: written as a
	// mapping); the first matching rule wins, else Key applies.
	KeyRules []KeyRule
	// RemoveOn are event-name patterns whose events remove the table row
	// with their key instead of updating it.
	RemoveOn []string
	// Merge says how an event updates its table row.
	Merge MergeMode
	// Sort is the table's default order: a column (by title or path) or a
	// payload path; SortDesc reverses it.
	Sort     string
	SortDesc bool
	// Expire removes table rows not updated for that long; 0 keeps them.
	Expire time.Duration
	// Path is the payload path of a text pane's fragment.
	Path string
	// ResetOn are event-name patterns that start a new transcript in a text
	// pane.
	ResetOn []string
	// Columns of a table pane.
	Columns []*Column
	// Text renders ticker, list and log items; the first rule whose pattern
	// matches the event name applies, else the raw payload is shown.
	Text []TextRule
	// Level is a payload path holding a severity (info, warn, error, …) that
	// colours list, ticker and log items; "" means none.
	Level string
	// Max is how many items (rows, lines) the pane keeps.
	Max int

	// Label names a progress pane's job ("{name}"); nil shows the key.
	Label *render.Template
	// Percent, Done and Total are payload paths of a job's progress: a
	// percentage, or work done out of a total.
	Percent, Done, Total string
	// Stage and ETA are payload paths of a job's step and seconds left.
	Stage, ETA string
	// Error is the payload path of a failed job's message.
	Error string
	// CompleteOn and FailOn are the event names that end a job.
	CompleteOn, FailOn []string
	// Linger is how long a finished job stays shown.
	Linger time.Duration

	// Series are the payload paths a chart draws, one line each.
	Series []string
	// SplitBy is a payload path whose value gives each its own line (chart)
	// or tile (stat).
	SplitBy string
	// Window is the time span a chart shows.
	Window time.Duration
	// YRange fixes a chart's y axis to [min, max]; nil fits the data.
	YRange *[2]float64
	// Format renders a chart's y-axis labels and a stat's numbers.
	Format *render.Format
	// Value is the payload path of a stat tile's number.
	Value string
	// ValueExpr computes a stat tile's number instead of Value (expr:).
	ValueExpr *render.Expr
	// Thresholds colour a stat tile by its value.
	Thresholds Thresholds
	// Spark is how many recent values a stat tile's sparkline draws (0: none).
	Spark int

	// Where are conditions an event must all meet to reach the pane; events
	// failing one go to the other panes as if this one did not take them.
	Where []*render.Expr
	// NoFlash turns off a table's change cues (flash: false).
	NoFlash bool
	// NoUnread turns off a list's unread count (unread: false).
	NoUnread bool
	// Pos is where the pane is defined.
	Pos Pos

	at map[string]Pos
}

// Thresholds colour a number: at or above Error it is an error, at or above
// Warning a warning; nil leaves a level out.
type Thresholds struct {
	Warning, Error *float64
}

// Level is the theme role for v under the thresholds: RoleError,
// RoleWarning, or "" for neither.
func (t Thresholds) Level(v float64) Role {
	switch {
	case t.Error != nil && v >= *t.Error:
		return RoleError
	case t.Warning != nil && v >= *t.Warning:
		return RoleWarning
	}
	return ""
}

// TextRule is a template for events whose name matches Event ("" or "*" for
// any event).
type TextRule struct {
	Event    string
	Template *render.Template
	Pos      Pos
}

// KeyRule is a table row's key path for events whose name matches Event.
type KeyRule struct {
	Event string
	Path  string
	Pos   Pos
}

// MergeMode says how an event updates the table row it keys.
type MergeMode string

// Merge modes.
const (
	// MergeReplace makes the event the row's payload.
	MergeReplace MergeMode = "replace"
	// MergeDeep applies the event to the row's payload as a JSON merge
	// patch (RFC 7396): its fields replace the row's, null deletes one, and
	// fields it does not mention stay.
	MergeDeep MergeMode = "deep"
)

// Agg is a table column's aggregate over the events of its row.
type Agg string

// Aggregates; AggNone shows the row's current value.
const (
	AggNone  Agg = ""
	AggCount Agg = "count" // events of the row
	AggRate  Agg = "rate"  // events of the row in the last minute, per minute
	AggSum   Agg = "sum"
	AggMin   Agg = "min"
	AggMax   Agg = "max"
	AggAvg   Agg = "avg"
	AggLast  Agg = "last"  // the last value the row's events had
	AggFirst Agg = "first" // the first value the row's events had
)

// Aggs lists the aggregates in documentation order.
func Aggs() []Agg {
	return []Agg{AggCount, AggRate, AggSum, AggMin, AggMax, AggAvg, AggLast, AggFirst}
}

// Numeric reports whether the aggregate's result is a number whatever the
// values (first and last are the values themselves).
func (a Agg) Numeric() bool { return a != AggNone && a != AggLast && a != AggFirst }

// NeedsValue reports whether the aggregate reads the column's value (count
// and rate only count events).
func (a Agg) NeedsValue() bool { return a != AggCount && a != AggRate }

// Align is a column's alignment.
type Align string

// Column alignments; AlignAuto right-aligns columns with numeric formats or
// whose values are numbers.
const (
	AlignAuto   Align = ""
	AlignLeft   Align = "left"
	AlignRight  Align = "right"
	AlignCenter Align = "center"
)

// Column is one column of a table pane.
type Column struct {
	// Title heads the column; it defaults to Path.
	Title string
	// Path is the gjson path of the value, or "" when Text is set.
	Path string
	// Text composes the cell from several fields instead of Path.
	Text *render.Template
	// Expr computes the value instead of Path: length.new - length.old.
	Expr *render.Expr
	// Format renders the value; nil shows it as is.
	Format *render.Format
	// Color picks the cell's theme role.
	Color ColorRule
	// Spark, when above zero, draws a sparkline of the last Spark values
	// instead of the value itself.
	Spark int
	// SparkRange fixes the sparkline's scale to [min, max]; nil scales it to
	// the values shown (spark_range: auto).
	SparkRange *[2]float64
	// Agg aggregates the column's value over the row's events instead of
	// showing the current one.
	Agg Agg
	// Width fixes the column's width in cells; 0 fits the content.
	Width int
	// Align is the column's alignment.
	Align Align
	// NoFlash turns off the column's change cue (flash: false).
	NoFlash bool
	// Pos is where the column is defined.
	Pos Pos

	at map[string]Pos
}

// ColorMode says how a ColorRule picks a role.
type ColorMode string

// Colour modes.
const (
	ColorNone  ColorMode = ""      // no colour of its own
	ColorSign  ColorMode = "sign"  // gain / loss / neutral by the value's sign
	ColorLevel ColorMode = "level" // error / warning / info / muted / gain by severity word
	ColorFixed ColorMode = "role"  // always Role
	ColorMap   ColorMode = "map"   // Map[value], else Role
)

// ColorRule chooses a theme role for a value.
type ColorRule struct {
	Mode ColorMode
	// Role is the fixed role (ColorFixed) or the fallback (ColorMap; "" for
	// none).
	Role Role
	// Map assigns roles to exact values (ColorMap).
	Map map[string]Role
}

// Layout is rows of panes, top to bottom, or named pages of such rows.
type Layout struct {
	// Rows of a layout without pages.
	Rows []Row
	// Pages, when the layout has them; Rows is then empty.
	Pages []Page
	// Auto is set when the file has no layout and it was generated.
	Auto bool
}

// Page is one screenful of the dashboard, shown by its number key.
type Page struct {
	Name string
	Rows []Row
	Pos  Pos
}

// PageList is the layout's pages: its Pages, or one unnamed page of its
// Rows.
func (l Layout) PageList() []Page {
	if len(l.Pages) > 0 {
		return l.Pages
	}
	return []Page{{Rows: l.Rows}}
}

// Row is a horizontal band of panes. Rows holding only ticker panes take
// their natural height (one line plus border); the others share the
// remaining height by Weight.
type Row struct {
	Cells []Cell
	// Weight is the row's share of the height relative to other rows.
	Weight int
	// MinHeight is the fewest terminal lines the row gets (0: no minimum).
	MinHeight int
	Pos       Pos

	bad bool // already reported as malformed
}

// Cell is one pane in a row.
type Cell struct {
	Pane string
	// Weight is the pane's share of the row's width.
	Weight int
	// MinWidth is the fewest terminal columns the pane gets (0: no minimum).
	MinWidth int
	Pos      Pos
}

// Feed returns the feed called name, or nil.
func (c *Config) Feed(name string) *Feed {
	for _, f := range c.Feeds {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// Pane returns the pane with the given id, or nil.
func (c *Config) Pane(id string) *Pane {
	for _, p := range c.Panes {
		if p.ID == id {
			return p
		}
	}
	return nil
}

// Drops reports whether the feed discards events of this name.
func (f *Feed) Drops(event string) bool {
	return slices.ContainsFunc(f.Drop, func(pat string) bool { return matchEvent(pat, event) })
}

// CatchAll reports whether the pane takes the events no other pane takes.
func (p *Pane) CatchAll() bool { return p.Type == Log && len(p.Events) == 0 }

// Listens reports whether the pane takes events from the named feed at all.
func (p *Pane) Listens(feed string) bool {
	return len(p.Feeds) == 0 || slices.Contains(p.Feeds, feed)
}

// ShowsAlerts reports whether the pane lists alert firings (feed: $alerts).
func (p *Pane) ShowsAlerts() bool { return slices.Contains(p.Feeds, AlertsFeed) }

// AlertPane is the first pane showing alert firings (normally a list), or
// nil: firings then go to a banner.
func (c *Config) AlertPane() *Pane {
	for _, p := range c.Panes {
		if p.ShowsAlerts() {
			return p
		}
	}
	return nil
}

// WhereText is the pane's where: conditions as one expression for people
// ("" when it has none).
func (p *Pane) WhereText() string {
	var parts []string
	for _, w := range p.Where {
		s := strings.Join(strings.Fields(w.String()), " ")
		if len(p.Where) > 1 {
			s = "(" + s + ")"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " && ")
}

// RightAligned resolves AlignAuto: numeric formats and sparklines go right.
func (c *Column) RightAligned() bool {
	switch c.Align {
	case AlignRight:
		return true
	case AlignAuto:
		return c.Spark > 0 || (c.Format != nil && c.Format.Numeric()) || c.Agg.Numeric()
	}
	return false
}
