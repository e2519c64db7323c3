// Package inbound owns the mail that comes back to followup: the signed
// addresses every customer email carries (Reply-To and the envelope sender,
// whose local part names what they belong to), the raw messages received
// (stored once, before they are acknowledged) and their parsing and
// routing rules.
//
// Tables: inbound_messages, inbound_attachments (the files of a reply,
// within FOLLOWUP_INBOUND_ATTACHMENT_MAX each; a larger one keeps its row
// and a note, not its bytes).
//
// It must never import net/http, asynq or the web and worker packages, and
// never write a table it does not own: a reply lands on a complaint through
// complaints.Store, a bounce suppresses an address through customers.Store.
// Receiving (the SMTP listener, IMAP polling) lives at the edge, in
// package inbound/receive.
package inbound
