package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/livefeed/livefeed/config"
	"github.com/livefeed/livefeed/feed"
	"github.com/livefeed/livefeed/live"
)

const configUsage = `Usage:
  livefeed config <command> [flags] [FILE]

Commands:
  check [FILE]      check a config; prints every error with its line and column (exit 1 on errors)
  init [FILE]       write an annotated example config (the demo dashboard) to edit
  explain [FILE]    show, per feed, which events go to which panes and which go nowhere;
                    explain --keys lists every config key with its type, default and meaning
  schema            print the JSON Schema of the config, for editor completion

Without FILE, check and explain use the config livefeed would use: $LIVEFEED_CONFIG,
else $XDG_CONFIG_HOME/livefeed/config.yaml (~/.config/…), else the built-in default.
`

// schemaFile is written next to a config by init, matching the
// yaml-language-server modeline at the top of the example.
const schemaFile = "livefeed.schema.json"

func runConfig(ctx context.Context, args []string, out, errOut io.Writer) error {
	return configCommand(ctx, args, out, errOut, os.LookupEnv)
}

func configCommand(_ context.Context, args []string, out, errOut io.Writer, env config.Env) error {
	if len(args) == 0 {
		fmt.Fprint(out, configUsage)
		return nil
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(out, configUsage)
		return nil
	case "check":
		return configCheck(args[1:], out, errOut, env)
	case "init":
		return configInit(args[1:], out, env)
	case "explain":
		return configExplain(args[1:], out, errOut, env)
	case "schema":
		flags := newFlagSet("config schema", "livefeed config schema > livefeed.schema.json",
			"Prints the JSON Schema (draft 2020-12) of livefeed's config file. Point your editor's\nYAML support at it, e.g. with the first line\n  # yaml-language-server: $schema=livefeed.schema.json", out)
		rest, err := parseFlags(flags, args[1:])
		if err != nil {
			return err
		}
		if len(rest) > 0 {
			return usageError{"config schema takes no arguments"}
		}
		_, err = out.Write(config.Schema())
		return err
	}
	fmt.Fprint(errOut, configUsage)
	return usageError{fmt.Sprintf("unknown config command %q", args[0])}
}

// locate resolves the optional FILE argument the way livefeed itself would.
func locate(name string, rest []string, env config.Env) (config.Location, error) {
	if len(rest) > 1 {
		return config.Location{}, usageError{fmt.Sprintf("config %s takes at most one FILE, got %d arguments", name, len(rest))}
	}
	if len(rest) == 1 {
		return config.Lookup(rest[0], env)
	}
	return config.Lookup("", env)
}

// readConfig checks the config at loc, returning its problems sorted.
func readConfig(loc config.Location, env config.Env) (*config.Config, config.ErrorList, error) {
	data := config.DefaultYAML()
	opts := config.Options{Name: config.DefaultName, Env: env}
	if loc.Path != "" {
		f, err := os.Open(loc.Path)
		if err != nil {
			return nil, nil, err
		}
		defer f.Close()
		var buf bytes.Buffer
		if _, err := io.Copy(&buf, io.LimitReader(f, config.MaxFileSize+1)); err != nil {
			return nil, nil, fmt.Errorf("reading %s: %w", loc.Path, err)
		}
		data = buf.Bytes()
		opts = config.Options{Name: loc.Path, Env: env, Dir: filepath.Dir(loc.Path)}
	}
	cfg, problems := config.Check(bytes.NewReader(data), opts)
	return cfg, problems, nil
}

func printProblems(w io.Writer, problems config.ErrorList) {
	for i, p := range problems {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprint(w, p.Pretty())
	}
}

