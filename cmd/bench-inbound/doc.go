// Command bench-inbound measures two-way email's receiving side: messages
// received over SMTP by the inbound listener and stored (raw, once, then
// their parsing queued in Redis), then messages parsed and routed.
//
// It runs the listener in-process on a fresh PostgreSQL schema and a
// private queue prefix, then:
//
//   - received: -messages customer replies (a Gmail-style multipart
//     message with a quoted-printable text part, an HTML part and a quoted
//     original) sent over -connections concurrent SMTP connections, each
//     reused for many messages, to signed complaint addresses;
//   - parsed: every stored message parsed (enmime, new words cut from the
//     quote) and routed by -workers goroutines calling the parse task's
//     code (route.Router.Process) directly, without asynq: the addresses
//     name complaints that do not exist, so each is settled unmatched
//     after its addressee is looked up (parse, one read, one write).
//
// Afterwards it checks that every message was stored once and settled.
//
//	go run ./cmd/bench-inbound -messages 5000 -connections 8 -workers 8
//
// Tables: it writes only through the product's stores, in its throwaway
// schema, dropped at the end unless -keep.
package main
