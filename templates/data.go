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

// ComplaintEmail is the content of an email to a customer about their
// complaint: the acknowledgement, an agent's reply or the resolution.
type ComplaintEmail struct {
	// Name is the customer's name, empty when unknown.
	Name string
	// Reference is the complaint's number as the customer sees it ("#12").
	Reference string
	// Owner is who will contact the customer, empty when the team has not
	// named someone yet; Team is the team that served them.
	Owner, Team string
	// DueOn is the deadline, written for the customer's locale and zone.
	DueOn string
	// Promise is by when the customer will be contacted, said as a person
	// would in their locale and zone ("demain avant 11 h", "by 11:00
	// tomorrow"; see FormatPromise).
	Promise string
	// Body is an agent's reply, as written.
	Body string
	// Summary is what was done, on resolution.
	Summary string
	// Deviation is why a new acknowledgement follows a double deviation
	// ("promise_missed", "recovery_negative"): it opens with an apology.
	// Empty for the first acknowledgement.
	Deviation string
	// Agent signs replies and resolutions.
	Agent string
}

// ReplyDraft is what a reply template is filled with.
type ReplyDraft struct {
	Name, Agent, Reference, DueOn string
	// Topic is what went wrong, in the customer's language.
	Topic string
}
