// Package compose writes followup's emails to customers: it takes a survey,
// a recipient and their personal link, renders the per-locale templates and
// returns a message ready to send. It decides what the email says, never
// whether or when it goes out.
//
// Tables: none. It must never write a row or send a message: the worker
// sends what it composes.
package compose
