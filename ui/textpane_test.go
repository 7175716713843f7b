package ui

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/livefeed/livefeed/config"
	"github.com/livefeed/livefeed/feed"
)

const textPaneYAML = `
feeds:
  openai: { url: "http://127.0.0.1:1/v1/chat/completions" }
  claude: { url: "http://127.0.0.1:1/v1/messages" }
panes:
  - id: answer
    type: text
    feed: openai
    path: choices.0.delta.content
  - id: claude
    type: text
    title: Claude
    feed: claude
    path: delta.text
    reset_on: [message_start]
    max: 2
`

func testTextPane(t *testing.T, id string) *textPane {
	t.Helper()
	cfg, problems := config.Check(strings.NewReader(textPaneYAML), config.Options{Name: "text.yaml"})
	if errs := problems.Errors(); len(errs) > 0 {
		t.Fatalf("config: %v", errs)
	}
	return newPane(cfg.Pane(id), NewStyles(cfg.Theme), NewKeyMap(cfg.Keys)).(*textPane)
}

func chunk(seq uint64, content string, at time.Time) Item {
	data := `{"id":"chatcmpl-1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":` + jsonString(content) + `},"finish_reason":null}]}`
	return paneItem(seq, "openai", "message", "", data, at)
}

func claudeEvents(seq uint64, at time.Time, words ...string) []Item {
	items := []Item{paneItem(seq, "claude", "message_start", "", `{"type":"message_start","message":{"id":"msg_1","content":[]}}`, at)}
	for i, w := range words {
		items = append(items, paneItem(seq+uint64(i)+1, "claude", "content_block_delta", "",
			`{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":`+jsonString(w)+`}}`, at.Add(time.Duration(i+1)*100*time.Millisecond)))
	}
	return append(items, paneItem(seq+uint64(len(words))+1, "claude", "message_stop", "", `{"type":"message_stop"}`, at.Add(time.Second)))
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func textView(p *textPane, w, h int) string {
	return ansi.Strip(p.Render(viewState{Width: w, Height: h, Focused: true, Now: paneAt(time.Minute)}))
}

func TestTextPaneJoinsFragments(t *testing.T) {
	p := testTextPane(t, "answer")
	if v := textView(p, 40, 5); !strings.Contains(v, "waiting for events") {
		t.Errorf("empty pane:\n%s", v)
	}
	p.Add([]Item{
		paneItem(1, "openai", "message", "", `{"choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}`, paneAt(0)),
		chunk(2, "The", paneAt(300*time.Millisecond)),
		chunk(3, " quick", paneAt(400*time.Millisecond)),
		chunk(4, " fox.", paneAt(500*time.Millisecond)),
		paneItem(5, "openai", "message", "", `{"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}`, paneAt(600*time.Millisecond)),
		paneItem(6, "openai", "message", "", `[DONE]`, paneAt(600*time.Millisecond)),
	})
	if got := p.Text(); got != "The quick fox." {
		t.Errorf("text %q", got)
	}
	v := textView(p, 40, 5)
	if !strings.Contains(v, "The quick fox.") || !strings.Contains(v, "first 300ms") || !strings.Contains(v, "10/s") {
		t.Errorf("view:\n%s", v)
	}
	if p.Len() != 3 {
		t.Errorf("Len %d, want 3 fragments", p.Len())
	}
	it, ok := p.Selected()
	if !ok || it.Event.Data != "The quick fox." || it.Feed != "openai" {
		t.Errorf("inspector gets %+v", it)
	}
}

func TestTextPaneWrapsAndSanitizes(t *testing.T) {
	p := testTextPane(t, "answer")
	words := strings.Fields("one two three four five six seven eight nine ten eleven twelve")
	var items []Item
	for i, w := range words {
		items = append(items, chunk(uint64(i+1), w+" ", paneAt(0)))
	}
	items = append(items, chunk(99, "\x1b[31mred\x1b[0m\nnext paragraph "+strings.Repeat("x", 40), paneAt(0)))
	p.Add(items)
	v := textView(p, 20, 14)
	lines := strings.Split(v, "\n")
	var body []string
	for _, l := range lines[1 : len(lines)-1] {
		if w := ansi.StringWidth(l); w != 20 {
			t.Fatalf("line %q is %d cells wide", l, w)
		}
		body = append(body, strings.TrimSpace(strings.Trim(l, "│┃")))
	}
	text := strings.Join(body, "\n")
	if strings.Contains(p.Render(viewState{Width: 20, Height: 14}), "\x1b[31m") {
		t.Error("a payload's escape sequence reached the terminal")
	}
	for _, w := range words {
		if !strings.Contains(text, w) {
			t.Errorf("word %q cut or lost:\n%s", w, text)
		}
	}
	if !strings.Contains(text, "\nnext paragraph") {
		t.Errorf("a newline in the text starts a new line:\n%s", text)
	}
	// Growing the text re-wraps only its last paragraph, to the same result
	// as wrapping it all at once.
	q := testTextPane(t, "answer")
	q.Add(items)
	q.Add([]Item{chunk(100, " more words", paneAt(0))})
	p.Add([]Item{chunk(100, " more words", paneAt(0))})
	textView(p, 20, 14)
	if a, b := textView(p, 20, 14), textView(q, 20, 14); a != b {
		t.Errorf("incremental wrap differs:\n%s\n---\n%s", a, b)
	}
}

func TestTextPaneTranscripts(t *testing.T) {
	p := testTextPane(t, "claude")
	p.Add(claudeEvents(1, paneAt(0), "Hello", " there."))
	p.Add(claudeEvents(10, paneAt(time.Hour), "Second", " answer."))
	if got := p.Text(); got != "Second answer." {
		t.Errorf("newest transcript %q", got)
	}
	v := textView(p, 60, 8)
	first, second := strings.Index(v, "Hello there."), strings.Index(v, "Second answer.")
	if first < 0 || second < first || !strings.Contains(v, "── 2 · ") || !strings.Contains(v, "2 transcripts") {
		t.Errorf("transcripts oldest first, newest at the bottom:\n%s", v)
	}
	p.Add(claudeEvents(20, paneAt(2*time.Hour), "Third."))
	if strings.Contains(textView(p, 40, 8), "Hello") || p.Dropped() != 2 {
		t.Errorf("max: 2 keeps two transcripts; dropped %d", p.Dropped())
	}
	p.Clear()
	if p.Len() != 0 || p.Text() != "" {
		t.Error("Clear left text")
	}
}

func TestTextPaneScrollsAndFollows(t *testing.T) {
	p := testTextPane(t, "claude")
	var words []string
	for i := range 30 {
		words = append(words, fmt.Sprintf("line%d\n", i))
	}
	p.Add(claudeEvents(1, paneAt(0), words...))
	if v := textView(p, 30, 6); !strings.Contains(v, "line29") {
		t.Fatalf("follows the end:\n%s", v)
	}
	p.Update(panePress("up"))
	p.Update(panePress("up"))
	p.Add([]Item{paneItem(100, "claude", "content_block_delta", "", `{"delta":{"text":"line30\n"}}`, paneAt(time.Second))})
	v := textView(p, 30, 6)
	if strings.Contains(v, "line30") || !strings.Contains(v, "line27") || !strings.Contains(v, "lines ") {
		t.Errorf("scrolled up, the view stays put:\n%s", v)
	}
	p.Update(panePress("G"))
	if v := textView(p, 30, 6); !strings.Contains(v, "line30") {
		t.Errorf("bottom follows again:\n%s", v)
	}
	p.Update(panePress("g"))
	if v := textView(p, 30, 6); !strings.Contains(v, "line0") {
		t.Errorf("top:\n%s", v)
	}
}

// collect runs a command and the commands it batches, returning their
// messages.
func collect(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	if b, ok := msg.(tea.BatchMsg); ok {
		var out []tea.Msg
		for _, c := range b {
			out = append(out, collect(c)...)
		}
		return out
	}
	return []tea.Msg{msg}
}

func TestTextPaneCopies(t *testing.T) {
	p := testTextPane(t, "claude")
	p.Add(claudeEvents(1, paneAt(0), "Grüße", " 👋"))
	msgs := collect(p.Update(panePress("y")))
	want := tea.SetClipboard("Grüße 👋")()
	if len(msgs) != 2 || !reflect.DeepEqual(msgs[0], want) || msgs[1] != (copiedMsg{chars: 7}) {
		t.Errorf("y sends %#v, want the OSC 52 clipboard message and a note", msgs)
	}
	// The inspector copies what it shows: for a text pane, the transcript.
	it, _ := p.Selected()
	d := newDetail(it, nil, p.km, 60, 20)
	_, cmd := d.Update(panePress("y"))
	if msgs := collect(cmd); len(msgs) == 0 || !reflect.DeepEqual(msgs[0], want) {
		t.Errorf("inspector y sends %#v", msgs)
	}
}

func TestTextPaneBoundsOneHugeTranscript(t *testing.T) {
	p := testTextPane(t, "answer")
	big := strings.Repeat("é", 1<<16) // 128 KiB a fragment, two bytes a rune
	for i := range 80 {
		p.Add([]Item{chunk(uint64(i+1), big, paneAt(0))})
	}
	if n := len(p.Text()); n > textMaxBytes || n < textMaxBytes/4 {
		t.Errorf("transcript of %d bytes, bound %d", n, textMaxBytes)
	}
	if !utf8.ValidString(p.Text()) {
		t.Error("cutting the transcript split a character")
	}
	if v := textView(p, 40, 6); !strings.Contains(v, "éééé") {
		t.Errorf("view:\n%s", v)
	}
}

func TestTextPaneHostileFragments(t *testing.T) {
	p := testTextPane(t, "answer")
	p.Add([]Item{
		chunk(1, "a\x00b\u202ec\x07", paneAt(0)),
		paneItem(2, "openai", "message", "", "{\"choices\":[{\"delta\":{\"content\":\"\xff\xfe\"}}]}", paneAt(0)),
		paneItem(3, "openai", "message", "", `{"choices":[{"delta":{"content":42}}]}`, paneAt(0)),
		paneItem(4, "openai", "message", "", `{"choices":[{"delta":{"content":null}}]}`, paneAt(0)),
		paneItem(5, "openai", "message", "", `not json`, paneAt(0)),
	})
	out := p.Render(viewState{Width: 30, Height: 5})
	for _, bad := range []string{"\x00", "\u202e", "\x07", "\xff"} {
		if strings.Contains(out, bad) {
			t.Errorf("%q reached the terminal: %q", bad, out)
		}
	}
	if !strings.Contains(ansi.Strip(out), "42") || p.Len() != 3 {
		t.Errorf("a number is a fragment as written, null and non-JSON are none; Len %d:\n%s", p.Len(), ansi.Strip(out))
	}
}

// Through the model: y on the focused text pane copies its transcript and
// says so in the status line; enter opens it in the inspector.
func TestModelCopiesTranscript(t *testing.T) {
	cfg := parseConfig(t, "text.yaml", textPaneYAML)
	m := newTestModel(t, cfg, 100, 20)
	m.Update(batchMsg{batches: []feed.Batch{events("claude", testNow,
		feed.Event{Type: "message_start", Data: `{"type":"message_start"}`},
		feed.Event{Type: "content_block_delta", Data: `{"delta":{"text":"Hi there."}}`},
	)}})
	m.Update(press("tab")) // the answer pane has the focus first; claude next
	_, cmd := m.Update(press("y"))
	msgs := collect(cmd)
	if len(msgs) != 2 || !reflect.DeepEqual(msgs[0], tea.SetClipboard("Hi there.")()) {
		t.Fatalf("y on the Claude pane sends %#v", msgs)
	}
	m.Update(msgs[1])
	if s := screen(m); !strings.Contains(s, "copied 9 characters") {
		t.Errorf("no note of the copy:\n%s", s)
	}
	m.Update(press("enter"))
	if s := screen(m); !strings.Contains(s, "Hi there.") || m.detail == nil {
		t.Errorf("the inspector shows the transcript:\n%s", s)
	}
}

func TestTextPaneGoldens(t *testing.T) {
	p := testTextPane(t, "claude")
	p.Add(claudeEvents(1, paneAt(0), "Server-Sent Events", " keep one HTTP response open;", " the server writes events as they happen."))
	p.Add(claudeEvents(10, paneAt(time.Minute), "Second", " answer,", " still streaming"))
	for _, tc := range []struct {
		name string
		w, h int
	}{{"wide", 60, 10}, {"narrow", 24, 12}, {"short", 40, 4}} {
		t.Run(tc.name, func(t *testing.T) {
			viewGolden(t, p.Render(viewState{Width: tc.w, Height: tc.h, Focused: true, Now: paneAt(2 * time.Minute)}))
		})
	}
}

// syncBuffer is a terminal output written by the program and read by the
// test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Under a real program, y writes the transcript to the terminal as OSC 52.
func TestCopyWritesOSC52(t *testing.T) {
	cfg := parseConfig(t, "text.yaml", textPaneYAML)
	m := New(Options{Config: cfg, Clock: func() time.Time { return testNow }})
	out := &syncBuffer{}
	p := tea.NewProgram(m, tea.WithInput(nil), tea.WithOutput(out), tea.WithWindowSize(80, 20), tea.WithoutSignalHandler())
	done := make(chan error, 1)
	go func() { _, err := p.Run(); done <- err }()
	p.Send(batchMsg{batches: []feed.Batch{events("openai", testNow, feed.Event{Type: "message", Data: `{"choices":[{"delta":{"content":"Grüße, Welt"}}]}`})}})
	p.Send(press("y"))
	want := "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte("Grüße, Welt")) + "\x07"
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(out.String(), want) && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	p.Quit()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), want) {
		t.Errorf("the terminal never got %q", want)
	}
}
