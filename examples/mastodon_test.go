package examples

import (
	"strings"
	"testing"
)

// Mastodon's public timeline: statuses as plain text, an edit replacing the
// status in place, a deleted status gone, tags joined, a fallback for an
// empty display name.
func TestMastodon(t *testing.T) {
	srv := serveFixture(t, "mastodon-public.sse")
	cfg := load(t, "mastodon.yaml", map[string]string{"MASTODON_URL": srv.URL + "/api/v1/streaming/public"})
	_, screen := watch(t, cfg, 160, 16, contains("really fast", " 2 rows"))
	for _, want := range []string{"Go 1.26 is out & it's really fast!", "Gopher", "Anna", "sse, webdev", "golang"} {
		if !strings.Contains(screen, want) {
			t.Errorf("screen lacks %q", want)
		}
	}
	for _, unwanted := range []string{"<p>", "&amp;", "&#39;", "<strong>", "Buy cheap followers", "spammer", "null"} {
		if strings.Contains(screen, unwanted) {
			t.Errorf("screen shows %q", unwanted)
		}
	}
	if t.Failed() || testing.Verbose() {
		t.Log("\n" + screen)
	}
	if reqs := srv.seen(); len(reqs) != 1 || reqs[0].path != "/api/v1/streaming/public" || reqs[0].accept != "text/event-stream" {
		t.Errorf("requests %+v", reqs)
	}
}
