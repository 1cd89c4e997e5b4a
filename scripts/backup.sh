#!/usr/bin/env bash
# Backup and restore of the PostgreSQL database (pg_dump's custom format: compressed, restorable
# table by table, consistent at one instant while the servers keep writing).
#
#   scripts/backup.sh dump DATABASE_URL [FILE]     write a backup (default $BACKUP_DIR/musabaqati-<UTC time>.dump)
#   scripts/backup.sh restore FILE DATABASE_URL    restore into an EMPTY database, then verify it
#   scripts/backup.sh roundtrip DATABASE_URL       dump, restore into a new database beside it,
#                                                  verify, compare row counts, drop the copy
#
# "verify" is `musabaqati verify-ledger` on the restored database (every balance equals its
# ledger, holds and refunds add up) plus the row count of every table.
# The round trip compares the copy's counts with the source's, so run it while nothing writes
# (the cluster test runs it after its workload); pg_dump itself is consistent at one instant.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$REPO_ROOT"

BACKUP_DIR="${BACKUP_DIR:-$REPO_ROOT/data/backups}"
BIN="${MUSABAQATI_BIN:-$CARGO_TARGET_DIR/release/musabaqati}"
[ -x "$BIN" ] || BIN="$CARGO_TARGET_DIR/debug/musabaqati"
# The row count of every table, in one statement (a consistent snapshot of the source too).
counts() {
  local url="$1" sql
  sql=$(psql "$url" -tAc "SELECT string_agg(format('SELECT %L AS t, COUNT(*) AS n FROM %I', table_name, table_name), ' UNION ALL ' ORDER BY table_name) FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'")
  psql "$url" -tA -F= -c "SELECT t, n FROM ($sql) c ORDER BY t" | tr '\n' ' '
  echo
}

dump() {
  local url="$1" file="${2:-}"
  mkdir -p "$BACKUP_DIR"
  file="${file:-$BACKUP_DIR/musabaqati-$(date -u +%Y%m%dT%H%M%SZ).dump}"
  pg_dump --format=custom --no-owner --no-privileges --file="$file" "$url"
  echo "$file"
}

verify() {
  local url="$1"
  DATABASE_URL="$url" "$BIN" verify-ledger
  log "rows: $(counts "$url")"
}

restore() {
  local file="$1" url="$2"
  pg_restore --no-owner --no-privileges --exit-on-error --dbname="$url" "$file"
  verify "$url"
}

roundtrip() {
  local url="$1" copy base file started
  base="${url%/*}"
  copy="musabaqati_restore_$(date +%s)"
  started=$(date +%s%N)
  file="$BACKUP_DIR/roundtrip.dump"
  mkdir -p "$BACKUP_DIR"
  pg_dump --format=custom --no-owner --no-privileges --file="$file" "$url"
  local dumped restored size
  size=$(stat -c %s "$file")
  psql "$base/postgres" -qc "CREATE DATABASE $copy" >/dev/null
  pg_restore --no-owner --no-privileges --exit-on-error --dbname="$base/$copy" "$file"
  log "backup of $size bytes dumped and restored in $((($(date +%s%N) - started) / 1000000)) ms"
  DATABASE_URL="$base/$copy" "$BIN" verify-ledger
  restored=$(counts "$base/$copy")
  dumped=$(counts "$url")
  log "rows in the source: $dumped"
  log "rows in the copy:   $restored"
  psql "$base/postgres" -qc "DROP DATABASE $copy WITH (FORCE)" >/dev/null
  if [ "$dumped" != "$restored" ]; then
    log "the restored copy's row counts differ from the source's"; exit 1
  fi
  log "backup round trip: verify-ledger clean, row counts equal"
}

case "${1:-}" in
  dump) dump "${2:?DATABASE_URL}" "${3:-}" ;;
  restore) restore "${2:?FILE}" "${3:?DATABASE_URL}" ;;
  roundtrip) roundtrip "${2:?DATABASE_URL}" ;;
  *) echo "usage: $0 dump DATABASE_URL [FILE] | restore FILE DATABASE_URL | roundtrip DATABASE_URL" >&2; exit 2 ;;
esac
