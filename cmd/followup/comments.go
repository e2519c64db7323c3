package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/followup/followup/comments"
	"github.com/followup/followup/internal/commenteval"
)

const commentsUsage = `usage:
  followup comments eval FILE.tsv [--json] [--reader model|lexicon]
                                             measure the comment reading on a labelled file
  followup comments export [--out FILE.tsv] [--since DATE]
                                             write the replies agents corrected, in the corpus format
`

func cmdComments(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, commentsUsage)
		return errUsage
	}
	switch args[0] {
	case "eval":
		return cmdCommentsEval(args[1:], stdout, stderr)
	case "export":
		return cmdCommentsExport(ctx, args[1:], stdout, stderr)
	case "-h", "--help", "help":
		fmt.Fprint(stdout, commentsUsage)
		return nil
	}
	fmt.Fprintf(stderr, "followup comments: unknown command %q\n%s", args[0], commentsUsage)
	return errUsage
}

// evalReport is what `followup comments eval --json` prints.
type evalReport struct {
	N                 int                       `json:"n"`
	All               map[string]comments.Score `json:"all"`
	FR                map[string]comments.Score `json:"fr"`
	EN                map[string]comments.Score `json:"en"`
	CommentsPerSecond float64                   `json:"comments_per_second"`
}

func cmdCommentsEval(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("comments eval", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print one JSON object")
	reader := fs.String("reader", "model", "what reads the comments: model (the product's decision) or lexicon (the keyword list used before the model, for comparison)")
	var files []string
	// The file may come before or after --json.
	for len(args) > 0 {
		if err := fs.Parse(args); err != nil {
			return errUsage
		}
		args = fs.Args()
		if len(args) > 0 {
			files = append(files, args[0])
			args = args[1:]
		}
	}
	if len(files) != 1 {
		fmt.Fprint(stderr, "followup comments eval: name one file\n"+commentsUsage)
		return errUsage
	}
	f, err := os.Open(files[0])
	if err != nil {
		return err
	}
	defer f.Close()
	rows, err := comments.ReadCorpus(f)
	if err != nil {
		var re *comments.RowError
		if errors.As(err, &re) {
			fmt.Fprintf(stderr, "followup comments eval: %s: %s\n", files[0], re.Error())
			return errUsage
		}
		return fmt.Errorf("read %s: %w", files[0], err)
	}
	decide := commenteval.New().Decide
	switch *reader {
	case "model":
	case "lexicon":
		decide = commenteval.Lexicon
	default:
		fmt.Fprintf(stderr, "followup comments eval: --reader %q: want model or lexicon\n", *reader)
		return errUsage
	}
	if len(rows) > 0 {
		decide(rows[0].Text, rows[0].Lang) // load the model before the clock starts
	}
	ev := comments.NewEvaluation()
	verdicts := make([]comments.Verdict, len(rows))
	start := time.Now()
	for i, r := range rows {
		verdicts[i] = decide(r.Text, r.Lang)
	}
	elapsed := time.Since(start)
	for i, r := range rows {
		ev.Add(r, verdicts[i])
	}
	scores := ev.Scores()
	rep := evalReport{N: ev.N(), All: scores["all"], FR: orEmpty(scores["fr"]), EN: orEmpty(scores["en"])}
	if elapsed > 0 && len(rows) > 0 {
		rep.CommentsPerSecond = float64(len(rows)) / elapsed.Seconds()
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		return enc.Encode(rep)
	}
	fmt.Fprintf(stdout, "%d comments, %.0f comments/s on one core\n", rep.N, rep.CommentsPerSecond)
	for _, g := range []struct {
		name string
		s    map[string]comments.Score
	}{{"all", rep.All}, {"fr", rep.FR}, {"en", rep.EN}} {
		fmt.Fprintf(stdout, "\n%-4s %-11s %9s %9s %9s %8s\n", g.name, "measure", "precision", "recall", "f1", "support")
		for _, m := range comments.Measures {
			s := g.s[m]
			fmt.Fprintf(stdout, "     %-11s %9.3f %9.3f %9.3f %8d\n", m, s.Precision, s.Recall, s.F1, s.Support)
		}
	}
	return nil
}

func orEmpty(m map[string]comments.Score) map[string]comments.Score {
	if m == nil {
		m = map[string]comments.Score{}
		for _, k := range comments.Measures {
			m[k] = comments.Score{}
		}
	}
	return m
}
