package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// program is livefeed running in the pty.
type program struct {
	cmd    *exec.Cmd
	start  time.Time
	term   *termSession
	master *os.File
	exited chan struct{}
}

func startProgram(bin string, args []string, dir string, o options) (*program, error) {
	master, slave, err := openPTY(o.cols, o.rows)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = childEnv(os.Environ(), o.env)
	cmd.Dir = dir
	start := time.Now()
	err = startInPTY(cmd, slave)
	slave.Close() //nolint:errcheck // the child has its own copy
	if err != nil {
		master.Close() //nolint:errcheck // already failing
		return nil, fmt.Errorf("starting %s: %w", bin, err)
	}
	p := &program{cmd: cmd, start: start, master: master, exited: make(chan struct{})}
	p.term = newTermSession(master, o.cols, o.rows, start, paneTitles)
	go func() {
		cmd.Wait() //nolint:errcheck // the status is in cmd.ProcessState
		close(p.exited)
	}()
	go p.term.run()
	return p, nil
}

func (p *program) running() bool {
	select {
	case <-p.exited:
		return false
	default:
		return true
	}
}

// stop kills whatever is left of the program's session and releases the pty.
func (p *program) stop() {
	if p.running() {
		killGroup(p.cmd.Process.Pid, syscall.SIGKILL)
		<-p.exited
	}
	select {
	case <-p.term.done:
	case <-time.After(3 * time.Second):
		// Something else holds the pty open; closing the master ends the read.
	}
	p.master.Close() //nolint:errcheck // done with it
	<-p.term.done
}

// childEnv is the harness's environment for livefeed: a plain modern xterm
// with true colour and nothing that changes how it draws (NO_COLOR, tmux,
// SSH), plus LIVEFEED_FRAME_LOG=1 and the --env extras.
func childEnv(base, extra []string) []string {
	drop := map[string]bool{
		"NO_COLOR": true, "TERM": true, "COLORTERM": true, "TERM_PROGRAM": true, "TERM_PROGRAM_VERSION": true,
		"SSH_TTY": true, "SSH_CONNECTION": true, "SSH_CLIENT": true, "TMUX": true, "STY": true,
		"LIVEFEED_CONFIG": true, "LIVEFEED_FRAME_LOG": true, "CLICOLOR_FORCE": true,
	}
	var env []string
	for _, kv := range base {
		k, _, _ := strings.Cut(kv, "=")
		if !drop[k] {
			env = append(env, kv)
		}
	}
	env = append(env, "TERM=xterm-256color", "COLORTERM=truecolor", "LIVEFEED_FRAME_LOG=1")
	return append(env, extra...)
}

// buildLivefeed builds the module's main package into dir.
func buildLivefeed(ctx context.Context, dir string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", errors.New("not inside the livefeed module: run from the repository or pass --bin")
	}
	bin := filepath.Join(dir, "livefeed")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, ".")
	build.Dir = filepath.Dir(mod)
	var stderr bytes.Buffer
	build.Stderr = &stderr
	if err := build.Run(); err != nil {
		return "", fmt.Errorf("go build livefeed: %w\n%s", err, stderr.String())
	}
	return bin, nil
}
