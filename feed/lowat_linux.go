package feed

import (
	"crypto/tls"
	"net"
	"syscall"
	"unsafe"
)

// socket is what the read loop may ask of the TCP socket under an HTTP/1.x
// response (see runner.read and coalescing).
type socket struct{ rc syscall.RawConn }

// socketOf returns the TCP socket under c (plain or TLS), or nil when there
// is none of its own.
func socketOf(c net.Conn) *socket {
	if t, ok := c.(*tls.Conn); ok {
		c = t.NetConn()
	}
	tc, ok := c.(*net.TCPConn)
	if !ok {
		return nil
	}
	rc, err := tc.SyscallConn()
	if err != nil {
		return nil
	}
	return &socket{rc}
}

// hush sets the socket's receive low-water mark: while it is n bytes, Linux
// does not signal the socket readable for less, so Go's poller, which
// watches every socket edge-triggered whether or not a goroutine waits on
// it, is not woken by each small write a server sends while the feed
// sleeps. A failure leaves the mark as it was: at worst, wake-ups as before.
//
// Why: with 50 feeds each written every 5 ms, the poller returned ~4,500
// times a second for data nobody was waiting for; ~340 with hushed sockets
// (perf stat on bench/firehose --feeds 50, docs/BENCHMARKS.md).
func (s *socket) hush(n int) {
	_ = s.rc.Control(func(fd uintptr) {
		_ = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVLOWAT, n)
	})
}

// pending is how many bytes the kernel holds for the socket, unread; 0 when
// it cannot tell.
func (s *socket) pending() int {
	var n int32
	_ = s.rc.Control(func(fd uintptr) {
		if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, fd, syscall.TIOCINQ, uintptr(unsafe.Pointer(&n))); e != 0 {
			n = 0
		}
	})
	return int(n)
}
