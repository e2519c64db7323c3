package route

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/followup/followup/clock"
	"github.com/followup/followup/complaints"
	"github.com/followup/followup/customers"
	"github.com/followup/followup/feedback"
	"github.com/followup/followup/inbound"
	"github.com/followup/followup/internal/trunc"
	"github.com/followup/followup/replies"
	"github.com/followup/followup/scheduler"
	"github.com/followup/followup/surveys"
)

// Router parses and routes stored inbound messages.
type Router struct {
	Inbound     *inbound.Store
	Customers   *customers.Store
	Invitations *scheduler.Store
	Surveys     *surveys.Store
	Replies     *replies.Service
	Loop        *feedback.Loop
	Clock       clock.Clock
	Log         *slog.Logger
	// ReopenWithin is how long after its resolution a reply reopens a
	// complaint (FOLLOWUP_INBOUND_REOPEN_WITHIN); 0 never reopens.
	ReopenWithin time.Duration
	// MaxAttachment is the largest attachment kept
	// (FOLLOWUP_INBOUND_ATTACHMENT_MAX, default 10 MB); a larger one is
	// dropped with a note, the reply kept.
	MaxAttachment int
}

// DefaultMaxAttachment is the largest attachment kept when MaxAttachment
// is not set.
const DefaultMaxAttachment = 10 << 20

func (r *Router) maxAttachment() int {
	if r.MaxAttachment > 0 {
		return r.MaxAttachment
	}
	return DefaultMaxAttachment
}

// Process parses message id and routes it, once: a message already
// settled is left as it is, and every change it makes is idempotent (the
// complaint's conversation keeps one entry per inbound message, a reply
// stored once per invitation, suppressions and opt-outs keep the first).
// A message that cannot be parsed is settled failed, its raw bytes kept.
// An error is returned only for what may heal (the database): retry.
func (r *Router) Process(ctx context.Context, id int64) error {
	m, err := r.Inbound.Load(ctx, id)
	if err != nil {
		return err
	}
	if m.State != inbound.StateReceived {
		return nil
	}
	now := r.Clock.Now()
	p, err := inbound.Parse(m.Raw, inbound.ParseOptions{MaxAttachment: r.maxAttachment(), NullSender: m.MailFrom == ""})
	if err != nil {
		r.Log.Warn("inbound message not parsed; kept", "message", id, "err", err)
		_, err := r.Inbound.Settle(ctx, id, inbound.Settled{State: inbound.StateFailed, Outcome: err.Error()}, now)
		return err
	}
	// The files are stored before anything else: wherever the reply lands
	// (a complaint, a survey answer, the unmatched list), they are beside it.
	if err := r.Inbound.SaveAttachments(ctx, id, p, r.maxAttachment()); err != nil {
		return err
	}
	st := inbound.Settled{Kind: p.Kind, From: p.From, Subject: p.Subject, Body: p.NewWords}
	if p.Kind != inbound.KindReply {
		st.Body = p.Text
	}
	to, err := r.Inbound.Addressee(ctx, m.Route())
	switch {
	case errors.Is(err, inbound.ErrNoAddressee):
		st.State, st.Outcome = inbound.StateUnmatched, "the address names nothing that exists"
		return r.settle(ctx, id, st, now)
	case err != nil:
		return err
	}
	st.State = inbound.StateRouted
	st.Outcome, err = r.route(ctx, m, p, to, now)
	if errors.Is(err, errUnmatched) {
		st.State = inbound.StateUnmatched
		err = nil
	}
	if err != nil {
		return fmt.Errorf("route inbound message %d: %w", id, err)
	}
	if n := len(p.Dropped); n > 0 {
		st.Outcome += fmt.Sprintf("; %d attachment(s) over the %s limit not kept", n, inbound.HumanSize(r.maxAttachment()))
	}
	return r.settle(ctx, id, st, now)
}

func (r *Router) settle(ctx context.Context, id int64, st inbound.Settled, now time.Time) error {
	if _, err := r.Inbound.Settle(ctx, id, st, now); err != nil {
		return err
	}
	r.Log.Info("inbound message routed", "message", id, "kind", st.Kind, "state", st.State, "outcome", st.Outcome)
	return nil
}

// errUnmatched marks a message routing leaves to the admins; the outcome
// says why.
var errUnmatched = errors.New("unmatched")

