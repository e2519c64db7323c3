-- Customers' data (#17): a customer erased keeps their row (the reports'
-- anonymous figures join it) with erased_at set and every personal field
-- replaced; each export and erase is recorded in privacy_audit (who, when,
-- which customer, which action; never the data itself).
-- An address suppressed (bounced, unsubscribed) when its customer is
-- erased is kept only as the SHA-256 of the lower-cased address
-- ('sha256:' || hex); should a customer row carry that address again, the
-- trigger below suppresses it again in clear, so an erased person who had
-- asked for no more email never gets one.

-- +goose Up
ALTER TABLE customers ADD COLUMN erased_at timestamptz;

CREATE TABLE privacy_audit (
    id          bigserial PRIMARY KEY,
    at          timestamptz NOT NULL,
    action      text NOT NULL CHECK (action IN ('export', 'erase')),
    customer_id bigint NOT NULL,
    -- Who: the user's id when a person signed in did it, and how (their
    -- email for the API, "cli" for the command).
    actor_id    bigint REFERENCES users (id) ON DELETE SET NULL,
    actor       text NOT NULL CHECK (actor <> ''),
    -- What was done, in counts only (rows erased per table).
    counts      jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX privacy_audit_at ON privacy_audit (at DESC, id DESC);
CREATE INDEX privacy_audit_customer ON privacy_audit (customer_id);

-- +goose StatementBegin
CREATE FUNCTION customer_email_hash(email text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
RETURN 'sha256:' || encode(sha256(convert_to(lower(trim(email)), 'UTF8')), 'hex');
-- +goose StatementEnd

-- erase_evidence replaces the customer's words quoted in an array of
-- objects (a reply's reasons, signals and risk evidence, a complaint's
-- reasons): "evidence" (their words) and "term" (the word of the lexicon
-- they used) become "[erased]", every other key stays.
-- +goose StatementBegin
CREATE FUNCTION erase_evidence(a jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
RETURN CASE WHEN jsonb_typeof(a) <> 'array' THEN a ELSE
    (SELECT coalesce(jsonb_agg(CASE WHEN jsonb_typeof(e) <> 'object' THEN e ELSE e
                                   || CASE WHEN e ->> 'evidence' <> '' THEN '{"evidence": "[erased]"}'::jsonb ELSE '{}'::jsonb END
                                   || CASE WHEN e ->> 'term' <> '' THEN '{"term": "[erased]"}'::jsonb ELSE '{}'::jsonb END
                               END ORDER BY n), '[]'::jsonb)
     FROM jsonb_array_elements(a) WITH ORDINALITY AS x(e, n)) END;
-- +goose StatementEnd

-- erase_mention replaces every mention of needle in t (ignoring case) by
-- "[erased]": an address quoted in an SMTP error, say.
-- +goose StatementBegin
CREATE FUNCTION erase_mention(t text, needle text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
RETURN CASE WHEN needle = '' THEN t ELSE
    regexp_replace(t, regexp_replace(needle, '([.+*?^$(){}|\[\]\\-])', '\\\1', 'g'), '[erased]', 'gi') END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION customers_resuppress() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO email_suppressions (email, reason, detail, created_at)
    SELECT lower(NEW.email), s.reason, '', s.created_at FROM email_suppressions s
    WHERE s.email = customer_email_hash(NEW.email)
    ON CONFLICT (email) DO NOTHING;
    RETURN NEW;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER customers_resuppress AFTER INSERT ON customers
    FOR EACH ROW WHEN (NEW.erased_at IS NULL) EXECUTE FUNCTION customers_resuppress();
-- An upsert sets the email each time: only a changed address is looked up.
CREATE TRIGGER customers_resuppress_email AFTER UPDATE OF email ON customers
    FOR EACH ROW WHEN (NEW.erased_at IS NULL AND NEW.email IS DISTINCT FROM OLD.email) EXECUTE FUNCTION customers_resuppress();

-- +goose Down
DROP TRIGGER customers_resuppress_email ON customers;
DROP TRIGGER customers_resuppress ON customers;
DROP FUNCTION customers_resuppress();
DROP FUNCTION customer_email_hash(text);
DROP FUNCTION erase_evidence(jsonb);
DROP FUNCTION erase_mention(text, text);
DROP TABLE privacy_audit;
ALTER TABLE customers DROP COLUMN erased_at;
