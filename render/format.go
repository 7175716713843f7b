// Package render turns payload values into display text: number, percent,
// currency, compact, byte, duration and time formats, printf verbs, sign and
// severity classification, sparklines and "{path}" text templates.
//
// Everything here is a pure function of its inputs (the clock and time zone
// come in through Context), so the UI can call it per event and tests can pin
// every result. Output is always sanitized: feed data is untrusted and must
// never reach the terminal as control sequences.
package render

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/tidwall/gjson"
	"github.com/tidwall/pretty"
)

// Context carries what time-dependent formats render against.
type Context struct {
	// Now is the reference for relative times ("5s ago").
	Now time.Time
	// Loc is the zone times are shown in; nil means time.Local.
	Loc *time.Location
}

func (c Context) loc() *time.Location {
	if c.Loc == nil {
		return time.Local
	}
	return c.Loc
}

// Kind names a family of formats.
type Kind string

// The format families a spec can name.
const (
	Printf   Kind = "printf"   // any spec containing '%', e.g. "%.2f", "%d pts"
	Number   Kind = "number"   // 12,345.68
	Percent  Kind = "percent"  // +1.23% (the value is already in percent units)
	Currency Kind = "currency" // $1,234.50, €3.10, CHF 12.00
	Compact  Kind = "compact"  // 1.2K, 3.4M, 5.6B, 7.8T
	Bytes    Kind = "bytes"    // 512 B, 1.5 KiB, 3 MiB
	Duration Kind = "duration" // 850ms, 4.5s, 3m05s, 1h02m, 2d03h
	Time     Kind = "time"     // 15:04:05 in the local zone, or a Go layout
	Relative Kind = "relative" // 5s ago, in 3m
)

// Kinds lists the named format families (Printf is implied by a '%').
func Kinds() []Kind {
	return []Kind{Number, Percent, Currency, Compact, Bytes, Duration, Time, Relative}
}

// Format is a compiled column or template format; the zero value is unusable,
// build one with Parse.
type Format struct {
	spec     string
	kind     Kind
	decimals int    // -1: automatic
	symbol   string // currency prefix
	unit     time.Duration
	layout   string
	verb     byte // printf verb
}

// SyntaxError reports a malformed format spec or template; Offset is the byte
// offset in the text where the problem starts.
type SyntaxError struct {
	Offset int
	Msg    string
}

// Error returns the message without the offset, which callers turn into a
// line and column.
func (e *SyntaxError) Error() string { return e.Msg }

func errAt(off int, format string, args ...any) *SyntaxError {
	return &SyntaxError{Offset: off, Msg: fmt.Sprintf(format, args...)}
}

const maxDecimals = 10

