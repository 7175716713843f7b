package main

import (
	"context"
	"fmt"
	"io"
	"strings"
)

const recordSynopsis = "livefeed record [tail flags] URL [URL...] -o FILE"

const recordAbout = `Records feeds to FILE: every event and state change, one JSON line each, as
'tail --json' prints them (append; flushed every second and at exit; - is
standard output). The same as 'livefeed tail --json --quiet --record FILE', so it
takes tail's request and limit flags (see 'livefeed tail --help'), and prints
one summary line on stderr at exit. 'livefeed replay FILE' serves the result.`

// runRecord is `record`: tail with its output going to a capture file.
func runRecord(ctx context.Context, args []string, out, errOut io.Writer) error {
	file, rest, help, err := cutOutputFlag(args)
	if err != nil {
		return err
	}
	if help {
		fmt.Fprintf(out, "Usage:\n  %s\n\n%s\n\nFlags:\n  -o FILE\n    \tthe capture file (required; also --output)\n", recordSynopsis, recordAbout)
		return nil
	}
	if file == "" {
		return usageError{"record: no capture file: add -o FILE (see 'livefeed record --help')"}
	}
	return runTail(ctx, append([]string{"--json", "--quiet", "--record", file}, rest...), out, errOut)
}

// cutOutputFlag takes -o FILE (or --output FILE, -o=FILE) out of args and
// says whether help was asked for; the other arguments are tail's.
func cutOutputFlag(args []string) (file string, rest []string, help bool, err error) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			rest = append(rest, args[i:]...)
			break
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || a == "-" {
			rest = append(rest, a)
			continue
		}
		switch name {
		case "h", "help":
			help = true
			continue
		case "o", "output":
		default:
			rest = append(rest, a)
			continue
		}
		if !hasValue {
			if i+1 == len(args) {
				return "", nil, false, usageError{fmt.Sprintf("record: %s needs a FILE", a)}
			}
			i++
			value = args[i]
		}
		if file != "" {
			return "", nil, false, usageError{"record: -o is given twice"}
		}
		if value == "" {
			return "", nil, false, usageError{"record: -o needs a FILE"}
		}
		file = value
	}
	return file, rest, help, nil
}
