package ingest

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/followup/followup/customers"
	"github.com/followup/followup/invalid"
)

// column is a CSV column: its header name, whether the header must have
// it, and how its text sets the input. Names are the JSON field paths, so a
// CSV error names the field exactly as the API does.
type column[T any] struct {
	name     string
	required bool
	set      func(in *T, text string) *invalid.FieldError
}

// customerColumns are the columns of a customers file; an events file has
// them too, prefixed with "customer.".
var customerColumns = []column[customers.CustomerInput]{
	{"external_ref", true, func(c *customers.CustomerInput, v string) *invalid.FieldError { c.ExternalRef = v; return nil }},
	{"email", true, func(c *customers.CustomerInput, v string) *invalid.FieldError { c.Email = v; return nil }},
	{"name", false, func(c *customers.CustomerInput, v string) *invalid.FieldError { c.Name = v; return nil }},
	{"locale", false, func(c *customers.CustomerInput, v string) *invalid.FieldError { c.Locale = v; return nil }},
	{"time_zone", false, func(c *customers.CustomerInput, v string) *invalid.FieldError { c.TimeZone = v; return nil }},
	{"segment", false, func(c *customers.CustomerInput, v string) *invalid.FieldError { c.Segment = v; return nil }},
	{"annual_value_cents", false, func(c *customers.CustomerInput, v string) *invalid.FieldError {
		n, fe := cents("annual_value_cents", v)
		c.AnnualValueCents = n
		return fe
	}},
}

// eventColumns are the columns of an events file.
var eventColumns = append([]column[customers.EventInput]{
	{"external_id", true, func(e *customers.EventInput, v string) *invalid.FieldError { e.ExternalID = v; return nil }},
	{"kind", true, func(e *customers.EventInput, v string) *invalid.FieldError { e.Kind = v; return nil }},
	{"occurred_at", true, func(e *customers.EventInput, v string) *invalid.FieldError {
		t, fe := customers.ParseOccurredAt(v)
		e.OccurredAt = t
		return fe
	}},
	{"channel", false, func(e *customers.EventInput, v string) *invalid.FieldError { e.Channel = v; return nil }},
	{"touchpoint", false, func(e *customers.EventInput, v string) *invalid.FieldError { e.Touchpoint = v; return nil }},
	{"team", false, func(e *customers.EventInput, v string) *invalid.FieldError { e.Team = v; return nil }},
	{"prejudice_cents", false, func(e *customers.EventInput, v string) *invalid.FieldError {
		n, fe := cents("prejudice_cents", v)
		e.PrejudiceCents = n
		return fe
	}},
	{"attributes", false, func(e *customers.EventInput, v string) *invalid.FieldError {
		if v != "" {
			e.Attributes = json.RawMessage(v) // Validate insists on a JSON object
		}
		return nil
	}},
}, customerColumnsOfEvent()...)

func customerColumnsOfEvent() []column[customers.EventInput] {
	out := make([]column[customers.EventInput], len(customerColumns))
	for i, c := range customerColumns {
		out[i] = column[customers.EventInput]{name: "customer." + c.name, required: c.required,
			set: func(e *customers.EventInput, v string) *invalid.FieldError {
				if fe := c.set(&e.Customer, v); fe != nil {
					return &invalid.FieldError{Field: "customer." + fe.Field, Message: fe.Message}
				}
				return nil
			}}
	}
	return out
}

func cents(field, v string) (*int64, *invalid.FieldError) {
	if v == "" {
		return nil, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return nil, &invalid.FieldError{Field: field, Message: fmt.Sprintf("%q is not a whole number of cents such as 4500", v)}
	}
	return &n, nil
}

// HeaderError is a CSV file whose header row cannot be used: nothing of the
// file is imported.
type HeaderError struct {
	Message string
}

func (e *HeaderError) Error() string { return "line 1 (header): " + e.Message }

// csvSource reads the rows of a CSV file after its header, one at a time.
type csvSource[T any] struct {
	r    *csv.Reader
	cols []*column[T] // by position in the file
}

