package replay

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/livefeed/livefeed/capture"
	"github.com/livefeed/livefeed/feed"
)

var t0 = time.Date(2026, 12, 2, 7, 0, 0, 0, time.UTC)

func ev(feedName string, at time.Duration, typ, id, data string) capture.Line {
	return capture.Line{Time: t0.Add(at), Kind: capture.KindEvent, Feed: feedName, Event: feed.Event{Type: typ, ID: id, Data: data}}
}

func state(feedName string, at time.Duration, s string) capture.Line {
	return capture.Line{Time: t0.Add(at), Kind: capture.KindState, Feed: feedName, State: s}
}

// streamRecorder is a ResponseWriter that parses what it is sent with the
// engine's own parser, noting when (on the test's clock) each event came.
type streamRecorder struct {
	mu      sync.Mutex
	start   time.Time
	header  http.Header
	status  int
	parser  *feed.Parser
	events  []received
	raw     strings.Builder
	retry   time.Duration
	flushes int
}

type received struct {
	at time.Duration
	feed.Event
}

func newRecorder(lastID string) *streamRecorder {
	r := &streamRecorder{start: time.Now(), header: http.Header{}}
	r.parser = feed.NewParser(1<<20, func(e feed.Event) {
		r.events = append(r.events, received{at: time.Since(r.start), Event: e})
	}, func(d time.Duration) { r.retry = d })
	r.parser.Reset(lastID)
	return r
}

func (r *streamRecorder) Header() http.Header { return r.header }
func (r *streamRecorder) WriteHeader(s int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.status == 0 {
		r.status = s
	}
}
func (r *streamRecorder) Write(p []byte) (int, error) {
	r.WriteHeader(http.StatusOK)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.raw.Write(p)
	return len(p), r.parser.Write(p)
}
func (r *streamRecorder) Flush() {
	r.mu.Lock()
	r.flushes++
	r.mu.Unlock()
}

func (r *streamRecorder) got() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.events...)
}

// serve runs one stream request against s until it ends or ctx is done.
func serve(ctx context.Context, s *Server, name, lastID string) (*streamRecorder, chan struct{}) {
	req := httptest.NewRequestWithContext(ctx, "GET", Path(name), nil)
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	rec := newRecorder(lastID)
	done := make(chan struct{})
	go func() { defer close(done); s.ServeHTTP(rec, req) }()
	return rec, done
}

func mustRecording(t *testing.T, lines []capture.Line, sel Select) *Recording {
	t.Helper()
	r, err := NewRecording(lines, sel)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

var paced = []capture.Line{
	state("a", -time.Second, "connecting"),
	state("a", -500*time.Millisecond, "open"),
	ev("a", 0, "message", "", "first"),
	ev("a", time.Second, "tick", "1", "second"),
	ev("b", 2*time.Second, "message", "", "b only"),
	ev("a", 3*time.Second, "tick", "2", "third"),
}

func TestPaceScaledBySpeed(t *testing.T) {
	for _, tc := range []struct {
		speed float64
		want  []time.Duration
	}{
		{1, []time.Duration{0, time.Second, 3 * time.Second}},
		{2, []time.Duration{0, 500 * time.Millisecond, 1500 * time.Millisecond}},
		{0.5, []time.Duration{0, 2 * time.Second, 6 * time.Second}},
		{0, []time.Duration{0, 0, 0}},
	} {
		synctest.Test(t, func(t *testing.T) {
			o := DefaultOptions()
			o.Speed = tc.speed
			s := New(mustRecording(t, paced, Select{}), o)
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			rec, done := serve(ctx, s, "a", "")
			<-done // the stream ends after its last event
			got := rec.got()
			if len(got) != 3 {
				t.Fatalf("speed %v: %d events: %+v", tc.speed, len(got), got)
			}
			for i, g := range got {
				if g.at != tc.want[i] {
					t.Errorf("speed %v: event %d (%q) at %v, want %v", tc.speed, i, g.Data, g.at, tc.want[i])
				}
			}
			if rec.retry != time.Second {
				t.Errorf("retry %v, want the default 1s", rec.retry)
			}
			if ct := rec.header.Get("Content-Type"); ct != "text/event-stream" {
				t.Errorf("Content-Type %q", ct)
			}
		})
	}
}

func TestPauseStepAndSpeedChange(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := New(mustRecording(t, paced, Select{}), DefaultOptions())
		rec, done := serve(t.Context(), s, "a", "")
		synctest.Wait()
		clk := s.Clock()
		clk.SetPaused(true)
		time.Sleep(10 * time.Second)
		synctest.Wait()
		if got := rec.got(); len(got) != 1 {
			t.Fatalf("paused at 0: %d events arrived", len(got))
		}
		// Step moves to the next event of any feed: a's at 1s.
		if !clk.Step(s.Recording(), false) {
			t.Fatal("Step found no next event")
		}
		synctest.Wait()
		if got := rec.got(); len(got) != 2 || got[1].Data != "second" || got[1].at != 10*time.Second {
			t.Fatalf("after a step: %+v", got)
		}
		// The next step is b's event at 2s: nothing for a.
		clk.Step(s.Recording(), false)
		synctest.Wait()
		if got := rec.got(); len(got) != 2 {
			t.Fatalf("stepping to another feed's event sent %+v", got)
		}
		if p := clk.Position(); p != 2*time.Second {
			t.Fatalf("position %v, want 2s", p)
		}
		// Resume at ×4: a's last event is 1s of recording away, 250ms real.
		clk.SetSpeed(4)
		clk.SetPaused(false)
		<-done
		if got := rec.got(); len(got) != 3 || got[2].at != 10*time.Second+250*time.Millisecond {
			t.Fatalf("after ×4: %+v", got)
		}
		if clk.Step(s.Recording(), false) {
			t.Error("Step past the end reported an event")
		}
	})
}

