// Package ui is livefeed's terminal dashboard: a bubbletea program that shows
// the events a live.Runtime delivers in panes, and every connection's state
// in a bar at the bottom. It holds views and input; the feeds, routing and
// pacing are live's.
package ui

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"

	"github.com/livefeed/livefeed/capture"
	"github.com/livefeed/livefeed/config"
	"github.com/livefeed/livefeed/feed"
	"github.com/livefeed/livefeed/live"
	"github.com/livefeed/livefeed/redact"
)

// tickInterval drives everything that changes with time alone: countdowns,
// ages, the ticker's scroll and the flash of changed cells.
const tickInterval = 100 * time.Millisecond

// messageTTL is how long a status message (such as "reconnecting stocks")
// stays in the status line.
const messageTTL = 4 * time.Second

// tickMsg is the 100 ms heartbeat; it reaches every pane.
type tickMsg time.Time

// feedErrMsg reports feeds that could not be created (a bad CA file, say).
type feedErrMsg struct{ err error }

// Options configure the dashboard.
type Options struct {
	// Config is what to show; Location is where it came from (its file, if
	// any, is watched and re-read when it changes) and Env resolves ${VAR}s
	// when it is re-read.
	Config   *config.Config
	Location config.Location
	Env      config.Env
	// Logger receives the log (never the terminal); nil discards it.
	Logger *slog.Logger
	// Start is when the process started, for the first frame's latency.
	Start time.Time
	// Clock is the time source; nil means time.Now. Tests pin it.
	Clock func() time.Time
	// NoColor draws without relying on colour (NO_COLOR is set): change
	// cues are glyphs only.
	NoColor bool
	// FrameLog logs a "frames" record every 100 frames (LIVEFEED_FRAME_LOG=1).
	FrameLog bool
	// ExportDir is where the export key writes files ("" is the current
	// directory).
	ExportDir string
	// ShowSecrets keeps credentials in the curl commands the dashboard
	// copies; by default they are redacted.
	ShowSecrets bool
	// Replay, when set, is the replay the feeds come from (livefeed replay
	// --tui): the replay keys pause, step and change its speed.
	Replay ReplayControl
	// Record, when set, receives every event and state change of every feed
	// as it arrives (the caller closes it); a write error shows a banner
	// and stops the recording, the dashboard goes on.
	Record *capture.Writer
	// ProgramOptions are passed to tea.NewProgram after the defaults (tests
	// use them to replace the terminal).
	ProgramOptions []tea.ProgramOption
	// Feeds, when set, is the runtime Init starts the config's feeds on and
	// the model reads until Context ends: a model driven by Update and View
	// alone (tests, examples) then shows live data. Run makes its own.
	Feeds   *live.Runtime
	Context context.Context
}

// Model is the root bubbletea model. It is used through a pointer: it is the
// program's single state. Update draws the screen (re-rendering only the
// panes that changed) and View returns what it drew. Its fields
// come in groups, embedded so that the code reads m.width, not m.screen.width.
type Model struct {
	runEnv
	now    time.Time
	cfg    *config.Config
	router *live.Router
	look
	feedView
	pacer live.Pacer // when data frames are drawn
	alerts
	paneSet
	screenSize
	fitState
	notices
	counters
	lineCaches
}

// runEnv is where the model runs: what New and Run were given.
type runEnv struct {
	loc            config.Location
	env            config.Env
	log            *slog.Logger
	clock          func() time.Time
	start          time.Time
	ctx            context.Context
	feeds          *live.Runtime // nil when the model runs no feeds (tests)
	frameLog       bool
	programOptions []tea.ProgramOption
	exportDir      string
	showSecrets    bool
	replay         ReplayControl
}

// look is how things are drawn and which keys do what.
type look struct {
	styles *Styles
	keys   KeyMap
	help   help.Model
}

