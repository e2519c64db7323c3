// Package trunc shortens text people wrote or servers answered (a comment,
// an SMTP reply, an error) to a bound counted in characters, never in
// bytes: a cut by bytes can split a multi-byte UTF-8 character (é, an
// emoji), which shows as garbage and which PostgreSQL refuses to store.
//
// Tables: none. It imports nothing of followup and must stay a pure leaf.
package trunc
