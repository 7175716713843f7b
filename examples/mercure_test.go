package examples

import (
	"strings"
	"testing"
)

// A Mercure hub's updates: a partial update merges into its book's row, and
// an update of type delete removes the row.
func TestMercure(t *testing.T) {
	srv := serveFixture(t, "mercure-books.sse")
	cfg := load(t, "mercure.yaml", map[string]string{"MERCURE_URL": srv.URL + "/.well-known/mercure?topic=%2Fbooks%2F%7Bid%7D"})
	_, screen := watch(t, cfg, 120, 12, contains("checked-out", " 1 row")) // 2 rows until the delete
	for _, want := range []string{"/books/1", "The Go Programming Language", "Alan A. A. Donovan", "checked-out", "€39.99", "1 row"} {
		if !strings.Contains(screen, want) {
			t.Errorf("screen lacks %q:\n%s", want, screen)
		}
	}
	if strings.Contains(screen, "/books/2") || strings.Contains(screen, "Concurrency in Go") {
		t.Errorf("the deleted book is still shown:\n%s", screen)
	}
	if testing.Verbose() {
		t.Log("\n" + screen)
	}
	reqs := srv.seen()
	if len(reqs) == 0 || reqs[0].accept != "text/event-stream" || !strings.Contains(reqs[0].path, "topic=%2Fbooks%2F%7Bid%7D") {
		t.Errorf("requests %+v", reqs)
	}
}
