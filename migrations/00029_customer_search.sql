-- Customer search (#15): the CX queue and the customer pages find a customer
-- by part of their name or email (case- and accent-insensitive) or by their
-- exact external reference. customers.search_text is the customer's name and
-- email folded to lower case without French and common Latin accents (kept
-- by PostgreSQL, a generated column); a trigram index (pg_trgm) on it
-- answers '%part%' without reading the whole table.
-- pg_trgm is a trusted extension: the database's owner may create it. Where
-- it cannot be created (or lives in another schema and is unusable), the
-- search still works, by scanning.

-- +goose Up
-- +goose StatementBegin
CREATE FUNCTION customer_search_fold(t text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
RETURN translate(lower(t),
    'àáâãäåāçćčèéêëēėęìíîïīñńòóôõöøōœùúûüūýÿžšß',
    'aaaaaaaccceeeeeeeiiiiinnoooooooouuuuuyyzss');
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION customer_search_text(name text, email text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN customer_search_fold(coalesce(name, '') || ' ' || coalesce(email, ''));
-- +goose StatementEnd

ALTER TABLE customers ADD COLUMN search_text text NOT NULL
    GENERATED ALWAYS AS (customer_search_text(name, email)) STORED;

-- +goose StatementBegin
DO $$
DECLARE
    ext_schema text;
BEGIN
    BEGIN
        CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
    EXCEPTION WHEN others THEN
        RAISE NOTICE 'pg_trgm not available (%): customer search scans the customers', SQLERRM;
    END;
    SELECT extnamespace::regnamespace::text INTO ext_schema FROM pg_extension WHERE extname = 'pg_trgm';
    IF ext_schema IS NOT NULL THEN
        EXECUTE format('CREATE INDEX customers_search_trgm ON customers USING gin (search_text %s.gin_trgm_ops)',
            quote_ident(ext_schema));
    END IF;
END
$$;
-- +goose StatementEnd

-- +goose Down
DROP INDEX IF EXISTS customers_search_trgm;
ALTER TABLE customers DROP COLUMN search_text;
DROP FUNCTION customer_search_text(text, text);
DROP FUNCTION customer_search_fold(text);
