//go:build linux

package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// ptyPair opens a pseudo-terminal of 100×30 and returns its master and slave.
func ptyPair(t *testing.T) (master, slave *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	if err := unix.IoctlSetPointerInt(int(m.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		m.Close()
		t.Fatalf("unlockpt: %v", err)
	}
	n, err := unix.IoctlGetInt(int(m.Fd()), unix.TIOCGPTN)
	if err != nil {
		m.Close()
		t.Fatalf("ptsname: %v", err)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		m.Close()
		t.Fatalf("open pts: %v", err)
	}
	if err := unix.IoctlSetWinsize(int(s.Fd()), unix.TIOCSWINSZ, &unix.Winsize{Row: 30, Col: 100}); err != nil {
		t.Fatalf("set window size: %v", err)
	}
	return m, s
}

// ptyRun is the dashboard running on a pseudo-terminal of its own.
type ptyRun struct {
	cmd    *exec.Cmd
	master *os.File
	slave  *os.File // kept open by the test to read the termios after exit
	before *unix.Termios
	out    bytes.Buffer
	outMu  sync.Mutex
	read   chan struct{} // closed when the master reads EOF/EIO
	exited chan struct{}
	waitAt time.Time
}

// startPTY runs the dashboard on a fresh pty, by default the built-in demo
// (the heaviest start: an in-process demo server); ctty makes the pty its
// controlling terminal, as a shell would.
func startPTY(t *testing.T, bin, dir string, ctty bool, args ...string) *ptyRun {
	t.Helper()
	master, slave := ptyPair(t)
	before, err := unix.IoctlGetTermios(int(slave.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, append([]string{"--log-file", filepath.Join(dir, "livefeed.log")}, args...)...)
	cmd.Env = []string{"HOME=" + dir, "XDG_CONFIG_HOME=" + filepath.Join(dir, "config"), "XDG_STATE_HOME=" + filepath.Join(dir, "state"), "TERM=xterm-256color", "PATH=" + os.Getenv("PATH")}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: ctty}
	r := &ptyRun{cmd: cmd, master: master, slave: slave, before: before, read: make(chan struct{}), exited: make(chan struct{})}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		defer close(r.read)
		buf := make([]byte, 32<<10)
		for {
			n, err := master.Read(buf)
			r.outMu.Lock()
			r.out.Write(buf[:n])
			r.outMu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	go func() { _ = cmd.Wait(); r.waitAt = time.Now(); close(r.exited) }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-r.exited
		master.Close()
		slave.Close()
	})
	return r
}

// restored says what the program left changed on its terminal: the termios
// (raw mode) and the screen modes it set and must reset.
func (r *ptyRun) restored() []string {
	var bad []string
	after, err := unix.IoctlGetTermios(int(r.slave.Fd()), unix.TCGETS)
	if err != nil {
		return []string{err.Error()}
	}
	if *after != *r.before {
		bad = append(bad, "termios not restored (still in raw mode)")
	}
	// With the last slave closed the master reads what is left, then EIO.
	r.slave.Close()
	select {
	case <-r.read:
	case <-time.After(2 * time.Second):
		bad = append(bad, "the pty's output did not end")
	}
	r.outMu.Lock()
	out := r.out.String()
	r.outMu.Unlock()
	for _, mode := range []string{"?1049", "?25", "?1000", "?1002", "?1003", "?1006", "?2004"} {
		set, reset := "\x1b["+mode+"h", "\x1b["+mode+"l"
		if strings.HasPrefix(mode, "?25") {
			set, reset = reset, set // the cursor is hidden with l, shown with h
		}
		if i := strings.LastIndex(out, set); i >= 0 && strings.LastIndex(out, reset) < i {
			bad = append(bad, fmt.Sprintf("mode %s left set", mode))
		}
	}
	return bad
}

// The dashboard exits, its terminal restored, within a second of SIGTERM,
// SIGINT or SIGHUP at any moment of its life: 100 runs with the signal
// spread from 0 to 500 ms after start.
func TestTUIExitsOnSignalsAtAnyMoment(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary 100 times; skipped with -short")
	}
	dir := t.TempDir()
	bin := e2eBuild(t, dir)
	signals := []syscall.Signal{syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP}
	const runs, parallel = 100, 4
	sem := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var failures []string
	var slowest time.Duration
	for i := range runs {
		sig, delay := signals[i%3], time.Duration(i)*5*time.Millisecond
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			rdir := filepath.Join(dir, fmt.Sprint(i))
			r := startPTY(t, bin, rdir, true)
			time.Sleep(delay)
			sent := time.Now()
			_ = r.cmd.Process.Signal(sig)
			var problem string
			select {
			case <-r.exited:
				took := r.waitAt.Sub(sent)
				mu.Lock()
				slowest = max(slowest, took)
				mu.Unlock()
				if took > time.Second {
					problem = fmt.Sprintf("exited %v after the signal", took.Round(time.Millisecond))
				} else if bad := r.restored(); len(bad) > 0 {
					problem = strings.Join(bad, "; ")
				}
			case <-time.After(3 * time.Second):
				problem = "still running 3s after the signal"
			}
			if problem != "" {
				mu.Lock()
				failures = append(failures, fmt.Sprintf("%v at %v: %s; log:\n%s", sig, delay, problem, tuiReadFile(filepath.Join(rdir, "livefeed.log"))))
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	t.Logf("%d runs, slowest exit %v after the signal", runs, slowest.Round(time.Millisecond))
	if len(failures) > 0 {
		t.Errorf("%d of %d runs failed:\n%s", len(failures), runs, strings.Join(failures, "\n"))
	}
}

// A dashboard whose terminal goes away (the pty's other end closed, no
// SIGHUP because it is not the controlling terminal) exits within a second.
func TestTUIExitsWhenItsTerminalCloses(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary; skipped with -short")
	}
	dir := t.TempDir()
	bin := e2eBuild(t, dir)
	for _, ctty := range []bool{false, true} {
		r := startPTY(t, bin, filepath.Join(dir, fmt.Sprint(ctty)), ctty)
		deadline := time.Now().Add(5 * time.Second)
		for {
			r.outMu.Lock()
			drawn := strings.Contains(r.out.String(), "OPEN")
			r.outMu.Unlock()
			if drawn || time.Now().After(deadline) {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		r.slave.Close()
		closed := time.Now()
		r.master.Close()
		select {
		case <-r.exited:
			if took := r.waitAt.Sub(closed); took > time.Second {
				t.Errorf("controlling terminal %v: exited %v after its pty closed", ctty, took.Round(time.Millisecond))
			} else {
				t.Logf("controlling terminal %v: exited %v after its pty closed", ctty, took.Round(time.Millisecond))
			}
		case <-time.After(5 * time.Second):
			t.Errorf("controlling terminal %v: still running 5s after its pty closed", ctty)
		}
	}
}
