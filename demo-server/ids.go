package demoserver

import (
	"strconv"
	"strings"
)

// Event ids come in two forms. Single-topic streams use the topic's sequence
// number ("120"). Multi-topic streams use the connection's position in each of
// its topics, in request order ("stocks:120,news:33"): one id then says where
// the client stands everywhere, so a resume replays every topic without a gap
// or a duplicate, however the topics were interleaved.

// maxIDLen bounds the Last-Event-ID we try to understand; a longer one is not ours.
const maxIDLen = 1024

// parseLastEventID returns the sequence number a Last-Event-ID names for each
// topic it mentions. A plain integer is accepted only for a one-topic
// connection, where it is unambiguous. ok is false when the id is not in one of
// our forms (malformed, an unknown topic, a topic named twice).
func parseLastEventID(raw string, names []string) (seqs map[string]uint64, ok bool) {
	if raw == "" || len(raw) > maxIDLen {
		return nil, false
	}
	if n, ok := parseSeq(raw); ok {
		if len(names) != 1 {
			return nil, false
		}
		return map[string]uint64{names[0]: n}, true
	}
	seqs = make(map[string]uint64)
	for part := range strings.SplitSeq(raw, ",") {
		name, num, found := strings.Cut(part, ":")
		n, numOK := parseSeq(num)
		if !found || !numOK || !knownTopic(name) {
			return nil, false
		}
		if _, dup := seqs[name]; dup {
			return nil, false
		}
		seqs[name] = n
	}
	return seqs, true
}

// parseSeq accepts ASCII digits only: no sign, no spaces, no overflow.
func parseSeq(s string) (uint64, bool) {
	if s == "" || len(s) > 20 {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseUint(s, 10, 64)
	return n, err == nil
}

// appendVectorID appends the composite id for positions pos of topics names.
func appendVectorID(dst []byte, names []string, pos []uint64) []byte {
	for i, name := range names {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, name...)
		dst = append(dst, ':')
		dst = strconv.AppendUint(dst, pos[i], 10)
	}
	return dst
}
