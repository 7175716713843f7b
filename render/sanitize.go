package render

import (
	"strings"
	"unicode/utf8"
)

// Sanitize makes untrusted text safe to draw on one terminal line: tabs and
// line breaks become spaces; other control characters, invalid UTF-8 and
// bidirectional overrides (which can reorder what the user sees) become
// U+FFFD. Text that needs no change is returned without allocating.
func Sanitize(s string) string {
	i := 0
	for i < len(s) {
		c := s[i]
		if c >= 0x20 && c < 0x7f {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if replacement(r, size) != noChange {
			break
		}
		i += size
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch rep := replacement(r, size); rep {
		case noChange:
			b.WriteString(s[i : i+size])
		default:
			b.WriteRune(rep)
		}
		i += size
	}
	return b.String()
}

const noChange = rune(-1)

func replacement(r rune, size int) rune {
	switch {
	case r == utf8.RuneError && size <= 1:
		return utf8.RuneError
	case r == '\t' || r == '\n' || r == '\r':
		return ' '
	case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
		return utf8.RuneError
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return utf8.RuneError
	}
	return noChange
}
