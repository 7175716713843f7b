package demoserver

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// decodeStrict decodes data into a value of want's type, failing on unknown
// or missing fields: the event payloads are a contract.
func decodeStrict(t *testing.T, data string, want any) {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(want); err != nil {
		t.Fatalf("decoding %T from %s: %v", want, data, err)
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal([]byte(data), &keys); err != nil {
		t.Fatal(err)
	}
	typ := reflect.TypeOf(want).Elem()
	for i := range typ.NumField() {
		tag, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
		if _, ok := keys[tag]; !ok {
			t.Errorf("%T event %s lacks field %q", want, data, tag)
		}
	}
}

func TestStreamHeadersAndPreamble(t *testing.T) {
	s := startServer(t, func(o *Options) { o.Retry = 1500 * time.Millisecond })
	for _, path := range []string{"/events/stocks", "/events/sports", "/events/news", "/events/jobs", "/events/metrics", "/events?topics=stocks,news", "/events?topics=jobs,metrics", "/events"} {
		t.Run(path, func(t *testing.T) {
			st := openStream(t, testContext(t), s.URL()+path, "")
			h := st.resp.Header
			for name, want := range map[string]string{
				"Content-Type":      "text/event-stream",
				"Cache-Control":     "no-cache",
				"X-Accel-Buffering": "no",
			} {
				if got := h.Get(name); got != want {
					t.Errorf("%s = %q, want %q", name, got, want)
				}
			}
			first, err := st.next()
			if err != nil {
				t.Fatal(err)
			}
			if first.Retry != "1500" || first.Event != "" || first.Data != "" {
				t.Errorf("first block = %+v, want retry: 1500 and no event", first)
			}
		})
	}
}

// TestTopicEvents checks every generated event on every endpoint against the
// payload contract, and the per-topic ids.
func TestTopicEvents(t *testing.T) {
	s := startServer(t, func(o *Options) { o.Rate = 200 })
	ctx := testContext(t)

	seen := map[string]bool{}
	check := func(topic string, b sseBlock) {
		t.Helper()
		seen[topic+"/"+b.Event] = true
		switch topic + "/" + b.Event {
		case "stocks/quote":
			var q Quote
			decodeStrict(t, b.Data, &q)
			if q.Symbol == "" || q.Price <= 0 || q.Volume <= 0 || q.Time == "" {
				t.Errorf("implausible quote %s", b.Data)
			}
		case "sports/score":
			var sc Score
			decodeStrict(t, b.Data, &sc)
			if sc.MatchID == 0 || sc.Home == "" || sc.Away == "" || sc.League == "" || !slices.Contains([]string{FirstHalf, HalfTime, SecondHalf, FullTime}, sc.Status) {
				t.Errorf("implausible score %s", b.Data)
			}
		case "sports/goal":
			var g Goal
			decodeStrict(t, b.Data, &g)
			if g.MatchID == 0 || g.Team == "" || g.Player == "" || g.Minute < 1 {
				t.Errorf("implausible goal %s", b.Data)
			}
		case "news/headline":
			var h Headline
			decodeStrict(t, b.Data, &h)
			if h.ID == 0 || h.Title == "" || h.Source == "" || strings.ContainsAny(h.Title, "{}") {
				t.Errorf("implausible headline %s", b.Data)
			}
		case "news/notification":
			var n Notification
			decodeStrict(t, b.Data, &n)
			if !slices.Contains([]string{"info", "success", "warning", "error"}, n.Level) || n.Title == "" || n.Body == "" {
				t.Errorf("implausible notification %s", b.Data)
			}
		case "jobs/progress":
			var p JobProgress
			decodeStrict(t, b.Data, &p)
			if !strings.HasPrefix(p.JobID, "job-") || p.Name == "" || p.Stage == "" || p.Total <= 0 || p.Done < 0 || p.Done > p.Total ||
				p.Percent < 0 || p.Percent > 100 || p.EtaS < 0 {
				t.Errorf("implausible progress %s", b.Data)
			}
		case "jobs/complete":
			var c JobComplete
			decodeStrict(t, b.Data, &c)
			if !strings.HasPrefix(c.JobID, "job-") || c.Name == "" || c.Result == "" || c.DurationS < 0 {
				t.Errorf("implausible complete %s", b.Data)
			}
		case "jobs/failed":
			var f JobFailed
			decodeStrict(t, b.Data, &f)
			if !strings.HasPrefix(f.JobID, "job-") || f.Name == "" || f.Error == "" {
				t.Errorf("implausible failed %s", b.Data)
			}
		case "metrics/metric":
			var m Metric
			decodeStrict(t, b.Data, &m)
			if !slices.Contains([]string{"web-1", "web-2", "db-1"}, m.Host) || m.CPUPct < 0 || m.CPUPct > 100 || m.MemPct < 0 || m.MemPct > 100 ||
				m.Conns < 0 || m.RPS < 0 || m.P99MS <= 0 || m.Time == "" {
				t.Errorf("implausible metric %s", b.Data)
			}
		default:
			t.Errorf("unexpected event %q on topic %s: %s", b.Event, topic, b.Data)
		}
	}

	types := map[string][]string{
		TopicStocks:  {"stocks/quote"},
		TopicSports:  {"sports/score", "sports/goal"},
		TopicNews:    {"news/headline", "news/notification"},
		TopicJobs:    {"jobs/progress", "jobs/complete", "jobs/failed"},
		TopicMetrics: {"metrics/metric"},
	}
	for _, topic := range Topics() {
		st := openStream(t, ctx, s.URL()+"/events/"+topic, "")
		var prev uint64
		// At least 60 events, and on until every event type of the topic
		// showed up (goals are random).
		for i := 0; i < 60 || !allSeen(seen, types[topic]); i++ {
			if i == 2000 {
				break
			}
			b := st.mustEvent(t)
			id, err := strconv.ParseUint(b.ID, 10, 64)
			if err != nil {
				t.Fatalf("%s event id %q is not an integer", topic, b.ID)
			}
			if i > 0 && id != prev+1 {
				t.Fatalf("%s ids go %d then %d, want consecutive", topic, prev, id)
			}
			prev = id
			check(topic, b)
		}
	}
	for _, want := range []string{"stocks/quote", "sports/score", "sports/goal", "news/headline", "news/notification", "jobs/progress", "jobs/complete", "jobs/failed", "metrics/metric"} {
		if !seen[want] {
			t.Errorf("no %s event among 2000 of its topic", want)
		}
	}
}

func allSeen(seen map[string]bool, keys []string) bool {
	for _, k := range keys {
		if !seen[k] {
			return false
		}
	}
	return true
}

// TestMultiTopicIDs: on /events every event's id is the connection's position
// in each of its topics, in request order.
func TestMultiTopicIDs(t *testing.T) {
	s := startServer(t, nil)
	ctx := testContext(t)
	publish(t, s, TopicNews, "headline", `{"n":0}`)
	st := openStream(t, ctx, s.URL()+"/events?topics=news,stocks", "")
	publish(t, s, TopicStocks, "quote", `{"n":1}`)
	publish(t, s, TopicNews, "headline", `{"n":2}`)
	publish(t, s, TopicSports, "score", `{"n":3}`) // not subscribed
	publish(t, s, TopicStocks, "quote", `{"n":4}`)
	for _, want := range []sseBlock{
		{ID: "news:1,stocks:1", Event: "quote", Data: `{"n":1}`},
		{ID: "news:2,stocks:1", Event: "headline", Data: `{"n":2}`},
		{ID: "news:2,stocks:2", Event: "quote", Data: `{"n":4}`},
	} {
		got := st.mustEvent(t)
		if got.ID != want.ID || got.Event != want.Event || got.Data != want.Data {
			t.Errorf("got id %q %s %s, want id %q %s %s", got.ID, got.Event, got.Data, want.ID, want.Event, want.Data)
		}
	}
}

func TestHeartbeat(t *testing.T) {
	s := startServer(t, func(o *Options) { o.Heartbeat = 50 * time.Millisecond })
	st := openStream(t, testContext(t), s.URL()+"/events/news", "")
	if _, err := st.next(); err != nil { // preamble
		t.Fatal(err)
	}
	b, err := st.next()
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Comments) != 1 || b.Comments[0] != "heartbeat" || b.Event != "" || b.Data != "" {
		t.Fatalf("idle stream sent %+v, want a heartbeat comment", b)
	}
}

