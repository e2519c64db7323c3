// Package worker defines followup's asynq tasks (types, typed payloads,
// constructors) and their handlers, which orchestrate the domain packages.
// Handlers are idempotent: PostgreSQL is the source of truth and a task
// delivered twice does its work once.
package worker
