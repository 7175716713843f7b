//go:build unix

package main

import (
	"context"
	"os"

	"golang.org/x/sys/unix"
)

// watchHangup calls gone when tty hangs up: the other end of the pty closed.
// The dashboard must then end by itself: bubbletea takes the end of its
// input for a quiet end of input and keeps running, and no SIGHUP comes when
// the pty was not the process's controlling terminal (measured: alive until
// killed). It checks every 100 ms until ctx ends.
func watchHangup(ctx context.Context, tty *os.File, gone func()) {
	fd := int(tty.Fd())
	go func() {
		for ctx.Err() == nil {
			fds := []unix.PollFd{{Fd: int32(fd)}}
			n, err := unix.Poll(fds, 100)
			if err == unix.EINTR {
				continue
			}
			// No events asked for: poll answers only a hangup, an error or
			// a closed descriptor.
			if err != nil || n > 0 {
				gone()
				return
			}
		}
	}()
}
