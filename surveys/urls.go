package surveys

import (
	"net/url"
	"strconv"
	"time"
)

// Links builds the personal URLs sent to customers. The web package serves
// the same paths.
type Links struct {
	Signer *Signer
	// Base is the public URL of the HTTP server.
	Base *url.URL
}

// SurveyPath is the path prefix of survey pages: SurveyPath + token.
const SurveyPath = "/s/"

// Survey returns the survey page URL of an invitation.
func (l Links) Survey(invitationID int64, expires time.Time) string {
	return l.Base.String() + SurveyPath + l.Signer.Sign(PurposeSurvey, invitationID, expires)
}

// Rating returns the survey page URL with value pre-selected on the first
// question: the one-click rating of the email. Opening it records nothing.
func (l Links) Rating(invitationID int64, expires time.Time, value int) string {
	return l.Survey(invitationID, expires) + "?score=" + strconv.Itoa(value)
}

// UnsubscribePath is the path prefix of unsubscribe links: UnsubscribePath + token.
const UnsubscribePath = "/u/"

// PreviewUnsubscribePath is the unsubscribe page of previews and test
// emails: it shows what a customer sees and records nothing.
const PreviewUnsubscribePath = "/preview/unsubscribe"

// PreviewUnsubscribe returns the unsubscribe URL of previews and test
// emails, in locale.
func (l Links) PreviewUnsubscribe(locale string) string {
	return l.Base.String() + PreviewUnsubscribePath + "?lang=" + url.QueryEscape(locale)
}

// UnsubscribeTTL is how long an unsubscribe link works: long, because
// people unsubscribe from old emails too.
const UnsubscribeTTL = 2 * 365 * 24 * time.Hour

// Unsubscribe returns the unsubscribe URL of an invitation's customer. The
// same URL serves the List-Unsubscribe one-click POST (RFC 8058).
func (l Links) Unsubscribe(invitationID int64, now time.Time) string {
	return l.Base.String() + UnsubscribePath + l.Signer.Sign(PurposeUnsubscribe, invitationID, now.Add(UnsubscribeTTL).Truncate(24*time.Hour))
}
