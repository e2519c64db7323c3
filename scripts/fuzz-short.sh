#!/usr/bin/env bash
# Runs every native Go fuzz target for a short time (FUZZTIME, default 8s
# each; about a minute in all). `go test -fuzz` takes one target per
# package invocation, hence the loop. A crash fails the run and go test
# writes the input under the package's testdata/fuzz/FuzzX/.
set -euo pipefail
GO=${GO:-go}
FUZZTIME=${FUZZTIME:-8s}
targets=(
	"./surveys FuzzVerify"
	"./surveys FuzzParseForm"
	"./comments FuzzReadDecide"
	"./web/api FuzzEventJSON"
	"./web/api FuzzDecodeBatch"
	"./ingest FuzzImportCSV"
)
for t in "${targets[@]}"; do
	read -r pkg name <<<"$t"
	echo "fuzz: $name in $pkg for $FUZZTIME"
	"$GO" test -run='^$' -fuzz="^${name}\$" -fuzztime="$FUZZTIME" "$pkg"
done
