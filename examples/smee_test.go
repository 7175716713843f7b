package examples

import (
	"strings"
	"testing"
)

// smee.io: deliveries named by their x-github-event header, routed by it;
// smee's own ready and keep-alive ping events are not deliveries.
func TestSmee(t *testing.T) {
	srv := serveFixture(t, "smee-github.sse")
	cfg := load(t, "smee.yaml", map[string]string{"SMEE_URL": srv.URL + "/livefeed-example"})
	_, screen := watch(t, cfg, 160, 30, contains("Table row state and text panes"))
	for _, want := range []string{
		"livefeed/livefeed", "refs/heads/main", "gopherette", "ui: text pane for token streams", // the push
		"issues #12 opened: Panes that understand real payloads (octocat)",
		"pull_request #13 opened: Table row state and text panes (gopherette)",
		"ping d4049330-cf6e-11f0-9c2e-1ae286aab35f", // GitHub's ping delivery stays
		"Deliveries · 4 events",
	} {
		if !strings.Contains(screen, want) {
			t.Errorf("screen lacks %q", want)
		}
	}
	if strings.Contains(screen, "ready") {
		t.Errorf("smee's ready event is shown")
	}
	if t.Failed() || testing.Verbose() {
		t.Log("\n" + screen)
	}
}
