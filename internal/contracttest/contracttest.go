package contracttest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/followup/followup/web/api"
)

// Prefix is the beginning of the paths the contract describes.
const Prefix = "/api/v1/"

// Checker validates requests and answers against the contract.
type Checker struct {
	// Doc is the contract, loaded and validated.
	Doc    *openapi3.T
	router routers.Router
}

// Load reads the contract embedded in web/api and checks that it is a
// valid OpenAPI document.
func Load() (*Checker, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(api.ContractYAML)
	if err != nil {
		return nil, fmt.Errorf("load the OpenAPI contract: %w", err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		return nil, fmt.Errorf("the OpenAPI contract is not valid: %w", err)
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("route the OpenAPI contract: %w", err)
	}
	return &Checker{Doc: doc, router: router}, nil
}

// MustLoad is Load for tests: it fails t when the contract cannot be used.
func MustLoad(t testing.TB) *Checker {
	t.Helper()
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Transport returns a RoundTripper sending with next (http.DefaultTransport
// when nil) that fails t when a request under /api/v1 or its answer does
// not match the contract (see Check).
func (c *Checker) Transport(t testing.TB, next http.RoundTripper) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	return &transport{t: t, c: c, next: next}
}

type transport struct {
	t    testing.TB
	c    *Checker
	next http.RoundTripper
}

func (tr *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if !strings.HasPrefix(req.URL.Path, Prefix) {
		return tr.next.RoundTrip(req)
	}
	var body []byte
	if req.Body != nil {
		var err error
		if body, err = io.ReadAll(req.Body); err != nil {
			return nil, err
		}
		_ = req.Body.Close()
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	resp, err := tr.next.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	answer, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(answer))
	if err != nil {
		return resp, err
	}
	if err := tr.c.Check(req, body, resp.StatusCode, resp.Header, answer); err != nil {
		tr.t.Errorf("the API contract (web/api/openapi.yaml) and the server disagree: %v", err)
	}
	return resp, nil
}

// Check validates a request with body and the answer it got (status,
// header, body) against the contract:
//   - a request the contract allows gets an answer the contract lists for
//     its operation (status and body);
//   - a request the contract refuses (an unknown path or method, a bad
//     parameter or body, no token) must be refused (4xx; or 503 when
//     followup could not even check it), and the refusal must be as the
//     contract says (the Error schema, a documented status).
func (c *Checker) Check(req *http.Request, body []byte, status int, header http.Header, answer []byte) error {
	ctx := context.Background()
	r := req.Clone(ctx)
	r.Body = io.NopCloser(bytes.NewReader(body))
	if len(body) > 0 && r.Header.Get("Content-Type") == "" {
		// The server reads a body without a type as JSON (web.DecodeJSON),
		// as the contract's description says.
		r.Header.Set("Content-Type", "application/json")
	}
	route, params, err := c.router.FindRoute(r)
	if err != nil {
		if (status < 400 || status >= 500) && status != http.StatusServiceUnavailable {
			return fmt.Errorf("%s %s is not in the contract (%v), yet the server answered %d", req.Method, req.URL.Path, err, status)
		}
		return c.checkError(answer)
	}
	in := &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Route: route,
		Options: &openapi3filter.Options{MultiError: true, AuthenticationFunc: bearer}}
	reqErr := openapi3filter.ValidateRequest(ctx, in)
	if reqErr != nil && (status < 400 || status >= 500) {
		return fmt.Errorf("the contract refuses the request %s %s (%s), yet the server answered %d %s", req.Method, req.URL.Path, brief(reqErr), status, clip(answer))
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: status, Header: header,
		Body: io.NopCloser(bytes.NewReader(answer)), Options: &openapi3filter.Options{MultiError: true, IncludeResponseStatus: true}}
	if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
		return fmt.Errorf("the answer %d to %s %s (operation %s) is not as the contract says: %s; answer: %s", status, req.Method, req.URL.Path, route.Operation.OperationID, brief(err), clip(answer))
	}
	if extra := c.undocumentedFields(route.Operation, status, header, answer); len(extra) > 0 {
		return fmt.Errorf("the answer %d to %s %s (operation %s) has fields the contract does not document: %s", status, req.Method, req.URL.Path, route.Operation.OperationID, strings.Join(extra, ", "))
	}
	return nil
}

// undocumentedFields lists the fields of a JSON answer its schema in the
// contract does not name (see undocumented).
func (c *Checker) undocumentedFields(op *openapi3.Operation, status int, header http.Header, answer []byte) []string {
	resp := op.Responses.Status(status)
	if resp == nil || resp.Value == nil || len(answer) == 0 {
		return nil
	}
	ct, _, _ := strings.Cut(header.Get("Content-Type"), ";")
	media := resp.Value.Content.Get(strings.TrimSpace(ct))
	if media == nil || media.Schema == nil || media.Schema.Value == nil {
		return nil
	}
	var v any
	if json.Unmarshal(answer, &v) != nil {
		return nil
	}
	return undocumented(media.Schema.Value, v, "")
}

// checkError validates an answer to a request outside the contract against
// the Error schema.
func (c *Checker) checkError(answer []byte) error {
	s := c.Doc.Components.Schemas["Error"]
	if s == nil || s.Value == nil {
		return errors.New("the contract has no Error schema")
	}
	var v any
	if err := json.Unmarshal(answer, &v); err != nil {
		return fmt.Errorf("an error answer is not JSON: %v: %s", err, clip(answer))
	}
	if err := s.Value.VisitJSON(v, openapi3.EnableJSONSchema2020()); err != nil {
		return fmt.Errorf("an error answer is not an Error: %s: %s", brief(err), clip(answer))
	}
	return nil
}

// bearer checks the contract's one security scheme: an Authorization
// header with a bearer token (whether the token is valid is the server's
// business).
func bearer(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	h := in.RequestValidationInput.Request.Header.Get("Authorization")
	if in.SecuritySchemeName != "bearer" || !strings.HasPrefix(h, "Bearer ") || len(h) == len("Bearer ") {
		return errors.New("no bearer token")
	}
	return nil
}

func clip(b []byte) string {
	if len(b) > 600 {
		return string(b[:600]) + "…"
	}
	return string(b)
}

// brief says what kin-openapi found wrong without the schemas and values
// it prints in full: where (a JSON pointer) and why, for each problem.
func brief(err error) string {
	var multi openapi3.MultiError
	if errors.As(err, &multi) {
		var out []string
		for _, e := range multi {
			out = append(out, brief(e))
		}
		return strings.Join(out, "; ")
	}
	var se *openapi3.SchemaError
	if errors.As(err, &se) {
		where := "/" + strings.Join(se.JSONPointer(), "/")
		prefix := ""
		var re *openapi3filter.RequestError
		if errors.As(err, &re) && re.Parameter != nil {
			prefix = "parameter " + re.Parameter.Name + ": "
		} else if errors.As(err, &re) {
			prefix = "body: "
		}
		var rs *openapi3filter.ResponseError
		if errors.As(err, &rs) {
			prefix = "answer: "
		}
		return prefix + where + ": " + se.Reason
	}
	return err.Error()
}
