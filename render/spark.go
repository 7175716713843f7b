package render

import (
	"math"
	"strings"
)

// Spark draws the last width values as a sparkline of block characters
// scaled between their minimum and maximum; NaN and infinite values are
// skipped, and a flat series is drawn at mid height.
func Spark(values []float64, width int) string {
	values = lastN(values, width)
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range values {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		lo = math.Min(lo, v)
		hi = math.Max(hi, v)
	}
	return drawSpark(values, lo, hi)
}

// SparkIn draws the last width values on a fixed scale [lo, hi]: a value
// below lo takes the lowest bar and one above hi the highest, so the line
// shows where values stand against known bounds (0–100%, a price band).
func SparkIn(values []float64, width int, lo, hi float64) string {
	return drawSpark(lastN(values, width), lo, hi)
}

func lastN(values []float64, width int) []float64 {
	if width <= 0 {
		return nil
	}
	if len(values) > width {
		return values[len(values)-width:]
	}
	return values
}

func drawSpark(values []float64, lo, hi float64) string {
	const bars = "▁▂▃▄▅▆▇█"
	levels := []rune(bars)
	var b strings.Builder
	b.Grow(len(values) * 3)
	for _, v := range values {
		switch {
		case math.IsNaN(v) || math.IsInf(v, 0):
			b.WriteRune(' ')
		case hi == lo:
			b.WriteRune(levels[3])
		default:
			x := math.Min(math.Max((v-lo)/(hi-lo), 0), 1)
			b.WriteRune(levels[int(math.Round(x*float64(len(levels)-1)))])
		}
	}
	return b.String()
}
