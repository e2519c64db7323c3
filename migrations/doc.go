// Package migrations embeds followup's PostgreSQL schema as goose SQL
// migrations and applies them. It owns the schema's history; the packages
// that own tables read and write them but never alter them.
package migrations
