package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/livefeed/livefeed/config"
	"github.com/livefeed/livefeed/feed"
	"github.com/livefeed/livefeed/redact"
)

const quickSynopsis = "livefeed [flags] URL [URL...]"

const quickAbout = `Quick mode: the dashboard on the given SSE URLs, with no config file. Every feed
gets a connection chip, every event goes to one log pane (feed, type, id, data),
and Enter inspects one. The request flags are tail's. --save FILE writes the
equivalent config (to edit, then run with --config FILE) and exits.`

// quickName is the config name quick mode runs under; the header shows it.
const quickName = "command line"

// looksLikeURL says whether a command-line argument is a feed URL, which
// makes `livefeed URL…` quick mode rather than a subcommand.
func looksLikeURL(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}

// runQuick is `livefeed URL…`: the dashboard without a config file.
func runQuick(ctx context.Context, args []string, out, errOut io.Writer) error {
	start := startTime(ctx)
	fs := newFlagSet("livefeed", quickSynopsis, quickAbout, out)
	logFile := fs.String("log-file", "", "write the log to `file` (default: $XDG_STATE_HOME/livefeed/livefeed.log)")
	save := fs.String("save", "", "write the equivalent config to `file` and exit, without connecting")
	force := fs.Bool("force", false, "with --save, overwrite an existing file")
	req := addRequestFlags(fs)
	urls, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(urls) == 0 {
		return usageError{"no URL given (see 'livefeed --help')"}
	}
	seen := map[string]bool{}
	for _, u := range urls {
		if err := checkFeedURL(u); err != nil {
			return usageError{err.Error()}
		}
		if seen[u] {
			return usageError{fmt.Sprintf("%s is given twice", redact.URL(u))}
		}
		seen[u] = true
	}
	q, err := req.parse(fs)
	if err != nil {
		return err
	}
	yaml := quickConfig(urls, req, q)
	env := config.Env(os.LookupEnv)

	if *save != "" {
		return saveQuickConfig(*save, yaml, *force, env, out, errOut)
	}
	wd, _ := os.Getwd()
	cfg, problems := config.Check(bytes.NewReader(yaml), config.Options{Name: quickName, Env: env, Dir: wd})
	if err := problems.Err(); err != nil {
		// The flags were checked; this is a bug in quickConfig, said plainly.
		return fmt.Errorf("the config built from the command line is not valid:\n%w\n%s", err, yaml)
	}
	return runDashboard(ctx, dashboard{cfg: cfg, env: env, logFile: *logFile, noDemo: true, start: start,
		label: fmt.Sprintf("%s (%d URLs)", quickName, len(urls))}, out)
}

// checkFeedURL accepts absolute http(s) URLs with a host.
func checkFeedURL(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return fmt.Errorf("%q is not a URL", redact.URL(s))
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q: want an http:// or https:// URL with a host", redact.URL(s))
	}
	return nil
}

// saveQuickConfig writes quick mode's config and the schema next to it, as
// `config init` does, and shows what `config check` would say about it.
func saveQuickConfig(path string, yaml []byte, force bool, env config.Env, out, errOut io.Writer) error {
	if info, err := os.Stat(path); err == nil && info.IsDir() {
		return fmt.Errorf("--save %s is a directory; give a file name such as %s", path, filepath.Join(path, "livefeed.yaml"))
	}
	if err := writeFile(path, yaml, force); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s already exists; livefeed will not overwrite it (add --force, or give another file)", path)
		}
		return err
	}
	fmt.Fprintf(out, "Wrote %s\n", path)
	schemaPath := filepath.Join(filepath.Dir(path), schemaFile)
	switch err := writeFile(schemaPath, config.Schema(), false); {
	case err == nil:
		fmt.Fprintf(out, "Wrote %s (completion and checking in editors with YAML support)\n", schemaPath)
	case !errors.Is(err, fs.ErrExist):
		return err
	}
	// Credentials given as flags are now in a file: config check's
	// warnings say so, with the fix.
	dir, _ := filepath.Abs(filepath.Dir(path))
	_, problems := config.Check(bytes.NewReader(yaml), config.Options{Name: path, Env: env, Dir: dir})
	for _, p := range problems {
		fmt.Fprintln(errOut, p.Pretty())
	}
	fmt.Fprintf(out, "\nNext: edit it, then\n  livefeed config check %s\n  livefeed --config %s\n", path, path)
	return problems.Err()
}

