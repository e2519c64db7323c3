package web

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"net"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/followup/followup/templates"
)

// RetryAfter is how long a 503 asks clients to wait (Retry-After): about
// what a PostgreSQL restart or a Redis fail-over takes.
const RetryAfter = 30 * time.Second

// Unavailable reports whether err says that a dependency (PostgreSQL,
// Redis) could not be asked, rather than that it answered: a refused or
// broken connection, a timeout, a server shutting down or full. A request
// that met such an error was not refused: it could not be checked, and
// may succeed if sent again (503 and Retry-After, never 401 or 404).
func Unavailable(err error) bool {
	if err == nil {
		return false
	}
	var ne net.Error
	var state interface{ SQLState() string }
	switch {
	case errors.Is(err, driver.ErrBadConn), errors.Is(err, sql.ErrConnDone),
		errors.Is(err, context.DeadlineExceeded),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE),
		errors.As(err, &ne):
		return true
	case errors.As(err, &state):
		// Class 08: connection exception; 57P01-57P03: the server is
		// shutting down, crashed or starting; 53300: too many connections.
		c := state.SQLState()
		return strings.HasPrefix(c, "08") || c == "57P01" || c == "57P02" || c == "57P03" || c == "53300"
	}
	// database/sql and go-redis say so in words only.
	msg := err.Error()
	return strings.Contains(msg, "sql: database is closed") || strings.Contains(msg, "redis: client is closed") ||
		strings.Contains(msg, "connection pool timeout")
}

// retryAfter sets the Retry-After header of a 503.
func retryAfter(w http.ResponseWriter) {
	w.Header().Set("Retry-After", strconv.Itoa(int(RetryAfter/time.Second)))
}

// unavailableProblem is the body of the API's 503, an RFC 9457 problem
// that also carries the API's usual "error" member.
type unavailableProblem struct {
	Type       string `json:"type"`
	Title      string `json:"title"`
	Status     int    `json:"status"`
	Detail     string `json:"detail"`
	Error      string `json:"error"`
	RetryAfter int    `json:"retry_after"`
}

// WriteUnavailable answers the API's 503: a dependency is down, nothing
// was done or refused; the request may be sent again after Retry-After.
func WriteUnavailable(w http.ResponseWriter, what string) {
	msg := what + " could not be done: followup cannot reach its database or Redis for a moment. Nothing was changed; send the same request again after Retry-After seconds."
	retryAfter(w)
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusServiceUnavailable)
	writeJSONBody(w, unavailableProblem{Type: "about:blank", Title: "Service Unavailable", Status: http.StatusServiceUnavailable,
		Detail: msg, Error: msg, RetryAfter: int(RetryAfter / time.Second)})
}

// WriteServerError answers an API request that failed with err: 503 and
// Retry-After when a dependency could not be reached (WriteUnavailable),
// else 500 with msg. The caller has logged err.
func WriteServerError(w http.ResponseWriter, err error, msg string) {
	if Unavailable(err) {
		WriteUnavailable(w, "this request")
		return
	}
	WriteError(w, http.StatusInternalServerError, "", msg)
}

// StaffUnavailable answers a staff page with 503: try again in a minute.
func (s *Server) StaffUnavailable(w http.ResponseWriter, r *http.Request) {
	retryAfter(w)
	locale := StaffLocale(r)
	s.RenderStaff(w, r, http.StatusServiceUnavailable, "message", templates.T(locale, "staff.unavailable.title"), templates.T(locale, "staff.unavailable.body"))
}

// CustomerUnavailable answers a customer's page with 503, in locale: a
// page asking to try again in a minute. A form that was posted (the
// survey's answers) comes back on the page, ready to be sent again: what
// the customer typed is not lost.
func (s *Server) CustomerUnavailable(w http.ResponseWriter, r *http.Request, locale string) {
	retryAfter(w)
	if r.Method != http.MethodPost || len(r.PostForm) == 0 {
		s.RenderMessage(w, r, http.StatusServiceUnavailable, locale, "error.503")
		return
	}
	page := retryPage{Action: r.URL.Path, Body: templates.T(locale, "retry.body"), Send: templates.T(locale, "retry.send")}
	for _, k := range sortedKeys(r.PostForm) {
		for _, v := range r.PostForm[k] {
			page.Fields = append(page.Fields, retryField{Name: k, Value: v})
		}
	}
	s.RenderPage(w, http.StatusServiceUnavailable, "retry", templates.PageData{
		Locale: locale, Title: templates.T(locale, "error.503.title"), Data: page,
	})
}

// retryPage is a posted form kept for sending again.
type retryPage struct {
	Action, Body, Send string
	Fields             []retryField
}

type retryField struct{ Name, Value string }

func sortedKeys(m map[string][]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
