package commenteval

import (
	"time"

	"github.com/followup/followup/comments"
	"github.com/followup/followup/complaints"
	"github.com/followup/followup/surveys"
)

// Judge decides comments as the product does for a reply with middle
// ratings.
type Judge struct {
	survey surveys.Survey
	policy complaints.Policy
	base   surveys.Answers
}

// New returns a Judge on the built-in questionnaire and the default
// complaint policy.
func New() *Judge {
	j := &Judge{survey: surveys.Default(), policy: complaints.DefaultPolicy(), base: surveys.Answers{}}
	for _, q := range j.survey.Questions {
		lo, hi, ok := q.Kind.Scale()
		if !ok {
			continue
		}
		mid := (lo + hi) / 2
		if q.Kind == surveys.Rating10 {
			// A 0–10 rating's middle, as the evaluation is specified: 7
			// (a passive, neither promoter nor detractor).
			mid = 7
		}
		v := mid
		j.base[q.Key] = surveys.Answer{Value: &v}
	}
	return j
}

// Decide returns the product's verdict on a comment in a reply of
// language lang with middle ratings: negative when the reply would be
// negative, escalation when its complaint would be raised for going public
// or legal, and each label as a signal of the reply.
func (j *Judge) Decide(text, lang string) comments.Verdict {
	a := make(surveys.Answers, len(j.base)+1)
	for k, v := range j.base {
		a[k] = v
	}
	a["comment"] = surveys.Answer{Text: text}
	res := j.survey.ScoreIn(a, lang)
	v := comments.Verdict{"negative": res.Negative}
	for _, s := range res.Signals {
		switch s.Kind {
		case surveys.SignalPublic, surveys.SignalLegal, surveys.SignalLeave, surveys.SignalIncivility:
			v[string(s.Kind)] = true
		}
	}
	if res.Negative {
		as := j.policy.Assess(res, complaints.Facts{}, time.Time{})
		for _, k := range as.Escalations {
			if k == surveys.SignalPublic || k == surveys.SignalLegal {
				v["escalation"] = true
			}
		}
	}
	return v
}

// Lexicon decides comments as followup did before the model: any phrase
// of the keyword lexicon (not negated) makes the reply negative, and its
// kinds are the signals. Kept to measure the model against it.
func Lexicon(text, _ string) comments.Verdict {
	signals, _ := comments.MatchLexicon(text)
	v := comments.Verdict{"negative": len(signals) > 0}
	for _, s := range signals {
		v[string(s.Kind)] = true
	}
	v["escalation"] = v["public"] || v["legal"]
	return v
}
