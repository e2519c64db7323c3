package web

import (
	"errors"
	"net/http"

	"github.com/followup/followup/complaints"
	"github.com/followup/followup/corrections"
	"github.com/followup/followup/customers"
	"github.com/followup/followup/feedback"
	"github.com/followup/followup/inbound"
	"github.com/followup/followup/invalid"
	"github.com/followup/followup/reports"
	"github.com/followup/followup/scheduler"
	"github.com/followup/followup/surveys"
)

// sentinelStatus is the status of each sentinel error of the domain.
var sentinelStatus = []struct {
	err    error
	status int
}{
	{complaints.ErrNotFound, http.StatusNotFound},
	{customers.ErrNotFound, http.StatusNotFound},
	{complaints.ErrNoCustomer, http.StatusNotFound},
	{scheduler.ErrNotFound, http.StatusNotFound},
	{surveys.ErrNotFound, http.StatusNotFound},
	{reports.ErrNotFound, http.StatusNotFound},
	{corrections.ErrNotFound, http.StatusNotFound},
	{inbound.ErrNotFound, http.StatusNotFound},
	{complaints.ErrGrantNotFound, http.StatusNotFound},
	{scheduler.ErrNameTaken, http.StatusConflict},
	{scheduler.ErrArchived, http.StatusConflict},
	{surveys.ErrSlugTaken, http.StatusConflict},
	{corrections.ErrNotScored, http.StatusConflict},
	{reports.ErrNotAllowed, http.StatusForbidden},
}

// Problem is how the site answers an error of the domain: a status and,
// for a typed error, the field at fault and the error's own words (without
// the context wrapped around it on its way up).
type Problem struct {
	Status  int
	Field   string
	Message string
	// Fields is every field at fault of input refused (400): Field and
	// Message are its first.
	Fields invalid.Fields
}

// ProblemOf is the one mapping of the whole site from the domain's errors
// to HTTP: 400 for input at fault (invalid.Fields, *invalid.FieldError), 404 for what does
// not exist, 409 for a change the current state refuses, 403 for a change
// the person may not make, 422 for a reply held back by its warnings, 503
// when a dependency could not be reached (Unavailable), 500 for anything
// else (Message empty for both: the caller logs it and says sorry).
// A page that shows its form again answers 422 for a field error (see
// FormStatus).
func ProblemOf(err error) Problem {
	var (
		fs invalid.Fields
		fe *invalid.FieldError
		me *surveys.MeaningError
		ce *complaints.ConflictError
		na *complaints.NotAllowedError
		te *scheduler.TransitionError
		rw *feedback.ReplyWarnings
	)
	switch {
	case err == nil:
		return Problem{Status: http.StatusOK}
	case errors.As(err, &fs) && len(fs) > 0:
		return Problem{Status: http.StatusBadRequest, Field: fs[0].Field, Message: fs[0].Message, Fields: fs}
	case errors.As(err, &fe):
		return Problem{Status: http.StatusBadRequest, Field: fe.Field, Message: fe.Message, Fields: invalid.Fields{fe}}
	case errors.As(err, &me):
		return Problem{Status: http.StatusConflict, Field: me.Field, Message: me.Message}
	case errors.As(err, &ce):
		return Problem{Status: http.StatusConflict, Message: ce.Message}
	case errors.As(err, &na):
		return Problem{Status: http.StatusForbidden, Message: na.Message}
	case errors.As(err, &te):
		return Problem{Status: http.StatusConflict, Message: te.Error()}
	case errors.As(err, &rw):
		return Problem{Status: http.StatusUnprocessableEntity, Field: "body"}
	}
	for _, s := range sentinelStatus {
		if errors.Is(err, s.err) {
			return Problem{Status: s.status, Message: s.err.Error()}
		}
	}
	if Unavailable(err) {
		return Problem{Status: http.StatusServiceUnavailable}
	}
	return Problem{Status: http.StatusInternalServerError}
}

// Status is ProblemOf(err).Status.
func Status(err error) int { return ProblemOf(err).Status }

// FormStatus is Status for a page that shows its form again: input at
// fault is 422 (the form is fine, what was typed in it is not).
func FormStatus(err error) int {
	if st := Status(err); st != http.StatusBadRequest {
		return st
	}
	return http.StatusUnprocessableEntity
}

// CorrectionError turns a correction's error into a status, the field at
// fault and a message.
func (s *Server) CorrectionError(err error) (status int, field, msg string) {
	switch p := ProblemOf(err); p.Status {
	case http.StatusBadRequest, http.StatusConflict: // a field error, or corrections.ErrNotScored
		return p.Status, p.Field, p.Message
	case http.StatusNotFound:
		return p.Status, "", "no response with this id"
	}
	if Unavailable(err) {
		s.Log.Warn("correct comment reading: a dependency is down", "err", err)
		return http.StatusServiceUnavailable, "", "the correction could not be recorded: the database cannot be reached for a moment; retry in a minute"
	}
	s.Log.Error("correct comment reading", "err", err)
	return http.StatusInternalServerError, "", "the correction could not be recorded; retry later"
}
