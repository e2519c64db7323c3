// Package customers owns the people followup surveys and the service events
// that trigger surveys: their validation and storage. It knows nothing of
// campaigns, queues or HTTP.
//
// Tables: customers, service_events, email_suppressions and
// customer_contacts (each customer's last contact, a narrow table of its
// own because it is written for every email sent), and only it writes
// them: the frequency cap of the scheduler records a customer's last
// contact through Store.ClaimContacts, bulk imports go through
// Store.RecordBatch, SaveCustomers and UpsertCustomers; a customer's erase
// (package privacy) through Store.EraseCustomer, which keeps an erased
// address's suppression only as its hash (a trigger suppresses the address
// again should a customer row carry it anew).
//
// It must never write invitations or campaigns (the scheduler does, from the
// events stored here), nor import any other package of followup.
package customers
