package surveys

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxTextLength bounds a free-text answer, in characters.
const MaxTextLength = 5000

// Answer is the answer to one question: a value on a scale, a chosen option
// or free text, or several chosen options.
type Answer struct {
	// Value is the point chosen on a scale question.
	Value *int
	// Text is the option key of a single-choice question, or free text.
	Text string
	// Choices are the option keys of a multiple-choice question.
	Choices []string
}

// MarshalJSON writes a scale answer as a number, a single choice or text as
// a string, and multiple choices as an array.
func (a Answer) MarshalJSON() ([]byte, error) {
	switch {
	case a.Value != nil:
		return json.Marshal(*a.Value)
	case a.Choices != nil:
		return json.Marshal(a.Choices)
	default:
		return json.Marshal(a.Text)
	}
}

// UnmarshalJSON reads what MarshalJSON writes.
func (a *Answer) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	*a = Answer{}
	switch {
	case len(b) > 0 && b[0] == '[':
		a.Choices = []string{}
		return json.Unmarshal(b, &a.Choices)
	case len(b) > 0 && b[0] == '"':
		return json.Unmarshal(b, &a.Text)
	default:
		var v int
		if err := json.Unmarshal(b, &v); err != nil {
			return fmt.Errorf("answer %s: %w", b, err)
		}
		a.Value = &v
	}
	return nil
}

// Answers maps question keys to answers. Unanswered questions are absent.
type Answers map[string]Answer

// Problem is what is wrong with the answer to one question.
type Problem string

// Problems found when reading answers.
const (
	ProblemRequired Problem = "required" // a required question was left blank
	ProblemInvalid  Problem = "invalid"  // a value outside the scale or an unknown option
	ProblemTooLong  Problem = "too_long" // free text past MaxTextLength
)

// Problems maps question keys to what is wrong with their answer.
type Problems map[string]Problem

// ParseForm reads a survey's answers from submitted form values (one field
// per question key). It returns every answer it could read, even when some
// are wrong, so a page can show them again next to the problems.
func (s *Survey) ParseForm(form url.Values) (Answers, Problems) {
	answers := Answers{}
	problems := Problems{}
	for _, q := range s.Questions {
		vals := form[q.Key]
		first := ""
		if len(vals) > 0 {
			first = strings.TrimSpace(vals[0])
		}
		if lo, hi, ok := q.Kind.Scale(); ok {
			if first == "" {
				if q.Required {
					problems[q.Key] = ProblemRequired
				}
				continue
			}
			v, err := strconv.Atoi(first)
			if err != nil || v < lo || v > hi {
				problems[q.Key] = ProblemInvalid
				continue
			}
			answers[q.Key] = Answer{Value: &v}
			continue
		}
		switch q.Kind {
		case Single:
			if first == "" {
				if q.Required {
					problems[q.Key] = ProblemRequired
				}
				continue
			}
			if !q.hasOption(first) {
				problems[q.Key] = ProblemInvalid
				continue
			}
			answers[q.Key] = Answer{Text: first}
		case Multi:
			var picked []string
			for _, v := range vals {
				v = strings.TrimSpace(v)
				if v == "" {
					continue
				}
				if !q.hasOption(v) {
					problems[q.Key] = ProblemInvalid
					continue
				}
				if !slices.Contains(picked, v) {
					picked = append(picked, v)
				}
			}
			if len(picked) == 0 {
				if q.Required && problems[q.Key] == "" {
					problems[q.Key] = ProblemRequired
				}
				continue
			}
			answers[q.Key] = Answer{Choices: picked}
		case Text:
			text := strings.TrimSpace(strings.ReplaceAll(strings.Join(vals, "\n"), "\r\n", "\n"))
			text = strings.ToValidUTF8(text, "")
			if text == "" {
				if q.Required {
					problems[q.Key] = ProblemRequired
				}
				continue
			}
			answers[q.Key] = Answer{Text: text}
			if utf8.RuneCountInString(text) > MaxTextLength {
				problems[q.Key] = ProblemTooLong
			}
		}
	}
	return answers, problems
}

// Completed reports whether a reply answered every scale question (the
// rating and each item of justice): a reply that did not is partial. The
// choice and comment questions never make a reply partial.
func (s *Survey) Completed(a Answers) bool {
	for _, q := range s.Questions {
		if _, _, scale := q.Kind.Scale(); scale {
			if _, ok := a[q.Key]; !ok {
				return false
			}
		}
	}
	return true
}

// Merge returns the answers of a reply completed later: earlier answers
// with the new ones over them. An answer once given is never erased by a
// question left blank the second time.
func Merge(earlier, later Answers) Answers {
	out := make(Answers, len(earlier)+len(later))
	for k, v := range earlier {
		out[k] = v
	}
	for k, v := range later {
		out[k] = v
	}
	return out
}

// Comment joins the free-text answers, in question order.
func (s *Survey) Comment(a Answers) string {
	var parts []string
	for _, q := range s.Questions {
		if q.Kind == Text && a[q.Key].Text != "" {
			parts = append(parts, a[q.Key].Text)
		}
	}
	return strings.Join(parts, "\n\n")
}

func (q *Question) hasOption(key string) bool {
	for _, o := range q.Options {
		if o.Key == key {
			return true
		}
	}
	return false
}
