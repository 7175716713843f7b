package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	demoserver "github.com/livefeed/livefeed/demo-server"
)

// envPublishToken is where the publish token may come from instead of the
// command line, where other users of the machine could read it in ps.
const envPublishToken = "LIVEFEED_PUBLISH_TOKEN"

// runDemoServer serves the bundled SSE demo until ctx is cancelled (Ctrl-C,
// SIGTERM), then sends every client a final shutdown event and returns nil.
func runDemoServer(ctx context.Context, args []string, out, errOut io.Writer) error {
	return demoServerCommand(ctx, args, out, errOut, os.LookupEnv)
}

func demoServerCommand(ctx context.Context, args []string, out, errOut io.Writer, env func(string) (string, bool)) error {
	opts := demoserver.DefaultOptions()
	fs := newFlagSet("demo-server", "livefeed demo-server [flags]",
		"Serve live stock, sports, news, job progress and host metrics Server-Sent Events,\n"+
			"and a web page that shows them.\n"+
			"Endpoints: /events/stocks, /events/sports, /events/news, /events/jobs, /events/metrics,\n"+
			"/events?topics=stocks,news, POST /publish, /healthz, and / (the page).", out)
	fs.StringVar(&opts.Addr, "addr", opts.Addr, "`address` to listen on (host:port; port 0 picks a free one)")
	rate := rateFlag{v: opts.Rate}
	fs.Var(&rate, "rate", "generation steps per second per topic, 0 for none (only /publish), or auto for\nstocks 4/s, sports 1/s, news 0.25/s, jobs 4/s (one progress event per running\njob each), metrics 1/s (one sample per host each)")
	fs.Int64Var(&opts.Seed, "seed", 0, "seed for the generated data; the same seed gives the same events (0 = random)")
	fs.DurationVar(&opts.Heartbeat, "heartbeat", opts.Heartbeat, "send a heartbeat comment after this long without events (0 = never)")
	retryMS := fs.Int64("retry", opts.Retry.Milliseconds(), "reconnection delay sent to clients in retry:, in `milliseconds`")
	fs.IntVar(&opts.History, "history", opts.History, "events kept per topic for Last-Event-ID replay")
	fs.BoolVar(&opts.Chaos, "chaos", false, "drop connections at random intervals and occasionally stall them,\nto watch clients reconnect and resume")
	// No default shown in --help: it would print the token from the environment.
	fs.StringVar(&opts.PublishToken, "publish-token", "", "require `TOKEN` on POST /publish as \"Authorization: Bearer TOKEN\"\n(default $"+envPublishToken+"; without one, /publish is open to whoever can\nreach the server, which on loopback is this machine only)")
	verbose := fs.Bool("verbose", false, "log connections, drops and resumes to stderr")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usageError{fmt.Sprintf("demo-server: unexpected argument %q (see 'livefeed demo-server --help')", rest[0])}
	}
	opts.Rate = rate.v
	if opts.PublishToken == "" {
		opts.PublishToken, _ = env(envPublishToken)
	}
	if *retryMS < 0 || *retryMS > 24*60*60*1000 {
		return usageError{fmt.Sprintf("demo-server: --retry %d: want 0 to 86400000 milliseconds (a day)", *retryMS)}
	}
	opts.Retry = time.Duration(*retryMS) * time.Millisecond
	if *verbose {
		opts.Logger = slog.New(slog.NewTextHandler(errOut, nil))
	}

	if err := opts.Validate(); err != nil {
		return usageError{fmt.Sprintf("demo-server: %v (see 'livefeed demo-server --help')", strings.ReplaceAll(err.Error(), "\n", "; "))}
	}
	srv, err := demoserver.Start(ctx, opts)
	if errors.Is(err, syscall.EADDRINUSE) {
		return fmt.Errorf("%w (is another demo-server running? --addr 127.0.0.1:0 picks a free port)", err)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(errOut, "demo-server: listening on %s (open it in a browser; Ctrl-C stops)\n", srv.URL())
	if msg := publishNotice(srv.Addr().String(), srv.Loopback(), opts.PublishToken != ""); msg != "" {
		fmt.Fprintln(errOut, msg)
	}
	return srv.Wait()
}

// publishNotice is what the command says about who may publish, after the
// listening line: nothing on loopback without a token (only this machine can
// reach the server, and the Host check keeps web pages out), a warning when
// the server is reachable from elsewhere and /publish is open.
func publishNotice(addr string, loopback, token bool) string {
	switch {
	case token:
		return "demo-server: POST /publish requires \"Authorization: Bearer <token>\" (--publish-token)"
	case !loopback:
		return "demo-server: warning: listening on " + addr + ", which other machines may reach: POST /publish is open to " +
			"anyone who can connect; set --publish-token or $" + envPublishToken + " to require a token"
	}
	return ""
}

// rateFlag is --rate: a non-negative number of events per second, or "auto".
type rateFlag struct{ v float64 }

func (r *rateFlag) String() string {
	if r == nil || r.v == demoserver.AutoRate {
		return "auto"
	}
	return strconv.FormatFloat(r.v, 'g', -1, 64)
}

func (r *rateFlag) Set(s string) error {
	if strings.EqualFold(strings.TrimSpace(s), "auto") {
		r.v = demoserver.AutoRate
		return nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < 0 || v > 100_000 || math.IsNaN(v) {
		return fmt.Errorf("want a number of events per second from 0 to 100000, or auto")
	}
	r.v = v
	return nil
}
