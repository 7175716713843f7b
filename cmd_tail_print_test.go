package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/livefeed/livefeed/feed"
)

// hostileStrings are values the printers must escape exactly as their
// references do, including long ones whose pieces are cut inside multi-byte
// sequences, invalid bytes and escapes.
func hostileStrings() []string {
	s := []string{
		"", "plain", `quote " backslash \ slash /`, "<html> & 'x'", "\x00\x01\b\f\n\r\t\x1b[31m\x7f",
		"\u0080\u0085\u009f\u00a0", "line\u2028sep\u2029para", "é€😀\U0010FFFF", "\xff\xfe\xc2\xe2\x82\xf0\x90\x80",
		"\xed\xa0\x80 surrogate", "a\xc0\xafb",
	}
	for _, unit := range []string{"😀", "é", "€x", "\xf0\x90\x80", "\x80\x80\x80\x80\x80", "ab\n\u2028"} {
		for _, lead := range []int{0, 1, 2, 3} {
			s = append(s, strings.Repeat("a", lead)+strings.Repeat(unit, 3*longChunk/len(unit)))
		}
	}
	return s
}

// TestEventLineMatchesEncodingJSON: tail --json's hand-built event line is
// byte for byte encoding/json's (escape HTML off) of the same tailLine.
func TestEventLineMatchesEncodingJSON(t *testing.T) {
	when := time.Date(2026, 12, 2, 6, 30, 1, 123456000, time.FixedZone("x", 3600))
	for i, s := range hostileStrings() {
		for _, e := range []feed.Event{{Type: "message", Data: s, ID: ""}, {Type: s, Data: "d", ID: s}, {Type: "", Data: s, ID: "7"}} {
			var got bytes.Buffer
			w := bufio.NewWriterSize(&got, 4096)
			p := printer{w: w, json: true}
			if err := p.event("feed \"x\" <y>", when, &e); err != nil {
				t.Fatal(err)
			}
			_ = w.Flush()
			var want bytes.Buffer
			enc := json.NewEncoder(&want)
			enc.SetEscapeHTML(false)
			if err := enc.Encode(tailLine{Time: when.Format(time.RFC3339Nano), Kind: "event", Feed: "feed \"x\" <y>", Type: e.Type, ID: &e.ID, Data: &e.Data}); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), want.Bytes()) {
				t.Errorf("string %d (%d bytes): line differs at byte %d\ngot  %.200q\nwant %.200q", i, len(s),
					firstDiff(got.Bytes(), want.Bytes()), got.Bytes(), want.Bytes())
			}
		}
	}
}

// referenceEscaped is appendEscaped as it was first written, rune by rune.
func referenceEscaped(b []byte, s string) []byte {
	for _, r := range s {
		switch {
		case r == '\n':
			b = append(b, `\n`...)
		case r == '\r':
			b = append(b, `\r`...)
		case r == '\t':
			b = append(b, `\t`...)
		case r == '\\':
			b = append(b, `\\`...)
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u2028' || r == '\u2029':
			b = fmt.Appendf(b, `\u%04x`, r)
		default:
			b = utf8.AppendRune(b, r)
		}
	}
	return b
}

// TestEventTextMatchesReference: the text line, data escaped in pieces,
// equals the rune-by-rune escaping of the whole, and the printer keeps no
// buffer the size of a big event.
func TestEventTextMatchesReference(t *testing.T) {
	when := time.Date(2026, 12, 2, 6, 30, 1, 0, time.UTC)
	for i, s := range hostileStrings() {
		var got bytes.Buffer
		w := bufio.NewWriterSize(&got, 4096)
		p := printer{w: w}
		e := feed.Event{Type: "t\x1b", Data: s, ID: "i\n"}
		if err := p.event("f", when, &e); err != nil {
			t.Fatal(err)
		}
		_ = w.Flush()
		want := "06:30:01.000 f t\\u001b id=i\\n " + string(referenceEscaped(nil, s)) + "\n"
		if got.String() != want {
			t.Errorf("string %d (%d bytes): line differs at byte %d", i, len(s), firstDiff(got.Bytes(), []byte(want)))
		}
		if cap(p.buf) > 2*longChunk+utf8.UTFMax*6 {
			t.Errorf("string %d: printer keeps a %d-byte buffer", i, cap(p.buf))
		}
	}
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
