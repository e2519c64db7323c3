-- Two-way email (#16): the files a customer sends with a reply (photos of a
-- damaged parcel), each within FOLLOWUP_INBOUND_ATTACHMENT_MAX. A file over
-- the limit keeps its row (name, size, the note saying why) without its
-- bytes, so the reply is never lost and the team knows a file was left out.

-- +goose Up
CREATE TABLE inbound_attachments (
    id                  bigserial PRIMARY KEY,
    inbound_message_id  bigint NOT NULL REFERENCES inbound_messages (id) ON DELETE CASCADE,
    -- Its place among the message's files: stored once per message.
    position            integer NOT NULL,
    -- The sender's file name without any path, control character or quote.
    filename            text NOT NULL,
    -- The type the sender declared, and the one its first bytes show.
    declared_type       text NOT NULL DEFAULT '',
    sniffed_type        text NOT NULL DEFAULT '',
    size                integer NOT NULL,
    sha256              bytea NOT NULL,
    -- NULL when the file was left out (kept = false); note says why.
    data                bytea,
    kept                boolean NOT NULL,
    note                text NOT NULL DEFAULT '',
    UNIQUE (inbound_message_id, position),
    CHECK (kept = (data IS NOT NULL))
);

-- +goose Down
DROP TABLE inbound_attachments;
