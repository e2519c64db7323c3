#!/usr/bin/env bash
# Installs golangci-lint (the version the project's .golangci.yml is written
# for) into ./bin when it is absent or another version, from the Go module
# proxy: no download site is needed. Prints the binary's path.
set -euo pipefail
cd "$(dirname "$0")/.."
version=v2.15.0
bin="$PWD/bin/golangci-lint"
if [ -x "$bin" ] && "$bin" version 2>/dev/null | grep -q "${version#v}"; then
  echo "$bin"
  exit 0
fi
echo "installing golangci-lint $version into ./bin (built from the Go module proxy, a few minutes the first time)" >&2
GOBIN="$PWD/bin" go install "github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$version" >&2
echo "$bin"
