package examples

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every example is linked from the README, and every link names a file.
func TestReadmeLinksEachExample(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("*.yaml")
	if len(files) < 7 {
		t.Fatalf("only %d examples: %v", len(files), files)
	}
	for _, f := range files {
		if !strings.Contains(string(readme), "](examples/"+f+")") {
			t.Errorf("README does not link examples/%s", f)
		}
	}
	for _, part := range strings.Split(string(readme), "](examples/")[1:] {
		name, _, _ := strings.Cut(part, ")")
		if _, err := os.Stat(name); err != nil {
			t.Errorf("README links examples/%s: %v", name, err)
		}
	}
}
