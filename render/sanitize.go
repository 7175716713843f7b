package render

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Sanitize makes untrusted text safe to draw on one terminal line: tabs and
// line breaks become spaces; other control characters, invalid UTF-8 and
// bidirectional overrides (which can reorder what the user sees) become
// U+FFFD; and characters whose width terminals and livefeed disagree on are
// dropped or spelled out, so that every row keeps its pane's width. Text that
// needs no change is returned without allocating.
//
// Width certainty, measured in tmux 3.3a against ansi.StringWidth (grapheme
// clusters): "❤️" (U+2764 U+FE0F) is 1 cell in tmux and 2 for us; "👍🏽" is 4
// in tmux (the skin tone is a wide character of its own) and 2 for us; a soft
// hyphen is 1 cell in tmux and 0 for us; a lone regional indicator is 1 in
// tmux and 2 for us. Dropping variation selectors, zero-width joiners, other
// invisible format characters (Unicode category Cf: U+200B–U+200F, U+2060,
// U+061C, U+00AD, U+FEFF, tag characters …) and emoji modifiers, and writing
// an unpaired regional indicator as its letter, leaves only text whose width
// both agree on: "👨‍👩‍👧" becomes "👨👩👧" (6 cells everywhere), "❤️" "❤"
// (1), "👍🏽" "👍" (2), while flags ("🇯🇵", 2) and CJK are kept as they are.
func Sanitize(s string) string {
	i := 0
	for i < len(s) {
		c := s[i]
		if c >= 0x20 && c < 0x7f {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if isRegional(r) {
			// A pair (a flag) is kept as it is; only a lone one changes.
			next, n := utf8.DecodeRuneInString(s[i+size:])
			if !isRegional(next) {
				break
			}
			i += size + n
			continue
		}
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
		if isRegional(r) {
			// Regional indicators pair up from the start of a run, as
			// grapheme segmentation pairs them; a pair is a 2-cell flag.
			if next, n := utf8.DecodeRuneInString(s[i+size:]); isRegional(next) {
				b.WriteString(s[i : i+size+n])
				i += size + n
				continue
			}
			b.WriteRune('A' + r - 0x1f1e6)
			i += size
			continue
		}
		switch rep := replacement(r, size); rep {
		case noChange:
			b.WriteString(s[i : i+size])
		case dropped:
		default:
			b.WriteRune(rep)
		}
		i += size
	}
	return b.String()
}

const (
	noChange = rune(-1)
	dropped  = rune(-2)
)

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
	case r < 0xad, r > 0xad && r < 0x600, r >= 0x2070 && r < 0xfe00:
		// Latin, Greek, Cyrillic …, CJK, kana, hangul and symbols: no
		// format characters there (a shortcut past the table look-up).
		return noChange
	case r >= 0xfe00 && r <= 0xfe0f, r >= 0xe0100 && r <= 0xe01ef: // variation selectors
		return dropped
	case r >= 0x1f3fb && r <= 0x1f3ff: // emoji modifiers (skin tones)
		return dropped
	case r >= 0x1d200 && r < 0xe0000: // emoji and the rest of the planes above
		return noChange
	case unicode.Is(unicode.Cf, r):
		return dropped
	}
	return noChange
}

// isRegional reports whether r is a regional indicator, half of a flag.
func isRegional(r rune) bool { return r >= 0x1f1e6 && r <= 0x1f1ff }
