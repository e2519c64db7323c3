-- Two-way email (#16): a complaint's conversation holds the customer's
-- emails too (direction 'in'), each from one stored inbound message.

-- +goose Up
ALTER TABLE complaint_messages
    ADD COLUMN direction text NOT NULL DEFAULT 'out' CHECK (direction IN ('out', 'in')),
    ADD COLUMN inbound_message_id bigint UNIQUE REFERENCES inbound_messages (id);
ALTER TABLE complaint_messages DROP CONSTRAINT complaint_messages_kind_check,
    ADD CONSTRAINT complaint_messages_kind_check
    CHECK (kind IN ('acknowledgement', 'reply', 'resolution', 'customer_reply', 'auto_reply'));
ALTER TABLE complaint_messages DROP CONSTRAINT complaint_messages_state_check,
    ADD CONSTRAINT complaint_messages_state_check CHECK (state IN ('pending', 'sent', 'skipped', 'failed', 'received'));
ALTER TABLE complaint_messages ADD CONSTRAINT complaint_messages_direction_kind
    CHECK ((direction = 'in') = (kind IN ('customer_reply', 'auto_reply')));

-- +goose Down
DELETE FROM complaint_messages WHERE direction = 'in';
ALTER TABLE complaint_messages DROP CONSTRAINT complaint_messages_direction_kind;
ALTER TABLE complaint_messages DROP CONSTRAINT complaint_messages_state_check,
    ADD CONSTRAINT complaint_messages_state_check CHECK (state IN ('pending', 'sent', 'skipped', 'failed'));
ALTER TABLE complaint_messages DROP CONSTRAINT complaint_messages_kind_check,
    ADD CONSTRAINT complaint_messages_kind_check CHECK (kind IN ('acknowledgement', 'reply', 'resolution'));
ALTER TABLE complaint_messages DROP COLUMN inbound_message_id, DROP COLUMN direction;
