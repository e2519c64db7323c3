# followup's image: one static binary on an empty base (FROM scratch), run
# as an unprivileged numeric user, with the CA bundle for SMTP/IMAP/webhook
# TLS. The IANA time zones are compiled into the binary (time/tzdata).
#
# Two ways to get the binary into it (see the README's Deploying):
#   make docker          builds it with the host's Go into bin/rootfs, then
#                        --target prebuilt: no image is pulled
#   make docker-source   (or a plain docker build .) builds it here, in
#                        golang:$GO_VERSION, which is pulled
# The stages are in that order so that even Docker's classic builder,
# which builds every stage up to the target, stops before the Go image.
ARG GO_VERSION=1.26.8

# What every followup image is, whatever built its binary.
FROM scratch AS meta
# A numeric user: no /etc/passwd is needed, and Kubernetes' runAsNonRoot
# can check it.
USER 65532:65532
# 8080 serve (FOLLOWUP_HTTP_ADDR), 2526 inbound SMTP (FOLLOWUP_INBOUND_ADDR),
# 9464 the probes and /metrics of the other roles (FOLLOWUP_METRICS_ADDR).
EXPOSE 8080 2526 9464
ENV FOLLOWUP_HTTP_ADDR=0.0.0.0:8080 \
    FOLLOWUP_INBOUND_ADDR=0.0.0.0:2526
# /readyz of FOLLOWUP_METRICS_ADDR when set, else of FOLLOWUP_HTTP_ADDR;
# there is no shell, the binary probes.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s CMD ["/followup", "healthcheck"]
ENTRYPOINT ["/followup"]
CMD ["serve"]

# The binary and CA bundle make static puts in bin/rootfs.
FROM meta AS prebuilt
COPY bin/rootfs/followup /followup
COPY bin/rootfs/etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt

# The binary built from source, inside the Go image.
FROM golang:${GO_VERSION} AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# The context has no .git: the version is given, as make docker-source does.
ARG VERSION=unknown
ARG COMMIT=unknown
ARG COMMIT_TIME=unknown
ARG MODIFIED=unknown
RUN CGO_ENABLED=0 go build -trimpath \
      -ldflags "-s -w -X main.version=${VERSION} -X main.commit=${COMMIT} -X main.commitTime=${COMMIT_TIME} -X main.modified=${MODIFIED}" \
      -o /out/followup ./cmd/followup

FROM meta AS source
COPY --from=build /out/followup /followup
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
