package config

import (
	"fmt"
	"strconv"
	"strings"
)

// Role is a semantic colour: what something means, not which colour it is.
type Role string

// The theme roles.
const (
	RoleText       Role = "text"
	RoleMuted      Role = "muted"
	RoleTitle      Role = "title"
	RoleBorder     Role = "border"
	RoleFocus      Role = "focus"
	RoleSelection  Role = "selection"
	RoleAccent     Role = "accent"
	RoleGain       Role = "gain"
	RoleLoss       Role = "loss"
	RoleNeutral    Role = "neutral"
	RoleInfo       Role = "info"
	RoleWarning    Role = "warning"
	RoleError      Role = "error"
	RoleStale      Role = "stale"
	RoleConnecting Role = "connecting"
	RoleOpen       Role = "open"
	RoleClosed     Role = "closed"
)

type roleInfo struct {
	role  Role
	color string // default, as a lipgloss colour string
	doc   string
}

// roleTable is the single list of roles: defaults and documentation. The
// defaults are ANSI palette numbers so that they follow the user's terminal
// theme, light or dark.
func roleTable() []roleInfo {
	return []roleInfo{
		{RoleText, "", "ordinary text (\"\" = the terminal's foreground)"},
		{RoleMuted, "8", "secondary text: timestamps, hints, debug lines"},
		{RoleTitle, "15", "pane titles"},
		{RoleBorder, "8", "pane borders"},
		{RoleFocus, "12", "the focused pane's border and title"},
		{RoleSelection, "4", "the selected row's background"},
		{RoleAccent, "14", "highlights such as ticker separators and keys in help"},
		{RoleGain, "10", "positive numbers (color: sign) and success"},
		{RoleLoss, "9", "negative numbers (color: sign)"},
		{RoleNeutral, "7", "zero / unchanged numbers (color: sign)"},
		{RoleInfo, "12", "info-level items (color: level)"},
		{RoleWarning, "11", "warnings"},
		{RoleError, "9", "errors and failed connections"},
		{RoleStale, "3", "feeds that have gone quiet (stale:)"},
		{RoleConnecting, "11", "readyState CONNECTING and the reconnect countdown"},
		{RoleOpen, "10", "readyState OPEN"},
		{RoleClosed, "9", "readyState CLOSED"},
	}
}

// Roles lists every theme role.
func Roles() []Role {
	t := roleTable()
	rs := make([]Role, len(t))
	for i, r := range t {
		rs[i] = r.role
	}
	return rs
}

// Theme maps every role to a colour string lipgloss understands: "#rrggbb",
// an ANSI palette number "0"–"255", or "" for the terminal's default.
type Theme map[Role]string

// DefaultTheme returns the built-in theme.
func DefaultTheme() Theme {
	t := Theme{}
	for _, r := range roleTable() {
		t[r.role] = r.color
	}
	return t
}

// Color returns the colour for a role ("" when unset).
func (t Theme) Color(r Role) string { return t[r] }

func ansiNames() map[string]int {
	return map[string]int{
		"black": 0, "red": 1, "green": 2, "yellow": 3, "blue": 4, "magenta": 5, "cyan": 6, "white": 7,
		"bright_black": 8, "gray": 8, "grey": 8, "bright_red": 9, "bright_green": 10, "bright_yellow": 11,
		"bright_blue": 12, "bright_magenta": 13, "bright_cyan": 14, "bright_white": 15,
	}
}

// ParseColor normalizes a colour: "#rgb" and "#rrggbb" (to lower-case
// #rrggbb), ANSI numbers "0"–"255", the 16 ANSI names (red, bright_blue, gray,
// …; "-" and spaces work as "_"), and "default" or "" for the terminal's own.
func ParseColor(s string) (string, error) {
	c := strings.ToLower(strings.TrimSpace(s))
	switch {
	case c == "" || c == "default" || c == "none":
		return "", nil
	case strings.HasPrefix(c, "#"):
		hex := c[1:]
		if len(hex) != 3 && len(hex) != 6 {
			return "", fmt.Errorf("colour %q: want #rgb or #rrggbb", s)
		}
		if _, err := strconv.ParseUint(hex, 16, 32); err != nil {
			return "", fmt.Errorf("colour %q: %q is not hexadecimal", s, hex)
		}
		if len(hex) == 3 {
			hex = string([]byte{hex[0], hex[0], hex[1], hex[1], hex[2], hex[2]})
		}
		return "#" + hex, nil
	case c[0] >= '0' && c[0] <= '9':
		n, err := strconv.Atoi(c)
		if err != nil || n > 255 {
			return "", fmt.Errorf("colour %q: ANSI colour numbers go from 0 to 255", s)
		}
		return strconv.Itoa(n), nil
	}
	name := strings.NewReplacer("-", "_", " ", "_", "brightblack", "bright_black").Replace(c)
	if !strings.Contains(name, "_") && strings.HasPrefix(name, "bright") {
		name = "bright_" + strings.TrimPrefix(name, "bright")
	}
	if n, ok := ansiNames()[name]; ok {
		return strconv.Itoa(n), nil
	}
	return "", fmt.Errorf("colour %q: want #rrggbb, an ANSI number 0-255, a name like red or bright_blue, or default", s)
}
