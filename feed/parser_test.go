package feed

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"
)

// parsed is everything a stream told the parser, for comparison in tests.
type parsed struct {
	Events  []Event
	Retries []time.Duration
	LastID  string
}

func parseChunks(t *testing.T, initialID string, chunks []string) parsed {
	t.Helper()
	var got parsed
	p := NewParser(0, func(ev Event) { got.Events = append(got.Events, ev) },
		func(d time.Duration) { got.Retries = append(got.Retries, d) })
	p.Reset(initialID)
	for _, c := range chunks {
		if err := p.Write([]byte(c)); err != nil {
			t.Fatalf("Write(%q): %v", c, err)
		}
	}
	got.LastID = p.LastEventID()
	return got
}

// splits returns the ways a test feeds a stream: whole, one byte per read,
// and several random chunkings (seeded, so failures reproduce).
func splits(stream string) map[string][]string {
	out := map[string][]string{"whole": {stream}}
	bytewise := make([]string, len(stream))
	for i := 0; i < len(stream); i++ {
		bytewise[i] = stream[i : i+1]
	}
	out["byte-by-byte"] = bytewise
	for seed := uint64(1); seed <= 3; seed++ {
		r := rand.New(rand.NewPCG(seed, 7))
		var chunks []string
		for s := stream; len(s) > 0; {
			n := min(len(s), 1+r.IntN(5))
			chunks = append(chunks, s[:n])
			s = s[n:]
		}
		out[fmt.Sprintf("random-%d", seed)] = chunks
	}
	return out
}

func ev(typ, data, id string) Event { return Event{Type: typ, Data: data, ID: id} }

