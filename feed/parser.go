package feed

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"
	"unicode/utf8"
	"unsafe"
)

// Event is one dispatched server-sent event, as a browser's MessageEvent sees it.
type Event struct {
	Type string // the event type; "message" when the stream named none
	Data string // the data lines joined with "\n"
	ID   string // the last event ID in force when the event was dispatched
}

// ErrEventTooLarge reports an event or line longer than the parser's limit.
var ErrEventTooLarge = errors.New("event exceeds the maximum event size")

// maxRetry keeps a server's retry: value representable as a time.Duration.
const maxRetry = time.Duration(math.MaxInt64)

// Parser interprets an event stream exactly as WHATWG HTML's "event stream
// interpretation" does, fed in chunks of any size. It is not safe for
// concurrent use; a Feed owns one per connection.
type Parser struct {
	max     int         // upper bound on a pending line and on the data buffer
	onEvent func(Event) // called for each dispatched event, unless sink is set
	// sink, when set, is where events are appended instead: the runner's
	// batch. With deliver called through onEvent (a method value) to append
	// there, BenchmarkClient spent 1,134 instructions per event in Write,
	// with this 1,085 (callgrind, GOGC=off).
	sink    *[]Event
	onRetry func(time.Duration)

	started  bool     // the leading BOM has been looked for
	skipLF   bool     // the previous chunk ended in CR: a leading LF belongs to it
	noCR     bool     // the chunk being parsed has no CR: lines end at LF only
	valid    bool     // the chunk being parsed is valid UTF-8 as a whole
	carry    []byte   // the start of a line not yet ended, while small
	chunks   [][]byte // ... and once it is big: see hold
	held     int      // bytes in chunks
	data     []byte
	typ      []byte
	idBuf    []byte // the last event ID buffer
	id       string // idBuf as a string, made at dispatch when idBuf changed: the source's last event ID
	idDirty  bool
	typName  string    // last dispatched type, reused to avoid an allocation per event
	types    [8]string // recent distinct types, see internType
	nextType int
	scratch  []byte // decoding space for lines that are not valid UTF-8
}

// NewParser returns a parser that calls onEvent for every dispatched event and
// onRetry (if not nil) for every valid retry field; maxEventSize bounds the
// memory a stream can make it hold (0 means no bound).
func NewParser(maxEventSize int, onEvent func(Event), onRetry func(time.Duration)) *Parser {
	if maxEventSize <= 0 {
		maxEventSize = math.MaxInt
	}
	return &Parser{max: maxEventSize, onEvent: onEvent, onRetry: onRetry, typName: "message"}
}

// Reset prepares the parser for a new connection. The last event ID survives
// reconnection, as in browsers, so it seeds the new stream's ID buffer.
func (p *Parser) Reset(lastEventID string) {
	p.started, p.skipLF = false, false
	p.carry, p.data, p.typ = release(p.carry), release(p.data), p.typ[:0]
	p.chunks, p.held = nil, 0
	p.idBuf = append(p.idBuf[:0], lastEventID...)
	p.id, p.idDirty = lastEventID, false
}

// LastEventID is the source's last event ID: the ID buffer as of the most
// recent dispatch point, whether or not an event was dispatched there.
// That is id: it changes only at a dispatch point.
func (p *Parser) LastEventID() string { return p.id }

// Write parses the next chunk of the stream. It returns ErrEventTooLarge when
// the stream exceeds the size bound; the parser must then be Reset.
func (p *Parser) Write(b []byte) error {
	if !p.started {
		var ok bool
		if b, ok = p.stripBOM(b); !ok {
			return nil
		}
	}
	if p.skipLF && len(b) > 0 {
		p.skipLF = false
		if b[0] == '\n' {
			b = b[1:]
		}
	}
	// One scan per chunk spares a CR search per line in the usual LF streams.
	p.noCR = bytes.IndexByte(b, '\r') < 0
	p.valid = utf8.Valid(b)
	for len(b) > 0 {
		if p.noCR && p.valid && p.pending() == 0 {
			rest, err := p.lfLines(b)
			if err != nil {
				return err
			}
			if len(rest) > p.max {
				return p.tooLarge()
			}
			p.hold(rest)
			return nil
		}
		i := p.lineEnd(b)
		if i < 0 {
			if p.pending()+len(b) > p.max {
				return p.tooLarge()
			}
			p.hold(b)
			return nil
		}
		if p.pending()+i > p.max {
			return p.tooLarge()
		}
		line := b[:i]
		valid, owned := p.valid, false
		if len(p.chunks) > 0 {
			p.carry = p.unchunk(line)
			line, owned = p.carry, true
			valid = utf8.Valid(line)
		} else if len(p.carry) > 0 {
			p.carry = append(p.carry, line...)
			line, owned = p.carry, true
			valid = utf8.Valid(line)
		}
		if b[i] == '\r' {
			if i+1 == len(b) {
				p.skipLF = true
			} else if b[i+1] == '\n' {
				i++
			}
		}
		b = b[i+1:]
		if err := p.line(line, valid, owned); err != nil {
			return err
		}
		p.carry = release(p.carry)
	}
	return nil
}

