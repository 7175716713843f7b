package ui

import (
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/livefeed/livefeed/config"
)

// Styles are the theme's roles as lipgloss styles. Colours are ANSI palette
// numbers by default so they follow the terminal's own light or dark theme;
// the renderer drops them under NO_COLOR or on a terminal without colour.
type Styles struct {
	Role map[config.Role]lipgloss.Style

	Pane, PaneFocused, PaneDimmed lipgloss.Style // pane frames
	Title, TitleFocused           lipgloss.Style
	Selected                      lipgloss.Style // the selected row or item
	Muted, Badge                  lipgloss.Style
	Header, StatusBar, Banner     lipgloss.Style
	ColumnHeader                  lipgloss.Style // a table's column headings

	// NoColor is set under NO_COLOR: cues that colour alone would carry
	// (a change's direction) use glyphs only.
	NoColor bool
}

// NewStyles builds the styles for a theme.
func NewStyles(t config.Theme) *Styles {
	c := func(r config.Role) lipgloss.Style {
		s := lipgloss.NewStyle()
		if col := t.Color(r); col != "" {
			s = s.Foreground(lipgloss.Color(col))
		}
		return s
	}
	s := &Styles{Role: map[config.Role]lipgloss.Style{}}
	for _, r := range config.Roles() {
		s.Role[r] = c(r)
	}
	border := lipgloss.RoundedBorder()
	s.Pane = lipgloss.NewStyle().Border(border).BorderForeground(lipgloss.Color(t.Color(config.RoleBorder)))
	// The focused pane's border is heavier, not only another colour, so
	// that it stands out under NO_COLOR and to colour-blind eyes.
	s.PaneFocused = s.Pane.Border(lipgloss.ThickBorder()).BorderForeground(lipgloss.Color(t.Color(config.RoleFocus)))
	s.PaneDimmed = s.Pane.Faint(true)
	s.Title = c(config.RoleTitle).Bold(true)
	s.TitleFocused = c(config.RoleFocus).Bold(true)
	s.Selected = lipgloss.NewStyle().Reverse(true)
	if col := t.Color(config.RoleSelection); col != "" {
		s.Selected = lipgloss.NewStyle().Background(lipgloss.Color(col)).Foreground(lipgloss.Color("15"))
	}
	s.Muted = c(config.RoleMuted)
	s.Badge = c(config.RoleAccent).Bold(true)
	s.Header = c(config.RoleTitle).Bold(true)
	// Column headings sit below the titles in the hierarchy (as in k9s):
	// muted and underlined, never as loud as the pane's title.
	s.ColumnHeader = c(config.RoleMuted).Underline(true)
	s.StatusBar = c(config.RoleMuted)
	s.Banner = c(config.RoleError).Bold(true)
	return s
}

// Heading renders a table's column heading in the ColumnHeader style, the
// underline applied to the text as one run: lipgloss underlines rune by
// rune, which splits flags and ZWJ emoji into pieces that a terminal draws
// at another width than we measured.
func (s *Styles) Heading(text string) string {
	plain := s.ColumnHeader.Underline(false)
	if !s.ColumnHeader.GetUnderline() {
		return plain.Render(text)
	}
	return plain.Render(ansi.Style{}.Underline(true).Styled(text))
}

// For returns the style of a role (the plain style for an unknown one).
func (s *Styles) For(r config.Role) lipgloss.Style {
	if st, ok := s.Role[r]; ok {
		return st
	}
	return lipgloss.NewStyle()
}
