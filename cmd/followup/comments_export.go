package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/followup/followup/comments"
	"github.com/followup/followup/config"
	"github.com/followup/followup/corrections"
)

const commentsExportUsage = `usage: followup comments export [--out FILE.tsv] [--since YYYY-MM-DD]

Writes the replies whose comment reading agents corrected, in the corpus
format (id, lang, negative, public, legal, leave, incivility, text): the
labels the reading stored, with the agents' corrections applied. --since
keeps the replies corrected from that day on (in FOLLOWUP_REPORT_TIME_ZONE);
without --out the file goes to standard output.
`

// cmdCommentsExport runs "followup comments export": the corrections are
// read by the corrections package and written by comments.WriteCorpus.
func cmdCommentsExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var out, since string
	cfg, fs, err := loadConfig("comments export", args, stderr, config.Options{}, func(fs *flag.FlagSet) {
		fs.StringVar(&out, "out", "", "the file to write (FILE.tsv); standard output when empty")
		fs.StringVar(&since, "since", "", "keep the replies corrected from this day on (YYYY-MM-DD)")
	})
	if err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "followup comments export: unexpected %q\n%s", fs.Arg(0), commentsExportUsage)
		return errUsage
	}
	var from time.Time
	if since != "" {
		loc := cfg.Reports.TimeZone
		if loc == nil {
			loc = time.UTC
		}
		if from, err = time.ParseInLocation("2006-01-02", since, loc); err != nil {
			fmt.Fprintf(stderr, "followup comments export: --since: %q is not a day such as 2026-12-01\n", since)
			return errUsage
		}
	}
	db, err := sqlx.Open("postgres", cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := corrections.NewStore(db, nil, nil, corrections.Options{}).Export(ctx, from)
	if err != nil {
		return err
	}
	if out == "" {
		if err := comments.WriteCorpus(stdout, rows); err != nil {
			return fmt.Errorf("write the corpus: %w", err)
		}
		fmt.Fprintf(stderr, "%d corrected replies written\n", len(rows))
		return nil
	}
	// Written beside the target, then renamed: a failure never leaves half
	// a corpus where a training run would read it.
	tmp, err := os.CreateTemp(filepath.Dir(out), ".followup-export-*.tsv")
	if err != nil {
		return fmt.Errorf("write %s: %w", out, err)
	}
	defer os.Remove(tmp.Name())
	if err := comments.WriteCorpus(tmp, rows); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", out, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", out, err)
	}
	if err := os.Rename(tmp.Name(), out); err != nil {
		return fmt.Errorf("write %s: %w", out, err)
	}
	fmt.Fprintf(stdout, "%d corrected replies written to %s\n", len(rows), out)
	return nil
}
