-- A customer's last contact, claimed for the frequency cap at every email
-- sent, moves out of customers into a narrow table of its own (#18).
-- Updating customers rewrote a wide row, recomputed its generated search
-- text and touched its trigram index for every email: about 80 µs of
-- PostgreSQL's time per email in a blast. Here a claim touches one small
-- row and its primary key, and leaves room on the page for HOT updates.

-- +goose Up
CREATE TABLE customer_contacts (
    customer_id                bigint PRIMARY KEY REFERENCES customers (id) ON DELETE CASCADE,
    last_contacted_at          timestamptz NOT NULL,
    last_contact_invitation_id bigint NOT NULL
) WITH (fillfactor = 70);
INSERT INTO customer_contacts (customer_id, last_contacted_at, last_contact_invitation_id)
SELECT id, last_contacted_at, last_contact_invitation_id FROM customers
WHERE last_contacted_at IS NOT NULL AND last_contact_invitation_id IS NOT NULL;
ALTER TABLE customers DROP COLUMN last_contacted_at, DROP COLUMN last_contact_invitation_id;

-- +goose Down
ALTER TABLE customers
    ADD COLUMN last_contacted_at          timestamptz,
    ADD COLUMN last_contact_invitation_id bigint;
UPDATE customers cu SET last_contacted_at = ct.last_contacted_at, last_contact_invitation_id = ct.last_contact_invitation_id
FROM customer_contacts ct WHERE ct.customer_id = cu.id;
DROP TABLE customer_contacts;
