package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
)

// Set by the release build: -ldflags "-X main.version=… -X main.commit=… -X main.date=…".
// They are link-time constants in all but name; nothing assigns them at run time.
var (
	version = ""
	commit  = ""
	date    = ""
)

// buildInfo is what this binary knows about its own build.
type buildInfo struct {
	Version, Commit, Date, Go string
}

// readBuildInfo prefers the release build's ldflags and falls back on what
// the Go toolchain records: the module version for `go install …@v1.2.3`, the
// VCS revision and time for a build inside a checkout.
func readBuildInfo() buildInfo {
	b := buildInfo{Version: version, Commit: commit, Date: date, Go: runtime.Version()}
	if info, ok := debug.ReadBuildInfo(); ok {
		if b.Version == "" && info.Main.Version != "" && info.Main.Version != "(devel)" {
			b.Version = info.Main.Version
		}
		modified := false
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				if b.Commit == "" {
					b.Commit = s.Value
				}
			case "vcs.time":
				if b.Date == "" {
					b.Date = s.Value
				}
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
		if modified && b.Commit != "" && commit == "" {
			b.Commit += "-dirty"
		}
	}
	if b.Version == "" {
		b.Version = "dev"
	}
	if b.Commit == "" {
		b.Commit = "unknown"
	}
	if b.Date == "" {
		b.Date = "unknown"
	}
	return b
}

func runVersion(_ context.Context, args []string, out, _ io.Writer) error {
	fs := newFlagSet("version", "livefeed version", "Prints the version, commit, build date and Go version of this binary.", out)
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usageError{"version: takes no arguments"}
	}
	b := readBuildInfo()
	fmt.Fprintf(out, "livefeed %s\ncommit  %s\nbuilt   %s\ngo      %s %s/%s\n", b.Version, b.Commit, b.Date, b.Go, runtime.GOOS, runtime.GOARCH)
	if b.Commit == "unknown" && b.Version == "dev" {
		fmt.Fprintln(out, "note    built from source with VCS stamping off (-buildvcs=false); a build in a git checkout with -buildvcs=true, or a release, records the version and commit")
	}
	return nil
}
