// Command followup follows up with customers after a service: it sends
// survey emails, scores the replies on the three dimensions of justice and
// opens a complaint when a reply is negative. One binary, several roles:
//
//	followup migrate up|down|status   manage the database schema
//	followup serve                    HTTP: survey pages and the API
//	followup worker                   run queued tasks (sending, scoring)
//	followup scheduler                sweep due invitations, reconcile
//	followup all                      serve + worker + scheduler in one process
//	followup demo [--once]            everything, with a mail capture and simulated customers
//	followup users add|token|…        people who sign in, their roles and API tokens
//	followup import customers|events FILE.csv   bulk-load a CSV file
//	followup config                   print the configuration table
//	followup version                  the version and commit of this binary
//	followup healthcheck [URL]        probe /readyz: the healthcheck of an image without a shell
//
// Every setting comes from a FOLLOWUP_* environment variable or its flag.
//
// Tables: none itself; every command goes through app or a domain store. It
// must never hold a business rule: it parses, wires and starts roles.
package main
