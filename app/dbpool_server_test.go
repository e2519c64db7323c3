package app_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"testing"

	"github.com/followup/followup/app"
	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/internal/testenv"
	"github.com/followup/followup/mail/capture"
)

// TestConcurrencyDoesNotExhaustTheServer: a worker with concurrency 1000
// opens no more PostgreSQL connections than its share of the server's
// max_connections.
func TestConcurrencyDoesNotExhaustTheServer(t *testing.T) {
	schema := testenv.NewSchema(t)
	queues := testenv.NewQueues(t)
	smtpSrv, err := capture.Start(capture.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer smtpSrv.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	env := apptest.Env(schema, queues, smtpSrv, ln)
	env["FOLLOWUP_WORKER_CONCURRENCY"] = "1000"
	env["FOLLOWUP_DATABASE_PROCESSES"] = "4"
	a, err := app.New(context.Background(), apptest.Config(t, env), slog.New(slog.NewTextHandler(io.Discard, nil)), app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	var maxConns, reserved int
	if err := schema.DB.QueryRow(`SELECT current_setting('max_connections')::int, current_setting('superuser_reserved_connections')::int`).Scan(&maxConns, &reserved); err != nil {
		t.Fatal(err)
	}
	if got, share := a.DB.Stats().MaxOpenConnections, (maxConns-reserved)/4; got != share {
		t.Errorf("pool of %d connections with concurrency 1000, want the quarter share of the server's %d: %d", got, maxConns-reserved, share)
	}
}