func TestParser(t *testing.T) {
	ms := func(n int) time.Duration { return time.Duration(n) * time.Millisecond }
	tests := []struct {
		name    string
		rule    string // which rule of ../shared/sse-client-rules.md the case pins down
		stream  string
		initial string // last event ID carried in from an earlier connection
		want    parsed
	}{
		{"simple message", "4", "data: hello\n\n", "", parsed{Events: []Event{ev("message", "hello", "")}}},
		{"invalid byte becomes U+FFFD", "1", "data: a\xffb\n\n", "", parsed{Events: []Event{ev("message", "a\uFFFDb", "")}}},
		{"truncated sequence is one U+FFFD", "1", "data: \xe2\x82A\n\n", "", parsed{Events: []Event{ev("message", "\uFFFDA", "")}}},
		{"each stray byte is one U+FFFD", "1", "data: \xff\xfe\n\n", "", parsed{Events: []Event{ev("message", "\uFFFD\uFFFD", "")}}},
		{"surrogate encoding is invalid", "1", "data: \xed\xa0\x80\n\n", "", parsed{Events: []Event{ev("message", "\uFFFD\uFFFD\uFFFD", "")}}},
		{"overlong encoding is invalid", "1", "data: \xc0\xaf\n\n", "", parsed{Events: []Event{ev("message", "\uFFFD\uFFFD", "")}}},
		{"truncated 4-byte sequence before LF", "1", "data: \xf0\x9f\x98\n\n", "", parsed{Events: []Event{ev("message", "\uFFFD", "")}}},
		{"valid multibyte passes", "1", "data: 日本 €😀\n\n", "", parsed{Events: []Event{ev("message", "日本 €😀", "")}}},
		{"invalid byte in field name", "1", "dat\xffa: x\n\ndata: y\n\n", "", parsed{Events: []Event{ev("message", "y", "")}}},
		{"leading BOM dropped", "2", "\uFEFFdata: x\n\n", "", parsed{Events: []Event{ev("message", "x", "")}}},
		{"second BOM is part of the field name", "2", "\uFEFF\uFEFFdata: x\n\ndata: y\n\n", "", parsed{Events: []Event{ev("message", "y", "")}}},
		{"BOM later in the stream is data", "2", "data: a\n\n\uFEFFdata: b\n\n", "", parsed{Events: []Event{ev("message", "a", "")}}},
		{"partial BOM prefix is not a BOM", "2", "\xEF\xBBdata: x\n\n", "", parsed{}},
		{"CRLF", "3", "data: a\r\n\r\n", "", parsed{Events: []Event{ev("message", "a", "")}}},
		{"lone CR", "3", "data: a\rdata: b\r\r", "", parsed{Events: []Event{ev("message", "a\nb", "")}}},
		{"mixed endings", "3", "data: a\r\ndata: b\ndata: c\r\n\r", "", parsed{Events: []Event{ev("message", "a\nb\nc", "")}}},
		{"LF CR is two endings", "3", "data: a\n\rdata: b\n\n", "", parsed{Events: []Event{ev("message", "a", ""), ev("message", "b", "")}}},
		{"CR CR LF is two endings", "3", "data: a\r\r\ndata: b\n\n", "", parsed{Events: []Event{ev("message", "a", ""), ev("message", "b", "")}}},
		{"comment ignored", "4", ": hello\ndata: x\n: again\n\n", "", parsed{Events: []Event{ev("message", "x", "")}}},
		{"comment-only block dispatches nothing", "11", ":\n\n: x\n\n", "", parsed{}},
		{"no space after colon", "5", "data:x\n\n", "", parsed{Events: []Event{ev("message", "x", "")}}},
		{"only one space removed", "5", "data:  x\n\n", "", parsed{Events: []Event{ev("message", " x", "")}}},
		{"tab is kept", "5", "data:\tx\n\n", "", parsed{Events: []Event{ev("message", "\tx", "")}}},
		{"value keeps later colons", "5", "data: a:b: c\n\n", "", parsed{Events: []Event{ev("message", "a:b: c", "")}}},
		{"field without colon has empty value", "5,7", "data\n\n", "", parsed{Events: []Event{ev("message", "", "")}}},
		{"field names are case-sensitive", "5", "Data: x\nDATA: y\n\n", "", parsed{}},
		{"unknown field ignored", "5", "foo: bar\ndata: x\nfoo\n\n", "", parsed{Events: []Event{ev("message", "x", "")}}},
		{"space before colon makes another field", "5", "data : x\n\n", "", parsed{}},
		{"event sets type", "6", "event: quote\ndata: x\n\n", "", parsed{Events: []Event{ev("quote", "x", "")}}},
		{"empty event is message", "6", "event:\ndata: x\n\n", "", parsed{Events: []Event{ev("message", "x", "")}}},
		{"last event field wins", "6", "event: a\nevent: b\ndata: x\n\n", "", parsed{Events: []Event{ev("b", "x", "")}}},
		{"type resets after dispatch", "6,12", "event: a\ndata: 1\n\ndata: 2\n\n", "", parsed{Events: []Event{ev("a", "1", ""), ev("message", "2", "")}}},
		{"type resets after empty dispatch", "6,11", "event: a\n\ndata: 2\n\n", "", parsed{Events: []Event{ev("message", "2", "")}}},
		{"data lines joined with LF", "7", "data: a\ndata: b\n\n", "", parsed{Events: []Event{ev("message", "a\nb", "")}}},
		{"only one trailing LF removed", "7,12", "data: a\ndata\n\n", "", parsed{Events: []Event{ev("message", "a\n", "")}}},
		{"two empty data lines", "7,12", "data\ndata\n\n", "", parsed{Events: []Event{ev("message", "\n", "")}}},
		{"NUL in data kept", "7", "data: a\x00b\n\n", "", parsed{Events: []Event{ev("message", "a\x00b", "")}}},
		{"id sets lastEventId", "8", "id: 1\ndata: x\n\n", "", parsed{Events: []Event{ev("message", "x", "1")}, LastID: "1"}},
		{"id after data in same block", "8", "data: x\nid: 7\n\n", "", parsed{Events: []Event{ev("message", "x", "7")}, LastID: "7"}},
		{"id with NUL ignored", "8", "id: 1\n\nid: a\x00b\ndata: x\n\n", "", parsed{Events: []Event{ev("message", "x", "1")}, LastID: "1"}},
		{"empty id resets", "8", "id: 1\ndata: a\n\nid\ndata: b\n\n", "", parsed{Events: []Event{ev("message", "a", "1"), ev("message", "b", "")}}},
		{"id colon empty resets", "8", "id: 1\ndata: a\n\nid:\ndata: b\n\n", "", parsed{Events: []Event{ev("message", "a", "1"), ev("message", "b", "")}}},
		{"id keeps spaces after the first", "8", "id:  x \ndata: a\n\n", "", parsed{Events: []Event{ev("message", "a", " x ")}, LastID: " x "}},
		{"retry digits", "9", "retry: 2000\n", "", parsed{Retries: []time.Duration{ms(2000)}}},
		{"retry leading zeros", "9", "retry: 02000\n", "", parsed{Retries: []time.Duration{ms(2000)}}},
		{"retry zero", "9", "retry: 0\n", "", parsed{Retries: []time.Duration{0}}},
		{"retry bogus values ignored", "9", "retry: +5\nretry: -1\nretry: 1.5\nretry:  700\nretry: 9 \nretry:\nretry\nretry: 1e3\nretry: 0x10\nretry: ５\n", "", parsed{}},
		{"retry without dispatch still applies", "9", "retry: 1500\ndata: x\n", "", parsed{Retries: []time.Duration{ms(1500)}}},
		{"retry no space", "9", "retry:10\n\n", "", parsed{Retries: []time.Duration{ms(10)}}},
		{"retry huge clamps", "9", "retry: 99999999999999999999999\n", "", parsed{Retries: []time.Duration{maxRetry}}},
		{"id-only block sets lastEventId", "10,11", "id: 5\n\n", "", parsed{LastID: "5"}},
		{"event-only block dispatches nothing", "11", "event: x\n\n", "", parsed{}},
		{"id persists to later events", "12", "id: 1\ndata: a\n\ndata: b\n\n", "", parsed{Events: []Event{ev("message", "a", "1"), ev("message", "b", "1")}, LastID: "1"}},
		{"id carried in from the last connection", "17", "data: a\n\n", "41", parsed{Events: []Event{ev("message", "a", "41")}, LastID: "41"}},
		{"unterminated event discarded", "13", "data: a\n\ndata: b\n", "", parsed{Events: []Event{ev("message", "a", "")}}},
		{"final line without ending not processed", "13", "data: a\n\ndata: b", "", parsed{Events: []Event{ev("message", "a", "")}}},
		{"unfinished id does not update lastEventId", "10,13", "id: 1\ndata: a\n\nid: 2\n", "", parsed{Events: []Event{ev("message", "a", "1")}, LastID: "1"}},
		{"blank lines alone dispatch nothing", "11", "\n\n\n", "", parsed{}},
		{"many events", "12", strings.Repeat("event: q\nid: 9\ndata: {\"p\":1}\n\n", 3), "", parsed{Events: []Event{ev("q", `{"p":1}`, "9"), ev("q", `{"p":1}`, "9"), ev("q", `{"p":1}`, "9")}, LastID: "9"}},
	}
	for _, tc := range tests {
		for how, chunks := range splits(tc.stream) {
			t.Run(tc.name+"/"+how, func(t *testing.T) {
				got := parseChunks(t, tc.initial, chunks)
				if tc.want.LastID == "" {
					tc.want.LastID = tc.initial
					if len(tc.want.Events) > 0 {
						tc.want.LastID = tc.want.Events[len(tc.want.Events)-1].ID
					}
				}
				if !reflect.DeepEqual(got, tc.want) {
					t.Errorf("rule %s: stream %q\n got %+v\nwant %+v", tc.rule, tc.stream, got, tc.want)
				}
			})
		}
	}
}

