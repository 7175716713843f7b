//go:build !linux

package feed

import "net"

// socket is Linux's (see lowat_linux.go): elsewhere a socket's low-water
// mark does not govern the poller's wake-ups in the same way, and feeds
// coalesce reads as they do over HTTP/2.
type socket struct{}

func socketOf(net.Conn) *socket { return nil }
func (*socket) hush(int)        {}
func (*socket) pending() int    { return 0 }
