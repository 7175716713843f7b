package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"
)

// framePoint is one {"msg":"frames"} record: the program's frame count at the
// record's time.
type framePoint struct {
	At     time.Time
	Frames int64
}

// summary is the program's final {"msg":"summary"} record.
type summary struct {
	Events       int64            `json:"events"`
	PerFeed      map[string]int64 `json:"per_feed"`
	Routed       int64            `json:"routed"`
	Dropped      int64            `json:"dropped"`
	Frames       int64            `json:"frames"`
	Batches      int64            `json:"batches"`
	ElapsedMs    float64          `json:"elapsed_ms"`
	FirstFrameMs float64          `json:"first_frame_ms"`
	// Missing lists the contract's attributes the record did not have.
	Missing []string `json:"missing,omitempty"`
}

// logTail follows the program's slog JSON log while it runs.
type logTail struct {
	path     string
	f        *os.File
	partial  []byte
	frames   []framePoint
	summary  *summary
	records  int
	problems []string // WARN and ERROR messages, the first few
	nProblem int
	badLines int
}

const maxProblems = 8

// poll reads whatever was appended since the last call.
func (l *logTail) poll() error {
	if l.f == nil {
		f, err := os.Open(l.path)
		if errors.Is(err, fs.ErrNotExist) {
			return nil // not written yet
		}
		if err != nil {
			return err
		}
		l.f = f
	}
	data, err := io.ReadAll(l.f)
	if err != nil {
		return fmt.Errorf("reading %s: %w", l.path, err)
	}
	l.partial = append(l.partial, data...)
	for {
		i := bytes.IndexByte(l.partial, '\n')
		if i < 0 {
			break
		}
		l.line(l.partial[:i])
		l.partial = l.partial[i+1:]
	}
	return nil
}

func (l *logTail) close() {
	if l.f != nil {
		l.f.Close() //nolint:errcheck // read-only
	}
}

func (l *logTail) line(b []byte) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return
	}
	var rec map[string]json.RawMessage
	if err := json.Unmarshal(b, &rec); err != nil {
		l.badLines++
		return
	}
	l.records++
	var msg, level string
	json.Unmarshal(rec["msg"], &msg)     //nolint:errcheck // absent is ""
	json.Unmarshal(rec["level"], &level) //nolint:errcheck // absent is ""
	switch msg {
	case "frames":
		var n int64
		var at time.Time
		if json.Unmarshal(rec["frames"], &n) == nil && json.Unmarshal(rec["time"], &at) == nil {
			l.frames = append(l.frames, framePoint{At: at, Frames: n})
		}
	case "summary":
		l.summary = parseSummary(rec)
	}
	if level == "WARN" || level == "ERROR" {
		l.nProblem++
		if len(l.problems) < maxProblems {
			l.problems = append(l.problems, string(b))
		}
	}
}

func parseSummary(rec map[string]json.RawMessage) *summary {
	s := &summary{}
	fields := []struct {
		key string
		dst any
	}{
		{"events", &s.Events}, {"per_feed", &s.PerFeed}, {"routed", &s.Routed},
		{"dropped", &s.Dropped}, {"frames", &s.Frames}, {"batches", &s.Batches},
		{"elapsed_ms", &s.ElapsedMs}, {"first_frame_ms", &s.FirstFrameMs},
	}
	for _, f := range fields {
		raw, ok := rec[f.key]
		if !ok || json.Unmarshal(raw, f.dst) != nil {
			s.Missing = append(s.Missing, f.key)
		}
	}
	return s
}

// frameRate is frames per second between from and to, from the frame
// records inside that window (0, false with fewer than two).
func frameRate(points []framePoint, from, to time.Time) (float64, bool) {
	var first, last *framePoint
	for i := range points {
		p := &points[i]
		if p.At.Before(from) || p.At.After(to) {
			continue
		}
		if first == nil {
			first = p
		}
		last = p
	}
	if first == nil || last == first || !last.At.After(first.At) {
		return 0, false
	}
	return float64(last.Frames-first.Frames) / last.At.Sub(first.At).Seconds(), true
}
