package prepared

// AsyncCommit, joined to the FROM of a statement run on its own (outside
// a transaction), makes its implicit transaction commit without waiting
// for the disk: set_config(..., true) lasts until the end of the
// transaction, whose commit reads it. One round trip instead of BEGIN,
// SET LOCAL, the statement and COMMIT.
//
// Only for records whose loss in a crash of PostgreSQL's machine (within
// the WAL writer's delay, about half a second by default) costs a repeat,
// never a loss: an email or an alert recorded as delivered is at worst
// delivered again. A crash of the process that ran the statement loses
// nothing, nor does a clean stop of PostgreSQL.
const AsyncCommit = `(SELECT set_config('synchronous_commit', 'off', true)) AS async_commit`
