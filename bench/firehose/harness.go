package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"
)

// options configure one benchmark run.
type options struct {
	duration    time.Duration // of event production
	warmup      time.Duration // excluded from the steady-state figures
	rate        float64       // events per second, all feeds together
	feeds       int
	dash        dashConfig
	bin         string // livefeed binary; "" builds one
	cols, rows  int
	keyInterval time.Duration
	keyDelay    time.Duration // after production starts, before the first key
	connect     time.Duration // for every feed to connect
	drainMin    time.Duration // after production ends, before q
	drainMax    time.Duration
	args        []string // extra livefeed arguments
	env         []string // extra environment, KEY=VALUE
	keep        bool     // keep the work directory (config, log)
	showScreen  bool     // print the screen at the end of production
	jsonOut     string   // also write the JSON report here
	perf        string   // perf record output file for the steady state, "" for none
	command     string   // how the harness was invoked, for the report
	compare     []int    // --compare-feeds: feed counts to compare, "" for one run
	runs        int      // rounds of the comparison
	progress    io.Writer
}

// slack is the time allowed on top of the duration for everything else:
// connecting, draining, quitting. After duration+slack the run is killed.
const slack = 30 * time.Second

// harnessError marks a failure of the harness or the program's contract
// (not a missed performance target).
type harnessError struct{ err error }

func (e harnessError) Error() string { return e.err.Error() }
func (e harnessError) Unwrap() error { return e.err }

func failf(format string, args ...any) error { return harnessError{fmt.Errorf(format, args...)} }

func (o *options) logf(format string, args ...any) {
	if o.progress != nil {
		fmt.Fprintf(o.progress, "firehose: "+format+"\n", args...)
	}
}

// run executes one benchmark. The report is returned even when err is not
// nil, with whatever was measured.
func run(ctx context.Context, o options) (*Report, error) {
	rep := &Report{
		Command:   o.command,
		Started:   time.Now(),
		DurationS: o.duration.Seconds(),
		WarmupS:   o.warmup.Seconds(),
		Rate:      o.rate,
		Cols:      o.cols,
		Rows:      o.rows,
		Machine:   Machine{NumCPU: runtime.NumCPU(), Model: cpuModel(), LoadBefore: loadAvg()},
	}
	dir, err := os.MkdirTemp("", "livefeed-firehose-")
	if err != nil {
		return rep, failf("work directory: %w", err)
	}
	if o.keep {
		rep.Notes = append(rep.Notes, "config and log kept in "+dir)
	} else {
		defer os.RemoveAll(dir)
	}

	bin := o.bin
	if bin == "" {
		o.logf("building livefeed")
		if bin, err = buildLivefeed(ctx, dir); err != nil {
			return rep, harnessError{err}
		}
	} else if bin, err = filepath.Abs(bin); err != nil {
		return rep, failf("--bin: %w", err)
	}
	rep.Binary = bin

	srv, err := newFirehose(o.feeds, o.rate, o.duration)
	if err != nil {
		return rep, harnessError{err}
	}
	defer srv.Close()
	var names []string
	for _, f := range srv.feeds {
		names = append(names, f.name)
	}
	cfgPath := filepath.Join(dir, "firehose.yaml")
	logPath := filepath.Join(dir, "livefeed.log")
	if err := writeDashboard(cfgPath, srv.URL(), names, o.dash); err != nil {
		return rep, harnessError{err}
	}

	p, err := startProgram(bin, append([]string{"--config", cfgPath, "--log-file", logPath}, o.args...), dir, o)
	if err != nil {
		return rep, harnessError{err}
	}
	defer p.stop()
	o.logf("started %s (pid %d) in a %d×%d pty", filepath.Base(bin), p.cmd.Process.Pid, o.cols, o.rows)

	dctx, cancel := context.WithTimeout(ctx, o.duration+slack)
	defer cancel()
	m := &measurement{o: o, rep: rep, srv: srv, p: p, lt: &logTail{path: logPath}, ctx: dctx}
	defer m.lt.close()
	err = m.measure()
	m.finish()
	rep.metrics()
	return rep, err
}

