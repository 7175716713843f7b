package redact

import (
	"strings"
	"testing"
)

func TestURL(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "https://example.com/events?topic=stocks", "https://example.com/events?topic=stocks"},
		{"empty", "", ""},
		{"password", "https://alice:hunter2@example.com/x", "https://alice:***@example.com/x"},
		{"user only", "https://alice@example.com/x", "https://alice@example.com/x"},
		{"empty password", "https://alice:@example.com/", "https://alice:***@example.com/"},
		{"@ in password", "https://alice:p@ss@example.com/x?y=1", "https://alice:***@example.com/x?y=1"},
		{"@ in path is not userinfo", "https://example.com/users/@alice", "https://example.com/users/@alice"},
		{"token", "https://h/?token=abc&topic=x", "https://h/?token=***&topic=x"},
		{"api_key and token", "https://h/e?api_key=K1&token=T1", "https://h/e?api_key=***&token=***"},
		{"case", "https://h/?Access_Token=a&APIKEY=b&X-Amz-Signature=c", "https://h/?Access_Token=***&APIKEY=***&X-Amz-Signature=***"},
		{"every word", "https://h/?secret=1&sig=2&auth=3&password=4&sessionid=5&code=6&q=7",
			"https://h/?secret=***&sig=***&auth=***&password=***&sessionid=***&code=***&q=7"},
		{"repeated keys", "https://h/?token=a&token=b&x=1&token=c", "https://h/?token=***&token=***&x=1&token=***"},
		{"encoded key", "https://h/?api%5Fkey=v&%74oken=w", "https://h/?api%5Fkey=***&%74oken=***"},
		{"encoded value kept shape", "https://h/?token=a%20b&q=a%20b", "https://h/?token=***&q=a%20b"},
		{"key without value", "https://h/?token&x=1", "https://h/?token&x=1"},
		{"empty value", "https://h/?token=&x=1", "https://h/?token=&x=1"},
		{"order kept", "https://h/?z=1&token=2&a=3", "https://h/?z=1&token=***&a=3"},
		{"fragment", "https://h/cb#access_token=abc&state=xyz", "https://h/cb#access_token=***&state=xyz"},
		{"plain fragment", "https://h/page#section-2", "https://h/page#section-2"},
		{"query and fragment", "https://u:p@h/?token=a#sig=b", "https://u:***@h/?token=***#sig=***"},
		{"no scheme", "u:p@h:8080/x?token=t", "u:***@h:8080/x?token=***"},
		{"scheme-relative", "//u:p@h/x", "//u:***@h/x"},
		{"host:port is not a password", "h:8080/x?q=1", "h:8080/x?q=1"},
		{"unparseable escape", "https://u:p@h/%zz?token=%zz", "https://u:***@h/%zz?token=***"},
		{"unparseable host", "http://u:p@[::1/x?key=1", "http://u:***@[::1/x?key=***"},
		{"control character", "https://h/\x7f?token=x", "https://h/\x7f?token=***"},
		{"only a query", "?token=x", "?token=***"},
		{"path with query", "/events?session=abc", "/events?session=***"},
		{"value with =", "https://h/?token=a=b=c", "https://h/?token=***"},
		{"already masked", "https://u:***@h/?token=***", "https://u:***@h/?token=***"},
		{"ipv6", "http://[::1]:8080/?k=v", "http://[::1]:8080/?k=v"},
		{"keyword in path only", "https://h/token/secret?x=1", "https://h/token/secret?x=1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := URL(tt.in)
			if got != tt.want {
				t.Errorf("URL(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if again := URL(got); again != got {
				t.Errorf("URL is not idempotent: %q → %q", got, again)
			}
		})
	}
}

func TestHeader(t *testing.T) {
	tests := []struct{ name, value, want string }{
		{"Authorization", "Bearer abc", Mask},
		{"authorization", "Basic dTpw", Mask},
		{"Proxy-Authorization", "Basic x", Mask},
		{"Cookie", "sid=1", Mask},
		{"Set-Cookie", "sid=1", Mask},
		{"X-Api-Key", "k", Mask},
		{"X-Auth-Token", "t", Mask},
		{"X-Client-Secret", "s", Mask},
		{" Authorization ", "x", Mask},
		{"Accept", "text/event-stream", "text/event-stream"},
		{"Last-Event-ID", "42", "42"},
		{"Keep-Alive", "timeout=5", "timeout=5"},
		{"Authorization", "", ""},
	}
	for _, tt := range tests {
		if got := Header(tt.name, tt.value); got != tt.want {
			t.Errorf("Header(%q, %q) = %q, want %q", tt.name, tt.value, got, tt.want)
		}
	}
	h := map[string]string{"Authorization": "Bearer x", "Accept": "text/event-stream"}
	got := Headers(h)
	if got["Authorization"] != Mask || got["Accept"] != "text/event-stream" || h["Authorization"] != "Bearer x" {
		t.Errorf("Headers = %v (input now %v)", got, h)
	}
	if Headers(nil) != nil {
		t.Error("Headers(nil) is not nil")
	}
}

func TestText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"no URL", "connection refused", "connection refused"},
		{"net/http error",
			`Get "https://u:p@host/?token=x": dial tcp 127.0.0.1:1: connect: connection refused`,
			`Get "https://u:***@host/?token=***": dial tcp 127.0.0.1:1: connect: connection refused`},
		{"two URLs", "from http://a/?key=1 to http://b/?key=2 done", "from http://a/?key=*** to http://b/?key=*** done"},
		{"single quotes", "feed 'https://h/?sig=s' failed", "feed 'https://h/?sig=***' failed"},
		{"angle brackets", "<https://u:p@h/>", "<https://u:***@h/>"},
		{"request URI", "GET /events/stocks?token=abc 200", "GET /events/stocks?token=*** 200"},
		{"question", "why? because", "why? because"},
		{"email", "mail alice@example.com", "mail alice@example.com"},
		{"newlines kept", "a\nhttps://h/?auth=x\tb", "a\nhttps://h/?auth=***\tb"},
		{"scheme glued to text", `url:"wss://u:p@h/"`, `url:"wss://u:***@h/"`},
	}
	for _, tt := range tests {
		if got := Text(tt.in); got != tt.want {
			t.Errorf("%s: Text(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}

// No input makes the functions panic, and a secret value never survives.
func FuzzURL(f *testing.F) {
	for _, s := range []string{"https://u:p@h/?token=x#sig=y", "//@:", "?&=&", "%", "a://b@c:d@e/f?g=h&token=SECRETVALUE"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := URL(s)
		_ = Text(s)
		if strings.Contains(s, "?token=SECRETVALUE") && !strings.Contains(s, "#") && strings.Contains(out, "SECRETVALUE") {
			t.Errorf("URL(%q) = %q keeps the token", s, out)
		}
	})
}
