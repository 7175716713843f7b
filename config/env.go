package config

import (
	"fmt"
	"strings"
)

// expandIssue is a problem with one ${…} reference; Offset is the byte offset
// of its "${" in the text being expanded.
type expandIssue struct {
	Offset int
	Len    int
	Msg    string
	Hint   string
}

// expand replaces ${VAR} with the variable's value and ${VAR:-default} with
// the value, or default when VAR is unset or empty (defaults may themselves
// contain references). "$${" stands for a literal "${"; any other "$" is
// kept as is, so "$5" or "currency:$" need no escaping. It returns the names
// referred to and every problem found.
func expand(s string, env Env) (string, []string, []expandIssue) {
	if !strings.Contains(s, "${") {
		return s, nil, nil
	}
	var (
		b      strings.Builder
		refs   []string
		issues []expandIssue
	)
	for i := 0; i < len(s); {
		if strings.HasPrefix(s[i:], "$${") {
			b.WriteString("${")
			i += 3
			continue
		}
		if !strings.HasPrefix(s[i:], "${") {
			b.WriteByte(s[i])
			i++
			continue
		}
		end := closingEnv(s, i)
		if end < 0 {
			issues = append(issues, expandIssue{Offset: i, Len: len(s) - i, Msg: fmt.Sprintf("unclosed %q: missing '}'", s[i:])})
			b.WriteString(s[i:])
			break
		}
		inner := s[i+2 : end]
		name, def, hasDef := strings.Cut(inner, ":-")
		switch {
		case name == "":
			issues = append(issues, expandIssue{Offset: i, Len: end + 1 - i, Msg: "empty variable name in \"${}\""})
		case !validEnvName(name):
			msg := fmt.Sprintf("%q is not a variable name", name)
			if j := strings.IndexAny(name, "-:?=+"); j > 0 && validEnvName(name[:j]) {
				msg = fmt.Sprintf("unsupported form %q: only ${VAR} and ${VAR:-default} are expanded", s[i:end+1])
			}
			issues = append(issues, expandIssue{Offset: i, Len: end + 1 - i, Msg: msg,
				Hint: "write $${ for a literal \"${\""})
		default:
			refs = append(refs, name)
			val, ok := "", false
			if env != nil {
				val, ok = env(name)
			}
			switch {
			case hasDef && (!ok || val == ""):
				d, r, sub := expand(def, env)
				refs = append(refs, r...)
				for _, is := range sub {
					is.Offset += i + 2 + len(name) + 2
					issues = append(issues, is)
				}
				val = d
			case !ok:
				issues = append(issues, expandIssue{Offset: i, Len: end + 1 - i,
					Msg:  fmt.Sprintf("environment variable %s is not set", name),
					Hint: fmt.Sprintf("set it (export %s=…), or give a default: ${%s:-value}", name, name)})
			}
			b.WriteString(val)
		}
		i = end + 1
	}
	return b.String(), refs, issues
}

// closingEnv finds the '}' closing the "${" at s[open], allowing nested
// references in defaults.
func closingEnv(s string, open int) int {
	depth := 0
	for i := open + 2; i < len(s); i++ {
		switch {
		case strings.HasPrefix(s[i:], "${"):
			depth++
			i++
		case s[i] == '}':
			if depth == 0 {
				return i
			}
			depth--
		}
	}
	return -1
}

func validEnvName(s string) bool {
	for i, c := range s {
		switch {
		case c == '_', c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z':
		case c >= '0' && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return s != ""
}

// envDefault is a ${NAME:-default} whose default is written out literally.
type envDefault struct {
	Ref     string // the whole reference, "${NAME:-default}"
	Name    string
	Default string
}

// literalDefaults lists the references in s whose default is literal text
// (not empty, no reference of its own): a credential there is a secret
// written into the file, used whenever the variable is unset.
func literalDefaults(s string) []envDefault {
	var out []envDefault
	for i := 0; i < len(s); {
		j := strings.Index(s[i:], "${")
		if j < 0 {
			break
		}
		open := i + j
		if open > 0 && s[open-1] == '$' { // "$${" is a literal "${"
			i = open + 2
			continue
		}
		end := closingEnv(s, open)
		if end < 0 {
			break
		}
		name, def, ok := strings.Cut(s[open+2:end], ":-")
		if ok && def != "" && !strings.Contains(def, "${") && validEnvName(name) {
			out = append(out, envDefault{Ref: s[open : end+1], Name: name, Default: def})
		}
		i = end + 1
	}
	return out
}
