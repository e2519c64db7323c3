// Package customers owns the people followup surveys and the service events
// that trigger surveys: their validation and storage. It knows nothing of
// campaigns, queues or HTTP.
package customers
