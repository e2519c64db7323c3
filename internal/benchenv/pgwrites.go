package benchenv

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Writes is what PostgreSQL wrote for the schema between two readings:
// the WAL it generated (the whole server's) and the rows each table of
// the schema inserted, updated (of which HOT: no index touched) and
// deleted.
type Writes struct {
	WALBytes int64
	Tables   map[string]TableWrites
}

// TableWrites counts one table's row writes.
type TableWrites struct {
	Inserted, Updated, HOT, Deleted int64
}

// ReadWrites reads the WAL position and the schema's table counters. The
// counters of other sessions reach the statistics within about a second of
// their transactions (PostgreSQL flushes them at most once a second), so
// a reading taken at the end of a run waits that long first.
func (s *Schema) ReadWrites(ctx context.Context, settle bool) (Writes, error) {
	if settle {
		select {
		case <-time.After(1500 * time.Millisecond):
		case <-ctx.Done():
			return Writes{}, ctx.Err()
		}
	}
	w := Writes{Tables: map[string]TableWrites{}}
	if err := s.DB.GetContext(ctx, &w.WALBytes, `SELECT pg_current_wal_lsn() - '0/0'::pg_lsn`); err != nil {
		return w, fmt.Errorf("read the WAL position: %w", err)
	}
	rows, err := s.DB.QueryxContext(ctx, `SELECT relname, n_tup_ins, n_tup_upd, n_tup_hot_upd, n_tup_del
		FROM pg_stat_user_tables WHERE schemaname = $1`, s.Name)
	if err != nil {
		return w, fmt.Errorf("read table statistics: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var t TableWrites
		if err := rows.Scan(&name, &t.Inserted, &t.Updated, &t.HOT, &t.Deleted); err != nil {
			return w, err
		}
		w.Tables[name] = t
	}
	return w, rows.Err()
}

// Since is what was written between before and w, per unit of work
// (emails, replies...), as one line: WAL bytes, then each table's row
// writes.
func (w Writes) Since(before Writes, units int) string {
	n := float64(units)
	var parts []string
	names := make([]string, 0, len(w.Tables))
	for name := range w.Tables {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		a, b := w.Tables[name], before.Tables[name]
		ins, upd, hot, del := a.Inserted-b.Inserted, a.Updated-b.Updated, a.HOT-b.HOT, a.Deleted-b.Deleted
		if ins+upd+del == 0 {
			continue
		}
		var ops []string
		if ins > 0 {
			ops = append(ops, fmt.Sprintf("%.2f ins", float64(ins)/n))
		}
		if upd > 0 {
			ops = append(ops, fmt.Sprintf("%.2f upd (%.0f%% HOT)", float64(upd)/n, 100*float64(hot)/float64(upd)))
		}
		if del > 0 {
			ops = append(ops, fmt.Sprintf("%.2f del", float64(del)/n))
		}
		parts = append(parts, name+" "+strings.Join(ops, ", "))
	}
	return fmt.Sprintf("%.0f WAL bytes; %s", float64(w.WALBytes-before.WALBytes)/n, strings.Join(parts, "; "))
}
