// Package feedback closes the loops: the internal loop tells the CX team at
// once that an unhappy customer needs them (alerts by webhook and email,
// the acknowledgement to the customer); the external loop (package
// reports: barometer, reports, action plans) raises its alerts to managers
// here too. It decides what to say and to whom, and knows nothing of HTTP
// handlers or queues.
package feedback
