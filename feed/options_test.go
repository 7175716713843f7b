package feed

import (
	"reflect"
	"testing"
	"time"
)

// Stale 0 is off, as in the config and tail's flag; the other settings have
// no "off" and take the defaults when zero.
func TestWithDefaults(t *testing.T) {
	got := Options{}.withDefaults()
	want := DefaultOptions()
	want.Stale = 0
	if !reflect.DeepEqual(got, want) {
		t.Errorf("zero options = %+v, want %+v", got, want)
	}
	if o := (Options{Stale: -time.Second}).withDefaults(); o.Stale > 0 {
		t.Errorf("negative stale became %v", o.Stale)
	}
	if o := DefaultOptions().withDefaults(); !reflect.DeepEqual(o, DefaultOptions()) {
		t.Errorf("defaults changed by withDefaults: %+v", o)
	}
	if DefaultOptions().Stale != DefaultStale {
		t.Error("DefaultOptions has no stale check")
	}
}
