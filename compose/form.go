package compose

import (
	"html"
	"strings"
	"sync"

	"github.com/followup/followup/surveys"
	"github.com/followup/followup/templates"
)

// A form is an email rendered once with placeholders where each recipient's
// own values go (name, links, expiry date). Filling it is a few string
// copies, where running the templates for every message of a blast would
// cost far more than sending it. Forms never hold recipients: memory stays
// flat however large the campaign.
type form struct {
	subject, preheader string
	text, html         []piece
}

// piece is literal text, or a slot for a recipient's value.
type piece struct {
	lit  string
	slot slot
}

type slot int

const (
	literal slot = iota
	slotName
	slotSurveyURL
	slotUnsubscribeURL
	slotExpires
)

// Placeholders are plain letters: every template context (text, HTML,
// attributes, URLs) keeps them intact.
var placeholders = map[slot]string{
	slotName:           "zqzNAMEzqz",
	slotSurveyURL:      "https://zqzsurveyzqz.invalid/s",
	slotUnsubscribeURL: "https://zqzunsubscribezqz.invalid/u",
	slotExpires:        "zqzEXPIRESzqz",
}

type formKey struct {
	version int64
	locale  string
	// template is the email's template (invitation, reminder, recovery).
	template string
	named    bool
}

type formCache struct {
	mu    sync.Mutex
	forms map[formKey]*form
}

// get returns the form for key, rendering it on first use. Survey versions
// never change, so a form stays valid for the life of the process.
func (fc *formCache) get(key formKey, render func(templates.Invitation) (templates.Email, error), sv *surveys.Survey) (*form, error) {
	fc.mu.Lock()
	f, ok := fc.forms[key]
	fc.mu.Unlock()
	if ok {
		return f, nil
	}
	data := templates.Invitation{SurveyURL: placeholders[slotSurveyURL], UnsubscribeURL: placeholders[slotUnsubscribeURL],
		ExpiresOn: placeholders[slotExpires]}
	if key.named {
		data.Name = placeholders[slotName]
	}
	fillRatings(&data, sv, key.locale)
	e, err := render(data)
	if err != nil {
		return nil, err
	}
	f = &form{subject: e.Subject, preheader: e.Preheader, text: split(e.Text), html: split(e.HTML)}
	fc.mu.Lock()
	if fc.forms == nil {
		fc.forms = map[formKey]*form{}
	}
	fc.forms[key] = f
	fc.mu.Unlock()
	return f, nil
}

// split cuts rendered text at the placeholders.
func split(s string) []piece {
	var out []piece
	for len(s) > 0 {
		at, which := -1, literal
		for sl, ph := range placeholders {
			if i := strings.Index(s, ph); i >= 0 && (at < 0 || i < at) {
				at, which = i, sl
			}
		}
		if at < 0 {
			out = append(out, piece{lit: s})
			break
		}
		if at > 0 {
			out = append(out, piece{lit: s[:at]})
		}
		out = append(out, piece{slot: which})
		s = s[at+len(placeholders[which]):]
	}
	return out
}

// values are one recipient's.
type values struct {
	name, surveyURL, unsubscribeURL, expires string
}

// fill writes pieces with v; escape is for the HTML part.
func fill(pieces []piece, v values, escape bool) string {
	var b strings.Builder
	n := 0
	for _, p := range pieces {
		n += len(p.lit)
	}
	b.Grow(n + 512)
	for _, p := range pieces {
		var s string
		switch p.slot {
		case literal:
			b.WriteString(p.lit)
			continue
		case slotName:
			s = v.name
		case slotSurveyURL:
			s = v.surveyURL
		case slotUnsubscribeURL:
			s = v.unsubscribeURL
		case slotExpires:
			s = v.expires
		}
		if escape {
			s = html.EscapeString(s)
		}
		b.WriteString(s)
	}
	return b.String()
}
