package feed

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"
)

// Defaults of a feed's settings (see DefaultOptions); they match a browser's
// EventSource where one exists.
const (
	DefaultRetry          = 3 * time.Second
	DefaultMaxBackoff     = 60 * time.Second
	DefaultStale          = 45 * time.Second
	DefaultMaxEventSize   = 1 << 20
	DefaultConnectTimeout = 10 * time.Second
	DefaultCoalesce       = 20 * time.Millisecond
	// DefaultHeadersCommandTimeout bounds one run of Options.HeadersCommand.
	DefaultHeadersCommandTimeout = 10 * time.Second
	// MaxErrorBody is how much of a non-200 response body HTTPError.Body keeps.
	MaxErrorBody = 4 << 10
)

// DefaultRetryOn returns the HTTP statuses retried with backoff when
// Options.RetryOn is nil: the ones a proxy answers while a server restarts.
// It is a function so that no caller can change the default for another.
func DefaultRetryOn() []int { return []int{502, 503, 504} }

// ReconnectPolicy says whether a feed reconnects after its stream ends
// normally (EOF, not an error).
type ReconnectPolicy int

// The reconnect policies; the zero value is ReconnectAuto.
const (
	// ReconnectAuto is ReconnectAlways for GET and ReconnectNever for any
	// other method, because repeating a POST re-runs the request.
	ReconnectAuto ReconnectPolicy = iota
	// ReconnectAlways reconnects after the reconnection time, as EventSource does.
	ReconnectAlways
	// ReconnectNever leaves the feed CLOSED with ErrStreamEnded; only an
	// explicit Reconnect opens it again.
	ReconnectNever
)

// ReconnectPolicies lists the policies' names in the order of their values,
// for flags, config enums and help text.
func ReconnectPolicies() []string { return []string{"auto", "always", "never"} }

// String returns the policy's name as written in config and flags.
func (p ReconnectPolicy) String() string {
	if names := ReconnectPolicies(); p >= 0 && int(p) < len(names) {
		return names[p]
	}
	return fmt.Sprintf("reconnect(%d)", int(p))
}

// ParseReconnectPolicy reads a policy's name (case-insensitive, "" is auto).
func ParseReconnectPolicy(s string) (ReconnectPolicy, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return ReconnectAuto, nil
	}
	for i, name := range ReconnectPolicies() {
		if s == name {
			return ReconnectPolicy(i), nil
		}
	}
	return ReconnectAuto, fmt.Errorf("reconnect %q: want one of %s", s, strings.Join(ReconnectPolicies(), ", "))
}

// Methods are the HTTP methods a feed may use.
func Methods() []string {
	return []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch}
}

// Options configure one feed.
type Options struct {
	URL string
	// Method is the request's HTTP method; "" is GET. EventSource only ever
	// sends GET: other methods are for servers such as LLM APIs that stream
	// the answer to a POST.
	Method string
	// Body is sent with every request (every attempt); nil sends none. Its
	// Content-Type, if any, is set in Header by whoever built the body.
	Body []byte
	// HeadersCommand is an argv (no shell) run before every connection
	// attempt, with DefaultHeadersCommandTimeout; each stdout line "Name:
	// value" is a header overriding Header. A failure fails the attempt with a
	// *CommandError, and with a command a 401 or 403 is retried with backoff,
	// since the next run may bring a fresh token.
	HeadersCommand []string
	// Reconnect says whether a stream that ends is reopened.
	Reconnect ReconnectPolicy
	// EndOn is a data string (e.g. "[DONE]") that marks the end of the
	// stream: that event is not delivered and the feed is CLOSED with
	// ErrFinished. "" is none.
	EndOn string
	// RetryOn are the HTTP statuses retried with backoff (honouring
	// Retry-After, capped by MaxBackoff) instead of closing the feed. nil
	// means DefaultRetryOn(); an empty non-nil slice retries none, which is
	// a browser's behaviour exactly.
	RetryOn []int
	// Header is sent on every request, and only to the feed's own origin;
	// names need not be canonical ("x-token" and "X-Token" are one header).
	Header http.Header
	// Retry is the initial reconnection time; a server's retry: field replaces it.
	Retry time.Duration
	// MaxBackoff caps the wait between consecutive failed attempts.
	MaxBackoff time.Duration
	// Stale drops and reconnects a connection that received no bytes at all
	// (comments included) for this long. Zero (or negative) turns the check
	// off; DefaultOptions sets DefaultStale.
	Stale time.Duration
	// MaxEventSize bounds the bytes one event (or one line) may take.
	MaxEventSize int
	// ConnectTimeout bounds the wait for response headers.
	ConnectTimeout time.Duration
	// CAFile adds PEM certificates to trust; Insecure skips certificate checks
	// and is only ever set on explicit request.
	CAFile   string
	Insecure bool
	// Transport replaces the HTTP transport (tests, custom dialers); the TLS
	// and proxy options are then the transport's business.
	Transport http.RoundTripper
	// Coalesce is the window over which the reads of a stream that trickles
	// in are gathered into one (see coalescing in feed.go): an event of such
	// a stream may reach the consumer up to this much later. Zero (or
	// negative) is DefaultCoalesce.
	Coalesce time.Duration
}

