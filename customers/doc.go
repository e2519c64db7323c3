// Package customers owns the people followup surveys and the service events
// that trigger surveys: their validation and storage. It knows nothing of
// campaigns, queues or HTTP.
//
// Tables: customers, service_events and email_suppressions, and only it
// writes them: the frequency cap of the scheduler records a customer's last
// contact through Store.ClaimContacts, bulk imports go through
// Store.RecordBatch, SaveCustomers and UpsertCustomers.
//
// It must never write invitations or campaigns (the scheduler does, from the
// events stored here), nor import any other package of followup.
package customers
