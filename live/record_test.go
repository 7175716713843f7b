package live

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/livefeed/livefeed/capture"
	"github.com/livefeed/livefeed/feed"
)

// feedBatches puts batches on the runtime's channel as feeds would.
func feedBatches(rt *Runtime, bs ...feed.Batch) {
	for _, b := range bs {
		rt.out <- b
	}
}

func TestRecordWritesEveryDeliveredBatch(t *testing.T) {
	rt := New(t.Context(), nil)
	var buf bytes.Buffer
	w := capture.NewWriter(&buf, "")
	rt.Record(w)
	at := time.Date(2026, 12, 2, 7, 0, 0, 0, time.UTC)
	feedBatches(rt,
		feed.Batch{Feed: "a", Time: at, Status: &feed.Status{State: feed.Open, HTTPStatus: 200}},
		feed.Batch{Feed: "a", Time: at.Add(time.Second), Events: []feed.Event{{Type: "message", Data: "1"}, {Type: "t", ID: "9", Data: "2\n3"}}},
		feed.Batch{Feed: "b", Time: at.Add(2 * time.Second), Status: &feed.Status{State: feed.Connecting, Attempt: 1, Err: feed.ErrStreamEnded, ReconnectIn: time.Second}},
	)
	f, ok := rt.NextFrame(context.Background(), time.Time{}, 0)
	if !ok || f.RecordErr != nil || len(f.Batches) != 3 {
		t.Fatalf("frame %+v, %v", f, ok)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	var want []byte
	for i := range f.Batches {
		want = capture.AppendBatch(want, &f.Batches[i])
	}
	if !bytes.Equal(buf.Bytes(), want) || strings.Count(buf.String(), "\n") != 4 {
		t.Errorf("recorded\n%s\nwant\n%s", buf.Bytes(), want)
	}
}

type brokenDisk struct{ writes int }

func (d *brokenDisk) Write(p []byte) (int, error) {
	d.writes++
	return 0, errors.New("no space left on device")
}

func TestRecordStopsAtTheFirstErrorAndFeedsGoOn(t *testing.T) {
	rt := New(t.Context(), nil)
	disk := &brokenDisk{}
	w := capture.NewWriter(disk, "rec.ndjson")
	defer w.Close()
	rt.Record(w)
	// Bigger than the writer's buffer, so the write reaches the disk at once.
	big := feed.Batch{Feed: "a", Time: time.Now(), Events: []feed.Event{{Type: "message", Data: strings.Repeat("x", 100<<10)}}}
	feedBatches(rt, big)
	f, _ := rt.NextFrame(context.Background(), time.Time{}, 0)
	if f.RecordErr == nil || !strings.Contains(f.RecordErr.Error(), "rec.ndjson") || !strings.Contains(f.RecordErr.Error(), "no space") {
		t.Fatalf("RecordErr = %v", f.RecordErr)
	}
	feedBatches(rt, big)
	f, ok := rt.NextFrame(context.Background(), time.Time{}, 0)
	if !ok || f.RecordErr != nil || len(f.Batches) != 1 {
		t.Fatalf("the frame after the failure: %+v", f)
	}
	if disk.writes != 1 {
		t.Errorf("%d writes reached the disk, want 1 (recording stops at the failure)", disk.writes)
	}
}
