// Package surveys owns what the customer is asked and what their answers
// mean: survey definitions and their versioned questions, answer validation,
// scoring on the three dimensions of justice, and the signed links that open
// a survey. It knows nothing of HTTP, queues or email.
package surveys
