package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/livefeed/livefeed/config"
	"github.com/livefeed/livefeed/redact"
)

// stateDir is where livefeed keeps its log: $XDG_STATE_HOME/livefeed, with
// XDG's default ~/.local/state when the variable is unset or not absolute.
func stateDir(env config.Env) (string, error) {
	if dir, ok := env("XDG_STATE_HOME"); ok && filepath.IsAbs(dir) {
		return filepath.Join(dir, "livefeed"), nil
	}
	home, ok := env("HOME")
	if !ok || home == "" {
		return "", fmt.Errorf("cannot find a state directory: neither XDG_STATE_HOME nor HOME is set")
	}
	return filepath.Join(home, ".local", "state", "livefeed"), nil
}

// defaultLogFile is the TUI's log file when --log-file is not given.
func defaultLogFile(env config.Env) (string, error) {
	dir, err := stateDir(env)
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "livefeed.log"), nil
}

func runInfo(_ context.Context, args []string, out, _ io.Writer) error {
	var cfgFlag string
	fs := newFlagSet("info", "livefeed info [--config FILE]",
		"Shows the config file livefeed would use and the rule that chose it, the log file and the state directory.", out)
	fs.StringVar(&cfgFlag, "config", "", "the config file to report on, as for livefeed itself")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usageError{"info: takes no arguments (use --config FILE)"}
	}
	env := config.Env(os.LookupEnv)
	b := readBuildInfo()
	fmt.Fprintf(out, "livefeed %s (commit %s)\n\n", b.Version, b.Commit)

	loc, err := config.Lookup(cfgFlag, env)
	switch {
	case err != nil:
		fmt.Fprintf(out, "config file:  error: %s\n", redact.Text(err.Error()))
	case loc.Path == "":
		fmt.Fprintf(out, "config file:  none — using the built-in demo config\n")
	default:
		fmt.Fprintf(out, "config file:  %s\n", redact.Text(loc.Path))
	}
	if err == nil {
		fmt.Fprintf(out, "  chosen by:  %s\n", loc.Source)
	}
	if len(loc.Looked) > 0 {
		fmt.Fprintf(out, "  looked at:  %s\n", loc.Looked[0])
		for _, p := range loc.Looked[1:] {
			fmt.Fprintf(out, "              %s\n", p)
		}
	}
	fmt.Fprintf(out, "  lookup:     --config FILE, else $%s, else $XDG_CONFIG_HOME/livefeed/config.yaml, else built-in\n", config.EnvConfig)

	if dir, err := stateDir(env); err != nil {
		fmt.Fprintf(out, "state dir:    error: %v\n", err)
	} else {
		log, _ := defaultLogFile(env)
		fmt.Fprintf(out, "state dir:    %s%s\n", dir, existsNote(dir))
		fmt.Fprintf(out, "log file:     %s%s\n", log, existsNote(log))
		fmt.Fprintf(out, "  override:   livefeed --log-file FILE\n")
	}
	return nil
}

func existsNote(path string) string {
	if _, err := os.Stat(path); err != nil {
		return " (not created yet)"
	}
	return ""
}
