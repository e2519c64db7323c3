// Package worker defines followup's asynq tasks (types, typed payloads,
// constructors) and their handlers, which orchestrate the domain packages.
// Handlers are idempotent: PostgreSQL is the source of truth and a task
// delivered twice does its work once. Its Client enqueues them with ids
// derived from their work, and revives a task asynq archived (retries spent)
// when its work is enqueued again: the one place that inspects asynq's task
// states.
//
// Tables: none of its own; handlers change rows through the domain stores.
// It must never hold a business rule or SQL, and is the only package that
// turns a domain error into asynq.SkipRetry.
package worker
