package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/livefeed/livefeed/config"
	"github.com/livefeed/livefeed/feed"
)

// newFlagSet returns a flag set whose --help text goes to out; synopsis is the
// line after "Usage:" and about is one paragraph saying what the command does.
func newFlagSet(name, synopsis, about string, out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are returned, not printed twice
	fs.Usage = func() {
		fmt.Fprintf(out, "Usage:\n  %s\n\n%s\n\nFlags:\n", synopsis, about)
		fs.SetOutput(out)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	return fs
}

// parseFlags parses args allowing flags and positional arguments in any order
// (people type `tail URL --json`); "--" ends flag parsing. It returns the
// positional arguments, flag.ErrHelp for -h/--help, or a usageError.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err // the flag package has printed fs.Usage
			}
			return nil, usageError{fmt.Sprintf("%s: %v (see 'livefeed %s --help')", fs.Name(), err, fs.Name())}
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		// fs.Parse stops at the first non-flag or after "--"; tell which by
		// looking at what it consumed.
		consumed := args[:len(args)-len(rest)]
		if len(consumed) > 0 && consumed[len(consumed)-1] == "--" {
			return append(positional, rest...), nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

// headerFlags collects repeated --header "Name: value" flags.
type headerFlags [][2]string

func (h *headerFlags) String() string {
	parts := make([]string, len(*h))
	for i, kv := range *h {
		parts[i] = kv[0] + ": " + kv[1]
	}
	return strings.Join(parts, ", ")
}

func (h *headerFlags) Set(s string) error {
	name, value, ok := strings.Cut(s, ":")
	name = strings.TrimSpace(name)
	if !ok || name == "" || strings.ContainsAny(name, " \t\r\n") {
		return fmt.Errorf("want \"Name: value\", got %q", s)
	}
	if strings.ContainsAny(value, "\r\n") {
		return fmt.Errorf("header %q: value must not contain a line break", name)
	}
	*h = append(*h, [2]string{name, strings.TrimSpace(value)})
	return nil
}

// sizeFlag is a byte count written as in config files: 4096, 512KiB, 1MiB, 1MB.
type sizeFlag int64

func (s *sizeFlag) String() string { return formatSize(int64(*s)) }

func (s *sizeFlag) Set(v string) error {
	n, err := config.ParseSize(v)
	if err != nil {
		return err
	}
	if n <= 0 {
		return fmt.Errorf("%q: want a size above zero", v)
	}
	*s = sizeFlag(n)
	return nil
}

func formatSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%dMiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%dKiB", n>>10)
	}
	return strconv.FormatInt(n, 10)
}

// requestOptions are the flags that say how to request a feed and when to
// reconnect, shared by tail and by the dashboard's quick mode (livefeed URL).
type requestOptions struct {
	feed           feed.Options // the durations and TLS flags are parsed into it directly
	headers        headerFlags
	size           sizeFlag
	method         string
	body           string
	bodyFile       string
	headersCommand argvFlag
	reconnect      string
	retryOn        retryOnFlag
}

// requestFlags defines the request flags on fs; after fs is parsed, options
// turns them into a feed's options.
func requestFlags(fs *flag.FlagSet) *requestOptions {
	r := &requestOptions{}
	d := feed.DefaultOptions()
	fs.Var(&r.headers, "header", "request header `\"Name: value\"` (repeatable)")
	fs.StringVar(&r.method, "method", d.Method, "HTTP `METHOD`: "+strings.Join(feed.Methods(), ", "))
	fs.StringVar(&r.body, "body", "", "request body `TEXT`, sent as given; one that is a JSON object or array gets Content-Type: application/json unless --header sets one")
	fs.StringVar(&r.bodyFile, "body-file", "", "read the request body from `FILE` (as --body)")
	fs.Var(&r.headersCommand, "headers-command", "`ARGV` run (split like a shell, but no shell) before every attempt; each stdout line \"Name: value\" is a header, and 401/403 are then retried")
	fs.StringVar(&r.reconnect, "reconnect", "auto", "`POLICY` after the stream ends: always reconnect, never, or auto (always for GET, never otherwise)")
	fs.StringVar(&r.feed.EndOn, "end-on", "", "event `DATA` (e.g. [DONE]) that ends the feed: not printed, no reconnect")
	fs.Var(&r.retryOn, "retry-on", "HTTP `STATUSES` retried with backoff instead of closing, like 502,503 (Retry-After honoured), or none (default 502,503,504)")
	fs.DurationVar(&r.feed.Retry, "retry", d.Retry, "initial reconnection time (a server's retry: overrides it)")
	fs.DurationVar(&r.feed.MaxBackoff, "max-backoff", d.MaxBackoff, "longest wait between failed attempts")
	fs.DurationVar(&r.feed.Stale, "stale", d.Stale, "reconnect after this long without a byte (0 = off)")
	fs.DurationVar(&r.feed.ConnectTimeout, "connect-timeout", d.ConnectTimeout, "give up on an attempt with no response after this long")
	r.size = sizeFlag(d.MaxEventSize)
	fs.Var(&r.size, "max-event-size", "largest event accepted, a `SIZE` like 1MiB, 512KiB or 4096 (a larger one drops the connection)")
	fs.StringVar(&r.feed.CAFile, "ca-file", "", "PEM file of extra certificate authorities to trust")
	fs.BoolVar(&r.feed.Insecure, "insecure", false, "skip TLS certificate verification (only for testing)")
	return r
}

