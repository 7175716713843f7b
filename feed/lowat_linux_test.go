package feed

import (
	"crypto/tls"
	"net"
	"syscall"
	"testing"
	"time"
)

func TestSocketHushAndPending(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		if c, err := l.Accept(); err == nil {
			accepted <- c
		}
	}()
	c, err := net.Dial("tcp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	server := <-accepted
	defer server.Close()
	mark := func() int {
		rc, err := c.(*net.TCPConn).SyscallConn()
		if err != nil {
			t.Fatal(err)
		}
		var v int
		var gerr error
		if err := rc.Control(func(fd uintptr) {
			v, gerr = syscall.GetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVLOWAT)
		}); err != nil || gerr != nil {
			t.Fatal(err, gerr)
		}
		return v
	}
	for name, conn := range map[string]net.Conn{"tcp": c, "tls over tcp": tls.Client(c, &tls.Config{})} {
		s := socketOf(conn)
		if s == nil {
			t.Fatalf("%s: no socket", name)
		}
		s.hush(16 << 10)
		if got := mark(); got != 16<<10 {
			t.Errorf("%s: low-water mark %d after hushing, want %d", name, got, 16<<10)
		}
		s.hush(1)
		if got := mark(); got != 1 {
			t.Errorf("%s: low-water mark %d after unhushing, want 1", name, got)
		}
	}

	s := socketOf(c)
	if n := s.pending(); n != 0 {
		t.Errorf("pending before any write: %d", n)
	}
	if _, err := server.Write([]byte("hello")); err != nil {
		t.Fatal(err)
	}
	// Loopback delivers at once; the loop only bounds a very slow machine.
	for end := time.Now().Add(5 * time.Second); s.pending() < 5 && time.Now().Before(end); {
		time.Sleep(time.Millisecond)
	}
	if n := s.pending(); n != 5 {
		t.Errorf("pending after a 5-byte write: %d", n)
	}

	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	if socketOf(a) != nil {
		t.Error("an in-memory pipe has no socket")
	}
}
