package examples

import (
	"strings"
	"testing"
)

// Firebase streaming: a patch changes the score and keeps the title, and
// keep-alive events are dropped before they count as traffic.
func TestHackerNews(t *testing.T) {
	srv := serveFixture(t, "firebase-hackernews.sse")
	cfg := load(t, "hackernews.yaml", map[string]string{"HN_URL": srv.URL + "/v0/item/8863.json"})
	// Three updates: the put and two patches, the last setting the score to 115.
	_, screen := watch(t, cfg, 140, 14, contains("115", " 3 "))
	for _, want := range []string{"My YC app: Dropbox", "115", "72", "dhouston", "1 row"} {
		if !strings.Contains(screen, want) {
			t.Errorf("screen lacks %q:\n%s", want, screen)
		}
	}
	if strings.Contains(screen, "keep-alive") || !strings.Contains(screen, "3 events") {
		t.Errorf("keep-alive events must be dropped, not shown or counted:\n%s", screen)
	}
	if testing.Verbose() {
		t.Log("\n" + screen)
	}
	if reqs := srv.seen(); len(reqs) == 0 || reqs[0].path != "/v0/item/8863.json" || reqs[0].accept != "text/event-stream" {
		t.Errorf("requests %+v", reqs)
	}
}