// measurement is the state of one run while it is measured.
type measurement struct {
	o   options
	rep *Report
	srv *firehose
	p   *program
	lt  *logTail
	ctx context.Context

	samples            []Sample
	steadyA, steadyB   *Sample
	startAt, end       time.Time
	selfCPU0, selfCPU1 float64
	rowsA, rowsB       []int64 // bytes per screen row at the steady state's ends
	exitedBy           string
	perf               *exec.Cmd
	perfOut            bytes.Buffer
}

// sample reads the program's CPU time and memory, the terminal's counters
// and the log, and keeps the reading.
func (m *measurement) sample() Sample {
	pid := m.p.cmd.Process.Pid
	cpu, _ := procCPU(pid)
	rss, hwm, _ := procMem(pid)
	m.lt.poll() //nolint:errcheck // a log read error shows as missing records
	var produced int64
	for _, f := range m.srv.feeds {
		produced += f.produced.Load()
	}
	s := Sample{
		T:          time.Since(m.p.start).Seconds(),
		CPU:        cpu,
		RSS:        rss,
		HWM:        hwm,
		TermBytes:  m.p.term.bytes.Load(),
		SyncFrames: m.p.term.syncFrames.Load(),
		Produced:   produced,
	}
	m.samples = append(m.samples, s)
	return s
}

// stopped reports the run's context ending: an interrupt, or the deadline.
func (m *measurement) stopped(when string) error {
	if errors.Is(m.ctx.Err(), context.DeadlineExceeded) {
		return failf("the run's deadline (duration + %s) passed %s", slack, when)
	}
	return failf("interrupted %s", when)
}

// diedf reports the program exiting when it should not have.
func (m *measurement) diedf(format string, args ...any) error {
	select {
	case <-m.p.term.done:
	case <-time.After(time.Second):
	}
	return failf("%s: livefeed exited (%s); last screen:\n%s", fmt.Sprintf(format, args...),
		m.p.cmd.ProcessState, strings.TrimRight(m.p.term.snapshotScreen(), "\n"))
}

func (m *measurement) measure() error {
	o := m.o
	defer m.stopPerf()
	// Production starts once every feed is connected.
	connCtx, cancel := context.WithCancel(m.ctx)
	go func() {
		select {
		case <-m.p.exited:
			cancel()
		case <-connCtx.Done():
		}
	}()
	err := m.srv.waitConnected(connCtx, o.connect)
	cancel()
	if !m.p.running() {
		return m.diedf("waiting for feeds to connect")
	}
	if err != nil {
		return failf("waiting for livefeed to connect: %w", err)
	}
	m.startAt = m.srv.Start()
	m.end = m.startAt.Add(o.duration)
	steadyFrom := m.startAt.Add(o.warmup)
	m.p.term.timeKeys(m.startAt.Add(o.keyDelay), m.end, o.keyInterval)
	o.logf("all %d feeds connected after %s; producing %.0f events/s for %s", o.feeds,
		m.startAt.Sub(m.p.start).Round(time.Millisecond), o.rate, o.duration)

	tk := time.NewTicker(time.Second)
	defer tk.Stop()
	steadyT := time.NewTimer(time.Until(steadyFrom))
	endT := time.NewTimer(time.Until(m.end))
	defer steadyT.Stop()
	defer endT.Stop()
	m.sample()
	for m.steadyB == nil {
		select {
		case <-tk.C:
			m.sample()
		case <-steadyT.C:
			s := m.sample()
			m.steadyA = &s
			m.rowsA = m.p.term.screenNow().rowBytes
			m.selfCPU0, _ = procCPU(os.Getpid())
			if o.perf != "" {
				m.startPerf()
			}
		case <-endT.C:
			s := m.sample()
			if m.steadyA == nil { // warm-up timer not yet delivered
				m.steadyA = &m.samples[0]
			}
			m.steadyB = &s
			snap := m.p.term.screenNow()
			m.rowsB, m.rep.Screen = snap.rowBytes, snap.text
			m.selfCPU1, _ = procCPU(os.Getpid())
			m.stopPerf()
		case <-m.p.exited:
			return m.diedf("during the run")
		case <-m.ctx.Done():
			return m.stopped("during production")
		}
	}

	// Let the program read everything produced before it is told to quit.
	drainStart := time.Now()
	if err := m.drain(); err != nil {
		return err
	}
	m.rep.DrainMs = ms(time.Since(drainStart))
	m.sample() // the last RSS reading before quitting
	o.logf("production over; sending q")
	return m.quit()
}

