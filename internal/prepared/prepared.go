package prepared

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
)

// Cache prepares statements on first use and keeps them. Use New.
type Cache struct {
	db        *sqlx.DB
	mu        sync.Mutex
	stmts     map[string]*sqlx.Stmt
	preparing map[string]bool
}

// New returns a Cache on db.
func New(db *sqlx.DB) *Cache {
	return &Cache{db: db, stmts: map[string]*sqlx.Stmt{}, preparing: map[string]bool{}}
}

// Stmt returns the prepared statement of query (in $n form). It may wait
// for a pool connection: never call it while holding a transaction (use In).
func (c *Cache) Stmt(ctx context.Context, query string) (*sqlx.Stmt, error) {
	c.mu.Lock()
	st, ok := c.stmts[query]
	c.mu.Unlock()
	if ok {
		return st, nil
	}
	st, err := c.db.PreparexContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("prepare: %w", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if prev, ok := c.stmts[query]; ok {
		st.Close()
		return prev, nil
	}
	c.stmts[query] = st
	return st, nil
}

// In returns the prepared statement of query bound to tx; database/sql
// reuses the statement already prepared on the transaction's connection.
// Until the pool-wide statement exists, the query is prepared on the
// transaction's own connection for this call, and on the pool in the
// background: preparing on the pool here could wait for a free connection
// while this transaction holds one, and deadlock a full pool.
func (c *Cache) In(ctx context.Context, tx *sqlx.Tx, query string) (*sqlx.Stmt, error) {
	c.mu.Lock()
	st, ok := c.stmts[query]
	if !ok && !c.preparing[query] {
		c.preparing[query] = true
		go c.background(query)
	}
	c.mu.Unlock()
	if ok {
		return tx.StmtxContext(ctx, st), nil
	}
	return tx.PreparexContext(ctx, query)
}

func (c *Cache) background(query string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := c.Stmt(ctx, query)
	c.mu.Lock()
	defer c.mu.Unlock()
	if err != nil {
		delete(c.preparing, query) // try again on next use
	}
}
