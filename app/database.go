package app

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// EnsureDatabase creates the database named in rawURL when it does not
// exist, connecting to the server's "postgres" database to do so. Meant for
// development machines and the demo; production databases are provisioned.
func EnsureDatabase(ctx context.Context, rawURL string) error {
	probe, err := sqlx.Open("postgres", rawURL)
	if err != nil {
		return err
	}
	defer probe.Close()
	err = probe.PingContext(ctx)
	var pqErr *pq.Error
	if err == nil || !errors.As(err, &pqErr) || pqErr.Code != "3D000" { // 3D000: invalid_catalog_name
		return err
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return err
	}
	name := strings.TrimPrefix(u.Path, "/")
	u.Path = "/postgres"
	admin, err := sqlx.Open("postgres", u.String())
	if err != nil {
		return err
	}
	defer admin.Close()
	_, err = admin.ExecContext(ctx, "CREATE DATABASE "+pq.QuoteIdentifier(name))
	if errors.As(err, &pqErr) && pqErr.Code == "42P04" { // created meanwhile
		return nil
	}
	if err != nil {
		return fmt.Errorf("create database %s: %w", name, err)
	}
	return nil
}
