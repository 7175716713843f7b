package examples

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/livefeed/livefeed/config"
	"github.com/livefeed/livefeed/live"
	"github.com/livefeed/livefeed/ui"
)

// request is what the fixture server saw of one request.
type request struct {
	method, path, accept, body string
	header                     http.Header
}

// fixtureServer serves testdata/name as an event stream on 127.0.0.1, one
// event per write, then holds the response open as a live service would.
// Each connection gets the whole fixture.
type fixtureServer struct {
	*httptest.Server
	mu       sync.Mutex
	requests []request
}

func serveFixture(t *testing.T, name string) *fixtureServer {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	fs := &fixtureServer{}
	fs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body := make([]byte, 1<<16)
		n, _ := r.Body.Read(body)
		fs.mu.Lock()
		fs.requests = append(fs.requests, request{r.Method, r.URL.RequestURI(), r.Header.Get("Accept"), string(body[:n]), r.Header.Clone()})
		fs.mu.Unlock()
		w.Header().Set("Content-Type", "text/event-stream")
		w.Header().Set("Cache-Control", "no-cache")
		w.WriteHeader(http.StatusOK)
		fl := w.(http.Flusher)
		for _, ev := range strings.SplitAfter(string(data), "\n\n") {
			if _, err := w.Write([]byte(ev)); err != nil {
				return
			}
			fl.Flush()
		}
		<-r.Context().Done()
	}))
	t.Cleanup(fs.Close)
	return fs
}

func (fs *fixtureServer) seen() []request {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return append([]request(nil), fs.requests...)
}

// load reads an example config with env as its environment.
func load(t *testing.T, file string, env map[string]string) *config.Config {
	t.Helper()
	cfg, err := config.Load(config.Location{Path: file, Source: config.FromFlag}, func(name string) (string, bool) {
		v, ok := env[name]
		return v, ok
	})
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return cfg
}

// watch runs the dashboard's model on cfg in a w×h screen, with its feeds
// live, delivering each message the model's commands produce to Update as
// bubbletea would, until done says the screen (ANSI stripped) shows what
// it waits for. It returns that screen; after 10 s it fails with the last.
// Keys, if any, are pressed once done first holds, and the final screen is
// taken after them.
func watch(t *testing.T, cfg *config.Config, w, h int, done func(screen string) bool, keys ...tea.KeyPressMsg) (*ui.Model, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	rt := live.New(ctx, nil)
	t.Cleanup(func() {
		cancel()
		rt.StopAll(2 * time.Second)
	})
	m := ui.New(ui.Options{Config: cfg, Feeds: rt, Context: ctx})
	msgs := make(chan tea.Msg, 256)
	var run func(cmd tea.Cmd)
	run = func(cmd tea.Cmd) {
		if cmd == nil {
			return
		}
		go func() {
			switch msg := cmd().(type) {
			case nil:
			case tea.BatchMsg:
				for _, c := range msg {
					run(c)
				}
			default:
				select {
				case msgs <- msg:
				case <-ctx.Done():
				}
			}
		}()
	}
	run(m.Init())
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	screen := ""
	for {
		select {
		case msg := <-msgs:
			_, cmd := m.Update(msg)
			run(cmd)
			screen = ansi.Strip(m.View().Content)
			if done(screen) {
				for _, k := range keys {
					_, cmd := m.Update(k)
					run(cmd)
				}
				return m, ansi.Strip(m.View().Content)
			}
		case <-ctx.Done():
			t.Fatalf("timed out; last screen:\n%s", screen)
		}
	}
}

func contains(subs ...string) func(string) bool {
	return func(s string) bool {
		for _, sub := range subs {
			if !strings.Contains(s, sub) {
				return false
			}
		}
		return true
	}
}
