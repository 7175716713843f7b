package examples

import (
	"encoding/json"
	"strings"
	"testing"
)

// OpenAI: the chunks' content reads as one sentence, from a POST with the
// prompt, and the stream ends at [DONE].
func TestOpenAI(t *testing.T) {
	srv := serveFixture(t, "openai-chat.sse")
	cfg := load(t, "openai-chat.yaml", map[string]string{"OPENAI_BASE_URL": srv.URL + "/v1", "OPENAI_API_KEY": "sk-test", "PROMPT": "Say the pangram."})
	_, screen := watch(t, cfg, 120, 24, contains("lazy dog.", "stop"))
	if !strings.Contains(screen, "The quick brown fox jumps over the lazy dog.") || !strings.Contains(screen, "Answer · 1 transcript") {
		t.Errorf("the transcript does not read as one sentence:\n%s", screen)
	}
	if strings.Contains(screen, "[DONE]") {
		t.Errorf("end_on's event is shown:\n%s", screen)
	}
	if t.Failed() || testing.Verbose() {
		t.Log("\n" + screen)
	}
	reqs := srv.seen()
	if len(reqs) != 1 || reqs[0].path != "/v1/chat/completions" {
		t.Fatalf("requests %+v, want one to /v1/chat/completions (a POST stream is not reopened)", reqs)
	}
	var body struct {
		Stream   bool
		Messages []struct{ Role, Content string }
	}
	if err := json.Unmarshal([]byte(reqs[0].body), &body); err != nil || reqs[0].method != "POST" || !body.Stream ||
		len(body.Messages) == 0 || body.Messages[len(body.Messages)-1].Content != "Say the pangram." || reqs[0].header.Get("Authorization") != "Bearer sk-test" {
		t.Errorf("request %s %s %q %v", reqs[0].method, reqs[0].body, reqs[0].header.Get("Authorization"), err)
	}
}

// Anthropic: content_block_delta text reads as one answer under the time to
// its first fragment, and the message's stop reason shows in the log.
func TestAnthropic(t *testing.T) {
	srv := serveFixture(t, "anthropic-messages.sse")
	cfg := load(t, "anthropic-messages.yaml", map[string]string{"ANTHROPIC_BASE_URL": srv.URL, "ANTHROPIC_API_KEY": "test-key"})
	_, screen := watch(t, cfg, 140, 24, contains("happen.", "end_turn"))
	for _, want := range []string{
		"Server-Sent Events keep one HTTP response open; the server writes events as they happen.",
		"end_turn · 15 output tokens",
		"Answer · 1 transcript · first ",
	} {
		if !strings.Contains(screen, want) {
			t.Errorf("screen lacks %q", want)
		}
	}
	if t.Failed() || testing.Verbose() {
		t.Log("\n" + screen)
	}
	if reqs := srv.seen(); len(reqs) != 1 || reqs[0].path != "/v1/messages" || reqs[0].method != "POST" || reqs[0].header.Get("X-Api-Key") != "test-key" || reqs[0].header.Get("Anthropic-Version") != "2023-06-01" {
		t.Errorf("requests %+v", reqs)
	}
}
