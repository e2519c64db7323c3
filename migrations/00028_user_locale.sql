-- Staff pages in French and English (#15): the language a person chose for
-- the staff pages; empty means the browser's language.

-- +goose Up
ALTER TABLE users ADD COLUMN locale text NOT NULL DEFAULT '' CHECK (locale IN ('', 'en', 'fr'));

-- +goose Down
ALTER TABLE users DROP COLUMN locale;
