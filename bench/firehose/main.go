// Command firehose is issue 5's TUI benchmark: it drives a firehose of SSE
// events into the real livefeed TUI running in a pseudo-terminal and reports
// events produced vs accounted for, CPU, peak RSS, frames/s, bytes/s written
// to the terminal, key-press-to-frame latency and first-frame time, each next
// to its target.
//
//	go run ./bench/firehose --duration 30s --rate 100000 --feeds 3
//
// It measures and reports; it does not judge. The exit status is 0 whatever
// the numbers, 1 when the harness or the program's contract fails (the
// program will not start, never connects, writes no summary record…), and 2
// for bad flags.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := runMain(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// repeated is a flag that may be given several times.
type repeated []string

func (r *repeated) String() string     { return strings.Join(*r, " ") }
func (r *repeated) Set(v string) error { *r = append(*r, v); return nil }

// sweepOptions are the flags of a sweep over rates.
type sweepOptions struct {
	ratesS string
	rates  []float64
	runs   int
}

func parseOptions(args []string, errOut io.Writer) (options, bool, error) {
	o, asJSON, _, err := parseAll(args, errOut)
	return o, asJSON, err
}

func parseAll(args []string, errOut io.Writer) (options, bool, sweepOptions, error) {
	fs := flag.NewFlagSet("firehose", flag.ContinueOnError)
	fs.SetOutput(errOut)
	fs.Usage = func() {
		fmt.Fprint(errOut, "Usage:\n  go run ./bench/firehose [flags]\n\n"+
			"Runs livefeed's TUI in a pseudo-terminal under a firehose of SSE events and reports\n"+
			"events produced vs accounted for, CPU, peak RSS, frames/s, bytes/s to the terminal,\n"+
			"key-press-to-frame latency and first-frame time against issue 5's targets.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	var (
		o         options
		asJSON    bool
		screen    bool
		jsonOut   string
		extra     repeated
		envs      repeated
		warmupS   string
		dashboard string
		compare   string
	)
	sw := sweepOptions{}
	fs.DurationVar(&o.duration, "duration", 30*time.Second, "how long the server produces events")
	fs.Float64Var(&o.rate, "rate", 100_000, "events per second over all feeds")
	fs.IntVar(&o.feeds, "feeds", 3, "number of SSE feeds (each gets rate/feeds events/s)")
	fs.StringVar(&sw.ratesS, "rates", "", "sweep: run at each of these `rates` (events/s, comma separated) instead of --rate")
	fs.IntVar(&sw.runs, "runs", 0, "runs at each rate (with --rates; default 1) or rounds of --compare-feeds (default 3)")
	fs.BoolVar(&o.dash.logAll, "log-all", false, `the log pane takes every event (events: ["*"]), not only what no other pane took`)
	fs.IntVar(&o.dash.logMax, "log-max", 0, "the log pane's max: (0: the config's default)")
	fs.StringVar(&o.bin, "bin", "", "livefeed binary to run (default: go build the module into a temporary directory)")
	fs.IntVar(&o.cols, "cols", 120, "terminal width")
	fs.IntVar(&o.rows, "rows", 36, "terminal height")
	fs.StringVar(&warmupS, "warmup", "auto", "time after production starts excluded from steady-state figures (auto: min(5s, duration/4))")
	fs.DurationVar(&o.keyInterval, "key-interval", 250*time.Millisecond, "time between focus key presses (Tab / Shift-Tab)")
	fs.DurationVar(&o.connect, "connect-timeout", 10*time.Second, "how long to wait for every feed to connect")
	fs.DurationVar(&o.drainMin, "drain", time.Second, "minimum wait after production before sending q")
	fs.DurationVar(&o.drainMax, "drain-max", 10*time.Second, "maximum wait for the program to read what was produced")
	fs.Var(&extra, "arg", "extra argument for livefeed (repeatable), e.g. --arg=--cpuprofile=/tmp/cpu.prof")
	fs.Var(&envs, "env", "extra environment variable KEY=VALUE for livefeed (repeatable)")
	fs.BoolVar(&asJSON, "json", false, "print the report as JSON instead of a table")
	fs.StringVar(&jsonOut, "json-out", "", "also write the JSON report to `file`")
	fs.BoolVar(&o.keep, "keep", false, "keep the generated config and livefeed's log")
	fs.BoolVar(&screen, "screen", false, "print the screen as it was when production ended")
	fs.StringVar(&dashboard, "dashboard", "markets", "the config under test: markets (table, list, ticker, log) or charts (a chart of 20 series and a stat pane of 20 tiles, issue 14)")
	fs.StringVar(&o.perf, "perf", "", "record a CPU profile of livefeed's steady state with perf(1) into `file`")
	fs.StringVar(&compare, "compare-feeds", "", "run the same --rate over each of these feed `counts` (e.g. 1,50) --runs times, alternating, and compare steady-state CPU")
	fs.StringVar(&o.dash.where, "where", "", "a where: `condition` on the quote table (94% of the events), e.g. 'symbol != \"ZZZ\" && price > 0'")
	if err := fs.Parse(args); err != nil {
		return o, false, sw, err
	}
	if compare != "" {
		counts, err := parseFeedCounts(compare)
		if err != nil {
			return o, false, sw, err
		}
		runs := sw.runs
		if runs == 0 {
			runs = 3
		}
		if runs < 1 || runs > 20 {
			return o, false, sw, errors.New("--runs must be between 1 and 20 with --compare-feeds")
		}
		o.compare, o.runs = counts, runs
		sw.runs = 1
	}
	if sw.runs == 0 {
		sw.runs = 1
	}
	if fs.NArg() > 0 {
		return o, false, sw, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	switch {
	case o.duration < time.Second:
		return o, false, sw, errors.New("--duration must be at least 1s")
	case o.rate <= 0:
		return o, false, sw, errors.New("--rate must be positive")
	case o.feeds < 1 || o.feeds > 64:
		return o, false, sw, errors.New("--feeds must be between 1 and 64")
	case o.cols < 20 || o.rows < 5 || o.cols > 1000 || o.rows > 1000:
		return o, false, sw, errors.New("--cols/--rows out of range")
	case o.keyInterval < 10*time.Millisecond:
		return o, false, sw, errors.New("--key-interval must be at least 10ms")
	case dashboard != "markets" && dashboard != "charts":
		return o, false, sw, errors.New("--dashboard must be markets or charts")
	case dashboard == "charts" && (o.dash.where != "" || o.dash.logAll || o.dash.logMax != 0):
		return o, false, sw, errors.New("--where, --log-all and --log-max change the markets dashboard, not --dashboard charts")
	case sw.runs < 1 || sw.runs > 100:
		return o, false, sw, errors.New("--runs must be between 1 and 100")
	case o.dash.logMax < 0:
		return o, false, sw, errors.New("--log-max must not be negative")
	}
	if sw.ratesS != "" {
		var err error
		if sw.rates, err = parseRates(sw.ratesS); err != nil {
			return o, false, sw, err
		}
	} else if sw.runs > 1 {
		sw.rates = []float64{o.rate}
	}
	o.dash.charts = dashboard == "charts"
	if warmupS == "auto" {
		o.warmup = min(5*time.Second, o.duration/4)
	} else {
		d, err := time.ParseDuration(warmupS)
		if err != nil || d < 0 || d >= o.duration {
			return o, false, sw, fmt.Errorf("--warmup %q: want a duration shorter than --duration, or auto", warmupS)
		}
		o.warmup = d
	}
	for _, kv := range envs {
		if !strings.Contains(kv, "=") {
			return o, false, sw, fmt.Errorf("--env %q: want KEY=VALUE", kv)
		}
	}
	o.keyDelay = min(time.Second, o.warmup)
	o.args, o.env = extra, envs
	o.command = strings.TrimSpace("go run ./bench/firehose " + strings.Join(args, " "))
	o.progress = errOut
	o.showScreen = screen
	o.jsonOut = jsonOut
	return o, asJSON, sw, nil
}

func runMain(ctx context.Context, args []string, out, errOut io.Writer) int {
	o, asJSON, sw, err := parseAll(args, errOut)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(errOut, "firehose:", err)
		return 2
	}
	if len(o.compare) > 0 {
		if err := compareFeeds(ctx, o, o.compare, o.runs, out); err != nil {
			fmt.Fprintln(errOut, "firehose: FAILED:", err)
			return 1
		}
		return 0
	}
	if len(sw.rates) > 0 {
		return runSweep(ctx, o, sw, asJSON, out, errOut)
	}
	rep, err := run(ctx, o)
	if err != nil {
		rep.Error = err.Error()
	}
	data, jerr := json.MarshalIndent(rep, "", "  ")
	if jerr != nil {
		fmt.Fprintln(errOut, "firehose: encoding the report:", jerr)
		return 1
	}
	if o.jsonOut != "" {
		if werr := os.WriteFile(o.jsonOut, append(data, '\n'), 0o644); werr != nil {
			fmt.Fprintln(errOut, "firehose:", werr)
			return 1
		}
	}
	if asJSON {
		out.Write(append(data, '\n')) //nolint:errcheck // stdout
	} else if rep.Produced > 0 { // with nothing produced there is nothing to show
		if o.showScreen {
			rep.WriteScreen(out)
		}
		rep.WriteTable(out)
	}
	if err != nil {
		fmt.Fprintln(errOut, "firehose: FAILED:", err)
		return 1
	}
	return 0
}

// runSweep runs a sweep over rates and prints one line per run and the
// medians per rate (or, with --json, every run's report).
func runSweep(ctx context.Context, o options, sw sweepOptions, asJSON bool, out, errOut io.Writer) int {
	reps, err := sweep(ctx, o, sw.rates, sw.runs)
	if err != nil && len(reps) > 0 {
		reps[len(reps)-1].Error = err.Error()
	}
	data, jerr := json.MarshalIndent(reps, "", "  ")
	if jerr != nil {
		fmt.Fprintln(errOut, "firehose: encoding the report:", jerr)
		return 1
	}
	if o.jsonOut != "" {
		if werr := os.WriteFile(o.jsonOut, append(data, '\n'), 0o644); werr != nil {
			fmt.Fprintln(errOut, "firehose:", werr)
			return 1
		}
	}
	if asJSON {
		out.Write(append(data, '\n')) //nolint:errcheck // stdout
	} else {
		if len(reps) > 0 {
			m := reps[0].Machine
			fmt.Fprintf(out, "livefeed firehose sweep: %d feeds, %gs per run, %d×%d pty; machine: %d CPUs, %s\n\n",
				o.feeds, o.duration.Seconds(), o.cols, o.rows, m.NumCPU, m.Model)
		}
		writeSweep(out, reps)
	}
	if err != nil {
		fmt.Fprintln(errOut, "firehose: FAILED:", err)
		return 1
	}
	return 0
}