// TestHeartbeatOnlyWhenIdle: a stream that carries events needs no heartbeat.
func TestHeartbeatOnlyWhenIdle(t *testing.T) {
	s := startServer(t, func(o *Options) { o.Heartbeat = time.Second; o.Rate = 50 })
	st := openStream(t, testContext(t), s.URL()+"/events/stocks", "")
	deadline := time.Now().Add(2500 * time.Millisecond)
	for time.Now().Before(deadline) {
		b, err := st.next()
		if err != nil {
			t.Fatal(err)
		}
		if slices.Contains(b.Comments, "heartbeat") {
			t.Fatalf("heartbeat on a stream busy with 50 events/s")
		}
	}
}

func TestHealthz(t *testing.T) {
	s := startServer(t, nil)
	resp, err := http.Get(s.URL() + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var st Status
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || st.Status != "ok" || len(st.Topics) != len(Topics()) {
		t.Fatalf("healthz: %s %+v", resp.Status, st)
	}
	for _, topic := range []string{TopicStocks, TopicSports, TopicNews, TopicJobs, TopicMetrics} {
		if _, ok := st.Topics[topic]; !ok {
			t.Errorf("healthz has no %s topic: %+v", topic, st.Topics)
		}
	}
}

func TestPage(t *testing.T) {
	s := startServer(t, nil)
	resp, err := http.Get(s.URL() + "/")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("GET /: %s %s", resp.Status, resp.Header.Get("Content-Type"))
	}
	for _, want := range []string{"new EventSource(", "readyState", `"/events/" + topic`} {
		if !bytes.Contains(body, []byte(want)) {
			t.Errorf("page lacks %q", want)
		}
	}
	// No external resources: everything is served from embed.
	for _, bad := range []string{"http://", "https://", "//cdn"} {
		if bytes.Contains(body, []byte(bad)) {
			t.Errorf("page refers to an external resource (%q)", bad)
		}
	}
}