func TestFeedsStayInStep(t *testing.T) {
	// The clock starts at the first connection; a feed joining later gets
	// what it missed at once, then the rest on the shared timeline.
	synctest.Test(t, func(t *testing.T) {
		s := New(mustRecording(t, paced, Select{}), DefaultOptions())
		ra, doneA := serve(t.Context(), s, "a", "")
		time.Sleep(2500 * time.Millisecond)
		rb, doneB := serve(t.Context(), s, "b", "")
		<-doneA
		<-doneB
		if got := rb.got(); len(got) != 1 || got[0].at != 0 {
			t.Errorf("b joined late: %+v", got)
		}
		if got := ra.got(); len(got) != 3 || got[2].at != 3*time.Second {
			t.Errorf("a: %+v", got)
		}
	})
}

var ids = []capture.Line{
	ev("f", 0, "message", "", "no id yet"),
	ev("f", 1, "a", "1", "one"),
	ev("f", 2, "a", "1", "inherits one"),
	ev("f", 3, "message", "2", "two\nlines"),
	ev("f", 4, "message", "", "id cleared"),
	ev("f", 5, "b", "3", "three ✓"),
}

func datas(rs []received) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Data)
	}
	return out
}

func TestResumeAfterLastEventID(t *testing.T) {
	o := DefaultOptions()
	o.Speed = 0
	for _, tc := range []struct {
		lastID string
		want   []string
	}{
		{"", []string{"no id yet", "one", "inherits one", "two\nlines", "id cleared", "three ✓"}},
		// After the event that set the id, so the one that inherited it
		// comes again rather than never.
		{"1", []string{"inherits one", "two\nlines", "id cleared", "three ✓"}},
		{"2", []string{"id cleared", "three ✓"}},
		{"unknown", []string{"no id yet", "one", "inherits one", "two\nlines", "id cleared", "three ✓"}},
	} {
		s := New(mustRecording(t, ids, Select{}), o)
		rec, done := serve(t.Context(), s, "f", tc.lastID)
		<-done
		if got := datas(rec.got()); strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("Last-Event-ID %q: got %q, want %q", tc.lastID, got, tc.want)
		}
		// The client sees the recorded ids and types, whatever it resumed with.
		for _, r := range rec.got() {
			for _, l := range ids {
				if l.Event.Data == r.Data && (l.Event.ID != r.ID || l.Event.Type != r.Type) {
					t.Errorf("Last-Event-ID %q: %q arrived as %+v, recorded as %+v", tc.lastID, r.Data, r.Event, l.Event)
				}
			}
		}
	}
	// Resuming after the last event: nothing left, 204.
	s := New(mustRecording(t, ids, Select{}), o)
	rec, done := serve(t.Context(), s, "f", "3")
	<-done
	if rec.status != http.StatusNoContent {
		t.Errorf("resume after the last event: status %d, want 204", rec.status)
	}
}

