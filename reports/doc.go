// Package reports is the external feedback loop: what managers read to see
// where service fails and whether their fixes work. It aggregates the
// replies to service surveys (recovery follow-ups excluded) and the
// complaints they opened — scores per dimension of justice, negative rate,
// response rate, risks of dissatisfaction — over days, weeks or months and
// split by touchpoint, channel, team, campaign and customer segment; it
// estimates the unhappy customers who stayed silent, checks the
// questionnaire's reliability (Cronbach's alpha), watches a barometer of a
// few indicators against thresholds, keeps the action plans — who may
// change them (an Actor: managers everything, an owner the state and notes
// of their own), their progress notes — and their effectiveness, and
// assembles the weekly report.
//
// Aggregations run in PostgreSQL; this package owns the SQL and the rules.
// It knows no HTTP and no queue: web and worker call it, and the alerts it
// raises go through feedback's store, to be enqueued by the caller after
// commit.
package reports
