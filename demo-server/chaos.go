package demoserver

import (
	"math/rand/v2"
	"time"
)

// chaosPlan decides, per connection, when the server misbehaves on purpose
// (--chaos): it drops the connection abruptly or cleanly, or stalls it. It is
// seeded from the server seed and the connection number, so a run with the
// same seed and the same clients misbehaves the same way.
type chaosPlan struct {
	rng   *rand.Rand
	mean  time.Duration
	timer *time.Timer
}

func newChaosPlan(seed int64, conn uint64, mean time.Duration) *chaosPlan {
	p := &chaosPlan{rng: rand.New(rand.NewPCG(uint64(seed), conn)), mean: mean}
	p.timer = time.NewTimer(p.interval())
	return p
}

// interval is the time until the next misbehaviour: a third of the mean to
// five thirds of it (4 to 20 s by default), long enough to see the stream work
// in between.
func (p *chaosPlan) interval() time.Duration {
	return p.between(p.mean/3, p.mean*5/3)
}

// between returns a random duration in [lo, hi).
func (p *chaosPlan) between(lo, hi time.Duration) time.Duration {
	return lo + time.Duration(p.rng.Int64N(int64(hi-lo)))
}

// chaos performs the next misbehaviour and reports whether the stream goes on.
func (c *streamConn) chaos(p *chaosPlan) bool {
	switch roll := p.rng.IntN(100); {
	case roll < 40:
		// A network failure: the connection is reset mid-stream, which
		// clients see as an error rather than a clean end of stream.
		c.log().Info("chaos: resetting connection")
		c.abort()
		return false
	case roll < 65:
		c.log().Info("chaos: closing connection")
		c.end()
		return false
	default:
		// A stall (5 to 25 s by default) sometimes outlasts the heartbeat
		// interval, so clients that watch for silence get to see it too.
		// Events keep queueing meanwhile.
		d := p.between(p.mean*5/12, p.mean*25/12)
		c.log().Info("chaos: stalling", "for", d)
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
		case <-c.sub.kicked:
			c.log().Warn("dropped: client fell behind during a stall")
			c.end()
			return false
		case <-c.gone:
			c.conn.Close()
			return false
		case <-c.s.hub.done:
			c.shutdown()
			return false
		}
		p.timer.Reset(p.interval())
		return true
	}
}
