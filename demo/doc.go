// Package demo runs followup end to end on one machine: it starts every role
// with an embedded SMTP capture server, seeds a survey, a campaign and a few
// dozen customers with service events, simulates their replies through the
// real HTTP pages, and reports what happened. It is a client of the product,
// not part of it: everything goes through the API, the emails and the pages.
//
// Each run gets a PostgreSQL schema of its own (PrepareSchema:
// demo_YYYYMMDD_HHMMSS, or one named to reuse), so reruns never see each
// other's customers; DropRunSchemas removes earlier runs' schemas, and
// ForgetQueues a run's asynq keys.
//
// Tables: none directly; it reads a summary from PostgreSQL at the end. It
// must never take a shortcut the product does not offer: no SQL write, no
// call past the roles a real deployment runs. Its only DDL is creating and
// dropping its own schemas.
package demo
