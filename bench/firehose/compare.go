package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
)

// parseFeedCounts reads --compare-feeds: two or more feed counts, each 1..64.
func parseFeedCounts(s string) ([]int, error) {
	var counts []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || n > 64 {
			return nil, fmt.Errorf("--compare-feeds %q: want feed counts between 1 and 64, like 1,50", s)
		}
		counts = append(counts, n)
	}
	if len(counts) < 2 {
		return nil, fmt.Errorf("--compare-feeds %q: want at least two feed counts", s)
	}
	return counts, nil
}

// compareFeeds runs the same total rate over each feed count in turn, runs
// times, alternating so that each round's counts share the machine's
// conditions, and prints the steady-state CPU of each run and its ratio to
// the first count's in the same round (issue 9: 50 feeds vs 1 at 10k ev/s).
func compareFeeds(ctx context.Context, o options, counts []int, runs int, out io.Writer) error {
	if o.bin == "" {
		dir, err := os.MkdirTemp("", "firehose-compare")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		if o.bin, err = buildLivefeed(ctx, dir); err != nil {
			return err
		}
	}
	cpu := make([][]float64, len(counts))
	for r := 0; r < runs; r++ {
		for i, n := range counts {
			ro := o
			ro.feeds = n
			rep, err := run(ctx, ro)
			if err != nil {
				return fmt.Errorf("round %d, %d feeds: %w", r+1, n, err)
			}
			if rep.Unaccounted != 0 {
				return fmt.Errorf("round %d, %d feeds: %d events unaccounted for", r+1, n, rep.Unaccounted)
			}
			cpu[i] = append(cpu[i], rep.CPUSteadyPct)
			fmt.Fprintf(out, "round %d  %2d feeds  %8.0f events/s  CPU %5.1f%% of a core  peak RSS %5.1f MB\n",
				r+1, n, rep.AchievedEPS, rep.CPUSteadyPct, rep.PeakRSSMB)
		}
	}
	fmt.Fprintf(out, "\n%-8s %-24s %s\n", "feeds", "CPU % per round", "ratio to "+strconv.Itoa(counts[0])+" feeds, per round (median)")
	for i, n := range counts {
		var cells, ratios []string
		var rs []float64
		for r := range runs {
			cells = append(cells, fmt.Sprintf("%.1f", cpu[i][r]))
			if cpu[0][r] > 0 {
				rs = append(rs, cpu[i][r]/cpu[0][r])
				ratios = append(ratios, fmt.Sprintf("%.2f×", rs[len(rs)-1]))
			}
		}
		med := "-"
		if len(rs) > 0 {
			s := slices.Clone(rs)
			slices.Sort(s)
			med = fmt.Sprintf("%.2f×", s[len(s)/2])
		}
		fmt.Fprintf(out, "%-8d %-24s %s (%s)\n", n, strings.Join(cells, " "), strings.Join(ratios, " "), med)
	}
	if len(cpu[0]) == 0 {
		return errors.New("no run finished")
	}
	return nil
}
