package main

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/charmbracelet/x/ansi"
)

// Targets from issue 5's Performance section.
const (
	targetCPUPct       = 30.0  // % of one core at steady state
	targetRSSMB        = 60.0  // peak RSS, MB (10^6 bytes)
	targetP99Ms        = 50.0  // key press to frame
	targetBytesPerSec  = 20000 // to the terminal at steady state
	targetFirstFrameMs = 150.0
)

// Report is everything one run measured. Durations are in milliseconds and
// rates per second unless the name says otherwise; -1 means not measured.
type Report struct {
	Command string    `json:"command"`
	Error   string    `json:"error,omitempty"` // the harness failed: the figures are partial
	Binary  string    `json:"binary"`
	Started time.Time `json:"started"`
	Machine Machine   `json:"machine"`

	DurationS   float64 `json:"duration_s"`
	WarmupS     float64 `json:"warmup_s"`
	Rate        float64 `json:"rate"`
	Cols        int     `json:"cols"`
	Rows        int     `json:"rows"`
	AchievedEPS float64 `json:"achieved_events_per_s"`

	Feeds          []FeedCount `json:"feeds"`
	Produced       int64       `json:"produced"`
	Received       int64       `json:"received"`
	Unaccounted    int64       `json:"unaccounted"`
	TargetProduced int64       `json:"target_produced"`

	Summary *summary `json:"summary"`

	CPUSteadyPct float64 `json:"cpu_steady_pct"`
	CPUTotalS    float64 `json:"cpu_total_s"`
	PeakRSSMB    float64 `json:"peak_rss_mb"`
	RSSSource    string  `json:"rss_source"`

	TermBytes          int64   `json:"term_bytes"`
	TermBytesSteadyPS  float64 `json:"term_bytes_steady_per_s"`
	FramesSteadyPS     float64 `json:"frames_steady_per_s"`
	FramesSteadySource string  `json:"frames_steady_source"`
	FramesOverallPS    float64 `json:"frames_overall_per_s"`
	TermSyncFramesPS   float64 `json:"term_sync_frames_steady_per_s"`

	Keys          int     `json:"keys"`
	KeysMissed    int     `json:"keys_missed"`
	KeysNoFocus   int     `json:"keys_without_visible_focus"`
	KeyP50Ms      float64 `json:"key_frame_p50_ms"`
	KeyP99Ms      float64 `json:"key_frame_p99_ms"`
	KeyMaxMs      float64 `json:"key_frame_max_ms"`
	KeyNextP50Ms  float64 `json:"key_next_output_p50_ms"`
	KeyNextP99Ms  float64 `json:"key_next_output_p99_ms"`
	FirstOutputMs float64 `json:"first_output_ms"`
	FirstTitleMs  float64 `json:"first_title_ms"`

	DrainMs    float64 `json:"drain_ms"`
	ExitedBy   string  `json:"exited_by"`
	ExitStatus string  `json:"exit_status"`

	LogRecords  int            `json:"log_records"`
	LogProblems int            `json:"log_problems"`
	LogSamples  []string       `json:"log_problem_samples,omitempty"`
	Queries     map[string]int `json:"terminal_queries_answered"`
	Notes       []string       `json:"notes,omitempty"`
	Screen      string         `json:"screen_at_end"` // as text, when production ended
	// RowBytesPS is the steady-state output attributed to each screen row
	// (where the cursor was when the bytes changed the screen).
	RowBytesPS []float64  `json:"row_bytes_steady_per_s,omitempty"`
	Metrics    []Metric   `json:"metrics"`
	Samples    []Sample   `json:"samples"`
	Presses    []keyPress `json:"key_presses,omitempty"`
}

// Machine describes where the run happened.
type Machine struct {
	NumCPU     int        `json:"nproc"`
	Model      string     `json:"model"`
	LoadBefore [3]float64 `json:"load_before"`
	LoadAfter  [3]float64 `json:"load_after"`
}

// FeedCount is one feed's accounting.
type FeedCount struct {
	Name        string `json:"name"`
	Produced    int64  `json:"produced"`
	Received    int64  `json:"received"`
	Unaccounted int64  `json:"unaccounted"`
	Connections int64  `json:"connections"`
}

