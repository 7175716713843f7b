package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"syscall"
	"time"

	"github.com/charmbracelet/x/term"

	"github.com/livefeed/livefeed/config"
	demoserver "github.com/livefeed/livefeed/demo-server"
	"github.com/livefeed/livefeed/redact"
	"github.com/livefeed/livefeed/ui"
)

// startKey carries the process start time from main to the TUI, which logs
// how long the first frame took.
type startKey struct{}

func withStart(ctx context.Context, t time.Time) context.Context {
	return context.WithValue(ctx, startKey{}, t)
}

func startTime(ctx context.Context) time.Time {
	if t, ok := ctx.Value(startKey{}).(time.Time); ok {
		return t
	}
	return time.Now()
}

// tuiFlags are the flags of livefeed without a subcommand.
type tuiFlags struct {
	config  string
	logFile string
	noDemo  bool
}

const tuiSynopsis = "livefeed [--config FILE] [--log-file FILE] [--no-demo]"

func newTUIFlagSet(out io.Writer, f *tuiFlags) *flag.FlagSet {
	fs := newFlagSet("livefeed", tuiSynopsis,
		"Shows live SSE feeds in a full-screen dashboard. Without a config file (--config, $"+config.EnvConfig+",\n"+
			"or ~/.config/livefeed/config.yaml) it runs the bundled demo server and shows its feeds.", out)
	fs.StringVar(&f.config, "config", "", "config `file` (default: $"+config.EnvConfig+", then $XDG_CONFIG_HOME/livefeed/config.yaml,\nthen the built-in demo config)")
	fs.StringVar(&f.logFile, "log-file", "", "write the log to `file` (default: $XDG_STATE_HOME/livefeed/livefeed.log)")
	fs.BoolVar(&f.noDemo, "no-demo", false, "never start the in-process demo server; a config that uses ${"+config.EnvDemoURL+"}\nthen connects to its default (a 'livefeed demo-server' you run yourself)")
	return fs
}

// printTUIFlags lists the dashboard's flags, for the main usage text.
func printTUIFlags(w io.Writer) {
	fs := newTUIFlagSet(w, &tuiFlags{})
	fs.SetOutput(w)
	fs.PrintDefaults()
}

// runTUI runs the dashboard: livefeed with no subcommand.
func runTUI(ctx context.Context, args []string, out, errOut io.Writer) error {
	start := startTime(ctx)
	var f tuiFlags
	fs := newTUIFlagSet(out, &f)
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usageError{fmt.Sprintf("unknown command %q (see 'livefeed help')", rest[0])}
	}

	env := config.Env(os.LookupEnv)
	loc, err := config.Lookup(f.config, env)
	if err != nil {
		return err
	}
	cfg, err := config.Load(loc, env)
	if err != nil {
		return fmt.Errorf("config %s is not valid:\n%w", loc, err)
	}
	return runDashboard(ctx, dashboard{cfg: cfg, loc: loc, env: env, logFile: f.logFile, noDemo: f.noDemo, start: start}, out)
}

// dashboard is what the full-screen view runs on: a config (from a file,
// or built from URLs by quick mode) and where it came from.
type dashboard struct {
	cfg     *config.Config
	loc     config.Location
	env     config.Env
	logFile string
	noDemo  bool
	start   time.Time
	label   string // where the config came from, for the log; "" says loc
}

// runDashboard shows a loaded config's feeds full-screen until the user
// quits or a signal arrives.
func runDashboard(ctx context.Context, d dashboard, out io.Writer) error {
	cfg, loc, env, start := d.cfg, d.loc, d.env, d.start
	f := tuiFlags{logFile: d.logFile, noDemo: d.noDemo}
	var err error
	// A hangup (the terminal closed, or kill -HUP) ends the dashboard the way
	// SIGINT and SIGTERM do (main catches those), so that the terminal is
	// restored; by default it would kill the process in raw mode.
	ctx, stopHangup := signal.NotifyContext(ctx, syscall.SIGHUP)
	defer stopHangup()
	tty, ok := out.(*os.File)
	if !ok || !term.IsTerminal(tty.Fd()) {
		return errors.New("the dashboard needs a terminal, and standard output is not one; " +
			"for scripts and pipes use `livefeed tail URL…` (one line per event, or --json)")
	}

	// The pty closing ends the dashboard like a signal does.
	ctx, hungUp := context.WithCancel(ctx)
	defer hungUp()
	watchHangup(ctx, tty, hungUp)

	logPath := f.logFile
	if logPath == "" {
		if logPath, err = defaultLogFile(env); err != nil {
			return err
		}
	}
	logger, closeLog, err := openLog(logPath)
	if err != nil {
		return err
	}
	defer closeLog()
	label := loc.String()
	if d.label != "" {
		label = d.label
	}
	logger.Info("livefeed starting", "config", label, "pid", os.Getpid())

	// The built-in config (or any config using ${LIVEFEED_DEMO_URL}) gets the
	// demo server in-process, unless the user points it somewhere.
	var demo *demoserver.Server
	if _, set := env(config.EnvDemoURL); !set && !f.noDemo && slices.Contains(cfg.EnvRefs, config.EnvDemoURL) {
		demoCtx, stopDemo := context.WithCancel(context.WithoutCancel(ctx))
		opts := demoserver.DefaultOptions()
		opts.Addr = "127.0.0.1:0"
		// The process is ending: a connection caught mid-handshake by a
		// signal held the graceful shutdown for its whole timeout (1 s
		// measured), and the dashboard must be gone within 1 s of a signal.
		opts.ShutdownTimeout = 250 * time.Millisecond
		opts.Logger = logger.With("component", "demo-server")
		demo, err = demoserver.Start(demoCtx, opts)
		if err != nil {
			stopDemo()
			return fmt.Errorf("starting the demo server: %w", err)
		}
		defer func() {
			stopDemo()
			select {
			case <-demo.Done():
			case <-time.After(400 * time.Millisecond):
			}
		}()
		url := demo.URL()
		base := env
		env = func(name string) (string, bool) {
			if name == config.EnvDemoURL {
				return url, true
			}
			return base(name)
		}
		if cfg, err = config.Load(loc, env); err != nil {
			return fmt.Errorf("config %s is not valid:\n%w", loc, err)
		}
		logger.Info("demo server started in-process", "url", url)
	}

	frameLog := false
	if v, _ := env("LIVEFEED_FRAME_LOG"); v == "1" {
		frameLog = true
	}
	err = ui.Run(ctx, ui.Options{
		Config:   cfg,
		Location: loc,
		Env:      env,
		Logger:   logger,
		Start:    start,
		FrameLog: frameLog,
		NoColor:  os.Getenv("NO_COLOR") != "",
	})
	if err != nil {
		logger.Error("dashboard failed", "err", redact.Text(err.Error()))
		return fmt.Errorf("dashboard: %w", err)
	}
	logger.Info("livefeed stopped")
	return nil
}

// openLog opens (appending) the JSON log file, creating its directory.
func openLog(path string) (*slog.Logger, func(), error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, nil, fmt.Errorf("log file: %w", err)
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("log file: %w", err)
	}
	return slog.New(slog.NewJSONHandler(f, nil)), func() { f.Close() }, nil
}