// lfLines parses the complete lines of b when nothing is pending and b has
// no CR and is valid UTF-8 (the usual chunk), and returns the unended rest.
// It is line's work for that case with fewer calls and branches per line:
// the field names are compared as constants (fieldOf's compare with a
// variable name was a memequal call per line), and the data, event and id
// lines are handled here, the rest (retry, names without a colon, unknown
// fields) by line. With the dispatch changes beside it, this took
// BenchmarkParse from 1,800 to 1,200 instructions per event (callgrind,
// GOGC=off, counted inside Write); handling the three fields in this loop
// rather than in a function called per line, 1,147 → 1,064.
func (p *Parser) lfLines(b []byte) ([]byte, error) {
	for len(b) > 0 {
		if b[0] == '\n' {
			// The blank line that ends each event, without a call to
			// IndexByte (one call in four; BenchmarkParse: 1,203 → 1,191
			// instructions per event in callgrind).
			b = b[1:]
			p.dispatch()
			continue
		}
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			return b, nil
		}
		if i > p.max {
			return nil, p.tooLarge()
		}
		line := b[:i]
		b = b[i+1:]
		switch line[0] {
		case 'd':
			if len(line) >= 5 && string(line[:5]) == "data:" {
				v := fieldValue(line[5:])
				if len(p.data)+len(v)+1 > p.max {
					return nil, p.tooLarge()
				}
				n := len(p.data)
				if cap(p.data)-n <= len(v) {
					p.data = slices.Grow(p.data, len(v)+1)
				}
				p.data = p.data[:n+len(v)+1]
				copy(p.data[n:], v)
				p.data[n+len(v)] = '\n'
				continue
			}
		case 'i':
			if len(line) >= 3 && string(line[:3]) == "id:" {
				v := fieldValue(line[3:])
				p.setID(v)
				continue
			}
		case 'e':
			if len(line) >= 6 && string(line[:6]) == "event:" {
				v := fieldValue(line[6:])
				setBytes(&p.typ, v)
				continue
			}
		case ':':
			continue
		}
		if err := p.line(line, true, false); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// setID is the id field: a value with NUL is ignored. The value is taken
// without comparing it with the buffer: ids mostly change from event to
// event, and at dispatch a new ID costs only its bytes in the event's own
// allocation, while the compare was ~45 of BenchmarkParse's 1,190
// instructions per event.
func (p *Parser) setID(v []byte) {
	if bytes.IndexByte(v, 0) < 0 {
		setBytes(&p.idBuf, v)
		p.idDirty = true
	}
}

// setBytes copies v into *dst. Unlike *dst = append((*dst)[:0], v...) it
// stores the slice's pointer only when it grows: a pointer store is a write
// barrier while the GC marks, which it often does here (every ~4 MB of
// events), and an event sets its type and id each time.
func setBytes(dst *[]byte, v []byte) {
	if cap(*dst) < len(v) {
		*dst = make([]byte, 0, len(v))
	}
	*dst = (*dst)[:len(v)]
	copy(*dst, v)
}

// keepCap is the largest buffer a parser keeps between lines and events.
// A bigger one served one big event; held on, it would double the memory of a
// stream that sends one big event now and then (issue 11: a 10 MB event took
// the process to 95 MB while it held carry, data and the event's string).
const keepCap = 64 << 10

// chunkSize is the size of the pieces a big line is held in.
const chunkSize = 256 << 10

// pending is the length of the line not yet ended.
func (p *Parser) pending() int { return len(p.carry) + p.held }

// hold keeps the start of a line that has not ended yet. Past keepCap it goes
// into chunks rather than one growing buffer: growing by append copies the
// line each time and leaves the old copies as garbage, which took a 10 MB
// line to 3.2× its size in heap at the peak (TestBigEventPeakMemory).
func (p *Parser) hold(b []byte) {
	if len(p.chunks) == 0 {
		if len(p.carry)+len(b) <= keepCap {
			p.carry = append(p.carry, b...)
			return
		}
		p.chunks = append(p.chunks, p.carry)
		p.held, p.carry = len(p.carry), nil
	}
	for len(b) > 0 {
		last := &p.chunks[len(p.chunks)-1]
		if len(*last) == cap(*last) {
			p.chunks = append(p.chunks, make([]byte, 0, chunkSize))
			last = &p.chunks[len(p.chunks)-1]
		}
		n := min(cap(*last)-len(*last), len(b))
		*last = append(*last, b[:n]...)
		b, p.held = b[n:], p.held+n
	}
}

// unchunk joins the held chunks and end into one buffer of exactly their
// size, and lets go of the chunks.
func (p *Parser) unchunk(end []byte) []byte {
	line := make([]byte, 0, p.held+len(end))
	for _, c := range p.chunks {
		line = append(line, c...)
	}
	p.chunks, p.held = nil, 0
	return append(line, end...)
}

// release empties b, letting go of it when it is big.
func release(b []byte) []byte {
	if cap(b) > keepCap {
		return nil
	}
	return b[:0]
}

// stripBOM drops one leading U+FEFF. Until three bytes have arrived it keeps
// a possible BOM prefix in carry and reports ok=false.
func (p *Parser) stripBOM(b []byte) ([]byte, bool) {
	const bom = "\xEF\xBB\xBF"
	if len(p.carry) > 0 {
		p.carry = append(p.carry, b...)
		b, p.carry = p.carry, nil
	}
	n := min(len(b), len(bom))
	if string(b[:n]) != bom[:n] {
		p.started = true
		return b, true
	}
	if n < len(bom) {
		p.carry = append(p.carry[:0], b...)
		return nil, false
	}
	p.started = true
	return b[len(bom):], true
}

func (p *Parser) tooLarge() error {
	p.carry, p.data = release(p.carry), release(p.data)
	p.chunks, p.held = nil, 0
	return fmt.Errorf("%w (%d bytes)", ErrEventTooLarge, p.max)
}

// lineEnd finds the first CR or LF.
func (p *Parser) lineEnd(b []byte) int {
	lf := bytes.IndexByte(b, '\n')
	if p.noCR {
		return lf
	}
	search := b
	if lf >= 0 {
		search = b[:lf]
	}
	if cr := bytes.IndexByte(search, '\r'); cr >= 0 {
		return cr
	}
	return lf
}

// line interprets one line; valid says it is known to be valid UTF-8, owned
// that line is the carry buffer, which the parser may take over.
func (p *Parser) line(line []byte, valid, owned bool) error {
	if len(line) == 0 {
		p.dispatch()
		return nil
	}
	if line[0] == ':' {
		return nil
	}
	if !valid {
		p.scratch = decodeUTF8(p.scratch[:0], line)
		line, owned = p.scratch, false
	}
	kind, value := fieldOf(line)
	switch kind {
	case fieldData:
		if len(p.data)+len(value)+1 > p.max {
			return p.tooLarge()
		}
		if owned && len(p.data) == 0 && len(value) > keepCap {
			// A big first data line becomes the data buffer in place rather
			// than being copied: carry and data would each hold the event.
			// The field name removed leaves room for the LF.
			n := copy(line, value)
			p.data, p.carry = append(line[:n], '\n'), p.data[:0]
			return nil
		}
		p.data = append(p.data, value...)
		p.data = append(p.data, '\n')
	case fieldEvent:
		setBytes(&p.typ, value)
	case fieldID:
		p.setID(value)
	case fieldRetry:
		if ms, ok := parseRetry(value); ok && p.onRetry != nil {
			p.onRetry(ms)
		}
	}
	return nil
}

// fieldKind is one of the four field names the spec knows, or another.
type fieldKind uint8

const (
	fieldOther fieldKind = iota
	fieldData
	fieldEvent
	fieldID
	fieldRetry
)

// fieldOf names a line's field and returns its value: what follows the first
// colon, minus one leading space. Every field but the four known ones is
// ignored, so each is recognised by its first byte and a short compare,
// without searching the line for its colon.
func fieldOf(line []byte) (fieldKind, []byte) {
	var k fieldKind
	var name string
	switch line[0] {
	case 'd':
		k, name = fieldData, "data"
	case 'e':
		k, name = fieldEvent, "event"
	case 'i':
		k, name = fieldID, "id"
	case 'r':
		k, name = fieldRetry, "retry"
	default:
		return fieldOther, nil
	}
	n := len(name)
	if len(line) < n || string(line[:n]) != name {
		return fieldOther, nil
	}
	if len(line) == n {
		return k, nil
	}
	if line[n] != ':' {
		return fieldOther, nil
	}
	return k, fieldValue(line[n+1:])
}

// fieldValue is what follows a field's colon minus one leading space
// (U+0020 only, as the spec says).
func fieldValue(v []byte) []byte {
	if len(v) > 0 && v[0] == ' ' {
		return v[1:]
	}
	return v
}

// dispatch ends an event. It stores as few pointers into the parser as it
// can: each store is a write barrier while the GC marks, and with ~100-byte
// events the GC marks often. When every dispatch stored lastID, data and
// scratch, the write barrier's wbBufFlush1 and tryDeferToSpanScan were about
// a quarter of BenchmarkParse's instructions in callgrind with the GC on
// (about 6% without those stores; the share varies from run to run).
func (p *Parser) dispatch() {
	if len(p.data) == 0 {
		if p.idDirty {
			p.id, p.idDirty = string(p.idBuf), false
		}
		p.typ = p.typ[:0]
		return
	}
	var ev Event
	switch {
	case len(p.data) > keepCap:
		// A big event's buffer becomes its string: a copy would hold the
		// event twice at the peak (issue 11). The parser lets go of the
		// buffer here and never writes to it again.
		if p.idDirty {
			p.id, p.idDirty = string(p.idBuf), false
		}
		ev.Data = unsafe.String(&p.data[0], len(p.data)-1)
		p.data = nil
	case p.idDirty:
		// One allocation holds both the data and the new ID.
		n := len(p.data)
		p.data = append(p.data, p.idBuf...)
		s := string(p.data)
		ev.Data, p.id, p.idDirty = s[:n-1], s[n:], false
		p.data = p.data[:0]
	default:
		ev.Data = string(p.data[:len(p.data)-1])
		p.data = p.data[:0]
	}
	if cap(p.data) > keepCap {
		p.data = nil
	}
	ev.ID = p.id
	switch {
	case len(p.typ) == 0:
		ev.Type = "message"
	case string(p.typ) == p.typName:
		ev.Type = p.typName
	default:
		p.typName = p.internType()
		ev.Type = p.typName
	}
	p.typ = p.typ[:0]
	if cap(p.scratch) > keepCap {
		p.scratch = nil
	}
	if p.sink != nil {
		*p.sink = append(*p.sink, ev)
		return
	}
	p.onEvent(ev)
}

// internType returns the type buffer as a string, reusing one of the last
// few distinct types: streams mix a handful (quote, trade, status), and a new
// string at each change of type was an allocation for most of their events.
func (p *Parser) internType() string {
	for _, t := range p.types {
		if t == string(p.typ) {
			return t
		}
	}
	t := string(p.typ)
	if len(t) <= 64 { // ids of a kind, not payloads, are worth keeping
		p.types[p.nextType%len(p.types)] = t
		p.nextType++
	}
	return t
}

// parseRetry accepts only a non-empty run of ASCII digits, as the spec says.
func parseRetry(v []byte) (time.Duration, bool) {
	if len(v) == 0 {
		return 0, false
	}
	var ms int64
	for _, c := range v {
		if c < '0' || c > '9' {
			return 0, false
		}
		if ms <= int64(maxRetry/time.Millisecond) {
			ms = ms*10 + int64(c-'0')
		}
	}
	if ms > int64(maxRetry/time.Millisecond) {
		return maxRetry, true
	}
	return time.Duration(ms) * time.Millisecond, true
}
