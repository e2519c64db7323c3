// Package scheduler owns campaigns and the invitations they schedule: which
// service events or audiences get which survey and when, the send window in
// the customer's time zone, the frequency cap across campaigns, reminders,
// the due-invitation sweep that hands invitations to the workers in batches,
// the reconciler that re-derives lost tasks from PostgreSQL (and watches how
// long each kind of work has waited, reporting stalls), and the election
// that makes scheduler replicas safe. It enqueues through the Enqueuer
// interface and knows nothing of the queue's implementation, HTTP or email.
//
// Tables: campaigns, invitations, due_sends and send_batches, and only it
// writes them. Other packages change an invitation through Store: the
// complaints package plans and withdraws recovery surveys
// (ScheduleRecovery, WithdrawRecovery), replies marks invitations answered
// (MarkAnswered), in their own transactions. The customer's last contact
// (the frequency cap) is written through customers.Store.ClaimContacts.
//
// It must never import complaints, replies, web or worker (they import it),
// nor net/http or asynq.
package scheduler
