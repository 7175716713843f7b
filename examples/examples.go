// Package examples holds livefeed configurations for public SSE services
// (*.yaml, linked from the README) and the tests that run each one, through
// the dashboard's model, on a fixture of that service's documented wire
// format (testdata/*.sse) served on loopback.
package examples
