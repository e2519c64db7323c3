package inbound

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"fmt"
	"mime"
	"net/mail"
	"net/textproto"
	"regexp"
	"strings"

	"github.com/jhillyerd/enmime/v2"
)

// What a message turns out to be.
const (
	// KindReply is a person's reply.
	KindReply = "reply"
	// KindAutoReply is an automatic answer (RFC 3834, out of office): it is
	// recorded, alerts no one and is never answered.
	KindAutoReply = "auto_reply"
	// KindBounce is a permanent delivery failure.
	KindBounce = "bounce"
	// KindDelay is a temporary delivery failure (or a delay warning): it
	// changes nothing.
	KindDelay = "delay"
	// KindSpamReport is a spam complaint (ARF, RFC 5965).
	KindSpamReport = "spam_report"
)

// Attachment is a file a customer sent with a reply.
type Attachment struct {
	// Name is the sender's file name made safe (SafeFilename).
	Name string
	// DeclaredType is the type the sender declared; Sniffed the one the
	// first bytes show (Sniff).
	DeclaredType, Sniffed string
	Size                  int
	// SHA256 is the digest of the file's bytes, dropped or not.
	SHA256 [32]byte
	// Data is nil for a file left out for its size.
	Data []byte
}

// Parsed is what a message says.
type Parsed struct {
	Kind    string
	From    string
	Subject string
	// Text is the whole text (the text part, or the HTML turned to text).
	Text string
	// NewWords is Text without the quoted original and the signature.
	NewWords string
	// Status is the delivery report's status (5.1.1) and Diagnostic its
	// explanation, for a bounce or a delay.
	Status, Diagnostic string
	// Attachments are the files within the size limit, in the order of the
	// message; Dropped are those left out for their size (no Data).
	Attachments []Attachment
	Dropped     []Attachment
}

// ParseOptions tune Parse.
type ParseOptions struct {
	// MaxAttachment is the largest file kept (default 10 MB,
	// FOLLOWUP_INBOUND_ATTACHMENT_MAX); a larger one is dropped, the reply
	// kept.
	MaxAttachment int
	// NullSender is true when the envelope sender was empty (<>), as for
	// delivery reports.
	NullSender bool
}

// Parse decodes a raw message (charsets, quoted-printable, base64, HTML
// turned to text) and says what it is: a reply, an auto-reply, a delivery
// report (RFC 3464, and the plain-text forms of the big providers) or a
// spam report (ARF).
func Parse(raw []byte, opts ParseOptions) (*Parsed, error) {
	if opts.MaxAttachment <= 0 {
		opts.MaxAttachment = 10 << 20
	}
	env, err := enmime.NewParser(enmime.SkipMalformedParts(true)).ReadEnvelope(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("parse message: %w", err)
	}
	p := &Parsed{Subject: strings.TrimSpace(env.GetHeader("Subject")), Text: strings.TrimSpace(env.Text)}
	if from, err := env.AddressList("From"); err == nil && len(from) > 0 {
		p.From = strings.ToLower(from[0].Address)
	} else if a, err := mail.ParseAddress(env.GetHeader("From")); err == nil {
		p.From = strings.ToLower(a.Address)
	}
	root := env.Root
	ct, params, _ := mime.ParseMediaType(env.GetHeader("Content-Type"))
	report := strings.ToLower(params["report-type"])
	switch {
	case ct == "multipart/report" && report == "feedback-report":
		p.Kind = KindSpamReport
	case ct == "multipart/report" && (report == "delivery-status" || report == "global-delivery-status"):
		p.readDSN(root)
	case isAutoReply(env, p.Subject):
		p.Kind = KindAutoReply
	case looksLikeBounce(env, p, opts.NullSender):
		p.readPlainBounce()
	default:
		p.Kind = KindReply
	}
	p.NewWords = NewWords(p.Text)
	if p.Kind == KindReply {
		for _, a := range append(append([]*enmime.Part{}, env.Attachments...), env.Inlines...) {
			if len(a.Content) == 0 || (a.FileName == "" && strings.HasPrefix(a.ContentType, "text/")) {
				continue
			}
			sniffed := Sniff(a.Content)
			f := Attachment{Name: SafeFilename(a.FileName, sniffed), DeclaredType: strings.ToLower(a.ContentType), Sniffed: sniffed,
				Size: len(a.Content), SHA256: sha256.Sum256(a.Content)}
			if f.Size > opts.MaxAttachment {
				p.Dropped = append(p.Dropped, f)
				continue
			}
			f.Data = a.Content
			p.Attachments = append(p.Attachments, f)
		}
	}
	return p, nil
}

