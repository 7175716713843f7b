package live

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/livefeed/livefeed/config"
	"github.com/livefeed/livefeed/feed"
)

func TestFeedOptions(t *testing.T) {
	c := &config.Feed{Name: "x", URL: "https://example.invalid/sse", Headers: map[string]string{"authorization": "Bearer t", "X-Api-Key": "k"},
		Retry: 2 * time.Second, MaxBackoff: time.Minute, Stale: 0, MaxEventSize: 4096, ConnectTimeout: 5 * time.Second,
		TLS: config.TLS{CAFile: "/ca.pem"}}
	o := FeedOptions(c)
	if o.Stale != 0 {
		t.Errorf("stale 0 (off) became %v, want 0 (off in the engine too)", o.Stale)
	}
	if o.URL != c.URL || o.Retry != c.Retry || o.MaxBackoff != c.MaxBackoff || o.MaxEventSize != 4096 || o.ConnectTimeout != c.ConnectTimeout || o.CAFile != "/ca.pem" {
		t.Errorf("options = %+v", o)
	}
	// Names pass through as written; the engine canonicalizes them.
	if h := o.Header; len(h["authorization"]) != 1 || h["authorization"][0] != "Bearer t" || len(h["X-Api-Key"]) != 1 || h["X-Api-Key"][0] != "k" {
		t.Errorf("headers = %v", o.Header)
	}
	c.Stale = 10 * time.Second
	if o := FeedOptions(c); o.Stale != 10*time.Second {
		t.Errorf("stale 10s became %v", o.Stale)
	}
}

// A feed the config says nothing about runs with the engine's defaults:
// there is one set of them.
func TestFeedOptionsDefaults(t *testing.T) {
	cfg, problems := config.Check(strings.NewReader("feeds:\n  a: { url: \"http://127.0.0.1:1/a\" }\n"), config.Options{Name: "d.yaml"})
	if errs := problems.Errors(); len(errs) > 0 {
		t.Fatal(errs)
	}
	want := feed.DefaultOptions()
	want.URL = "http://127.0.0.1:1/a"
	want.Coalesce = Coalesce // the runtime's own read window
	if got := FeedOptions(cfg.Feed("a")); !reflect.DeepEqual(got, want) {
		t.Errorf("options = %+v\nwant %+v", got, want)
	}
}

// The request keys reach the engine: a body written as YAML gets a JSON
// Content-Type unless the headers set one, in any case.
func TestFeedOptionsRequest(t *testing.T) {
	c := &config.Feed{Name: "x", URL: "http://127.0.0.1:1/", Method: "POST", Body: `{"a":1}`, BodyJSON: true,
		HeadersCommand: []string{"tok", "-v"}, Reconnect: feed.ReconnectAlways, EndOn: "[DONE]", RetryOn: []int{}}
	o := FeedOptions(c)
	if o.Method != "POST" || string(o.Body) != `{"a":1}` || o.Header.Get("Content-Type") != "application/json" ||
		!reflect.DeepEqual(o.HeadersCommand, []string{"tok", "-v"}) || o.Reconnect != feed.ReconnectAlways || o.EndOn != "[DONE]" ||
		o.RetryOn == nil || len(o.RetryOn) != 0 {
		t.Errorf("options = %+v", o)
	}
	c.Headers = map[string]string{"content-type": "application/vnd.api+json"}
	if h := FeedOptions(c).Header; len(h) != 1 || h["content-type"][0] != "application/vnd.api+json" {
		t.Errorf("headers = %v, want the configured content-type only", h)
	}
	c.BodyJSON = false
	c.Headers = nil
	if h := FeedOptions(c).Header; h != nil {
		t.Errorf("text body got headers %v", h)
	}
	if o := FeedOptions(&config.Feed{URL: "http://127.0.0.1:1/"}); o.Method != "GET" || !reflect.DeepEqual(o.RetryOn, feed.DefaultRetryOn()) || o.Body != nil {
		t.Errorf("unparsed feed: %+v", o)
	}
}

func TestRuntimeReconnectAndStop(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	fs := New(ctx, nil)
	cfg := &config.Config{Feeds: []*config.Feed{{Name: "a", URL: "http://127.0.0.1:9/a", Retry: time.Hour, MaxBackoff: time.Hour, ConnectTimeout: time.Second}}}
	if err := fs.Apply(cfg, config.Changes{}, true); err != nil {
		t.Fatal(err)
	}
	// First CONNECTING, then (connection refused) CONNECTING with a long wait.
	waitStatus := func() *feed.Status {
		t.Helper()
		for {
			select {
			case b := <-fs.Batches():
				if b.Status != nil {
					return b.Status
				}
			case <-time.After(10 * time.Second):
				t.Fatal("no status from the feed")
			}
		}
	}
	waitStatus()
	if st := waitStatus(); st.State != feed.Connecting || st.ReconnectIn < time.Minute {
		t.Fatalf("status after refusal = %+v", st)
	}
	fs.Reconnect([]string{"a"})
	if st := waitStatus(); st.State != feed.Connecting {
		t.Fatalf("after reconnect = %+v", st)
	}
	fs.StopAll(5 * time.Second)
	if len(fs.running) != 0 {
		t.Errorf("feeds still registered after StopAll")
	}
}

// A feed that cannot start says so once, by name, as a *feed.FeedError per
// feed: no doubled "feed "x": feed "x":" prefix.
func TestApplyFeedErrors(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rt := New(ctx, nil)
	defer rt.StopAll(5 * time.Second)
	cfg := &config.Config{Feeds: []*config.Feed{
		{Name: "a", URL: "http://127.0.0.1:9/a", TLS: config.TLS{CAFile: "/nonexistent/ca.pem"}},
		{Name: "b", URL: "ftp://127.0.0.1:9/b"},
	}}
	err := rt.Apply(cfg, config.Changes{}, true)
	if err == nil {
		t.Fatal("no error for feeds that cannot start")
	}
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var fe *feed.FeedError
		if !errors.As(e, &fe) {
			t.Fatalf("%v is not a *feed.FeedError", e)
		}
		if prefix := fmt.Sprintf("feed %q: ", fe.Name); !strings.HasPrefix(e.Error(), prefix) || strings.Count(e.Error(), "feed \"") != 1 {
			t.Errorf("error text %q, want the feed named once", e)
		}
	}
	if !strings.Contains(err.Error(), `feed "a": CA file`) || !strings.Contains(err.Error(), `feed "b": URL`) {
		t.Errorf("error = %q", err)
	}
}
