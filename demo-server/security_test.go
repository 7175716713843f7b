package demoserver

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestLoopbackHost(t *testing.T) {
	for host, want := range map[string]bool{
		"":                      true, // HTTP/1.0 without Host
		"localhost":             true,
		"localhost:8080":        true,
		"LocalHost:1":           true,
		"localhost.:8080":       true,
		"127.0.0.1":             true,
		"127.0.0.1:8080":        true,
		"127.1.2.3:80":          true,
		"[::1]":                 true,
		"[::1]:8080":            true,
		"[::ffff:127.0.0.1]:80": true,
		"evil.example":          false,
		"evil.example:8080":     false,
		"localhost.evil.com":    false,
		"127.0.0.1.nip.io:8080": false,
		"sub.localhost:8080":    false,
		"10.0.0.1:8080":         false,
		"[::2]:8080":            false,
		"[fe80::1%25lo]:80":     false,
		"0.0.0.0:8080":          false,
		"[::1":                  false,
	} {
		if got := loopbackHost(host); got != want {
			t.Errorf("loopbackHost(%q) = %v, want %v", host, got, want)
		}
	}
}

// doHost sends a request to s with the given Host header.
func doHost(t *testing.T, base, method, path, host string, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, base+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Host = host
	client := &http.Client{Timeout: 5 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusOK && strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		return resp.StatusCode, "" // a stream: do not wait for its end
	}
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestHostCheck: on loopback, a request made for another host name (a
// DNS-rebinding page's own name) is refused with 421 on every endpoint,
// before it can publish or subscribe.
func TestHostCheck(t *testing.T) {
	s := startServer(t, nil)
	if !s.Loopback() {
		t.Fatal("a server on 127.0.0.1 says it is not on loopback")
	}
	publishBody := `{"topic":"news","data":1}`
	for _, ep := range []struct{ method, path, body string }{
		{"GET", "/", ""},
		{"GET", "/healthz", ""},
		{"GET", "/events/stocks", ""},
		{"GET", "/events?topics=news", ""},
		{"POST", "/publish", publishBody},
	} {
		for _, host := range []string{"evil.example", "rebind.evil.example:" + portOf(t, s), "localhost.evil.example"} {
			status, body := doHost(t, s.URL(), ep.method, ep.path, host, ep.body)
			if status != http.StatusMisdirectedRequest || !strings.Contains(body, "not a loopback name") {
				t.Errorf("%s %s with Host %s: %d %q, want 421", ep.method, ep.path, host, status, body)
			}
		}
	}
	if got := s.Status().Topics[TopicNews].Latest; got != 0 {
		t.Fatalf("refused publishes produced %d events", got)
	}
	for _, host := range []string{"localhost:" + portOf(t, s), "127.0.0.1:" + portOf(t, s), "[::1]:" + portOf(t, s), "LOCALHOST", "127.9.9.9"} {
		if status, body := doHost(t, s.URL(), "GET", "/healthz", host, ""); status != http.StatusOK {
			t.Errorf("GET /healthz with Host %s: %d %q, want 200", host, status, body)
		}
		if status, body := doHost(t, s.URL(), "POST", "/publish", host, publishBody); status != http.StatusAccepted {
			t.Errorf("POST /publish with Host %s: %d %q, want 202", host, status, body)
		}
	}
}

func portOf(t *testing.T, s *Server) string {
	_, port, err := net.SplitHostPort(s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	return port
}

// addrListener is a loopback listener that reports another address, so that
// a test can see what a server on a non-loopback address does while every
// test server still listens on 127.0.0.1 only.
type addrListener struct {
	net.Listener
	addr net.Addr
}

func (l addrListener) Addr() net.Addr { return l.addr }

// TestNoHostCheckOffLoopback: on any other address the server answers every
// Host (it is meant to be reached by name), and says so through Loopback.
func TestNoHostCheckOffLoopback(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	real := ln.Addr().String()
	opts := DefaultOptions()
	opts.Rate, opts.Seed = 0, 1
	ctx, cancel := context.WithCancel(context.Background())
	s := serve(ctx, opts, addrListener{ln, &net.TCPAddr{IP: net.IPv4zero, Port: 8080}})
	t.Cleanup(func() { cancel(); <-s.Done() })
	if s.Loopback() {
		t.Fatal("a server on 0.0.0.0 says it is on loopback")
	}
	if status, body := doHost(t, "http://"+real, "GET", "/healthz", "demo.example.com:8080", ""); status != http.StatusOK {
		t.Errorf("Host demo.example.com: %d %q, want 200", status, body)
	}
}

func TestPublishToken(t *testing.T) {
	const token = "s3cret-T0ken_~+/="
	s := startServer(t, func(o *Options) { o.PublishToken = token })
	body := `{"topic":"news","data":1}`
	for _, tc := range []struct {
		name, auth string
		status     int
	}{
		{"no header", "", 401},
		{"wrong token", "Bearer nope", 401},
		{"token prefix", "Bearer " + token[:5], 401},
		{"token and more", "Bearer " + token + "x", 401},
		{"basic scheme", "Basic " + token, 401},
		{"token without scheme", token, 401},
		{"right token", "Bearer " + token, 202},
		{"scheme is case-insensitive", "bearer " + token, 202},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := map[string]string{}
			if tc.auth != "" {
				h["Authorization"] = tc.auth
			}
			req, _ := http.NewRequest(http.MethodPost, s.URL()+"/publish", strings.NewReader(body))
			for k, v := range h {
				req.Header.Set(k, v)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			msg, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.status {
				t.Fatalf("got %d %s, want %d", resp.StatusCode, msg, tc.status)
			}
			if tc.status == 401 {
				if !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Bearer") || !strings.Contains(string(msg), "Authorization: Bearer") {
					t.Errorf("401 without a Bearer challenge or a hint: %q %s", resp.Header.Get("WWW-Authenticate"), msg)
				}
				if strings.Contains(string(msg), token) {
					t.Errorf("401 body echoes the token: %s", msg)
				}
			}
		})
	}
	if got := s.Status().Topics[TopicNews].Latest; got != 2 {
		t.Errorf("%d events published, want the 2 authorized ones", got)
	}
	// The in-process API is not behind the token: it is the embedding program's.
	publish(t, s, TopicNews, "headline", `{}`)
}

func TestPublishTokenValidation(t *testing.T) {
	for _, bad := range []string{"has space", "tab\t", "é", strings.Repeat("x", 1025)} {
		o := DefaultOptions()
		o.PublishToken = bad
		if err := o.Validate(); err == nil || !strings.Contains(err.Error(), "publish token") {
			t.Errorf("token %q: %v, want a publish token error", bad, err)
		}
	}
}

// TestUnknownTopicsNotEchoed: ten thousand made-up topic names get a short
// answer naming ten of them, not all of them back.
func TestUnknownTopicsNotEchoed(t *testing.T) {
	s := startServer(t, nil)
	names := make([]string, 10_000)
	for i := range names {
		names[i] = fmt.Sprintf("t%d", i)
	}
	status, body := doHost(t, s.URL(), "GET", "/events?topics=stocks,"+strings.Join(names, ","), "", "")
	if status != http.StatusNotFound {
		t.Fatalf("status %d, want 404", status)
	}
	want := `unknown topic "t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9" and 9990 more (topics: `
	if !strings.HasPrefix(body, want) || len(body) > 300 {
		t.Errorf("body (%d bytes) %q\nwant it to start with %q and be short", len(body), body[:min(len(body), 400)], want)
	}
	// One long name is cut, and duplicates count once.
	long := strings.Repeat("w", 5000)
	status, body = doHost(t, s.URL(), "GET", "/events?topics="+long+","+long+",x,x", "", "")
	if status != http.StatusNotFound || len(body) > 200 || !strings.Contains(body, `"x"`) || strings.Contains(body, "more") {
		t.Errorf("long names: %d %q", status, body)
	}
	status, body = doHost(t, s.URL(), "GET", "/events/"+long, "", "")
	if status != http.StatusNotFound || len(body) > 200 {
		t.Errorf("long topic path: %d %q", status, body)
	}
}