// feedView is what the model knows about the feeds, for the connection bar.
type feedView struct {
	perPane   [][]Item // applyBatches' scratch lists, one per slot
	stats     map[string]*feedStat
	statOrder []*feedStat // in config order, for the bar
}

// paneSet is the panes, the focus and what covers them.
type paneSet struct {
	slots []*paneSlot // in config order
	order []*paneSlot // in layout reading order: the focus cycle
	byID  map[string]int
	focus int // index into order
	page  int // index into the config's pages; order holds its panes
	// pageFocus is the pane each page had the focus on when it was left.
	pageFocus map[int]string
	zoomed    bool
	showHelp  bool
	conns     connView
	helpView  helpState
	detail    *detailModel
}

// screenSize is the terminal's size and how the panes are laid out on it.
type screenSize struct {
	width, height int
	barH          int
	bar           barCache
	paneArea      rect
	layout        screenLayout
}

// notices are the banner and the status line's message, and the config
// file's stamp they depend on.
type notices struct {
	banner       string
	dismissed    string // the banner the user last dismissed
	message      string
	messageUntil time.Time
	stamp        fileStamp
}

// counters feed the summary record, the frame log and the header.
type counters struct {
	seq         uint64
	events      uint64
	shownEvents uint64 // events as of the last data frame, for the header
	perFeed     map[string]uint64
	routed      uint64
	unrouted    uint64
	droppedGone int // drops of panes cleared or rebuilt since
	batches     uint64
	frames      uint64
	lastContent string
	lastLines   []string // lastContent's lines, to estimate what a frame changes
	dataFrame   bool     // this Update draws a data frame: the pacer learns its cost
	frameBytes  uint64   // estimated bytes of every frame drawn, for the frame log
	firstFrame  time.Duration
	firstData   time.Duration
}

// alerts is the alert rules' state and what they fired since the last
// delivery.
type alerts struct {
	alerter     *live.Alerter
	firings     []live.Firing
	alertBanner bool // the banner shows an alert, not a config problem
}

// paneSlot is one pane and what the model keeps about it.
type paneSlot struct {
	id    string
	cfg   *config.Pane
	p     pane
	feeds []string // the configured feeds it listens to

	dirty bool
	// undrawn: the pane has data its last full render does not show. Until
	// the next data frame, redraws for other reasons (focus, ticks) put a
	// live frame around the body of that render (see paneLines), so that a
	// key press under a firehose costs a border, not a screenful.
	undrawn bool
	body    []string // the last full render, bodyW cells wide
	bodyW   int
	key     viewKey
	lines   []string
	drawnAt time.Time // when lines were last rendered

	// sides, while set, are the lines whose side borders the pane keeps
	// (the colours from before a focus change) until sidesDue; see
	// keepSides.
	sides    []string
	sidesDue time.Time

	bodyCut, sideCut cutCache // cuts of body (or frozen) and of sides

	paused    bool
	pausedNew int
	frozen    []string
	frozenKey viewKey
}

// viewKey is everything besides the pane's data that its rendering depends
// on; an unchanged key and no new data mean the cached lines are still right.
type viewKey struct {
	w, h            int
	focused, dimmed bool
	note            string
}

func (s *paneSlot) invalidate() { s.dirty = true }

