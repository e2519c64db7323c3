// Package migrations embeds followup's PostgreSQL schema as goose SQL
// migrations and applies them. It owns the schema's history; the packages
// that own tables read and write them but never alter them.
//
// Tables: the schema itself and goose's version table. No data row is
// written here, and no migration may be edited once released.
package migrations