// Parse compiles a format spec: a printf pattern with one verb ("%.2f",
// "%d pts"), or NAME[:ARG] where NAME is one of Kinds():
//
//	number[:D]           thousands separators, D decimals (default: 0 for whole numbers, else 2)
//	percent[:D]          signed percent of a value already in percent units, D decimals (default 2)
//	currency[:CUR][:D]   CUR is an ISO code (USD, EUR, GBP, JPY, …) or a symbol; default USD
//	compact[:D]          1.2K / 3.4M / 5.6B / 7.8T with at most D decimals (default 1)
//	bytes[:D]            IEC sizes, at most D decimals (default 1)
//	duration[:UNIT]      numbers are in UNIT (ns, us, ms, s, m, h; default s); strings like "1m30s" too
//	time[:LAYOUT]        RFC 3339 strings or unix seconds/ms/µs/ns; LAYOUT is a Go layout or
//	                     date, datetime, rfc3339, kitchen (default 15:04:05)
//	relative             a time as "5s ago" / "in 3m"
func Parse(spec string) (*Format, error) {
	if strings.Contains(spec, "%") {
		return parsePrintf(spec)
	}
	name, arg, hasArg := strings.Cut(spec, ":")
	f := &Format{spec: spec, kind: Kind(name), decimals: -1}
	argOff := len(name) + 1
	switch f.kind {
	case Number, Percent, Compact, Bytes:
		if hasArg {
			d, err := parseDecimals(arg, argOff)
			if err != nil {
				return nil, err
			}
			f.decimals = d
		}
	case Currency:
		f.symbol = "$"
		if hasArg {
			cur, dec, hasDec := strings.Cut(arg, ":")
			if !hasDec && isDigits(cur) {
				cur, dec, hasDec = "", cur, true
			}
			if cur != "" {
				sym, d, err := currencySymbol(cur, argOff)
				if err != nil {
					return nil, err
				}
				f.symbol, f.decimals = sym, d
			}
			if hasDec {
				d, err := parseDecimals(dec, argOff+len(cur)+1)
				if err != nil {
					return nil, err
				}
				f.decimals = d
			}
		}
	case Duration:
		f.unit = time.Second
		if hasArg {
			u, ok := durationUnits()[arg]
			if !ok {
				return nil, errAt(argOff, "unknown duration unit %q (want ns, us, ms, s, m or h)", arg)
			}
			f.unit = u
		}
	case Time:
		f.layout = "15:04:05"
		if hasArg {
			if arg == "" {
				return nil, errAt(argOff, "empty time layout (write time, or time:LAYOUT such as time:2006-01-02)")
			}
			if l, ok := namedLayouts()[arg]; ok {
				f.layout = l
			} else {
				if !strings.ContainsAny(arg, "0123456789") {
					return nil, errAt(argOff, "time layout %q has no date or time fields (Go layouts use the reference time 2006-01-02 15:04:05, or one of date, datetime, rfc3339, kitchen)", arg)
				}
				f.layout = arg
			}
		}
	case Relative:
		if hasArg {
			return nil, errAt(argOff, "relative takes no argument")
		}
	default:
		if name == "" {
			return nil, errAt(0, "empty format")
		}
		msg := fmt.Sprintf("unknown format %q (want a printf pattern like %%.2f, or one of %s)", name, kindList())
		return nil, errAt(0, "%s", msg)
	}
	return f, nil
}

func kindList() string {
	ks := Kinds()
	s := make([]string, len(ks))
	for i, k := range ks {
		s[i] = string(k)
	}
	return strings.Join(s, ", ")
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func parseDecimals(s string, off int) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > maxDecimals {
		return 0, errAt(off, "decimals must be a whole number from 0 to %d, got %q", maxDecimals, s)
	}
	return n, nil
}

func durationUnits() map[string]time.Duration {
	return map[string]time.Duration{
		"ns": time.Nanosecond, "us": time.Microsecond, "µs": time.Microsecond,
		"ms": time.Millisecond, "s": time.Second, "m": time.Minute, "h": time.Hour,
	}
}

func namedLayouts() map[string]string {
	return map[string]string{
		"date":     "2006-01-02",
		"datetime": "2006-01-02 15:04:05",
		"rfc3339":  time.RFC3339,
		"kitchen":  time.Kitchen,
		"clock":    "15:04:05",
	}
}

// currencySymbol maps an ISO code to its usual prefix and decimals; any other
// short text is used as the prefix itself.
func currencySymbol(cur string, off int) (string, int, error) {
	known := map[string]struct {
		sym string
		dec int
	}{
		"USD": {"$", -1}, "EUR": {"€", -1}, "GBP": {"£", -1}, "JPY": {"¥", 0},
		"CNY": {"¥", -1}, "INR": {"₹", -1}, "KRW": {"₩", 0}, "CHF": {"CHF ", -1},
		"CAD": {"CA$", -1}, "AUD": {"A$", -1}, "BRL": {"R$", -1}, "RUB": {"₽", -1},
		"BTC": {"₿", 8}, "ETH": {"Ξ", 6},
	}
	if k, ok := known[strings.ToUpper(cur)]; ok {
		return k.sym, k.dec, nil
	}
	if len(cur) == 3 && strings.ToUpper(cur) == cur && isLetters(cur) {
		return cur + " ", -1, nil
	}
	if len([]rune(cur)) > 4 || strings.ContainsAny(cur, "0123456789") {
		return "", 0, errAt(off, "currency %q: want an ISO code like USD or EUR, or a symbol of at most 4 characters", cur)
	}
	return cur, -1, nil
}

func isLetters(s string) bool {
	for _, r := range s {
		if (r < 'A' || r > 'Z') && (r < 'a' || r > 'z') {
			return false
		}
	}
	return s != ""
}

