// Package metrics exposes followup's operational figures in Prometheus
// format: emails sent and failed, replies and negative replies, complaints
// opened by priority, alerts, deadline breaches, task latency and errors per
// task type, and the asynq queues' sizes and latency. Each process owns its
// registry (no global state); /metrics serves it, on the HTTP server or, in
// a process without one, on the listener FOLLOWUP_METRICS_ADDR opens.
// The values a label takes, when they are a closed set, are declared in
// labels.go: help texts are written from them, so they cannot drift from
// what is recorded.
//
// Tables: none. It must never hold a global registry: each process builds
// its own and passes it to what records into it.
package metrics
