// Package complaints owns the complaint opened on a negative reply: how it
// is assessed (severity, priority and deadline, compensation advice), its
// lifecycle and its audit trail. It knows nothing of HTTP, queues or email.
//
// Tables: complaints, complaint_events (the audit trail) and
// complaint_messages (what the customer is told, queued for sending). A
// complaint's recovery survey is an invitation: it is planned and withdrawn
// through scheduler.Store, in the transaction that resolves or reopens the
// complaint, never by SQL of this package. The detail reads (never writes)
// the files the customer sent by email, in package inbound's
// inbound_attachments, to list them beside their message.
//
// It must never import net/http, asynq or the web and worker packages, send
// an email itself, or write a table it does not own.
package complaints
