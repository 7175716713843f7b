package config

import (
	"bytes"
	"strings"
	"testing"
)

// config check warns about a credential written as the literal default of
// ${VAR:-default}, in a header or where a URL's password or secret parameter
// goes, and not about defaults that are no secret.
func TestWarnsAboutSecretDefaults(t *testing.T) {
	tests := []struct {
		name, feed string
		warn       bool
	}{
		{"header default", `{ url: "http://h/", headers: { Authorization: "Bearer ${T:-demo}" } }`, true},
		{"api key header default", `{ url: "http://h/", headers: { X-Api-Key: "${K:-abc123}" } }`, true},
		{"header without default", `{ url: "http://h/", headers: { Authorization: "Bearer ${T}" } }`, false},
		{"header default from another variable", `{ url: "http://h/", headers: { Authorization: "Bearer ${T:-${U}}" } }`, false},
		{"harmless header default", `{ url: "http://h/", headers: { Accept-Language: "${LANG:-en}" } }`, false},
		{"query default", `{ url: "http://h/e?token=${T:-demo}&topic=x" }`, true},
		{"encoded key default", `{ url: "http://h/e?api%5Fkey=${T:-demo}" }`, true},
		{"password default", `{ url: "http://u:${PW:-hunter2}@h/e" }`, true},
		{"password and query defaults", `{ url: "http://u:${PW:-pw}@h/e?token=${T:-demo}" }`, true},
		{"host default", `{ url: "${BASE:-http://127.0.0.1:8080}/events?topic=x" }`, false},
		{"harmless query default", `{ url: "http://h/e?topic=${TOPIC:-stocks}" }`, false},
		{"escaped reference", `{ url: "http://h/e?token=$${T:-demo}" }`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "feeds:\n  f: " + tt.feed + "\npanes:\n  - { id: raw, type: log }\n"
			_, problems := Check(strings.NewReader(src), Options{Name: "t.yaml", Env: testEnv()})
			// One warning for each credential default.
			want := 0
			if tt.warn {
				want = strings.Count(tt.feed, ":-") - strings.Count(tt.feed, ":-${")
			}
			got := 0
			for _, p := range problems {
				if p.Warning && strings.Contains(p.Error(), "falls back to a credential written into the file") {
					got++
				}
			}
			if got != want {
				t.Errorf("%d warnings, want %d; problems:\n%s", got, want, pretty(problems))
			}
		})
	}
}

// config explain prints feed URLs without their password or tokens.
func TestExplainRedactsURLs(t *testing.T) {
	src := `feeds:
  f: { url: "https://alice:${PW:-pw}@h/e?api_key=${K:-kk}&token=${T:-tt}&topic=x" }
panes:
  - { id: raw, type: log }
`
	cfg, problems := Check(strings.NewReader(src), Options{Name: "t.yaml", Env: testEnv()})
	if cfg == nil || len(problems.Errors()) > 0 {
		t.Fatalf("config: %s", pretty(problems))
	}
	var b bytes.Buffer
	if err := Explain(&b, cfg); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if !strings.Contains(out, "feed f  https://alice:***@h/e?api_key=***&token=***&topic=x\n") {
		t.Errorf("explain does not redact the URL:\n%s", out)
	}
	for _, secret := range []string{":pw@", "=kk", "=tt"} {
		if strings.Contains(out, secret) {
			t.Errorf("explain prints %q:\n%s", secret, out)
		}
	}
}

// A URL error shows the URL after ${VAR}s are filled in, so it is redacted:
// config check must not print a password or token it was given through the
// environment (seen before: `"https://u:hunter2@h/#x" has a #fragment`).
func TestURLErrorsAreRedacted(t *testing.T) {
	for _, url := range []string{
		"https://u:hunter2@h/e?token=hunter2#frag",
		"ftp://u:hunter2@h/e?token=hunter2",
		"u:hunter2@h/e?token=hunter2",
		"https://u:hunter2@/e?token=hunter2",
	} {
		src := "feeds:\n  f: { url: \"" + url + "\" }\npanes:\n  - { id: raw, type: log }\n"
		_, problems := Check(strings.NewReader(src), Options{Name: "t.yaml", Env: testEnv()})
		if len(problems.Errors()) == 0 {
			t.Errorf("%s: no error", url)
			continue
		}
		for _, p := range problems {
			if strings.Contains(p.Error(), "url of feed") && strings.Contains(strings.SplitN(p.Error(), "\n", 2)[0], "hunter2") {
				t.Errorf("%s: error shows the secret: %s", url, p.Error())
			}
		}
	}
}
