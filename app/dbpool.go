package app

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"
)

// PoolSize is how many PostgreSQL connections one process opens at most:
// configured (FOLLOWUP_DATABASE_POOL), or by default the worker's
// concurrency and ten more for the other roles, at least 20; never more
// than a share of what the server allows, so that concurrency 100 does
// not exhaust max_connections. serverShare is the server's
// max_connections less its superuser_reserved_connections, divided by
// the processes expected to share it (FOLLOWUP_DATABASE_PROCESSES). capped
// tells when the share, not the wish, set the size.
func PoolSize(configured, concurrency, serverShare int) (size int, capped bool) {
	want := configured
	if want <= 0 {
		want = max(20, concurrency+10)
	}
	if serverShare > 0 && want > serverShare {
		return max(serverShare, 2), true
	}
	return want, false
}

// serverShare reads the connections the server allows and returns one
// process's share of them (0 when it cannot tell).
func serverShare(ctx context.Context, db *sqlx.DB, processes int) (int, error) {
	var maxConns, reserved int
	if err := db.QueryRowContext(ctx, `SELECT current_setting('max_connections')::int, current_setting('superuser_reserved_connections')::int`).Scan(&maxConns, &reserved); err != nil {
		return 0, fmt.Errorf("read max_connections: %w", err)
	}
	return (maxConns - reserved) / max(processes, 1), nil
}
