package main

import (
	"fmt"
	"strings"
)

// finish fills the report from what was measured, however far the run got.
func (m *measurement) finish() {
	rep, t := m.rep, m.p.term
	rep.Machine.LoadAfter = loadAvg()
	rep.Samples = m.samples
	rep.ExitedBy = m.exitedBy
	if m.exitedBy == "" {
		rep.ExitedBy = "not stopped by the harness"
	}
	rep.ExitStatus = "running"
	if ps := m.p.cmd.ProcessState; ps != nil {
		rep.ExitStatus = ps.String()
	}

	// Events.
	rep.Summary = m.lt.summary
	for _, f := range m.srv.feeds {
		fc := FeedCount{Name: f.name, Produced: f.produced.Load(), Connections: f.conns.Load()}
		if rep.Summary != nil {
			fc.Received = rep.Summary.PerFeed[f.name]
		}
		fc.Unaccounted = fc.Produced - fc.Received
		rep.Feeds = append(rep.Feeds, fc)
		rep.Produced += fc.Produced
		rep.Received += fc.Received
		if fc.Unaccounted < 0 {
			rep.Notes = append(rep.Notes, fmt.Sprintf("feed %s: the program counted %d events more than the server produced", f.name, -fc.Unaccounted))
		}
		if n := f.writeErr.Load(); n > 0 {
			rep.Notes = append(rep.Notes, fmt.Sprintf("feed %s: %d connections broke while the server was writing", f.name, n))
		}
	}
	rep.Unaccounted = rep.Produced - rep.Received
	rep.TargetProduced = m.srv.Total() * int64(len(m.srv.feeds))
	rep.AchievedEPS = float64(rep.Produced) / m.o.duration.Seconds()
	if rep.Summary != nil {
		if len(rep.Summary.Missing) > 0 {
			rep.Notes = append(rep.Notes, "the summary record lacks: "+strings.Join(rep.Summary.Missing, ", "))
		}
		var sum int64
		for _, n := range rep.Summary.PerFeed {
			sum += n
		}
		if sum != rep.Summary.Events {
			rep.Notes = append(rep.Notes, fmt.Sprintf("summary: events=%d but per_feed adds up to %d", rep.Summary.Events, sum))
		}
	}
	if m.steadyB != nil && rep.Produced < rep.TargetProduced {
		rep.Notes = append(rep.Notes, fmt.Sprintf("the server produced %d of %d events: the program did not read fast enough, so TCP back-pressure slowed the server",
			rep.Produced, rep.TargetProduced))
	}

	// Resources: rusage is exact for the peak RSS and total CPU; VmHWM
	// samples cover a run that did not end.
	rep.CPUSteadyPct, rep.TermBytesSteadyPS, rep.TermSyncFramesPS = -1, -1, -1
	rep.FramesSteadyPS, rep.FramesOverallPS, rep.PeakRSSMB = -1, -1, -1
	var hwm int64
	for _, s := range m.samples {
		hwm = max(hwm, s.HWM)
	}
	rep.RSSSource = "VmHWM"
	if ps := m.p.cmd.ProcessState; ps != nil {
		if maxRSS, cpu, ok := rusage(ps); ok {
			if maxRSS >= hwm {
				hwm, rep.RSSSource = maxRSS, "rusage maxrss"
			}
			rep.CPUTotalS = cpu
		}
	}
	if hwm > 0 {
		rep.PeakRSSMB = float64(hwm) / 1e6
	}
	if a, b := m.steadyA, m.steadyB; a != nil && b != nil && b.T > a.T {
		span := b.T - a.T
		rep.CPUSteadyPct = 100 * (b.CPU - a.CPU) / span
		rep.TermBytesSteadyPS = float64(b.TermBytes-a.TermBytes) / span
		rep.TermSyncFramesPS = float64(b.SyncFrames-a.SyncFrames) / span
		if len(m.rowsA) > 0 && len(m.rowsA) == len(m.rowsB) {
			for i := range m.rowsB {
				rep.RowBytesPS = append(rep.RowBytesPS, float64(m.rowsB[i]-m.rowsA[i])/span)
			}
		}
		if m.selfCPU1 > m.selfCPU0 {
			rep.Notes = append(rep.Notes, fmt.Sprintf("the harness itself (SSE server, pty reader, emulator) used %.0f%% of one core at steady state, on the same machine",
				100*(m.selfCPU1-m.selfCPU0)/span))
		}
		if fps, ok := frameRate(m.lt.frames, m.startAt.Add(m.o.warmup), m.end); ok {
			rep.FramesSteadyPS, rep.FramesSteadySource = fps, "LIVEFEED_FRAME_LOG"
		} else if b.SyncFrames > a.SyncFrames {
			rep.FramesSteadyPS, rep.FramesSteadySource = rep.TermSyncFramesPS, "synchronized updates on the pty"
		} else {
			rep.FramesSteadySource = "no frame records in the window"
		}
	}
	if s := rep.Summary; s != nil && s.ElapsedMs > 0 {
		rep.FramesOverallPS = float64(s.Frames) / (s.ElapsedMs / 1000)
	}
	rep.TermBytes = t.bytes.Load()

	// The terminal side.
	t.mu.Lock()
	presses := append([]keyPress(nil), t.presses...)
	rep.FirstOutputMs, rep.FirstTitleMs = -1, -1
	if t.firstOutput >= 0 {
		rep.FirstOutputMs = ms(t.firstOutput)
	}
	if t.firstTitle >= 0 {
		rep.FirstTitleMs = ms(t.firstTitle)
	}
	rep.KeysNoFocus = t.noFocus
	rep.Queries = t.queries
	writeErrs := t.writeErrs
	t.mu.Unlock()
	rep.Presses = presses
	rep.latencies(presses)
	if rep.KeysNoFocus > 0 {
		rep.Notes = append(rep.Notes, fmt.Sprintf("%d key presses were sent while no cell was drawn in the focus colour %s", rep.KeysNoFocus, focusColour))
	}
	if rep.KeysMissed > 0 {
		rep.Notes = append(rep.Notes, fmt.Sprintf("%d of %d key presses did not move the focus on screen within %s (counted as %s in the percentiles)",
			rep.KeysMissed, rep.Keys, keyTimeout, keyTimeout))
	}
	if writeErrs > 0 {
		rep.Notes = append(rep.Notes, fmt.Sprintf("%d writes to the program's input failed or timed out", writeErrs))
	}
	rep.LogRecords, rep.LogProblems, rep.LogSamples = m.lt.records, m.lt.nProblem, m.lt.problems
	if m.lt.badLines > 0 {
		rep.Notes = append(rep.Notes, fmt.Sprintf("%d log lines were not JSON", m.lt.badLines))
	}
	if l := rep.Machine.LoadBefore[0]; l >= 1.5 {
		rep.Notes = append(rep.Notes, fmt.Sprintf("load average was %.2f before the run: other work shared the CPUs", l))
	}
}