// New builds the model for a config. It starts nothing: Run (or Init under a
// program) starts the feeds.
func New(opts Options) *Model {
	clock := opts.Clock
	if clock == nil {
		clock = time.Now
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	start := opts.Start
	if start.IsZero() {
		start = clock()
	}
	m := &Model{
		runEnv: runEnv{
			loc:            opts.Location,
			env:            opts.Env,
			log:            log,
			clock:          clock,
			start:          start,
			ctx:            context.Background(),
			frameLog:       opts.FrameLog,
			programOptions: opts.ProgramOptions,
			exportDir:      opts.ExportDir,
			showSecrets:    opts.ShowSecrets,
			replay:         opts.Replay,
		},
		now:      clock(),
		cfg:      opts.Config,
		router:   live.NewRouter(opts.Config),
		alerts:   alerts{alerter: live.NewAlerter(opts.Config.Alerts)},
		look:     look{styles: NewStyles(opts.Config.Theme)},
		feedView: feedView{stats: map[string]*feedStat{}},
		counters: counters{perFeed: map[string]uint64{}, firstFrame: -1, firstData: -1},
	}
	m.styles.NoColor = opts.NoColor
	if opts.Feeds != nil {
		m.feeds = opts.Feeds
		if opts.Context != nil {
			m.ctx = opts.Context
		}
	}
	m.keys = m.keyMap(opts.Config)
	m.help = newHelp(m.styles)
	for _, f := range m.cfg.Feeds {
		st := &feedStat{name: f.Name}
		m.stats[f.Name] = st
		m.statOrder = append(m.statOrder, st)
	}
	for _, p := range m.cfg.Panes {
		m.slots = append(m.slots, m.newSlot(p))
	}
	m.relayout()
	return m
}

func (m *Model) newSlot(p *config.Pane) *paneSlot {
	s := &paneSlot{id: p.ID, cfg: p, p: newPane(p, m.styles, m.keys), dirty: true}
	s.listen(m.cfg)
	return s
}

// listen records which of the config's feeds the pane shows, for the
// reconnect key and for dimming.
func (s *paneSlot) listen(cfg *config.Config) {
	s.feeds = s.feeds[:0]
	for _, f := range cfg.Feeds {
		if s.cfg.Listens(f.Name) {
			s.feeds = append(s.feeds, f.Name)
		}
	}
}

// Run shows the dashboard until the user quits or ctx ends, then stops the
// feeds and logs the summary record.
func Run(ctx context.Context, opts Options) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	m := New(opts)
	m.ctx = ctx
	m.feeds = live.New(ctx, m.log)
	if opts.Record != nil {
		m.feeds.Record(opts.Record)
	}
	// Signals are the caller's: they cancel ctx. bubbletea's own handler
	// can deadlock (v2.0.9: handleSignals blocks sending QuitMsg to an event
	// loop that already left on ctx, while shutdown waits for it).
	popts := append([]tea.ProgramOption{tea.WithContext(ctx), tea.WithoutSignalHandler()}, opts.ProgramOptions...)
	_, err := tea.NewProgram(m, popts...).Run()
	cancel()
	m.feeds.StopAll(500 * time.Millisecond) // the process exits within 1 s of a signal
	m.logSummary()
	switch {
	case errors.Is(err, tea.ErrInterrupted):
		return nil
	case errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil:
		return nil
	}
	return err
}

// Init starts the feeds, the batch reader, the clock and the config watcher.
func (m *Model) Init() tea.Cmd {
	cmds := []tea.Cmd{tick(m.tickAfter(tickInterval)), watchConfig(m.loc, m.env, m.stamp, 0)}
	if m.feeds != nil {
		fs, cfg := m.feeds, m.cfg
		cmds = append(cmds, func() tea.Msg {
			if err := fs.Apply(cfg, config.Changes{}, true); err != nil {
				return feedErrMsg{err}
			}
			return nil
		}, waitBatches(m.ctx, fs, time.Time{}, live.FrameInterval))
	}
	return tea.Batch(cmds...)
}

// tickAfter is the wait for a tick d from now, moved on to the next start
// of the feeds' read windows (live.UntilWindow), so that ticks wake the
// process when the feeds do, not at moments of their own.
func (m *Model) tickAfter(d time.Duration) time.Duration {
	at := m.clock().Add(d)
	return d + live.UntilWindow(at)%live.Coalesce
}

func tick(d time.Duration) tea.Cmd {
	return tea.Tick(d, func(t time.Time) tea.Msg { return tickMsg(t) })
}