// readDSN reads an RFC 3464 report: a failed action with a 5.x.x status is
// a bounce; a delayed one, or a 4.x.x status, is a delay.
func (p *Parsed) readDSN(root *enmime.Part) {
	p.Kind = KindBounce
	recipients := deliveryStatus(root)
	if len(recipients) == 0 {
		p.readPlainBounce()
		return
	}
	r := recipients[0]
	for _, cand := range recipients {
		if strings.EqualFold(strings.TrimSpace(cand.Get("Action")), "failed") {
			r = cand
			break
		}
	}
	p.Status = strings.TrimSpace(r.Get("Status"))
	p.Diagnostic = strings.TrimSpace(r.Get("Diagnostic-Code"))
	action := strings.ToLower(strings.TrimSpace(r.Get("Action")))
	if action != "failed" || strings.HasPrefix(p.Status, "4") {
		p.Kind = KindDelay
	}
}

// deliveryStatus reads the per-recipient fields of the report's
// message/delivery-status part (RFC 3464: blocks of fields separated by
// blank lines, the first one per message).
func deliveryStatus(root *enmime.Part) []textproto.MIMEHeader {
	var part *enmime.Part
	for c := root.FirstChild; c != nil; c = c.NextSibling {
		if c.ContentType == "message/delivery-status" || c.ContentType == "message/global-delivery-status" {
			part = c
			break
		}
	}
	if part == nil {
		return nil
	}
	r := textproto.NewReader(bufio.NewReader(bytes.NewReader(part.Content)))
	var out []textproto.MIMEHeader
	for first := true; ; first = false {
		h, err := r.ReadMIMEHeader()
		if len(h) > 0 && !first && (h.Get("Final-Recipient") != "" || h.Get("Action") != "") {
			out = append(out, h)
		} else if len(h) > 0 && first && h.Get("Final-Recipient") != "" {
			out = append(out, h) // a report without per-message fields
		}
		if err != nil {
			return out
		}
	}
}

var (
	autoSubjectRE = regexp.MustCompile(`(?i)^(automatic reply|auto-?reply|autoreply|out of (the )?office|réponse automatique|absent|absence|auto)\b\s*:?`)
	bounceFromRE  = regexp.MustCompile(`(?i)^(mailer-daemon|postmaster|mail-daemon|mailerdaemon)@`)
	bounceSubjRE  = regexp.MustCompile(`(?i)(undeliver|undelivered mail|delivery status notification|mail delivery (failed|failure|subsystem)|returned mail|failure notice|delivery (has )?failed|non remis|message non remis|échec de (la )?remise|could not be delivered|delivery delayed|delayed mail|warning: could not send)`)
	delaySubjRE   = regexp.MustCompile(`(?i)(\(delay\)|delayed|still being retried|warning: could not send|retard de remise)`)
	statusRE      = regexp.MustCompile(`\b([245])\.(\d{1,3})\.(\d{1,3})\b`)
	smtpCodeRE    = regexp.MustCompile(`(?m)\b([45])\d\d[ -]`)
)

// isAutoReply follows RFC 3834 (Auto-Submitted other than "no") and the
// headers and subjects of the common vacation responders.
func isAutoReply(env *enmime.Envelope, subject string) bool {
	if as := strings.ToLower(strings.TrimSpace(env.GetHeader("Auto-Submitted"))); as != "" && as != "no" {
		return true
	}
	if env.GetHeader("X-Autoreply") != "" || env.GetHeader("X-Autorespond") != "" || env.GetHeader("X-Auto-Response-Suppress") != "" && autoSubjectRE.MatchString(subject) {
		return true
	}
	switch strings.ToLower(strings.TrimSpace(env.GetHeader("Precedence"))) {
	case "auto_reply", "bulk", "junk":
		return true
	}
	return autoSubjectRE.MatchString(subject)
}

// looksLikeBounce recognises the delivery reports that are not RFC 3464:
// from a mailer daemon, or with a failure subject, or with the null sender.
func looksLikeBounce(env *enmime.Envelope, p *Parsed, nullSender bool) bool {
	return bounceFromRE.MatchString(p.From) || bounceSubjRE.MatchString(p.Subject) ||
		(nullSender && statusRE.MatchString(p.Text))
}

// readPlainBounce reads the status from the words of a non-standard
// report: an enhanced status code (5.1.1) first, else an SMTP code (550);
// without either, a delay subject is a delay and anything else a bounce.
func (p *Parsed) readPlainBounce() {
	p.Kind = KindBounce
	if m := statusRE.FindStringSubmatch(p.Text); m != nil && m[1] != "2" {
		p.Status = m[0]
		if m[1] == "4" {
			p.Kind = KindDelay
		}
	} else if m := smtpCodeRE.FindStringSubmatch(p.Text); m != nil {
		if m[1] == "4" {
			p.Kind = KindDelay
		}
	} else if delaySubjRE.MatchString(p.Subject) {
		p.Kind = KindDelay
	}
	if delaySubjRE.MatchString(p.Subject) && p.Kind == KindBounce && !strings.HasPrefix(p.Status, "5") {
		p.Kind = KindDelay
	}
	for _, line := range strings.Split(p.Text, "\n") {
		if smtpCodeRE.MatchString(line) || statusRE.MatchString(line) {
			p.Diagnostic = strings.TrimSpace(line)
			break
		}
	}
}
