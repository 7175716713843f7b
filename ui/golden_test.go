package ui

import (
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
)

// viewGolden compares the ANSI-stripped view with the test's golden file,
// testdata/<test name>.golden; go test ./ui -update rewrites them.
func viewGolden(t *testing.T, view string) {
	t.Helper()
	golden.RequireEqual(t, ansi.Strip(view)+"\n")
}
