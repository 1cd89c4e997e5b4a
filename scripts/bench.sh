#!/usr/bin/env bash
# Load benchmarks with wrk against a release build on seeded data. Every figure is printed next
# to the server's own /health/live measured in the same run, because these machines are noisy.
#   BENCH_BACKEND=postgres|sqlite (default postgres)  BENCH_USERS (100000)  BENCH_LEDGER_PER_USER (10)
#   BENCH_SECONDS (10)  BENCH_CONNECTIONS (64)  CTFD_URL (unset: a running CTFd to compare with)
#   BENCH_BIN (unset: build this tree in release; set: that server binary, e.g. to compare builds)
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$REPO_ROOT"

backend="${BENCH_BACKEND:-postgres}"
users="${BENCH_USERS:-100000}"
per_user="${BENCH_LEDGER_PER_USER:-10}"
secs="${BENCH_SECONDS:-10}"
conns="${BENCH_CONNECTIONS:-64}"
port="${BENCH_PORT:-18080}"
base="http://127.0.0.1:$port"
out="$CARGO_TARGET_DIR/bench-results.md"

command -v wrk >/dev/null || { log "installing wrk"; apt-get install -y -qq wrk >/dev/null; }
if [ -n "${BENCH_BIN:-}" ]; then
  bin="$BENCH_BIN"
else
  log "building the server (release)"
  cargo build --release -p musabaqati
  bin="$CARGO_TARGET_DIR/release/musabaqati"
fi
work=$(mktemp -d)

if [ "$backend" = postgres ]; then
  bash scripts/ensure-postgres.sh || { log "PostgreSQL is not reachable"; exit 1; }
  admin_url="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
  # No TLS to a database on the same machine, as in docker-compose.yml (the postgres image runs
  # without TLS); the Debian server here offers it, and sqlx's default `prefer` would take it.
  export DATABASE_URL="${admin_url%/*}/mq_bench?sslmode=disable"
  # BENCH_REUSE=1 keeps an already seeded mq_bench database (seeding 100k users takes minutes).
  if [ -z "${BENCH_REUSE:-}" ] || ! psql "$DATABASE_URL" -qc "SELECT 1" >/dev/null 2>&1; then
    psql "$admin_url" -qc "DROP DATABASE IF EXISTS mq_bench WITH (FORCE)" -c "CREATE DATABASE mq_bench" >/dev/null
  fi
  # The pool keeps its default size (10): more connections than cores only queue inside PostgreSQL.
else
  unset DATABASE_URL
  export MUSABAQATI_DATA_DIR="$work"
fi

log "seeding $users users x $per_user ledger rows on $backend"
t0=$(date +%s)
RUST_LOG=warn "$bin" seed-demo --users "$users" --ledger-per-user "$per_user"
log "seeded in $(( $(date +%s) - t0 ))s"

export MUSABAQATI_BIND="127.0.0.1:$port" RUST_LOG=warn
export MUSABAQATI_RATE_LIMIT_PER_SECOND=100000000 MUSABAQATI_RATE_LIMIT_BURST=100000000 MUSABAQATI_AUTH_RATE_LIMIT_PER_MINUTE=100000000
"$bin" serve > "$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
ready=""
for _ in $(seq 1 60); do curl -fs "$base/health/ready" >/dev/null 2>&1 && { ready=1; break; }; sleep 0.5; done
[ -n "$ready" ] || { log "the server did not become ready:"; cat "$work/server.log"; exit 1; }

login() {
  curl -fs -X POST "$base/api/v1/auth/login" -H 'content-type: application/json' \
    -d "{\"login\":\"$1\",\"password\":\"demo-password-123\"}" | sed -E 's/.*"access_token":"([^"]+)".*/\1/'
}
token=$(login demo_user_1)

run() { # name, then wrk args
  local name=$1; shift
  local res
  res=$(wrk -t2 -c"$conns" -d"${secs}s" --latency "$@" 2>&1)
  local rps p99 non2xx
  rps=$(echo "$res" | awk '/Requests\/sec/ {print $2}')
  p99=$(echo "$res" | awk '$1=="99%" {print $2}')
  non2xx=$(echo "$res" | awk '/Non-2xx/ {print $5}')
  # Requests that never got an answer within wrk's timeout are failures too.
  timeouts=$(echo "$res" | awk '/Socket errors/ {gsub(",", ""); print $NF}')
  [ -n "$timeouts" ] && [ "$timeouts" != 0 ] && non2xx="${non2xx:-0} (+$timeouts timed out)"
  printf '| %s | %s | %s | %s |\n' "$name" "$rps" "$p99" "${non2xx:-0}" | tee -a "$out"
}