func countOf(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func configCheck(args []string, out, errOut io.Writer, env config.Env) error {
	flags := newFlagSet("config check", "livefeed config check [FILE]",
		"Checks a config file and prints every problem with its file:line:col, the line\nitself and a hint. Exits 1 if there are errors; warnings alone exit 0.\nWithout FILE it checks the config livefeed would use.", out)
	rest, err := parseFlags(flags, args)
	if err != nil {
		return err
	}
	loc, err := locate("check", rest, env)
	if err != nil {
		return err
	}
	if loc.Path == "" {
		fmt.Fprintf(out, "No config file found; checking the %s.\n", loc)
	}
	cfg, problems, err := readConfig(loc, env)
	if err != nil {
		return err
	}
	printProblems(errOut, problems)
	name := loc.Path
	if name == "" {
		name = config.DefaultName
	}
	errs, warns := problems.Errors(), problems.Warnings()
	if len(errs) > 0 {
		summary := countOf(len(errs), "error")
		if len(warns) > 0 {
			summary += ", " + countOf(len(warns), "warning")
		}
		return fmt.Errorf("%s: %s", name, summary)
	}
	if len(problems) > 0 {
		fmt.Fprintln(errOut)
	}
	fmt.Fprintf(out, "%s: OK (%s, %s", name, countOf(len(cfg.Feeds), "feed"), countOf(len(cfg.Panes), "pane"))
	if len(warns) > 0 {
		fmt.Fprintf(out, ", %s", countOf(len(warns), "warning"))
	}
	fmt.Fprintln(out, ")")
	return nil
}

func configExplain(args []string, out, errOut io.Writer, env config.Env) error {
	var events stringsFlag
	flags := newFlagSet("config explain", "livefeed config explain [--event FEED:EVENT [--data PAYLOAD]]... [FILE]\n  livefeed config explain --keys",
		"Shows, for each feed, which event names go to which panes, and what happens to\nevents no pattern names (a catch-all log pane, or dropped). With --event, also\nshows where one event would go; with --data, where that event with that payload\ngoes (event_from:, drop: and where: applied). With --keys, lists every key a\nconfig may hold.", out)
	flags.Var(&events, "event", "show where event `FEED:EVENT` goes, e.g. stocks:quote (repeatable)")
	data := flags.String("data", "", "the events' `PAYLOAD`, e.g. '{\"bot\":false}': apply event_from:, drop: and where: to it")
	keys := flags.Bool("keys", false, "list every config key with its type, default and meaning, and read no config")
	rest, err := parseFlags(flags, args)
	if err != nil {
		return err
	}
	if *keys {
		if len(rest) > 0 || len(events) > 0 || *data != "" {
			return usageError{"config explain --keys takes no FILE, no --event and no --data"}
		}
		return config.ExplainKeys(out)
	}
	loc, err := locate("explain", rest, env)
	if err != nil {
		return err
	}
	cfg, problems, err := readConfig(loc, env)
	if err != nil {
		return err
	}
	if errs := problems.Errors(); len(errs) > 0 {
		printProblems(errOut, errs)
		name := loc.Path // cfg is nil after a YAML syntax error
		if name == "" {
			name = config.DefaultName
		}
		return fmt.Errorf("%s has %s; fix them first (livefeed config check)", name, countOf(len(errs), "error"))
	}
	if err := config.Explain(out, cfg); err != nil {
		return err
	}
	if len(events) == 0 {
		if *data != "" {
			return usageError{"config explain: --data needs an --event to send it with"}
		}
		return nil
	}
	router := live.NewRouter(cfg)
	fmt.Fprintln(out)
	for _, ev := range events {
		feedName, name, ok := strings.Cut(ev, ":")
		if !ok || feedName == "" || name == "" {
			return usageError{fmt.Sprintf("config explain: --event wants FEED:EVENT, got %q", ev)}
		}
		if cfg.Feed(feedName) == nil {
			return usageError{fmt.Sprintf("config explain: no feed named %q", feedName)}
		}
		if *data != "" {
			fmt.Fprintf(out, "%s event %q with the payload → %s\n", feedName, name, routeWithPayload(router, feedName, name, *data))
			continue
		}
		dest := "dropped (no pane takes it)"
		if router.Drops(feedName, name) {
			dest = "dropped before routing (drop: of feed " + feedName + ")"
		} else if ids := router.Route(feedName, name); len(ids) > 0 {
			parts := make([]string, len(ids))
			for i, id := range ids {
				parts[i] = id
				if w := cfg.Pane(id).WhereText(); w != "" {
					parts[i] += " (only where " + w + "; other events are not routed there)"
				}
			}
			dest = strings.Join(parts, ", ")
		}
		fmt.Fprintf(out, "%s event %q → %s\n", feedName, name, dest)
	}
	return nil
}

// routeWithPayload says where one event goes once its payload is known:
// its name may come from the payload, it may be dropped, and where:
// conditions are evaluated.
func routeWithPayload(r *live.Router, feedName, name, data string) string {
	b := feed.Batch{Feed: feedName, Time: time.Now(), Events: []feed.Event{{Type: name, Data: data}}}
	if r.Prepare(&b) > 0 {
		return "dropped before routing (drop: of feed " + feedName + ")"
	}
	ev := &b.Events[0]
	dest := "dropped (no pane takes it)"
	if ids := r.RouteEvent(feedName, ev, b.Time); len(ids) > 0 {
		dest = strings.Join(ids, ", ")
	}
	if ev.Type != name {
		dest = fmt.Sprintf("named %q by event_from: → %s", ev.Type, dest)
	}
	return dest
}

// stringsFlag collects a repeatable string flag.
type stringsFlag []string

func (s *stringsFlag) String() string     { return strings.Join(*s, ", ") }
func (s *stringsFlag) Set(v string) error { *s = append(*s, v); return nil }

func configInit(args []string, out io.Writer, env config.Env) error {
	flags := newFlagSet("config init", "livefeed config init [--force] [FILE]",
		"Writes an annotated example config (the demo dashboard livefeed shows without\none) and livefeed.schema.json next to it for editor completion. FILE defaults\nto $LIVEFEED_CONFIG, else $XDG_CONFIG_HOME/livefeed/config.yaml (~/.config/…).\nAn existing config is never replaced without --force.", out)
	force := flags.Bool("force", false, "overwrite an existing config file")
	rest, err := parseFlags(flags, args)
	if err != nil {
		return err
	}
	if len(rest) > 1 {
		return usageError{fmt.Sprintf("config init takes at most one FILE, got %d arguments", len(rest))}
	}
	defaultPath, defaultErr := config.InitPath(env)
	path := defaultPath
	if len(rest) == 1 {
		path = rest[0]
	} else if defaultErr != nil {
		return fmt.Errorf("%w; give a FILE", defaultErr)
	}
	if info, err := os.Stat(path); err == nil && info.IsDir() {
		return fmt.Errorf("%s is a directory; give a file name such as %s", path, filepath.Join(path, "config.yaml"))
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("creating %s: %w", dir, err)
	}
	if err := writeFile(path, config.DefaultYAML(), *force); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s already exists; livefeed will not overwrite it (use --force, or give another FILE)", path)
		}
		return err
	}
	fmt.Fprintf(out, "Wrote %s\n", path)
	schemaPath := filepath.Join(dir, schemaFile)
	switch err := writeFile(schemaPath, config.Schema(), *force); {
	case errors.Is(err, fs.ErrExist):
		fmt.Fprintf(out, "Kept the existing %s (--force refreshes it)\n", schemaPath)
	case err != nil:
		return err
	default:
		fmt.Fprintf(out, "Wrote %s (completion and checking in editors with YAML support)\n", schemaPath)
	}
	pathArg, runArg := "", ""
	if abs, _ := filepath.Abs(path); path != defaultPath && abs != defaultPath {
		pathArg = " " + path
		runArg = " --config " + path
	}
	check, run := "livefeed config check"+pathArg, "livefeed"+runArg
	w := max(len(check), len(run)) + 3
	fmt.Fprintf(out, "\nNext: edit it (every setting is explained in the file), then\n")
	fmt.Fprintf(out, "  %-*s# finds every mistake, with its line and column\n", w, check)
	fmt.Fprintf(out, "  %-*s# as written it watches the demo server: start `livefeed demo-server` first\n", w, run)
	return nil
}

// writeFile creates path with data. Without force it fails with fs.ErrExist
// rather than replace anything; with force it replaces the file atomically.
func writeFile(path string, data []byte, force bool) error {
	if !force {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return err
		}
		if _, err := f.Write(data); err != nil {
			f.Close()
			os.Remove(path)
			return fmt.Errorf("writing %s: %w", path, err)
		}
		if err := f.Close(); err != nil {
			os.Remove(path)
			return fmt.Errorf("writing %s: %w", path, err)
		}
		return nil
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op after the rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return os.Rename(tmp.Name(), path)
}
