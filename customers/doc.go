// Package customers owns the people followup surveys and the service events
// that trigger surveys: their validation and storage. It knows nothing of
// campaigns, queues or HTTP.
//
// Tables: customers, service_events, email_suppressions and
// customer_contacts (each customer's last contact, a narrow table of its
// own because it is written for every email sent), and only it writes
// them: the frequency cap of the scheduler records a customer's last
// contact through Store.ClaimContacts, bulk imports go through
// Store.RecordBatch, SaveCustomers and UpsertCustomers.
//
// It must never write invitations or campaigns (the scheduler does, from the
// events stored here), nor import any other package of followup.
package customers
