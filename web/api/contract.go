package api

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"

	"go.yaml.in/yaml/v4"

	"github.com/followup/followup/web"
)

// ContractYAML is the OpenAPI 3.1 contract of the JSON API, as kept in the
// repository (openapi.yaml): every route under /api/v1, its roles
// (x-roles), parameters, bodies and answers.
//
//go:embed openapi.yaml
var ContractYAML []byte

//go:embed docs
var docsFS embed.FS

// ContractJSON returns the contract in JSON, as served at
// /api/v1/openapi.json.
func ContractJSON() ([]byte, error) {
	var doc any
	if err := yaml.Unmarshal(ContractYAML, &doc); err != nil {
		return nil, fmt.Errorf("read the OpenAPI contract: %w", err)
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("encode the OpenAPI contract in JSON: %w", err)
	}
	return b, nil
}

// contractRoutes serve the contract (public: an integrator reads it before
// having a token) and the page that shows it, Swagger UI vendored under
// docs/swagger-ui, under the pages' own Content-Security-Policy (it needs
// no inline script or style).
func (s *Server) contractRoutes(mux *web.Router) {
	doc, err := ContractJSON()
	mux.Tokens().HandleFunc("GET /api/v1/openapi.json", web.Public, func(w http.ResponseWriter, r *http.Request) {
		if err != nil {
			s.InternalError(w, "read the OpenAPI contract", err)
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		_, _ = w.Write(doc)
	})
	sub, _ := fs.Sub(docsFS, "docs")
	files := http.StripPrefix("/api/docs/", http.FileServerFS(sub))
	docs := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", web.PageCSP)
		if r.URL.Path == "/api/docs" {
			http.Redirect(w, r, "/api/docs/", http.StatusMovedPermanently)
			return
		}
		files.ServeHTTP(w, r)
	}
	mux.HandleFunc("GET /api/docs", web.Public, docs)
	mux.HandleFunc("GET /api/docs/", web.Public, docs)
}
