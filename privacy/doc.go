// Package privacy is the customers' data use case (GDPR, Québec's Law
// 25): one person's data exported as one document, erased everywhere in
// one transaction, and comments and messages purged past the retention
// period. It owns no personal data: each table is changed by its owner's
// Store (customers, surveys, scheduler, complaints, inbound, feedback),
// called here in the caller's transaction. It writes one table of its
// own, privacy_audit: who exported or erased which customer, when, and how
// many rows changed, never the data.
//
// Outside PostgreSQL, what an erase must reach too (the queue's tasks, the
// SMTP capture's messages) is given as interfaces (TaskScrubber,
// MailForgetter) implemented at the edge. It imports no transport.
package privacy
