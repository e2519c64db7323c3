package scheduler

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/jmoiron/sqlx"
)

// Leader elects one scheduler among replicas with a PostgreSQL session-level
// advisory lock, held on a dedicated connection. When the leader dies its
// connection closes, PostgreSQL releases the lock, and the next replica to
// try takes over. The lock is named after the current schema, so separate
// deployments (or tests) in one database do not contend.
type Leader struct {
	db   *sqlx.DB
	name string
	conn *sql.Conn
}

// NewLeader returns a Leader for the lock called name.
func NewLeader(db *sqlx.DB, name string) *Leader { return &Leader{db: db, name: name} }

// Held reports whether this process holds the lock.
func (l *Leader) Held() bool { return l.conn != nil }

// TryAcquire takes the lock if it is free. It returns true while this
// process holds it. It also notices a lost connection: the lock went with it.
func (l *Leader) TryAcquire(ctx context.Context) (bool, error) {
	if l.conn != nil {
		if err := l.conn.PingContext(ctx); err == nil {
			return true, nil
		}
		l.conn.Close()
		l.conn = nil
		return false, fmt.Errorf("scheduler lock %q lost with its connection", l.name)
	}
	conn, err := l.db.Conn(ctx)
	if err != nil {
		return false, fmt.Errorf("scheduler lock %q: %w", l.name, err)
	}
	var got bool
	err = conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock(hashtextextended($1 || '.' || current_schema(), 0))`, l.name).Scan(&got)
	if err != nil || !got {
		conn.Close()
		if err != nil {
			return false, fmt.Errorf("scheduler lock %q: %w", l.name, err)
		}
		return false, nil
	}
	l.conn = conn
	return true, nil
}

// Release gives the lock up.
func (l *Leader) Release(ctx context.Context) {
	if l.conn == nil {
		return
	}
	_, _ = l.conn.ExecContext(ctx, `SELECT pg_advisory_unlock(hashtextextended($1 || '.' || current_schema(), 0))`, l.name)
	l.conn.Close()
	l.conn = nil
}
