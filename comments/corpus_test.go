package comments

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestReadCorpusRefusesMalformedRows(t *testing.T) {
	t.Parallel()
	header := "id\tlang\tnegative\tpublic\tlegal\tleave\tincivility\ttext\n"
	good := "a1\tfr\t1\t0\t0\t1\t0\tJe résilie.\n"
	cases := []struct {
		name, file string
		line       int
		column     string
	}{
		{"too few columns", header + good + "a2\ten\t1\t0\n", 3, "legal"},
		{"a label not 0 or 1", header + "a2\ten\t1\tyes\t0\t0\t0\tI will post it\n", 2, "public"},
		{"an unknown language", "a2\tde\t1\t0\t0\t0\t0\tSchlecht\n", 1, "lang"},
		{"an empty text", good + "a2\ten\t1\t0\t0\t0\t0\t \n", 2, "text"},
		{"a tab in the text", good + "a2\ten\t1\t0\t0\t0\t0\tbad\tworse\n", 2, "text"},
		{"an id used twice", good + good, 2, "id"},
		{"an empty id", "\ten\t0\t0\t0\t0\t0\tfine\n", 1, "id"},
	}
	for _, tc := range cases {
		_, err := ReadCorpus(strings.NewReader(tc.file))
		var re *RowError
		if !errors.As(err, &re) {
			t.Errorf("%s: error %v, want a RowError", tc.name, err)
			continue
		}
		if re.Line != tc.line || re.Column != tc.column {
			t.Errorf("%s: line %d column %s, want line %d column %s (%v)", tc.name, re.Line, re.Column, tc.line, tc.column, re)
		}
	}
}

func TestCorpusRoundTrip(t *testing.T) {
	t.Parallel()
	rows := []Row{
		{ID: "x1", Lang: "en", Labels: [nLabels]bool{true, true, false, false, false}, Text: "Posting this on\tReddit\ntonight"},
		{ID: "x2", Lang: "fr", Labels: [nLabels]bool{}, Text: "Très bien, merci"},
	}
	var buf bytes.Buffer
	if err := WriteCorpus(&buf, rows); err != nil {
		t.Fatal(err)
	}
	got, err := ReadCorpus(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Text != "Posting this on Reddit tonight" || got[0].Labels != rows[0].Labels || got[1] != rows[1] {
		t.Errorf("read back %+v", got)
	}
}
