package examples

import (
	"strings"
	"testing"
)

// Wikimedia's recentchange: edits per wiki with a rate and a computed sum,
// human edits with their HTML comments as text, log actions, and never a
// canary event.
func TestWikimedia(t *testing.T) {
	srv := serveFixture(t, "wikimedia-recentchange.sse")
	cfg := load(t, "wikimedia.yaml", map[string]string{"WIKIMEDIA_URL": srv.URL + "/v2/stream/recentchange"})
	_, screen := watch(t, cfg, 160, 40, contains("rm unsourced claim", "User:Vandal123"))
	if testing.Verbose() {
		t.Log("\n" + screen)
	}
	for _, want := range []string{
		"enwiki", "dewiki", "wikidatawiki", // rows of the table
		"+1580",                                                // Σ bytes of enwiki: +130, +1500 (a new page), -50; the log action has no length
		"/min",                                                 // the rate's unit
		"Gopherette", "Spreeblick", "Streamer", "release date", // human edits, comments as text
		"block/block User:Vandal123 by AdminAlice", // the log action
	} {
		if !strings.Contains(screen, want) {
			t.Errorf("screen lacks %q", want)
		}
	}
	for _, unwanted := range []string{"canary", "Canary", "<span", "&quot;", "WikidataBot: "} {
		if strings.Contains(screen, unwanted) {
			t.Errorf("screen shows %q", unwanted)
		}
	}
	if t.Failed() {
		t.Log("\n" + screen)
	}
	if reqs := srv.seen(); len(reqs) == 0 || !strings.HasPrefix(reqs[0].header.Get("User-Agent"), "livefeed-example") {
		t.Errorf("Wikimedia asks clients to identify themselves; requests %+v", reqs)
	}
}
