// Package clock lets the rules that depend on time be driven by a clock the
// caller injects: the real one in production, a fake one that tests move.
//
// Tables: none. It imports nothing of followup, so every package may use it.
// It must never sleep on behalf of tests: Fake moves only when told to.
package clock
