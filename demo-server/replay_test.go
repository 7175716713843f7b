package demoserver

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

func publishN(t *testing.T, s *Server, topic string, n int) {
	t.Helper()
	for i := range n {
		publish(t, s, topic, "tick", fmt.Sprintf(`{"topic":%q,"i":%d}`, topic, i))
	}
}

func decodeReset(t *testing.T, b sseBlock) reset {
	t.Helper()
	if b.Event != "reset" {
		t.Fatalf("got %s event (id %q, %s), want reset", b.Event, b.ID, b.Data)
	}
	var r reset
	if err := json.Unmarshal([]byte(b.Data), &r); err != nil {
		t.Fatalf("reset data %s: %v", b.Data, err)
	}
	return r
}

// expectIDs reads events and checks their ids.
func expectIDs(t *testing.T, st *sseStream, ids ...string) {
	t.Helper()
	for _, want := range ids {
		b := st.mustEvent(t)
		if b.ID != want || b.Event != "tick" {
			t.Fatalf("got %s event with id %q (%s), want tick %q", b.Event, b.ID, b.Data, want)
		}
	}
}

func TestReplayStrictlyAfter(t *testing.T) {
	s := startServer(t, nil)
	ctx := testContext(t)
	publishN(t, s, TopicStocks, 10)
	for _, tc := range []struct {
		name, lastID string
		from         int
	}{
		{"middle", "4", 5},
		{"first", "1", 2},
		{"zero is before the first event", "0", 1},
		{"topic-prefixed id", "stocks:7", 8},
		{"latest: nothing to replay", "14", 15},
	} {
		t.Run(tc.name, func(t *testing.T) {
			latest := int(s.Status().Topics[TopicStocks].Latest) // earlier cases published more
			st := openStream(t, ctx, s.URL()+"/events/stocks", tc.lastID)
			var want []string
			for i := tc.from; i <= latest; i++ {
				want = append(want, strconv.Itoa(i))
			}
			expectIDs(t, st, want...)
			// Then live, without a gap: the subscription was registered with the replay.
			id := publish(t, s, TopicStocks, "tick", `{}`)
			expectIDs(t, st, id)
		})
	}
}

func TestReplayQueryParameter(t *testing.T) {
	s := startServer(t, nil)
	publishN(t, s, TopicNews, 5)
	st := openStream(t, testContext(t), s.URL()+"/events/news?lastEventID=3", "")
	expectIDs(t, st, "4", "5")
	// The header wins over the query parameter.
	st = openStream(t, testContext(t), s.URL()+"/events/news?lastEventID=1", "4")
	expectIDs(t, st, "5")
}

func TestReplayRingOverflow(t *testing.T) {
	s := startServer(t, func(o *Options) { o.History = 5 })
	ctx := testContext(t)
	publishN(t, s, TopicSports, 20)

	// 15 is the last id whose successors are all still kept.
	st := openStream(t, ctx, s.URL()+"/events/sports", "15")
	expectIDs(t, st, "16", "17", "18", "19", "20")

	st = openStream(t, ctx, s.URL()+"/events/sports", "14")
	b := st.mustEvent(t)
	r := decodeReset(t, b)
	if r.Reason != reasonTooOld || r.Topic != TopicSports || r.Requested != "14" || r.Oldest == nil || *r.Oldest != 16 || r.Latest != 20 {
		t.Errorf("reset = %+v, want id too old, oldest 16, latest 20", r)
	}
	if b.ID != "20" {
		t.Errorf("reset carries id %q, want the live position 20", b.ID)
	}
	// Continues live, from the next event.
	publish(t, s, TopicSports, "tick", `{}`)
	expectIDs(t, st, "21")
}

func TestReplayNoHistory(t *testing.T) {
	s := startServer(t, func(o *Options) { o.History = 0 })
	publishN(t, s, TopicNews, 3)
	st := openStream(t, testContext(t), s.URL()+"/events/news", "2")
	if r := decodeReset(t, st.mustEvent(t)); r.Reason != reasonTooOld || r.Oldest != nil {
		t.Errorf("reset = %+v", r)
	}
	st = openStream(t, testContext(t), s.URL()+"/events/news", "3")
	publish(t, s, TopicNews, "tick", `{}`)
	expectIDs(t, st, "4")
}

