package demoserver

import (
	_ "embed"
	"net/http"
)

// page is the demo web page: plain HTML, CSS and JavaScript with no external
// resources, so it works offline and shows exactly what EventSource does.
//
//go:embed web/index.html
var page []byte

func (s *Server) handlePage(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'self'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'")
	_, _ = w.Write(page)
}
