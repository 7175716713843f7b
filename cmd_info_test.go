package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// info prints a config location given as a URL without its password or
// token (it ends up in an error: no such file).
func TestInfoRedactsSecrets(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	t.Setenv("XDG_STATE_HOME", filepath.Join(dir, "state"))
	for _, args := range [][]string{
		{"info", "--config", "https://u:SECRET1@h/c.yaml?token=SECRET2"},
		{"info"},
	} {
		t.Setenv("LIVEFEED_CONFIG", "https://u:SECRET1@h/c.yaml?token=SECRET2")
		var out bytes.Buffer
		if err := dispatch(context.Background(), args, &out, &bytes.Buffer{}); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), "https://u:***@h/c.yaml?token=***") || strings.Contains(out.String(), "SECRET") {
			t.Errorf("%v: info output:\n%s", args, out.String())
		}
	}
}
