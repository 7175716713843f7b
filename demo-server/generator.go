package demoserver

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"math"
	"math/rand/v2"
	"time"
)

// Message is one event a generator produces; the hub gives it its id.
type Message struct {
	Event string
	Data  any // marshalled to JSON
}

// Generator produces the simulated data of one topic. Its output depends only
// on its seed and the times it is given, which keeps it deterministic and
// testable without a server.
type Generator interface {
	// Topic is the topic the messages are published to.
	Topic() string
	// Next advances the simulation by one step and returns what happened.
	Next(now time.Time) []Message
}

// NewGenerators returns the generators of every topic, seeded with seed.
func NewGenerators(seed int64) []Generator {
	return []Generator{NewStocks(seed), NewSports(seed), NewNews(seed), NewJobs(seed), NewMetrics(seed)}
}

// autoRate is each topic's natural pace in steps per second under AutoRate.
// A jobs step reports every running job, a metrics step every host.
func autoRate(topic string) float64 {
	switch topic {
	case TopicStocks, TopicJobs:
		return 4
	case TopicSports, TopicMetrics:
		return 1
	default:
		return 0.25
	}
}

// newRand returns a generator's random source: one stream per seed and salt,
// so topics do not disturb each other's sequences.
func newRand(seed int64, salt uint64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(seed), salt))
}

// timestamp is the time format of every generated event.
func timestamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z07:00") }

func round2(x float64) float64 { return math.Round(x*100)/100 + 0 }

// maxStepsPerTick bounds a catch-up burst after the process was descheduled.
const maxStepsPerTick = 10_000

// runGenerator publishes g's messages at rate steps per second (jittered at
// readable rates so the demo does not tick like a metronome) until ctx ends or
// the hub closes.
func runGenerator(ctx context.Context, g Generator, rate float64, seed int64, publish func(topic, event string, data []byte) error, log *slog.Logger) {
	if rate == AutoRate {
		rate = autoRate(g.Topic())
	}
	if rate <= 0 {
		return
	}
	interval := time.Duration(float64(time.Second) / rate)
	jitter := newRand(seed, 0x6a17)
	step := func() time.Duration {
		if rate > 50 {
			return interval
		}
		return time.Duration(float64(interval) * (0.5 + jitter.Float64()))
	}
	// The first step comes soon but not at once, so that clients connecting
	// together with the server (the TUI's in-process demo) see it: the slow
	// news topic would otherwise leave their first seconds empty.
	first := min(interval/8, 500*time.Millisecond)
	next := time.Now().Add(first)
	timer := time.NewTimer(first)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		}
		now := time.Now()
		for n := 0; !next.After(now) && n < maxStepsPerTick; n++ {
			for _, m := range g.Next(now) {
				data, err := json.Marshal(m.Data)
				if err == nil {
					err = publish(g.Topic(), m.Event, data)
				}
				if errors.Is(err, errClosed) {
					return
				}
				if err != nil {
					log.Error("generator", "topic", g.Topic(), "err", err)
				}
			}
			next = next.Add(step())
		}
		if now.Sub(next) > time.Second {
			next = now // too far behind to catch up: carry on from here, no burst
		}
		timer.Reset(time.Until(next))
	}
}
