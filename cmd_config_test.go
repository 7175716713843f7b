package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/livefeed/livefeed/config"
)

// runCfg runs `livefeed config ARGS` with a private environment.
func runCfg(t *testing.T, env map[string]string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err = configCommand(context.Background(), args, &out, &errOut, func(k string) (string, bool) {
		v, ok := env[k]
		return v, ok
	})
	return out.String(), errOut.String(), err
}

// TestConfigNewUser walks the path a new user takes: init, check, explain,
// then a typo.
func TestConfigNewUser(t *testing.T) {
	home := t.TempDir()
	env := map[string]string{"HOME": home}
	xdg := filepath.Join(home, ".config", "livefeed", "config.yaml")

	out, _, err := runCfg(t, env, "init")
	if err != nil {
		t.Fatalf("init: %v", err)
	}
	if !strings.Contains(out, "Wrote "+xdg) || !strings.Contains(out, "livefeed config check") {
		t.Errorf("init output:\n%s", out)
	}
	data, err := os.ReadFile(xdg)
	if err != nil || !bytes.Equal(data, config.DefaultYAML()) {
		t.Fatalf("init wrote %d bytes, %v", len(data), err)
	}
	if info, _ := os.Stat(xdg); info.Mode().Perm() != 0o600 {
		t.Errorf("config mode %v", info.Mode().Perm())
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(xdg), "livefeed.schema.json")); err != nil {
		t.Errorf("schema not written: %v", err)
	}

	out, _, err = runCfg(t, env, "check")
	if err != nil || !strings.Contains(out, xdg+": OK (5 feeds, 10 panes)") {
		t.Errorf("check after init: %q, %v", out, err)
	}

	_, _, err = runCfg(t, env, "init")
	if err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("second init: %v", err)
	}
	os.WriteFile(xdg, []byte("changed"), 0o600)
	if _, _, err := runCfg(t, env, "init", "--force"); err != nil {
		t.Errorf("init --force: %v", err)
	}
	if data, _ := os.ReadFile(xdg); !bytes.Equal(data, config.DefaultYAML()) {
		t.Error("--force did not replace the file")
	}

	typo := strings.Replace(string(config.DefaultYAML()), "    columns:\n", "    colums:\n", 1)
	os.WriteFile(xdg, []byte(typo), 0o600)
	_, stderr, err := runCfg(t, env, "check")
	if err == nil || !strings.Contains(stderr, `unknown key "colums" in pane "prices" (did you mean "columns"?)`) ||
		!strings.Contains(stderr, xdg+":") {
		t.Errorf("check with a typo: %v\n%s", err, stderr)
	}
	if strings.Count(stderr, "\n ") < 2 {
		t.Errorf("no source line and caret:\n%s", stderr)
	}
	if _, _, err := runCfg(t, env, "explain"); err == nil {
		t.Error("explain of a broken config succeeded")
	}
}

func TestConfigInitFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "deep", "er", "lf.yaml")
	out, _, err := runCfg(t, map[string]string{"HOME": dir}, "init", file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "livefeed config check "+file) || !strings.Contains(out, "livefeed --config "+file) {
		t.Errorf("next steps do not name the file:\n%s", out)
	}
	if _, _, err := runCfg(t, map[string]string{"HOME": dir}, "init", dir); err == nil || !strings.Contains(err.Error(), "directory") {
		t.Errorf("init DIR: %v", err)
	}
	out, _, err = runCfg(t, nil, "check", file)
	if err != nil || !strings.Contains(out, "OK") {
		t.Errorf("check FILE: %q %v", out, err)
	}
}

func TestConfigCheckDefault(t *testing.T) {
	out, _, err := runCfg(t, map[string]string{"HOME": t.TempDir()}, "check")
	if err != nil || !strings.Contains(out, "No config file found") || !strings.Contains(out, "built-in config: OK") {
		t.Errorf("check without a file: %q, %v", out, err)
	}
	_, _, err = runCfg(t, map[string]string{"LIVEFEED_CONFIG": "/nonexistent/x.yaml"}, "check")
	if err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("check with a missing $LIVEFEED_CONFIG: %v", err)
	}
}

func TestConfigCheckWarningsOnly(t *testing.T) {
	file := filepath.Join(t.TempDir(), "w.yaml")
	os.WriteFile(file, []byte("feeds:\n  a:\n    url: http://127.0.0.1:1/\n    headers: { Authorization: Bearer x }\n"), 0o600)
	out, stderr, err := runCfg(t, nil, "check", file)
	if err != nil || !strings.Contains(out, "OK (1 feed, 1 pane, 1 warning)") || !strings.Contains(stderr, "warning: header") {
		t.Errorf("warnings only: %v\n%s\n%s", err, out, stderr)
	}
}