// Update handles one message, then draws the screen: bubbletea calls View
// after every Update anyway, and drawing here leaves View nothing to change.
// After a tick's frame it schedules the next tick (see nextTick).
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	_, cmd := m.update(msg)
	m.draw()
	if _, ok := msg.(tickMsg); ok {
		cmd = tea.Batch(cmd, tick(m.tickAfter(m.nextTick())))
	}
	return m, cmd
}

// nextTick is how long until the next tick: tickInterval while something
// on screen may change with time at any moment (a countdown, a message
// that expires, data waiting for its frame, busy feeds, a pane that does
// not say when it changes), else until the next change of what is shown:
// the clock's next second (it and the rates count seconds), the next age
// of a feed's last event, the next change of a pane (NextTimeChange); never
// sooner than tickInterval. An idle dashboard woke ten times a second for
// a screen that changed a few times a second: sleeping until the next
// change took it from 2.5% to 1.9% of a core (bench/firehose --rate 1
// --key-interval 1h, 30 s, two runs each).
func (m *Model) nextTick() time.Duration {
	if m.message != "" || m.pacer.Busy(m.now) || m.alerter.Active() || m.conns.open || m.detail != nil || m.replay != nil {
		return tickInterval
	}
	next := m.now.Truncate(time.Second).Add(time.Second)
	earlier := func(t time.Time) {
		if !t.IsZero() && t.Before(next) {
			next = t
		}
	}
	for _, st := range m.statOrder {
		if st.state() != feed.Open {
			return tickInterval // countdowns, and the ages in pane titles
		}
		if !st.lastEventAt.IsZero() {
			earlier(nextAgoChange(m.now, st.lastEventAt, true))
		}
	}
	for _, s := range m.slots {
		if s.undrawn || s.sides != nil {
			return tickInterval // data due at a tick; side borders due
		}
	}
	for _, b := range m.boxes() {
		i, ok := m.byID[b.Pane]
		if !ok {
			continue
		}
		tp, timed := m.slots[i].p.(timedPane)
		if !timed {
			return tickInterval
		}
		earlier(tp.NextTimeChange())
	}
	return max(next.Sub(m.now), tickInterval)
}

func (m *Model) update(msg tea.Msg) (tea.Model, tea.Cmd) {
	m.now = m.clock()
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.relayout()
		m.resizeDetail()
		return m, nil

	case batchMsg:
		m.pacer.Took(m.now, msg.events)
		if msg.recordErr != nil {
			m.log.Error("recording stopped", "err", msg.recordErr.Error())
			m.setBanner("recording stopped: " + msg.recordErr.Error())
		}
		raw := m.applyBatches(msg)
		m.drawDataIfDue()
		if m.feeds != nil {
			return m, tea.Batch(waitBatches(m.ctx, m.feeds, msg.at, m.pacer.Ingest()), rawCmd(raw))
		}
		return m, rawCmd(raw)

	case tickMsg:
		if m.message != "" && !m.now.Before(m.messageUntil) {
			m.message = ""
		}
		var cmds []tea.Cmd
		m.refreshConnDetail()
		if m.alerter.Active() {
			// Notes of throttled rules, once their second is over.
			if m.firings = m.alerter.Flush(m.now, m.firings[:0]); len(m.firings) > 0 {
				cmds = append(cmds, rawCmd(m.applyBatches(batchMsg{})))
			}
		}
		m.drawDataIfDue() // data that came after the last data frame, once the feeds pause
		for _, s := range m.slots {
			var cmd tea.Cmd
			cmd = s.p.Update(msg)
			if m.redrawOnTick(s) && timeChanged(s.p, m.now) {
				s.dirty = true // time-dependent content: scroll, flashes, ages
			}
			if s.sides != nil && !m.now.Before(s.sidesDue) {
				s.dirty = true // the side borders take the focus colour at last
			}
			cmds = append(cmds, cmd)
		}
		return m, tea.Batch(cmds...)

	case configCheckMsg:
		return m, m.onConfigCheck(msg)

	case copiedMsg:
		m.flash(fmt.Sprintf("copied %s characters (OSC 52)", groupInt(msg.chars)))
		return m, nil

	case exportedMsg:
		m.onExported(msg)
		return m, nil

	case feedErrMsg:
		m.log.Error("feeds", "err", redact.Text(msg.err.Error()))
		m.noteFeedErrors(msg.err)
		return m, nil

	case tea.KeyPressMsg:
		return m.onKey(msg)

	case tea.MouseClickMsg:
		return m, m.onClick(msg)

	case tea.MouseWheelMsg:
		return m, m.onWheel(msg)
	}
	return m, nil
}

