package public

import (
	"strconv"

	"github.com/followup/followup/surveys"
	"github.com/followup/followup/templates"
)

// surveyView is the survey page's content.
type surveyView struct {
	Action      string
	Intro       string
	Preselected string
	// Partial says the answers given so far count and the rest may follow.
	Partial string
	// Failure is a message shown when the answers could not be saved.
	Failure   string
	HasErrors bool
	Questions []questionView
}

type questionView struct {
	Key       string
	Text      string
	Required  bool
	Problem   string
	Multi     bool
	Scale     []scalePoint
	LowLabel  string
	HighLabel string
	Options   []optionView
	TextValue string
}

type scalePoint struct {
	Value   int
	Label   string
	Checked bool
}

type optionView struct {
	Key     string
	Label   string
	Checked bool
}

// buildSurveyView lays out a survey in locale with the answers given so far
// and the problems to show next to their questions.
func buildSurveyView(sv *surveys.Survey, locale string, answers surveys.Answers, problems surveys.Problems) surveyView {
	v := surveyView{HasErrors: len(problems) > 0}
	for _, q := range sv.Questions {
		qv := questionView{Key: q.Key, Text: q.Text.In(locale), Required: q.Required, Multi: q.Kind == surveys.Multi}
		if p, ok := problems[q.Key]; ok {
			qv.Problem = templates.T(locale, "problem."+string(p))
		}
		a := answers[q.Key]
		if lo, hi, ok := q.Kind.Scale(); ok {
			for i := lo; i <= hi; i++ {
				pt := scalePoint{Value: i, Checked: a.Value != nil && *a.Value == i}
				if q.Kind != surveys.Rating10 {
					switch i {
					case lo:
						pt.Label = templates.T(locale, "survey.agree.1")
					case hi:
						pt.Label = templates.T(locale, "survey.agree.max")
					}
				}
				qv.Scale = append(qv.Scale, pt)
			}
			if q.Kind == surveys.Rating10 {
				qv.LowLabel = templates.T(locale, "survey.rating.lo")
				qv.HighLabel = templates.T(locale, "survey.rating.hi")
			}
		}
		for _, o := range q.Options {
			checked := a.Text == o.Key
			for _, c := range a.Choices {
				checked = checked || c == o.Key
			}
			qv.Options = append(qv.Options, optionView{Key: o.Key, Label: o.Label.In(locale), Checked: checked})
		}
		if q.Kind == surveys.Text {
			qv.TextValue = a.Text
		}
		v.Questions = append(v.Questions, qv)
	}
	return v
}

// preselect reads the one-click rating of the email (?score=) as an answer
// to the first question, shown checked but not recorded.
func preselect(sv *surveys.Survey, raw string) (surveys.Answers, int, bool) {
	if raw == "" || len(sv.Questions) == 0 {
		return nil, 0, false
	}
	q := sv.Questions[0]
	lo, hi, ok := q.Kind.Scale()
	n, err := strconv.Atoi(raw)
	if !ok || err != nil || n < lo || n > hi {
		return nil, 0, false
	}
	return surveys.Answers{q.Key: {Value: &n}}, n, true
}
