package feed

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// errorBodyWait bounds the time spent reading a non-200 response's body: a
// server that answers 503 and then trickles its page must not keep the feed
// from reporting (or retrying) for long.
const errorBodyWait = 2 * time.Second

// errErrorBodyTimeout cancels the read of a slow error body.
var errErrorBodyTimeout = errors.New("error body: read timed out")

// readErrorBody returns the start of a failing response's body as
// HTTPError.Body wants it. It reads at most MaxErrorBody bytes and waits at
// most errorBodyWait (cancelling the connection's context, which stops the
// read), so neither a huge nor a slow body can hold the feed up.
func readErrorBody(cancel context.CancelCauseFunc, body io.Reader) string {
	timer := time.AfterFunc(errorBodyWait, func() { cancel(errErrorBodyTimeout) })
	defer timer.Stop()
	buf := make([]byte, MaxErrorBody)
	n, _ := io.ReadFull(body, buf) // what came before an error or timeout is kept
	return foldBody(buf[:n], n == len(buf))
}

// foldBody makes a body's start one line of valid UTF-8: whitespace runs
// become one space, and a multi-byte character cut by the size limit is
// dropped rather than shown as U+FFFD.
func foldBody(b []byte, cut bool) string {
	if cut {
		for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
			if utf8.RuneStart(b[i]) {
				if !utf8.FullRune(b[i:]) {
					b = b[:i]
				}
				break
			}
		}
	}
	s := strings.Join(strings.Fields(string(decodeUTF8(nil, b))), " ")
	if len(s) > MaxErrorBody {
		// Replacement characters are longer than the bytes they replace.
		i := MaxErrorBody
		for i > 0 && !utf8.RuneStart(s[i]) {
			i--
		}
		s = s[:i]
	}
	return s
}

// retryAfter reads a Retry-After header: delta-seconds or an HTTP date.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if strings.Trim(v, "0123456789") == "" {
		secs, err := strconv.ParseUint(v, 10, 64)
		if err != nil || secs > uint64(maxRetry/time.Second) {
			return maxRetry, true // out of range: longer than anyone waits
		}
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// Bounds on what a headers command may print; a token is a few KiB at most.
const (
	maxCommandStdout = 64 << 10
	maxStderrLine    = 512
)

// runHeadersCommand runs argv (no shell) and reads the headers it prints,
// one "Name: value" per line. The command is killed when ctx ends or after
// timeout; its errors are *CommandError.
func runHeadersCommand(ctx context.Context, argv []string, timeout time.Duration) (http.Header, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	stdout := &cappedBuffer{limit: maxCommandStdout}
	stderr := &cappedBuffer{limit: maxCommandStdout}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	killGroup(cmd)
	// A child the command left behind may hold the pipes open after it was
	// killed; stop waiting for them soon after.
	cmd.WaitDelay = time.Second
	err := cmd.Run()
	fail := func(err error) error {
		return &CommandError{Argv: argv, Err: err, Stderr: firstLine(stderr.Bytes())}
	}
	if err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			err = fmt.Errorf("no result after %s", timeout)
		}
		return nil, fail(err)
	}
	if stdout.over {
		return nil, fail(fmt.Errorf("printed more than %d bytes", maxCommandStdout))
	}
	h := http.Header{}
	for i, line := range strings.Split(string(stdout.Bytes()), "\n") {
		line = strings.TrimSuffix(line, "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		name, value, ok := strings.Cut(line, ":")
		value = strings.TrimSpace(value)
		// The line is not quoted in the error: it may hold a token.
		if !ok || !validHeaderName(name) || !validHeaderValue(value) {
			return nil, fail(fmt.Errorf("stdout line %d is not \"Name: value\"", i+1))
		}
		k := http.CanonicalHeaderKey(name)
		h[k] = append(h[k], value)
	}
	return h, nil
}

// cappedBuffer keeps the first limit bytes written to it and notes the rest.
type cappedBuffer struct {
	bytes.Buffer
	limit int
	over  bool
}

func (b *cappedBuffer) Write(p []byte) (int, error) {
	room := b.limit - b.Len()
	if len(p) > room {
		b.over = true
		b.Buffer.Write(p[:max(room, 0)])
		return len(p), nil
	}
	return b.Buffer.Write(p)
}

// firstLine is the first non-blank line of a command's stderr, bounded.
func firstLine(b []byte) string {
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if len(line) > maxStderrLine {
			i := maxStderrLine
			for i > 0 && !utf8.RuneStart(line[i]) {
				i--
			}
			line = line[:i] + "…"
		}
		return strings.ToValidUTF8(line, "\uFFFD")
	}
	return ""
}

// validHeaderName reports whether s is an HTTP token (RFC 9110 tchar).
func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// validHeaderValue refuses the control characters Go's client would refuse
// to send, so a bad line fails the command, not every request after it.
func validHeaderValue(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < ' ' && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
}

// privateKey marks, in a request's context, the names of the headers that
// go only to the feed's origin (those a headers command added this attempt).
type privateKey struct{}

func withPrivate(ctx context.Context, names []string) context.Context {
	if len(names) == 0 {
		return ctx
	}
	return context.WithValue(ctx, privateKey{}, names)
}

func privateFrom(ctx context.Context) []string {
	names, _ := ctx.Value(privateKey{}).([]string)
	return names
}
