package main

import (
	"net/url"
	"strings"
	"time"
)

// template is a valid body for a route, whose texts the sweep replaces one
// at a time: a JSON value for the API, url.Values for the public forms.
// nil: the route reads no body the sweep knows.
func (s *sweeper) template(method, pattern string) any {
	switch method + " " + pattern {
	case "POST /api/v1/events":
		return eventTemplate()
	case "POST /api/v1/campaigns", "PUT /api/v1/campaigns/{id}":
		return campaignTemplate(s.e.blast.SurveyID, "campaign {{n}}")
	case "POST /api/v1/campaigns/{id}/{action}":
		return map[string]any{"email": "someone@example.com", "locale": "en"}
	case "POST /api/v1/complaints/{id}/assign":
		return map[string]any{"owner_email": "admin@drills.example"}
	case "POST /api/v1/complaints/{id}/notes":
		return map[string]any{"text": "a note"}
	case "POST /api/v1/complaints/{id}/replies":
		return map[string]any{"subject": "About your visit", "body": "We are sorry. {{n}}", "confirm": true}
	case "POST /api/v1/complaints/{id}/compensation":
		return map[string]any{"amount": "10.00", "note": "a gesture"}
	case "POST /api/v1/complaints/{id}/resolve":
		return map[string]any{"summary": "refunded"}
	case "POST /api/v1/complaints/{id}/reopen":
		return map[string]any{"reason": "not refunded after all"}
	case "PUT /api/v1/complaints/{id}/deviance":
		return map[string]any{"form": []any{"rudeness"}, "substance": "the agent was rude"}
	case "POST /api/v1/responses/{id}/corrections":
		return map[string]any{"kind": "missed_legal"}
	case "POST /api/v1/action-plans":
		return actionTemplate(s.admin)
	case "PATCH /api/v1/action-plans/{id}":
		return map[string]any{"title": "better signage", "description": "more signs", "note": "on track", "state": "in_progress"}
	case "POST /api/v1/surveys", "PUT /api/v1/surveys/{slug}":
		return map[string]any{"slug": "drill-{{n}}", "name": "Drill survey", "note": "a change",
			"questions": []any{map[string]any{"key": "overall", "kind": "scale", "dimension": "distributive",
				"text": map[string]any{"en": "How was it?", "fr": "Comment était-ce ?"}}}}
	case "POST /s/{token}", "POST /preview/surveys/{version}":
		return s.survey
	case "POST /u/{token}":
		return url.Values{"List-Unsubscribe": {"One-Click"}}
	case "POST /login":
		return url.Values{"email": {"admin@drills.example"}, "password": {"wrong password"}, "next": {"/"}}
	}
	if strings.HasPrefix(pattern, "/api/") {
		return map[string]any{"text": "x", "note": "x", "name": "x", "email": "x@example.com"}
	}
	return nil
}

func eventTemplate() map[string]any {
	return map[string]any{
		"external_id": "drill-{{n}}", "kind": "sweep", "occurred_at": time.Now().UTC().Add(-time.Hour).Format(time.RFC3339),
		"channel": "store", "touchpoint": "checkout", "team": "north",
		"attributes": map[string]any{"order": "A-1"},
		"customer": map[string]any{"external_ref": "drill-c-{{n}}", "email": "drill{{n}}@example.com", "name": "Drill Customer",
			"locale": "en", "time_zone": "Europe/Paris", "segment": "retail"},
	}
}

func campaignTemplate(surveyID int64, name string) map[string]any {
	return map[string]any{"name": name, "survey_id": surveyID,
		"trigger":  map[string]any{"type": "event", "event_kinds": []any{"nothing-sends-this"}, "delay_minutes": 60},
		"audience": map[string]any{}, "reminder_days": []any{}}
}

func actionTemplate(owner int64) map[string]any {
	today := time.Now().UTC()
	return map[string]any{"title": "better signage", "description": "more signs", "kind": "corrective",
		"cause":     map[string]any{"kind": "touchpoint", "value": "checkout"},
		"starts_on": today.Format(time.DateOnly), "due_on": today.AddDate(0, 1, 0).Format(time.DateOnly), "state": "planned", "owner_id": owner}
}
