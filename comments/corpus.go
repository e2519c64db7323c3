package comments

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// Row is one labelled comment of the corpus: the file format is
// tab-separated, one row a line,
//
//	id  lang  negative  public  legal  leave  incivility  text
//
// with 0/1 labels and lang "fr" or "en". A first line starting with "id"
// is a header.
type Row struct {
	ID     string
	Lang   string
	Labels [nLabels]bool
	Text   string
}

// Columns names the corpus's columns in order.
var Columns = []string{"id", "lang", "negative", "public", "legal", "leave", "incivility", "text"}

// RowError is a malformed corpus row: its line and column.
type RowError struct {
	Line   int
	Column string
	Msg    string
}

func (e *RowError) Error() string {
	return fmt.Sprintf("line %d, column %s: %s", e.Line, e.Column, e.Msg)
}

// ReadCorpus reads a corpus file. A malformed row stops the reading with a
// *RowError naming its line and column.
func ReadCorpus(r io.Reader) ([]Row, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	var rows []Row
	ids := map[string]int{}
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSuffix(sc.Text(), "\r")
		if line == 1 && strings.HasPrefix(text, "id\t") {
			continue
		}
		if strings.TrimSpace(text) == "" {
			continue
		}
		f := strings.SplitN(text, "\t", len(Columns))
		if len(f) < len(Columns) {
			return nil, &RowError{line, Columns[len(f)], fmt.Sprintf("missing: a row has %d tab-separated columns (%s), this one %d", len(Columns), strings.Join(Columns, ", "), len(f))}
		}
		row := Row{ID: strings.TrimSpace(f[0]), Lang: strings.TrimSpace(f[1]), Text: f[7]}
		if row.ID == "" {
			return nil, &RowError{line, "id", "empty"}
		}
		if prev, dup := ids[row.ID]; dup {
			return nil, &RowError{line, "id", fmt.Sprintf("%q already used on line %d", row.ID, prev)}
		}
		ids[row.ID] = line
		if row.Lang != "fr" && row.Lang != "en" {
			return nil, &RowError{line, "lang", fmt.Sprintf("%q: want fr or en", row.Lang)}
		}
		for l := range nLabels {
			switch strings.TrimSpace(f[2+l]) {
			case "1":
				row.Labels[l] = true
			case "0":
			default:
				return nil, &RowError{line, Columns[2+l], fmt.Sprintf("%q: want 0 or 1", f[2+l])}
			}
		}
		if strings.Contains(row.Text, "\t") {
			return nil, &RowError{line, "text", "holds a tab: the row has too many columns"}
		}
		if strings.TrimSpace(row.Text) == "" {
			return nil, &RowError{line, "text", "empty"}
		}
		rows = append(rows, row)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("line %d: %w", line+1, err)
	}
	return rows, nil
}

// WriteCorpus writes rows in the corpus format, with a header. Tabs and
// line breaks in a text become spaces.
func WriteCorpus(w io.Writer, rows []Row) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, strings.Join(Columns, "\t"))
	clean := strings.NewReplacer("\t", " ", "\r\n", " ", "\n", " ", "\r", " ")
	for _, r := range rows {
		fmt.Fprintf(bw, "%s\t%s", r.ID, r.Lang)
		for _, v := range r.Labels {
			if v {
				fmt.Fprint(bw, "\t1")
			} else {
				fmt.Fprint(bw, "\t0")
			}
		}
		fmt.Fprintf(bw, "\t%s\n", clean.Replace(r.Text))
	}
	return bw.Flush()
}
