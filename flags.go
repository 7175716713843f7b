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
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

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
			return nil, usageError{fmt.Sprintf("%s%v (see '%s --help')", flagPrefix(fs), err, commandLine(fs))}
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

// flagPrefix starts a usage error with the subcommand's name; livefeed's own
// flags need none, main says "livefeed:" already.
func flagPrefix(fs *flag.FlagSet) string {
	if fs.Name() == "livefeed" {
		return ""
	}
	return fs.Name() + ": "
}

// commandLine is how the flag set's command is typed.
func commandLine(fs *flag.FlagSet) string {
	if fs.Name() == "livefeed" {
		return "livefeed"
	}
	return "livefeed " + fs.Name()
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

// requestFlags are the flags that describe a feed's request and reconnects,
// shared by `livefeed tail` and `livefeed URL…` (quick mode) so that the two
// take the same flags with the same meaning and defaults.
type requestFlags struct {
	headers        headerFlags
	retry          time.Duration
	maxBackoff     time.Duration
	stale          time.Duration
	connectTimeout time.Duration
	maxEventSize   sizeFlag
	caFile         string
	insecure       bool
	method         string
	body           string
	bodyFile       string
	headersCommand string
	reconnect      string
	endOn          string
	retryOn        string

	set map[string]bool // flags given on the command line, after parse
}

// addRequestFlags defines the request flags on fs, with the engine's
// defaults.
func addRequestFlags(fs *flag.FlagSet) *requestFlags {
	r := &requestFlags{}
	d := feed.DefaultOptions()
	fs.Var(&r.headers, "header", "request header `\"Name: value\"` (repeatable)")
	fs.DurationVar(&r.retry, "retry", d.Retry, "initial reconnection time (a server's retry: overrides it)")
	fs.DurationVar(&r.maxBackoff, "max-backoff", d.MaxBackoff, "longest wait between failed attempts")
	fs.DurationVar(&r.stale, "stale", d.Stale, "reconnect after this long without a byte (0 = off)")
	fs.DurationVar(&r.connectTimeout, "connect-timeout", d.ConnectTimeout, "give up on an attempt with no response after this long")
	r.maxEventSize = sizeFlag(d.MaxEventSize)
	fs.Var(&r.maxEventSize, "max-event-size", "largest event accepted, a `SIZE` like 1MiB, 512KiB or 4096 (a larger one drops the connection)")
	fs.StringVar(&r.caFile, "ca-file", "", "PEM file of extra certificate authorities to trust")
	fs.BoolVar(&r.insecure, "insecure", false, "skip TLS certificate verification (only for testing)")
	fs.StringVar(&r.method, "method", "GET", "HTTP `method`: "+strings.Join(feed.Methods(), ", "))
	fs.StringVar(&r.body, "body", "", "request `body`, sent as given (JSON gets Content-Type: application/json unless --header sets one)")
	fs.StringVar(&r.bodyFile, "body-file", "", "read the request body from `file` (not with --body)")
	fs.StringVar(&r.headersCommand, "headers-command", "", "`command` run before every attempt, split like a shell (no shell is run);\neach stdout line \"Name: value\" is a header; with it a 401/403 is retried")
	fs.StringVar(&r.reconnect, "reconnect", "auto", "after the stream ends: always, never, or auto (always for GET, never otherwise)")
	fs.StringVar(&r.endOn, "end-on", "", "event `data` that ends the stream for good, e.g. [DONE]")
	fs.StringVar(&r.retryOn, "retry-on", "502,503,504", "HTTP `statuses` retried with backoff (Retry-After honoured); none for a browser's behaviour")
	return r
}

// request is what the request flags say, checked: the settings a feed
// gets from them beyond feed.Options' plain fields.
type request struct {
	method         string
	body           []byte
	bodyFile       string // absolute; "" when the body came from --body
	jsonBody       bool   // the body is a JSON object or array
	headersCommand []string
	reconnect      feed.ReconnectPolicy
	retryOn        []int
}

// parse checks the flags after fs.Parse, noting which were given, and
// reads --body-file. Errors are usage errors naming the flag.
func (r *requestFlags) parse(fs *flag.FlagSet) (request, error) {
	r.set = map[string]bool{}
	fs.Visit(func(f *flag.Flag) { r.set[f.Name] = true })
	bad := func(format string, args ...any) (request, error) {
		return request{}, usageError{flagPrefix(fs) + fmt.Sprintf(format, args...)}
	}
	var q request
	if r.retry <= 0 || r.maxBackoff <= 0 || r.connectTimeout <= 0 || r.stale < 0 {
		return bad("--retry, --max-backoff and --connect-timeout must be positive, --stale not negative")
	}
	q.method = strings.ToUpper(strings.TrimSpace(r.method))
	if !slices.Contains(feed.Methods(), q.method) {
		return bad("--method %q: want one of %s", r.method, strings.Join(feed.Methods(), ", "))
	}
	switch {
	case r.set["body"] && r.set["body-file"]:
		return bad("--body and --body-file are exclusive; give one")
	case r.set["body-file"]:
		abs, err := filepath.Abs(r.bodyFile)
		if err != nil {
			return bad("--body-file: %v", err)
		}
		data, err := readBodyFile(abs)
		if err != nil {
			return bad("--body-file: %v", err)
		}
		q.body, q.bodyFile = data, abs
	case r.set["body"]:
		q.body = []byte(r.body)
	}
	if q.body != nil {
		trimmed := bytes.TrimSpace(q.body)
		q.jsonBody = len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[') && json.Valid(trimmed)
	}
	if r.headersCommand != "" {
		argv, err := splitArgs(r.headersCommand)
		if err != nil {
			return bad("--headers-command: %v", err)
		}
		if len(argv) == 0 {
			return bad("--headers-command is empty")
		}
		q.headersCommand = argv
	}
	pol, err := feed.ParseReconnectPolicy(r.reconnect)
	if err != nil {
		return bad("--%v", err)
	}
	q.reconnect = pol
	if q.retryOn, err = parseRetryOn(r.retryOn); err != nil {
		return bad("--retry-on: %v", err)
	}
	return q, nil
}

// options builds a feed's engine options from the flags and the checked
// request (URL left empty).
func (r *requestFlags) options(q request) feed.Options {
	o := feed.Options{
		Retry: r.retry, MaxBackoff: r.maxBackoff, Stale: r.stale, ConnectTimeout: r.connectTimeout,
		MaxEventSize: int(r.maxEventSize), CAFile: r.caFile, Insecure: r.insecure,
		Method: q.method, Body: q.body, HeadersCommand: q.headersCommand,
		Reconnect: q.reconnect, EndOn: r.endOn, RetryOn: q.retryOn,
	}
	if len(r.headers) > 0 || q.jsonBody {
		o.Header = http.Header{}
		for _, kv := range r.headers {
			o.Header.Add(kv[0], kv[1])
		}
		if q.jsonBody && o.Header.Get("Content-Type") == "" {
			o.Header.Set("Content-Type", "application/json")
		}
	}
	return o
}

// readBodyFile reads a request body, bounded as a config's body_file is.
func readBodyFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, config.MaxBodyFile+1))
	if err != nil {
		return nil, err
	}
	if len(data) > config.MaxBodyFile {
		return nil, fmt.Errorf("%s is larger than %s", path, formatSize(config.MaxBodyFile))
	}
	return data, nil
}