// newCSVSource reads the header. Column names are matched without regard
// to case or surrounding spaces; every column must be known, none twice,
// and the required ones present. comma 0 means ','.
func newCSVSource[T any](r io.Reader, comma rune, known []column[T]) (*csvSource[T], error) {
	cr := csv.NewReader(r)
	if comma != 0 {
		cr.Comma = comma
	}
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, &HeaderError{"the file is empty: a header row naming the columns is expected"}
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return nil, &HeaderError{pe.Err.Error()}
	}
	if err != nil {
		return nil, fmt.Errorf("read header: %w", err)
	}
	byName := make(map[string]*column[T], len(known))
	names := make([]string, len(known))
	for i := range known {
		byName[known[i].name] = &known[i]
		names[i] = known[i].name
	}
	s := &csvSource[T]{r: cr, cols: make([]*column[T], len(header))}
	seen := make(map[string]bool, len(header))
	for i, h := range header {
		if i == 0 {
			h = strings.TrimPrefix(h, "\uFEFF") // the byte-order mark spreadsheets write
		}
		name := strings.ToLower(strings.TrimSpace(h))
		c, ok := byName[name]
		switch {
		case !utf8.ValidString(h):
			return nil, &HeaderError{fmt.Sprintf("column %d: the name is not valid UTF-8: save the file as UTF-8", i+1)}
		case name == "":
			return nil, &HeaderError{fmt.Sprintf("column %d has no name", i+1)}
		case !ok:
			msg := fmt.Sprintf("unknown column %q; the columns are: %s", h, strings.Join(names, ", "))
			if len(header) == 1 && strings.ContainsAny(h, ";\t|") {
				msg += " (is the file separated by another character than the comma? see --delimiter)"
			}
			return nil, &HeaderError{msg}
		case seen[name]:
			return nil, &HeaderError{fmt.Sprintf("column %q appears twice", name)}
		}
		seen[name] = true
		s.cols[i] = c
	}
	var missing []string
	for _, c := range known {
		if c.required && !seen[c.name] {
			missing = append(missing, c.name)
		}
	}
	if len(missing) > 0 {
		return nil, &HeaderError{fmt.Sprintf("missing required column(s): %s", strings.Join(missing, ", "))}
	}
	return s, nil
}

// next reads one row. A malformed record is returned as a row with a
// Problem; the error is io.EOF at the end, or a failure to read.
func (s *csvSource[T]) next() (Row[T], error) {
	rec, err := s.r.Read()
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return Row[T]{Line: pe.StartLine, Problem: &invalid.FieldError{Message: describeParseError(pe, len(rec), len(s.cols))}}, nil
	}
	if err != nil {
		return Row[T]{}, err
	}
	line, _ := s.r.FieldPos(0)
	row := Row[T]{Line: line}
	for i, text := range rec {
		c := s.cols[i]
		if !utf8.ValidString(text) {
			row.Problem = &invalid.FieldError{Field: c.name, Message: "is not valid UTF-8 text: save the file as UTF-8"}
			return row, nil
		}
		if fe := invalid.Text(c.name, text); fe != nil {
			row.Problem = fe
			return row, nil
		}
		if fe := c.set(&row.In, text); fe != nil && row.Problem == nil {
			row.Problem = fe
		}
	}
	return row, nil
}

func describeParseError(pe *csv.ParseError, fields, columns int) string {
	switch {
	case errors.Is(pe.Err, csv.ErrFieldCount):
		return fmt.Sprintf("the record has %d fields, the header %d", fields, columns)
	case errors.Is(pe.Err, csv.ErrBareQuote):
		return fmt.Sprintf(`a quote (") inside an unquoted field, at column %d: quote the whole field and double the quotes inside it ("")`, pe.Column)
	case errors.Is(pe.Err, csv.ErrQuote) && pe.Line > pe.StartLine:
		return fmt.Sprintf(`a quoted field is not closed properly: the record runs from line %d to line %d (a missing or extra quote?)`, pe.StartLine, pe.Line)
	case errors.Is(pe.Err, csv.ErrQuote):
		return fmt.Sprintf(`a quoted field is not closed properly at column %d: a missing or extra quote?`, pe.Column)
	}
	return pe.Err.Error()
}
