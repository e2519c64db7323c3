package customers_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/followup/followup/customers"
	"github.com/followup/followup/internal/testenv"
	"github.com/followup/followup/invalid"
)

// TestSearch finds customers by part of a name or email whatever the case
// and accents, and by their exact reference; LIKE's wildcards typed by
// the agent are plain characters.
func TestSearch(t *testing.T) {
	t.Parallel()
	s := testenv.NewSchema(t)
	store := customers.NewStore(s.DB)
	ctx := context.Background()
	if _, err := store.SaveCustomers(ctx, []customers.CustomerInput{
		{ExternalRef: "C-1001", Email: "zoe.tremblay@example.com", Name: "Zoé Tremblay", Locale: "fr"},
		{ExternalRef: "C-1002", Email: "helene.lefevre@example.fr", Name: "Hélène Lefèvre", Locale: "fr"},
		{ExternalRef: "C-1003", Email: "sam_100%@example.com", Name: "Sam Carter"},
		{ExternalRef: "C-10", Email: "other@example.com", Name: "Ann C-1001"},
	}); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		q    string
		want []string
	}{
		{"tremblay", []string{"C-1001"}},
		{"ZOE", []string{"C-1001"}},
		{"zoé", []string{"C-1001"}},
		{"lefevre", []string{"C-1002"}},
		{"LEFÈVRE", []string{"C-1002"}},
		{"@example.fr", []string{"C-1002"}},
		{"C-1001", []string{"C-1001", "C-10"}}, // the exact reference first, then the name containing it
		{"100%", []string{"C-1003"}},
		{"sam_", []string{"C-1003"}},
		{"s%m", nil},
		{"nobody-like-this", nil},
	}
	for _, c := range cases {
		got, err := store.Search(ctx, c.q, 0)
		if err != nil {
			t.Fatalf("%q: %v", c.q, err)
		}
		var refs []string
		for _, m := range got {
			refs = append(refs, m.ExternalRef)
		}
		if strings.Join(refs, ",") != strings.Join(c.want, ",") {
			t.Errorf("search %q: %v, want %v", c.q, refs, c.want)
		}
	}
	for _, q := range []string{"", "   ", "a\nb", strings.Repeat("x", customers.MaxSearch+1)} {
		var fe *invalid.FieldError
		if _, err := store.Search(ctx, q, 0); !errors.As(err, &fe) || fe.Field != "q" {
			t.Errorf("search %q: %v, want an error on q", q, err)
		}
	}
}
