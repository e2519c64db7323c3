// Package surveys owns what the customer is asked and what their answers
// mean: survey definitions and their versioned questions, answer validation,
// scoring on the three dimensions of justice, and the signed links that open
// a survey. It knows nothing of HTTP, queues or email.
//
// Tables: surveys, survey_versions, survey_questions and responses. It reads
// invitations (the page's invitation, its customer) but never writes them:
// the caller marks an invitation answered through scheduler.Store in the
// transaction that stores the response.
//
// It must never import scheduler (scheduler imports surveys), net/http or
// asynq.
package surveys
