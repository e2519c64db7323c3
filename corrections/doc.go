// Package corrections owns the agents' corrections of the comment reading
// (table comment_corrections): a reply the model read as a complaint that
// is none, or a signal it missed — going public, legal action, leaving.
// One row per reply and kind of correction, so the same correction twice
// is one.
//
// A correction has effects, in the transaction that records it: a missed
// signal on a reply that opened no complaint opens one, through the same
// path as a reply scored negative (complaints.Store.Open, then the
// internal loop's alert and acknowledgement, enqueued after commit); on a
// reply that has a complaint, the correction is an entry of that
// complaint's audit trail and changes nothing else. "Not a complaint"
// never emails the customer.
//
// The corrections feed the managers' reports (Counts) and the comment
// model's next training (Export, in the corpus format of the comments
// package). The package writes only its own table; the complaint and its
// trail are written by the complaints package, the reply is read through
// the surveys package and never changed: the model's reading stays stored
// as it was, and the corrections beside it. It knows no HTTP and no queue.
package corrections
