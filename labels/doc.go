// Package labels owns the words people read for the codes followup stores:
// the display name of a team, a touchpoint, an event kind, a channel, a
// risk, a state or a signal, per language, as admins name them; and each
// team's business calendar (time zone, opening hours, holidays) when it is
// not the default one.
//
// Resolve is the one rule of naming: an admin's name in the language, else
// the built-in one (the fixed vocabularies' names, kept by the templates),
// else an admin's name in another language, else words derived from the
// code. A raw code never reaches a page or an email; the API keeps codes.
//
// Tables: display_labels and team_calendars. It must never import
// net/http, asynq or the web and worker packages, or write a table it does
// not own; what codes are in use it reads from the tables of others.
package labels
