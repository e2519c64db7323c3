package surveys

import (
	"fmt"
	"regexp"
	"slices"

	"github.com/followup/followup/invalid"
)

// Dimension is what a question measures.
type Dimension string

// The three dimensions of justice after a service failure, plus overall
// satisfaction and questions that measure none of them.
const (
	// Distributive is the fairness of the outcome: refund, replacement,
	// "I got what I deserved".
	Distributive Dimension = "distributive"
	// Procedural is the fairness of the process: speed, flexibility, ease of
	// reaching the right person.
	Procedural Dimension = "procedural"
	// Interactional is how the customer was treated: courtesy, empathy,
	// honesty, explanations.
	Interactional Dimension = "interactional"
	// Overall is overall satisfaction (and, on a 0–10 scale, the NPS item).
	Overall Dimension = "overall"
	// NoDimension marks choice and free-text questions.
	NoDimension Dimension = "none"
)

// JusticeDimensions lists the three dimensions of justice in display order.
var JusticeDimensions = []Dimension{Distributive, Procedural, Interactional}

// Kind is the answer format of a question.
type Kind string

// Question kinds.
const (
	Likert5  Kind = "likert5"  // 1 (strongly disagree) to 5 (strongly agree)
	Likert7  Kind = "likert7"  // 1 to 7
	Rating10 Kind = "rating10" // 0 to 10
	Single   Kind = "single"   // one option
	Multi    Kind = "multi"    // any options
	Text     Kind = "text"     // free text
)

// Scale returns the lowest and highest value of a scale question; ok is false
// for choice and text questions.
func (k Kind) Scale() (lo, hi int, ok bool) {
	switch k {
	case Likert5:
		return 1, 5, true
	case Likert7:
		return 1, 7, true
	case Rating10:
		return 0, 10, true
	}
	return 0, 0, false
}

// Localized is a text in each locale ("en", "fr").
type Localized map[string]string

// In returns the text in locale, falling back to English.
func (l Localized) In(locale string) string {
	if s, ok := l[locale]; ok && s != "" {
		return s
	}
	return l["en"]
}

// Option is one answer of a choice question.
type Option struct {
	Key   string    `json:"key"`
	Label Localized `json:"label"`
	// Risk is the risk of dissatisfaction this answer reveals, if any.
	Risk string `json:"risk,omitempty"`
}

// Question is one item of a survey version. Once answered it never changes:
// editing a survey creates a new version.
type Question struct {
	ID        int64     `json:"id,omitempty"`
	Key       string    `json:"key"`
	Kind      Kind      `json:"kind"`
	Dimension Dimension `json:"dimension"`
	// Reverse marks items worded negatively ("I was bounced between
	// departments"): agreeing lowers the score.
	Reverse  bool      `json:"reverse,omitempty"`
	Required bool      `json:"required,omitempty"`
	Text     Localized `json:"text"`
	Options  []Option  `json:"options,omitempty"`
}

// Thresholds are the scores (0–100) under which a reply is negative.
type Thresholds map[Dimension]float64

// DefaultThreshold applies to a dimension with no threshold of its own.
const DefaultThreshold = 50

// For returns the threshold of a dimension.
func (t Thresholds) For(d Dimension) float64 {
	if v, ok := t[d]; ok {
		return v
	}
	return DefaultThreshold
}

// Survey is one version of a survey definition.
type Survey struct {
	ID         int64      `json:"id"`
	VersionID  int64      `json:"version_id"`
	Version    int        `json:"version"`
	Slug       string     `json:"slug"`
	Name       string     `json:"name"`
	Thresholds Thresholds `json:"thresholds"`
	Questions  []Question `json:"questions"`
}

// Question returns the question with key, or nil.
func (s *Survey) Question(key string) *Question {
	for i := range s.Questions {
		if s.Questions[i].Key == key {
			return &s.Questions[i]
		}
	}
	return nil
}

