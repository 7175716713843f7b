package config

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"unicode"

	"github.com/goccy/go-yaml/ast"
)

// The range of HTTP status codes retry_on accepts.
const (
	MinStatus = 100
	MaxStatus = 599
)

// maxBodyDepth bounds the nesting of a body written as YAML; JSON parsers
// on the other side commonly refuse deeper documents anyway.
const maxBodyDepth = 64

func decodeBody(d *decoder, a arg, f *Feed) {
	if _, both := f.at["body_file"]; both {
		d.errorf(a.kpos, 4, "%s has both body: and body_file:; use one", a.in.what)
		return
	}
	switch a.v.(type) {
	case *ast.MappingNode, *ast.MappingValueNode, *ast.SequenceNode:
		var buf bytes.Buffer
		if d.jsonBody(&buf, a.v, a.name, 0) {
			f.Body, f.BodyJSON = buf.String(), true
		}
	default:
		f.Body, _ = d.text(a.v, a.name)
	}
}

func decodeBodyFile(d *decoder, a arg, f *Feed) {
	if _, both := f.at["body"]; both {
		d.errorf(a.kpos, 9, "%s has both body: and body_file:; use one", a.in.what)
		return
	}
	name, ok := d.text(a.v, a.name)
	if !ok {
		return
	}
	if name == "" {
		d.errorf(d.pos(a.v), span(a.v), "%s is empty; name a file or remove the key", a.name)
		return
	}
	path := d.localPath(name)
	data, err := readBounded(path, MaxBodyFile)
	if err != nil {
		d.errorf(d.pos(a.v), span(a.v), "%s: %v", a.name, err)
		return
	}
	f.Body, f.BodyFile = string(data), path
}

// readBounded reads a whole file that must not exceed limit bytes.
func readBounded(path string, limit int64) ([]byte, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	if st, err := fh.Stat(); err == nil && st.IsDir() {
		return nil, fmt.Errorf("%s is a directory", path)
	}
	data, err := io.ReadAll(io.LimitReader(fh, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s is larger than %s", path, showSize(limit))
	}
	return data, nil
}

// jsonBody writes a YAML value as JSON, keeping the mapping's key order
// (servers and people reading a request log expect the order written) and
// expanding ${VAR} in strings.
func (d *decoder) jsonBody(buf *bytes.Buffer, n ast.Node, what string, depth int) bool {
	if depth > maxBodyDepth {
		d.errorf(d.pos(n), 1, "%s is nested more than %d levels deep", what, maxBodyDepth)
		return false
	}
	n = d.resolve(n)
	switch v := n.(type) {
	case nil, *ast.NullNode:
		buf.WriteString("null")
	case *ast.BoolNode:
		buf.WriteString(strconv.FormatBool(v.Value))
	case *ast.IntegerNode:
		switch x := v.Value.(type) {
		case int64:
			buf.WriteString(strconv.FormatInt(x, 10))
		case uint64:
			buf.WriteString(strconv.FormatUint(x, 10))
		default:
			buf.WriteString(v.GetToken().Value)
		}
	case *ast.FloatNode:
		if math.IsInf(v.Value, 0) || math.IsNaN(v.Value) {
			d.errorf(d.pos(n), span(n), "%s: JSON has no %s", what, v.GetToken().Value)
			return false
		}
		buf.WriteString(strconv.FormatFloat(v.Value, 'g', -1, 64))
	case *ast.InfinityNode, *ast.NanNode:
		d.errorf(d.pos(n), span(n), "%s: JSON has no %s", what, v.GetToken().Value)
		return false
	case *ast.StringNode, *ast.LiteralNode:
		s, _ := d.text(n, what)
		writeJSONString(buf, s)
	case *ast.SequenceNode:
		buf.WriteByte('[')
		ok := true
		for i, el := range v.Values {
			if i > 0 {
				buf.WriteByte(',')
			}
			ok = d.jsonBody(buf, el, what, depth+1) && ok
		}
		buf.WriteByte(']')
		return ok
	case *ast.MappingNode, *ast.MappingValueNode:
		es, ok := d.mapping(n, what)
		if !ok {
			return false
		}
		buf.WriteByte('{')
		for i, e := range es {
			if i > 0 {
				buf.WriteByte(',')
			}
			writeJSONString(buf, e.key)
			buf.WriteByte(':')
			ok = d.jsonBody(buf, e.value, what, depth+1) && ok
		}
		buf.WriteByte('}')
		return ok
	default:
		d.errorf(d.pos(n), span(n), "%s: cannot send %s as JSON", what, describe(n))
		return false
	}
	return true
}

// writeJSONString writes s as a JSON string without HTML escaping, so that
// a prompt with < or & reaches the server as written.
func writeJSONString(buf *bytes.Buffer, s string) {
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)           // a string always encodes
	buf.Truncate(buf.Len() - 1) // Encode's newline
}

func decodeHeadersCommand(d *decoder, a arg, f *Feed) {
	if s, isStr := a.v.(*ast.StringNode); isStr {
		e := d.errorf(d.pos(a.v), span(a.v), "%s must be a list of arguments (it is run without a shell), got %s", a.name, describe(a.v))
		e.Hint = "write it as a list: headers_command: [" + strings.Join(quoteAll(strings.Fields(s.Value)), ", ") + "]"
		return
	}
	items, ok := d.stringList(a.v, a.name)
	if !ok {
		return
	}
	if len(items) == 0 {
		d.errorf(d.pos(a.v), span(a.v), "%s is empty; give the program and its arguments, or remove the key", a.name)
		return
	}
	argv := make([]string, len(items))
	for i, it := range items {
		argv[i] = it.val
		if strings.ContainsRune(it.val, 0) {
			d.errorf(it.pos, span(it.node), "%s: argument %d contains a NUL byte", a.name, i+1)
			return
		}
	}
	if strings.TrimFunc(argv[0], unicode.IsSpace) == "" {
		d.errorf(items[0].pos, span(items[0].node), "%s: the program name is empty", a.name)
		return
	}
	f.HeadersCommand = argv
}

func quoteAll(ws []string) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = strconv.Quote(w)
	}
	return out
}

func decodeRetryOn(d *decoder, a arg, f *Feed) {
	seq, ok := a.v.(*ast.SequenceNode)
	if !ok {
		e := d.errorf(d.pos(a.v), span(a.v), "%s must be a list of HTTP statuses like [502, 503], got %s", a.name, describe(a.v))
		if _, isInt := a.v.(*ast.IntegerNode); isInt {
			e.Hint = fmt.Sprintf("write [%s]", a.v.GetToken().Value)
		}
		return
	}
	codes := []int{}
	seen := map[int]bool{}
	for _, el := range seq.Values {
		n, ok := d.integer(el, "status in "+a.name, MinStatus, MaxStatus)
		if !ok {
			continue
		}
		if n == 200 {
			d.errorf(d.pos(d.resolve(el)), span(d.resolve(el)), "status in %s: 200 is a working stream, not a failure to retry", a.name)
			continue
		}
		if !seen[n] {
			seen[n] = true
			codes = append(codes, n)
		}
	}
	f.RetryOn = codes
}
