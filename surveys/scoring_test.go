package surveys

import (
	"encoding/json"
	"errors"
	"net/url"
	"reflect"
	"strconv"
	"testing"

	"github.com/followup/followup/invalid"
)

func ptr(v int) *int { return &v }

// agreeAll answers every Likert item of the default survey with v, mirrored
// on reverse items so each item expresses the same opinion.
func agreeAll(v int) Answers {
	a := Answers{}
	for _, q := range Default().Questions {
		if q.Kind == Likert5 {
			x := v
			if q.Reverse {
				x = 6 - v
			}
			a[q.Key] = Answer{Value: ptr(x)}
		}
	}
	return a
}

func TestItemScore(t *testing.T) {
	cases := []struct {
		q    Question
		v    int
		want float64
		ok   bool
	}{
		{Question{Kind: Likert5}, 1, 0, true},
		{Question{Kind: Likert5}, 3, 50, true},
		{Question{Kind: Likert5}, 5, 100, true},
		{Question{Kind: Likert5, Reverse: true}, 5, 0, true},
		{Question{Kind: Likert5, Reverse: true}, 2, 75, true},
		{Question{Kind: Likert7}, 4, 50, true},
		{Question{Kind: Likert7}, 7, 100, true},
		{Question{Kind: Rating10}, 0, 0, true},
		{Question{Kind: Rating10}, 7, 70, true},
		{Question{Kind: Likert5}, 6, 0, false},
		{Question{Kind: Likert5}, 0, 0, false},
		{Question{Kind: Text}, 3, 0, false},
	}
	for _, tc := range cases {
		got, ok := ItemScore(tc.q, tc.v)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ItemScore(%s reverse=%v, %d) = %v, %v; want %v, %v", tc.q.Kind, tc.q.Reverse, tc.v, got, ok, tc.want, tc.ok)
		}
	}
}

func TestScore(t *testing.T) {
	sv := Default()
	with := func(a Answers, kv ...any) Answers {
		out := Answers{}
		for k, v := range a {
			out[k] = v
		}
		for i := 0; i+1 < len(kv); i += 2 {
			out[kv[i].(string)] = kv[i+1].(Answer)
		}
		return out
	}
	cases := []struct {
		name     string
		answers  Answers
		scores   map[Dimension]float64
		nps      string
		negative bool
		reasons  []string
		risks    []Risk
	}{
		{
			name:    "delighted",
			answers: with(agreeAll(5), "overall", Answer{Value: ptr(10)}),
			scores:  map[Dimension]float64{Distributive: 100, Procedural: 100, Interactional: 100, Overall: 100},
			nps:     Promoter,
		},
		{
			name:     "furious",
			answers:  with(agreeAll(1), "overall", Answer{Value: ptr(0)}, "what_went_wrong", Answer{Choices: []string{"money", "arrogance", "money"}}),
			scores:   map[Dimension]float64{Distributive: 0, Procedural: 0, Interactional: 0, Overall: 0},
			nps:      Detractor,
			negative: true,
			reasons:  []string{"low_score:distributive", "low_score:procedural", "low_score:interactional", "low_score:overall", "detractor:overall"},
			risks:    []Risk{RiskAttitude, RiskFinancial},
		},
		{
			name: "fair outcome, slow process",
			answers: with(agreeAll(4), "overall", Answer{Value: ptr(7)},
				"quick", Answer{Value: ptr(1)}, "flexible", Answer{Value: ptr(2)}, "reach", Answer{Value: ptr(1)}, "bounced", Answer{Value: ptr(5)}),
			// procedural: (0 + 25 + 0 + 0) / 4
			scores:   map[Dimension]float64{Distributive: 75, Procedural: 6.25, Interactional: 75, Overall: 70},
			nps:      Passive,
			negative: true,
			reasons:  []string{"low_score:procedural"},
		},
		{
			name:     "good scores but a detractor rating",
			answers:  with(agreeAll(4), "overall", Answer{Value: ptr(6)}),
			scores:   map[Dimension]float64{Distributive: 75, Procedural: 75, Interactional: 75, Overall: 60},
			nps:      Detractor,
			negative: true,
			reasons:  []string{"detractor:overall"},
		},
		{
			name:    "exactly at the threshold is not negative",
			answers: with(agreeAll(3), "overall", Answer{Value: ptr(7)}),
			scores:  map[Dimension]float64{Distributive: 50, Procedural: 50, Interactional: 50, Overall: 70},
			nps:     Passive,
		},
		{
			name:    "nothing answered",
			answers: Answers{},
			scores:  map[Dimension]float64{},
		},
		{
			name:    "no overall item: overall is the mean of the dimensions",
			answers: with(agreeAll(5), "courtesy", Answer{Value: ptr(1)}, "empathy", Answer{Value: ptr(1)}, "honesty", Answer{Value: ptr(1)}),
			scores:  map[Dimension]float64{Distributive: 100, Procedural: 100, Interactional: 0, Overall: 66.67},
			// interactional 0 < 50
			negative: true,
			reasons:  []string{"low_score:interactional"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := sv.Score(tc.answers)
			if !reflect.DeepEqual(res.Scores, tc.scores) {
				t.Errorf("scores %v, want %v", res.Scores, tc.scores)
			}
			if res.NPSCategory != tc.nps {
				t.Errorf("NPS category %q, want %q", res.NPSCategory, tc.nps)
			}
			if res.Negative != tc.negative {
				t.Errorf("negative %v, want %v", res.Negative, tc.negative)
			}
			var reasons []string
			for _, r := range res.Reasons {
				reasons = append(reasons, r.Kind+":"+string(r.Dimension))
			}
			if !reflect.DeepEqual(reasons, tc.reasons) {
				t.Errorf("reasons %v, want %v", reasons, tc.reasons)
			}
			if tc.risks == nil {
				tc.risks = []Risk{}
			}
			if !reflect.DeepEqual(res.Risks, tc.risks) {
				t.Errorf("risks %v, want %v", res.Risks, tc.risks)
			}
		})
	}
}

