package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/livefeed/livefeed/capture"
	"github.com/livefeed/livefeed/render"
	"github.com/livefeed/livefeed/replay"
)

const replaySynopsis = "livefeed replay [flags] FILE\n  livefeed replay --tui [--config FILE] [flags] FILE"

const replayAbout = `Serves a capture (what 'tail --json', 'tail --record', 'record' and 'livefeed
--record' write) as an SSE server: each recorded feed at /feeds/<name>, with its
events' original type, id and data at the recorded pace; / lists the feeds (JSON
when asked for by Accept). A client's Last-Event-ID resumes just after that
event. At the end a stream closes and the next connection gets 204 (do not
reconnect), unless --loop starts it over. Runs until Ctrl-C.

With --tui, the dashboard shows the replay (on a free port unless --addr is
given): the capture's feeds are the config's feeds of the same name (--config,
or the config the dashboard would use when it has them all), or else one log
pane of everything. P pauses, . steps one event, > and < change the speed.`

// replayFlags are replay's flags.
type replayFlags struct {
	addr      string
	speed     float64
	loop      bool
	from      string
	feeds     string
	retry     time.Duration
	heartbeat time.Duration
	tui       bool
	config    string
	logFile   string
	session   sessionFlags // with --tui
}

func newReplayFlagSet(out io.Writer, f *replayFlags) *flag.FlagSet {
	d := replay.DefaultOptions()
	fs := newFlagSet("replay", replaySynopsis, replayAbout, out)
	fs.StringVar(&f.addr, "addr", "127.0.0.1:8080", "`address` to listen on (host:port; port 0 picks a free one)")
	fs.Float64Var(&f.speed, "speed", d.Speed, "pace relative to the recording: 2 is twice as fast, 0 as fast as possible")
	fs.BoolVar(&f.loop, "loop", false, "start over after the end instead of closing the streams")
	fs.StringVar(&f.from, "from", "", "start at `TIME`: an RFC 3339 time, a time of day (15:04:05) on the\ncapture's first day, or an offset from its first event (90s, 5m)")
	fs.StringVar(&f.feeds, "feeds", "", "serve only these `feeds` (comma-separated names)")
	fs.DurationVar(&f.retry, "retry", d.Retry, "reconnection time sent to clients in retry:")
	fs.DurationVar(&f.heartbeat, "heartbeat", d.Heartbeat, "send a comment after this long without an event")
	fs.BoolVar(&f.tui, "tui", false, "show the replay in the dashboard")
	fs.StringVar(&f.config, "config", "", "with --tui: the dashboard's config `file`; its feeds take the capture's feeds of the same name")
	fs.StringVar(&f.logFile, "log-file", "", "with --tui: write the log to `file` (default: as the dashboard)")
	f.session.add(fs) // --record, --export-dir, --show-secrets: with --tui, as for the dashboard
	return fs
}

