package main

import (
	"strings"
	"testing"
)

// TestPublishNotice: a demo server reachable from other machines with an
// open /publish says so; on loopback it stays quiet; with a token it says
// that /publish needs it. (Tests listen on 127.0.0.1 only, so the non-loopback
// case is checked here rather than by binding 0.0.0.0.)
func TestPublishNotice(t *testing.T) {
	for _, tc := range []struct {
		loopback, token bool
		want            string
	}{
		{true, false, ""},
		{false, false, "warning: listening on 0.0.0.0:8080, which other machines may reach: POST /publish is open"},
		{false, true, "POST /publish requires"},
		{true, true, "POST /publish requires"},
	} {
		got := publishNotice("0.0.0.0:8080", tc.loopback, tc.token)
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("publishNotice(loopback %v, token %v) = %q, want %q", tc.loopback, tc.token, got, tc.want)
		}
		if !tc.loopback && !tc.token && !strings.Contains(got, "--publish-token") {
			t.Errorf("the warning %q does not say how to close /publish", got)
		}
	}
}
