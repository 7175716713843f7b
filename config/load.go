package config

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
)

//go:embed default.yaml
var defaultYAML []byte

// DefaultYAML returns the built-in configuration, which shows the bundled
// demo server's feeds; `livefeed config init` writes it out, comments and
// all.
func DefaultYAML() []byte { return slices.Clone(defaultYAML) }

// DefaultName is how messages refer to the built-in configuration.
const DefaultName = "built-in config"

// EnvConfig is the environment variable that names a config file.
const EnvConfig = "LIVEFEED_CONFIG"

// EnvDemoURL is the variable the built-in config reads the demo server's base
// URL from; the TUI sets it when it runs the demo server in-process.
const EnvDemoURL = "LIVEFEED_DEMO_URL"

// Source says why a config location was chosen.
type Source string

// Where a config can come from, in lookup order.
const (
	FromFlag    Source = "--config"
	FromEnv     Source = "$" + EnvConfig
	FromXDG     Source = "XDG config directory"
	FromDefault Source = "built-in default"
)

// Location is the config Lookup chose and why.
type Location struct {
	// Path is the file to read; "" means the built-in default.
	Path string
	// Source is the rule that picked it.
	Source Source
	// Looked lists files checked and not found on the way (the XDG path
	// when falling back to the default).
	Looked []string
}

// String says where the config comes from, for messages and `livefeed info`.
func (l Location) String() string {
	switch {
	case l.Path == "" && len(l.Looked) > 0:
		return fmt.Sprintf("%s (no file at %s)", FromDefault, l.Looked[0])
	case l.Path == "":
		return string(FromDefault)
	}
	return fmt.Sprintf("%s (from %s)", l.Path, l.Source)
}

// XDGPath is $XDG_CONFIG_HOME/livefeed/config.yaml, with XDG_CONFIG_HOME
// defaulting to ~/.config (a relative XDG_CONFIG_HOME is ignored, as the XDG
// spec says).
func XDGPath(env Env) (string, error) {
	get := func(k string) string {
		if env == nil {
			return ""
		}
		v, _ := env(k)
		return v
	}
	base := get("XDG_CONFIG_HOME")
	if base == "" || !filepath.IsAbs(base) {
		home := get("HOME")
		if home == "" {
			return "", errors.New("cannot find the config directory: neither XDG_CONFIG_HOME nor HOME is set")
		}
		base = filepath.Join(home, ".config")
	}
	return filepath.Join(base, "livefeed", "config.yaml"), nil
}

// InitPath is where `livefeed config init` writes by default: the file
// $LIVEFEED_CONFIG names if set (so that livefeed then reads it), else
// XDGPath.
func InitPath(env Env) (string, error) {
	if env != nil {
		if p, ok := env(EnvConfig); ok && p != "" {
			return p, nil
		}
	}
	return XDGPath(env)
}

// Lookup picks the config file: flagPath (--config) if given, else
// $LIVEFEED_CONFIG, else the XDG path if that file exists, else the built-in
// default. A file named by the flag or the variable must exist: a typo there
// should not silently show the demo.
func Lookup(flagPath string, env Env) (Location, error) {
	explicit := func(p string, src Source) (Location, error) {
		info, err := os.Stat(p)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return Location{}, fmt.Errorf("config file %s (from %s) does not exist; create one with `livefeed config init %s`", p, src, p)
		case err != nil:
			return Location{}, fmt.Errorf("config file %s (from %s): %w", p, src, err)
		case info.IsDir():
			return Location{}, fmt.Errorf("config file %s (from %s) is a directory", p, src)
		}
		return Location{Path: p, Source: src}, nil
	}
	if flagPath != "" {
		return explicit(flagPath, FromFlag)
	}
	if env != nil {
		if p, ok := env(EnvConfig); ok && p != "" {
			return explicit(p, FromEnv)
		}
	}
	p, err := XDGPath(env)
	if err != nil {
		return Location{Source: FromDefault}, nil
	}
	info, err := os.Stat(p)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return Location{Source: FromDefault, Looked: []string{p}}, nil
	case err != nil:
		return Location{}, fmt.Errorf("config file %s: %w", p, err)
	case info.IsDir():
		return Location{}, fmt.Errorf("config file %s is a directory", p)
	}
	return Location{Path: p, Source: FromXDG}, nil
}

// Check parses and validates YAML, returning the config (nil after a YAML
// syntax error) and every error and warning, sorted by position. A config
// with errors in the list must not be used.
func Check(r io.Reader, opts Options) (*Config, ErrorList) {
	cfg, err := Parse(r, opts)
	var all ErrorList
	var list ErrorList
	switch {
	case errors.As(err, &list):
		all = append(all, list...)
	case err != nil:
		return nil, ErrorList{{Pos: Pos{File: opts.Name}, Msg: err.Error()}}
	}
	if cfg == nil {
		return nil, all
	}
	if err := cfg.Validate(); err != nil {
		all = append(all, err.(ErrorList)...)
	}
	all = append(all, cfg.Warnings()...)
	all.Sort()
	return cfg, all
}

// Load reads, parses and validates the config at loc (the built-in default
// when loc.Path is ""). On failure the error is an ErrorList of every problem
// (or an I/O error) and the Config is nil.
func Load(loc Location, env Env) (*Config, error) {
	var (
		r    io.Reader
		opts = Options{Env: env}
	)
	if loc.Path == "" {
		r = bytes.NewReader(defaultYAML)
		opts.Name = DefaultName
	} else {
		f, err := os.Open(loc.Path)
		if err != nil {
			return nil, fmt.Errorf("reading config: %w", err)
		}
		defer f.Close()
		r = f
		opts.Name = loc.Path
		opts.Dir = filepath.Dir(loc.Path)
	}
	cfg, problems := Check(r, opts)
	if errs := problems.Errors(); len(errs) > 0 {
		return nil, errs
	}
	if opts.Name == DefaultName {
		cfg.Name = ""
	}
	return cfg, nil
}