// DefaultOptions are the settings a feed has unless told otherwise: the one
// set of defaults the config, tail's flags and the runtime start from.
func DefaultOptions() Options {
	return Options{
		Retry:          DefaultRetry,
		MaxBackoff:     DefaultMaxBackoff,
		Stale:          DefaultStale,
		MaxEventSize:   DefaultMaxEventSize,
		ConnectTimeout: DefaultConnectTimeout,
		Method:         http.MethodGet,
		RetryOn:        DefaultRetryOn(),
		Coalesce:       DefaultCoalesce,
	}
}

// withDefaults fills the settings that have no "off" from DefaultOptions
// where they are zero or negative; Stale stays as given (zero is off), and
// so does an empty non-nil RetryOn (retry none).
func (o Options) withDefaults() Options {
	d := DefaultOptions()
	if o.Retry <= 0 {
		o.Retry = d.Retry
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = d.MaxBackoff
	}
	if o.MaxEventSize <= 0 {
		o.MaxEventSize = d.MaxEventSize
	}
	if o.ConnectTimeout <= 0 {
		o.ConnectTimeout = d.ConnectTimeout
	}
	if o.Method == "" {
		o.Method = d.Method
	}
	o.Method = strings.ToUpper(o.Method)
	if o.RetryOn == nil {
		o.RetryOn = d.RetryOn
	}
	if o.Coalesce <= 0 {
		o.Coalesce = d.Coalesce
	}
	return o
}

// reconnects says whether a stream that ended is opened again by itself.
func (o Options) reconnects() bool {
	switch o.Reconnect {
	case ReconnectAlways:
		return true
	case ReconnectNever:
		return false
	}
	return o.Method == http.MethodGet
}

// retries says whether a response with this status is retried with backoff
// rather than closing the feed.
func (o Options) retries(status int) bool {
	if len(o.HeadersCommand) > 0 && (status == http.StatusUnauthorized || status == http.StatusForbidden) {
		return true
	}
	return slices.Contains(o.RetryOn, status)
}

// check refuses options no request can be made from.
func (o Options) check() error {
	if !slices.Contains(Methods(), o.Method) {
		return fmt.Errorf("method %q: want one of %s", o.Method, strings.Join(Methods(), ", "))
	}
	if len(o.HeadersCommand) > 0 && o.HeadersCommand[0] == "" {
		return errors.New("headers command: empty program name")
	}
	return nil
}

// httpClient builds the client for one feed: proxy from the environment,
// the TLS options, and redirects that never carry credentials to another origin.
func (o Options) httpClient(origin *url.URL) (*http.Client, error) {
	rt := o.Transport
	if rt == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.Proxy = http.ProxyFromEnvironment
		t.ReadBufferSize = readBufferSize
		if o.CAFile != "" || o.Insecure {
			cfg := &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: o.Insecure} //nolint:gosec // only on explicit request
			if o.CAFile != "" {
				pem, err := os.ReadFile(o.CAFile)
				if err != nil {
					return nil, fmt.Errorf("CA file: %w", err)
				}
				pool, err := x509.SystemCertPool()
				if err != nil || pool == nil {
					pool = x509.NewCertPool()
				}
				if !pool.AppendCertsFromPEM(pem) {
					return nil, fmt.Errorf("CA file %s: no PEM certificates in it", o.CAFile)
				}
				cfg.RootCAs = pool
			}
			t.TLSClientConfig = cfg
		}
		rt = t
	}
	private := make([]string, 0, len(o.Header)+2)
	ownReferer := false
	for name := range o.Header {
		// Content-Type describes the body a 307 or 308 sends again; it is
		// no secret, and without it the body would be misread.
		if http.CanonicalHeaderKey(name) != "Content-Type" {
			private = append(private, name)
		}
		ownReferer = ownReferer || http.CanonicalHeaderKey(name) == "Referer"
	}
	private = append(private, "Authorization", "Cookie")
	return &http.Client{
		Transport: rt,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 10 {
				return fmt.Errorf("stopped after %d redirects", len(via))
			}
			// Go's client sets Referer to the previous URL, query (tokens)
			// included; an SSE client has no page to refer from. Only a
			// Referer the user configured is sent, like any configured header.
			if !ownReferer {
				req.Header.Del("Referer")
			}
			if !sameOrigin(req.URL, origin) {
				for _, name := range private {
					req.Header.Del(name)
				}
				for _, name := range privateFrom(req.Context()) {
					req.Header.Del(name)
				}
			}
			return nil
		},
	}, nil
}

func sameOrigin(a, b *url.URL) bool {
	return a.Scheme == b.Scheme && a.Hostname() == b.Hostname() && port(a) == port(b)
}

func port(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if u.Scheme == "https" {
		return "443"
	}
	return "80"
}
