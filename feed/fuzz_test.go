package feed

import (
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzParser checks what must hold for any byte stream: no panic, the same
// events however the stream is cut into reads, valid UTF-8 out, data without
// CR, and memory held within the bound.
//
//	go test ./feed -run '^$' -fuzz FuzzParser -fuzztime 60s -fuzzminimizetime 2s
//
// (Go's default minimizes each new input for up to a minute, which looks like a stall.)
func FuzzParser(f *testing.F) {
	for _, s := range []string{
		"data: hello\n\n", "\uFEFFdata: x\r\n\r\n", "data:a\rdata:b\r\r", "id: 1\ndata: a\n\nid\ndata: b\n\n",
		"retry: 02000\nretry: -1\n", "event: q\nid: 9\ndata: {\"p\":1}\ndata\n\n: c\n", "data: \xe2\x82\xff\n\n",
		"\xEF\xBB\xEF\xBB\xBFdata:\n\n", "id: a\x00b\n\n", "data: " + strings.Repeat("x", 100) + "\n\n",
	} {
		f.Add([]byte(s), uint8(3))
	}
	f.Fuzz(func(t *testing.T, stream []byte, cut uint8) {
		const limit = 64
		run := func(step int) (parsed, error) {
			var got parsed
			p := NewParser(limit, func(ev Event) { got.Events = append(got.Events, ev) },
				func(d time.Duration) { got.Retries = append(got.Retries, d) })
			p.Reset("")
			for s := stream; len(s) > 0; {
				n := min(step, len(s))
				if err := p.Write(s[:n]); err != nil {
					return got, err
				}
				if p.pending() > limit || len(p.data) > limit {
					t.Fatalf("holds %d+%d bytes past the limit %d", p.pending(), len(p.data), limit)
				}
				s = s[n:]
			}
			got.LastID = p.LastEventID()
			return got, nil
		}
		whole, errWhole := run(len(stream) + 1)
		split, errSplit := run(int(cut%16) + 1)
		if (errWhole == nil) != (errSplit == nil) {
			t.Fatalf("error depends on read size: whole %v, split %v", errWhole, errSplit)
		}
		if errWhole == nil && !reflect.DeepEqual(whole, split) {
			t.Fatalf("events depend on read size:\nwhole %+v\nsplit %+v", whole, split)
		}
		for _, ev := range whole.Events {
			if !utf8.ValidString(ev.Data) || !utf8.ValidString(ev.Type) || !utf8.ValidString(ev.ID) {
				t.Fatalf("invalid UTF-8 in %+v", ev)
			}
			if strings.ContainsRune(ev.Data, '\r') || strings.ContainsAny(ev.ID, "\x00\r\n") || ev.Type == "" {
				t.Fatalf("malformed event %+v", ev)
			}
		}
	})
}
