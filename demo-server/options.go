package demoserver

import (
	"errors"
	"fmt"
	"log/slog"
	"math"
	"time"
)

// AutoRate, as Options.Rate, gives every topic its own readable pace: stocks 4
// quotes/s, sports about 1 update/s, news a headline or notification every 4 s,
// jobs 4 progress reports/s per running job, metrics 1 sample/s per host.
const AutoRate = -1

// MaxHistory caps Options.History so that a typo cannot eat the machine's memory.
const MaxHistory = 1_000_000

// Options configures a Server; start from DefaultOptions and change what you need.
type Options struct {
	// Addr is the TCP address to listen on; "127.0.0.1:0" picks a free port.
	Addr string
	// Rate is the number of generation steps per second per topic (a jobs
	// step reports each running job, a metrics step each host); 0 turns the
	// generators off (events then come only from /publish and Publish), and
	// AutoRate gives each topic its natural pace.
	Rate float64
	// Seed makes the generated data deterministic; 0 picks a random seed (see
	// Server.Seed).
	Seed int64
	// Heartbeat is how long a connection may stay silent before the server sends
	// a comment line to keep it alive; 0 disables heartbeats.
	Heartbeat time.Duration
	// Retry is the reconnection delay sent to clients in the retry: field.
	Retry time.Duration
	// History is how many events per topic are kept for Last-Event-ID replay.
	History int
	// Chaos makes the server drop connections at random intervals and
	// occasionally stall them, so that clients' reconnect and resume can be seen.
	Chaos bool
	// ChaosInterval is the average time between misbehaviours under Chaos.
	ChaosInterval time.Duration
	// QueueSize is how many events may wait for one slow subscriber before it
	// is dropped (it then reconnects and resumes from the history).
	QueueSize int
	// WriteTimeout is how long one write to a subscriber may take before the
	// subscriber is dropped.
	WriteTimeout time.Duration
	// ShutdownTimeout bounds the graceful stop after the context is cancelled.
	ShutdownTimeout time.Duration
	// PublishToken, when set, is required on POST /publish as
	// "Authorization: Bearer <token>"; without it /publish is open to anyone
	// who can reach the server (on loopback, only to this machine).
	PublishToken string
	// Logger receives connection and error logs; nil discards them.
	Logger *slog.Logger
}

// DefaultOptions returns the options `livefeed demo-server` uses without flags.
func DefaultOptions() Options {
	return Options{
		Addr:            "127.0.0.1:8080",
		Rate:            AutoRate,
		Heartbeat:       15 * time.Second,
		Retry:           3 * time.Second,
		History:         1000,
		ChaosInterval:   12 * time.Second,
		QueueSize:       256,
		WriteTimeout:    10 * time.Second,
		ShutdownTimeout: 5 * time.Second,
	}
}

// Validate reports every problem with o at once; Start calls it too.
func (o Options) Validate() error {
	var errs []error
	if o.Addr == "" {
		errs = append(errs, errors.New("addr is empty"))
	}
	if o.Rate != AutoRate && (o.Rate < 0 || math.IsNaN(o.Rate) || math.IsInf(o.Rate, 0) || o.Rate > 100_000) {
		errs = append(errs, fmt.Errorf("rate %v: want 0 to 100000 events/s, or auto", o.Rate))
	}
	if o.Heartbeat < 0 || (o.Heartbeat > 0 && o.Heartbeat < 10*time.Millisecond) {
		errs = append(errs, fmt.Errorf("heartbeat %v: want 0 (off) or at least 10ms", o.Heartbeat))
	}
	if o.Retry < 0 || o.Retry > 24*time.Hour {
		errs = append(errs, fmt.Errorf("retry %v: want 0 to 24h", o.Retry))
	}
	if o.History < 0 || o.History > MaxHistory {
		errs = append(errs, fmt.Errorf("history %d: want 0 to %d events", o.History, MaxHistory))
	}
	if o.Chaos && o.ChaosInterval < time.Millisecond {
		errs = append(errs, fmt.Errorf("chaos interval %v: want at least 1ms", o.ChaosInterval))
	}
	if o.QueueSize < 1 {
		errs = append(errs, fmt.Errorf("queue size %d: want at least 1", o.QueueSize))
	}
	if o.WriteTimeout <= 0 {
		errs = append(errs, fmt.Errorf("write timeout %v: want more than 0", o.WriteTimeout))
	}
	if o.ShutdownTimeout <= 0 {
		errs = append(errs, fmt.Errorf("shutdown timeout %v: want more than 0", o.ShutdownTimeout))
	}
	if err := checkToken(o.PublishToken); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// checkToken accepts what a client can send after "Bearer ": visible ASCII
// without spaces (RFC 6750's token68 and then some), at most 1 KiB.
func checkToken(tok string) error {
	if len(tok) > 1024 {
		return fmt.Errorf("publish token is %d bytes long; at most 1024", len(tok))
	}
	for i := 0; i < len(tok); i++ {
		if tok[i] <= ' ' || tok[i] >= 0x7f {
			return errors.New("publish token: want visible ASCII characters only, no spaces")
		}
	}
	return nil
}