func TestEndThen204(t *testing.T) {
	o := DefaultOptions()
	o.Speed = 0
	s := New(mustRecording(t, ids, Select{}), o)
	rec, done := serve(t.Context(), s, "f", "")
	<-done
	if rec.status != http.StatusOK || len(rec.got()) != len(ids) {
		t.Fatalf("first connection: %d, %d events", rec.status, len(rec.got()))
	}
	if !s.Ended("f") {
		t.Error("feed not marked ended")
	}
	for _, lastID := range []string{"", "3", "not in the capture"} {
		rec, done = serve(t.Context(), s, "f", lastID)
		<-done
		if rec.status != http.StatusNoContent {
			t.Errorf("connection after the end (Last-Event-ID %q): status %d, want 204", lastID, rec.status)
		}
	}
	// A client that dropped out midway gets the rest, even after the end.
	rec, done = serve(t.Context(), s, "f", "2")
	<-done
	if got := datas(rec.got()); rec.status != http.StatusOK || strings.Join(got, "|") != "id cleared|three ✓" {
		t.Errorf("resume after the end: %d %q", rec.status, got)
	}
}

func TestLoop(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		o := DefaultOptions()
		o.Loop = true
		s := New(mustRecording(t, paced, Select{Feeds: []string{"a"}}), o)
		ctx, cancel := context.WithCancel(t.Context())
		rec, done := serve(ctx, s, "a", "")
		// One pass is 3s of events plus the 1s gap.
		time.Sleep(8*time.Second + time.Millisecond)
		cancel()
		<-done
		got := rec.got()
		want := []time.Duration{0, time.Second, 3 * time.Second, 4 * time.Second, 5 * time.Second, 7 * time.Second, 8 * time.Second}
		if len(got) != len(want) {
			t.Fatalf("%d events: %+v", len(got), got)
		}
		for i := range got {
			if got[i].at != want[i] || got[i].Data != []string{"first", "second", "third"}[i%3] {
				t.Errorf("event %d: %q at %v, want at %v", i, got[i].Data, got[i].at, want[i])
			}
		}
		// The second pass clears the id of the first event again.
		if got[3].ID != "" || got[2].ID != "2" {
			t.Errorf("ids across the loop: %q then %q", got[2].ID, got[3].ID)
		}
		if s.Ended("a") {
			t.Error("a looping feed ended")
		}
		// A looping replay never answers 204; a client resuming mid-pass
		// continues after its event.
		ctx2, cancel2 := context.WithCancel(t.Context())
		rec2, done2 := serve(ctx2, s, "a", "1")
		synctest.Wait()
		if rec2.status != http.StatusOK {
			t.Errorf("status %d", rec2.status)
		}
		// At 8s the third pass has begun and has not reached "second" yet, so
		// this client got it in the second pass: "third" (7s) and the third
		// pass's "first" (8s) are due at once.
		if got := datas(rec2.got()); strings.Join(got, "|") != "third|first" {
			t.Errorf("resumed mid-loop: %q", got)
		}
		cancel2()
		<-done2
	})
}

func TestHeartbeat(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		lines := []capture.Line{ev("a", 0, "message", "", "x"), ev("a", time.Minute+5*time.Second, "message", "", "y")}
		o := DefaultOptions()
		o.Heartbeat = 10 * time.Second
		s := New(mustRecording(t, lines, Select{}), o)
		rec, done := serve(t.Context(), s, "a", "")
		<-done
		if n := strings.Count(rec.raw.String(), ":\n"); n != 6 {
			t.Errorf("%d heartbeats in a minute of silence at 10s, want 6:\n%s", n, rec.raw.String())
		}
	})
}

func TestHostileCaptureCannotInjectFields(t *testing.T) {
	lines := []capture.Line{ev("a", 0, "x\nevent: y", "1\r\nid: 2", "d\rdata: e\r\nf")}
	o := DefaultOptions()
	o.Speed = 0
	s := New(mustRecording(t, lines, Select{}), o)
	rec, done := serve(t.Context(), s, "a", "")
	<-done
	got := rec.got()
	if len(got) != 1 {
		t.Fatalf("%+v", got)
	}
	if e := got[0].Event; e.Type != "xevent: y" || e.ID != "1id: 2" || e.Data != "d\ndata: e\nf" {
		t.Errorf("got %+v", e)
	}
}

