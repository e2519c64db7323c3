package demo

import (
	"context"

	"regexp"
	"strconv"
	"strings"

	"github.com/followup/followup/app"
	"github.com/followup/followup/mail/capture"
)

// emailKind is one kind of email the summary counts, in the order it
// lists them.
type emailKind struct {
	one, many string
}

var emailKinds = []emailKind{
	{"survey invitation", "survey invitations"},
	{"reminder", "reminders"},
	{"acknowledgement", "acknowledgements"},
	{"reply from the CX agent", "replies from the CX agent"},
	{"resolution", "resolutions"},
	{"alert email to the team", "alert emails to the team"},
	{"weekly report", "weekly reports"},
	{"other", "others"},
}

// emailCount is how many emails of each kind went out during the run, read
// from the SMTP capture: what was really sent, whatever its kind.
type emailCount struct {
	Total  int
	ByKind map[string]int // emailKind.one -> n
}

// String lists the kinds sent: "24 survey invitations, 9 acknowledgements, 1 resolution".
func (c emailCount) String() string {
	var parts []string
	for _, k := range emailKinds {
		n := c.ByKind[k.one]
		switch {
		case n == 1:
			parts = append(parts, "1 "+k.one)
		case n > 1:
			parts = append(parts, strconv.Itoa(n)+" "+k.many)
		}
	}
	return strings.Join(parts, ", ")
}

var (
	invitationID = regexp.MustCompile(`^<invitation-\d+(-r\d+)?@`)
	complaintID  = regexp.MustCompile(`^<complaint-\d+-m(\d+)@`)
)

// countEmails sorts the captured messages by kind, from their Message-ID
// (each kind of email has its own) and, for complaint emails, the kind of
// the complaint message it carries.
func countEmails(ctx context.Context, a *app.App, msgs []*capture.Message) emailCount {
	kinds := map[int64]string{}
	var rows []struct {
		ID   int64  `db:"id"`
		Kind string `db:"kind"`
	}
	if err := a.DB.SelectContext(ctx, &rows, `SELECT id, kind FROM complaint_messages WHERE state = 'sent'`); err == nil {
		for _, r := range rows {
			kinds[r.ID] = r.Kind
		}
	}
	c := emailCount{ByKind: map[string]int{}}
	for _, m := range msgs {
		c.Total++
		c.ByKind[classify(m, kinds)]++
	}
	return c
}

func classify(m *capture.Message, complaintKinds map[int64]string) string {
	p, err := m.Parsed()
	if err != nil {
		return "other"
	}
	id := p.Header.Get("Message-Id")
	switch {
	case invitationID.MatchString(id):
		if invitationID.FindStringSubmatch(id)[1] != "" {
			return "reminder"
		}
		return "survey invitation"
	case complaintID.MatchString(id):
		mid, _ := strconv.ParseInt(complaintID.FindStringSubmatch(id)[1], 10, 64)
		switch complaintKinds[mid] {
		case "acknowledgement":
			return "acknowledgement"
		case "reply":
			return "reply from the CX agent"
		case "resolution":
			return "resolution"
		}
	case strings.HasPrefix(id, "<alert-"):
		return "alert email to the team"
	case strings.HasPrefix(id, "<report-"):
		return "weekly report"
	}
	return "other"
}

// after keeps the messages captured after sequence number seq.
func after(msgs []*capture.Message, seq int) []*capture.Message {
	var out []*capture.Message
	for _, m := range msgs {
		if m.Seq > seq {
			out = append(out, m)
		}
	}
	return out
}
