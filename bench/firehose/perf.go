package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"time"
)

// startPerf records a CPU profile of the program with perf(1) for the
// steady state: perf works on the real binary, with no flag in it.
func (m *measurement) startPerf() {
	pid := fmt.Sprint(m.p.cmd.Process.Pid)
	m.perf = exec.Command("perf", "record", "-F", "499", "-g", "-p", pid, "-o", m.o.perf)
	m.perf.Stdout, m.perf.Stderr = &m.perfOut, &m.perfOut
	if err := m.perf.Start(); err != nil {
		m.rep.Notes = append(m.rep.Notes, "--perf: "+err.Error())
		m.perf = nil
		return
	}
	m.rep.Notes = append(m.rep.Notes, fmt.Sprintf("perf recorded the steady state into %s (its sampling adds a little to the CPU figures); see it with: perf report -i %s --no-children", m.o.perf, m.o.perf))
}

func (m *measurement) stopPerf() {
	if m.perf == nil {
		return
	}
	m.perf.Process.Signal(os.Interrupt) //nolint:errcheck // it may have failed already
	done := make(chan error, 1)
	go func() { done <- m.perf.Wait() }()
	select {
	case err := <-done:
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			if ws, ok := exit.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGINT {
				err = nil // how perf record ends when interrupted
			}
		}
		if err != nil {
			m.rep.Notes = append(m.rep.Notes, fmt.Sprintf("perf record: %v\n%s", err, m.perfOut.String()))
		}
	case <-time.After(10 * time.Second):
		m.perf.Process.Kill() //nolint:errcheck // stuck
		<-done
		m.rep.Notes = append(m.rep.Notes, "perf record did not stop within 10 s and was killed")
	}
	m.perf = nil
}
