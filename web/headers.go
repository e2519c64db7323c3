package web

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
)

// PageCSP is the Content-Security-Policy of every page: scripts, styles,
// fonts and frames from this site only, no inline script or style (the
// brand colours come from /static/brand.css), images also from https
// (the brand's logo) and data: URLs, forms posted to this site only, and
// no framing by other sites.
const PageCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; " +
	"font-src 'self'; connect-src 'self'; frame-src 'self'; frame-ancestors 'self'; form-action 'self'; " +
	"base-uri 'none'; object-src 'none'"

// EmailPreviewCSP is PageCSP for a page showing an email in a srcdoc
// frame (which inherits the page's policy): emails carry inline styles,
// so they are allowed there; scripts still are not (the frame is
// sandboxed too).
var EmailPreviewCSP = strings.Replace(PageCSP, "style-src 'self'", "style-src 'self' 'unsafe-inline'", 1)

// HSTS is the Strict-Transport-Security of answers over https: a year,
// this host only (other hosts of the domain are not ours to bind).
const HSTS = "max-age=31536000"

// secureHeaders sets the headers every answer carries; over https (see
// HTTPS), HSTS too. Pages add their Content-Security-Policy (RenderPage).
func (s *Server) secureHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "SAMEORIGIN")
		if s.HTTPS(r) {
			h.Set("Strict-Transport-Security", HSTS)
		}
		next.ServeHTTP(w, r)
	})
}

var colourRE = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)

// brandCSS serves the brand's colours as CSS custom properties, so pages
// need no inline style.
func (s *Server) brandCSS(w http.ResponseWriter, r *http.Request) {
	colour, text := "#1f5fa8", "#ffffff"
	if s.Templates != nil {
		b := s.Templates.Brand()
		if colourRE.MatchString(b.Color) {
			colour = b.Color
		}
		if colourRE.MatchString(b.TextColor) {
			text = b.TextColor
		}
	}
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	fmt.Fprintf(w, ":root{--brand:%s;--brand-text:%s;}\n", colour, text)
}
