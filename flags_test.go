package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/livefeed/livefeed/feed"
)

func TestSplitArgs(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
		err  bool
	}{
		{"get-token --scope read", []string{"get-token", "--scope", "read"}, false},
		{`  a  'b c'  "d \"e\" $HOME"  f\ g `, []string{"a", "b c", `d "e" $HOME`, "f g"}, false},
		{`x''y ""`, []string{"xy", ""}, false},
		{`'unclosed`, nil, true},
		{`"unclosed`, nil, true},
		{`trailing\`, nil, true},
		{"", nil, false},
	} {
		got, err := splitArgs(tc.in)
		if (err != nil) != tc.err || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("splitArgs(%q) = %q, %v; want %q (error %v)", tc.in, got, err, tc.want, tc.err)
		}
	}
}

func TestParseRetryOn(t *testing.T) {
	for in, want := range map[string][]int{"502,503": {502, 503}, " 429 , 503,503": {429, 503}, "none": {}, "[]": {}} {
		got, err := parseRetryOn(in)
		if err != nil || !reflect.DeepEqual(got, want) || got == nil {
			t.Errorf("parseRetryOn(%q) = %#v, %v; want %#v", in, got, err, want)
		}
	}
	for _, in := range []string{"200", "99", "600", "soon", "502,,503"} {
		if _, err := parseRetryOn(in); err == nil {
			t.Errorf("parseRetryOn(%q) accepted", in)
		}
	}
}

// parseRequest parses request flags as a subcommand would.
func parseRequest(t *testing.T, args ...string) (*requestFlags, request, error) {
	t.Helper()
	fs := newFlagSet("x", "x", "x", &bytes.Buffer{})
	r := addRequestFlags(fs)
	if _, err := parseFlags(fs, args); err != nil {
		return r, request{}, err
	}
	q, err := r.parse(fs)
	return r, q, err
}

// The request flags reach the engine's options: the defaults are the
// engine's, a JSON body gets its Content-Type unless a header sets one, and
// mistakes are usage errors.
func TestRequestFlags(t *testing.T) {
	r, q, err := parseRequest(t)
	if err != nil {
		t.Fatal(err)
	}
	o := r.options(q)
	d := feed.DefaultOptions()
	if o.Method != "GET" || o.Body != nil || o.Header != nil || !reflect.DeepEqual(o.RetryOn, d.RetryOn) || o.Reconnect != feed.ReconnectAuto ||
		o.Retry != d.Retry || o.Stale != d.Stale || o.MaxEventSize != d.MaxEventSize {
		t.Errorf("defaults: %+v", o)
	}

	r, q, err = parseRequest(t, "--method", "post", "--body", `{"model":"m","stream":true}`, "--end-on", "[DONE]",
		"--headers-command", "get-token --aud 'my api'", "--reconnect", "never", "--retry-on", "none", "--header", "X-A: 1")
	if err != nil {
		t.Fatal(err)
	}
	o = r.options(q)
	if o.Method != "POST" || string(o.Body) != `{"model":"m","stream":true}` || o.Header.Get("Content-Type") != "application/json" ||
		o.Header.Get("X-A") != "1" || o.EndOn != "[DONE]" || !reflect.DeepEqual(o.HeadersCommand, []string{"get-token", "--aud", "my api"}) ||
		o.Reconnect != feed.ReconnectNever || o.RetryOn == nil || len(o.RetryOn) != 0 {
		t.Errorf("options: %+v", o)
	}

	r, q, err = parseRequest(t, "--method", "PUT", "--body", `{"a":1}`, "--header", "content-type: application/merge-patch+json")
	if o := r.options(q); err != nil || o.Header.Get("Content-Type") != "application/merge-patch+json" {
		t.Errorf("content-type from --header lost: %v %v", o.Header, err)
	}
	r, q, err = parseRequest(t, "--method", "POST", "--body", "a=1&b=2")
	if o := r.options(q); err != nil || o.Header != nil {
		t.Errorf("a text body got headers %v (%v)", o.Header, err)
	}

	file := filepath.Join(t.TempDir(), "q.json")
	if err := os.WriteFile(file, []byte(`[1,2]`), 0o600); err != nil {
		t.Fatal(err)
	}
	r, q, err = parseRequest(t, "--method", "PATCH", "--body-file", file)
	if o := r.options(q); err != nil || string(o.Body) != "[1,2]" || q.bodyFile != file || o.Header.Get("Content-Type") != "application/json" {
		t.Errorf("body file: %+v %v", o, err)
	}

	for _, args := range [][]string{
		{"--method", "FETCH"},
		{"--body", "x", "--body-file", file},
		{"--body-file", filepath.Join(t.TempDir(), "missing")},
		{"--reconnect", "sometimes"},
		{"--retry-on", "700"},
		{"--headers-command", "'unclosed"},
		{"--headers-command", "  "},
		{"--retry", "0s"},
	} {
		_, _, err := parseRequest(t, args...)
		var ue usageError
		if !errors.As(err, &ue) {
			t.Errorf("%q: err = %v, want a usage error", args, err)
		} else if !strings.HasPrefix(err.Error(), "x: ") {
			t.Errorf("%q: error %q does not name the command", args, err)
		}
	}
}

// tail's state lines carry the server's error body: as "body" in JSON, and
// escaped after the reason in text; a Retry-After wait says so.
func TestTailStateLineBody(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	closed := &feed.Status{State: feed.Closed, HTTPStatus: 401, Err: &feed.HTTPError{Status: 401, Body: "{\"error\":\"token expired\"}\x1b[2J"}}
	retry := &feed.Status{State: feed.Connecting, Attempt: 2, HTTPStatus: 503, RetryAfter: true, ReconnectIn: 4 * time.Second,
		Err: &feed.HTTPError{Status: 503, Body: "busy"}}
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	p := printer{w: w}
	if err := p.status("u", at, closed); err != nil {
		t.Fatal(err)
	}
	if err := p.status("u", at, retry); err != nil {
		t.Fatal(err)
	}
	jp := printer{w: w, json: true}
	if err := jp.status("u", at, closed); err != nil {
		t.Fatal(err)
	}
	if err := jp.status("u", at, retry); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 4 {
		t.Fatalf("lines:\n%s", buf.String())
	}
	if want := `CLOSED: server returned 401 Unauthorized {"error":"token expired"}\u001b[2J`; !strings.HasSuffix(lines[0], want) {
		t.Errorf("text closed line %q, want suffix %q", lines[0], want)
	}
	if !strings.Contains(lines[1], "in 4s as Retry-After says") || !strings.HasSuffix(lines[1], " busy") {
		t.Errorf("text retry line %q", lines[1])
	}
	var l tailLine
	if err := json.Unmarshal([]byte(lines[2]), &l); err != nil || l.Body != "{\"error\":\"token expired\"}\x1b[2J" || l.Status != 401 {
		t.Errorf("json closed line %s (%v)", lines[2], err)
	}
	if err := json.Unmarshal([]byte(lines[3]), &l); err != nil || l.Body != "busy" || !l.RetryAfter {
		t.Errorf("json retry line %s (%v)", lines[3], err)
	}
}

// tail exits 0 when every feed ended as told: 204, or its end_on event.
func TestTailAllClosedFinished(t *testing.T) {
	ok := map[string]feed.Status{
		"a": {State: feed.Closed, HTTPStatus: 204, Err: &feed.HTTPError{Status: 204}},
		"b": {State: feed.Closed, HTTPStatus: 200, Err: feed.ErrFinished},
	}
	if err := allClosed(ok); !errors.Is(err, errDone) {
		t.Errorf("204 and end_on: %v", err)
	}
	ok["c"] = feed.Status{State: feed.Closed, HTTPStatus: 401, Err: &feed.HTTPError{Status: 401}}
	if err := allClosed(ok); errors.Is(err, errDone) || !strings.Contains(err.Error(), "c: server returned 401") {
		t.Errorf("with a 401: %v", err)
	}
}

// Shell rules beyond the common cases: quotes inside words, escapes in and
// out of double quotes, line continuations, and nothing expanded.
func TestSplitArgsLikeAShell(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"tok", []string{"tok"}},
		{"  gcloud  auth\tprint-access-token \n", []string{"gcloud", "auth", "print-access-token"}},
		{`tok --scope "a b" 'c d'`, []string{"tok", "--scope", "a b", "c d"}},
		{`a'b'"c"d`, []string{"abcd"}},
		{`'' ""`, []string{"", ""}},
		{`'it''s' "say \"hi\" \\ \$HOME \n"`, []string{"its", `say "hi" \ $HOME \n`}},
		{`a\ b c\'d \"e\\`, []string{"a b", "c'd", `"e\`}},
		{"a\\\nb", []string{"ab"}},
		{"\"a\\\nb\" c", []string{"ab", "c"}},
		{`$HOME ~ *.go $(rm -rf x) ; |`, []string{"$HOME", "~", "*.go", "$(rm", "-rf", "x)", ";", "|"}},
		{`'single keeps \ and "'`, []string{`single keeps \ and "`}},
		{"", nil},
	}
	for _, tc := range tests {
		got, err := splitArgs(tc.in)
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("splitArgs(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{`'open`, `"open`, `"a\"`, `end\`} {
		if got, err := splitArgs(bad); err == nil {
			t.Errorf("splitArgs(%q) = %q, want an error", bad, got)
		}
	}
}

// Any line splits without panicking, and its words, each put back in single
// quotes as a shell user would write them, split to the same words.
func FuzzSplitArgs(f *testing.F) {
	for _, s := range []string{`tok --scope "a b"`, `a\ b 'c'"d"`, `"x\"y"`, "a\\\nb", `'`, `\`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		words, err := splitArgs(s)
		if err != nil {
			return
		}
		quoted := make([]string, len(words))
		for i, w := range words {
			quoted[i] = "'" + strings.ReplaceAll(w, "'", `'\''`) + "'"
		}
		again, err := splitArgs(strings.Join(quoted, " "))
		if err != nil || !reflect.DeepEqual(again, words) && !(len(again) == 0 && len(words) == 0) {
			t.Fatalf("%q split to %q; quoted back %q split to %q, %v", s, words, quoted, again, err)
		}
	})
}