func TestBadRequests(t *testing.T) {
	s := startServer(t, nil)
	for _, tc := range []struct {
		method, path string
		status       int
		body         string
	}{
		{"GET", "/events/weather", 404, `unknown topic "weather"`},
		{"GET", "/events?topics=stocks,weather", 404, `unknown topic "weather"`},
		{"GET", "/nope", 404, ""},
		{"POST", "/events/stocks", 405, ""},
		{"GET", "/publish", 405, ""},
		{"DELETE", "/healthz", 405, ""},
	} {
		req, _ := http.NewRequest(tc.method, s.URL()+tc.path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.status || !strings.Contains(string(body), tc.body) {
			t.Errorf("%s %s: %s %q, want %d containing %q", tc.method, tc.path, resp.Status, body, tc.status, tc.body)
		}
	}
}

func TestHeadStream(t *testing.T) {
	s := startServer(t, nil)
	client := &http.Client{Timeout: 5 * time.Second}
	resp, err := client.Head(s.URL() + "/events/stocks")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("HEAD: %s %q", resp.Status, resp.Header.Get("Content-Type"))
	}
}

func TestOptionsValidation(t *testing.T) {
	opts := DefaultOptions()
	opts.Addr = "127.0.0.1:0"
	opts.Rate = -5
	opts.History = -1
	opts.Heartbeat = time.Microsecond
	_, err := Start(t.Context(), opts)
	if err == nil {
		t.Fatal("Start accepted bad options")
	}
	for _, want := range []string{"rate -5", "history -1", "heartbeat 1µs"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

// TestBaseURL: a server listening on every interface is still opened
// through loopback.
func TestBaseURL(t *testing.T) {
	for _, tc := range []struct {
		addr net.Addr
		want string
	}{
		{&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8080}, "http://127.0.0.1:8080"},
		{&net.TCPAddr{IP: net.IPv4zero, Port: 8080}, "http://127.0.0.1:8080"},
		{&net.TCPAddr{IP: net.IPv6unspecified, Port: 80}, "http://127.0.0.1:80"},
		{&net.TCPAddr{IP: net.IPv6loopback, Port: 9000}, "http://[::1]:9000"},
	} {
		if got := baseURL(tc.addr); got != tc.want {
			t.Errorf("baseURL(%v) = %q, want %q", tc.addr, got, tc.want)
		}
	}
}

// TestClientHangupUnsubscribes: a client that goes away is noticed at once,
// not at the next write.
func TestClientHangupUnsubscribes(t *testing.T) {
	s := startServer(t, nil) // no events, heartbeat a minute away
	st := openStream(t, testContext(t), s.URL()+"/events?topics=stocks,news", "")
	waitSubscribers(t, s, 1)
	st.resp.Body.Close()
	waitSubscribers(t, s, 0)
}

// TestHTTP10Stream: an HTTP/1.0 client gets the stream without chunked
// encoding, delimited by the end of the connection.
func TestHTTP10Stream(t *testing.T) {
	s := startServer(t, nil)
	conn, err := net.Dial("tcp", strings.TrimPrefix(s.URL(), "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	io.WriteString(conn, "GET /events/news HTTP/1.0\r\n\r\n")
	waitSubscribers(t, s, 1)
	publish(t, s, TopicNews, "headline", `{"a":1}`)
	if err := s.Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(conn)
	if err != nil {
		t.Fatal(err)
	}
	head, body, _ := strings.Cut(string(raw), "\r\n\r\n")
	if !strings.HasPrefix(head, "HTTP/1.1 200 OK\r\n") || strings.Contains(head, "chunked") || !strings.Contains(head, "Content-Type: text/event-stream") {
		t.Errorf("response head:\n%s", head)
	}
	want := ": livefeed demo-server\nretry: 3000\n\nid: 1\nevent: headline\ndata: {\"a\":1}\n\nevent: shutdown\ndata: {"
	if !strings.HasPrefix(body, want) {
		t.Errorf("body:\n%s\nwant it to start with:\n%s", body, want)
	}
}

// TestFirstEventsSoon: at the natural pace (AutoRate, the TUI's in-process
// demo) every topic sends its first event within half a second of the start (3 s allowed), and
// the jobs topic opens with several jobs under way, so a dashboard that
// connects together with the server is never empty for long.
func TestFirstEventsSoon(t *testing.T) {
	s := startServer(t, func(o *Options) { o.Rate = AutoRate })
	st := openStream(t, testContext(t), s.URL()+"/events?lastEventID=stocks:0,sports:0,news:0,jobs:0,metrics:0", "")
	start := time.Now()
	seen := map[string]bool{}
	jobs := map[string]bool{}
	for len(seen) < len(Topics()) || len(jobs) < 3 {
		b := st.mustEvent(t)
		if b.Event == "reset" {
			t.Fatalf("reset %s", b.Data)
		}
		seen[b.Event] = true
		if b.Event == "progress" {
			var p JobProgress
			decodeStrict(t, b.Data, &p)
			jobs[p.JobID] = true
		}
		if time.Since(start) > 3*time.Second {
			break
		}
	}
	for _, ev := range []string{"quote", "score", "headline", "progress", "metric"} {
		if !seen[ev] {
			t.Errorf("no %s event within 3 s of the start (saw %v)", ev, seen)
		}
	}
	if len(jobs) < 3 {
		t.Errorf("%d jobs reported within 3 s, want 3 under way", len(jobs))
	}
}
