package ingest

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/followup/followup/clock"
)

// FuzzImportCSV: any file given to `followup import events` or `import
// customers` is read and validated as the import does, without a panic:
// a bad header is a *HeaderError, every row is read or rejected with its
// problem, and rows go through validation before anything is stored.
func FuzzImportCSV(f *testing.F) {
	events := "external_id,kind,occurred_at,channel,touchpoint,team,prejudice_cents,attributes,customer.external_ref,customer.email,customer.name,customer.locale,customer.time_zone,customer.segment,customer.annual_value_cents\n" +
		"ord-1,delivery,2026-11-20T14:30:00Z,store,checkout,north,1200,\"{\"\"order\"\":\"\"A-1\"\"}\",c-1,ana@example.com,Ana,fr,Europe/Paris,retail,250000\n" +
		"ord-2,delivery,2026-11-20T15:00:00Z,,,,,,c-2,bob@example.com,,,,,\n"
	cust := "external_ref,email,name,locale,time_zone,segment,annual_value_cents\nc-1,ana@example.com,Ana,fr,Europe/Paris,retail,250000\n"
	for _, s := range []string{events, cust, "", "\uFEFFexternal_ref;email\nc;d\n", "external_ref,email\n\"unterminated\n",
		"external_ref,email\na,b,c\n", "external_ref,email\n\xff,\x00@x\n", "external_ref,email,email\n", "external_ref,email\nc-1,a@b@c\n",
		"external_id,kind,occurred_at,customer.external_ref,customer.email\nx,y,2026-02-30T00:00:00Z,c,d@e.fr\n"} {
		f.Add([]byte(s), false)
		f.Add([]byte(s), true)
	}
	g := New(nil, nil, clock.NewFake(time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)))
	f.Fuzz(func(t *testing.T, file []byte, asCustomers bool) {
		if asCustomers {
			rows := readAll(t, file, customerColumns)
			p := g.prepareCustomers(rows)
			checkRejected(t, p.report.Rejected)
			return
		}
		rows := readAll(t, file, eventColumns)
		p := g.prepareEvents(rows)
		if len(p.report.Rows) != len(rows) {
			t.Fatalf("%d rows read, %d results", len(rows), len(p.report.Rows))
		}
		for _, r := range p.report.Rows {
			if r.Status == Rejected && (r.Problem == nil || r.Problem.Message == "") {
				t.Fatalf("line %d rejected without a reason", r.Line)
			}
		}
		for _, in := range p.valid {
			if in.ExternalID == "" || in.Customer.Email == "" {
				t.Fatalf("an event without its required fields passed: %+v", in)
			}
		}
	})
}

func readAll[T any](t *testing.T, file []byte, cols []column[T]) []Row[T] {
	src, err := newCSVSource(bytes.NewReader(file), 0, cols)
	if err != nil {
		var he *HeaderError
		if !errors.As(err, &he) {
			t.Fatalf("header refused with an untyped error: %v", err)
		}
		return nil
	}
	var rows []Row[T]
	for {
		row, err := src.next()
		if errors.Is(err, io.EOF) {
			return rows
		}
		if err != nil {
			t.Fatalf("read a row from memory: %v", err)
		}
		if row.Line < 2 {
			t.Fatalf("a row at line %d: the header is line 1", row.Line)
		}
		rows = append(rows, row)
	}
}

func checkRejected(t *testing.T, rejected []RowResult) {
	for _, r := range rejected {
		if r.Problem == nil || r.Problem.Message == "" {
			t.Fatalf("line %d rejected without a reason", r.Line)
		}
	}
}