// route does what the message asks and says so in words.
func (r *Router) route(ctx context.Context, m inbound.Message, p *inbound.Parsed, to inbound.Addressee, now time.Time) (string, error) {
	switch p.Kind {
	case inbound.KindSpamReport:
		if err := r.Customers.OptOut(ctx, to.CustomerID, now); err != nil {
			return "", err
		}
		return "spam report: " + to.Email + " unsubscribed", nil
	case inbound.KindDelay:
		return "delivery delayed (" + p.Status + "): nothing changed", nil
	case inbound.KindBounce:
		return r.bounce(ctx, m, p, to, now)
	case inbound.KindAutoReply:
		if to.ComplaintID != nil {
			if _, err := r.Loop.CustomerEmailed(ctx, *to.ComplaintID, complaints.CustomerEmail{InboundID: m.ID, Subject: p.Subject,
				Body: p.NewWords, AutoReply: true, ReceivedAt: m.ReceivedAt}, r.ReopenWithin); err != nil {
				return "", err
			}
			return fmt.Sprintf("auto-reply recorded on complaint %d; no one alerted", *to.ComplaintID), nil
		}
		return "auto-reply recorded; no one alerted", nil
	}
	if strings.TrimSpace(p.NewWords) == "" {
		return "a reply with no new words: nothing to add", nil
	}
	if to.ComplaintID != nil {
		return r.complaintReply(ctx, m, p, to)
	}
	return r.surveyReply(ctx, m, p, to)
}

// bounce suppresses the address a permanent failure came back for and,
// for a survey email, ends its invitation as bounced.
func (r *Router) bounce(ctx context.Context, m inbound.Message, p *inbound.Parsed, to inbound.Addressee, now time.Time) (string, error) {
	detail := strings.TrimSpace("late bounce " + p.Status + " " + p.Diagnostic)
	if err := r.Customers.SuppressAddress(ctx, to.Email, customers.SuppressedBounced, detail, now); err != nil {
		return "", err
	}
	out := "bounce " + p.Status + ": " + to.Email + " suppressed"
	if to.InvitationID != nil {
		changed, err := r.Invitations.MarkBounced(ctx, *to.InvitationID, detail, now)
		if err != nil {
			return "", err
		}
		if changed {
			out += fmt.Sprintf(", invitation %d bounced", *to.InvitationID)
		}
	}
	return out, nil
}

// complaintReply puts the customer's words on the complaint's
// conversation, read as a survey comment is.
func (r *Router) complaintReply(ctx context.Context, m inbound.Message, p *inbound.Parsed, to inbound.Addressee) (string, error) {
	e, err := r.Loop.CustomerEmailed(ctx, *to.ComplaintID, complaints.CustomerEmail{InboundID: m.ID, Subject: p.Subject, Body: p.NewWords,
		ReceivedAt: m.ReceivedAt, Reading: Reading(p.NewWords, to.Locale)}, r.ReopenWithin)
	if err != nil {
		return "", err
	}
	out := fmt.Sprintf("reply on complaint %d", e.ComplaintID)
	if e.Reopened {
		out += ", reopened"
	}
	if e.Priority != e.FromPriority {
		out += fmt.Sprintf(", priority %s → %s", e.FromPriority, e.Priority)
	}
	return out, nil
}

// Reading reads words as the comment of a survey reply with no ratings:
// the same reading and decision (signals, risks) as a survey comment's.
func Reading(words, locale string) surveys.Result {
	sv := &surveys.Survey{Questions: []surveys.Question{{Key: "comment", Kind: surveys.Text}}}
	return sv.ScoreIn(surveys.Answers{"comment": {Text: words}}, locale)
}

// surveyReply stores the words as the invitation's answer comment: a
// reply scored, and its complaint opened when negative, as through the
// survey page; a partial reply is completed with them.
func (r *Router) surveyReply(ctx context.Context, m inbound.Message, p *inbound.Parsed, to inbound.Addressee) (string, error) {
	inv, err := r.Surveys.Invitation(ctx, *to.InvitationID)
	if err != nil {
		return "", err
	}
	sv, err := r.Surveys.Version(ctx, inv.SurveyVersionID)
	if err != nil {
		return "", err
	}
	key := ""
	for _, q := range sv.Questions {
		if q.Kind == surveys.Text {
			key = q.Key
			break
		}
	}
	if key == "" {
		return "the survey has no comment question", errUnmatched
	}
	answers := surveys.Answers{key: {Text: trunc.Runes(p.NewWords, surveys.MaxTextLength)}}
	var out replies.Outcome
	switch {
	case !inv.Answered():
		out, err = r.Replies.Submit(ctx, inv, sv, answers, inv.Locale)
	case inv.Partial():
		given, gerr := r.Surveys.Answers(ctx, inv.ID)
		if gerr != nil {
			return "", gerr
		}
		if prev := given[key].Text; prev != "" {
			answers[key] = surveys.Answer{Text: trunc.Runes(prev+"\n\n"+p.NewWords, surveys.MaxTextLength)}
		}
		out, err = r.Replies.Complete(ctx, inv, sv, answers, inv.Locale)
	default:
		return fmt.Sprintf("invitation %d was already answered in full", inv.ID), errUnmatched
	}
	if err != nil {
		return "", err
	}
	s := fmt.Sprintf("survey reply to invitation %d stored (response %d)", inv.ID, out.ResponseID)
	if out.Complaint != nil && out.Complaint.Created {
		s += fmt.Sprintf(", complaint %d opened", out.Complaint.ID)
	}
	return s, nil
}