func TestThresholdsArePerSurvey(t *testing.T) {
	sv := Default()
	sv.Thresholds = Thresholds{Procedural: 80}
	res := sv.Score(agreeAll(4)) // 75 everywhere
	if !res.Negative || len(res.Reasons) != 1 || res.Reasons[0].Dimension != Procedural || res.Reasons[0].Threshold != 80 {
		t.Errorf("with a procedural threshold of 80, a 75 must be negative on procedural only: %+v", res.Reasons)
	}
}

func TestParseForm(t *testing.T) {
	sv := Default()
	full := url.Values{"overall": {"8"}, "comment": {"  Merci\r\n beaucoup  "}, "what_went_wrong": {"delays", "", "delays", "money"}}
	for k, v := range agreeAll(4) {
		full.Set(k, string(rune('0'+*v.Value)))
	}
	a, p := sv.ParseForm(full)
	if len(p) != 0 {
		t.Fatalf("complete form has problems: %v", p)
	}
	if *a["overall"].Value != 8 || a["comment"].Text != "Merci\n beaucoup" || !reflect.DeepEqual(a["what_went_wrong"].Choices, []string{"delays", "money"}) {
		t.Errorf("parsed %+v", a)
	}

	bad := url.Values{"overall": {"11"}, "quick": {"x"}, "flexible": {"3"}, "what_went_wrong": {"nope"}}
	a, p = sv.ParseForm(bad)
	// The items of justice are optional: only what is wrong is a problem.
	want := Problems{"overall": ProblemInvalid, "quick": ProblemInvalid, "what_went_wrong": ProblemInvalid}
	if !reflect.DeepEqual(p, want) {
		t.Errorf("problems %v, want %v", p, want)
	}
	// The rating alone is a reply; a question marketing marked required
	// still must be answered.
	if _, p := sv.ParseForm(url.Values{"overall": {"2"}}); len(p) != 0 {
		t.Errorf("the rating alone: problems %v", p)
	}
	strict := Default()
	strict.Question("courtesy").Required = true
	if _, p := strict.ParseForm(url.Values{"overall": {"2"}}); !reflect.DeepEqual(p, Problems{"courtesy": ProblemRequired}) {
		t.Errorf("a required item left blank: problems %v", p)
	}
	if *a["flexible"].Value != 3 {
		t.Errorf("valid answers must be kept next to problems: %+v", a)
	}

	long := url.Values{"comment": {stringOf('é', MaxTextLength+1)}}
	_, p = sv.ParseForm(long)
	if p["comment"] != ProblemTooLong {
		t.Errorf("a comment over %d characters: %v", MaxTextLength, p["comment"])
	}
}

func stringOf(r rune, n int) string {
	b := make([]rune, n)
	for i := range b {
		b[i] = r
	}
	return string(b)
}

func TestAnswersJSONRoundTrip(t *testing.T) {
	in := Answers{"overall": {Value: ptr(0)}, "comment": {Text: "ok"}, "what_went_wrong": {Choices: []string{"a", "b"}}, "pick": {Text: "x"}}
	raw, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var out Answers
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(in, out) {
		t.Errorf("round trip: %s gave %+v", raw, out)
	}
}

func TestDefaultSurveyIsValid(t *testing.T) {
	sv := Default()
	if err := sv.Validate(); err != nil {
		t.Fatal(err)
	}
	per := map[Dimension]int{}
	risks := map[string]bool{}
	for _, q := range sv.Questions {
		per[q.Dimension]++
		for _, o := range q.Options {
			if o.Risk != "" {
				risks[o.Risk] = true
			}
		}
	}
	for _, d := range JusticeDimensions {
		if per[d] < 3 {
			t.Errorf("dimension %s has %d items, want at least 3", d, per[d])
		}
	}
	if len(risks) != len(Risks) {
		t.Errorf("the what-went-wrong question covers %d risks, want all %d", len(risks), len(Risks))
	}
}

func TestValidateRefusesBadDefinitions(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(*Survey)
		field string
	}{
		{"bad slug", func(s *Survey) { s.Slug = "Bad Slug" }, "slug"},
		{"no questions", func(s *Survey) { s.Questions = nil }, "questions"},
		{"duplicate key", func(s *Survey) { s.Questions[1].Key = s.Questions[0].Key }, "questions[1].key"},
		{"missing French", func(s *Survey) { s.Questions[2].Text = Localized{"en": "x"} }, "questions[2].text.fr"},
		{"scale without dimension", func(s *Survey) { s.Questions[1].Dimension = NoDimension }, "questions[1].dimension"},
		{"text with dimension", func(s *Survey) { s.Questions[len(s.Questions)-1].Dimension = Procedural }, "questions[" + strconv.Itoa(len(Default().Questions)-1) + "].dimension"},
		{"reverse choice", func(s *Survey) { s.Questions[len(s.Questions)-2].Reverse = true }, "questions[" + strconv.Itoa(len(Default().Questions)-2) + "].reverse"},
		{"unknown kind", func(s *Survey) { s.Questions[0].Kind = "slider" }, "questions[0].kind"},
		{"threshold out of range", func(s *Survey) { s.Thresholds = Thresholds{Overall: 120} }, "thresholds.overall"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := Default()
			tc.edit(&s)
			err := s.Validate()
			var fs invalid.Fields
			if !errors.As(err, &fs) || len(fs) != 1 || fs[0].Field != tc.field {
				t.Errorf("got %v, want one problem, with %s", err, tc.field)
			}
		})
	}
}
