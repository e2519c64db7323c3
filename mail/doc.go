// Package mail sends followup's emails over SMTP with go-mail. It turns
// rendered content into MIME messages, refuses what could inject headers,
// and classifies delivery failures as temporary (retry later) or permanent
// (the address bounces). Its rate limit is one for the deployment, shared
// through Redis by every process. It decides nothing about who gets what.
//
// Tables: none. It must never read or write the database: whether a message
// goes is decided before it is handed to the sender.
package mail
