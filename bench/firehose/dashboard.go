package main

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/livefeed/livefeed/config"
)

// focusColour is the theme's focus colour in the benchmark's config: a colour
// nothing else uses, so the emulated screen shows which pane has the focus.
const focusColour = "#ff00af"

// paneTitles are the titles the dashboard's panes show; the first frame is
// the first screen that shows one of them.
var paneTitles = []string{"Quotes", "Trades", "Headlines", "Firehose log"}

// dashConfig says which config the benchmark gives livefeed.
type dashConfig struct {
	// logAll makes the log take every event (events: ["*"]) instead of only
	// what no other pane took: issue 9's memory case.
	logAll bool
	// logMax is the log's max: (0: the config's default).
	logMax int
	// where, when set, is a where: condition on the quote table (94% of
	// the events), to measure what a condition costs under the firehose.
	where string
	// charts swaps the table and the list for a chart of 20 series and a
	// stat pane of 20 tiles: issue 14's case (--dashboard charts).
	charts bool
}

// feedsYAML starts a benchmark config: its comment line and every feed,
// the i-th served at /f/i.
func feedsYAML(comment, baseURL string, feeds []string) *bytes.Buffer {
	b := &bytes.Buffer{}
	b.WriteString(comment + "\nfeeds:\n")
	for i, name := range feeds {
		fmt.Fprintf(b, "  %s:\n    url: %s/f/%d\n", name, baseURL, i+1)
	}
	return b
}

// dashboardYAML is a livefeed config for the firehose: every feed, and a
// price table keyed by symbol, a trade list, a headline ticker and a
// catch-all log — the panes a real market dashboard has.
func dashboardYAML(baseURL string, feeds []string, d dashConfig) []byte {
	b := feedsYAML("# Written by bench/firehose: the firehose benchmark's dashboard.", baseURL, feeds)
	fmt.Fprintf(b, `
panes:
  - id: headlines
    type: ticker
    title: %s
    events: [headline]
    text: "{symbol}: {title}"
  - id: quotes
    type: table
    title: %s
    events: [quote]%s
    key: symbol
    columns:
      - { title: Symbol, path: symbol }
      - { title: Price, path: price, format: "%%.2f" }
      - { title: Chg %%, path: change_pct, format: percent, color: sign }
      - { title: Volume, path: volume, format: compact }
      - { title: Trend, path: price, spark: 16 }
      - { title: Feed, text: "{$feed}" }
  - id: trades
    type: list
    title: %s
    events: [trade]
    level: level
    text: "{symbol} {side} {qty} @ {price}"
    max: 500
  - id: log
    type: log
    title: %s
%s
layout:
  - [headlines]
  - { panes: [quotes: 3, trades: 2], weight: 3 }
  - { panes: [log], weight: 2 }

theme:
  focus: "%s"
`, paneTitles[2], paneTitles[0], whereKey(d.where), paneTitles[1], paneTitles[3], logKeys(d), focusColour)
	return b.Bytes()
}

// chartsYAML is the dashboard of issue 14's case: a chart with one line per
// symbol (20 series) and a stat pane with one tile per symbol, beside the
// ticker and the catch-all log, under the same firehose. The chart and the
// stat pane take the titles the first frame is recognized by.
func chartsYAML(baseURL string, feeds []string) []byte {
	b := feedsYAML("# Written by bench/firehose --dashboard charts: issue 14's chart and stat case.", baseURL, feeds)
	fmt.Fprintf(b, `
panes:
  - id: headlines
    type: ticker
    title: %s
    events: [headline]
    text: "{symbol}: {title}"
  - id: chart
    type: chart
    title: %s
    events: [quote]
    series: [change_pct]
    split_by: symbol
    window: 1m
    format: "%%.2f%%%%"
  - id: tiles
    type: stat
    title: %s
    events: [quote]
    value: price
    split_by: symbol
    format: "%%.2f"
    thresholds: { warning: 500, error: 1000 }
  - id: log
    type: log
    title: %s
    max: 2000

layout:
  - [headlines]
  - { panes: [chart: 3, tiles: 2], weight: 3 }
  - { panes: [log], weight: 1 }

theme:
  focus: "%s"
`, paneTitles[2], paneTitles[0], paneTitles[1], paneTitles[3], focusColour)
	return b.Bytes()
}

// logKeys are the log pane's keys besides its id, type and title.
func logKeys(d dashConfig) string {
	var b strings.Builder
	if d.logAll {
		b.WriteString("    events: [\"*\"]\n")
	}
	if d.logMax > 0 {
		fmt.Fprintf(&b, "    max: %d\n", d.logMax)
	}
	return b.String()
}

func whereKey(where string) string {
	if where == "" {
		return ""
	}
	return "\n    where: " + strconv.Quote(where)
}

// writeDashboard writes the config to path after checking it with the
// config package, so a mistake here is reported as such and not as a TUI
// that fails to start.
func writeDashboard(path, baseURL string, feeds []string, d dashConfig) error {
	data := dashboardYAML(baseURL, feeds, d)
	if d.charts {
		data = chartsYAML(baseURL, feeds)
	}
	if _, problems := config.Check(bytes.NewReader(data), config.Options{Name: path}); len(problems.Errors()) > 0 {
		return fmt.Errorf("benchmark config is invalid:\n%s", strings.TrimSpace(problems.Errors().Error()))
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("writing benchmark config: %w", err)
	}
	return nil
}