// parseRetryOn reads "502,503" (spaces allowed) or "none".
func parseRetryOn(s string) ([]int, error) {
	s = strings.TrimSpace(s)
	if strings.EqualFold(s, "none") || s == "" || s == "[]" {
		return []int{}, nil
	}
	var codes []int
	for _, part := range strings.Split(strings.Trim(s, "[]"), ",") {
		part = strings.TrimSpace(part)
		n, err := strconv.Atoi(part)
		if err != nil {
			return nil, fmt.Errorf("%q is not an HTTP status (want a list like 502,503, or none)", part)
		}
		if n < config.MinStatus || n > config.MaxStatus || n == http.StatusOK {
			return nil, fmt.Errorf("%d is not a status to retry (want %d–%d, not 200)", n, config.MinStatus, config.MaxStatus)
		}
		if !slices.Contains(codes, n) {
			codes = append(codes, n)
		}
	}
	return codes, nil
}

// splitArgs splits a command line as a POSIX shell would split words:
// whitespace separates, 'single' and "double" quotes group, and a backslash
// escapes the next character (outside single quotes). Nothing is expanded
// and no shell is run.
func splitArgs(s string) ([]string, error) {
	var args []string
	var cur strings.Builder
	inWord := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\':
			if i+1 >= len(s) {
				return nil, errors.New("ends with a lone backslash")
			}
			i++
			if s[i] == '\n' {
				continue // a line continuation, as in a shell script
			}
			cur.WriteByte(s[i])
			inWord = true
		case c == '\'':
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				return nil, errors.New("unclosed single quote")
			}
			cur.WriteString(s[i+1 : i+1+j])
			i += j + 1
			inWord = true
		case c == '"':
			i++
			for ; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' && i+1 < len(s) && strings.IndexByte("\"\\$`\n", s[i+1]) >= 0 {
					i++
					if s[i] == '\n' {
						continue // a line continuation
					}
				}
				cur.WriteByte(s[i])
			}
			if i >= len(s) {
				return nil, errors.New("unclosed double quote")
			}
			inWord = true
		case c == ' ' || c == '\t' || c == '\n':
			if inWord {
				args = append(args, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		args = append(args, cur.String())
	}
	return args, nil
}
