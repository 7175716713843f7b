package ui

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/tidwall/gjson"
	"github.com/tidwall/pretty"

	"github.com/livefeed/livefeed/config"
	"github.com/livefeed/livefeed/redact"
)

// copyData puts it's data on the clipboard through the terminal (OSC 52,
// which works over ssh and, with set-clipboard on, in tmux): pretty JSON
// when the data is JSON, else as it is.
func (m *Model) copyData(it Item) tea.Cmd {
	text := clipboardText(it.Event.Data)
	if len(text) > maxClipboard {
		m.flash(fmt.Sprintf("%s is too big to copy through the terminal (%s); e exports the pane", byteCount(len(text)), it.Feed))
		return nil
	}
	m.flash(fmt.Sprintf("copied %s of %s data to the clipboard", byteCount(len(text)), it.Feed))
	return tea.SetClipboard(text)
}

// copyCurl puts a curl command that makes it's feed's request on the
// clipboard; secrets are redacted unless --show-secrets was given.
func (m *Model) copyCurl(it Item) tea.Cmd {
	f := m.cfg.Feed(it.Feed)
	if f == nil {
		m.flash("feed " + it.Feed + " is no longer configured")
		return nil
	}
	cmd := curlCommand(f, m.showSecrets)
	note := ""
	if !m.showSecrets && strings.Contains(cmd, redact.Mask) {
		note = " (secrets redacted; --show-secrets keeps them)"
	}
	if len(f.HeadersCommand) > 0 {
		note += " (without the headers of headers_command)"
	}
	m.flash("copied a curl command for " + it.Feed + note)
	return tea.SetClipboard(cmd)
}

// maxClipboard bounds what is copied through the terminal: the sequence
// carries a third more in base64, terminals cap it (xterm at about 100 kB
// by default, others at a few MB), and a bigger one only floods the pty.
const maxClipboard = 1 << 20

// clipboardText is data as it should land in the clipboard.
func clipboardText(data string) string {
	trimmed := bytes.TrimSpace([]byte(data))
	if len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[') && gjson.ValidBytes(trimmed) {
		return strings.TrimRight(string(pretty.PrettyOptions(trimmed, &pretty.Options{Width: 80, Indent: "  "})), "\n")
	}
	return data
}

func byteCount(n int) string {
	if n == 1 {
		return "1 byte"
	}
	return fmt.Sprintf("%d bytes", n)
}

// curlCommand is a shell command line making the same request as the
// feed: curl without output buffering (-N), its method, the headers an
// EventSource sends, the configured headers, the body, TLS settings.
func curlCommand(f *config.Feed, showSecrets bool) string {
	args := []string{"curl", "-N"}
	if f.Method != "" && f.Method != "GET" {
		args = append(args, "-X", f.Method)
	}
	args = append(args, "-H", "Accept: text/event-stream", "-H", "Cache-Control: no-cache")
	if f.BodyJSON && !hasHeaderFold(f.Headers, "Content-Type") {
		args = append(args, "-H", "Content-Type: application/json")
	}
	names := make([]string, 0, len(f.Headers))
	for n := range f.Headers {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		v := f.Headers[n]
		if !showSecrets {
			v = redact.Header(n, v)
		}
		args = append(args, "-H", n+": "+v)
	}
	switch {
	case f.BodyFile != "":
		args = append(args, "--data-binary", "@"+f.BodyFile)
	case f.Body != "":
		args = append(args, "--data-binary", f.Body)
	}
	if f.TLS.Insecure {
		args = append(args, "--insecure")
	}
	if f.TLS.CAFile != "" {
		args = append(args, "--cacert", f.TLS.CAFile)
	}
	u := f.URL
	if !showSecrets {
		u = redact.URL(u)
	}
	args = append(args, u)
	quoted := make([]string, len(args))
	for i, a := range args {
		quoted[i] = shellQuote(a)
	}
	return strings.Join(quoted, " ")
}

func hasHeaderFold(h map[string]string, name string) bool {
	for k := range h {
		if strings.EqualFold(k, name) {
			return true
		}
	}
	return false
}

// shellQuote quotes s for a POSIX shell: as it is when it is made only of
// characters no shell treats specially, else in single quotes.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_@%+=:,./-") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
