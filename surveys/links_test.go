package surveys

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestLinks(t *testing.T) {
	key := []byte(strings.Repeat("k", 32))
	old := []byte(strings.Repeat("o", 32))
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	exp := now.Add(time.Hour)
	s, err := NewSigner(key, old)
	if err != nil {
		t.Fatal(err)
	}
	previous, _ := NewSigner(old)
	stranger, _ := NewSigner([]byte(strings.Repeat("s", 32)))
	tok := s.Sign(PurposeSurvey, 42, exp)
	parts := strings.Split(tok, ".")

	cases := []struct {
		name    string
		purpose Purpose
		token   string
		at      time.Time
		err     error
	}{
		{"valid", PurposeSurvey, tok, now, nil},
		{"signed with the previous key", PurposeSurvey, previous.Sign(PurposeSurvey, 42, exp), now, nil},
		{"expired", PurposeSurvey, tok, exp, ErrLinkExpired},
		{"other purpose", PurposeUnsubscribe, tok, now, ErrLinkTampered},
		{"other id", PurposeSurvey, "43." + parts[1] + "." + parts[2], now, ErrLinkTampered},
		{"later expiry", PurposeSurvey, parts[0] + ".9999999999." + parts[2], now, ErrLinkTampered},
		{"stranger's key", PurposeSurvey, stranger.Sign(PurposeSurvey, 42, exp), now, ErrLinkTampered},
		{"truncated signature", PurposeSurvey, tok[:len(tok)-2], now, ErrLinkTampered},
		{"empty", PurposeSurvey, "", now, ErrLinkTampered},
		{"extra part", PurposeSurvey, tok + ".x", now, ErrLinkTampered},
		{"negative id", PurposeSurvey, "-1." + parts[1] + "." + parts[2], now, ErrLinkTampered},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := s.Verify(tc.purpose, tc.token, tc.at)
			if !errors.Is(err, tc.err) {
				t.Fatalf("err %v, want %v", err, tc.err)
			}
			if err == nil && (c.InvitationID != 42 || !c.ExpiresAt.Equal(exp)) {
				t.Errorf("claims %+v", c)
			}
		})
	}
	if _, err := NewSigner([]byte("short")); err == nil {
		t.Error("a short key must be refused")
	}
}