// Sample is one once-a-second reading taken while the program ran.
type Sample struct {
	T          float64 `json:"t_s"` // since the program started
	CPU        float64 `json:"cpu_s"`
	RSS        int64   `json:"rss_bytes"`
	HWM        int64   `json:"hwm_bytes"`
	TermBytes  int64   `json:"term_bytes"`
	SyncFrames int64   `json:"term_sync_frames"`
	Produced   int64   `json:"produced"`
}

// Metric is one line of the report table.
type Metric struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Target string `json:"target"`
	Status string `json:"status"` // ok, MISSED or n/a
}

func status(ok, known bool) string {
	switch {
	case !known:
		return "n/a"
	case ok:
		return "ok"
	}
	return "MISSED"
}

// percentile is the nearest-rank percentile of sorted values.
func percentile(sorted []float64, p float64) float64 {
	if len(sorted) == 0 {
		return -1 // n/a; JSON has no NaN
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	return sorted[min(max(rank, 1), len(sorted))-1]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// latencies fills the key-press figures: a press that never showed counts
// as keyTimeout, so a missed press can only raise the percentiles.
func (r *Report) latencies(presses []keyPress) {
	var frame, next []float64
	for _, p := range presses {
		r.Keys++
		if p.Frame < 0 {
			r.KeysMissed++
			frame = append(frame, ms(keyTimeout))
		} else {
			frame = append(frame, ms(p.Frame))
		}
		if p.NextOutput >= 0 {
			next = append(next, ms(p.NextOutput))
		}
	}
	slices.Sort(frame)
	slices.Sort(next)
	r.KeyP50Ms, r.KeyP99Ms = percentile(frame, 50), percentile(frame, 99)
	r.KeyMaxMs = -1
	if len(frame) > 0 {
		r.KeyMaxMs = frame[len(frame)-1]
	}
	r.KeyNextP50Ms, r.KeyNextP99Ms = percentile(next, 50), percentile(next, 99)
}

func fnum(v float64, format string) string {
	if math.IsNaN(v) || v < 0 {
		return "n/a"
	}
	return fmt.Sprintf(format, v)
}

// metrics builds the table rows: each measurement next to its target.
func (r *Report) metrics() {
	known := func(v float64) bool { return v >= 0 } // -1 is n/a
	var m []Metric
	add := func(name, value, target, st string) {
		m = append(m, Metric{Name: name, Value: value, Target: target, Status: st})
	}
	add("events produced / received",
		fmt.Sprintf("%d / %d (%.0f/s achieved of %.0f/s)", r.Produced, r.Received, r.AchievedEPS, r.Rate),
		fmt.Sprintf("%d produced", r.TargetProduced), status(r.Produced == r.TargetProduced, r.TargetProduced > 0))
	add("events unaccounted (produced − received)", fmt.Sprintf("%d", r.Unaccounted), "0",
		status(r.Unaccounted == 0, r.Summary != nil))
	add("CPU at steady state", fnum(r.CPUSteadyPct, "%.1f%% of one core"), fmt.Sprintf("≤ %.0f%%", targetCPUPct),
		status(r.CPUSteadyPct <= targetCPUPct, known(r.CPUSteadyPct)))
	add("peak RSS", fnum(r.PeakRSSMB, "%.1f MB"), fmt.Sprintf("≤ %.0f MB", targetRSSMB),
		status(r.PeakRSSMB <= targetRSSMB, known(r.PeakRSSMB)))
	add("key → frame p50 / p99",
		fmt.Sprintf("%s / %s ms (%d keys, %d missed)", fnum(r.KeyP50Ms, "%.1f"), fnum(r.KeyP99Ms, "%.1f"), r.Keys, r.KeysMissed),
		fmt.Sprintf("p99 ≤ %.0f ms", targetP99Ms), status(r.KeyP99Ms <= targetP99Ms, known(r.KeyP99Ms)))
	add("bytes to terminal at steady state", fnum(r.TermBytesSteadyPS/1000, "%.1f kB/s"),
		fmt.Sprintf("≤ %d kB/s", targetBytesPerSec/1000), status(r.TermBytesSteadyPS <= targetBytesPerSec, known(r.TermBytesSteadyPS)))
	ff := -1.0
	if r.Summary != nil && !slices.Contains(r.Summary.Missing, "first_frame_ms") {
		ff = r.Summary.FirstFrameMs
	}
	add("first frame (program's first_frame_ms)", fnum(ff, "%.0f ms"), fmt.Sprintf("< %.0f ms", targetFirstFrameMs),
		status(ff < targetFirstFrameMs, known(ff)))
	add("first frame (pane title on the pty)", fnum(r.FirstTitleMs, "%.0f ms"), fmt.Sprintf("< %.0f ms", targetFirstFrameMs),
		status(r.FirstTitleMs < targetFirstFrameMs, known(r.FirstTitleMs)))
	add("frames/s at steady state", fmt.Sprintf("%s (%s); %s overall",
		fnum(r.FramesSteadyPS, "%.1f"), r.FramesSteadySource, fnum(r.FramesOverallPS, "%.1f")), "—", "info")
	add("key → next output p50 / p99", fmt.Sprintf("%s / %s ms", fnum(r.KeyNextP50Ms, "%.1f"), fnum(r.KeyNextP99Ms, "%.1f")), "—", "info")
	if r.Summary != nil {
		add("routed / dropped by panes", fmt.Sprintf("%d / %d", r.Summary.Routed, r.Summary.Dropped), "—", "info")
	}
	add("exit", fmt.Sprintf("%s, %s, drained in %.0f ms", r.ExitedBy, r.ExitStatus, r.DrainMs), "q", status(r.ExitedBy == "q", true))
	r.Metrics = m
}

// WriteScreen prints the screen as it was when production ended, each row
// with the bytes/s the program spent on it at steady state.
func (r *Report) WriteScreen(w io.Writer) {
	if r.Screen == "" {
		return
	}
	fmt.Fprintln(w, "screen when production ended, with each row's share of the bytes/s at steady state:")
	fmt.Fprintln(w, strings.Repeat("-", r.Cols+12))
	for i, line := range strings.Split(r.Screen, "\n") {
		rate := ""
		if i < len(r.RowBytesPS) {
			rate = fmt.Sprintf("%7.1f kB/s", r.RowBytesPS[i]/1000)
		}
		pad := max(r.Cols-ansi.StringWidth(line), 0)
		fmt.Fprintf(w, "%s%s %s\n", line, strings.Repeat(" ", pad), rate)
	}
	fmt.Fprintln(w, strings.Repeat("-", r.Cols+12))
	fmt.Fprintln(w)
}

// WriteTable prints the human-readable report.
func (r *Report) WriteTable(w io.Writer) {
	fmt.Fprintf(w, "livefeed firehose: %.0f events/s over %d feeds for %gs, %d×%d pty (warm-up %gs excluded from steady state)\n",
		r.Rate, len(r.Feeds), r.DurationS, r.Cols, r.Rows, r.WarmupS)
	fmt.Fprintf(w, "machine: %d CPUs, %s; load %.2f before, %.2f after\n",
		r.Machine.NumCPU, r.Machine.Model, r.Machine.LoadBefore[0], r.Machine.LoadAfter[0])
	fmt.Fprintf(w, "binary: %s\n\n", r.Binary)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "METRIC\tMEASURED\tTARGET\tSTATUS")
	for _, m := range r.Metrics {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", m.Name, m.Value, m.Target, m.Status)
	}
	tw.Flush() //nolint:errcheck // best effort to a terminal
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "feed\tproduced\treceived\tunaccounted\tconnections\t")
	for _, f := range r.Feeds {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t\n", f.Name, f.Produced, f.Received, f.Unaccounted, f.Connections)
	}
	tw.Flush() //nolint:errcheck // best effort to a terminal
	if r.LogProblems > 0 {
		fmt.Fprintf(w, "\nthe program logged %d warnings/errors; first:\n", r.LogProblems)
		for _, s := range r.LogSamples {
			fmt.Fprintf(w, "  %s\n", s)
		}
	}
	if len(r.Notes) > 0 {
		fmt.Fprintln(w, "\nnotes:")
		for _, n := range r.Notes {
			fmt.Fprintf(w, "  - %s\n", strings.ReplaceAll(n, "\n", "\n    "))
		}
	}
}
