package demoserver

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

func postPublish(t *testing.T, s *Server, body string, header map[string]string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.URL()+"/publish", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if json.Unmarshal(raw, &out) != nil {
		out = map[string]any{"raw": string(raw)}
	}
	return resp.StatusCode, out
}

func TestPublishDelivers(t *testing.T) {
	s := startServer(t, nil)
	ctx := testContext(t)
	news := openStream(t, ctx, s.URL()+"/events/news", "")
	multi := openStream(t, ctx, s.URL()+"/events?topics=stocks,news", "")
	stocks := openStream(t, ctx, s.URL()+"/events/stocks", "")

	body := `{"topic":"news","event":"notification","data":{
		"level": "warning",
		"title": "Disk almost full",
		"body": "91% used on /var"
	}}`
	status, out := postPublish(t, s, body, map[string]string{"Content-Type": "application/json"})
	if status != http.StatusAccepted || out["id"] != "1" || out["topic"] != "news" || out["subscribers"] != float64(2) {
		t.Fatalf("publish: %d %v", status, out)
	}
	want := `{"level":"warning","title":"Disk almost full","body":"91% used on /var"}`
	for _, st := range []*sseStream{news, multi} {
		b := st.mustEvent(t)
		if b.Event != "notification" || b.Data != want {
			t.Errorf("got %s %s, want notification %s on one data line", b.Event, b.Data, want)
		}
	}

	// The stocks subscriber got nothing: the next thing it sees is a stocks event.
	publish(t, s, TopicStocks, "quote", `{"symbol":"X"}`)
	if b := stocks.mustEvent(t); b.Event != "quote" || b.ID != "1" {
		t.Errorf("stocks stream got %+v", b)
	}

	// Without an event name the event is a plain "message"; curl's default
	// form content type is accepted too.
	status, out = postPublish(t, s, `{"topic":"news","data":"hello"}`, map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
	if status != http.StatusAccepted || out["event"] != "message" {
		t.Fatalf("publish: %d %v", status, out)
	}
	if b := news.mustEvent(t); b.Event != "message" || b.Data != `"hello"` || b.ID != "2" {
		t.Errorf("got %+v", b)
	}
}

func TestPublishValidation(t *testing.T) {
	s := startServer(t, nil)
	big := `{"topic":"news","event":"x","data":"` + strings.Repeat("a", 64<<10) + `"}`
	for _, tc := range []struct {
		name, body string
		status     int
		msg        string
	}{
		{"empty", "", 400, "body is empty"},
		{"not json", "topic=news", 400, "not a valid publish request"},
		{"truncated", `{"topic":"news","data":{`, 400, "unexpected end of JSON"},
		{"syntax error position", "{\n  \"topic\": \"news\",\n  \"data\": {\"a\" 1}\n}", 400, "line 3"},
		{"array", `[1,2]`, 400, "not a valid publish request"},
		{"trailing data", `{"topic":"news","data":1} {"x":1}`, 400, "data after the JSON object"},
		{"unknown field", `{"topic":"news","data":1,"evnt":"x"}`, 400, `unknown field "evnt"`},
		{"topic not a string", `{"topic":5,"data":1}`, 400, `"topic" must be a string`},
		{"missing topic", `{"event":"x","data":1}`, 400, `missing "topic"`},
		{"unknown topic", `{"topic":"weather","data":1}`, 422, `unknown topic "weather"`},
		{"missing data", `{"topic":"news","event":"x"}`, 400, `missing "data"`},
		{"newline in event", `{"topic":"news","event":"a\nb","data":1}`, 400, "line break"},
		{"reserved event", `{"topic":"news","event":"shutdown","data":1}`, 400, "reserved"},
		{"long event", `{"topic":"news","event":"` + strings.Repeat("e", 65) + `","data":1}`, 400, "at most 64"},
		{"too big", big, 413, "larger than 64 KiB"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, out := postPublish(t, s, tc.body, nil)
			msg, _ := out["error"].(string)
			if status != tc.status || !strings.Contains(msg, tc.msg) {
				t.Errorf("got %d %v, want %d with error containing %q", status, out, tc.status, tc.msg)
			}
		})
	}
	if st := s.Status(); st.Topics[TopicNews].Latest != 0 {
		t.Errorf("rejected publishes produced %d events", st.Topics[TopicNews].Latest)
	}
}

// TestPublishCrossOrigin: a web page on another origin cannot publish into
// the demo server through the visitor's browser.
func TestPublishCrossOrigin(t *testing.T) {
	s := startServer(t, nil)
	body := `{"topic":"news","data":1}`
	status, _ := postPublish(t, s, body, map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"})
	if status != http.StatusForbidden {
		t.Errorf("cross-site publish: %d, want 403", status)
	}
	status, _ = postPublish(t, s, body, map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": s.URL()})
	if status != http.StatusAccepted {
		t.Errorf("same-origin publish: %d, want 202", status)
	}
}

func TestPublishAPI(t *testing.T) {
	s := startServer(t, nil)
	for _, tc := range []struct{ topic, event, data, msg string }{
		{"weather", "x", "1", "unknown topic"},
		{"news", "reset", "1", "reserved"},
		{"news", "x", "{", "not valid JSON"},
	} {
		if _, err := s.Publish(tc.topic, tc.event, []byte(tc.data)); err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("Publish(%q, %q, %q) = %v, want error containing %q", tc.topic, tc.event, tc.data, err, tc.msg)
		}
	}
	st := openStream(t, testContext(t), s.URL()+"/events/news", "")
	if id := publish(t, s, TopicNews, "headline", "{ \"a\" :\n 1 }"); id != "1" {
		t.Errorf("id = %q", id)
	}
	if b := st.mustEvent(t); b.Data != `{"a":1}` {
		t.Errorf("data = %q, want compact JSON", b.Data)
	}
}