// parsePrintf accepts text with exactly one verb; %% is a literal percent.
func parsePrintf(spec string) (*Format, error) {
	f := &Format{spec: spec, kind: Printf, decimals: -1}
	verbs := 0
	for i := 0; i < len(spec); i++ {
		if spec[i] != '%' {
			continue
		}
		start := i
		i++
		if i < len(spec) && spec[i] == '%' {
			continue
		}
		for i < len(spec) && strings.IndexByte("+-# 0", spec[i]) >= 0 {
			i++
		}
		for i < len(spec) && spec[i] >= '0' && spec[i] <= '9' {
			i++
		}
		if i < len(spec) && spec[i] == '.' {
			i++
			for i < len(spec) && spec[i] >= '0' && spec[i] <= '9' {
				i++
			}
		}
		if i >= len(spec) {
			return nil, errAt(start, "printf verb %q is incomplete (e.g. %%.2f, %%d, %%s; write %%%% for a literal %%)", spec[start:])
		}
		if strings.IndexByte("dfFeEgGxXobsqv", spec[i]) < 0 {
			return nil, errAt(start, "printf verb %q is not supported (use d, f, e, g, x, o, b, s, q or v; write %%%% for a literal %%)", spec[start:i+1])
		}
		if i-start > 12 {
			return nil, errAt(start, "printf verb %q is too wide", spec[start:i+1])
		}
		verbs++
		if verbs > 1 {
			return nil, errAt(start, "printf format %q has more than one verb; a format shows one value", spec)
		}
		f.verb = spec[i]
	}
	if verbs == 0 {
		return nil, errAt(0, "printf format %q has no verb (e.g. %%.2f, %%d or %%s; %%%% is a literal %%)", spec)
	}
	return f, nil
}

// String returns the spec the format was parsed from.
func (f *Format) String() string { return f.spec }

// Kind reports the format's family.
func (f *Format) Kind() Kind { return f.kind }

// Numeric reports whether the format renders numbers, so that tables can
// right-align its column.
func (f *Format) Numeric() bool {
	switch f.kind {
	case Time, Relative:
		return false
	case Printf:
		return f.verb != 's' && f.verb != 'q' && f.verb != 'v'
	}
	return true
}

// Apply renders v; values the format cannot interpret (text in a number
// column, a malformed time) are shown as they are rather than hidden.
func (f *Format) Apply(v gjson.Result, c Context) string {
	if f == nil {
		return Value(v)
	}
	if !v.Exists() || v.Type == gjson.Null {
		return ""
	}
	switch f.kind {
	case Printf:
		return f.printf(v)
	case Time, Relative:
		t, ok := toTime(v, c.loc())
		if !ok {
			return Value(v)
		}
		if f.kind == Relative {
			return Ago(c.Now.Sub(t))
		}
		return Sanitize(t.In(c.loc()).Format(f.layout))
	case Duration:
		if v.Type == gjson.String {
			if d, err := time.ParseDuration(strings.TrimSpace(v.Str)); err == nil {
				return FormatDuration(d)
			}
		}
		n, ok := Float(v)
		if !ok || math.Abs(n*float64(f.unit)) > math.MaxInt64 {
			return Value(v)
		}
		return FormatDuration(time.Duration(n * float64(f.unit)))
	}
	n, ok := Float(v)
	if !ok {
		return Value(v)
	}
	switch f.kind {
	case Number:
		d := f.decimals
		if d < 0 {
			d = 2
			if n == math.Trunc(n) {
				d = 0
			}
		}
		return groupThousands(strconv.FormatFloat(n, 'f', d, 64))
	case Percent:
		d := f.decimals
		if d < 0 {
			d = 2
		}
		s := strconv.FormatFloat(n, 'f', d, 64)
		switch {
		case isZeroText(s):
			return strings.TrimPrefix(s, "-") + "%"
		case n > 0:
			return "+" + s + "%"
		}
		return s + "%"
	case Currency:
		d := f.decimals
		if d < 0 {
			d = 2
		}
		s := groupThousands(strconv.FormatFloat(math.Abs(n), 'f', d, 64))
		if n < 0 && !isZeroText(s) {
			return "-" + f.symbol + s
		}
		return f.symbol + s
	case Compact:
		return compact(n, f.decimals)
	case Bytes:
		return bytesIEC(n, f.decimals)
	}
	return Value(v)
}

