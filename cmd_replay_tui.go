package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/charmbracelet/x/term"

	"github.com/livefeed/livefeed/config"
	"github.com/livefeed/livefeed/replay"
)

// replayTUI shows a replay in the dashboard: the replay server runs on a
// local port and the dashboard's feeds connect to it.
func replayTUI(ctx context.Context, srv *replay.Server, path string, f replayFlags, out io.Writer) error {
	if tty, ok := out.(*os.File); !ok || !term.IsTerminal(tty.Fd()) {
		return errors.New("replay --tui needs a terminal, and standard output is not one")
	}
	env := config.Env(os.LookupEnv)
	srvCtx, stop := context.WithCancel(ctx)
	defer stop()
	run, err := srv.Start(srvCtx, f.addr)
	if err != nil {
		return fmt.Errorf("replay: %w", err)
	}
	defer func() { stop(); <-run.Done() }()
	cfg, err := replayConfig(srv.Recording(), run.FeedURL, f.config, path, env)
	if err != nil {
		return err
	}
	// No config location: the file is not watched, so that an edit cannot
	// point the feeds back at live servers.
	return runDashboard(ctx, dashboard{cfg: cfg, env: env, logFile: f.logFile, noDemo: true, start: startTime(ctx),
		label: "replay of " + path + " at " + run.URL(), session: f.session, replay: replayControl{srv}}, out)
}

// replayControl lets the dashboard's keys drive the replay's clock.
type replayControl struct{ srv *replay.Server }

func (r replayControl) Paused() bool            { return r.srv.Clock().Paused() }
func (r replayControl) SetPaused(p bool)        { r.srv.Clock().SetPaused(p) }
func (r replayControl) Step() bool              { return r.srv.Clock().Step(r.srv.Recording(), r.srv.Loop()) }
func (r replayControl) Speed() float64          { return r.srv.Clock().Speed() }
func (r replayControl) SetSpeed(s float64)      { r.srv.Clock().SetSpeed(s) }
func (r replayControl) Position() time.Duration { return r.srv.Clock().Position() }
func (r replayControl) Span() time.Duration     { return r.srv.Recording().Span }

// replayConfig is the dashboard's config for a replay. With a config file
// (or, without one, when the config the dashboard would use has a feed of
// every name in the capture, as a capture of that dashboard does), its
// feeds connect to the replay of the feed of the same name; a config feed
// the capture lacks gets a 404 and says so. Otherwise every recorded feed
// goes to one log pane. Either way the file is not watched: an edit must
// not point the feeds back at live servers.
func replayConfig(rec *replay.Recording, feedURL func(string) string, cfgPath, capturePath string, env config.Env) (*config.Config, error) {
	loc, err := config.Lookup(cfgPath, env)
	if err != nil && cfgPath != "" {
		return nil, err
	}
	var cfg *config.Config
	if err == nil {
		cfg, err = config.Load(loc, env)
	}
	switch {
	case err != nil && cfgPath != "":
		return nil, fmt.Errorf("config %s is not valid:\n%w", loc, err)
	case err == nil && (cfgPath != "" || hasEveryFeed(cfg, rec)):
		for _, fc := range cfg.Feeds {
			fc.URL = feedURL(fc.Name)
			fc.Headers, fc.TLS = nil, config.TLS{}
		}
		return cfg, nil
	}
	return quickReplayConfig(rec, feedURL, capturePath)
}

func hasEveryFeed(cfg *config.Config, rec *replay.Recording) bool {
	for _, f := range rec.Feeds {
		if cfg.Feed(f.Name) == nil {
			return false
		}
	}
	return len(rec.Feeds) > 0
}

// quickReplayConfig is one catch-all log pane over every recorded feed. A
// recorded name that is not a valid feed name (tail names feeds by their
// URL) becomes the URL's last path segment, or its host and path.
func quickReplayConfig(rec *replay.Recording, feedURL func(string) string, capturePath string) (*config.Config, error) {
	var b strings.Builder
	b.WriteString("feeds:\n")
	used := map[string]bool{}
	for _, f := range rec.Feeds {
		name := feedNameFor(f.Name, used)
		fmt.Fprintf(&b, "  %q: { url: %q }\n", name, feedURL(f.Name))
	}
	cfg, problems := config.Check(strings.NewReader(b.String()), config.Options{Name: capturePath})
	if err := problems.Err(); err != nil {
		return nil, fmt.Errorf("replay: building the dashboard's config: %w", err)
	}
	return cfg, nil
}

// feedNameFor makes a config feed name for a recorded one, unique in used.
func feedNameFor(name string, used map[string]bool) string {
	var candidates []string
	if sanitizeName(name) == name {
		candidates = append(candidates, name)
	}
	if u, err := url.Parse(name); err == nil && u.Host != "" {
		segs := strings.FieldsFunc(u.Path, func(r rune) bool { return r == '/' })
		if len(segs) > 0 {
			candidates = append(candidates, segs[len(segs)-1])
		}
		candidates = append(candidates, u.Host+u.Path)
	}
	candidates = append(candidates, name)
	for _, c := range candidates {
		c = sanitizeName(c)
		if c != "" && !used[c] {
			used[c] = true
			return c
		}
	}
	base := sanitizeName(candidates[len(candidates)-1])
	if base == "" {
		base = "feed"
	}
	for i := 2; ; i++ {
		if c := fmt.Sprintf("%s-%d", base, i); !used[c] {
			used[c] = true
			return c
		}
	}
}

// sanitizeName maps a string onto config's feed name alphabet.
func sanitizeName(s string) string {
	out := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '_'
	}, s)
	return strings.TrimLeft(out, "_.-")
}