// quickConfig writes the config quick mode runs: one feed per URL with the
// request flags given (defaults left out), and one log pane of everything.
// Every value is quoted and "${" escaped, so that the flags mean exactly
// what they mean to tail.
func quickConfig(urls []string, r *requestFlags, q request) []byte {
	var b strings.Builder
	b.WriteString("# yaml-language-server: $schema=" + schemaFile + "\n")
	b.WriteString("#\n# Written by `livefeed URL… --save`: the feeds given on the command line and one\n")
	b.WriteString("# log pane of every event. `livefeed config explain` describes every setting;\n")
	b.WriteString("# check this file with `livefeed config check FILE`, run it with `livefeed --config FILE`.\n\n")
	b.WriteString("feeds:\n")
	names := quickFeedNames(urls)
	for i, u := range urls {
		fmt.Fprintf(&b, "  %s:\n", names[i])
		fmt.Fprintf(&b, "    url: %s\n", yamlString(u))
		if q.method != "GET" {
			fmt.Fprintf(&b, "    method: %s\n", q.method)
		}
		headers := r.headers
		if q.jsonBody && !hasHeaderFlag(headers, "Content-Type") {
			headers = append(headerFlags{{"Content-Type", "application/json"}}, headers...)
		}
		if len(headers) > 0 {
			b.WriteString("    headers:\n")
			for _, kv := range headers {
				fmt.Fprintf(&b, "      %s: %s\n", yamlKey(kv[0]), yamlString(kv[1]))
			}
		}
		switch {
		case q.bodyFile != "":
			fmt.Fprintf(&b, "    body_file: %s\n", yamlString(q.bodyFile))
		case q.body != nil:
			fmt.Fprintf(&b, "    body: %s\n", yamlString(string(q.body)))
		}
		if len(q.headersCommand) > 0 {
			quoted := make([]string, len(q.headersCommand))
			for j, a := range q.headersCommand {
				quoted[j] = yamlString(a)
			}
			fmt.Fprintf(&b, "    headers_command: [%s]\n", strings.Join(quoted, ", "))
		}
		if q.reconnect != feed.ReconnectAuto {
			fmt.Fprintf(&b, "    reconnect: %s\n", q.reconnect)
		}
		if r.endOn != "" {
			fmt.Fprintf(&b, "    end_on: %s\n", yamlString(r.endOn))
		}
		if r.set["retry-on"] {
			codes := make([]string, len(q.retryOn))
			for j, c := range q.retryOn {
				codes[j] = strconv.Itoa(c)
			}
			fmt.Fprintf(&b, "    retry_on: [%s]\n", strings.Join(codes, ", "))
		}
		for _, d := range []struct {
			flag, key string
			value     string
		}{
			{"retry", "retry", r.retry.String()},
			{"max-backoff", "max_backoff", r.maxBackoff.String()},
			{"stale", "stale", r.stale.String()},
			{"connect-timeout", "connect_timeout", r.connectTimeout.String()},
			{"max-event-size", "max_event_size", r.maxEventSize.String()},
		} {
			if r.set[d.flag] {
				fmt.Fprintf(&b, "    %s: %s\n", d.key, d.value)
			}
		}
		if r.caFile != "" || r.insecure {
			b.WriteString("    tls:\n")
			if r.caFile != "" {
				abs, err := filepath.Abs(r.caFile)
				if err != nil {
					abs = r.caFile
				}
				fmt.Fprintf(&b, "      ca_file: %s\n", yamlString(abs))
			}
			if r.insecure {
				b.WriteString("      insecure: true\n")
			}
		}
	}
	b.WriteString("\npanes:\n  - { id: events, type: log, title: Events }\n")
	return []byte(b.String())
}

func hasHeaderFlag(h headerFlags, name string) bool {
	for _, kv := range h {
		if strings.EqualFold(kv[0], name) {
			return true
		}
	}
	return false
}

// yamlString quotes s for YAML with "${" escaped, so that config does not
// expand it: in single quotes when it is printable (a JSON body reads as
// written), else double-quoted with Go's escapes, which YAML shares.
func yamlString(s string) string {
	s = strings.ReplaceAll(s, "${", "$${")
	printable := utf8.ValidString(s)
	for _, r := range s {
		if !unicode.IsPrint(r) {
			printable = false
			break
		}
	}
	if printable {
		return "'" + strings.ReplaceAll(s, "'", "''") + "'"
	}
	return strconv.Quote(s)
}

// yamlKey writes a header name bare when it is plainly a word.
func yamlKey(s string) string {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return yamlString(s)
		}
	}
	if s == "" {
		return yamlString(s)
	}
	return s
}

// quickFeedNames names each URL's feed for the chips and panes: the last
// path segment ("stocks" for …/events/stocks), else the host, made a valid
// feed name and unique.
func quickFeedNames(urls []string) []string {
	names := make([]string, len(urls))
	used := map[string]bool{}
	for i, raw := range urls {
		name := "feed"
		if u, err := url.Parse(raw); err == nil {
			segs := strings.FieldsFunc(u.Path, func(r rune) bool { return r == '/' })
			switch {
			case len(segs) > 0:
				name = segs[len(segs)-1]
			case u.Hostname() != "":
				name = u.Hostname()
			}
		}
		name = feedNameChars(name)
		base := name
		for n := 2; used[name]; n++ {
			name = fmt.Sprintf("%s-%d", base, n)
		}
		used[name] = true
		names[i] = name
	}
	return names
}

// feedNameChars keeps the characters a feed name may have
// ([A-Za-z0-9_.-], starting with a letter or digit), at most 32 of them.
func feedNameChars(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '_' || r == '.' || r == '-':
			if b.Len() > 0 {
				b.WriteRune(r)
			}
		}
		if b.Len() >= 32 {
			break
		}
	}
	if b.Len() == 0 {
		return "feed"
	}
	return b.String()
}
