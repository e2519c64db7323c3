// Package contracttest checks the tests' calls of the JSON API against its
// OpenAPI contract (web/api/openapi.yaml) with kin-openapi: a Checker wraps
// an http.RoundTripper so that every request under /api/v1 and its answer
// are validated, and a mismatch fails the test. internal/apptest's API
// clients use it, so every API test is checked without asking. It is for
// tests only.
package contracttest