{
  echo "## Benchmark $(date -u +%FT%TZ) — $backend, $users users, $((users * per_user)) ledger rows, wrk -t2 -c$conns -d${secs}s"
  echo
  echo "| endpoint | req/s | p99 | non-2xx |"
  echo "|---|---|---|---|"
} | tee "$out"
run "GET /health/live (baseline)" "$base/health/live"
# Steady state: one request before each run computes that period's ranking (a board idle for
# more than twice its cache lifetime is recomputed by the next request, and the first of 64 at
# once would otherwise set the p99). CTFd gets the same warm-up below.
if curl -fs "$base/api/v1/leaderboard?period=all&limit=100" >/dev/null 2>&1; then
  run "GET /api/v1/leaderboard?period=all&limit=100 (anonymous)" "$base/api/v1/leaderboard?period=all&limit=100"
  curl -fs -o /dev/null "$base/api/v1/leaderboard?period=all&limit=100"
  run "GET /api/v1/leaderboard?period=all&limit=100 (signed in, with me)" -H "Authorization: Bearer $token" "$base/api/v1/leaderboard?period=all&limit=100"
  curl -fs -o /dev/null "$base/api/v1/leaderboard?period=week&limit=100"
  run "GET /api/v1/leaderboard?period=week&limit=100" "$base/api/v1/leaderboard?period=week&limit=100"
  curl -fs -o /dev/null "$base/api/v1/leaderboard?period=month&limit=100"
  run "GET /api/v1/leaderboard?period=month&limit=100" "$base/api/v1/leaderboard?period=month&limit=100"
fi
# CTFd in the same run (DESIGN §8): CTFD_URL points at a running CTFd seeded with comparable data
# (docs/BENCHMARKS.md says how the reference instance was set up; this script downloads nothing).
# Its scoreboard view is cached for 60 s: one request warms it, each run stays under a minute, and
# one session cookie is reused so CTFd does not create a session per request.
if [ -n "${CTFD_URL:-}" ]; then
  for path in /api/v1/scoreboard /api/v1/scoreboard/top/10; do
    jar="$work/ctfd-cookies"
    curl -fs -c "$jar" -o /dev/null --max-time 120 "$CTFD_URL$path" || { log "CTFd did not answer $path"; continue; }
    cookie=$(awk '$6 == "session" {print "session=" $7}' "$jar")
    run "CTFd GET $path" --timeout 30s -H "Cookie: $cookie" "$CTFD_URL$path"
  done
fi
run "GET /api/v1/me (authenticated baseline)" -H "Authorization: Bearer $token" "$base/api/v1/me"

# Transfers: 200 senders, each sending 1 point to a random demo user.
# The 200 demo users with the most points send, so nobody runs dry across repeated runs
# (BENCH_REUSE) and every refusal in the figures would be a real one.
if [ "$backend" = postgres ]; then
  senders=$(psql "$DATABASE_URL" -Atc "SELECT username FROM users WHERE username LIKE 'demo\_user\_%' ORDER BY points_balance DESC LIMIT 200")
else
  senders=$(seq -f 'demo_user_%g' 1 200)
fi
log "signing in 200 senders for the transfer benchmark"
{
  echo "tokens = {"
  for name in $senders; do echo "\"$(login "$name")\","; done
  echo "}"
  cat <<LUA
-- Each wrk thread gets its own id (and random sequence), so keys and recipients differ.
local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("id", threads)
end
local n = 0
local seeded = false
request = function()
  if not seeded then math.randomseed(os.time() * 100 + id); seeded = true end
  n = n + 1
  local t = tokens[(n % #tokens) + 1]
  local to = "demo_user_" .. math.random(1, $users)
  -- A fresh Idempotency-Key on every transfer, as the SPA sends (it costs a lookup and a row).
  local key = string.format("bench-%d-%d-%d-%d", id, os.time(), math.random(1, 1000000000), n)
  return wrk.format("POST", "/api/v1/points/transfers",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. t,
     ["Idempotency-Key"] = key},
    '{"to_username":"' .. to .. '","amount":1}')
end
LUA
} > "$work/transfer.lua"
if [ "$backend" = postgres ]; then
  # Lift the daily limit for the benchmark.
  psql "$DATABASE_URL" -qc "INSERT INTO system_settings (key, value, updated_at) VALUES ('transfer_daily_limit', '100000000', now()) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value" >/dev/null
  before=$(psql "$DATABASE_URL" -Atc "SELECT COUNT(*) FROM points_transactions WHERE kind = 'transfer_out'")
fi
run "POST /api/v1/points/transfers (1 point, random recipients)" -s "$work/transfer.lua" "$base"
if [ "$backend" = postgres ]; then
  after=$(psql "$DATABASE_URL" -Atc "SELECT COUNT(*) FROM points_transactions WHERE kind = 'transfer_out'")
  echo "| committed transfers | $(( (after - before) / secs ))/s ($((after - before)) in ${secs}s) | | |" | tee -a "$out"
fi
kill $server; wait $server 2>/dev/null || true
log "verify-ledger after the run"
"$bin" verify-ledger | tail -3 | tee -a "$out"
rss=$(ps -o rss= -p $$ >/dev/null 2>&1; echo)
log "results in $out"
