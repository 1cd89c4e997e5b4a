#!/usr/bin/env bash
# Chat fan-out latency against a release build on PostgreSQL: CHAT_CLIENTS WebSocket clients in
# one room, CHAT_MESSAGES messages posted over REST one every CHAT_INTERVAL_MS from CHAT_SENDERS
# of them; prints p50/p90/p99/max of "just before the POST → frame received", per delivery.
#   CHAT_CLIENTS (300)  CHAT_MESSAGES (100)  CHAT_INTERVAL_MS (100)  CHAT_SENDERS (20)
#   CHAT_REPLICAS (1; 2 = two server processes on one database, clients split between them,
#                  messages posted to the first: delivery across processes via NOTIFY)
#   CHAT_PORT (18090)  TEST_DATABASE_URL (postgres://postgres@127.0.0.1:5432/postgres)
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$REPO_ROOT"

clients="${CHAT_CLIENTS:-300}"
messages="${CHAT_MESSAGES:-100}"
interval="${CHAT_INTERVAL_MS:-100}"
senders="${CHAT_SENDERS:-20}"
replicas="${CHAT_REPLICAS:-1}"
port="${CHAT_PORT:-18090}"

log "building the server and the latency client (release)"
cargo build --release -p musabaqati
cargo build --release -p tests --example chat_latency
bin="$CARGO_TARGET_DIR/release/musabaqati"
client="$CARGO_TARGET_DIR/release/examples/chat_latency"

bash scripts/ensure-postgres.sh || { log "PostgreSQL is not reachable"; exit 1; }
admin_url="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
psql "$admin_url" -qc "DROP DATABASE IF EXISTS mq_chat_bench WITH (FORCE)" -c "CREATE DATABASE mq_chat_bench" >/dev/null
export DATABASE_URL="${admin_url%/*}/mq_chat_bench"
export MUSABAQATI_DB_MAX_CONNECTIONS="${MUSABAQATI_DB_MAX_CONNECTIONS:-16}"

log "seeding $clients users"
RUST_LOG=warn "$bin" seed-demo --users "$clients" --ledger-per-user 1 >/dev/null

# One file descriptor per socket on both sides.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
export RUST_LOG=warn
export MUSABAQATI_RATE_LIMIT_PER_SECOND=100000000 MUSABAQATI_RATE_LIMIT_BURST=100000000 MUSABAQATI_AUTH_RATE_LIMIT_PER_MINUTE=100000000
work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
bases=()
for i in $(seq 0 $((replicas - 1))); do
  p=$((port + i))
  MUSABAQATI_BIND="127.0.0.1:$p" "$bin" serve >"$work/server-$i.log" 2>&1 &
  pids+=($!)
  bases+=("http://127.0.0.1:$p")
done
for b in "${bases[@]}"; do
  for _ in $(seq 1 60); do curl -fs "$b/health/ready" >/dev/null 2>&1 && break; sleep 0.5; done
done
ws_bases=$(IFS=,; echo "${bases[*]}")
for i in "${!bases[@]}"; do
  log "server $i RSS at start: $(( $(ps -o rss= -p "${pids[$i]}" | tr -d ' ') / 1024 )) MB"
done

log "measuring: $clients clients, $messages messages every ${interval}ms, $replicas server process(es)"
server_pids=$(IFS=,; echo "${pids[*]}")
"$client" --base "${bases[0]}" --ws-bases "$ws_bases" --clients "$clients" \
  --messages "$messages" --interval-ms "$interval" --senders "$senders" --pids "$server_pids"
