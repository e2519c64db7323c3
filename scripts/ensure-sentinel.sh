#!/usr/bin/env bash
# Makes sure redis-server can run as a Sentinel, for the Sentinel failover
# test (internal/haenv) and cmd/bench-ha. Debian's redis-sentinel package
# is a symlink to the same multi-call binary as redis-server (both point
# to redis-check-rdb) plus a service; `redis-server --sentinel` is the same
# program, so redis-server is enough. Installs it (and redis-sentinel,
# without starting its service) from Debian's packages when absent.
set -euo pipefail
command -v redis-server >/dev/null 2>&1 && exit 0
echo "test-ha: installing redis-server and redis-sentinel" >&2
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
# No service may start on the machine's ports: the test starts its own.
policy=/usr/sbin/policy-rc.d
made_policy=0
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\nexit 101\n' | as_root tee "$policy" >/dev/null
	as_root chmod 755 "$policy"
	made_policy=1
fi
trap '[ "$made_policy" -eq 1 ] && as_root rm -f "$policy"' EXIT
as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q redis-server redis-sentinel >/dev/null
