package render

import (
	"github.com/tidwall/gjson"
)

// MergePatch applies patch to target as a JSON merge patch (RFC 7396): when
// patch is an object, each of its members replaces target's member of that
// name, recursively, and a null member deletes it; members it does not name
// stay. Any other patch (an array, a scalar, text that is not JSON) replaces
// target. Member order is kept: target's members in their order, then the
// ones patch adds, so that the inspector shows a merged row like the
// original. Neither input is modified.
func MergePatch(target, patch string) string {
	p := gjson.Parse(patch)
	if !p.IsObject() || !gjson.Valid(patch) {
		return patch
	}
	t := gjson.Parse(target)
	if !t.IsObject() || !gjson.Valid(target) {
		t = gjson.Result{}
	}
	return string(mergeObject(make([]byte, 0, len(target)+len(patch)), t, p))
}

type member struct {
	key, val gjson.Result
}

// members lists an object's members; of duplicate names the last wins, as
// in a JSON decoder, at the place of the first.
func members(o gjson.Result) []member {
	var ms []member
	o.ForEach(func(k, v gjson.Result) bool {
		for i := range ms {
			if ms[i].key.Str == k.Str {
				ms[i].val = v
				return true
			}
		}
		ms = append(ms, member{k, v})
		return true
	})
	return ms
}

// mergeObject appends the merge of object p into t (an object, or the zero
// Result for none) to b.
func mergeObject(b []byte, t, p gjson.Result) []byte {
	updates := members(p)
	used := make([]bool, len(updates))
	b = append(b, '{')
	n := 0
	emit := func(rawKey string, val []byte) {
		if n > 0 {
			b = append(b, ',')
		}
		n++
		b = append(b, rawKey...)
		b = append(b, ':')
		b = append(b, val...)
	}
	if t.IsObject() {
		for _, m := range members(t) {
			i := -1
			for j := range updates {
				if updates[j].key.Str == m.key.Str {
					i = j
					break
				}
			}
			switch {
			case i < 0:
				emit(m.key.Raw, []byte(m.val.Raw))
			case updates[i].val.Type == gjson.Null:
				used[i] = true
			default:
				used[i] = true
				emit(m.key.Raw, mergeValue(m.val, updates[i].val))
			}
		}
	}
	for i, u := range updates {
		if used[i] || u.val.Type == gjson.Null {
			continue
		}
		emit(u.key.Raw, mergeValue(gjson.Result{}, u.val))
	}
	return append(b, '}')
}

// mergeValue is the merge of one member: objects merge, anything else
// replaces (with the nulls of a new object dropped, as the RFC's
// MergePatch({}, patch) does).
func mergeValue(t, p gjson.Result) []byte {
	if p.IsObject() {
		return mergeObject(nil, t, p)
	}
	return []byte(p.Raw)
}
