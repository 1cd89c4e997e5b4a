#!/usr/bin/env bash
# Makes sure the PostgreSQL test server answers at TEST_DATABASE_URL (default 127.0.0.1:5432).
# Exit 0 when reachable, 1 when not (after trying to start a local cluster).
set -uo pipefail
source "$(dirname "$0")/env.sh"
url="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"

reachable() {
  if command -v pg_isready >/dev/null 2>&1; then
    pg_isready -q -d "$url" >/dev/null 2>&1
  else
    (exec 3<>/dev/tcp/127.0.0.1/5432) >/dev/null 2>&1
  fi
}

reachable && exit 0
log "PostgreSQL is not answering; trying to start the local cluster"
if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "installing PostgreSQL from Debian's packages"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    # Trust local TCP connections for the test user, as on the project's machines.
    for hba in /etc/postgresql/*/main/pg_hba.conf; do
      sed -i -E 's/^(host\s+all\s+all\s+127\.0\.0\.1\/32\s+)\S+/\1trust/; s/^(local\s+all\s+postgres\s+)\S+/\1trust/' "$hba"
    done
  fi
fi
if command -v pg_ctlcluster >/dev/null 2>&1; then
  for v in $(ls /etc/postgresql 2>/dev/null); do
    pg_ctlcluster --skip-systemctl-redirect "$v" main start >/dev/null 2>&1 || true
  done
fi
for _ in $(seq 1 30); do
  reachable && exit 0
  sleep 1
done
exit 1
