package feed

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
	"net/url"
	"os"
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
)

// Options configure one feed.
type Options struct {
	URL string
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
	}
}

// withDefaults fills the settings that have no "off" from DefaultOptions
// where they are zero or negative; Stale stays as given (zero is off).
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
	return o
}

// httpClient builds the client for one feed: proxy from the environment,
// the TLS options, and redirects that never carry credentials to another origin.
func (o Options) httpClient(origin *url.URL) (*http.Client, error) {
	rt := o.Transport
	if rt == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.Proxy = http.ProxyFromEnvironment
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
		private = append(private, name)
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