func TestReplayUnknownIDs(t *testing.T) {
	s := startServer(t, nil)
	ctx := testContext(t)
	publishN(t, s, TopicStocks, 5)
	for _, lastID := range []string{
		"abc", "-1", "+3", "3 4", "1.5", "99", "99999999999999999999999",
		"stocks:", "stocks:x", "weather:3", "news:3", "stocks:3,stocks:4", "stocks:3,", "\u00e9\u00e9",
		strings.Repeat("9", 2000),
	} {
		t.Run(lastID[:min(len(lastID), 24)], func(t *testing.T) {
			latest := s.Status().Topics[TopicStocks].Latest
			st := openStream(t, ctx, s.URL()+"/events/stocks", lastID)
			b := st.mustEvent(t)
			r := decodeReset(t, b)
			if r.Reason != reasonUnknownID || r.Topic != TopicStocks || r.Latest != latest || r.Oldest == nil || *r.Oldest != 1 || r.Message == "" {
				t.Errorf("reset = %+v", r)
			}
			if len(r.Requested) > 210 {
				t.Errorf("reset echoes %d bytes of the requested id", len(r.Requested))
			}
			if b.ID != strconv.FormatUint(latest, 10) {
				t.Errorf("reset id = %q, want %d", b.ID, latest)
			}
			id := publish(t, s, TopicStocks, "tick", `{}`)
			expectIDs(t, st, id)
		})
	}
}

func TestReplayMultiTopic(t *testing.T) {
	s := startServer(t, nil)
	ctx := testContext(t)
	// Interleave: the replay must keep this order.
	order := []string{TopicStocks, TopicNews, TopicStocks, TopicSports, TopicNews, TopicNews, TopicStocks}
	for i, topic := range order {
		publish(t, s, topic, "tick", fmt.Sprintf(`{"i":%d}`, i))
	}
	// The client saw stocks 1 and news 1 (the first two events).
	st := openStream(t, ctx, s.URL()+"/events?topics=stocks,news", "stocks:1,news:1")
	for _, want := range []struct{ id, data string }{
		{"stocks:2,news:1", `{"i":2}`},
		{"stocks:2,news:2", `{"i":4}`},
		{"stocks:2,news:3", `{"i":5}`},
		{"stocks:3,news:3", `{"i":6}`},
	} {
		b := st.mustEvent(t)
		if b.ID != want.id || b.Data != want.data {
			t.Fatalf("got id %q data %s, want id %q data %s", b.ID, b.Data, want.id, want.data)
		}
	}
	// Order of the parts in the id does not matter.
	st = openStream(t, ctx, s.URL()+"/events?topics=stocks,news", "news:3,stocks:2")
	if b := st.mustEvent(t); b.ID != "stocks:3,news:3" || b.Data != `{"i":6}` {
		t.Fatalf("got id %q data %s", b.ID, b.Data)
	}
}

func TestReplayMultiTopicPartialReset(t *testing.T) {
	s := startServer(t, func(o *Options) { o.History = 3 })
	ctx := testContext(t)
	publishN(t, s, TopicStocks, 4)
	publishN(t, s, TopicNews, 10)
	// stocks is resumable, news has left the ring, sports is not in the id.
	st := openStream(t, ctx, s.URL()+"/events?topics=stocks,news,sports", "stocks:2,news:1")
	r1 := decodeReset(t, st.mustEvent(t))
	b := st.mustEvent(t)
	r2 := decodeReset(t, b)
	if r1.Topic != TopicNews || r1.Reason != reasonTooOld || r2.Topic != TopicSports || r2.Reason != reasonUnknownID {
		t.Fatalf("resets = %+v, %+v", r1, r2)
	}
	// The reset's id puts the reset topics at their live position and keeps
	// stocks where the client was, so reconnecting now loses nothing.
	if b.ID != "stocks:2,news:10,sports:0" {
		t.Errorf("second reset id = %q", b.ID)
	}
	expectIDs(t, st, "stocks:3,news:10,sports:0", "stocks:4,news:10,sports:0")

	// A plain integer is ambiguous on a multi-topic stream: every topic resets.
	st = openStream(t, ctx, s.URL()+"/events?topics=stocks,news", "3")
	for _, topic := range []string{TopicStocks, TopicNews} {
		if r := decodeReset(t, st.mustEvent(t)); r.Topic != topic || r.Reason != reasonUnknownID {
			t.Errorf("reset = %+v, want unknown id for %s", r, topic)
		}
	}
}

