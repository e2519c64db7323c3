package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"
)

// DefaultChunkSize is how many rows an import stores per transaction.
const DefaultChunkSize = 5_000

// ImportOptions tune an import.
type ImportOptions struct {
	// ChunkSize is how many rows are stored per transaction; default
	// DefaultChunkSize. An interrupted import keeps the chunks it stored.
	ChunkSize int
	// Comma separates the fields; default ','.
	Comma rune
	// OnRejected, when set, is called for each rejected row, in file order.
	OnRejected func(RowResult)
	// OnProgress, when set, is called after each chunk is stored.
	OnProgress func(Progress)
}

// Summary is the outcome of an import, or of its part done so far.
type Summary struct {
	// Read counts the data rows read, the header excluded.
	Read int
	// Stored counts the rows that stored something: a new event, a
	// customer created or changed.
	Stored int
	// Created and Updated split Stored for a customers file.
	Created, Updated int
	// Duplicates counts the valid rows that changed nothing: an event
	// already stored or repeated in the file, a customer already stored
	// with these values or given again further down.
	Duplicates int
	// Rejected counts the invalid rows, each reported and skipped.
	Rejected int
	// Scheduled counts the invitations the new events scheduled.
	Scheduled int
	// Elapsed is the time taken.
	Elapsed time.Duration
}

// Rate is the rows read per second.
func (s Summary) Rate() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.Read) / s.Elapsed.Seconds()
}

// Progress is how far an import has gone.
type Progress struct {
	Summary
	// Bytes is how much of the file has been read.
	Bytes int64
}

// ImportEvents reads a CSV file of events (see the README for its columns)
// and stores it chunk by chunk, each chunk in one transaction with the
// invitations of its new events. The file is streamed: memory does not
// grow with its size. Rejected rows are reported through opts.OnRejected
// and skipped. A header that cannot be used is a *HeaderError and nothing
// is stored. Importing the same file again stores nothing new.
func (g *Ingester) ImportEvents(ctx context.Context, r io.Reader, opts ImportOptions) (Summary, error) {
	return runImport(ctx, r, opts, eventColumns, g.prepareEvents,
		func(ctx context.Context, p *preparedEvents) (chunkOutcome, error) {
			rep, err := g.storeEvents(ctx, p)
			if err != nil {
				return chunkOutcome{}, err
			}
			out := chunkOutcome{stored: rep.Stored, duplicates: rep.Duplicates, scheduled: rep.Scheduled}
			for _, row := range rep.Rows {
				if row.Status == Rejected {
					out.rejected = append(out.rejected, row)
				}
			}
			return out, nil
		})
}

// ImportCustomers reads a CSV file of customers (see the README for its
// columns) and creates or updates them by external reference, chunk by
// chunk. It schedules nothing. Otherwise it behaves as ImportEvents.
func (g *Ingester) ImportCustomers(ctx context.Context, r io.Reader, opts ImportOptions) (Summary, error) {
	return runImport(ctx, r, opts, customerColumns, g.prepareCustomers,
		func(ctx context.Context, p *preparedCustomers) (chunkOutcome, error) {
			rep, err := g.storeCustomers(ctx, p)
			if err != nil {
				return chunkOutcome{}, err
			}
			return chunkOutcome{rejected: rep.Rejected, created: rep.Created, updated: rep.Updated,
				stored: rep.Created + rep.Updated, duplicates: rep.Unchanged}, nil
		})
}

// chunkOutcome is what storing one chunk did.
type chunkOutcome struct {
	rejected                                        []RowResult
	stored, created, updated, duplicates, scheduled int
}

// chunk is a prepared run of rows on its way from the reader to the store.
type chunk[P any] struct {
	prepared    P
	rows        int
	first, last int   // lines
	bytes       int64 // read so far
	err         error // reading stopped here
}

// runImport reads and validates the next chunk while the current one is
// being stored: the two halves overlap on two cores. Rows are reported in
// file order.
func runImport[T, P any](ctx context.Context, r io.Reader, opts ImportOptions, cols []column[T],
	prepare func([]Row[T]) P, store func(context.Context, P) (chunkOutcome, error)) (Summary, error) {
	start := time.Now()
	if opts.ChunkSize <= 0 {
		opts.ChunkSize = DefaultChunkSize
	}
	counted := &countingReader{r: r}
	src, err := newCSVSource(counted, opts.Comma, cols)
	if err != nil {
		return Summary{}, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	chunks := make(chan chunk[P], 1)
	go func() {
		defer close(chunks)
		for {
			rows := make([]Row[T], 0, opts.ChunkSize)
			var err error
			for len(rows) < opts.ChunkSize {
				var row Row[T]
				if row, err = src.next(); err != nil {
					break
				}
				rows = append(rows, row)
			}
			c := chunk[P]{rows: len(rows), bytes: counted.n}
			if len(rows) > 0 {
				c.prepared, c.first, c.last = prepare(rows), rows[0].Line, rows[len(rows)-1].Line
			}
			if err != nil && !errors.Is(err, io.EOF) {
				c.err = err
			}
			select {
			case chunks <- c:
			case <-ctx.Done():
				return
			}
			if err != nil {
				return
			}
		}
	}()

	var sum Summary
	for c := range chunks {
		if c.rows > 0 {
			out, err := store(ctx, c.prepared)
			sum.Elapsed = time.Since(start)
			if err != nil {
				return sum, fmt.Errorf("store the rows of lines %d to %d: %w (the rows before are stored: importing the file again skips them)", c.first, c.last, err)
			}
			sum.Read += c.rows
			sum.Stored += out.stored
			sum.Created += out.created
			sum.Updated += out.updated
			sum.Duplicates += out.duplicates
			sum.Scheduled += out.scheduled
			sum.Rejected += len(out.rejected)
			if opts.OnRejected != nil {
				for _, row := range out.rejected {
					opts.OnRejected(row)
				}
			}
		}
		if c.err != nil {
			return sum, fmt.Errorf("read the file after line %d: %w", max(c.last, 1), c.err)
		}
		sum.Elapsed = time.Since(start)
		if opts.OnProgress != nil {
			opts.OnProgress(Progress{Summary: sum, Bytes: c.bytes})
		}
	}
	sum.Elapsed = time.Since(start)
	if err := ctx.Err(); err != nil {
		return sum, fmt.Errorf("import interrupted after %d rows (importing the file again skips them): %w", sum.Read, err)
	}
	return sum, nil
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// Reason says why a row was rejected: "customer.email: "x" is not an
// email address", or the whole-row problem alone.
func (r RowResult) Reason() string {
	if r.Problem == nil {
		return ""
	}
	if r.Problem.Field == "" {
		return r.Problem.Message
	}
	return r.Problem.Field + ": " + r.Problem.Message
}
