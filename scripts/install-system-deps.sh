#!/usr/bin/env bash
# Debian packages the test suite's real peers need: OpenSSH's sshd (SFTP connector) and the Tryton
# ERP server with the modules a distributor uses (ERP connector). Idempotent and quiet when present.
set -euo pipefail
packages=(
  openssh-server openssh-client
  tryton-server tryton-modules-stock tryton-modules-purchase tryton-modules-sale
  tryton-modules-stock-supply tryton-modules-purchase-request tryton-modules-sale-supply python3-psycopg2
)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then echo "need root to install: ${missing[*]}" >&2; exit 1; fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
echo "system packages present: ${#packages[@]}"
