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
	used     bool // merged into a member of the target already
}

// members lists an object's members; of duplicate names the last wins, as
// in a JSON decoder, at the place of the first.
func members(o gjson.Result) []member {
	ms := make([]member, 0, 8)
	o.ForEach(func(k, v gjson.Result) bool {
		for i := range ms {
			if ms[i].key.Str == k.Str {
				ms[i].val = v
				return true
			}
		}
		ms = append(ms, member{key: k, val: v})
		return true
	})
	return ms
}

// mergeObject appends the merge of object p into t (an object, or the zero
// Result for none) to b. Target members keep their order (a duplicate name
// in the target stays as it is unless the patch names it); the patch's new
// members follow.
func mergeObject(b []byte, t, p gjson.Result) []byte {
	updates := members(p)
	b = append(b, '{')
	n := 0
	sep := func() {
		if n > 0 {
			b = append(b, ',')
		}
		n++
	}
	if t.IsObject() {
		t.ForEach(func(k, v gjson.Result) bool {
			i := -1
			for j := range updates {
				if updates[j].key.Str == k.Str {
					i = j
					break
				}
			}
			switch {
			case i < 0:
				sep()
				b = append(b, k.Raw...)
				b = append(b, ':')
				b = append(b, v.Raw...)
			case updates[i].used:
				// a duplicate of a name already merged: the merge stands for both
			case updates[i].val.Type == gjson.Null:
				updates[i].used = true
			default:
				updates[i].used = true
				sep()
				b = append(b, k.Raw...)
				b = append(b, ':')
				b = mergeValue(b, v, updates[i].val)
			}
			return true
		})
	}
	for _, u := range updates {
		if u.used || u.val.Type == gjson.Null {
			continue
		}
		sep()
		b = append(b, u.key.Raw...)
		b = append(b, ':')
		b = mergeValue(b, gjson.Result{}, u.val)
	}
	return append(b, '}')
}

// mergeValue appends the merge of one member: objects merge, anything else
// replaces (with the nulls of a new object dropped, as the RFC's
// MergePatch({}, patch) does).
func mergeValue(b []byte, t, p gjson.Result) []byte {
	if p.IsObject() {
		return mergeObject(b, t, p)
	}
	return append(b, p.Raw...)
}
