package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/followup/followup/comments"
	"github.com/followup/followup/complaints"
	"github.com/followup/followup/corrections"
	"github.com/followup/followup/internal/reportfix"
	"github.com/followup/followup/internal/testenv"
	"github.com/followup/followup/surveys"
)

// TestCommentsExport writes the replies agents corrected as a corpus file
// that the training reads back: the reading's labels with the corrections
// applied, the reply's language, its comment on one line; --since keeps
// the replies corrected from that day.
func TestCommentsExport(t *testing.T) {
	s := testenv.NewSchema(t)
	t.Setenv("FOLLOWUP_DATABASE_URL", s.URL)
	t.Setenv("FOLLOWUP_REPORT_TIME_ZONE", "UTC")
	ctx := context.Background()
	f := reportfix.New(t, s.DB)
	agent := f.User("lea@example.com", "Léa", "cx")
	store := corrections.NewStore(s.DB, surveys.NewStore(s.DB), complaints.NewStore(s.DB, complaints.DefaultPolicy()), corrections.Options{})
	reply := func(at time.Time, locale, comment, signals string, negative bool) int64 {
		overall := 80.0
		if negative {
			overall = 30
		}
		id := f.Reply(reportfix.Reply{At: at, Overall: &overall, Negative: negative})
		if _, err := s.DB.Exec(`UPDATE responses SET comment = $2, locale = $3, signals = $4 WHERE id = $1`, id, comment, locale, signals); err != nil {
			t.Fatal(err)
		}
		return id
	}
	nov := func(d int) time.Time { return time.Date(2026, 11, d, 12, 0, 0, 0, time.UTC) }
	rude := reply(nov(1), "fr", "Bande de voleurs,\nje pars chez un concurrent.", `[{"kind":"incivility","term":"voleur*","evidence":"voleurs","confidence":0.93}]`, true)
	joke := reply(nov(1), "en", "My lawyer friend loved the delivery!", `[{"kind":"legal","term":"lawyer","evidence":"lawyer","confidence":0.55}]`, true)
	missed := reply(nov(1), "en", "Fine, but next time it is a Google review.", `[]`, false)
	empty := reply(nov(1), "en", "", `[]`, true)
	for _, c := range []struct {
		id   int64
		kind corrections.Kind
		at   time.Time
	}{
		{rude, corrections.MissedLeave, nov(10)},
		{joke, corrections.NotComplaint, nov(10)},
		{empty, corrections.NotComplaint, nov(10)},
		{missed, corrections.MissedPublic, nov(20)},
	} {
		if _, err := store.Add(ctx, c.id, agent, c.kind, c.at); err != nil {
			t.Fatal(err)
		}
	}
	r := func(id int64, lang string, labels [5]bool, text string) comments.Row {
		return comments.Row{ID: fmt.Sprintf("r%d", id), Lang: lang, Labels: labels, Text: text}
	}
	all := []comments.Row{
		r(rude, "fr", [5]bool{true, false, false, true, true}, "Bande de voleurs, je pars chez un concurrent."),
		r(joke, "en", [5]bool{}, "My lawyer friend loved the delivery!"),
		r(missed, "en", [5]bool{true, true, false, false, false}, "Fine, but next time it is a Google review."),
	}

	for _, tc := range []struct {
		name string
		args []string
		want []comments.Row
	}{
		{"every correction", nil, all},
		{"since a day", []string{"--since", "2026-11-15"}, all[2:]},
		{"since the day of the first", []string{"--since", "2026-11-10"}, all},
	} {
		out := filepath.Join(t.TempDir(), "corrected.tsv")
		var stdout, stderr bytes.Buffer
		if err := cmdCommentsExport(ctx, append([]string{"--out", out}, tc.args...), &stdout, &stderr); err != nil {
			t.Fatalf("%s: %v\n%s", tc.name, err, stderr.String())
		}
		if want := fmt.Sprintf("%d corrected replies written to %s\n", len(tc.want), out); stdout.String() != want {
			t.Errorf("%s: stdout %q, want %q", tc.name, stdout.String(), want)
		}
		file, err := os.Open(out)
		if err != nil {
			t.Fatal(err)
		}
		got, err := comments.ReadCorpus(file)
		file.Close()
		if err != nil {
			t.Fatalf("%s: the export does not read back: %v", tc.name, err)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tc.name, got, tc.want)
		}
	}

	// Without --out, the corpus goes to standard output.
	var stdout, stderr bytes.Buffer
	if err := cmdCommentsExport(ctx, []string{"--since", "2026-11-15"}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("id\tlang\tnegative\tpublic\tlegal\tleave\tincivility\ttext\nr%d\ten\t1\t1\t0\t0\t0\tFine, but next time it is a Google review.\n", missed)
	if stdout.String() != want || stderr.String() != "1 corrected replies written\n" {
		t.Errorf("stdout %q\nstderr %q", stdout.String(), stderr.String())
	}

	for _, bad := range [][]string{{"--since", "15/11/2026"}, {"extra"}} {
		stderr.Reset()
		if err := cmdCommentsExport(ctx, bad, &stdout, &stderr); !errors.Is(err, errUsage) || stderr.Len() == 0 {
			t.Errorf("%q: %v, stderr %q", bad, err, stderr.String())
		}
	}
}
