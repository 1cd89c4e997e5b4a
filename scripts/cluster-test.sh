#!/usr/bin/env bash
# The cluster test (CI runs it after the browser tests; SKIP_CLUSTER=1 skips it there): brings up
# the shipped topology with scripts/cluster.sh in a fresh state folder, then
#   1. a mixed workload through nginx against both replicas from concurrent clients while
#      PostgreSQL is restarted, one replica is SIGKILLed and started again and the other is
#      stopped with SIGTERM (it drains) and started again; then every acknowledged operation must
#      be in the database exactly once, nothing applied twice, and verify-ledger clean;
#   2. a rolling restart (replicas one by one, each taken out of nginx first) under load with no
#      failed request;
#   3. a backup round trip (scripts/backup.sh: pg_dump, pg_restore into a new database,
#      verify-ledger and row counts on the copy);
# and prints each fault's error window and the throughput before, during and after.
# CLUSTER_TEST_DURATION (default 60 s) and CLUSTER_TEST_CLIENTS (12) size the workload; the
# reports land in $CLUSTER_DIR/report-*.json. Stops the cluster at the end.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$REPO_ROOT"

export CLUSTER_DIR="${CLUSTER_DIR:-/var/tmp/musabaqati-cluster-test}"
[ "$(id -u)" = 0 ] || CLUSTER_DIR="${CLUSTER_DIR/#\/var\/tmp/$HOME/.cache/musabaqati}"
# Its own ports, so it can run beside `make cluster`.
export CLUSTER_HTTPS_PORT="${CLUSTER_HTTPS_PORT:-9443}" CLUSTER_HTTP_PORT="${CLUSTER_HTTP_PORT:-9080}"
export CLUSTER_PG_PORT="${CLUSTER_PG_PORT:-5434}" CLUSTER_REDIS_PORT="${CLUSTER_REDIS_PORT:-6381}"
export CLUSTER_REPLICA_PORTS="${CLUSTER_REPLICA_PORTS:-18091 18092}"
# Every test client comes from 127.0.0.1, so the per-address limits (shared through Redis, as in
# production) would throttle the whole workload as one person.
export MUSABAQATI_RATE_LIMIT_PER_SECOND=100000 MUSABAQATI_RATE_LIMIT_BURST=100000
export MUSABAQATI_AUTH_RATE_LIMIT_PER_MINUTE=1000000
export MUSABAQATI_WORKERS="${MUSABAQATI_WORKERS:-2}" RUST_LOG="${RUST_LOG:-warn}"
DURATION="${CLUSTER_TEST_DURATION:-60}"
CLIENTS="${CLUSTER_TEST_CLIENTS:-12}"
started=$(date +%s)

cluster() { bash scripts/cluster.sh "$@"; }
cleanup() { cluster down >/dev/null 2>&1 || true; }
trap cleanup EXIT

bash scripts/ensure-tools.sh python
cluster down >/dev/null 2>&1 || true
rm -rf "$CLUSTER_DIR"
log "cluster test: bringing the cluster up in $CLUSTER_DIR"
cluster up
eval "$(cluster env)"
ADMIN_PASSWORD="cluster-admin-$(openssl rand -hex 8)"
ADMIN_PASSWORD="$ADMIN_PASSWORD" DATABASE_URL="$DATABASE_URL" "$BIN" create-admin \
  --username admin --email admin@example.com >/dev/null
export PATH="$PG_BIN:$PATH"

# The SPA and the redirect, as a browser meets them.
curl -fsS --cacert "$CLUSTER_DIR/tls/cert.pem" "$BASE_URL/" | grep -q '<html' ||
  { log "the SPA's index.html is not served through nginx"; exit 1; }
code=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:$CLUSTER_HTTP_PORT/leaderboard")
case "$code" in
  "301 https://127.0.0.1:$CLUSTER_HTTPS_PORT/leaderboard") ;;
  *) log "port $CLUSTER_HTTP_PORT does not redirect to https: $code"; exit 1 ;;
esac

# The chat WebSocket upgrades through nginx (101), signed in with a token from a sign-in there.
token=$(curl -fsS --cacert "$CLUSTER_DIR/tls/cert.pem" -H 'content-type: application/json' \
  -d "{\"login\":\"admin\",\"password\":\"$ADMIN_PASSWORD\"}" "$BASE_URL/api/v1/auth/login" |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])')
upgrade=$(curl -s --http1.1 --max-time 3 --cacert "$CLUSTER_DIR/tls/cert.pem" -o /dev/null -w '%{http_code}' \
  -H 'Connection: Upgrade' -H 'Upgrade: websocket' -H 'Sec-WebSocket-Version: 13' \
  -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' "$BASE_URL/api/v1/ws?token=$token" || true)
[ "$upgrade" = 101 ] || { log "the WebSocket upgrade through nginx answered $upgrade, not 101"; exit 1; }
log "through nginx: the SPA over https, port $CLUSTER_HTTP_PORT redirecting, the WebSocket upgrading (101)"

workload() {
  python3 tests/cluster/workload.py --base "$BASE_URL" --cafile "$CLUSTER_DIR/tls/cert.pem" \
    --db-url "$DATABASE_URL" --bin "$BIN" --admin-password "$ADMIN_PASSWORD" \
    --clients "$CLIENTS" "$@"
}

# Faults at a quarter, half and three quarters of the run (a SIGKILLed or SIGTERMed replica is
# started again at once, as a supervisor would).
q=$((DURATION / 4))
log "1/3 mixed workload for ${DURATION}s with faults: PostgreSQL restart at ${q}s, SIGKILL replica 1 at $((2 * q))s, SIGTERM replica 2 at $((3 * q))s"
workload --duration "$DURATION" --report "$CLUSTER_DIR/report-faults.json" \
  --faults "$q:restart-postgres,$((2 * q)):kill-replica 1+start-replica 1,$((3 * q)):term-replica 2+start-replica 2"

log "2/3 rolling restart under load: no request may fail"
workload --clients 6 --duration 25 --expect-no-errors --report "$CLUSTER_DIR/report-rolling.json" \
  --faults "3:rolling-restart"

log "3/3 backup and restore round trip"
BACKUP_DIR="$CLUSTER_DIR/backup" bash scripts/backup.sh roundtrip "$DATABASE_URL"

log "cluster test passed in $(($(date +%s) - started))s (reports: $CLUSTER_DIR/report-*.json)"