// onConfigCheck applies a changed config or shows why it was not applied.
func (m *Model) onConfigCheck(msg configCheckMsg) tea.Cmd {
	m.stamp = msg.stamp
	next := watchConfig(m.loc, m.env, m.stamp, reloadInterval)
	switch {
	case msg.err != nil:
		// A banner the user dismissed stays away until something changes.
		if b := bannerText(msg.err); b != m.banner && b != m.dismissed {
			m.log.Warn("config not reloaded", "err", msg.err.Error())
			m.setBanner(b)
		}
	case msg.cfg != nil:
		m.dismissed = ""
		m.setBanner("")
		return tea.Batch(next, m.applyConfig(msg.cfg))
	case msg.restored:
		m.dismissed = ""
		m.setBanner("")
	}
	return next
}

func (m *Model) setBanner(s string) {
	m.alertBanner = false
	if s != m.banner {
		m.banner = s
		m.relayout()
		m.resizeDetail()
	}
}

// noteFeedErrors marks feeds that could not start as CLOSED, each with its
// own reason. err is one *feed.FeedError or several joined.
func (m *Model) noteFeedErrors(err error) {
	errs := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	}
	for _, e := range errs {
		var fe *feed.FeedError
		if !errors.As(e, &fe) {
			continue
		}
		if st := m.stats[fe.Name]; st != nil {
			st.status = feed.Status{State: feed.Closed, Err: fe}
			st.seen, st.statusAt = true, m.now
		}
	}
}

// flash shows a message in the status line for a few seconds.
func (m *Model) flash(s string) {
	m.message, m.messageUntil = s, m.now.Add(messageTTL)
}

// applyBatches routes a frame's worth of events to the panes: one Add per
// pane with its items, in arrival order, in chunks of at most
// applyChunk events. Adding is cheap (panes render lazily); the panes are
// redrawn with the new data at the next data frame (see drawDataIfDue).
func (m *Model) applyBatches(msg batchMsg) (raw string) {
	if len(msg.batches) > 0 {
		m.batches++
	}
	// The per-pane lists are reused from one delivery to the next: under a
	// firehose, growing them afresh each time was a tenth of the CPU.
	if len(m.perPane) < len(m.slots) {
		m.perPane = append(m.perPane, make([][]Item, len(m.slots)-len(m.perPane))...)
	}
	perPane := m.perPane[:len(m.slots)]
	pending := 0
	for bi := range msg.batches {
		b := &msg.batches[bi]
		// Names from the payload and drop: apply before anything counts
		// the events: dropped ones are not in the feed's ev/s.
		dropped := m.router.Prepare(b)
		st := m.stats[b.Feed]
		if st != nil {
			st.dropped += uint64(dropped)
			st.applyDropped(b, dropped)
		}
		if b.Status != nil {
			m.logStatus(b)
			continue
		}
		n := len(b.Events)
		m.events += uint64(n)
		m.perFeed[b.Feed] += uint64(n)
		for _, ev := range b.Events {
			m.seq++
			if m.alerter.Active() {
				m.firings = m.alerter.Check(b.Feed, ev, b.Time, m.firings)
			}
			ids := m.router.RouteEvent(b.Feed, &ev, b.Time)
			if len(ids) == 0 {
				m.unrouted++
				continue
			}
			it := Item{Seq: m.seq, Feed: b.Feed, Time: b.Time, Event: ev}
			for _, id := range ids {
				if i, ok := m.byID[id]; ok {
					perPane[i] = append(perPane[i], it)
				}
			}
			if pending++; pending == applyChunk {
				m.addPending(perPane)
				pending = 0
			}
		}
	}
	if len(m.firings) > 0 {
		raw = m.deliverAlerts(m.firings, perPane)
		clear(m.firings)
		m.firings = m.firings[:0]
	}
	m.addPending(perPane)
	return raw
}

