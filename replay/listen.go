package replay

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"
)

// Running is a replay server listening on a socket.
type Running struct {
	url  string
	done chan error
}

// URL is the server's base URL, like http://127.0.0.1:8080.
func (r *Running) URL() string { return r.url }

// FeedURL is the URL of the named feed's stream.
func (r *Running) FeedURL(name string) string { return r.url + Path(name) }

// Wait blocks until the server has stopped and returns why it failed, or nil
// when ctx ended it.
func (r *Running) Wait() error { return <-r.done }

// Done is closed when the server has stopped.
func (r *Running) Done() <-chan error { return r.done }

// shutdownTimeout bounds how long stopping waits: streams end with the
// context at once, so only a connection caught mid-request can hold it up,
// and the dashboard must be gone within a second of a signal.
const shutdownTimeout = 250 * time.Millisecond

// Start listens on addr (port 0 picks a free one) and serves s until ctx
// ends. Every stream's request context derives from ctx, so the long-lived
// streams end with it instead of holding the shutdown up.
func (s *Server) Start(ctx context.Context, addr string) (*Running, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	hs := &http.Server{
		Handler:           s,
		BaseContext:       func(net.Listener) context.Context { return ctx },
		ReadHeaderTimeout: 10 * time.Second,
	}
	r := &Running{url: "http://" + ln.Addr().String(), done: make(chan error, 1)}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	go func() {
		var err error
		select {
		case <-ctx.Done():
			sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
			err = hs.Shutdown(sctx)
			cancel()
			if errors.Is(err, context.DeadlineExceeded) {
				err = hs.Close()
			}
			<-served
		case err = <-served:
		}
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		r.done <- err
		close(r.done)
	}()
	return r, nil
}