func TestParserMaxEventSize(t *testing.T) {
	tests := []struct {
		name   string
		stream string
		events int // events before the error
	}{
		{"data over the limit", "data: ok\n\ndata: " + strings.Repeat("x", 100) + "\n\n", 1},
		{"many data lines add up", "data: 0123456789\ndata: 0123456789\ndata: 0123456789\ndata: 0123456789\ndata: 0123456789\n\n", 0},
		{"endless line without a line ending", "data: ok\n\n" + strings.Repeat("y", 500), 1},
		{"endless comment", ":" + strings.Repeat("c", 200), 0},
	}
	for _, tc := range tests {
		for how, chunks := range splits(tc.stream) {
			t.Run(tc.name+"/"+how, func(t *testing.T) {
				n := 0
				p := NewParser(40, func(Event) { n++ }, nil)
				var err error
				for _, c := range chunks {
					if err = p.Write([]byte(c)); err != nil {
						break
					}
					if p.pending() > 40 || len(p.data) > 40 {
						t.Fatalf("parser holds %d+%d bytes, limit 40", p.pending(), len(p.data))
					}
				}
				if !errors.Is(err, ErrEventTooLarge) {
					t.Fatalf("err = %v, want ErrEventTooLarge", err)
				}
				if n != tc.events {
					t.Errorf("dispatched %d events before the error, want %d", n, tc.events)
				}
			})
		}
	}
}

