package demoserver

// ring keeps the most recent events of one topic. Sequence numbers in it are
// contiguous, so finding "everything after seq N" is arithmetic, not a search.
type ring struct {
	buf   []*event
	start int // index of the oldest event
	n     int
}

func newRing(size int) ring { return ring{buf: make([]*event, size)} }

func (r *ring) push(e *event) {
	if len(r.buf) == 0 {
		return
	}
	if r.n < len(r.buf) {
		r.buf[(r.start+r.n)%len(r.buf)] = e
		r.n++
		return
	}
	r.buf[r.start] = e
	r.start = (r.start + 1) % len(r.buf)
}

// oldest returns the sequence number of the oldest event kept, or 0 if none is.
func (r *ring) oldest() uint64 {
	if r.n == 0 {
		return 0
	}
	return r.buf[r.start].seq
}

// after returns the events with a sequence number greater than seq, oldest
// first; ok is false when some of them have already left the ring.
func (r *ring) after(seq, latest uint64) (events []*event, ok bool) {
	if seq >= latest {
		return nil, true
	}
	want := latest - seq
	if want > uint64(r.n) {
		return nil, false
	}
	events = make([]*event, 0, want)
	for i := r.n - int(want); i < r.n; i++ {
		events = append(events, r.buf[(r.start+i)%len(r.buf)])
	}
	return events, true
}
