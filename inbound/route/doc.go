// Package route reads a stored inbound message and takes it where it
// belongs: a customer's reply to a complaint email onto the complaint's
// conversation (through feedback.Loop, which alerts the owner), a reply
// to a survey email into that invitation's answer (through
// replies.Service), a permanent delivery failure to the suppression list
// and the invitation's state, a spam report to an opt-out; an auto-reply
// is recorded and answered by no one; anything else waits in the
// unmatched list for the admins.
//
// It writes no table itself: each change goes through the store of the
// package that owns the table. It must never import net/http, asynq or the
// web and worker packages.
package route