func TestParserResetClearsPartialState(t *testing.T) {
	var got []Event
	p := NewParser(0, func(e Event) { got = append(got, e) }, nil)
	p.Reset("")
	_ = p.Write([]byte("event: x\nid: 3\ndata: half"))
	p.Reset("2")
	_ = p.Write([]byte("\xEF\xBB\xBFdata: b\n\n"))
	want := []Event{ev("message", "b", "2")}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
}

func TestDecodeUTF8MatchesWHATWG(t *testing.T) {
	// Cases from the Encoding standard's UTF-8 decoder: one U+FFFD per
	// maximal subpart of an ill-formed sequence.
	tests := map[string]string{
		"\x80":                 "\uFFFD",
		"\xc2":                 "\uFFFD",
		"\xc2A":                "\uFFFDA",
		"\xe0\x80\x80":         "\uFFFD\uFFFD\uFFFD",
		"\xe0\xa0":             "\uFFFD",
		"\xf4\x90\x80\x80":     "\uFFFD\uFFFD\uFFFD\uFFFD",
		"\xf0\x90\x80A":        "\uFFFDA",
		"a\xf5b":               "a\uFFFDb",
		"\xe2\x82\xac\xe2\x82": "€\uFFFD",
	}
	for in, want := range tests {
		if got := string(decodeUTF8(nil, []byte(in))); got != want {
			t.Errorf("decodeUTF8(%q) = %q, want %q", in, got, want)
		}
	}
}

// Lines longer than keepCap are held in chunks and taken over as the event's
// buffer; however the stream is cut, the events must be the same.
func TestParserBigLinesAnyReadSize(t *testing.T) {
	big := strings.Repeat("é€x\xff\xe2\x82", 40<<10) // multi-byte and ill-formed, ~320 KiB
	stream := ": " + big + "\n" +
		"id: " + strings.Repeat("i", 100<<10) + "\nevent: blob\ndata: " + big + "\n\n" +
		"x-unknown: " + big + "\r\ndata:" + big + "\rdata: second\r\n\r\n" +
		"data: small\n\n"
	want := []Event{
		ev("blob", string(decodeUTF8(nil, []byte(big))), strings.Repeat("i", 100<<10)),
		ev("message", string(decodeUTF8(nil, []byte(big)))+"\nsecond", strings.Repeat("i", 100<<10)),
		ev("message", "small", strings.Repeat("i", 100<<10)),
	}
	for _, step := range []int{len(stream), 1 << 20, 32 << 10, 4099, 7} {
		var got []Event
		p := NewParser(1<<20, func(e Event) { got = append(got, e) }, nil)
		for s := stream; len(s) > 0; {
			n := min(step, len(s))
			if err := p.Write([]byte(s[:n])); err != nil {
				t.Fatalf("step %d: %v", step, err)
			}
			s = s[n:]
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("step %d: %d events, differing from the %d expected", step, len(got), len(want))
		}
		if p.pending() != 0 || cap(p.data) > keepCap || cap(p.carry) > keepCap || cap(p.scratch) > keepCap {
			t.Errorf("step %d: holds big buffers after the events: carry %d, chunks %d, data %d, scratch %d",
				step, cap(p.carry), p.held, cap(p.data), cap(p.scratch))
		}
	}
	// A line past the bound fails whatever the read size, holding no more than the bound.
	for _, step := range []int{len(stream), 32 << 10, 4099} {
		p := NewParser(200<<10, func(Event) {}, nil)
		var err error
		for s := stream; len(s) > 0 && err == nil; {
			n := min(step, len(s))
			err = p.Write([]byte(s[:n]))
			if p.pending() > 200<<10 || len(p.data) > 200<<10 {
				t.Fatalf("step %d: holds %d+%d bytes past the bound", step, p.pending(), len(p.data))
			}
			s = s[n:]
		}
		if !errors.Is(err, ErrEventTooLarge) {
			t.Errorf("step %d: err = %v, want ErrEventTooLarge", step, err)
		}
	}
}
