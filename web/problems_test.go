package web_test

import (
	"fmt"
	"net/http"
	"reflect"
	"testing"

	"github.com/followup/followup/complaints"
	"github.com/followup/followup/corrections"
	"github.com/followup/followup/feedback"
	"github.com/followup/followup/invalid"
	"github.com/followup/followup/reports"
	"github.com/followup/followup/scheduler"
	"github.com/followup/followup/surveys"
	"github.com/followup/followup/web"
)

// TestProblemOf checks the one mapping from the domain's errors to HTTP,
// wrapped as they arrive from the stores.
func TestProblemOf(t *testing.T) {
	t.Parallel()
	wrap := func(err error) error { return fmt.Errorf("do something: %w", err) }
	cases := []struct {
		name string
		err  error
		want web.Problem
	}{
		{"nil", nil, web.Problem{Status: http.StatusOK}},
		{"field error", wrap(invalid.Field("name", "is required")), web.Problem{Status: http.StatusBadRequest, Field: "name", Message: "is required",
			Fields: invalid.Fields{invalid.Field("name", "is required")}}},
		{"several fields", wrap(invalid.Fields{invalid.Field("name", "is required"), invalid.Field("trigger.cron", "is not a cron schedule")}),
			web.Problem{Status: http.StatusBadRequest, Field: "name", Message: "is required",
				Fields: invalid.Fields{invalid.Field("name", "is required"), invalid.Field("trigger.cron", "is not a cron schedule")}}},
		{"meaning change", wrap(&surveys.MeaningError{Field: "questions[0].dimension", Message: "changes meaning"}), web.Problem{Status: http.StatusConflict, Field: "questions[0].dimension", Message: "changes meaning"}},
		{"complaint conflict", wrap(&complaints.ConflictError{Message: "this complaint is resolved: reopen it first"}), web.Problem{Status: http.StatusConflict, Message: "this complaint is resolved: reopen it first"}},
		{"campaign transition", wrap(&scheduler.TransitionError{Action: "pause", State: "draft"}), web.Problem{Status: http.StatusConflict, Message: "cannot pause a campaign that is draft"}},
		{"reply warnings", wrap(&feedback.ReplyWarnings{}), web.Problem{Status: http.StatusUnprocessableEntity, Field: "body"}},
		{"complaint not found", wrap(complaints.ErrNotFound), web.Problem{Status: http.StatusNotFound, Message: complaints.ErrNotFound.Error()}},
		{"campaign not found", wrap(scheduler.ErrNotFound), web.Problem{Status: http.StatusNotFound, Message: scheduler.ErrNotFound.Error()}},
		{"survey not found", wrap(surveys.ErrNotFound), web.Problem{Status: http.StatusNotFound, Message: surveys.ErrNotFound.Error()}},
		{"report not found", wrap(reports.ErrNotFound), web.Problem{Status: http.StatusNotFound, Message: reports.ErrNotFound.Error()}},
		{"response not found", wrap(corrections.ErrNotFound), web.Problem{Status: http.StatusNotFound, Message: corrections.ErrNotFound.Error()}},
		{"campaign name taken", wrap(scheduler.ErrNameTaken), web.Problem{Status: http.StatusConflict, Message: scheduler.ErrNameTaken.Error()}},
		{"campaign archived", wrap(scheduler.ErrArchived), web.Problem{Status: http.StatusConflict, Message: scheduler.ErrArchived.Error()}},
		{"slug taken", wrap(surveys.ErrSlugTaken), web.Problem{Status: http.StatusConflict, Message: surveys.ErrSlugTaken.Error()}},
		{"reply not scored", wrap(corrections.ErrNotScored), web.Problem{Status: http.StatusConflict, Message: corrections.ErrNotScored.Error()}},
		{"plan change not allowed", wrap(reports.ErrNotAllowed), web.Problem{Status: http.StatusForbidden, Message: reports.ErrNotAllowed.Error()}},
		{"anything else", wrap(fmt.Errorf("connection refused")), web.Problem{Status: http.StatusInternalServerError}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := web.ProblemOf(c.err); !reflect.DeepEqual(got, c.want) {
				t.Errorf("ProblemOf(%v) = %+v, want %+v", c.err, got, c.want)
			}
		})
	}
	if got := web.FormStatus(invalid.Field("name", "is required")); got != http.StatusUnprocessableEntity {
		t.Errorf("FormStatus of a field error = %d, want 422", got)
	}
	if got := web.FormStatus(complaints.ErrNotFound); got != http.StatusNotFound {
		t.Errorf("FormStatus of not found = %d, want 404", got)
	}
}
