package demoserver

import (
	"math"
	"math/rand/v2"
	"time"
)

// Metric is the data of a metrics "metric" event: one host's sample.
type Metric struct {
	Host   string  `json:"host"`
	CPUPct float64 `json:"cpu_pct"` // 0 to 100
	MemPct float64 `json:"mem_pct"` // 0 to 100
	Conns  int     `json:"conns"`   // open connections
	RPS    float64 `json:"rps"`     // requests (queries on db hosts) per second
	P99MS  float64 `json:"p99_ms"`  // 99th percentile latency
	Time   string  `json:"time"`
}

// hostBase is a host's normal load, around which its metrics wander.
type hostBase struct {
	name              string
	cpu, mem, rps, ms float64
	conns             float64
}

var metricHosts = []hostBase{
	{name: "web-1", cpu: 34, mem: 52, rps: 1150, ms: 48, conns: 420},
	{name: "web-2", cpu: 29, mem: 47, rps: 980, ms: 55, conns: 360},
	{name: "db-1", cpu: 41, mem: 68, rps: 2400, ms: 9, conns: 96},
}

// hostState is where one host's metrics are now.
type hostState struct {
	base          hostBase
	cpu, mem, rps float64
	ms, conns     float64
	spike         int     // steps left in a load spike, 0 when none
	spikeLen      int     // the spike's length, to ramp up and down
	peak          float64 // how hard this spike hits: 1 is a full one
}

// Metrics simulates three hosts (two web servers and a database) sampled
// once per step: their numbers wander around a normal load, memory creeps up
// until the host "restarts", and now and then one host takes a load spike
// (CPU above 90%, latency several times its normal) for 8 to 20 steps, so
// that alert rules and thresholds have something to fire on.
type Metrics struct {
	rng     *rand.Rand
	hosts   []*hostState
	steps   int
	firstAt int // the step by which the first spike starts
}

// NewMetrics returns the metrics generator for seed.
func NewMetrics(seed int64) *Metrics {
	g := &Metrics{rng: newRand(seed, 0x3e7)}
	g.firstAt = 5 + g.rng.IntN(10)
	for _, b := range metricHosts {
		g.hosts = append(g.hosts, &hostState{base: b, cpu: b.cpu, mem: b.mem + 8*g.rng.Float64(), rps: b.rps, ms: b.ms, conns: b.conns})
	}
	return g
}

// Topic implements Generator.
func (g *Metrics) Topic() string { return TopicMetrics }

// Next returns one sample per host, in the same host order every step.
func (g *Metrics) Next(now time.Time) []Message {
	g.steps++
	// A spike about every 25 steps somewhere, and the first within 15, so
	// that a demo shows one soon after start.
	if !g.anySpike() && (g.rng.IntN(25) == 0 || g.steps == g.firstAt) {
		h := g.hosts[g.rng.IntN(len(g.hosts))]
		h.spikeLen = 8 + g.rng.IntN(13)
		h.spike = h.spikeLen
		h.peak = 0.9 + 0.1*g.rng.Float64()
		g.firstAt = 0
	}
	out := make([]Message, 0, len(g.hosts))
	for _, h := range g.hosts {
		out = append(out, Message{Event: "metric", Data: g.sample(h, now)})
	}
	return out
}

func (g *Metrics) anySpike() bool {
	for _, h := range g.hosts {
		if h.spike > 0 {
			return true
		}
	}
	return false
}

// sample moves h one step: each figure is pulled back towards its target
// (normal load, or the spike's) with some noise.
func (g *Metrics) sample(h *hostState, now time.Time) Metric {
	b := h.base
	load := 0.0 // 0 normal, 1 full spike
	if h.spike > 0 {
		// Up in two steps, down in the last three.
		in := h.spikeLen - h.spike
		load = h.peak * min(1, float64(in+1)/2, float64(h.spike)/3)
		h.spike--
	}
	pull := func(cur, target, noise float64) float64 {
		return cur + 0.6*(target-cur) + noise*g.rng.NormFloat64()
	}
	h.cpu = pull(h.cpu, b.cpu+load*(101-b.cpu), 3)
	h.rps = pull(h.rps, b.rps*(1+1.3*load), b.rps*0.04)
	h.conns = pull(h.conns, b.conns*(1+0.9*load), b.conns*0.03)
	h.ms = pull(h.ms, b.ms*(1+9*load*load), b.ms*0.08)
	// Memory creeps up (a leak, or caches filling) and falls back when the
	// host restarts near the top.
	h.mem += 0.04 + 0.15*g.rng.Float64() + 0.2*load
	if h.mem > 93 {
		h.mem = b.mem + 4*g.rng.Float64()
		h.conns *= 0.3
	}
	return Metric{
		Host:   b.name,
		CPUPct: round1(clamp(h.cpu, 1, 100)),
		MemPct: round1(clamp(h.mem, 1, 100)),
		Conns:  int(math.Round(max(0, h.conns))),
		RPS:    round1(max(0, h.rps)),
		P99MS:  round1(max(0.5, h.ms)),
		Time:   timestamp(now),
	}
}

func clamp(x, lo, hi float64) float64 { return min(hi, max(lo, x)) }

func round1(x float64) float64 { return math.Round(x*10)/10 + 0 }
