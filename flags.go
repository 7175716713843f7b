package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/livefeed/livefeed/config"
)

// newFlagSet returns a flag set whose --help text goes to out; synopsis is the
// line after "Usage:" and about is one paragraph saying what the command does.
func newFlagSet(name, synopsis, about string, out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are returned, not printed twice
	fs.Usage = func() {
		fmt.Fprintf(out, "Usage:\n  %s\n\n%s\n\nFlags:\n", synopsis, about)
		fs.SetOutput(out)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	return fs
}

// parseFlags parses args allowing flags and positional arguments in any order
// (people type `tail URL --json`); "--" ends flag parsing. It returns the
// positional arguments, flag.ErrHelp for -h/--help, or a usageError.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err // the flag package has printed fs.Usage
			}
			return nil, usageError{fmt.Sprintf("%s: %v (see 'livefeed %s --help')", fs.Name(), err, fs.Name())}
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		// fs.Parse stops at the first non-flag or after "--"; tell which by
		// looking at what it consumed.
		consumed := args[:len(args)-len(rest)]
		if len(consumed) > 0 && consumed[len(consumed)-1] == "--" {
			return append(positional, rest...), nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

// headerFlags collects repeated --header "Name: value" flags.
type headerFlags [][2]string

func (h *headerFlags) String() string {
	parts := make([]string, len(*h))
	for i, kv := range *h {
		parts[i] = kv[0] + ": " + kv[1]
	}
	return strings.Join(parts, ", ")
}

func (h *headerFlags) Set(s string) error {
	name, value, ok := strings.Cut(s, ":")
	name = strings.TrimSpace(name)
	if !ok || name == "" || strings.ContainsAny(name, " \t\r\n") {
		return fmt.Errorf("want \"Name: value\", got %q", s)
	}
	if strings.ContainsAny(value, "\r\n") {
		return fmt.Errorf("header %q: value must not contain a line break", name)
	}
	*h = append(*h, [2]string{name, strings.TrimSpace(value)})
	return nil
}

// sizeFlag is a byte count written as in config files: 4096, 512KiB, 1MiB, 1MB.
type sizeFlag int64

func (s *sizeFlag) String() string { return formatSize(int64(*s)) }

func (s *sizeFlag) Set(v string) error {
	n, err := config.ParseSize(v)
	if err != nil {
		return err
	}
	if n <= 0 {
		return fmt.Errorf("%q: want a size above zero", v)
	}
	*s = sizeFlag(n)
	return nil
}

func formatSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%dMiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%dKiB", n>>10)
	}
	return strconv.FormatInt(n, 10)
}
