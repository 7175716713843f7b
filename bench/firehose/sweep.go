package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
)

// parseRates reads --rates: events per second, comma separated.
func parseRates(s string) ([]float64, error) {
	var out []float64
	for _, f := range strings.Split(s, ",") {
		r, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil || r <= 0 {
			return nil, fmt.Errorf("--rates %q: want positive numbers separated by commas", s)
		}
		out = append(out, r)
	}
	return out, nil
}

// sweep runs the benchmark at each rate, runs times in a row per rate
// (rate after rate, so that a change of load on the shared machine shows as
// a difference between runs, not between rates). It stops at the first
// harness failure and returns what it measured.
func sweep(ctx context.Context, o options, rates []float64, runs int) ([]*Report, error) {
	var reps []*Report
	for i := range runs {
		for _, r := range rates {
			o := o
			o.rate = r
			o.logf("sweep: run %d of %d at %g events/s", i+1, runs, r)
			rep, err := run(ctx, o)
			reps = append(reps, rep)
			if err != nil {
				return reps, err
			}
			if ctx.Err() != nil {
				return reps, ctx.Err()
			}
		}
	}
	return reps, nil
}

// writeSweep prints one line per run and, per rate, the medians and the
// ratio of CPU to the median at 10,000 events/s (issue 9's goal: ≤ 60% at
// any rate).
func writeSweep(w io.Writer, reps []*Report) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "rate/s\tload\tCPU %\tCPU s (total)\tbytes/s\tframes/s\tpeak RSS MB\tkey p99 ms\tunaccounted\t")
	byRate := map[float64][]*Report{}
	var order []float64
	for _, r := range reps {
		if _, ok := byRate[r.Rate]; !ok {
			order = append(order, r.Rate)
		}
		byRate[r.Rate] = append(byRate[r.Rate], r)
		fmt.Fprintf(tw, "%g\t%.1f\t%.1f\t%.2f\t%.0f\t%.1f\t%.1f\t%.0f\t%d\t\n", r.Rate, r.Machine.LoadBefore[0],
			r.CPUSteadyPct, r.CPUTotalS, r.TermBytesSteadyPS, r.FramesSteadyPS, r.PeakRSSMB, r.KeyP99Ms, r.Unaccounted)
	}
	tw.Flush()
	med := func(rs []*Report, f func(*Report) float64) float64 {
		v := make([]float64, 0, len(rs))
		for _, r := range rs {
			v = append(v, f(r))
		}
		slices.Sort(v)
		return v[len(v)/2]
	}
	cpu := func(r *Report) float64 { return r.CPUSteadyPct }
	base, hasBase := 0.0, false
	if rs, ok := byRate[10_000]; ok {
		base, hasBase = med(rs, cpu), true
	}
	fmt.Fprintln(w, "\nmedians per rate:")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "rate/s\truns\tCPU %\tCPU vs 10k/s\tbytes/s\tframes/s\tpeak RSS MB\t")
	for _, rate := range order {
		rs := byRate[rate]
		ratio := "—"
		if hasBase && base > 0 {
			ratio = fmt.Sprintf("%.0f%%", 100*med(rs, cpu)/base)
		}
		fmt.Fprintf(tw, "%g\t%d\t%.1f\t%s\t%.0f\t%.1f\t%.1f\t\n", rate, len(rs), med(rs, cpu), ratio,
			med(rs, func(r *Report) float64 { return r.TermBytesSteadyPS }),
			med(rs, func(r *Report) float64 { return r.FramesSteadyPS }),
			med(rs, func(r *Report) float64 { return r.PeakRSSMB }))
	}
	tw.Flush()
}