// applyChunk bounds the items the per-pane lists collect before they are
// added: a frame may hold 50,000 events, and lists that grew to that size
// for every pane (96 bytes an item) stayed that size for the rest of the
// run. Chunks of this size still let a log of the default max skip what
// it would evict at once (logPane.Add).
const applyChunk = 4096

// addPending adds the items collected for each pane and empties the lists.
func (m *Model) addPending(perPane [][]Item) {
	for i, items := range perPane {
		if len(items) == 0 {
			continue
		}
		s := m.slots[i]
		s.p.Add(items)
		s.undrawn = true
		m.routed += uint64(len(items))
		if s.paused {
			s.pausedNew += len(items)
		}
		clear(items) // panes keep copies; drop the references to the events
		perPane[i] = items[:0]
	}
}

func (m *Model) logStatus(b *feed.Batch) {
	s := b.Status
	attrs := []any{"feed", b.Feed, "state", s.State.String(), "attempt", s.Attempt}
	if s.HTTPStatus != 0 {
		attrs = append(attrs, "http_status", s.HTTPStatus)
	}
	if s.ContentType != "" {
		attrs = append(attrs, "content_type", s.ContentType)
	}
	if s.Err != nil {
		attrs = append(attrs, "err", redact.Text(s.Err.Error()))
	}
	var he *feed.HTTPError
	if errors.As(s.Err, &he) && he.Body != "" {
		// The log keeps the server's whole answer (up to the 4 KiB the
		// engine keeps), secrets in it redacted as everywhere else.
		attrs = append(attrs, "body", redact.Text(he.Body))
	}
	if s.ReconnectIn > 0 {
		attrs = append(attrs, "reconnect_in", s.ReconnectIn.String())
		if s.RetryAfter {
			attrs = append(attrs, "retry_after", true)
		}
	}
	level := slog.LevelInfo
	if s.State == feed.Closed {
		level = slog.LevelWarn
	}
	m.log.Log(context.Background(), level, "feed state", attrs...)
}

// resizeDetail fits the open inspector to the screen, keeping its scroll.
func (m *Model) resizeDetail() {
	if m.detail != nil {
		d := m.detail.SetSize(m.width, m.detailHeight())
		m.detail = &d
	}
}

// detailHeight is the inspector's height: everything but the header, the
// banner and the status line.
func (m *Model) detailHeight() int {
	h := m.height - 2
	if m.banner != "" {
		h--
	}
	return max(h, 1)
}

// logSummary writes the final "summary" record the firehose benchmark reads.
func (m *Model) logSummary() {
	dropped := m.droppedGone
	held := 0
	for _, s := range m.slots {
		dropped += s.p.Dropped()
		held += s.p.Len()
	}
	perFeed := make(map[string]uint64, len(m.perFeed))
	for k, v := range m.perFeed {
		perFeed[k] = v
	}
	m.log.Info("summary",
		"events", m.events,
		"per_feed", perFeed,
		"routed", m.routed,
		"unrouted", m.unrouted,
		"dropped", dropped,
		"held", held,
		"frames", m.frames,
		"batches", m.batches,
		"elapsed_ms", time.Since(m.start).Milliseconds(),
		"first_frame_ms", msOrNone(m.firstFrame),
		"first_data_ms", msOrNone(m.firstData),
	)
}

// msOrNone is a duration in milliseconds, or -1 for one that never happened.
func msOrNone(d time.Duration) int64 {
	if d < 0 {
		return -1
	}
	return d.Milliseconds()
}
