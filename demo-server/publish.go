package demoserver

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"
)

// maxPublishBody is the largest POST /publish body accepted.
const maxPublishBody = 64 << 10

// publishRequest is the body of POST /publish.
type publishRequest struct {
	Topic string          `json:"topic"`
	Event string          `json:"event"`
	Data  json.RawMessage `json:"data"`
}

// publishResponse is the 202 answer: the event's id and how many connected
// subscribers it was handed to.
type publishResponse struct {
	ID          string `json:"id"`
	Topic       string `json:"topic"`
	Event       string `json:"event"`
	Subscribers int    `json:"subscribers"`
}

const publishHint = `want {"topic":"news","event":"notification","data":{...}}`

func (s *Server) handlePublish(w http.ResponseWriter, r *http.Request) {
	if s.opts.PublishToken != "" && !s.authorized(r) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="livefeed demo-server"`)
		writeError(w, http.StatusUnauthorized, "POST /publish needs the header Authorization: Bearer <token>, with the server's --publish-token")
		return
	}
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxPublishBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("body is larger than %d KiB", maxPublishBody>>10))
			return
		}
		writeError(w, http.StatusBadRequest, "reading body: "+err.Error())
		return
	}
	req, status, err := decodePublish(raw)
	if err != nil {
		writeError(w, status, err.Error())
		return
	}
	seq, receivers, err := s.hub.publish(req.Topic, req.Event, req.Data)
	if err != nil {
		writeError(w, http.StatusServiceUnavailable, err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusAccepted)
	_ = json.NewEncoder(w).Encode(publishResponse{
		ID: fmt.Sprint(seq), Topic: req.Topic, Event: req.Event, Subscribers: receivers,
	})
}

// authorized reports whether r carries the publish token. The comparison
// takes the same time whatever the guess: both sides are hashed to 32 bytes
// first, so neither the token's bytes nor its length can be found by timing.
func (s *Server) authorized(r *http.Request) bool {
	scheme, cred, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return false
	}
	got := sha256.Sum256([]byte(strings.TrimSpace(cred)))
	return subtle.ConstantTimeCompare(got[:], s.token[:]) == 1
}

// decodePublish validates a publish body and returns it with compacted data,
// or the HTTP status and a message saying what is wrong.
func decodePublish(raw []byte) (publishRequest, int, error) {
	var req publishRequest
	if len(bytes.TrimSpace(raw)) == 0 {
		return req, http.StatusBadRequest, errors.New("body is empty; " + publishHint)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return req, http.StatusBadRequest, fmt.Errorf("body is not a valid publish request: %s; %s", jsonErrorText(err, raw), publishHint)
	}
	if _, err := dec.Token(); err != io.EOF {
		return req, http.StatusBadRequest, errors.New("body has data after the JSON object")
	}
	if req.Topic == "" {
		return req, http.StatusBadRequest, fmt.Errorf(`missing "topic" (one of %s)`, strings.Join(Topics(), ", "))
	}
	if !knownTopic(req.Topic) {
		return req, http.StatusUnprocessableEntity, fmt.Errorf("unknown topic %q (one of %s)", req.Topic, strings.Join(Topics(), ", "))
	}
	if req.Event == "" {
		req.Event = "message"
	}
	if err := checkEventName(req.Event); err != nil {
		return req, http.StatusBadRequest, err
	}
	if req.Data == nil {
		return req, http.StatusBadRequest, errors.New(`missing "data" (any JSON value)`)
	}
	data, err := compactJSON(req.Data)
	if err != nil {
		return req, http.StatusBadRequest, err
	}
	req.Data = data
	return req, 0, nil
}

// checkEventName rejects names that would break the stream framing or that
// the server reserves for its own events.
func checkEventName(name string) error {
	switch {
	case name == "":
		return errors.New("event name is empty")
	case len(name) > 64:
		return fmt.Errorf("event name is %d bytes long; at most 64", len(name))
	case !utf8.ValidString(name):
		return errors.New("event name is not valid UTF-8")
	case strings.ContainsAny(name, "\r\n\x00"):
		return fmt.Errorf("event name %q contains a line break or NUL", name)
	case name == "reset" || name == "shutdown":
		return fmt.Errorf("event name %q is reserved for the server's own events", name)
	}
	return nil
}

// compactJSON validates data and puts it on one line, as one data: field.
func compactJSON(data []byte) ([]byte, error) {
	var buf bytes.Buffer
	if err := json.Compact(&buf, data); err != nil {
		return nil, fmt.Errorf(`"data" is not valid JSON: %s`, jsonErrorText(err, data))
	}
	return buf.Bytes(), nil
}

// jsonErrorText says where in the input a JSON error is, with line and column.
func jsonErrorText(err error, in []byte) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var off int64
	switch {
	case errors.As(err, &syn):
		off = syn.Offset
	case errors.As(err, &typ):
		if typ.Field != "" {
			return fmt.Sprintf("%q must be a string, not a %s", typ.Field, typ.Value)
		}
		off = typ.Offset
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return "unexpected end of JSON"
	default:
		return strings.TrimPrefix(err.Error(), "json: ")
	}
	line, col := 1, 1
	for i := int64(0); i < off-1 && i < int64(len(in)); i++ {
		if in[i] == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return fmt.Sprintf("%s (line %d, column %d)", strings.TrimPrefix(err.Error(), "json: "), line, col)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": msg})
}
