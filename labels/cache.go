package labels

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/followup/followup/businesshours"
	"github.com/followup/followup/clock"
)

// DefaultMaxAge is how long a process trusts what it read: an edit made in
// another process (the admin page is served by one, emails are written by
// the workers) is seen within that time; the process that saved it sees it
// at once (Refresh).
const DefaultMaxAge = 30 * time.Second

type nameKey struct {
	kind         Kind
	locale, code string
}

// Cache holds the admins' names and the teams' calendars in memory: pages
// and emails name many codes, and the tables are small. It reads them again
// when they are older than MaxAge, and at once after an edit (Refresh).
type Cache struct {
	store  *Store
	clock  clock.Clock
	maxAge time.Duration
	log    *slog.Logger

	mu       sync.Mutex
	loadedAt time.Time
	names    map[nameKey]string
	cals     map[string]*businesshours.Calendar
}

// NewCache returns a cache over store; maxAge <= 0 is DefaultMaxAge. A nil
// clock is the real one, a nil log discards.
func NewCache(store *Store, clk clock.Clock, maxAge time.Duration, log *slog.Logger) *Cache {
	if maxAge <= 0 {
		maxAge = DefaultMaxAge
	}
	if clk == nil {
		clk = clock.Real{}
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Cache{store: store, clock: clk, maxAge: maxAge, log: log}
}

// Refresh reads the names and calendars again now.
func (c *Cache) Refresh(ctx context.Context) error {
	names, err := c.store.Names(ctx)
	if err != nil {
		return err
	}
	specs, err := c.store.Calendars(ctx)
	if err != nil {
		return err
	}
	nm := make(map[nameKey]string, len(names))
	for _, n := range names {
		nm[nameKey{n.Kind, n.Locale, n.Code}] = n.Name
	}
	cals := make(map[string]*businesshours.Calendar, len(specs))
	for _, t := range specs {
		cal, err := businesshours.Parse(t.Spec)
		if err != nil {
			// Checked when saved: only a preset removed since could fail.
			c.log.Warn("team calendar unreadable, the default applies", "team", t.Team, "err", err)
			continue
		}
		cals[t.Team] = cal
	}
	c.mu.Lock()
	c.names, c.cals, c.loadedAt = nm, cals, c.clock.Now()
	c.mu.Unlock()
	return nil
}

// fresh reads again when what the cache holds is older than maxAge. A
// failed read keeps what it had and is retried maxAge later, so that pages
// and emails do not each wait on a database that is down.
func (c *Cache) fresh(ctx context.Context) error {
	c.mu.Lock()
	stale := c.names == nil || c.clock.Now().Sub(c.loadedAt) >= c.maxAge
	c.mu.Unlock()
	if !stale {
		return nil
	}
	err := c.Refresh(ctx)
	if err != nil {
		c.mu.Lock()
		if c.names == nil {
			c.names = map[nameKey]string{}
		}
		c.loadedAt = c.clock.Now()
		c.mu.Unlock()
	}
	return err
}

// Name is the admins' name of code of kind in locale, if they gave one: a
// Lookup for Resolve. Pages and emails call it without a context: it reads
// again, when stale, within two seconds, and otherwise uses what it had.
func (c *Cache) Name(locale string, kind Kind, code string) (string, bool) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := c.fresh(ctx); err != nil {
		c.log.Warn("display names not read again", "err", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	n, ok := c.names[nameKey{kind, locale, code}]
	return n, ok
}

// TeamCalendars returns the teams that have a calendar of their own, by
// team (a nil calendar counts wall-clock time). The map is shared: do not
// change it.
func (c *Cache) TeamCalendars(ctx context.Context) (map[string]*businesshours.Calendar, error) {
	err := c.fresh(ctx)
	c.mu.Lock()
	cals := c.cals
	c.mu.Unlock()
	if cals != nil {
		if err != nil {
			c.log.Warn("team calendars not read again", "err", err)
		}
		return cals, nil
	}
	// Never read yet: a deadline must not fall back to the default
	// calendar because the database could not be reached.
	if err := c.Refresh(ctx); err != nil {
		return nil, fmt.Errorf("team calendars: %w", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cals, nil
}
