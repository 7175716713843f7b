package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"slices"
	"testing"

	"github.com/livefeed/livefeed/config"
	"github.com/livefeed/livefeed/live"
)

// Every example passes `livefeed config check` once its API key is set, and
// the LLM examples send what those APIs expect and show what they send back.
func TestExamplesPassConfigCheck(t *testing.T) {
	t.Setenv("OPENAI_API_KEY", "sk-test")
	t.Setenv("ANTHROPIC_API_KEY", "sk-ant-test")
	files, err := filepath.Glob("examples/*.yaml")
	if err != nil || len(files) < 2 {
		t.Fatalf("examples: %v %v", files, err)
	}
	for _, f := range files {
		var out, errOut bytes.Buffer
		if err := dispatch(context.Background(), []string{"config", "check", f}, &out, &errOut); err != nil {
			t.Errorf("config check %s: %v\n%s%s", f, err, out.String(), errOut.String())
		}
		if errOut.Len() > 0 {
			t.Errorf("config check %s warns:\n%s", f, errOut.String())
		}
	}

	env := func(k string) (string, bool) {
		return map[string]string{"OPENAI_API_KEY": "sk-test", "ANTHROPIC_API_KEY": "sk-ant-test"}[k], k == "OPENAI_API_KEY" || k == "ANTHROPIC_API_KEY"
	}
	for _, tc := range []struct {
		file, feed, url, event string
		endOn                  string
		header                 []string // name, value
	}{
		{"examples/openai-chat.yaml", "chat", "https://api.openai.com/v1/chat/completions", "message", "[DONE]", []string{"Authorization", "Bearer sk-test"}},
		{"examples/anthropic-messages.yaml", "claude", "https://api.anthropic.com/v1/messages", "content_block_delta", "", []string{"X-Api-Key", "sk-ant-test"}},
	} {
		cfg, err := config.Load(config.Location{Path: tc.file}, env)
		if err != nil {
			t.Fatal(err)
		}
		o := live.FeedOptions(cfg.Feed(tc.feed))
		h := http.Header{} // names as written; the engine canonicalizes them
		for k, vs := range o.Header {
			h[http.CanonicalHeaderKey(k)] = vs
		}
		var body map[string]any
		if err := json.Unmarshal(o.Body, &body); err != nil {
			t.Errorf("%s: body is not JSON: %v", tc.file, err)
		}
		if o.URL != tc.url || o.Method != "POST" || body["stream"] != true || o.EndOn != tc.endOn ||
			h.Get("Content-Type") != "application/json" || h.Get(tc.header[0]) != tc.header[1] {
			t.Errorf("%s: options %+v, body %v", tc.file, o, body)
		}
		if panes := live.NewRouter(cfg).Route(tc.feed, tc.event); !slices.Contains(panes, "answer") {
			t.Errorf("%s: a %s event goes to %v, not the answer pane", tc.file, tc.event, panes)
		}
	}
}
