package inbound_test

import (
	"context"
	"crypto/sha256"
	"testing"
	"time"

	"github.com/followup/followup/inbound"
	"github.com/followup/followup/internal/testenv"
)

// TestErasedAndPurgedMailLosesItsFiles: the photo a customer sent goes
// with their mail, whether the customer is erased or the mail outlives the
// retention period; the files of others' mail stay.
func TestErasedAndPurgedMailLosesItsFiles(t *testing.T) {
	t.Parallel()
	s := testenv.NewSchema(t)
	st := inbound.NewStore(s.DB)
	ctx := context.Background()
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	photo := []byte("\xff\xd8\xff\xe0 a parcel")
	store := func(from string, at time.Time) int64 {
		t.Helper()
		got, err := st.Receive(ctx, []inbound.Received{{Source: "smtp", Remote: "127.0.0.1", MailFrom: from,
			RcptTo: "c1-x@reply.example.test", Raw: []byte("From: " + from + "\r\nSubject: photo\r\n\r\nsee attached\r\n"), At: at}})
		if err != nil {
			t.Fatal(err)
		}
		id := got[0].ID
		p := &inbound.Parsed{Attachments: []inbound.Attachment{{Name: "parcel.jpg", DeclaredType: "image/jpeg",
			Sniffed: "image/jpeg", Size: len(photo), SHA256: sha256.Sum256(photo), Data: photo}}}
		if err := st.SaveAttachments(ctx, id, p, 1<<20); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Settle(ctx, id, inbound.Settled{State: "unmatched", Kind: "reply", From: from, Outcome: "kept"}, at); err != nil {
			t.Fatal(err)
		}
		return id
	}
	files := func(id int64) int {
		t.Helper()
		var n int
		if err := s.DB.Get(&n, `SELECT count(*) FROM inbound_attachments WHERE inbound_message_id = $1`, id); err != nil {
			t.Fatal(err)
		}
		return n
	}
	zoe := store("zoe@example.test", now)
	other := store("ann@example.test", now)
	old := store("old@example.test", now.AddDate(-2, 0, 0))

	tx := s.DB.MustBegin()
	if _, err := st.EraseMessages(ctx, tx, 0, "Zoe@Example.test"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.PurgeMessages(ctx, tx, now.AddDate(-1, 0, 0)); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if n := files(zoe); n != 0 {
		t.Errorf("the erased customer's mail keeps %d files, want none", n)
	}
	if n := files(old); n != 0 {
		t.Errorf("mail older than the retention period keeps %d files, want none", n)
	}
	if n := files(other); n != 1 {
		t.Errorf("another customer's recent mail keeps %d files, want 1", n)
	}
}