func TestListing(t *testing.T) {
	o := DefaultOptions()
	o.Name = "rec.ndjson"
	o.Speed = 0
	s := New(mustRecording(t, paced, Select{}), o)
	srv := httptest.NewServer(s)
	defer srv.Close()

	get := func(path, accept string) (*http.Response, string) {
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		if accept != "" {
			req.Header.Set("Accept", accept)
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b strings.Builder
		_, _ = io.Copy(&b, resp.Body)
		return resp, b.String()
	}
	_, text := get("/", "")
	for _, want := range []string{"rec.ndjson", "4 events", "FEED", srv.URL + "/feeds/a", srv.URL + "/feeds/b"} {
		if !strings.Contains(text, want) {
			t.Errorf("text listing lacks %q:\n%s", want, text)
		}
	}
	resp, body := get("/", "application/json, text/plain;q=0.5")
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	var l listing
	if err := json.Unmarshal([]byte(body), &l); err != nil {
		t.Fatal(err)
	}
	if len(l.Feeds) != 2 || l.Feeds[0].Name != "a" || l.Feeds[0].Events != 3 || l.Feeds[1].URL != srv.URL+"/feeds/b" || l.Events != 4 || l.SpanMS != 3000 {
		t.Errorf("JSON listing %+v", l)
	}
	if resp, _ := get("/feeds/nope", ""); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown feed: %d", resp.StatusCode)
	}
	if resp, _ := get("/other", ""); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown path: %d", resp.StatusCode)
	}
}

func TestFeedNamesThatAreURLs(t *testing.T) {
	// tail names feeds by their URL: the name travels escaped in one segment.
	name := "http://127.0.0.1:8080/events/stocks?x=1 y"
	lines := []capture.Line{ev(name, 0, "message", "", "x")}
	o := DefaultOptions()
	o.Speed = 0
	srv := httptest.NewServer(New(mustRecording(t, lines, Select{}), o))
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL + Path(name))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	_, _ = io.Copy(&b, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(b.String(), "data: x\n") {
		t.Errorf("%d %q", resp.StatusCode, b.String())
	}
}

func TestSelect(t *testing.T) {
	r := mustRecording(t, paced, Select{From: t0.Add(500 * time.Millisecond)})
	if r.Events() != 3 || r.Origin != t0.Add(time.Second) || r.Feed("a").Events[0].Data != "second" || r.Span != 2*time.Second {
		t.Errorf("from: %+v", r)
	}
	r = mustRecording(t, paced, Select{Feeds: []string{"b"}})
	if len(r.Feeds) != 1 || r.Events() != 1 || r.Feed("b").Events[0].At != 0 {
		t.Errorf("feeds b: %+v", r)
	}
	if _, err := NewRecording(paced, Select{Feeds: []string{"a", "zz"}}); err == nil || !strings.Contains(err.Error(), `"zz"`) || !strings.Contains(err.Error(), `"b"`) {
		t.Errorf("unknown feed: %v", err)
	}
	// Out-of-order times within a feed are clamped, never negative waits.
	r = mustRecording(t, []capture.Line{ev("a", time.Second, "m", "", "1"), ev("a", 0, "m", "", "2")}, Select{})
	if e := r.Feed("a").Events; e[1].At != e[0].At {
		t.Errorf("clamped: %+v", e)
	}
}

func TestHeadDoesNotPlay(t *testing.T) {
	s := New(mustRecording(t, ids, Select{}), DefaultOptions())
	srv := httptest.NewServer(s)
	defer srv.Close()
	resp, err := srv.Client().Head(srv.URL + Path("f"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" || s.Ended("f") {
		t.Errorf("HEAD: %d %q, ended %v", resp.StatusCode, resp.Header.Get("Content-Type"), s.Ended("f"))
	}
}

func TestListingSanitizesNames(t *testing.T) {
	o := DefaultOptions()
	o.Name = "cap\x1b]0;pwned\x07.ndjson"
	s := New(mustRecording(t, []capture.Line{ev("evil\x1b[2J\r\nname", 0, "message", "", "x")}, Select{}), o)
	req := httptest.NewRequest("GET", "/", nil)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if body := rec.Body.String(); strings.ContainsAny(body, "\x1b\x07\r") || !strings.Contains(body, "evil") {
		t.Errorf("listing %q", body)
	}
}
