package templates

// RatingLink is one button of the one-click rating row of an email.
type RatingLink struct {
	Value int
	URL   string
}

// Invitation is the content of a survey invitation email.
type Invitation struct {
	// Name is the customer's name, empty when unknown.
	Name string
	// Question is the survey's first question, shown above the rating row.
	Question string
	// Ratings are the one-click links of the first question's scale.
	Ratings   []RatingLink
	SurveyURL string
	// ExpiresOn is the link's expiry date, written for the recipient's locale.
	ExpiresOn string
	// UnsubscribeURL stops every survey to this customer.
	UnsubscribeURL string
}
