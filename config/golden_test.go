package config

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"
)

// testEnv is the environment every test sees: HOME and DEMO_URL are set,
// STOCKS_TOKEN and friends are not.
func testEnv(extra ...string) Env {
	vars := map[string]string{"HOME": "/home/user", "DEMO_URL": "http://127.0.0.1:9999"}
	for i := 0; i+1 < len(extra); i += 2 {
		vars[extra[i]] = extra[i+1]
	}
	return func(k string) (string, bool) {
		v, ok := vars[k]
		return v, ok
	}
}

// pretty is what `livefeed config check` prints for a list of problems.
func pretty(problems ErrorList) string {
	var b strings.Builder
	for i, p := range problems {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p.Pretty())
	}
	return b.String()
}

// TestErrorGolden checks every message for the files in testdata/errors
// (against testdata/TestErrorGolden/<name>.golden; -update rewrites them):
// positions, wording, source lines and carets. Each file must produce at
// least one error, or (secrets.yaml) warnings only.
func TestErrorGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/errors/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test files: %v", err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".yaml")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			_, problems := Check(bytes.NewReader(data), Options{Name: filepath.Base(f), Env: testEnv(), Dir: "/etc/livefeed"})
			if name == "secrets" || name == "warnings" {
				if len(problems.Errors()) > 0 || len(problems.Warnings()) == 0 {
					t.Errorf("want warnings only, got:\n%s", pretty(problems))
				}
			} else if len(problems.Errors()) == 0 {
				t.Errorf("want errors, got none")
			}
			for _, p := range problems {
				if p.Pos.File != filepath.Base(f) {
					t.Errorf("problem without the file name: %v", p)
				}
				if p.Pos.Line > 0 && p.Source == "" && strings.TrimSpace(string(data)) != "" {
					t.Errorf("problem at a line but without its source: %v", p)
				}
			}
			golden.RequireEqual(t, pretty(problems))
		})
	}
}
