package render

import (
	"encoding/json"
	"reflect"
	"testing"
)

// The examples of RFC 7396, appendix A, plus what a live row meets.
func TestMergePatch(t *testing.T) {
	for _, tc := range []struct{ target, patch, want string }{
		{`{"a":"b"}`, `{"a":"c"}`, `{"a":"c"}`},
		{`{"a":"b"}`, `{"b":"c"}`, `{"a":"b","b":"c"}`},
		{`{"a":"b"}`, `{"a":null}`, `{}`},
		{`{"a":"b","b":"c"}`, `{"a":null}`, `{"b":"c"}`},
		{`{"a":["b"]}`, `{"a":"c"}`, `{"a":"c"}`},
		{`{"a":"c"}`, `{"a":["b"]}`, `{"a":["b"]}`},
		{`{"a":{"b":"c"}}`, `{"a":{"b":"d","c":null}}`, `{"a":{"b":"d"}}`},
		{`{"a":[{"b":"c"}]}`, `{"a":[1]}`, `{"a":[1]}`},
		{`["a","b"]`, `["c","d"]`, `["c","d"]`},
		{`{"a":"b"}`, `["c"]`, `["c"]`},
		{`{"a":"foo"}`, `null`, `null`},
		{`{"a":"foo"}`, `"bar"`, `"bar"`},
		{`{"e":null}`, `{"a":1}`, `{"e":null,"a":1}`},
		{`[1,2]`, `{"a":"b","c":null}`, `{"a":"b"}`},
		{`{}`, `{"a":{"bb":{"ccc":null}}}`, `{"a":{"bb":{}}}`},
		// Firebase: a patch of the score keeps the title.
		{`{"path":"/","data":{"title":"Show HN","score":1}}`, `{"path":"/","data":{"score":2}}`, `{"path":"/","data":{"title":"Show HN","score":2}}`},
		// Hostile or odd input never panics and never yields invalid JSON.
		{`not json`, `{"a":1}`, `{"a":1}`},
		{`{"a":1}`, `{"a":`, `{"a":`},
		{`{"a\"b":1}`, `{"a\"b":2}`, `{"a\"b":2}`},
		{`{"a":1,"a":2}`, `{"a":3,"a":4}`, `{"a":4}`},
	} {
		got := MergePatch(tc.target, tc.patch)
		if !sameJSON(got, tc.want) {
			t.Errorf("MergePatch(%s, %s) = %s, want %s", tc.target, tc.patch, got, tc.want)
		}
	}
}

func sameJSON(a, b string) bool {
	var x, y any
	if json.Unmarshal([]byte(a), &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
		return a == b
	}
	return reflect.DeepEqual(x, y)
}

func TestMergePatchKeepsOrder(t *testing.T) {
	got := MergePatch(`{"z":1,"a":{"y":1,"b":2},"m":3}`, `{"a":{"b":null,"c":4},"n":5,"z":0}`)
	if want := `{"z":0,"a":{"y":1,"c":4},"m":3,"n":5}`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func FuzzMergePatch(f *testing.F) {
	f.Add(`{"a":{"b":1}}`, `{"a":{"b":null,"c":[1]}}`)
	f.Fuzz(func(t *testing.T, target, patch string) {
		got := MergePatch(target, patch)
		if json.Valid([]byte(patch)) && !json.Valid([]byte(got)) {
			t.Fatalf("MergePatch(%q, %q) = %q: not JSON", target, patch, got)
		}
	})
}
