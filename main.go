// Command livefeed watches live Server-Sent Events feeds in the terminal.
//
// main.go only picks the subcommand, wires packages and turns the result into an
// exit code; each subcommand lives in its own cmd_*.go file and returns an error.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"
)

// command is one subcommand: run gets the arguments after its name and reports
// failure only through its error, so that main alone decides the exit code.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, out, errOut io.Writer) error
}

// usageError marks a mistake in how livefeed was called (exit status 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func commands() []command {
	return []command{
		{"tail", "print events from SSE feeds, headless (NDJSON with --json)", runTail},
		{"demo-server", "serve live demo SSE feeds (stocks, sports, news, jobs, metrics) and a web page", runDemoServer},
		{"config", "check, init or explain the YAML config; print its JSON Schema", runConfig},
		{"info", "show which config file, log file and state directory livefeed uses, and why", runInfo},
		{"version", "print version, commit, build date and Go version", runVersion},
	}
}

func main() {
	// SIGINT/SIGTERM cancel the context; every subcommand winds down from there
	// and a deliberate interrupt is a clean exit.
	ctx, stop := signal.NotifyContext(withStart(context.Background(), time.Now()), os.Interrupt, syscall.SIGTERM)
	err := dispatch(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

func dispatch(ctx context.Context, args []string, out, errOut io.Writer) error {
	// No subcommand, or flags first: the dashboard.
	if len(args) == 0 {
		return runTUI(ctx, nil, out, errOut)
	}
	name := args[0]
	switch name {
	case "-h", "-help", "--help", "help":
		printUsage(out)
		return nil
	case "-version", "--version":
		return runVersion(ctx, args[1:], out, errOut)
	}
	// A URL, or flags and a URL: quick mode, the dashboard on those URLs.
	if looksLikeURL(name) || (strings.HasPrefix(name, "-") && slices.ContainsFunc(args, looksLikeURL)) {
		return runQuick(ctx, args, out, errOut)
	}
	if strings.HasPrefix(name, "-") {
		return runTUI(ctx, args, out, errOut)
	}
	for _, c := range commands() {
		if c.name == name {
			return c.run(ctx, args[1:], out, errOut)
		}
	}
	printUsage(errOut)
	return usageError{fmt.Sprintf("unknown command %q", name)}
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "livefeed — watch live Server-Sent Events feeds in the terminal")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage:")
	fmt.Fprintln(w, "  "+tuiSynopsis)
	fmt.Fprintln(w, "  "+quickSynopsis+"    (quick mode: no config; see 'livefeed https:// --help')")
	fmt.Fprintln(w, "  livefeed <command> [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Without a command, livefeed shows the dashboard of the config's feeds (the bundled")
	fmt.Fprintln(w, "demo when there is no config file). Keys: ? for help, q to quit.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Dashboard flags:")
	printTUIFlags(w)
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-12s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'livefeed <command> --help' for a command's flags.")
}

// exitCode maps a subcommand's result to the process status: 0 for success or
// an explicit --help, 2 for usage mistakes, 1 for everything else.
func exitCode(err error, errOut io.Writer) int {
	var ue usageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ue):
		fmt.Fprintln(errOut, "livefeed:", err)
		return 2
	default:
		fmt.Fprintln(errOut, "livefeed:", err)
		return 1
	}
}