var (
	slugRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)
	keyRE  = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`)
)

// Validate checks a survey definition before it is stored. It reports
// every problem at once (an invalid.Fields, in the order of the
// definition: name, slug, thresholds, then each question), so an editor
// or an API client fixes them all in one go. A question's fields are
// addressed like "questions[2].text.fr" or "questions[4].options[1].risk".
func (s *Survey) Validate() error {
	var fs invalid.Fields
	if s.Name == "" || len(s.Name) > 200 {
		fs.Add("name", "is required (at most 200 characters)")
	}
	if !slugRE.MatchString(s.Slug) {
		fs.Add("slug", "must be lower-case letters, digits and dashes")
	}
	dims := make([]Dimension, 0, len(s.Thresholds))
	for d := range s.Thresholds {
		dims = append(dims, d)
	}
	slices.Sort(dims)
	for _, d := range dims {
		switch v := s.Thresholds[d]; {
		case d != Overall && !isJustice(d):
			fs.Add("thresholds."+string(d), "is not a dimension (distributive, procedural, interactional, overall)")
		case v < 0 || v > 100:
			fs.Add("thresholds."+string(d), "must be between 0 and 100")
		}
	}
	switch {
	case len(s.Questions) == 0:
		fs.Add("questions", "at least one question is required")
	case len(s.Questions) > 100:
		// Checking each of thousands of questions would only say more of
		// the same: the count is the problem to fix first.
		fs.Add("questions", "at most 100 questions")
		return fs.Err()
	}
	seen := map[string]bool{}
	for i, q := range s.Questions {
		f := fmt.Sprintf("questions[%d]", i)
		switch {
		case !keyRE.MatchString(q.Key):
			fs.Add(f+".key", "must be lower-case letters, digits and underscores, starting with a letter")
		case seen[q.Key]:
			fs.Add(f+".key", fmt.Sprintf("%q is used twice", q.Key))
		}
		seen[q.Key] = true
		q.validate(f, &fs)
	}
	return fs.Err()
}

// validate adds the problems of one question, named f, apart from its key.
func (q Question) validate(f string, fs *invalid.Fields) {
	for _, loc := range []string{"en", "fr"} {
		if q.Text[loc] == "" {
			fs.Add(f+".text."+loc, "needs wording in en and fr")
		}
	}
	locs := make([]string, 0, len(q.Text))
	for loc := range q.Text {
		if loc != "en" && loc != "fr" {
			locs = append(locs, loc)
		}
	}
	if len(locs) > 0 {
		slices.Sort(locs)
		fs.Add(f+".text", fmt.Sprintf("%q is not a supported language (en, fr)", locs[0]))
	}
	_, _, scale := q.Kind.Scale()
	switch {
	case scale:
		if q.Dimension == NoDimension || q.Dimension == "" {
			fs.Add(f+".dimension", "a scale question measures distributive, procedural, interactional or overall")
		} else if !isJustice(q.Dimension) && q.Dimension != Overall {
			fs.Add(f+".dimension", fmt.Sprintf("%q is not a dimension", q.Dimension))
		}
		if len(q.Options) > 0 {
			fs.Add(f+".options", "only choice questions have options")
		}
	case q.Kind == Single || q.Kind == Multi:
		q.validateOptions(f, fs)
	case q.Kind == Text:
		if len(q.Options) > 0 {
			fs.Add(f+".options", "only choice questions have options")
		}
	default:
		// What else is wrong depends on the kind meant: say the kind alone.
		fs.Add(f+".kind", "must be likert5, likert7, rating10, single, multi or text")
		return
	}
	if !scale && q.Dimension != NoDimension && q.Dimension != "" {
		fs.Add(f+".dimension", "only scale questions measure a dimension")
	}
	if !scale && q.Reverse {
		fs.Add(f+".reverse", "only scale questions can be reverse-scored")
	}
}

// validateOptions adds the problems of a choice question's options.
func (q Question) validateOptions(f string, fs *invalid.Fields) {
	if len(q.Options) < 2 {
		fs.Add(f+".options", "a choice question needs at least two options")
	}
	okeys := map[string]bool{}
	for j, o := range q.Options {
		of := fmt.Sprintf("%s.options[%d]", f, j)
		if !keyRE.MatchString(o.Key) || okeys[o.Key] {
			fs.Add(of+".key", "must be unique lower-case letters, digits and underscores")
		}
		okeys[o.Key] = true
		if o.Label["en"] == "" || o.Label["fr"] == "" {
			fs.Add(of+".label", "needs wording in en and fr")
		}
		if o.Risk != "" && !IsRisk(Risk(o.Risk)) {
			fs.Add(of+".risk", fmt.Sprintf("%q is not one of the 13 risks of dissatisfaction", o.Risk))
		}
	}
}

func isJustice(d Dimension) bool {
	for _, j := range JusticeDimensions {
		if d == j {
			return true
		}
	}
	return false
}