// drain waits at least drainMin after production ends, and until no byte the
// server wrote is waiting in a socket buffer (for 250 ms in a row), at most
// drainMax.
func (m *measurement) drain() error {
	o := m.o
	_, port, _ := net.SplitHostPort(m.srv.ln.Addr().String())
	var portN int
	fmt.Sscan(port, &portN) //nolint:errcheck // our own listener's port
	start := time.Now()
	var emptySince time.Time
	for {
		queued, _, err := tcpQueued(portN)
		now := time.Now()
		switch {
		case err != nil:
			m.rep.Notes = append(m.rep.Notes, "cannot read /proc/net/tcp to see the program drain its sockets ("+err.Error()+"); waited the minimum drain time only")
			queued = 0
		case queued > 0:
			emptySince = time.Time{}
		case emptySince.IsZero():
			emptySince = now
		}
		if queued == 0 && now.Sub(start) >= o.drainMin && (err != nil || now.Sub(emptySince) >= 250*time.Millisecond) {
			return nil
		}
		if now.Sub(start) >= o.drainMax {
			m.rep.Notes = append(m.rep.Notes, fmt.Sprintf("after %s, %d bytes the server wrote were still unread in socket buffers when q was sent", o.drainMax, queued))
			return nil
		}
		select {
		case <-time.After(50 * time.Millisecond):
		case <-m.p.exited:
			return m.diedf("while draining after production")
		case <-m.ctx.Done():
			return m.stopped("while draining")
		}
	}
}

// quit sends q and waits for a graceful exit, then SIGTERM, then SIGKILL.
func (m *measurement) quit() error {
	m.p.term.send([]byte("q"))
	m.exitedBy = "q"
	wait := func(d time.Duration) bool {
		select {
		case <-m.p.exited:
			return true
		case <-time.After(d):
			return false
		case <-m.ctx.Done():
			return false
		}
	}
	if !wait(5 * time.Second) {
		m.exitedBy = "SIGTERM"
		m.p.cmd.Process.Signal(syscall.SIGTERM) //nolint:errcheck // it may just have exited
		if !wait(3 * time.Second) {
			m.exitedBy = "SIGKILL"
			killGroup(m.p.cmd.Process.Pid, syscall.SIGKILL)
			<-m.p.exited
		}
	}
	select {
	case <-m.p.term.done:
	case <-time.After(3 * time.Second):
	}
	// The log is complete once the process is gone; read it to the end.
	m.lt.poll() //nolint:errcheck // missing records are reported below
	if m.lt.summary == nil {
		problems := ""
		if len(m.lt.problems) > 0 {
			problems = "\nits warnings/errors:\n  " + strings.Join(m.lt.problems, "\n  ")
		}
		return failf("no {\"msg\":\"summary\"} record in livefeed's log after it exited by %s (%s; %d records read)%s",
			m.exitedBy, m.p.cmd.ProcessState, m.lt.records, problems)
	}
	if m.exitedBy != "q" {
		m.rep.Notes = append(m.rep.Notes, fmt.Sprintf("livefeed did not quit within 5 s of q; it was stopped by %s", m.exitedBy))
	}
	return nil
}
