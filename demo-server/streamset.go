package demoserver

import (
	"net"
	"sync"
)

// streamSet tracks hijacked connections, which http.Server.Shutdown does not
// know about, so that shutdown can wait for them and, if it must, close them.
type streamSet struct {
	mu      sync.Mutex
	conns   map[net.Conn]struct{}
	closing bool
	wg      sync.WaitGroup
}

// add registers a stream; it reports false once shutdown has begun.
func (ss *streamSet) add(c net.Conn) bool {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.closing {
		return false
	}
	if ss.conns == nil {
		ss.conns = make(map[net.Conn]struct{})
	}
	ss.conns[c] = struct{}{}
	ss.wg.Add(1)
	return true
}

func (ss *streamSet) done(c net.Conn) {
	ss.mu.Lock()
	delete(ss.conns, c)
	ss.mu.Unlock()
	ss.wg.Done()
}

// close stops new streams and waits for the running ones to end, until
// deadline: then it closes their connections and waits for them to notice.
func (ss *streamSet) close(deadline <-chan struct{}) (forced bool) {
	ss.mu.Lock()
	ss.closing = true
	ss.mu.Unlock()
	finished := make(chan struct{})
	go func() { ss.wg.Wait(); close(finished) }()
	select {
	case <-finished:
		return false
	case <-deadline:
	}
	ss.mu.Lock()
	for c := range ss.conns {
		_ = c.Close()
	}
	ss.mu.Unlock()
	<-finished
	return true
}
