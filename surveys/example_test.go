package surveys_test

import (
	"fmt"

	"github.com/followup/followup/surveys"
)

// A reply to the built-in questionnaire: a fair welcome, but a slow,
// bounced-around process and an outcome that left the customer out of
// pocket. Each dimension of justice is the mean of its items on 0–100
// (reverse items inverted), overall is the 0–10 rating on 0–100. The reply
// is negative for every reason it gives: scores under their thresholds, a
// detractor's rating, and the comment's reading. The choices of "what went
// wrong" become risks of dissatisfaction.
func ExampleSurvey_Score() {
	sv := surveys.Default()
	n := func(v int) surveys.Answer { return surveys.Answer{Value: &v} }
	res := sv.Score(surveys.Answers{
		"overall":      n(3),
		"fair_outcome": n(2), "deserved": n(2), "put_right": n(2), "lost_out": n(5),
		"quick": n(1), "flexible": n(2), "reach": n(2), "bounced": n(4),
		"courtesy": n(4), "empathy": n(4), "honesty": n(3),
		"what_went_wrong": {Choices: []string{"delays", "money"}},
		"comment":         {Text: "Three weeks without news, and I paid for the repair myself."},
	})
	for _, d := range []surveys.Dimension{surveys.Distributive, surveys.Procedural, surveys.Interactional, surveys.Overall} {
		fmt.Printf("%s %.1f\n", d, res.Scores[d])
	}
	fmt.Println("nps", *res.NPS, res.NPSCategory)
	fmt.Println("negative:", res.Negative)
	for _, r := range res.Reasons {
		switch r.Kind {
		case "low_score":
			fmt.Printf("  because %s %.1f under %.0f\n", r.Dimension, r.Score, r.Threshold)
		case "detractor":
			fmt.Printf("  because a detractor's rating, %.0f/10\n", r.Score)
		case "signal":
			fmt.Printf("  because the comment shows %s (%q)\n", r.Signal, r.Evidence)
		}
	}
	fmt.Println("risks", res.Risks)
	// Output:
	// distributive 18.8
	// procedural 18.8
	// interactional 66.7
	// overall 30.0
	// nps 3 detractor
	// negative: true
	//   because distributive 18.8 under 50
	//   because procedural 18.8 under 50
	//   because overall 30.0 under 50
	//   because a detractor's rating, 3/10
	//   because the comment shows anger ("Three weeks without")
	// risks [financial temporal]
}
