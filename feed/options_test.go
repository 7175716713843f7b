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

// Every policy's name parses back to it; anything else is an error naming
// the choices, so a flag or config key can report it.
func TestParseReconnectPolicy(t *testing.T) {
	for _, p := range []ReconnectPolicy{ReconnectAuto, ReconnectAlways, ReconnectNever} {
		got, err := ParseReconnectPolicy(p.String())
		if err != nil || got != p {
			t.Errorf("ParseReconnectPolicy(%q) = %v, %v; want %v", p.String(), got, err, p)
		}
	}
	if got, err := ParseReconnectPolicy(" Never "); err != nil || got != ReconnectNever {
		t.Errorf("case/space: %v, %v", got, err)
	}
	if got, err := ParseReconnectPolicy(""); err != nil || got != ReconnectAuto {
		t.Errorf("empty: %v, %v", got, err)
	}
	if _, err := ParseReconnectPolicy("sometimes"); err == nil {
		t.Error("unknown policy accepted")
	}
	if s := ReconnectPolicy(7).String(); s != "reconnect(7)" {
		t.Errorf("out of range String = %q", s)
	}
}

// A nil RetryOn means the default statuses, an empty one means none.
func TestRetryOnDefaults(t *testing.T) {
	if got := (Options{}).withDefaults().RetryOn; !reflect.DeepEqual(got, []int{502, 503, 504}) {
		t.Errorf("nil RetryOn = %v", got)
	}
	if got := (Options{RetryOn: []int{}}).withDefaults().RetryOn; got == nil || len(got) != 0 {
		t.Errorf("empty RetryOn = %v, want empty non-nil", got)
	}
	a := DefaultRetryOn()
	a[0] = 1
	if DefaultRetryOn()[0] != 502 {
		t.Error("DefaultRetryOn shares its slice")
	}
}
