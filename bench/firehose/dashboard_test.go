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
		if err := writeDashboard(path, "http://127.0.0.1:1", []string{"f1", "f2"}, dashConfig{charts: which == "charts"}); err != nil {
			t.Fatalf("%s: %v", which, err)
		}
		if _, err := os.Stat(path); err != nil {
			t.Fatal(err)
		}
	}
	var errOut nopWriter
	if o, _, err := parseOptions([]string{"--dashboard", "charts"}, errOut); err != nil || !o.dash.charts {
		t.Errorf("--dashboard charts: %+v, %v", o.dash, err)
	}
	for _, bad := range [][]string{{"--dashboard", "pie"}, {"--dashboard", "charts", "--where", "price > 0"}} {
		if _, _, err := parseOptions(bad, errOut); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

type nopWriter struct{}

func (nopWriter) Write(p []byte) (int, error) { return len(p), nil }
