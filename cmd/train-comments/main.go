package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode"

	"github.com/followup/followup/comments"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "train-comments:", err)
		os.Exit(1)
	}
}

func run(args []string, out io.Writer) error {
	if len(args) > 0 && args[0] == "split" {
		return split(args[1:], out)
	}
	if len(args) > 0 && args[0] == "extend" {
		return extend(args[1:], out)
	}
	fs := flag.NewFlagSet("train-comments", flag.ContinueOnError)
	dir := fs.String("corpus", "testdata/comments", "the folder holding train.tsv and dev.tsv")
	model := fs.String("out", "comments/model/comments.model", "where to write the model")
	seed := fs.Uint64("seed", comments.DefaultTrainOptions.Seed, "the training seed")
	check := fs.Bool("check", false, "retrain and compare with the model at -out instead of writing it")
	epochs := fs.Int("epochs", comments.DefaultTrainOptions.Epochs, "training epochs")
	rate := fs.Float64("rate", comments.DefaultTrainOptions.Rate, "AdaGrad's learning rate")
	l2 := fs.Float64("l2", comments.DefaultTrainOptions.L2, "L2 weight decay")
	mistakesOf := fs.String("mistakes", "", "with -cv, print the rows it got wrong on this measure (negative, escalation, public…)")
	cv := fs.Bool("cv", false, "print the cross-validated figures on train and dev, and write nothing")
	if err := fs.Parse(args); err != nil {
		return err
	}
	train, err := readFile(filepath.Join(*dir, "train.tsv"))
	if err != nil {
		return err
	}
	dev, err := readFile(filepath.Join(*dir, "dev.tsv"))
	if err != nil {
		return err
	}
	opt := comments.DefaultTrainOptions
	opt.Seed, opt.Epochs, opt.Rate, opt.L2 = *seed, *epochs, *rate, *l2
	if *cv {
		ev, mistakes := comments.CrossValidateMistakes(append(train, dev...), opt)
		printScores(out, ev)
		for _, m := range mistakes {
			if m.Measure == *mistakesOf {
				fmt.Fprintf(out, "%s got=%v p=%.2f | %s\n", m.Measure, m.Got, m.Prob, m.Row.Text)
			}
		}
		return nil
	}
	m := comments.Train(append(train, dev...), opt)
	var buf bytes.Buffer
	if err := m.Encode(&buf); err != nil {
		return err
	}
	fmt.Fprintf(out, "trained on %d comments (train and dev), thresholds chosen out of fold: %v\n", len(train)+len(dev), m.Threshold)
	if *check {
		old, err := os.ReadFile(*model)
		if err != nil {
			return err
		}
		if !bytes.Equal(old, buf.Bytes()) {
			return fmt.Errorf("the weights trained now differ from %s: retrain and commit them", *model)
		}
		fmt.Fprintln(out, "same weights as", *model)
		return nil
	}
	if err := os.WriteFile(*model, buf.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(out, "wrote %s (%d bytes)\n", *model, buf.Len())
	return nil
}

func readFile(path string) ([]comments.Row, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := comments.ReadCorpus(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return rows, nil
}

// split merges raw files (the corpus's columns without id) into one
// corpus, drops texts written twice, numbers the rows and splits them,
// per language, 70 % train, 15 % dev and 15 % test, with a fixed seed.
func split(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("split", flag.ContinueOnError)
	dir := fs.String("corpus", "testdata/comments", "the folder to write train.tsv, dev.tsv and test.tsv into")
	seed := fs.Uint64("seed", 4000, "the split's seed")
	if err := fs.Parse(args); err != nil {
		return err
	}
	files := fs.Args()
	if len(files) == 0 {
		return errors.New("split: name the raw files")
	}
	rows, err := readRaw(files, map[string]bool{})
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(*seed, *seed))
	rng.Shuffle(len(rows), func(a, b int) { rows[a], rows[b] = rows[b], rows[a] })
	parts := map[string][]comments.Row{}
	n := map[string]int{}
	total := map[string]int{}
	for _, r := range rows {
		total[r.Lang]++
	}
	for i, r := range rows {
		r.ID = fmt.Sprintf("%s-%04d", r.Lang, i+1)
		k := n[r.Lang]
		n[r.Lang]++
		switch f := float64(k) / float64(total[r.Lang]); {
		case f < 0.70:
			parts["train"] = append(parts["train"], r)
		case f < 0.85:
			parts["dev"] = append(parts["dev"], r)
		default:
			parts["test"] = append(parts["test"], r)
		}
	}
	for _, name := range []string{"train", "dev", "test"} {
		path := filepath.Join(*dir, name+".tsv")
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		if err := comments.WriteCorpus(f, parts[name]); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
		fmt.Fprintf(out, "%s: %d comments\n", path, len(parts[name]))
	}
	return nil
}

func printScores(out io.Writer, ev *comments.Evaluation) {
	s := ev.Scores()
	fmt.Fprintf(out, "%d comments, cross-validated\n", ev.N())
	for _, g := range []string{"all", "fr", "en"} {
		fmt.Fprintf(out, "%-4s", g)
		for _, m := range comments.Measures {
			fmt.Fprintf(out, "  %s P%.2f R%.2f F%.3f", m, s[g][m].Precision, s[g][m].Recall, s[g][m].F1)
		}
		fmt.Fprintln(out)
	}
}

// textKey is how texts are compared for duplicates: lower case, letters
// and digits only.
func textKey(text string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(text), func(c rune) bool { return !unicode.IsLetter(c) && !unicode.IsDigit(c) }), " ")
}

