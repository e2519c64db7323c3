package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/followup/followup/invalid"
)

// apiError is the body of every API error: a message a person can act on
// and, for invalid input, the field at fault (the first, when several are)
// and every field at fault with its message.
type apiError struct {
	Error  string         `json:"error"`
	Field  string         `json:"field,omitempty"`
	Errors invalid.Fields `json:"errors,omitempty"`
}

// WriteJSON answers with status and v in JSON (HTML not escaped).
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	writeJSONBody(w, v)
}

func writeJSONBody(w http.ResponseWriter, v any) {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// WriteError answers with status and an API error: msg and, for invalid
// input, the field at fault (also listed in "errors", as WriteFields lists
// several).
func WriteError(w http.ResponseWriter, status int, field, msg string) {
	e := apiError{Error: msg, Field: field}
	if field != "" {
		e.Errors = invalid.Fields{invalid.Field(field, msg)}
	}
	WriteJSON(w, status, e)
}

// WriteFields answers with status and every field at fault: "errors" lists
// them as {field, message}; "error" (msg) and "field" are about the first,
// for clients that read one.
func WriteFields(w http.ResponseWriter, status int, msg string, fs invalid.Fields) {
	e := apiError{Error: msg, Errors: fs}
	if len(fs) > 0 {
		e.Field = fs[0].Field
	}
	WriteJSON(w, status, e)
}

// DecodeJSON reads exactly one JSON value of at most limit bytes into v,
// refusing unknown fields and texts the product cannot store (see
// CheckJSONText). The error names the field at fault when it can.
func DecodeJSON(w http.ResponseWriter, r *http.Request, limit int64, v any) (field string, err error) {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return "", fmt.Errorf("content type must be application/json, got %q", ct)
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, limit))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return DescribeJSONError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return "", errors.New("the body must hold a single JSON value")
	}
	if fe := CheckJSONText(v); fe != nil {
		return fe.Field, errors.New(fe.Field + " " + fe.Message)
	}
	return "", nil
}

// DescribeJSONError turns a JSON decoding error into a message a person
// can act on and, when it can tell, the field at fault.
func DescribeJSONError(err error) (string, error) {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &syn):
		return "", fmt.Errorf("malformed JSON at byte %d: %v", syn.Offset, syn)
	case errors.As(err, &typ):
		field := jsonPath(typ.Field)
		return field, fmt.Errorf("%s must be a %s, not a JSON %s", field, jsonKind(typ.Type.Kind().String()), typ.Value)
	case errors.As(err, &tooBig):
		return "", fmt.Errorf("the body is larger than %d bytes", tooBig.Limit)
	case errors.Is(err, io.EOF):
		return "", errors.New("the body is empty: a JSON object is expected")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "", errors.New("the body ends in the middle of a JSON value")
	}
	msg := err.Error()
	if rest, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		name := strings.Trim(rest, `"`)
		return name, fmt.Errorf("unknown field %q", name)
	}
	return "", errors.New(strings.TrimPrefix(msg, "json: "))
}

// jsonPath drops the Go names of embedded structs from a decoder's field
// path ("EventInput.kind" is the JSON field "kind").
func jsonPath(p string) string {
	parts := strings.Split(p, ".")
	out := parts[:0]
	for _, s := range parts {
		if s != "" && (s[0] < 'A' || s[0] > 'Z') {
			out = append(out, s)
		}
	}
	return strings.Join(out, ".")
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "string"
	case "int", "int64", "int32", "uint", "uint64", "float64":
		return "number"
	case "bool":
		return "boolean"
	case "slice", "array":
		return "list"
	case "struct", "map":
		return "object"
	}
	return goKind
}

// InternalError logs err and answers 500 saying what failed, or 503 with
// Retry-After when a dependency could not be reached (see Unavailable).
func (s *Server) InternalError(w http.ResponseWriter, what string, err error) {
	if Unavailable(err) {
		s.Log.Warn(what+": a dependency is down", "err", err)
		WriteUnavailable(w, what)
		return
	}
	s.Log.Error(what, "err", err)
	WriteError(w, http.StatusInternalServerError, "", what+" failed; retry later")
}

// PathID reads the {id} of the request's path; it answers 400 and returns
// false when it is not a positive whole number.
func PathID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		WriteError(w, http.StatusBadRequest, "id", "the id must be a positive whole number")
		return 0, false
	}
	return id, true
}
