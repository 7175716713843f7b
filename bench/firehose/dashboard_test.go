package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestDashboards: both configs are valid livefeed configs (writeDashboard
// checks them), and --dashboard picks one.
func TestDashboards(t *testing.T) {
	dir := t.TempDir()
	for _, which := range []string{"markets", "charts"} {
		path := filepath.Join(dir, which+".yaml")
		if err := writeDashboard(path, "http://127.0.0.1:1", []string{"f1", "f2"}, which, ""); err != nil {
			t.Fatalf("%s: %v", which, err)
		}
		if _, err := os.Stat(path); err != nil {
			t.Fatal(err)
		}
	}
	var errOut nopWriter
	if o, _, err := parseOptions([]string{"--dashboard", "charts"}, errOut); err != nil || o.dashboard != "charts" {
		t.Errorf("--dashboard charts: %+v, %v", o.dashboard, err)
	}
	if _, _, err := parseOptions([]string{"--dashboard", "pie"}, errOut); err == nil {
		t.Error("--dashboard pie: no error")
	}
}

type nopWriter struct{}

func (nopWriter) Write(p []byte) (int, error) { return len(p), nil }
