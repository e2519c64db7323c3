package app_test

import (
	"fmt"
	"io"
	"net"
	"testing"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
)

type quietIMAP struct{}

func (quietIMAP) Printf(string, ...any) {}

// TestReplyThroughTheCompanyMailbox: a company that can only give a
// mailbox points FOLLOWUP_INBOUND_IMAP_URL at it; the customer's reply,
// delivered there by the company's mail server, is taken by the inbound
// role, lands on the complaint, and leaves the mailbox.
func TestReplyThroughTheCompanyMailbox(t *testing.T) {
	t.Parallel()
	mem := imapmemserver.New()
	u := imapmemserver.NewUser("replies", "secret")
	if err := u.Create("INBOX", nil); err != nil {
		t.Fatal(err)
	}
	mem.AddUser(u)
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps: imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapIMAP4rev2: {}}, InsecureAuth: true, Logger: quietIMAP{},
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { srv.Close() })

	h := startInbound(t, map[string]string{"FOLLOWUP_INBOUND_IMAP_URL": "imap+plain://replies:secret@" + ln.Addr().String() + "/INBOX",
		"FOLLOWUP_INBOUND_IMAP_INTERVAL": "5s"})
	seedCampaign(t, h)
	id, email := unhappy(t, h, "mailbox", "The parcel came a week late.", 3, 2)
	_, ack := captured(t, h, email, "We have received your request")
	rt := replyTo(t, ack)
	raw := fmt.Sprintf("Delivered-To: %s\r\nFrom: <%s>\r\nTo: Customer care <care@acme.test>\r\nSubject: Re: %s\r\nMessage-ID: <mailbox-1@example.com>\r\n\r\nThe courier never came back.\r\n",
		rt, email, ack.Subject)
	c, err := imapclient.DialInsecure(ln.Addr().String(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login("replies", "secret").Wait(); err != nil {
		t.Fatal(err)
	}
	cmd := c.Append("INBOX", int64(len(raw)), nil)
	if _, err := io.WriteString(cmd, raw); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the reply on the conversation", func() bool {
		return countOf(t, h, `SELECT count(*) FROM complaint_messages WHERE complaint_id = $1 AND direction = 'in' AND body = 'The courier never came back.'`, id) == 1
	})
	eventually(t, "the mailbox emptied", func() bool {
		st, err := c.Status("INBOX", &imap.StatusOptions{NumMessages: true}).Wait()
		return err == nil && st.NumMessages != nil && *st.NumMessages == 0
	})
}
