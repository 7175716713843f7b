package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// The tests that run the real executable share one build of it, made by the
// first of them that needs it (a -short run builds nothing) and removed when
// the package's tests end.
var shared struct {
	dir  string
	once sync.Once
	bin  string
	err  error
}

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "livefeed-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	shared.dir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// testBinary returns the path of the shared build of livefeed.
func testBinary(t *testing.T) string {
	t.Helper()
	shared.once.Do(func() {
		bin := filepath.Join(shared.dir, "livefeed")
		if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
			shared.err = fmt.Errorf("go build: %v\n%s", err, out)
			return
		}
		shared.bin = bin
	})
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	return shared.bin
}
