package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/emersion/go-smtp"
	_ "github.com/lib/pq"
	"github.com/redis/go-redis/v9"

	"github.com/followup/followup/clock"
	"github.com/followup/followup/inbound"
	"github.com/followup/followup/inbound/route"
	"github.com/followup/followup/internal/benchenv"
	"github.com/followup/followup/mail/receive"
	"github.com/followup/followup/worker"
)

func main() {
	dbURL := flag.String("database-url", benchenv.Env("FOLLOWUP_DATABASE_URL", "postgres://followup:followup@127.0.0.1:5432/followup_test?sslmode=disable"), "PostgreSQL database; a fresh schema is created in it and dropped after")
	redisURL := flag.String("redis-url", benchenv.Env("FOLLOWUP_REDIS_URL", "redis://127.0.0.1:6379/0"), "Redis (a private queue prefix is used and cleaned)")
	messages := flag.Int("messages", 5000, "messages sent")
	conns := flag.Int("connections", 8, "concurrent SMTP connections")
	workers := flag.Int("workers", 8, "concurrent parsers")
	keep := flag.Bool("keep", false, "keep the schema for inspection")
	flag.Parse()
	if err := run(*dbURL, *redisURL, *messages, *conns, *workers, *keep); err != nil {
		fmt.Fprintln(os.Stderr, "bench-inbound:", err)
		os.Exit(1)
	}
}

func run(dbURL, redisURL string, n, conns, workers int, keep bool) error {
	ctx := context.Background()
	schema, err := benchenv.NewSchema(ctx, dbURL)
	if err != nil {
		return err
	}
	if !keep {
		defer schema.Drop()
	}
	opt, err := redis.ParseURL(redisURL)
	if err != nil {
		return err
	}
	rdb := redis.NewClient(opt)
	defer rdb.Close()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	prefix := "bench-inbound-" + hex.EncodeToString(b) + "-"
	defer cleanQueues(rdb, prefix)

	secret := make([]byte, 32)
	_, _ = rand.Read(secret)
	addrs, err := inbound.NewAddresser("reply.bench.test", secret)
	if err != nil {
		return err
	}
	store := inbound.NewStore(schema.DB)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	l, err := receive.NewListener(receive.Config{Addresses: addrs, Store: store, MaxBytes: 20 << 20,
		Queue: worker.NewClient(rdb, worker.ClientConfig{Queues: worker.Queues{Prefix: prefix}}), Log: quiet})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	go func() { _ = l.Serve(ln) }()
	defer l.Close()

	fmt.Printf("bench-inbound: %s\nschema %s, %d messages, %d SMTP connections, %d parsers\n", benchenv.Machine(), schema.Name, n, conns, workers)
	raw := sample()
	fmt.Printf("message size: %d bytes\n", len(raw(0, "x@y")))

	// Received: stored once, parsing queued, then 250.
	var next atomic.Int64
	start := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, conns)
	for range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := smtp.Dial(ln.Addr().String())
			if err != nil {
				errs <- err
				return
			}
			defer c.Close()
			for {
				i := int(next.Add(1))
				if i > n {
					return
				}
				to := addrs.Address(inbound.KindComplaint, int64(1_000_000+i))
				if err := send(c, to, raw(i, to)); err != nil {
					errs <- fmt.Errorf("message %d: %w", i, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	received := time.Since(start)
	close(errs)
	for err := range errs {
		return err
	}
	var stored int
	if err := schema.DB.Get(&stored, `SELECT count(*) FROM inbound_messages`); err != nil {
		return err
	}
	fmt.Printf("received: %d messages stored in %s: %.0f messages/s (each committed to PostgreSQL and its parse task queued in Redis before the 250)\n",
		stored, received.Round(time.Millisecond), float64(stored)/received.Seconds())

	// Parsed and routed.
	var ids []int64
	if err := schema.DB.Select(&ids, `SELECT id FROM inbound_messages ORDER BY id`); err != nil {
		return err
	}
	r := &route.Router{Inbound: store, Clock: clock.Real{}, Log: quiet}
	work := make(chan int64)
	var failed atomic.Int64
	start = time.Now()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range work {
				if err := r.Process(ctx, id); err != nil {
					failed.Add(1)
				}
			}
		}()
	}
	for _, id := range ids {
		work <- id
	}
	close(work)
	wg.Wait()
	parsed := time.Since(start)
	var settled int
	if err := schema.DB.Get(&settled, `SELECT count(*) FROM inbound_messages WHERE state = 'unmatched' AND kind = 'reply' AND body LIKE 'Still no refund%'`); err != nil {
		return err
	}
	fmt.Printf("parsed: %d messages parsed and routed in %s: %.0f messages/s (%d failed)\n",
		settled, parsed.Round(time.Millisecond), float64(settled)/parsed.Seconds(), failed.Load())
	if stored != n || settled != n {
		return fmt.Errorf("%d sent, %d stored, %d parsed: every message must be stored once and parsed", n, stored, settled)
	}
	return nil
}

func send(c *smtp.Client, to string, raw []byte) error {
	if err := c.Mail("customer@example.com", nil); err != nil {
		return err
	}
	if err := c.Rcpt(to, nil); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(raw); err != nil {
		return err
	}
	return w.Close()
}

// sample is a customer's reply as Gmail writes it: multipart/alternative,
// quoted-printable UTF-8, the original quoted.
func sample() func(i int, to string) []byte {
	const tpl = `MIME-Version: 1.0
Date: Wed, 2 Dec 2026 10:12:00 +0100
Message-ID: <bench-%d@mail.gmail.com>
Subject: Re: =?UTF-8?Q?Votre_demande_=2342?=
From: =?UTF-8?Q?Zo=C3=A9_Tremblay?= <zoe@example.fr>
To: Acme <%s>
Content-Type: multipart/alternative; boundary="000000000000aaaa"

--000000000000aaaa
Content-Type: text/plain; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable

Still no refund (message %d). The parcel arrived damaged and nobody called =
me back. I will post the photos on Facebook if nothing happens this week.

Le lun. 1 d=C3=A9c. 2026 =C3=A0 10:00, Acme Service Client <
%s> a =C3=A9crit :

> Bonjour Zo=C3=A9, nous avons bien re=C3=A7u votre demande et une personne =
de notre service client vous contactera demain au plus tard.
>
> Acme

--000000000000aaaa
Content-Type: text/html; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable

<div dir=3D"ltr">Still no refund (message %d). The parcel arrived damaged and=
 nobody called me back.</div><br><div class=3D"gmail_quote">Le lun. 1 d=C3=A9c.=
 2026 =C3=A0 10:00, Acme a =C3=A9crit&nbsp;:<blockquote>Bonjour Zo=C3=A9</blockq=
uote></div>

--000000000000aaaa--
`
	return func(i int, to string) []byte {
		return []byte(strings.ReplaceAll(fmt.Sprintf(tpl, i, to, i, to, i), "\n", "\r\n"))
	}
}

// cleanQueues deletes the benchmark's queue keys.
func cleanQueues(rdb *redis.Client, prefix string) {
	ctx := context.Background()
	iter := rdb.Scan(ctx, 0, "*"+prefix+"*", 1000).Iterator()
	for iter.Next(ctx) {
		rdb.Del(ctx, iter.Val())
	}
}
