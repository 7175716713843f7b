package config

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

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

// golden compares got with the named file, or rewrites it under -update.
func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./config -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (run with -update to accept):\n--- got ---\n%s\n--- want ---\n%s", path, got, want)
	}
}

// TestErrorGolden checks every message for the files in testdata/errors:
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
			golden(t, strings.TrimSuffix(f, ".yaml")+".golden", pretty(problems))
		})
	}
}
