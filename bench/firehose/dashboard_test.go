package main

import (
	"bytes"
	"flag"
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

var update = flag.Bool("update", false, "rewrite ui/testdata/markets.yaml from the markets dashboard")

// uiMarkets is the markets dashboard as ui's in-process frame benchmarks and
// tests load it: the same panes as the firehose's, so that their figures
// speak of the dashboard this harness measures.
const uiMarkets = "../../ui/testdata/markets.yaml"

func TestUIMarketsIsTheMarketsDashboard(t *testing.T) {
	want := dashboardYAML("http://127.0.0.1:9", []string{"f1", "f2", "f3"}, dashConfig{})
	if *update {
		if err := os.WriteFile(uiMarkets, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(uiMarkets)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is not the markets dashboard: go test ./bench/firehose -run %s -update", uiMarkets, t.Name())
	}
}