// TestResumeUnderLoad reconnects again and again, at random points, while
// events are generated on every topic, and checks from the ids alone that the
// client saw every event of every topic exactly once and in order.
func TestResumeUnderLoad(t *testing.T) {
	// History far beyond what 400 events/s fill while a reconnect is slow
	// (seen: 2.7 s under -race -count=5 on a loaded machine), so the test
	// checks resume itself, not what happens once the history is outrun.
	s := startServer(t, func(o *Options) { o.Rate = 400; o.History = 1 << 16 })
	ctx := testContext(t)
	rng := rand.New(rand.NewPCG(7, 7))

	t.Run("single topic", func(t *testing.T) {
		lastID, prev := "", uint64(0)
		for range 25 {
			st, err := dialStream(ctx, s.URL()+"/events/stocks", lastID)
			if err != nil {
				t.Fatal(err)
			}
			for range 1 + rng.IntN(40) {
				b := st.mustEvent(t)
				n, err := strconv.ParseUint(b.ID, 10, 64)
				if err != nil {
					t.Fatalf("id %q: %v", b.ID, err)
				}
				if prev != 0 && n != prev+1 {
					t.Fatalf("after %d came %d (resumed from %q)", prev, n, lastID)
				}
				prev, lastID = n, b.ID
			}
			st.resp.Body.Close()
		}
	})

	t.Run("multi topic", func(t *testing.T) {
		names := []string{TopicNews, TopicStocks, TopicSports}
		path := "/events?topics=" + url.QueryEscape(strings.Join(names, ","))
		var lastID string
		var prev map[string]uint64
		for range 25 {
			st, err := dialStream(ctx, s.URL()+path, lastID)
			if err != nil {
				t.Fatal(err)
			}
			for range 1 + rng.IntN(60) {
				b := st.mustEvent(t)
				pos, ok := parseLastEventID(b.ID, names)
				if !ok || len(pos) != 3 {
					t.Fatalf("id %q is not a position in all three topics", b.ID)
				}
				if prev != nil {
					moved := 0
					for _, n := range names {
						switch {
						case pos[n] == prev[n]:
						case pos[n] == prev[n]+1:
							moved++
						default:
							t.Fatalf("%s went from %d to %d (id %q after %q)", n, prev[n], pos[n], b.ID, lastID)
						}
					}
					if moved != 1 {
						t.Fatalf("id %q after %q: %d topics advanced, want exactly 1", b.ID, lastID, moved)
					}
				}
				prev, lastID = pos, b.ID
			}
			st.resp.Body.Close()
		}
	})
}

func TestSubscribeAfterShutdownGetsShutdownEvent(t *testing.T) {
	s := startServer(t, nil)
	s.hub.close()
	st := openStream(t, testContext(t), s.URL()+"/events/stocks", "")
	if b := st.mustEvent(t); b.Event != "shutdown" {
		t.Fatalf("got %+v", b)
	}
	if _, err := st.next(); err == nil {
		t.Fatal("stream went on after shutdown")
	}
}

// TestReplayLong: a replay longer than one write batch arrives whole and in
// order, then the stream goes on live.
func TestReplayLong(t *testing.T) {
	s := startServer(t, func(o *Options) { o.History = 3000 })
	publishN(t, s, TopicNews, 2500)
	st := openStream(t, testContext(t), s.URL()+"/events/news", "0")
	for n := 1; n <= 2500; n++ {
		if b := st.mustEvent(t); b.ID != strconv.Itoa(n) {
			t.Fatalf("event %d has id %q", n, b.ID)
		}
	}
	publish(t, s, TopicNews, "tick", `{}`)
	expectIDs(t, st, "2501")
}

// TestReplayGeneratedTopics: the jobs and metrics topics resume like the
// others: a client that reconnects with the id of an event it saw gets the
// very events that followed it, byte for byte, then the live ones.
func TestReplayGeneratedTopics(t *testing.T) {
	s := startServer(t, func(o *Options) { o.Rate = 100 })
	ctx := testContext(t)
	for _, path := range []string{"/events/jobs", "/events/metrics", "/events?topics=jobs,metrics"} {
		t.Run(path, func(t *testing.T) {
			first := openStream(t, ctx, s.URL()+path, "")
			var seen []sseBlock
			for range 15 {
				seen = append(seen, first.mustEvent(t))
			}
			first.resp.Body.Close()
			again := openStream(t, ctx, s.URL()+path, seen[4].ID)
			for _, want := range seen[5:] {
				got := again.mustEvent(t)
				if got.ID != want.ID || got.Event != want.Event || got.Data != want.Data {
					t.Fatalf("replayed %q %s %s, want %q %s %s", got.ID, got.Event, got.Data, want.ID, want.Event, want.Data)
				}
			}
			// And on into events published after the first connection closed.
			for range 20 {
				if b := again.mustEvent(t); b.Event == "reset" {
					t.Fatalf("reset %s", b.Data)
				}
			}
		})
	}
}
