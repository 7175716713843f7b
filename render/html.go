package render

import (
	"html"
	"strings"
)

// blockTags end a line of text when rendered; folded to a space they keep
// "<p>a</p><p>b</p>" from reading "ab".
var blockTags = map[string]bool{
	"p": true, "br": true, "div": true, "li": true, "ul": true, "ol": true, "tr": true, "td": true, "th": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "blockquote": true, "pre": true, "hr": true,
}

// HTMLText renders an HTML fragment (Mastodon's content, Wikipedia's
// parsedcomment) as one line of plain text: tags removed (block tags
// become spaces), entities decoded, runs of whitespace folded into one
// space. A '<' that starts no tag stays. The result is sanitized.
func HTMLText(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '<' || i+1 >= len(s) || !isTagStart(s[i+1]) {
			b.WriteByte(c)
			continue
		}
		end := strings.IndexByte(s[i:], '>')
		if end < 0 {
			b.WriteByte(c)
			continue
		}
		if blockTags[tagName(s[i+1:i+end])] {
			b.WriteByte(' ')
		}
		i += end
	}
	return Sanitize(strings.Join(strings.Fields(html.UnescapeString(b.String())), " "))
}

func isTagStart(c byte) bool {
	return c == '/' || c == '!' || c == '?' || (c|0x20 >= 'a' && c|0x20 <= 'z')
}

// tagName is the lower-case name of the tag whose text (between < and >)
// is t.
func tagName(t string) string {
	t = strings.TrimLeft(t, "/")
	end := strings.IndexAny(t, " \t\n/")
	if end >= 0 {
		t = t[:end]
	}
	return strings.ToLower(t)
}
