#!/usr/bin/env bash
# Installs Postfix's smtp-sink and smtp-source (package postfix, with no mail
# configuration) for the blast benchmark, when they are missing.
set -euo pipefail
export PATH="$PATH:/usr/sbin" # where Debian puts them, off a normal user's PATH
command -v smtp-sink >/dev/null 2>&1 && command -v smtp-source >/dev/null 2>&1 && exit 0
echo "bench: installing postfix (smtp-sink, smtp-source)" >&2
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
echo "postfix postfix/main_mailer_type select No configuration" | as_root debconf-set-selections
as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postfix >/dev/null