func isZeroText(s string) bool {
	return strings.Trim(s, "-0.") == ""
}

func (f *Format) printf(v gjson.Result) string {
	switch f.verb {
	case 's', 'q', 'v':
		return Sanitize(fmt.Sprintf(f.spec, Value(v)))
	}
	n, ok := Float(v)
	if !ok {
		return Value(v)
	}
	switch f.verb {
	case 'd', 'x', 'X', 'o', 'b':
		if math.IsNaN(n) || math.Abs(n) > 1<<62 {
			return Value(v)
		}
		return Sanitize(fmt.Sprintf(f.spec, int64(math.Round(n))))
	}
	return Sanitize(fmt.Sprintf(f.spec, n))
}

// Value renders v as is: strings without quotes, numbers as written, objects
// and arrays as compact JSON, a missing value and JSON null as "".
func Value(v gjson.Result) string {
	switch v.Type {
	case gjson.String:
		return Sanitize(v.Str)
	case gjson.Null:
		return "" // missing, or JSON null: nothing to show
	case gjson.JSON:
		return Sanitize(string(pretty.Ugly([]byte(v.Raw))))
	}
	return Sanitize(v.Raw)
}

// Float reads a number from a JSON number or a numeric string ("12.5").
func Float(v gjson.Result) (float64, bool) {
	switch v.Type {
	case gjson.Number:
		return v.Num, !math.IsNaN(v.Num)
	case gjson.String:
		n, err := strconv.ParseFloat(strings.TrimSpace(v.Str), 64)
		if err != nil || math.IsNaN(n) || math.IsInf(n, 0) {
			return 0, false
		}
		return n, true
	}
	return 0, false
}

// Sign classifies v as positive (+1), negative (-1) or zero (0); ok is false
// for values that are not numbers. Strings like "+1.2%" or "-3 pts" count by
// their leading sign.
func Sign(v gjson.Result) (sign int, ok bool) {
	if n, isNum := Float(v); isNum {
		switch {
		case n > 0:
			return 1, true
		case n < 0:
			return -1, true
		}
		return 0, true
	}
	if v.Type == gjson.String {
		s := strings.TrimSpace(v.Str)
		if len(s) >= 2 && s[1] >= '0' && s[1] <= '9' {
			switch s[0] {
			case '+':
				return 1, true
			case '-':
				return -1, true
			}
		}
	}
	return 0, false
}

// groupThousands inserts commas into the integer part of a formatted number.
func groupThousands(s string) string {
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	intPart, frac, hasFrac := strings.Cut(s, ".")
	if len(intPart) > 3 && isDigits(intPart) {
		var b strings.Builder
		lead := len(intPart) % 3
		if lead > 0 {
			b.WriteString(intPart[:lead])
		}
		for i := lead; i < len(intPart); i += 3 {
			if b.Len() > 0 {
				b.WriteByte(',')
			}
			b.WriteString(intPart[i : i+3])
		}
		intPart = b.String()
	}
	if hasFrac {
		intPart += "." + frac
	}
	if neg && !isZeroText(s) {
		return "-" + intPart
	}
	return intPart
}

