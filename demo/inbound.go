package demo

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	netmail "net/mail"
	"net/smtp"
	"strings"
	"time"

	"github.com/followup/followup/app"
	"github.com/followup/followup/mail/capture"
)

// twoWay is what the demo's customers sent back by email.
type twoWay struct {
	// Replied is the complaint whose customer answered the acknowledgement.
	Replied int64
	Words   string
	// Bounced is the address a relay reported undeliverable after
	// accepting its survey email.
	Bounced string
}

// replyWords are what the demo's customer writes back, per locale.
var replyWords = map[string]string{
	"en": "Thank you for writing, but nobody has called me yet. If this is not sorted out today I will post the whole story on Facebook.",
	"fr": "Merci pour votre message, mais personne ne m'a encore appelé. Si ce n'est pas réglé aujourd'hui, je raconte tout sur Facebook.",
}

// emailBack plays two customers' mail coming back over SMTP to the inbound
// listener at inboundAddr: one answers the acknowledgement of complaint id
// from their mail client (the reply quotes it, and carries a photo of the
// parcel), and the relay of another,
// silent one reports an hour later that their mailbox does not exist, as
// Postfix writes it, to the survey email's envelope sender. It waits until
// both have landed.
func emailBack(ctx context.Context, a *app.App, capt *capture.Server, inboundAddr string, id int64, silent *capture.Message) (twoWay, error) {
	var tw twoWay
	ack, err := complaintEmail(capt, id)
	if err != nil {
		return tw, err
	}
	p, err := ack.Parsed()
	if err != nil {
		return tw, err
	}
	rt, err := netmail.ParseAddress(p.Header.Get("Reply-To"))
	if err != nil {
		return tw, fmt.Errorf("reply-to of complaint %d's email: %w", id, err)
	}
	var locale string
	if err := a.DB.GetContext(ctx, &locale, `SELECT c.locale FROM complaints k JOIN customers c ON c.id = k.customer_id WHERE k.id = $1`, id); err != nil {
		return tw, fmt.Errorf("locale of complaint %d: %w", id, err)
	}
	tw.Replied, tw.Words = id, replyWords[locale]
	if tw.Words == "" {
		tw.Words = replyWords["en"]
	}
	from := strings.Trim(ack.To[0], "<>")
	quote := "On " + ack.ReceivedAt.Format("Mon, Jan 2, 2006 at 15:04") + " " + rt.String() + " wrote:"
	if locale == "fr" {
		quote = "Le " + ack.ReceivedAt.Format("02/01/2006 à 15:04") + ", " + rt.String() + " a écrit :"
	}
	photo, err := parcelPhoto()
	if err != nil {
		return tw, err
	}
	// The customer's mail client sends the words and a photo of the parcel.
	reply := fmt.Sprintf("From: <%s>\r\nTo: %s\r\nSubject: Re: %s\r\nMessage-ID: <demo-reply-%d@customer.example>\r\nIn-Reply-To: %s\r\n"+
		"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"demo-reply\"\r\n\r\n"+
		"--demo-reply\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n\r\n%s\r\n> %s\r\n"+
		"--demo-reply\r\nContent-Type: image/jpeg\r\nContent-Disposition: attachment; filename=\"parcel.jpg\"\r\nContent-Transfer-Encoding: base64\r\n\r\n%s\r\n"+
		"--demo-reply--\r\n",
		from, rt.String(), p.Subject, id, p.Header.Get("Message-Id"), tw.Words, quote, strings.ReplaceAll(strings.TrimSpace(p.Text()), "\n", "\r\n> "),
		base64Lines(photo))
	if err := smtp.SendMail(inboundAddr, nil, from, []string{rt.Address}, []byte(reply)); err != nil {
		return tw, fmt.Errorf("reply by email to complaint %d: %w", id, err)
	}
	if silent != nil {
		tw.Bounced = strings.Trim(silent.To[0], "<>")
		if err := smtp.SendMail(inboundAddr, nil, "", []string{silent.From}, postfixBounce(silent.From, tw.Bounced)); err != nil {
			return tw, fmt.Errorf("late bounce of %s: %w", tw.Bounced, err)
		}
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		var landed struct {
			Reply   int `db:"reply"`
			Alerted int `db:"alerted"`
			Bounced int `db:"bounced"`
			Photo   int `db:"photo"`
		}
		err := a.DB.GetContext(ctx, &landed, `SELECT
			(SELECT count(*) FROM complaint_messages WHERE complaint_id = $1 AND direction = 'in') AS reply,
			(SELECT count(*) FROM alerts WHERE complaint_id = $1 AND kind = 'customer_replied' AND email_delivered_at IS NOT NULL) AS alerted,
			(SELECT count(*) FROM email_suppressions WHERE email = lower($2)) AS bounced,
			(SELECT count(*) FROM complaint_messages m JOIN inbound_attachments f ON f.inbound_message_id = m.inbound_message_id
				WHERE m.complaint_id = $1 AND f.kept) AS photo`, id, tw.Bounced)
		if err != nil {
			return tw, fmt.Errorf("read the mail that came back: %w", err)
		}
		if landed.Reply > 0 && landed.Alerted > 0 && landed.Photo > 0 && (silent == nil || landed.Bounced > 0) {
			return tw, nil
		}
		if time.Now().After(deadline) {
			return tw, fmt.Errorf("the mail sent back had not landed after 30 s (%+v)", landed)
		}
		select {
		case <-ctx.Done():
			return tw, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// emailBackOne plays the mail coming back (emailBack) for the first
// complaint the demo's agent did not work, and the silent customer's
// survey email.
func emailBackOne(ctx context.Context, a *app.App, opts Options, sum summary, worked int64, silent *capture.Message) (twoWay, error) {
	for _, c := range sum.Complaints {
		if c.ID != worked {
			tw, err := emailBack(ctx, a, opts.Capture, opts.InboundListener.Addr().String(), c.ID, silent)
			if err != nil {
				return tw, fmt.Errorf("two-way email: %w", err)
			}
			return tw, nil
		}
	}
	return twoWay{}, nil
}

// parcelPhoto is the picture the demo's customer attaches: a small brown
// box on a grey floor, as a JPEG.
func parcelPhoto() ([]byte, error) {
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for y := range 48 {
		for x := range 64 {
			c := color.RGBA{R: 150, G: 150, B: 150, A: 255}
			if x > 16 && x < 48 && y > 12 && y < 40 {
				c = color.RGBA{R: 160, G: 110, B: 60, A: 255}
			}
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		return nil, fmt.Errorf("draw the parcel photo: %w", err)
	}
	return b.Bytes(), nil
}

// base64Lines is data in base64, 76 characters a line, as mail clients
// write it.
func base64Lines(data []byte) string {
	s := base64.StdEncoding.EncodeToString(data)
	var b strings.Builder
	for len(s) > 76 {
		b.WriteString(s[:76] + "\r\n")
		s = s[76:]
	}
	return b.String() + s
}

// complaintEmail is the first email captured about complaint id.
func complaintEmail(capt *capture.Server, id int64) (*capture.Message, error) {
	mark := []byte(fmt.Sprintf("X-Followup-Complaint: #%d\r\n", id))
	for _, m := range capt.Messages() {
		if bytes.Contains(m.Raw, mark) {
			return m, nil
		}
	}
	return nil, fmt.Errorf("no email about complaint %d was captured", id)
}

// postfixBounce is the delivery report Postfix sends when the mailbox does
// not exist (RFC 3464), to the envelope sender to.
func postfixBounce(to, rcpt string) []byte {
	return []byte(strings.ReplaceAll(fmt.Sprintf(`From: MAILER-DAEMON@mx.customer.example (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: %s
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="demo.bounce/mx.customer.example"
Message-Id: <demo-bounce@mx.customer.example>

--demo.bounce/mx.customer.example
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.customer.example.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<%s>: host mx.customer.example said: 550 5.1.1 <%s>: Recipient address rejected: User unknown in local recipient table

--demo.bounce/mx.customer.example
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.customer.example

Final-Recipient: rfc822; %s
Original-Recipient: rfc822;%s
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 <%s>: Recipient address rejected: User unknown in local recipient table

--demo.bounce/mx.customer.example--
`, to, rcpt, rcpt, rcpt, rcpt, rcpt), "\n", "\r\n"))
}