// readRaw reads raw files (the corpus's columns without id) or files in
// the corpus format, in name order, leaving out texts already seen.
func readRaw(files []string, seen map[string]bool) ([]comments.Row, error) {
	slices.Sort(files)
	var rows []comments.Row
	for _, path := range files {
		raw, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		// A file in the corpus format (with its header, as followup
		// comments export writes it) is read as it is; a raw file has no
		// id column.
		text := string(raw)
		if !strings.HasPrefix(text, "id\t") {
			var b strings.Builder
			for i, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
				fmt.Fprintf(&b, "x%d\t%s\n", i+1, line)
			}
			text = b.String()
		}
		part, err := comments.ReadCorpus(strings.NewReader(text))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		for _, r := range part {
			if key := textKey(r.Text); !seen[key] {
				seen[key] = true
				rows = append(rows, r)
			}
		}
	}
	return rows, nil
}

// extend adds raw files to the corpus after its split: 85 % of the new
// rows to train, 15 % to dev, none to test (which stays as it was split),
// leaving out texts already in any split.
func extend(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("extend", flag.ContinueOnError)
	dir := fs.String("corpus", "testdata/comments", "the folder holding train.tsv, dev.tsv and test.tsv")
	seed := fs.Uint64("seed", 4001, "the seed that shares the new rows between train and dev")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return errors.New("extend: name the raw files")
	}
	splits := map[string][]comments.Row{}
	seen := map[string]bool{}
	last := 0
	for _, name := range []string{"train", "dev", "test"} {
		rows, err := readFile(filepath.Join(*dir, name+".tsv"))
		if err != nil {
			return err
		}
		splits[name] = rows
		for _, r := range rows {
			seen[textKey(r.Text)] = true
			var n int
			if _, err := fmt.Sscanf(r.ID[strings.LastIndex(r.ID, "-")+1:], "%d", &n); err == nil && n > last {
				last = n
			}
		}
	}
	rows, err := readRaw(fs.Args(), seen)
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(*seed, *seed))
	rng.Shuffle(len(rows), func(a, b int) { rows[a], rows[b] = rows[b], rows[a] })
	added := map[string]int{}
	for i, r := range rows {
		r.ID = fmt.Sprintf("%s-%04d", r.Lang, last+i+1)
		name := "train"
		if i%20 < 3 {
			name = "dev"
		}
		splits[name] = append(splits[name], r)
		added[name]++
	}
	for _, name := range []string{"train", "dev"} {
		path := filepath.Join(*dir, name+".tsv")
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		if err := comments.WriteCorpus(f, splits[name]); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
		fmt.Fprintf(out, "%s: %d comments (%d added)\n", path, len(splits[name]), added[name])
	}
	return nil
}
