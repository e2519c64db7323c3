package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCommentsEval: the evaluation reads any file in the corpus format and
// prints precision, recall and F1 overall and per language, as a table or
// one JSON object; a malformed file exits 2 naming the row and column.
func TestCommentsEval(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good := filepath.Join(dir, "good.tsv")
	body := "id\tlang\tnegative\tpublic\tlegal\tleave\tincivility\ttext\n" +
		"a\ten\t1\t1\t0\t0\t0\tIf this is not sorted by Friday it goes on Twitter with photos.\n" +
		"b\ten\t0\t0\t0\t0\t0\tLovely staff, quick and friendly, thank you!\n" +
		"c\tfr\t1\t0\t1\t0\t0\tJe vais saisir le médiateur et mon avocat.\n" +
		"d\tfr\t0\t0\t0\t0\t0\tTrès bon accueil, merci beaucoup.\n"
	if err := os.WriteFile(good, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"comments", "eval", good, "--json"}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	var rep struct {
		N   int `json:"n"`
		All map[string]struct {
			Precision, Recall, F1 float64
		} `json:"all"`
		FR, EN            map[string]map[string]float64
		CommentsPerSecond float64 `json:"comments_per_second"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("not one JSON object: %v\n%s", err, stdout.String())
	}
	if rep.N != 4 || rep.CommentsPerSecond <= 0 {
		t.Errorf("n %d, comments/s %v", rep.N, rep.CommentsPerSecond)
	}
	for _, m := range []string{"negative", "escalation", "public", "legal", "leave", "incivility"} {
		if _, ok := rep.All[m]; !ok || rep.FR[m] == nil || rep.EN[m] == nil {
			t.Errorf("measure %s missing overall or per language: %s", m, stdout.String())
		}
	}
	if s := rep.All["escalation"]; s.Recall != 1 || s.Precision != 1 {
		t.Errorf("escalation %+v on two plain threats and two thanks, want all found and no false alarm", s)
	}
	if s := rep.All["negative"]; s.F1 != 1 {
		t.Errorf("negative %+v, want F1 1", s)
	}

	stdout.Reset()
	if code := run([]string{"comments", "eval", good}, &stdout, &stderr); code != 0 || !strings.Contains(stdout.String(), "escalation") {
		t.Errorf("table: exit %d\n%s", code, stdout.String())
	}

	bad := filepath.Join(dir, "bad.tsv")
	if err := os.WriteFile(bad, []byte(body+"e\ten\t1\tmaybe\t0\t0\t0\tso so\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	stderr.Reset()
	if code := run([]string{"comments", "eval", bad}, &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), "line 6, column public") {
		t.Errorf("malformed: exit %d, stderr %q; want 2 naming line 6, column public", code, stderr.String())
	}
	if code := run([]string{"comments", "eval"}, &stdout, &stderr); code != 2 {
		t.Errorf("no file: exit %d, want 2", code)
	}
}
