package ui

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/livefeed/livefeed/feed"
)

// A recording that fails shows a banner; the dashboard keeps taking events.
func TestRecordingErrorShowsBannerAndDashboardGoesOn(t *testing.T) {
	m := newTestModel(t, demoConfig(t), 120, 40)
	before := m.events
	m.Update(batchMsg{
		batches:   []feed.Batch{events("stocks", testNow, quote(1, "AAPL", 1, 0, 0, 1))},
		events:    1,
		at:        testNow,
		recordErr: errors.New("recording to rec.ndjson: write rec.ndjson: no space left on device"),
	})
	if !strings.Contains(screen(m), "recording stopped: recording to rec.ndjson: write rec.ndjson: no space left") {
		t.Errorf("no banner:\n%s", screen(m))
	}
	if m.events != before+1 {
		t.Errorf("events %d, want %d: the batch that met the error was not applied", m.events, before+1)
	}
	m.Update(batchMsg{batches: []feed.Batch{events("stocks", testNow.Add(time.Second), quote(2, "AAPL", 2, 0, 0, 1))}, events: 1, at: testNow})
	if m.events != before+2 {
		t.Errorf("events after the failure: %d", m.events)
	}
}
