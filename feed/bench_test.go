package feed_test

// Throughput of livefeed's engine against github.com/tmaxmax/go-sse and
// github.com/r3labs/sse/v2 on one market-like stream, in one run:
//
//	go test ./feed -run '^$' -bench . -benchmem -count 5
//
// BenchmarkClient runs each library's whole client (request, response
// validation, parsing, delivery to the consumer) over an in-memory HTTP
// response, so no network noise enters. BenchmarkParse compares the parsers
// alone where a library exposes one (r3labs does not).

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	r3 "github.com/r3labs/sse/v2"
	gosse "github.com/tmaxmax/go-sse"

	"github.com/livefeed/livefeed/feed"
)

// marketStream returns n events of about 100 bytes each: id, event and
// one-line JSON data; every tenth event has two data lines and every hundredth
// is preceded by a comment, like a market feed with heartbeats.
func marketStream(n int) []byte {
	symbols := []string{"AAPL", "MSFT", "NVDA", "AMZN", "GOOG", "META", "TSLA", "BRK.B"}
	var b bytes.Buffer
	for i := 0; i < n; i++ {
		if i%100 == 0 {
			b.WriteString(": heartbeat\n")
		}
		fmt.Fprintf(&b, "id: %d\nevent: quote\n", i+1)
		s := symbols[i%len(symbols)]
		if i%10 == 9 {
			fmt.Fprintf(&b, "data: {\"symbol\":\"%s\",\n", s)
			fmt.Fprintf(&b, "data: \"price\":%d.%02d,\"change\":-0.%02d}\n\n", 100+i%400, i%100, i%97)
			continue
		}
		fmt.Fprintf(&b, "data: {\"symbol\":\"%s\",\"price\":%d.%02d,\"change_pct\":0.%02d,\"volume\":%d}\n\n", s, 100+i%400, i%100, i%97, 1000+i)
	}
	return b.Bytes()
}

const benchEvents = 10000

// memTransport answers every request with the same event stream, read in
// 32 KiB pieces as a network connection would deliver it.
type memTransport struct{ body []byte }

func (m memTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	return &http.Response{
		StatusCode: 200, Status: "200 OK", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:  http.Header{"Content-Type": {"text/event-stream"}},
		Body:    io.NopCloser(&chunkReader{b: m.body, ctx: req.Context()}),
		Request: req,
	}, nil
}

type chunkReader struct {
	b   []byte
	ctx context.Context
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(c.b) == 0 {
		<-c.ctx.Done() // a live stream: it ends when the client lets go
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), 32<<10)], c.b)
	c.b = c.b[n:]
	return n, nil
}

func reportEvents(b *testing.B, perOp int) {
	b.ReportMetric(float64(perOp)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

func BenchmarkClient(b *testing.B) {
	stream := marketStream(benchEvents)
	client := &http.Client{Transport: memTransport{body: stream}}

	b.Run("livefeed", func(b *testing.B) {
		b.SetBytes(int64(len(stream)))
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			f, err := feed.New("bench", feed.Options{URL: "http://bench.invalid/", Transport: client.Transport})
			if err != nil {
				b.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			ch := make(chan feed.Batch, 64)
			go f.Run(ctx, ch)
			for n := 0; n < benchEvents; {
				n += len((<-ch).Events)
			}
			cancel()
		}
		reportEvents(b, benchEvents)
	})

	b.Run("go-sse", func(b *testing.B) {
		b.SetBytes(int64(len(stream)))
		b.ReportAllocs()
		c := &gosse.Client{HTTPClient: client}
		for i := 0; i < b.N; i++ {
			ctx, cancel := context.WithCancel(context.Background())
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://bench.invalid/", nil)
			conn := c.NewConnection(req)
			ch := make(chan gosse.Event, 256)
			conn.SubscribeToAll(func(e gosse.Event) { ch <- e })
			go func() { _ = conn.Connect() }()
			for n := 0; n < benchEvents; n++ {
				<-ch
			}
			cancel()
		}
		reportEvents(b, benchEvents)
	})

	b.Run("r3labs", func(b *testing.B) {
		b.SetBytes(int64(len(stream)))
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			c := r3.NewClient("http://bench.invalid/")
			c.Connection = client
			ctx, cancel := context.WithCancel(context.Background())
			ch := make(chan *r3.Event, 256)
			go func() { _ = c.SubscribeChanRawWithContext(ctx, ch) }()
			for n := 0; n < benchEvents; n++ {
				<-ch
			}
			cancel()
		}
		reportEvents(b, benchEvents)
	})
}

func BenchmarkParse(b *testing.B) {
	stream := marketStream(benchEvents)

	b.Run("livefeed", func(b *testing.B) {
		b.SetBytes(int64(len(stream)))
		b.ReportAllocs()
		n := 0
		p := feed.NewParser(1<<20, func(feed.Event) { n++ }, nil)
		for i := 0; i < b.N; i++ {
			p.Reset("")
			for s := stream; len(s) > 0; {
				k := min(len(s), 32<<10)
				if err := p.Write(s[:k]); err != nil {
					b.Fatal(err)
				}
				s = s[k:]
			}
		}
		if n != benchEvents*b.N {
			b.Fatalf("parsed %d events, want %d", n, benchEvents*b.N)
		}
		reportEvents(b, benchEvents)
	})

	b.Run("go-sse", func(b *testing.B) {
		b.SetBytes(int64(len(stream)))
		b.ReportAllocs()
		n := 0
		for i := 0; i < b.N; i++ {
			for _, err := range gosse.Read(bytes.NewReader(stream), &gosse.ReadConfig{MaxEventSize: 1 << 20}) {
				if err != nil {
					b.Fatal(err)
				}
				n++
			}
		}
		if n != benchEvents*b.N {
			b.Fatalf("parsed %d events, want %d", n, benchEvents*b.N)
		}
		reportEvents(b, benchEvents)
	})
}

// TestBaselinesAgreeOnTheBenchStream guards the benchmark: all three must
// see the same events, or the comparison would be meaningless.
func TestBaselinesAgreeOnTheBenchStream(t *testing.T) {
	stream := marketStream(300)
	var ours []string
	p := feed.NewParser(0, func(e feed.Event) { ours = append(ours, e.ID+"|"+e.Type+"|"+e.Data) }, nil)
	p.Reset("")
	if err := p.Write(stream); err != nil {
		t.Fatal(err)
	}
	var theirs []string
	for e, err := range gosse.Read(bytes.NewReader(stream), nil) {
		if err != nil {
			t.Fatal(err)
		}
		theirs = append(theirs, e.LastEventID+"|"+e.Type+"|"+e.Data)
	}
	if len(ours) != 300 || strings.Join(ours, "\n") != strings.Join(theirs, "\n") {
		t.Fatalf("livefeed saw %d events, go-sse %d; first: %q vs %q", len(ours), len(theirs), ours[0], theirs[0])
	}
}
