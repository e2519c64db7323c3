// Package scheduler owns campaigns and the invitations they schedule: which
// service events or audiences get which survey and when, the send window in
// the customer's time zone, the frequency cap across campaigns, reminders,
// the due-invitation sweep that hands invitations to the workers in batches,
// the reconciler that re-derives lost tasks from PostgreSQL, and the election
// that makes scheduler replicas safe. It enqueues through the Enqueuer
// interface and knows nothing of the queue's implementation, HTTP or email.
package scheduler