// trimFloat formats n with at most d decimals, dropping trailing zeros.
func trimFloat(n float64, d int) string {
	s := strconv.FormatFloat(n, 'f', d, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

func compact(n float64, d int) string {
	return scaled(n, d, 1000, []string{"", "K", "M", "B", "T"}, "", false)
}

func bytesIEC(n float64, d int) string {
	return scaled(n, d, 1024, []string{"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}, " ", true)
}

// scaled divides n by base until it is below base, then writes it with at
// most d decimals (1 when d < 0) and the unit; wholeUnit shows the first,
// unscaled unit without decimals (512 B, not 512.5 B).
func scaled(n float64, d int, base float64, units []string, sep string, wholeUnit bool) string {
	if d < 0 {
		d = 1
	}
	if math.IsInf(n, 0) {
		return strconv.FormatFloat(n, 'f', -1, 64)
	}
	abs := math.Abs(n)
	i := 0
	for i < len(units)-1 && abs >= base {
		abs /= base
		i++
	}
	// Rounding can carry into the next unit: 999,950 is "1M", not "1000K".
	if r, _ := strconv.ParseFloat(strconv.FormatFloat(abs, 'f', d, 64), 64); r >= base && i < len(units)-1 {
		abs /= base
		i++
	}
	if i == 0 && wholeUnit {
		d = 0
	}
	s := trimFloat(abs, d)
	if n < 0 && s != "0" {
		s = "-" + s
	}
	return s + sep + units[i]
}

// FormatDuration renders d compactly with at most two units: 850ms, 4.5s,
// 3m05s, 1h02m, 2d03h.
func FormatDuration(d time.Duration) string {
	if d < 0 {
		if d == math.MinInt64 {
			d++
		}
		return "-" + FormatDuration(-d)
	}
	if d == 0 {
		return "0s"
	}
	if d < time.Microsecond {
		return strconv.FormatInt(int64(d), 10) + "ns"
	}
	// Each step rounds for display; a value that rounds up to the next
	// unit ("1000ms", "60s") moves on to it.
	if d < time.Millisecond {
		if s := trimFloat(float64(d)/float64(time.Microsecond), 1); s != "1000" {
			return s + "µs"
		}
		d = time.Millisecond
	}
	if d < time.Second {
		if s := trimFloat(float64(d)/float64(time.Millisecond), 1); s != "1000" {
			return s + "ms"
		}
		d = time.Second
	}
	if d < time.Minute {
		if s := trimFloat(float64(d)/float64(time.Second), 1); s != "60" {
			return s + "s"
		}
		d = time.Minute
	}
	if d < time.Hour {
		if r := d.Round(time.Second); r < time.Hour {
			return fmt.Sprintf("%dm%02ds", r/time.Minute, (r%time.Minute)/time.Second)
		}
		d = time.Hour
	}
	const day = 24 * time.Hour
	if d < day {
		if r := d.Round(time.Minute); r < day {
			return fmt.Sprintf("%dh%02dm", r/time.Hour, (r%time.Hour)/time.Minute)
		}
		d = day
	}
	d = d.Round(time.Hour)
	return fmt.Sprintf("%dd%02dh", d/day, (d%day)/time.Hour)
}

// Ago renders how long ago (positive) or until (negative) a time is:
// "now", "5s ago", "3m ago", "in 2h".
func Ago(ago time.Duration) string {
	future := ago < 0
	if future {
		ago = -ago
	}
	var s string
	switch {
	case ago < time.Second:
		return "now"
	case ago < time.Minute:
		s = fmt.Sprintf("%ds", ago/time.Second)
	case ago < time.Hour:
		s = fmt.Sprintf("%dm", ago/time.Minute)
	case ago < 24*time.Hour:
		s = fmt.Sprintf("%dh", ago/time.Hour)
	default:
		s = fmt.Sprintf("%dd", ago/(24*time.Hour))
	}
	if future {
		return "in " + s
	}
	return s + " ago"
}

// toTime reads RFC 3339 strings, a few common layouts, and unix timestamps in
// seconds, milliseconds, microseconds or nanoseconds (told apart by size).
func toTime(v gjson.Result, loc *time.Location) (time.Time, bool) {
	if v.Type == gjson.String {
		s := strings.TrimSpace(v.Str)
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			return t, true
		}
		for _, l := range []string{"2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02"} {
			if t, err := time.ParseInLocation(l, s, loc); err == nil {
				return t, true
			}
		}
	}
	n, ok := Float(v)
	if !ok || math.IsInf(n, 0) {
		return time.Time{}, false
	}
	abs := math.Abs(n)
	switch {
	case abs < 1e11:
		sec, frac := math.Modf(n)
		return time.Unix(int64(sec), int64(frac*1e9)), true
	case abs < 1e14:
		return time.UnixMilli(int64(n)), true
	case abs < 1e17:
		return time.UnixMicro(int64(n)), true
	case abs < 9.2e18:
		return time.Unix(0, int64(n)), true
	}
	return time.Time{}, false
}
