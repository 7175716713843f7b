package main

import (
	"bytes"
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
	var a argvFlag
	if err := a.Set("   "); err == nil {
		t.Error("an empty command was accepted")
	}
}

// parseRequest parses request flags the way a command does.
func parseRequest(t *testing.T, args ...string) (feed.Options, error) {
	t.Helper()
	fs := newFlagSet("x", "x", "x", &bytes.Buffer{})
	r := requestFlags(fs)
	if _, err := parseFlags(fs, args); err != nil {
		return feed.Options{}, err
	}
	return r.options("x")
}

func TestRequestFlags(t *testing.T) {
	o, err := parseRequest(t)
	if err != nil {
		t.Fatal(err)
	}
	d := feed.DefaultOptions()
	if o.Method != "GET" || o.Body != nil || o.Header != nil || o.RetryOn != nil || o.Reconnect != feed.ReconnectAuto ||
		o.HeadersCommand != nil || o.EndOn != "" || o.Retry != d.Retry || o.MaxEventSize != d.MaxEventSize {
		t.Errorf("defaults: %+v", o)
	}

	file := filepath.Join(t.TempDir(), "q.json")
	if err := os.WriteFile(file, []byte("[1, 2]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args  []string
		check func(feed.Options) bool
	}{
		{[]string{"--method", "post", "--body", `{"stream": true}`}, func(o feed.Options) bool {
			return o.Method == "POST" && string(o.Body) == `{"stream": true}` && o.Header.Get("Content-Type") == "application/json"
		}},
		{[]string{"--body", `{"a":1}`, "--header", "content-type: text/plain"}, func(o feed.Options) bool {
			return o.Header.Values("Content-Type")[0] == "text/plain" && len(o.Header.Values("Content-Type")) == 1
		}},
		{[]string{"--body", "a=1&b=2"}, func(o feed.Options) bool { return string(o.Body) == "a=1&b=2" && o.Header == nil }},
		{[]string{"--body", "{not json"}, func(o feed.Options) bool { return o.Header == nil }},
		{[]string{"--body-file", file, "--method", "PATCH"}, func(o feed.Options) bool {
			return string(o.Body) == "[1, 2]\n" && o.Header.Get("Content-Type") == "application/json" && o.Method == "PATCH"
		}},
		{[]string{"--headers-command", `tok --aud "my api"`}, func(o feed.Options) bool {
			return reflect.DeepEqual(o.HeadersCommand, []string{"tok", "--aud", "my api"})
		}},
		{[]string{"--reconnect", "NEVER", "--end-on", "[DONE]"}, func(o feed.Options) bool {
			return o.Reconnect == feed.ReconnectNever && o.EndOn == "[DONE]"
		}},
		{[]string{"--retry-on", "503, 429,503"}, func(o feed.Options) bool { return reflect.DeepEqual(o.RetryOn, []int{503, 429}) }},
		{[]string{"--retry-on", "none"}, func(o feed.Options) bool { return o.RetryOn != nil && len(o.RetryOn) == 0 }},
		{[]string{"--retry", "10ms", "--stale", "0", "--max-event-size", "4KiB"}, func(o feed.Options) bool {
			return o.Retry == 10*time.Millisecond && o.Stale == 0 && o.MaxEventSize == 4096
		}},
		{[]string{"--header", "X-A: 1", "--header", "x-a: 2"}, func(o feed.Options) bool {
			return reflect.DeepEqual(o.Header.Values("X-A"), []string{"1", "2"})
		}},
	}
	for _, tc := range tests {
		o, err := parseRequest(t, tc.args...)
		if err != nil || !tc.check(o) {
			t.Errorf("%q: %+v, %v", tc.args, o, err)
		}
	}

	for _, args := range [][]string{
		{"--method", "DELETE"}, {"--body", "a", "--body-file", file}, {"--reconnect", "sometimes"},
		{"--retry-on", "200"}, {"--retry-on", "99"}, {"--retry-on", "5xx"}, {"--retry-on", ""},
		{"--headers-command", `tok "unclosed`}, {"--headers-command", ""}, {"--retry", "0s"}, {"--stale", "-1s"},
	} {
		var ue usageError
		if _, err := parseRequest(t, args...); !errors.As(err, &ue) {
			t.Errorf("%q: err %v, want a usage error", args, err)
		}
	}
	_, err = parseRequest(t, "--body-file", filepath.Join(t.TempDir(), "missing"))
	var ue usageError
	if err == nil || errors.As(err, &ue) || !strings.Contains(err.Error(), "--body-file") {
		t.Errorf("missing body file: %v, want a plain error naming the flag", err)
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
