package customers_test

import (
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/followup/followup/customers"
	"github.com/followup/followup/internal/testenv"
)

// TestSuppressionKeepsALongReplyWhole: a mail server's reply longer than
// the 500 characters kept, with an accent where a cut by bytes would fall
// (byte 500 is inside "é"), is stored cut between two characters: a cut
// character is garbage that PostgreSQL refuses, and the bounce would not be
// recorded at all.
func TestSuppressionKeepsALongReplyWhole(t *testing.T) {
	t.Parallel()
	s := testenv.NewSchema(t)
	st := customers.NewStore(s.DB)
	ctx := context.Background()
	reply := "550 " + strings.Repeat("é", 400) // 804 bytes, 404 characters
	for _, tc := range []struct {
		email, detail string
		want          int // characters kept
	}{
		{"short@x.test", reply, 404},
		{"long@x.test", "5" + reply + reply, 500},
	} {
		if err := st.SuppressAddress(ctx, tc.email, customers.SuppressedBounced, tc.detail, time.Now()); err != nil {
			t.Fatalf("suppress %s: %v", tc.email, err)
		}
		var detail string
		if err := s.DB.GetContext(ctx, &detail, `SELECT detail FROM email_suppressions WHERE email = $1`, tc.email); err != nil {
			t.Fatal(err)
		}
		if !utf8.ValidString(detail) || utf8.RuneCountInString(detail) != tc.want || !strings.HasPrefix(tc.detail, detail) {
			t.Errorf("%s: kept %d characters (valid %v), want the first %d", tc.email, utf8.RuneCountInString(detail), utf8.ValidString(detail), tc.want)
		}
	}
}
