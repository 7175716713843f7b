package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func envMap(m map[string]string) Env {
	return func(k string) (string, bool) {
		v, ok := m[k]
		return v, ok
	}
}

func writeTemp(t *testing.T, path, content string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestXDGAndInitPath(t *testing.T) {
	tests := []struct {
		env      map[string]string
		xdg, ini string
		err      bool
	}{
		{map[string]string{"HOME": "/h"}, "/h/.config/livefeed/config.yaml", "/h/.config/livefeed/config.yaml", false},
		{map[string]string{"HOME": "/h", "XDG_CONFIG_HOME": "/x"}, "/x/livefeed/config.yaml", "/x/livefeed/config.yaml", false},
		{map[string]string{"HOME": "/h", "XDG_CONFIG_HOME": "relative"}, "/h/.config/livefeed/config.yaml", "/h/.config/livefeed/config.yaml", false},
		{map[string]string{"HOME": "/h", EnvConfig: "/etc/lf.yaml"}, "/h/.config/livefeed/config.yaml", "/etc/lf.yaml", false},
		{map[string]string{}, "", "", true},
	}
	for _, tt := range tests {
		xdg, err := XDGPath(envMap(tt.env))
		if (err != nil) != tt.err || xdg != tt.xdg {
			t.Errorf("XDGPath(%v) = %q, %v", tt.env, xdg, err)
		}
		ini, err := InitPath(envMap(tt.env))
		if (err != nil) != tt.err || ini != tt.ini {
			t.Errorf("InitPath(%v) = %q, %v", tt.env, ini, err)
		}
	}
}

func TestLookup(t *testing.T) {
	dir := t.TempDir()
	xdgHome := filepath.Join(dir, "xdg")
	flagFile := writeTemp(t, filepath.Join(dir, "flag.yaml"), "x")
	envFile := writeTemp(t, filepath.Join(dir, "env.yaml"), "x")
	xdgFile := filepath.Join(xdgHome, "livefeed", "config.yaml")

	env := map[string]string{"HOME": dir, "XDG_CONFIG_HOME": xdgHome}
	loc, err := Lookup("", envMap(env))
	if err != nil || loc.Path != "" || loc.Source != FromDefault || len(loc.Looked) != 1 || loc.Looked[0] != xdgFile {
		t.Errorf("no files: %+v, %v", loc, err)
	}
	if !strings.Contains(loc.String(), "no file at "+xdgFile) {
		t.Errorf("String() = %q", loc.String())
	}

	writeTemp(t, xdgFile, "x")
	if loc, err := Lookup("", envMap(env)); err != nil || loc.Path != xdgFile || loc.Source != FromXDG {
		t.Errorf("xdg: %+v, %v", loc, err)
	}
	env[EnvConfig] = envFile
	if loc, err := Lookup("", envMap(env)); err != nil || loc.Path != envFile || loc.Source != FromEnv {
		t.Errorf("env: %+v, %v", loc, err)
	}
	loc, err = Lookup(flagFile, envMap(env))
	if err != nil || loc.Path != flagFile || loc.Source != FromFlag {
		t.Errorf("flag: %+v, %v", loc, err)
	}
	if loc.String() != flagFile+" (from --config)" {
		t.Errorf("String() = %q", loc.String())
	}

	// Named files must exist: a typo there must not fall back to the demo.
	if _, err := Lookup(filepath.Join(dir, "nope.yaml"), envMap(env)); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("missing flag file: %v", err)
	}
	env[EnvConfig] = filepath.Join(dir, "nope.yaml")
	if _, err := Lookup("", envMap(env)); err == nil || !strings.Contains(err.Error(), "$LIVEFEED_CONFIG") {
		t.Errorf("missing env file: %v", err)
	}
	if _, err := Lookup(dir, envMap(env)); err == nil || !strings.Contains(err.Error(), "directory") {
		t.Errorf("directory: %v", err)
	}
	if loc, err := Lookup("", nil); err != nil || loc.Source != FromDefault {
		t.Errorf("nil env: %+v, %v", loc, err)
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	good := writeTemp(t, filepath.Join(dir, "good.yaml"), "feeds:\n  a:\n    url: http://127.0.0.1:1/\n    tls: { ca_file: ca.pem }\n")
	cfg, err := Load(Location{Path: good, Source: FromFlag}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Name != good || cfg.Feeds[0].TLS.CAFile != filepath.Join(dir, "ca.pem") {
		t.Errorf("Load: name %q, ca_file %q", cfg.Name, cfg.Feeds[0].TLS.CAFile)
	}

	bad := writeTemp(t, filepath.Join(dir, "bad.yaml"), "feeds:\n  a:\n    url: http://127.0.0.1:1/\n    retry: soon\npanes: [{ id: x, type: nope }]\n")
	cfg, err = Load(Location{Path: bad}, nil)
	var list ErrorList
	if cfg != nil || !errors.As(err, &list) || len(list) != 2 {
		t.Fatalf("Load(bad) = %v, %v", cfg, err)
	}
	if !strings.HasPrefix(err.Error(), bad+":4:12: retry of feed \"a\"") || !strings.HasSuffix(err.Error(), "2 errors") {
		t.Errorf("error text:\n%s", err)
	}

	if _, err := Load(Location{Path: filepath.Join(dir, "gone.yaml")}, nil); err == nil {
		t.Error("missing file loaded")
	}

	huge := writeTemp(t, filepath.Join(dir, "huge.yaml"), "# "+strings.Repeat("x", MaxFileSize)+"\n")
	if _, err := Load(Location{Path: huge}, nil); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("huge file: %v", err)
	}
	if _, err := Load(Location{}, nil); err != nil {
		t.Errorf("built-in default with no environment: %v", err)
	}
}

func TestInvalidUTF8(t *testing.T) {
	_, problems := Check(strings.NewReader("feeds:\n  a:\n    url: http://h/\xff\n"), Options{Name: "u.yaml"})
	if len(problems) != 1 || problems[0].Pos.Line != 3 || problems[0].Pos.Col != 19 || !strings.Contains(problems[0].Msg, "UTF-8") {
		t.Errorf("problems = %v", problems)
	}
}

func TestBOMAndCRLF(t *testing.T) {
	src := "\xef\xbb\xbffeeds:\r\n  a:\r\n    url: http://127.0.0.1:1/\r\n    retry: never\r\n"
	_, problems := Check(strings.NewReader(src), Options{Name: "w.yaml"})
	if len(problems) != 1 || problems[0].Pos.Line != 4 || problems[0].Source != "    retry: never" {
		t.Errorf("problems = %#v", problems)
	}
}
