package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"
	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/followup/followup/clock"
	"github.com/followup/followup/config"
	"github.com/followup/followup/customers"
	"github.com/followup/followup/ingest"
	"github.com/followup/followup/scheduler"
)

const importUsage = `usage: followup import customers|events [flags] FILE.csv

Loads a CSV file (a header row naming the columns, in any order; "-" reads
standard input). Bad rows are reported with their line number and skipped;
the others are stored. Importing the same file again stores nothing new.
`

// rejectedError ends an import that skipped rows: the exit status says so.
type rejectedError struct{ rejected, read int }

func (e *rejectedError) Error() string {
	return fmt.Sprintf("%d of %d rows were rejected (listed above); the other rows were imported", e.rejected, e.read)
}

// cmdImport runs "followup import customers|events FILE.csv": the rows are
// read, validated and stored by the ingest package; this wires the
// database, the progress display and the report.
func cmdImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "customers" && args[0] != "events") {
		fmt.Fprint(stderr, importUsage)
		return errUsage
	}
	what, args := args[0], args[1:]
	// The file may come before or after the flags.
	var files []string
	if len(args) > 0 && (args[0] == "-" || !strings.HasPrefix(args[0], "-")) {
		files, args = append(files, args[0]), args[1:]
	}
	var chunk int
	var delimiter string
	var noProgress bool
	cfg, fs, err := loadConfig("import "+what, args, stderr, config.Options{}, func(fs *flag.FlagSet) {
		fs.IntVar(&chunk, "chunk-size", ingest.DefaultChunkSize, "rows stored per transaction")
		fs.StringVar(&delimiter, "delimiter", ",", `the field separator: one character, such as ";" or "\t" for tabs`)
		fs.BoolVar(&noProgress, "no-progress", false, "do not show progress")
	})
	if err != nil {
		return err
	}
	if files = append(files, fs.Args()...); len(files) != 1 {
		fmt.Fprint(stderr, importUsage)
		return errUsage
	}
	file := files[0]
	comma, err := parseDelimiter(delimiter)
	if err != nil {
		fmt.Fprintln(stderr, "followup: --delimiter:", err)
		return errUsage
	}
	if chunk < 1 || chunk > 100_000 {
		fmt.Fprintln(stderr, "followup: --chunk-size: expected a number of rows between 1 and 100000")
		return errUsage
	}

	in, size, err := openInput(file)
	if err != nil {
		return err
	}
	defer in.Close()

	db, err := sqlx.Open("postgres", cfg.DatabaseURL)
	if err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	defer db.Close()
	db.SetMaxOpenConns(4)
	if err := checkSchema(ctx, db); err != nil {
		return err
	}
	cs := customers.NewStore(db)
	g := ingest.New(scheduler.NewIntake(db, cs, scheduler.NewStore(db)), cs, clock.Real{})

	show := newProgress(stderr, size, what, noProgress)
	opts := ingest.ImportOptions{
		ChunkSize: chunk,
		Comma:     comma,
		OnRejected: func(r ingest.RowResult) {
			show.clear()
			fmt.Fprintf(stdout, "line %d: %s\n", r.Line, r.Reason())
		},
		OnProgress: show.update,
	}
	var sum ingest.Summary
	if what == "customers" {
		sum, err = g.ImportCustomers(ctx, in, opts)
	} else {
		sum, err = g.ImportEvents(ctx, in, opts)
	}
	show.finish()
	var he *ingest.HeaderError
	if errors.As(err, &he) {
		return fmt.Errorf("%s: %w: nothing was imported", file, he)
	}
	writeSummary(stdout, file, what, sum)
	if err != nil {
		return err
	}
	if sum.Rejected > 0 {
		return &rejectedError{rejected: sum.Rejected, read: sum.Read}
	}
	return nil
}

func writeSummary(w io.Writer, file, what string, s ingest.Summary) {
	fmt.Fprintf(w, "%s: %d rows read in %s (%.0f rows/s)\n", file, s.Read, s.Elapsed.Round(time.Millisecond), s.Rate())
	if what == "customers" {
		fmt.Fprintf(w, "  stored      %9d  (%d created, %d updated)\n", s.Stored, s.Created, s.Updated)
	} else {
		fmt.Fprintf(w, "  stored      %9d\n", s.Stored)
	}
	fmt.Fprintf(w, "  duplicates  %9d\n", s.Duplicates)
	fmt.Fprintf(w, "  rejected    %9d\n", s.Rejected)
	if what == "events" {
		fmt.Fprintf(w, "  invitations %9d  scheduled\n", s.Scheduled)
	}
}

func parseDelimiter(s string) (rune, error) {
	if s == `\t` || s == "tab" {
		return '\t', nil
	}
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || n != len(s) || r == utf8.RuneError || r == '"' || r == '\r' || r == '\n' {
		return 0, fmt.Errorf("expected one character other than a quote or a line break, got %q", s)
	}
	return r, nil
}

// openInput opens the file to import, or standard input for "-". size is
// -1 when unknown.
func openInput(name string) (io.ReadCloser, int64, error) {
	if name == "-" {
		return io.NopCloser(os.Stdin), -1, nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, 0, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	if st.IsDir() {
		f.Close()
		return nil, 0, fmt.Errorf("%s is a directory, not a CSV file", name)
	}
	return f, st.Size(), nil
}

// checkSchema tells a database that was never migrated from other failures.
func checkSchema(ctx context.Context, db *sqlx.DB) error {
	var found bool
	if err := db.GetContext(ctx, &found, `SELECT to_regclass('service_events') IS NOT NULL`); err != nil {
		return fmt.Errorf("connect to PostgreSQL (FOLLOWUP_DATABASE_URL): %w", err)
	}
	if !found {
		return errors.New("the database has no followup tables: run \"followup migrate up\" first")
	}
	return nil
}

// progress shows how far an import has gone: a bar on a terminal, a line
// every ten seconds otherwise (a log), nothing with --no-progress.
type progress struct {
	w     io.Writer
	bar   *progressbar.ProgressBar
	plain bool
	size  int64
	what  string
	last  time.Time
}

func newProgress(w io.Writer, size int64, what string, off bool) *progress {
	p := &progress{w: w, size: size, what: what, last: time.Now()}
	if off {
		return p
	}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.bar = progressbar.NewOptions64(size,
			progressbar.OptionSetWriter(w),
			progressbar.OptionSetDescription("importing "+what),
			progressbar.OptionShowBytes(true),
			progressbar.OptionShowTotalBytes(true),
			progressbar.OptionShowCount(),
			progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionSetRenderBlankState(true),
		)
		return p
	}
	p.plain = true
	return p
}

func (p *progress) update(pr ingest.Progress) {
	switch {
	case p.bar != nil:
		p.bar.Describe(fmt.Sprintf("importing %s: %d rows (%d stored, %d rejected)", p.what, pr.Read, pr.Stored, pr.Rejected))
		_ = p.bar.Set64(pr.Bytes)
	case p.plain && time.Since(p.last) >= 10*time.Second:
		p.last = time.Now()
		pct := ""
		if p.size > 0 {
			pct = fmt.Sprintf(" (%.0f%% of the file)", 100*float64(pr.Bytes)/float64(p.size))
		}
		fmt.Fprintf(p.w, "followup: %d rows read%s, %.0f rows/s\n", pr.Read, pct, pr.Rate())
	}
}

func (p *progress) clear() {
	if p.bar != nil {
		_ = p.bar.Clear()
	}
}

func (p *progress) finish() {
	if p.bar != nil {
		_ = p.bar.Finish()
	}
}
