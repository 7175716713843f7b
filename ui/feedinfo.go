package ui

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/livefeed/livefeed/config"
	"github.com/livefeed/livefeed/feed"
	"github.com/livefeed/livefeed/redact"
	"github.com/livefeed/livefeed/render"
)

// feedInspectorLines describes feeds for the feed inspector: for each, the
// request it makes (URL and headers redacted), its state and why, and the
// body of the server's last error response in full, pretty-printed when it
// is JSON. It is a snapshot taken when the inspector opens.
func feedInspectorLines(names []string, cfg *config.Config, stats map[string]*feedStat, now time.Time) [][]jsonSpan {
	var lines [][]jsonSpan
	row := func(label, value string, role config.Role) {
		lines = append(lines, []jsonSpan{{text: fmt.Sprintf("%-9s", label), role: config.RoleMuted}, {text: render.Sanitize(value), role: role}})
	}
	for i, name := range names {
		if i > 0 {
			lines = append(lines, []jsonSpan{{text: "", role: config.RoleText}})
		}
		row("feed", name, config.RoleAccent)
		var c *config.Feed
		if cfg != nil {
			c = cfg.Feed(name)
		}
		if c != nil {
			row("url", redact.URL(c.URL), config.RoleText)
			row("request", requestText(c), config.RoleText)
			if len(c.Headers) > 0 {
				shown := redact.Headers(c.Headers)
				keys := make([]string, 0, len(shown))
				for k := range shown {
					keys = append(keys, k)
				}
				sort.Strings(keys)
				for _, k := range keys {
					row("header", k+": "+shown[k], config.RoleText)
				}
			}
		}
		st := stats[name]
		if st == nil {
			continue
		}
		state := st.state()
		role := map[feed.State]config.Role{feed.Connecting: config.RoleConnecting, feed.Open: config.RoleOpen, feed.Closed: config.RoleClosed}[state]
		stateText := strings.ToUpper(state.String())
		switch state {
		case feed.Closed:
			stateText += " · " + closeReason(st.status)
		case feed.Connecting:
			if code := statusCode(st.status); code != 0 {
				stateText += " · HTTP " + strconv.Itoa(code)
			}
			if d := st.status.ReconnectAt.Sub(now); !st.status.ReconnectAt.IsZero() && d > 0 {
				stateText += " · retry in " + countdown(d)
				if st.status.RetryAfter {
					stateText += " (Retry-After)"
				}
			}
			stateText += " · attempt " + strconv.Itoa(max(st.status.Attempt, 1))
		}
		row("state", stateText, role)
		if st.status.HTTPStatus != 0 || st.status.ContentType != "" {
			resp := strconv.Itoa(st.status.HTTPStatus)
			if t := httpStatusText(st.status.HTTPStatus); t != "" {
				resp += " " + t
			}
			if st.status.ContentType != "" {
				resp += " · " + st.status.ContentType
			}
			row("response", resp, config.RoleText)
		}
		if err := st.status.Err; err != nil {
			row("error", redact.Text(err.Error()), config.RoleClosed)
			var ce *feed.CommandError
			if errors.As(err, &ce) && ce.Stderr != "" {
				row("stderr", ce.Stderr, config.RoleClosed)
			}
		}
		events := countLabel(int(st.events), "event", "events")
		if !st.lastEventAt.IsZero() {
			events += " · last " + shortDuration(now.Sub(st.lastEventAt)) + " ago"
		}
		if st.lastID != "" {
			events += " · id " + st.lastID
		}
		row("events", events, config.RoleText)
		var he *feed.HTTPError
		if errors.As(st.status.Err, &he) && he.Body != "" {
			body, kind := payloadLines(he.Body)
			lines = append(lines, []jsonSpan{{text: fmt.Sprintf("response body (%s, %s):", countLabel(len(he.Body), "byte", "bytes"), kind), role: config.RoleMuted}})
			lines = append(lines, body...)
		}
	}
	return lines
}

// requestText is a feed's request in brief: "POST · JSON body 120 bytes ·
// headers from get-token · reconnect never · end on [DONE]".
func requestText(c *config.Feed) string {
	method := c.Method
	if method == "" {
		method = "GET"
	}
	parts := []string{method}
	switch {
	case c.BodyFile != "":
		parts = append(parts, "body from "+c.BodyFile+" ("+countLabel(len(c.Body), "byte", "bytes")+")")
	case c.BodyJSON:
		parts = append(parts, "JSON body "+countLabel(len(c.Body), "byte", "bytes"))
	case c.Body != "":
		parts = append(parts, "body "+countLabel(len(c.Body), "byte", "bytes"))
	}
	if len(c.HeadersCommand) > 0 {
		// Only the program: its arguments may hold credentials.
		parts = append(parts, "headers from "+c.HeadersCommand[0])
	}
	if c.Reconnect == feed.ReconnectAuto {
		// Say what auto means for this method: a repeated POST re-runs it.
		effective := feed.ReconnectAlways
		if method != "GET" {
			effective = feed.ReconnectNever
		}
		parts = append(parts, "reconnect auto ("+effective.String()+")")
	} else {
		parts = append(parts, "reconnect "+c.Reconnect.String())
	}
	if c.EndOn != "" {
		parts = append(parts, "end on "+strconv.Quote(c.EndOn))
	}
	return strings.Join(parts, " · ")
}
