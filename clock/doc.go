// Package clock lets the rules that depend on time be driven by a clock the
// caller injects: the real one in production, a fake one that tests move.
package clock
