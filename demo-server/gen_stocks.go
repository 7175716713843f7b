package demoserver

import (
	"math"
	"math/rand/v2"
	"time"
)

// Quote is the data of a stocks "quote" event.
type Quote struct {
	Symbol    string  `json:"symbol"`
	Price     float64 `json:"price"`
	Change    float64 `json:"change"`     // since the session's open
	ChangePct float64 `json:"change_pct"` // percent since the open
	Volume    int64   `json:"volume"`     // shares traded this session
	Time      string  `json:"time"`
}

// listing is one simulated symbol; prices are near where these traded in
// 2024 so the table looks familiar, but every move is random.
type listing struct {
	symbol string
	base   float64
	vol    float64 // per-quote volatility
	open   float64
	price  float64
	volume int64
}

// Stocks simulates a dozen symbols with a seeded random walk.
type Stocks struct {
	rng  *rand.Rand
	syms []*listing
}

// NewStocks returns the stocks generator for seed.
func NewStocks(seed int64) *Stocks {
	g := &Stocks{rng: newRand(seed, 0x57)}
	for _, l := range []listing{
		{symbol: "AAPL", base: 227.50, vol: 0.0012},
		{symbol: "MSFT", base: 415.20, vol: 0.0011},
		{symbol: "GOOGL", base: 168.40, vol: 0.0014},
		{symbol: "AMZN", base: 186.90, vol: 0.0015},
		{symbol: "NVDA", base: 118.60, vol: 0.0030},
		{symbol: "META", base: 528.30, vol: 0.0018},
		{symbol: "TSLA", base: 241.10, vol: 0.0032},
		{symbol: "JPM", base: 211.70, vol: 0.0009},
		{symbol: "V", base: 279.40, vol: 0.0008},
		{symbol: "NFLX", base: 701.20, vol: 0.0017},
		{symbol: "AMD", base: 152.80, vol: 0.0028},
		{symbol: "DIS", base: 91.30, vol: 0.0013},
	} {
		l.open = round2(l.base * (1 + 0.02*(g.rng.Float64()-0.5)))
		l.price = l.open
		l.volume = 200_000 + g.rng.Int64N(5_000_000)
		g.syms = append(g.syms, &l)
	}
	return g
}

// Topic implements Generator.
func (g *Stocks) Topic() string { return TopicStocks }

// Next moves one random symbol and returns its quote.
func (g *Stocks) Next(now time.Time) []Message {
	l := g.syms[g.rng.IntN(len(g.syms))]
	// A log-normal step with a weak pull back towards the open keeps prices
	// wandering without drifting off over a long demo.
	pull := -0.02 * math.Log(l.price/l.open) * l.vol * 10
	l.price = round2(max(0.01, l.price*math.Exp(l.vol*g.rng.NormFloat64()+pull)))
	l.volume += 100 * (1 + g.rng.Int64N(500))
	change := round2(l.price - l.open)
	return []Message{{Event: "quote", Data: Quote{
		Symbol:    l.symbol,
		Price:     l.price,
		Change:    change,
		ChangePct: round2(100 * change / l.open),
		Volume:    l.volume,
		Time:      timestamp(now),
	}}}
}