func runReplay(ctx context.Context, args []string, out, errOut io.Writer) error {
	var f replayFlags
	fs := newReplayFlagSet(out, &f)
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usageError{"replay: want one capture FILE (see 'livefeed replay --help')"}
	}
	if f.speed < 0 || f.speed > 10_000 || math.IsNaN(f.speed) {
		return usageError{fmt.Sprintf("replay: --speed %v: want 0 (as fast as possible) to 10000", f.speed)}
	}
	if f.retry <= 0 || f.heartbeat <= 0 {
		return usageError{"replay: --retry and --heartbeat must be positive"}
	}
	if !f.tui && (f.config != "" || f.logFile != "" || f.session != sessionFlags{}) {
		return usageError{"replay: --config, --log-file, --record, --export-dir and --show-secrets go with --tui"}
	}
	if err := f.session.check(); err != nil {
		return err
	}
	srv, err := loadReplay(rest[0], f, errOut)
	if err != nil {
		return err
	}
	addrSet := false
	fs.Visit(func(fl *flag.Flag) { addrSet = addrSet || fl.Name == "addr" })
	if f.tui && !addrSet {
		f.addr = "127.0.0.1:0"
	}
	if f.tui {
		return replayTUI(ctx, srv, rest[0], f, out)
	}
	run, err := srv.Start(ctx, f.addr)
	if errors.Is(err, syscall.EADDRINUSE) {
		return fmt.Errorf("replay: %w (--addr 127.0.0.1:0 picks a free port)", err)
	}
	if err != nil {
		return fmt.Errorf("replay: %w", err)
	}
	rec := srv.Recording()
	fmt.Fprintf(errOut, "replay: %s: %s of %s over %s at %s; listening on %s/ (Ctrl-C stops)\n",
		render.Sanitize(rest[0]), plural(rec.Events(), "event"), plural(len(rec.Feeds), "feed"), rec.Span.Round(time.Millisecond),
		replay.FormatSpeed(f.speed), run.URL())
	for _, fd := range rec.Feeds {
		fmt.Fprintf(out, "%s\t%s\n", render.Sanitize(fd.Name), run.FeedURL(fd.Name))
	}
	return run.Wait()
}

// loadReplay reads a capture and builds its replay server. Malformed lines
// are reported on errOut and skipped, unless nothing else is left.
func loadReplay(path string, f replayFlags, errOut io.Writer) (*replay.Server, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("replay: %w", err)
	}
	defer file.Close()
	var ld replay.Loader
	n := 0
	err = capture.NewReader(file).Each(func(l *capture.Line) { ld.Add(l); n++ })
	var le *capture.LineError
	switch {
	case err != nil && !errors.As(err, &le):
		return nil, fmt.Errorf("replay: reading %s: %w", path, err)
	case err != nil && n == 0:
		return nil, fmt.Errorf("replay: %s is not a capture:\n%w", path, err)
	case err != nil:
		fmt.Fprintf(errOut, "replay: %s: skipping malformed lines:\n%v\n", path, err)
	case n == 0:
		return nil, fmt.Errorf("replay: %s is empty", path)
	}
	sel := replay.Select{}
	if f.feeds != "" {
		for n := range strings.SplitSeq(f.feeds, ",") {
			if n = strings.TrimSpace(n); n != "" {
				sel.Feeds = append(sel.Feeds, n)
			}
		}
	}
	if f.from != "" {
		if sel.From, err = parseFrom(f.from, ld.First()); err != nil {
			return nil, usageError{"replay: --from " + err.Error()}
		}
	}
	rec, err := ld.Recording(sel)
	if err != nil {
		return nil, usageError{"replay: --feeds: " + err.Error()}
	}
	if rec.Events() == 0 {
		if f.from != "" {
			return nil, fmt.Errorf("replay: %s has no events after --from %s", path, f.from)
		}
		return nil, fmt.Errorf("replay: %s has no events", path)
	}
	o := replay.DefaultOptions()
	o.Speed, o.Loop, o.Retry, o.Heartbeat, o.Name = f.speed, f.loop, f.retry, f.heartbeat, path
	return replay.New(rec, o), nil
}

// parseFrom reads --from: an RFC 3339 time, a time of day on the day of the
// capture's first event (first, in its zone), or an offset from that event.
func parseFrom(s string, first time.Time) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	if d, err := time.ParseDuration(strings.TrimPrefix(s, "+")); err == nil && d >= 0 {
		return first.Add(d), nil
	}
	for _, layout := range []string{"15:04:05.999999999", "15:04"} {
		if c, err := time.Parse(layout, s); err == nil {
			y, m, d := first.Date()
			return time.Date(y, m, d, c.Hour(), c.Minute(), c.Second(), c.Nanosecond(), first.Location()), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q: want an RFC 3339 time (%s), a time of day (15:04:05) or an offset (90s)",
		s, first.Format(time.RFC3339))
}
