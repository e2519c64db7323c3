package inbound_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/followup/followup/inbound"
)

// TestParseTellsWhatCameBack reads fixtures of the real formats: replies
// of the big mail clients (quoted-printable, Latin-1, HTML only, an
// attachment), auto-replies, delivery reports (RFC 3464 from Postfix,
// Gmail and Exchange, and the plain-text forms of Yahoo and Outlook) and
// an ARF spam report.
func TestParseTellsWhatCameBack(t *testing.T) {
	cases := []struct {
		file, kind, from, words, status string
		attachments                     int
	}{
		{"reply_gmail_fr_qp.eml", inbound.KindReply, "zoe@example.fr", "Toujours aucun remboursement, c'est inadmissible. Je vais le dire sur Facebook et porter plainte.", "", 0},
		{"reply_outlook_en_html_latin1.eml", inbound.KindReply, "sam@example.com", "The parcel arrived damaged, café stains everywhere.\n\nSam", "", 0},
		{"reply_apple_en_photo.eml", inbound.KindReply, "ana@icloud.com", "Here is a photo of the box.", "", 1},
		{"ooo_outlook_fr.eml", inbound.KindAutoReply, "paul@example.fr", "", "", 0},
		{"ooo_gmail_en.eml", inbound.KindAutoReply, "sam@gmail.com", "", "", 0},
		{"dsn_postfix.eml", inbound.KindBounce, "mailer-daemon@mx.example.com", "", "5.1.1", 0},
		{"dsn_postfix_real_unknown_user.eml", inbound.KindBounce, "mailer-daemon@mx.bounce.test", "", "5.1.1", 0},
		{"dsn_gmail.eml", inbound.KindBounce, "mailer-daemon@googlemail.com", "", "5.1.1", 0},
		{"dsn_delay_exchange.eml", inbound.KindDelay, "postmaster@outlook.com", "", "4.4.7", 0},
		{"bounce_yahoo_plain.eml", inbound.KindBounce, "mailer-daemon@yahoo.com", "", "", 0},
		{"bounce_outlook_fr_plain.eml", inbound.KindBounce, "postmaster@example.fr", "", "5.1.10", 0},
		{"arf_abuse.eml", inbound.KindSpamReport, "staff@hotmail.com", "", "", 0},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join("testdata", c.file))
			if err != nil {
				t.Fatal(err)
			}
			p, err := inbound.Parse(raw, inbound.ParseOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if p.Kind != c.kind || p.From != c.from {
				t.Errorf("kind %q from %q, want %q from %q", p.Kind, p.From, c.kind, c.from)
			}
			if c.words != "" && p.NewWords != c.words {
				t.Errorf("new words %q, want %q", p.NewWords, c.words)
			}
			if p.Status != c.status {
				t.Errorf("status %q, want %q", p.Status, c.status)
			}
			if len(p.Attachments) != c.attachments {
				t.Errorf("%d attachments, want %d", len(p.Attachments), c.attachments)
			}
		})
	}
}

// TestParseReadsARealPostfixReport reads the report a real Postfix 3.7
// sent back (app's TestRealPostfixBounceSuppressesTheAddress saved it, CRLF
// and all): a permanent failure for the unknown user, although Postfix
// marks its reports Auto-Submitted like an auto-reply.
func TestParseReadsARealPostfixReport(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "dsn_postfix_real_unknown_user.eml"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := inbound.Parse(raw, inbound.ParseOptions{NullSender: true})
	if err != nil {
		t.Fatal(err)
	}
	if p.Kind != inbound.KindBounce || p.Status != "5.1.1" || p.Diagnostic != `X-Postfix; unknown user: "unknown"` {
		t.Errorf("kind %q status %q diagnostic %q, want a 5.1.1 bounce for the unknown user", p.Kind, p.Status, p.Diagnostic)
	}
	if len(p.Attachments) != 0 {
		t.Errorf("the returned message was kept as %d attachments", len(p.Attachments))
	}
}

func TestLargeAttachmentsAreLeftOut(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "reply_apple_en_photo.eml"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := inbound.Parse(raw, inbound.ParseOptions{MaxAttachment: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Attachments) != 0 || len(p.Dropped) != 1 || p.Dropped[0].Name != "box.jpg" || p.Dropped[0].Data != nil {
		t.Errorf("attachments %d, dropped %v; want box.jpg dropped for its size", len(p.Attachments), p.Dropped)
	}
	if !strings.Contains(p.NewWords, "photo of the box") {
		t.Errorf("the words were lost with the attachment: %q", p.NewWords)
	}
}
