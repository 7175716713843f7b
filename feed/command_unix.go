//go:build unix

package feed

import (
	"os/exec"
	"syscall"
)

// killGroup makes cmd the leader of its own process group and has a
// cancel kill the whole group: a token script's children (curl, a CLI
// waiting for a login) would otherwise outlive the timeout.
func killGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		if err := syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL); err != nil {
			return cmd.Process.Kill()
		}
		return nil
	}
}