// options checks the parsed flags and returns the feed options they make
// (URL not set). Mistakes are usageErrors naming cmd; an unreadable
// --body-file is a plain error.
func (r *requestOptions) options(cmd string) (feed.Options, error) {
	o := r.feed
	usage := func(format string, args ...any) error {
		return usageError{fmt.Sprintf("%s: %s (see 'livefeed %s --help')", cmd, fmt.Sprintf(format, args...), cmd)}
	}
	if o.Retry <= 0 || o.MaxBackoff <= 0 || o.ConnectTimeout <= 0 || o.Stale < 0 {
		return o, usage("--retry, --max-backoff and --connect-timeout must be positive, --stale not negative")
	}
	o.MaxEventSize = int(r.size)
	o.Method = strings.ToUpper(strings.TrimSpace(r.method))
	if !slices.Contains(feed.Methods(), o.Method) {
		return o, usage("--method %q: want one of %s", r.method, strings.Join(feed.Methods(), ", "))
	}
	policy, err := feed.ParseReconnectPolicy(r.reconnect)
	if err != nil {
		return o, usage("--%v", err)
	}
	o.Reconnect = policy
	o.RetryOn = r.retryOn.codes() // nil (the default) unless given
	o.HeadersCommand = slices.Clone(r.headersCommand)
	var body []byte
	switch {
	case r.body != "" && r.bodyFile != "":
		return o, usage("--body and --body-file together; use one")
	case r.bodyFile != "":
		if body, err = os.ReadFile(r.bodyFile); err != nil {
			return o, fmt.Errorf("%s: --body-file: %w", cmd, err)
		}
	case r.body != "":
		body = []byte(r.body)
	}
	if body != nil {
		o.Body = body
	}
	if len(r.headers) > 0 || isJSONDocument(body) {
		o.Header = http.Header{}
		for _, kv := range r.headers {
			o.Header.Add(kv[0], kv[1])
		}
		if isJSONDocument(body) && o.Header.Get("Content-Type") == "" {
			o.Header.Set("Content-Type", "application/json")
		}
	}
	return o, nil
}

// isJSONDocument says whether b is a JSON object or array, the bodies LLM
// and other JSON APIs take: those get a JSON Content-Type unasked, as a
// mapping under body: in a config file does.
func isJSONDocument(b []byte) bool {
	t := bytes.TrimSpace(b)
	return len(t) > 0 && (t[0] == '{' || t[0] == '[') && json.Valid(t)
}

// argvFlag is a command line written as in a shell ('tok --scope "a b"'),
// split into words; nothing runs it through a shell.
type argvFlag []string

func (a *argvFlag) String() string {
	if a == nil {
		return ""
	}
	return strings.Join(*a, " ")
}

func (a *argvFlag) Set(s string) error {
	words, err := splitArgs(s)
	if err != nil {
		return err
	}
	if len(words) == 0 {
		return errors.New("empty command")
	}
	*a = words
	return nil
}

// splitArgs splits s into words as a POSIX shell would, with no expansion:
// blanks separate words; 'single quotes' keep everything literally;
// "double quotes" keep all but \" \\ \$ \` and backslash-newline; an unquoted
// backslash keeps the next character (and removes a newline). $, *, ~ and
// the rest are plain characters: nothing is expanded.
func splitArgs(s string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case ' ', '\t', '\n', '\r':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		case '\'':
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				return nil, errors.New("unterminated ' quote")
			}
			cur.WriteString(s[i+1 : i+1+j])
			i += j + 1
			inWord = true
		case '"':
			i++
			for ; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' && i+1 < len(s) {
					switch s[i+1] {
					case '"', '\\', '$', '`':
						i++
					case '\n':
						i++
						continue
					}
				}
				cur.WriteByte(s[i])
			}
			if i >= len(s) {
				return nil, errors.New("unterminated \" quote")
			}
			inWord = true
		case '\\':
			if i+1 >= len(s) {
				return nil, errors.New("backslash at the end")
			}
			i++
			if s[i] != '\n' {
				cur.WriteByte(s[i])
				inWord = true
			}
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}

// retryOnFlag is a comma-separated list of HTTP statuses, or "none".
type retryOnFlag struct {
	set  bool
	list []int
}

func (f *retryOnFlag) String() string {
	if f == nil || !f.set {
		return ""
	}
	if len(f.list) == 0 {
		return "none"
	}
	parts := make([]string, len(f.list))
	for i, c := range f.list {
		parts[i] = strconv.Itoa(c)
	}
	return strings.Join(parts, ",")
}

func (f *retryOnFlag) Set(s string) error {
	codes := []int{}
	if t := strings.TrimSpace(s); !strings.EqualFold(t, "none") {
		for _, part := range strings.Split(t, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(part))
			if err != nil || n < 100 || n > 599 {
				return fmt.Errorf("%q: want HTTP statuses like 502,503 (100 to 599), or none", part)
			}
			if n == http.StatusOK {
				return errors.New("200 is a working stream, not a failure to retry")
			}
			if !slices.Contains(codes, n) {
				codes = append(codes, n)
			}
		}
	}
	f.set, f.list = true, codes
	return nil
}

// codes is nil when the flag was not given (the engine's default), else the
// statuses, empty for "none".
func (f *retryOnFlag) codes() []int {
	if !f.set {
		return nil
	}
	return slices.Clone(f.list)
}
