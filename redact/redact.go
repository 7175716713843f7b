// Package redact hides credentials in what livefeed prints: URLs, headers
// and free text that embeds URLs (error messages from net/http do). It is the
// one place that decides what a secret looks like, so that the log file,
// `config explain`, `info`, the dashboard and `tail` agree.
//
// It works on the text itself rather than on url.Parse, so that a URL too
// broken to parse (a bad escape, a bracket, no scheme) is redacted too, and
// everything that is not a secret is printed byte for byte as it was.
package redact

import (
	"net/url"
	"strings"
)

// Mask is what a secret is replaced with.
const Mask = "***"

// queryWords mark a query parameter (or fragment parameter) as a secret when
// its name contains one of them, ignoring case: api_key, access_token,
// X-Amz-Signature, sessionid, password, auth, code (OAuth) …
var queryWords = []string{"token", "key", "secret", "sig", "auth", "pass", "session", "code"}

// headerWords mark a header as a secret when its name contains one of them,
// beside the headers that are credentials by definition.
var headerWords = []string{"token", "key", "secret"}

// SecretParam reports whether a query parameter named name (decoded or
// not) holds a secret.
func SecretParam(name string) bool {
	if dec, err := url.QueryUnescape(name); err == nil {
		name = dec
	}
	return containsAny(strings.ToLower(name), queryWords)
}

// SecretHeader reports whether a header named name holds a credential.
func SecretHeader(name string) bool {
	n := strings.ToLower(strings.TrimSpace(name))
	switch n {
	case "authorization", "proxy-authorization", "cookie", "set-cookie":
		return true
	}
	return containsAny(n, headerWords)
}

// Header returns the value to print for a header: Mask for a credential
// that is not empty, the value itself otherwise.
func Header(name, value string) string {
	if value != "" && SecretHeader(name) {
		return Mask
	}
	return value
}

// Headers returns a copy of h with every credential's value replaced by Mask.
func Headers(h map[string]string) map[string]string {
	if h == nil {
		return nil
	}
	out := make(map[string]string, len(h))
	for k, v := range h {
		out[k] = Header(k, v)
	}
	return out
}

// URL returns s with the password of its user info and the values of its
// secret query and fragment parameters replaced by Mask. The user name, the
// host, the path and every other parameter are kept exactly as written.
func URL(s string) string {
	rest, frag, hasFrag := strings.Cut(s, "#")
	base, query, hasQuery := strings.Cut(rest, "?")

	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(userinfo(base))
	if hasQuery {
		b.WriteByte('?')
		b.WriteString(params(query))
	}
	if hasFrag {
		// OAuth's implicit flow puts access_token in the fragment.
		b.WriteByte('#')
		b.WriteString(params(frag))
	}
	return b.String()
}

// userinfo masks the password in "scheme://user:password@host/path", in
// "//user:password@host" and in a scheme-less "user:password@host/path".
func userinfo(s string) string {
	start := 0
	if i := strings.Index(s, "://"); i >= 0 {
		start = i + 3
	} else if strings.HasPrefix(s, "//") {
		start = 2
	}
	end := len(s)
	if i := strings.IndexByte(s[start:], '/'); i >= 0 {
		end = start + i
	}
	authority := s[start:end]
	at := strings.LastIndexByte(authority, '@') // a raw '@' in a password is common
	if at < 0 {
		return s
	}
	user, _, hasPw := strings.Cut(authority[:at], ":")
	if !hasPw {
		return s
	}
	return s[:start] + user + ":" + Mask + s[start+at:]
}

// params masks the values of secret parameters in "a=1&token=x&b", keeping
// the order, repeats and spelling of everything else.
func params(q string) string {
	if q == "" {
		return q
	}
	parts := strings.Split(q, "&")
	changed := false
	for i, p := range parts {
		k, v, ok := strings.Cut(p, "=")
		if ok && v != "" && v != Mask && SecretParam(k) {
			parts[i] = k + "=" + Mask
			changed = true
		}
	}
	if !changed {
		return q
	}
	return strings.Join(parts, "&")
}

// Text redacts every URL in free text, such as net/http's
// `Get "https://u:p@host/?token=x": dial tcp …`, and every path with a
// query ("/events?token=x"), leaving the rest of the text as it is.
func Text(s string) string {
	if !strings.Contains(s, "://") && !strings.Contains(s, "?") && !strings.Contains(s, "@") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		if isSpace(s[i]) {
			b.WriteByte(s[i])
			i++
			continue
		}
		j := i
		for j < len(s) && !isSpace(s[j]) {
			j++
		}
		b.WriteString(word(s[i:j]))
		i = j
	}
	return b.String()
}

// word redacts the URL inside one whitespace-free word of text, which may
// be wrapped in quotes, brackets or followed by punctuation.
func word(w string) string {
	start := strings.Index(w, "://")
	if start >= 0 {
		for start > 0 && isSchemeByte(w[start-1]) {
			start--
		}
	} else {
		start = strings.IndexAny(w, "/?")
		if start < 0 || !strings.ContainsAny(w[start:], "?@") {
			return w
		}
	}
	end := len(w)
	if i := strings.IndexAny(w[start:], "\"'`<>"); i >= 0 {
		end = start + i
	}
	return w[:start] + URL(w[start:end]) + w[end:]
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func isSchemeByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'
}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}
