-- Two-way email (#16): every message that comes back to the inbound domain
-- (a customer's reply, a delivery report, a spam report, an auto-reply) is
-- stored raw, once, before it is acknowledged; it is parsed and routed
-- afterwards, so a parse failure never loses it.

-- +goose Up
CREATE TABLE inbound_messages (
    id              bigserial PRIMARY KEY,
    received_at     timestamptz NOT NULL,
    -- How it came: the SMTP listener or an IMAP mailbox.
    source          text NOT NULL CHECK (source IN ('smtp', 'imap')),
    -- The client's address (SMTP) or the mailbox (IMAP).
    remote          text NOT NULL DEFAULT '',
    -- The envelope sender; empty for the null sender of a delivery report.
    mail_from       text NOT NULL DEFAULT '',
    -- The signed address it came to, lower-cased, and what it names.
    rcpt_to         text NOT NULL,
    route_kind      text NOT NULL CHECK (route_kind IN ('c', 'i', 'bi', 'bm', '')),
    route_id        bigint,
    message_id      text NOT NULL DEFAULT '',
    content_sha256  bytea NOT NULL,
    size            integer NOT NULL,
    raw             bytea NOT NULL,
    -- received: stored, not yet parsed; routed: it landed where it belongs;
    -- unmatched: kept for the admins; failed: it could not be parsed (the
    -- raw message stays).
    state           text NOT NULL DEFAULT 'received' CHECK (state IN ('received', 'routed', 'unmatched', 'failed')),
    -- What parsing found: reply, auto_reply, bounce, delay, spam_report, other.
    kind            text NOT NULL DEFAULT '',
    from_address    text NOT NULL DEFAULT '',
    subject         text NOT NULL DEFAULT '',
    body            text NOT NULL DEFAULT '',
    -- What routing did, in words, or why it failed.
    outcome         text NOT NULL DEFAULT '',
    attempts        integer NOT NULL DEFAULT 0,
    parsed_at       timestamptz
);
-- Exactly once: the same bytes, or the same Message-ID, to the same address.
CREATE UNIQUE INDEX inbound_messages_content ON inbound_messages (rcpt_to, content_sha256);
CREATE UNIQUE INDEX inbound_messages_message_id ON inbound_messages (rcpt_to, message_id) WHERE message_id <> '';
CREATE INDEX inbound_messages_unparsed ON inbound_messages (received_at) WHERE state = 'received';
CREATE INDEX inbound_messages_unmatched ON inbound_messages (received_at) WHERE state = 'unmatched';

-- +goose Down
DROP TABLE inbound_messages;