func TestConfigExplainAndSchema(t *testing.T) {
	env := map[string]string{"HOME": t.TempDir()}
	out, _, err := runCfg(t, env, "explain", "--event", "stocks:quote", "--event", "news:other")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"feed stocks", "quote", "→ prices (table)", `stocks event "quote" → prices`, `news event "other" → raw`} {
		if !strings.Contains(out, want) {
			t.Errorf("explain output lacks %q:\n%s", want, out)
		}
	}
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(bad, []byte("feeds:\n  a:\n    url: \"http://unterminated\n"), 0o600)
	if _, _, err := runCfg(t, env, "explain", bad); err == nil || !strings.Contains(err.Error(), "bad.yaml has 1 error") {
		t.Errorf("explain of a file with a syntax error: %v", err)
	}
	if _, _, err := runCfg(t, env, "explain", "--event", "nofeed:x"); err == nil {
		t.Error("explain --event with an unknown feed succeeded")
	}
	out, _, err = runCfg(t, env, "explain", "--keys")
	if err != nil || !strings.Contains(out, "feeds.NAME\n") || !strings.Contains(out, "Default 3s.") {
		t.Errorf("explain --keys: %v\n%s", err, out)
	}
	if _, _, err := runCfg(t, env, "explain", "--keys", "x.yaml"); err == nil {
		t.Error("explain --keys with a FILE succeeded")
	}
	out, _, err = runCfg(t, env, "schema")
	if err != nil || !strings.HasPrefix(out, "{") || !strings.Contains(out, "2020-12") {
		t.Errorf("schema: %v %.80q", err, out)
	}
}

func TestConfigUsage(t *testing.T) {
	out, _, err := runCfg(t, nil)
	if err != nil || !strings.Contains(out, "check [FILE]") {
		t.Errorf("config: %q %v", out, err)
	}
	var ue usageError
	if _, _, err := runCfg(t, nil, "chek"); !errors.As(err, &ue) {
		t.Errorf("unknown subcommand: %v", err)
	}
	if _, _, err := runCfg(t, nil, "check", "a", "b"); !errors.As(err, &ue) {
		t.Errorf("two files: %v", err)
	}
	if _, _, err := runCfg(t, nil, "init", "--help"); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("init --help: %v", err)
	}
}

// TestConfigExplainWhere: explain says which panes take an event only when
// their where: holds.
func TestConfigExplainWhere(t *testing.T) {
	file := filepath.Join(t.TempDir(), "wiki.yaml")
	os.WriteFile(file, []byte(`feeds:
  wiki: { url: "http://127.0.0.1:1/wiki", event_from: type, drop: [keep-alive] }
panes:
  - { id: edits, type: list, where: 'meta.domain != "canary" && !bot' }
  - { id: raw, type: log }
`), 0o600)
	out, _, err := runCfg(t, map[string]string{"HOME": t.TempDir()}, "explain", "--event", "wiki:message", "--event", "wiki:keep-alive", file)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`other events   → edits (list, only where meta.domain != "canary" && !bot)`,
		`failing where  → raw (log, catch-all), when no other pane takes them`,
		`keep-alive     → dropped before routing (drop:)`,
		`(event names from the payload's type when it is non-empty text)`,
		`wiki event "keep-alive" → dropped before routing (drop: of feed wiki)`,
		`wiki event "message" → edits (only where meta.domain != "canary" && !bot; other events are not routed there)`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("explain output lacks %q:\n%s", want, out)
		}
	}
}

// TestConfigExplainData: with --data, explain applies event_from:, drop:
// and where: to the payload given.
func TestConfigExplainData(t *testing.T) {
	file := filepath.Join(t.TempDir(), "wiki.yaml")
	os.WriteFile(file, []byte(`feeds:
  wiki: { url: "http://127.0.0.1:1/wiki", drop: [keep-alive] }
  smee: { url: "http://127.0.0.1:1/smee", event_from: x-github-event }
panes:
  - { id: edits, type: list, feed: wiki, where: 'meta.domain != "canary" && !bot' }
  - { id: pushes, type: list, feed: smee, events: [push] }
  - { id: raw, type: log }
`), 0o600)
	env := map[string]string{"HOME": t.TempDir()}
	tests := []struct {
		event, data, want string
	}{
		{"wiki:message", `{"meta":{"domain":"en"},"bot":false}`, `wiki event "message" with the payload → edits`},
		{"wiki:message", `{"meta":{"domain":"canary"},"bot":false}`, `wiki event "message" with the payload → raw`},
		{"wiki:message", `not json`, `wiki event "message" with the payload → raw`},
		{"wiki:keep-alive", `null`, `wiki event "keep-alive" with the payload → dropped before routing (drop: of feed wiki)`},
		{"smee:message", `{"x-github-event":"push"}`, `smee event "message" with the payload → named "push" by event_from: → pushes`},
	}
	for _, tt := range tests {
		out, _, err := runCfg(t, env, "explain", "--event", tt.event, "--data", tt.data, file)
		if err != nil || !strings.Contains(out, tt.want) {
			t.Errorf("explain --event %s --data %s: %v\n%s", tt.event, tt.data, err, out)
		}
	}
	var ue usageError
	if _, _, err := runCfg(t, env, "explain", "--data", "{}", file); !errors.As(err, &ue) {
		t.Errorf("--data without --event: %v", err)
	}
}
