# followup — the two commands that work on a fresh machine:
#   make demo   services up, migrations, a campaign emailed to the embedded SMTP
#               capture, simulated replies scored, complaints opened and shown
#   make test   services up, then every test against real PostgreSQL, Redis and SMTP,
#               and a short run of every fuzz target
GO ?= go

.PHONY: demo demo-once test test-ha fuzz-short lint services browser postfix sentinel build static docker docker-source vet fmt bench bench-sweep bench-blast bench-ingest bench-replies bench-inbound bench-ha drills drills-short

demo: services
	$(GO) run ./cmd/followup demo

demo-once: services
	$(GO) run ./cmd/followup demo --once

test: services browser postfix sentinel lint
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 30m ./...
	./scripts/fuzz-short.sh

# The Sentinel failover test alone (it is part of `make test` too): a Redis
# primary, replica and three Sentinels of its own, three workers, two
# schedulers and serve as processes, the primary failed over mid-campaign.
test-ha: services sentinel
	$(GO) test -count=1 -timeout 30m -run TestSentinelFailoverMidCampaign -v ./internal/haenv/

# Each native fuzz target (func FuzzXxx) for FUZZTIME (default 8s).
fuzz-short:
	./scripts/fuzz-short.sh

# golangci-lint with the architecture's rules (.golangci.yml): depguard
# (the domain imports no transport, templates no storage), errcheck,
# staticcheck, gocyclo (30), unused.
lint:
	$$(./scripts/ensure-golangci-lint.sh) run --timeout 15m ./...

services:
	./scripts/services-up.sh

# Postfix's smtp-sink: the mail tests check pipelining against a real Postfix.
postfix:
	./scripts/ensure-postfix.sh

browser:
	./scripts/ensure-chromium.sh

# redis-server, run as a Sentinel by the failover test and bench-ha.
sentinel:
	./scripts/ensure-sentinel.sh

build:
	$(GO) build -ldflags "$(VERSION_LDFLAGS)" -o bin/followup ./cmd/followup

# What followup version prints, from git (the image's context has no .git,
# and GOFLAGS may say -buildvcs=false).
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo unknown)
COMMIT ?= $(shell git rev-parse HEAD 2>/dev/null || echo unknown)
COMMIT_TIME ?= $(shell git log -1 --format=%cI 2>/dev/null || echo unknown)
MODIFIED ?= $(shell git diff --quiet HEAD 2>/dev/null && echo false || echo true)
VERSION_LDFLAGS = -X main.version=$(VERSION) -X main.commit=$(COMMIT) -X main.commitTime=$(COMMIT_TIME) -X main.modified=$(MODIFIED)
IMAGE ?= followup:latest
CA_BUNDLE ?= /etc/ssl/certs/ca-certificates.crt

# The static binary (no libc: it runs on an empty image) and the CA bundle,
# in bin/rootfs, the files of the image.
static:
	mkdir -p bin/rootfs/etc/ssl/certs
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "-s -w $(VERSION_LDFLAGS)" -o bin/rootfs/followup ./cmd/followup
	cp $(CA_BUNDLE) bin/rootfs/etc/ssl/certs/ca-certificates.crt

# The image from the binary built here: FROM scratch, nothing pulled.
docker: static
	docker build --target prebuilt -t $(IMAGE) .

# The image built entirely by Docker (pulls golang).
docker-source:
	docker build --target source --build-arg VERSION=$(VERSION) --build-arg COMMIT=$(COMMIT) \
		--build-arg COMMIT_TIME=$(COMMIT_TIME) --build-arg MODIFIED=$(MODIFIED) -t $(IMAGE) .

vet:
	$(GO) vet ./...

fmt:
	gofmt -w $$(git ls-files '*.go')

# Benchmarks (figures in BENCHMARKS.md): real PostgreSQL, Redis and Postfix's smtp-sink.
bench: bench-sweep bench-blast bench-ingest bench-replies bench-inbound bench-ha

bench-sweep: services
	$(GO) run ./cmd/bench-sweep -n 100000

bench-blast: services
	./scripts/ensure-postfix.sh
	$(GO) run ./cmd/bench-blast -n 100000

bench-ingest: services
	$(GO) run ./cmd/bench-ingest

bench-replies: services
	$(GO) run ./cmd/bench-replies -replies 30000 -rate 500 -rate-seconds 30

bench-inbound: services
	$(GO) run ./cmd/bench-inbound -messages 5000 -connections 8 -workers 8

bench-ha: services sentinel
	$(GO) run ./cmd/bench-ha -n 20000

# Fault drills (RELIABILITY.md): real followup processes on their own
# PostgreSQL, Redis and SMTP sink, started on free ports. Not part of
# `make test`. drills-short is the run CI can afford.
drills: services
	$(GO) run ./cmd/drills

drills-short: services
	$(GO) run ./cmd/drills -short
