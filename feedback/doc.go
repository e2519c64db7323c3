// Package feedback closes the loops: the internal loop tells the CX team at
// once that an unhappy customer needs them (alerts by webhook and email,
// the acknowledgement to the customer); the external loop (package
// reports: barometer, reports, action plans) raises its alerts to managers
// here too. It decides what to say and to whom, and knows nothing of HTTP
// handlers or queues.
//
// Tables: alerts. The complaint's messages and trail are written by the
// complaints package; what feedback owes a change is recorded in the
// caller's transaction and enqueued by the caller after commit.
//
// It must never enqueue a task itself, write a complaint or an invitation, or
// serve HTTP.
package feedback
