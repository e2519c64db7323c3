package surveys

import (
	"errors"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzVerify: any token, genuine or not, is either verified or refused with
// ErrLinkTampered or ErrLinkExpired, never a panic; a token signed for an
// id and expiry verifies back to them, for its purpose only.
func FuzzVerify(f *testing.F) {
	key := []byte(strings.Repeat("k", 32))
	old := []byte(strings.Repeat("o", 32))
	s, err := NewSigner(key, old)
	if err != nil {
		f.Fatal(err)
	}
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	for _, tok := range []string{
		s.Sign(PurposeSurvey, 42, now.Add(time.Hour)),
		s.Sign(PurposeUnsubscribe, 7, now.Add(-time.Hour)),
		"", ".", "..", "1.2.3", "42.1795000000.", "-1.1.AAAA", "9223372036854775808.1.x", "1.2.3.4",
		"42.1795000000.\x00", "42.1795000000.%FF", "\xff.\xfe.\xfd",
	} {
		f.Add(tok, int64(42), int64(3600))
	}
	f.Fuzz(func(t *testing.T, token string, id int64, ttl int64) {
		for _, p := range []Purpose{PurposeSurvey, PurposeUnsubscribe} {
			c, err := s.Verify(p, token, now)
			if err != nil && !errors.Is(err, ErrLinkTampered) && !errors.Is(err, ErrLinkExpired) {
				t.Fatalf("Verify(%q): untyped error %v", token, err)
			}
			if err == nil && c.InvitationID <= 0 {
				t.Fatalf("Verify(%q) accepted invitation %d", token, c.InvitationID)
			}
		}
		if id <= 0 {
			return
		}
		exp := time.Unix(now.Unix()+ttl%(10*365*24*3600), 0)
		tok := s.Sign(PurposeSurvey, id, exp)
		c, err := s.Verify(PurposeSurvey, tok, now)
		switch {
		case exp.After(now) && err != nil:
			t.Fatalf("a genuine token for %d until %s: %v", id, exp, err)
		case !exp.After(now) && !errors.Is(err, ErrLinkExpired):
			t.Fatalf("a token expired at %s: %v, want ErrLinkExpired", exp, err)
		case c.InvitationID != id || !c.ExpiresAt.Equal(exp):
			t.Fatalf("round trip: got %d until %s, signed %d until %s", c.InvitationID, c.ExpiresAt, id, exp)
		}
		if _, err := s.Verify(PurposeUnsubscribe, tok, now); !errors.Is(err, ErrLinkTampered) {
			t.Fatalf("a survey token verified as an unsubscribe token: %v", err)
		}
	})
}

// FuzzParseForm: any submitted form gives answers and problems about the
// survey's own questions only, values inside their scale, known options,
// valid UTF-8 texts, and never a panic; scoring what was read never
// panics either.
func FuzzParseForm(f *testing.F) {
	sv := Default()
	good := url.Values{}
	for _, q := range sv.Questions {
		switch {
		case q.Kind == Text:
			good.Set(q.Key, "The delivery was late and the driver was rude.")
		case len(q.Options) > 0:
			good.Set(q.Key, q.Options[0].Key)
		default:
			if lo, _, ok := q.Kind.Scale(); ok {
				good.Set(q.Key, strconv.Itoa(lo))
			}
		}
	}
	f.Add(good.Encode())
	f.Add("")
	f.Add("overall=11&comment=%00%FF&lang=fr")
	f.Add("overall=-1&overall=3&comment=" + strings.Repeat("é", MaxTextLength+1))
	f.Add("%zz=1&a=%")
	f.Fuzz(func(t *testing.T, raw string) {
		form, _ := url.ParseQuery(raw) // what ParseForm keeps of a bad query
		answers, problems := sv.ParseForm(form)
		for key, a := range answers {
			q := sv.Question(key)
			if q == nil {
				t.Fatalf("answer to %q, not a question of the survey", key)
			}
			if lo, hi, ok := q.Kind.Scale(); ok && (a.Value == nil || *a.Value < lo || *a.Value > hi) {
				t.Fatalf("answer to %q outside its scale %d–%d: %v", key, lo, hi, a.Value)
			}
			if !utf8.ValidString(a.Text) {
				t.Fatalf("answer to %q is not valid UTF-8: %q", key, a.Text)
			}
			if q.Kind == Single && !q.hasOption(a.Text) {
				t.Fatalf("answer to %q is no option: %q", key, a.Text)
			}
		}
		for key, p := range problems {
			if sv.Question(key) == nil {
				t.Fatalf("problem %s with %q, not a question of the survey", p, key)
			}
		}
		if len(problems) == 0 {
			sv.ScoreIn(answers, "fr")
		}
	})
}
