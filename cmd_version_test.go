package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestVersionFromLdflags(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary; skipped with -short")
	}
	bin := filepath.Join(t.TempDir(), "livefeed")
	build := exec.Command("go", "build", "-o", bin, "-ldflags",
		"-X main.version=1.2.3 -X main.commit=abc123 -X main.date=2026-11-21T00:00:00Z", ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	for _, args := range [][]string{{"version"}, {"--version"}} {
		out, err := exec.Command(bin, args...).Output()
		if err != nil {
			t.Fatal(err)
		}
		want := "livefeed 1.2.3\ncommit  abc123\nbuilt   2026-11-21T00:00:00Z\ngo      go"
		if !strings.HasPrefix(string(out), want) {
			t.Errorf("livefeed %v:\n%s\nwant prefix\n%s", args, out, want)
		}
	}
}

func TestVersionFallsBackOnVCSInfo(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary; skipped with -short")
	}
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	if err := exec.Command("git", "rev-parse", "HEAD").Run(); err != nil {
		t.Skip("not in a git checkout with commits")
	}
	bin := filepath.Join(t.TempDir(), "livefeed")
	build := exec.Command("go", "build", "-buildvcs=true", "-o", bin, ".")
	build.Env = append(os.Environ(), "GOFLAGS=")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "version").Output()
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`(?m)^commit  [0-9a-f]{40}(-dirty)?$`).Match(out) || !regexp.MustCompile(`(?m)^built   \d{4}-`).Match(out) {
		t.Errorf("a build in a checkout should know its revision and time:\n%s", out)
	}
}

func TestInfoExplainsTheChoice(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "livefeed", "config.yaml")
	if err := os.MkdirAll(filepath.Dir(cfg), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, []byte("feeds:\n  a:\n    url: http://127.0.0.1:1/\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("XDG_CONFIG_HOME", dir)
	t.Setenv("XDG_STATE_HOME", filepath.Join(dir, "state"))
	t.Setenv("LIVEFEED_CONFIG", "")
	var out bytes.Buffer
	if err := dispatch(context.Background(), []string{"info"}, &out, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"config file:  " + cfg, "chosen by:  XDG config directory", "log file:     " + filepath.Join(dir, "state", "livefeed", "livefeed.log")} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("info output lacks %q:\n%s", want, out.String())
		}
	}
}
