package surveys

import (
	"errors"
	"reflect"
	"testing"

	"github.com/followup/followup/invalid"
)

// TestValidateSaysEveryProblem: a definition with several wrong fields
// gives one problem per field, in the order of the definition, each with
// the message it has alone.
func TestValidateSaysEveryProblem(t *testing.T) {
	cases := []struct {
		name string
		edit func(*Survey)
		want []invalid.FieldError
	}{
		{"five wrong fields", func(s *Survey) {
			s.Name = ""
			s.Thresholds = Thresholds{Procedural: 160}
			s.Questions[1].Key = s.Questions[0].Key
			s.Questions[2].Text = Localized{"en": "It was fair."}
			s.Questions[3].Kind = "slider"
		}, []invalid.FieldError{
			{Field: "name", Message: "is required (at most 200 characters)"},
			{Field: "thresholds.procedural", Message: "must be between 0 and 100"},
			{Field: "questions[1].key", Message: `"overall" is used twice`},
			{Field: "questions[2].text.fr", Message: "needs wording in en and fr"},
			{Field: "questions[3].kind", Message: "must be likert5, likert7, rating10, single, multi or text"},
		}},
		{"one question wrong in three ways", func(s *Survey) {
			s.Questions[0].Text = Localized{"de": "Insgesamt?"}
			s.Questions[0].Dimension = NoDimension
		}, []invalid.FieldError{
			{Field: "questions[0].text.en", Message: "needs wording in en and fr"},
			{Field: "questions[0].text.fr", Message: "needs wording in en and fr"},
			{Field: "questions[0].text", Message: `"de" is not a supported language (en, fr)`},
			{Field: "questions[0].dimension", Message: "a scale question measures distributive, procedural, interactional or overall"},
		}},
		{"every option of a choice", func(s *Survey) {
			s.Slug = "Bad Slug"
			s.Questions = []Question{{Key: "why", Kind: Single, Dimension: NoDimension, Reverse: true, Text: Localized{"en": "Why?", "fr": "Pourquoi ?"},
				Options: []Option{{Key: "a", Risk: "boredom", Label: Localized{"en": "A", "fr": "A"}}, {Key: "a", Label: Localized{"en": "B"}}}}}
		}, []invalid.FieldError{
			{Field: "slug", Message: "must be lower-case letters, digits and dashes"},
			{Field: "questions[0].options[0].risk", Message: `"boredom" is not one of the 13 risks of dissatisfaction`},
			{Field: "questions[0].options[1].key", Message: "must be unique lower-case letters, digits and underscores"},
			{Field: "questions[0].options[1].label", Message: "needs wording in en and fr"},
			{Field: "questions[0].reverse", Message: "only scale questions can be reverse-scored"},
		}},
		{"too many questions stops there", func(s *Survey) {
			s.Name = ""
			s.Questions = make([]Question, 101)
		}, []invalid.FieldError{
			{Field: "name", Message: "is required (at most 200 characters)"},
			{Field: "questions", Message: "at most 100 questions"},
		}},
		{"nothing wrong", func(*Survey) {}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := Default()
			tc.edit(&s)
			err := s.Validate()
			var got []invalid.FieldError
			var fs invalid.Fields
			if errors.As(err, &fs) {
				for _, f := range fs {
					got = append(got, *f)
				}
			} else if err != nil {
				t.Fatalf("Validate: %v is not an invalid.Fields", err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %v\nwant %v", got, tc.want)
			}
			var fe *invalid.FieldError
			if len(tc.want) > 0 && (!errors.As(err, &fe) || fe.Field != tc.want[0].Field) {
				t.Errorf("errors.As(*invalid.FieldError) = %v, want the first problem", fe)
			}
		})
	}
}
