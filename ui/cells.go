package ui

import (
	"path"

	"github.com/tidwall/gjson"

	"github.com/livefeed/livefeed/config"
	"github.com/livefeed/livefeed/render"
)

// Per-event evaluation of a pane's configuration: config holds the compiled
// templates and formats, these functions apply them to one payload.

// textFor returns the template for an event name: the first matching rule,
// else raw (the one showing the payload). It is nil only for table panes.
func textFor(p *config.Pane, raw *render.Template, event string) *render.Template {
	for _, r := range p.Text {
		if r.Event == "" || r.Event == "*" || matchEvent(r.Event, event) {
			return r.Template
		}
	}
	if p.Type == config.Table {
		return nil
	}
	return raw
}

// matchEvent matches an event name against a pattern config has checked.
func matchEvent(pattern, name string) bool {
	ok, _ := path.Match(pattern, name)
	return ok
}

// rowKey returns a table row's key from an event payload; ok is false when
// the payload has no value at the pane's Key.
func rowKey(p *config.Pane, data []byte) (key string, ok bool) {
	v := gjson.GetBytes(data, p.Key)
	if !v.Exists() || v.Type == gjson.Null {
		return "", false
	}
	return render.Value(v), true
}

// paneLevelRole colours an item by the pane's severity field (Level);
// RoleText when the pane has none or the value is not a severity word.
func paneLevelRole(p *config.Pane, data []byte) config.Role {
	if p.Level == "" {
		return config.RoleText
	}
	return levelRole(gjson.GetBytes(data, p.Level).String())
}

// columnValue extracts the column's value from an event payload, or
// computes it (a missing value when the column uses Text).
func columnValue(c *config.Column, data []byte, m render.Meta) gjson.Result {
	switch {
	case c.Expr != nil:
		return c.Expr.Value(string(data), m)
	case c.Path == "":
		return gjson.Result{}
	}
	return gjson.GetBytes(data, c.Path)
}

// columnCell returns the cell text and its theme role for an event payload.
// Spark columns render their latest value; the pane keeps the history and
// calls render.Spark.
func columnCell(c *config.Column, data []byte, m render.Meta, fc render.Context) (string, config.Role) {
	if c.Text != nil {
		s := c.Text.Render(data, m, fc)
		return s, pickRole(c.Color, gjsonString(s))
	}
	v := columnValue(c, data, m)
	return c.Format.Apply(v, fc), pickRole(c.Color, v)
}

func gjsonString(s string) gjson.Result { return gjson.Result{Type: gjson.String, Str: s, Raw: s} }

// columnNumber reads the column's value as a number, for sparklines.
func columnNumber(c *config.Column, data []byte, m render.Meta) (float64, bool) {
	return render.Float(columnValue(c, data, m))
}

// pickRole returns the role for a value under the rule; RoleText when the
// rule has nothing to say.
func pickRole(r config.ColorRule, v gjson.Result) config.Role {
	switch r.Mode {
	case config.ColorSign:
		return signRole(v)
	case config.ColorLevel:
		return levelRole(v.String())
	case config.ColorFixed:
		return r.Role
	case config.ColorMap:
		if role, ok := r.Map[v.String()]; ok {
			return role
		}
		if r.Role != "" {
			return r.Role
		}
	}
	return config.RoleText
}

// signRole maps a number's sign to RoleGain, RoleLoss or RoleNeutral (and
// anything that is not a number to RoleText).
func signRole(v gjson.Result) config.Role {
	s, ok := render.Sign(v)
	switch {
	case !ok:
		return config.RoleText
	case s > 0:
		return config.RoleGain
	case s < 0:
		return config.RoleLoss
	}
	return config.RoleNeutral
}

// levelRole maps a severity word (case-insensitive) to a role: error, fatal,
// critical… → RoleError; warn, warning → RoleWarning; info, notice →
// RoleInfo; debug, trace → RoleMuted; ok, success → RoleGain; else RoleText.
func levelRole(level string) config.Role {
	switch toLowerASCII(level) {
	case "error", "err", "fatal", "critical", "crit", "alert", "emergency", "emerg", "panic", "failure", "failed", "danger":
		return config.RoleError
	case "warn", "warning":
		return config.RoleWarning
	case "info", "information", "notice", "note":
		return config.RoleInfo
	case "debug", "trace", "verbose":
		return config.RoleMuted
	case "ok", "success", "succeeded", "good", "done":
		return config.RoleGain
	}
	return config.RoleText
}

// toLowerASCII lowercases without allocating when s is already lower case.
func toLowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if b[j] >= 'A' && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}
