#!/usr/bin/env bash
# Browser end-to-end tests: builds the SPA (when its sources changed) and the server, starts the
# server on a free port with a fresh SQLite database and an admin account, runs tests/e2e with
# node's test runner against it, stops it, and fails when any test fails.
# Screenshots and metrics land in tests/e2e/screenshots/ (gitignored).
# Arguments go to `node --test`: `bash scripts/e2e.sh rewards.test.js` runs one file.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$REPO_ROOT"

bash scripts/ensure-tools.sh frontend browser

bash scripts/build-spa.sh

if [ -n "${E2E_SERVER_BIN:-}" ]; then
  BIN="$E2E_SERVER_BIN"   # a server binary built elsewhere (e.g. while iterating on the SPA)
  log "using the server binary $BIN"
else
  log "building the server"
  cargo build -p musabaqati
  BIN="$CARGO_TARGET_DIR/debug/musabaqati"
fi

DATA_DIR="$(mktemp -d -t musabaqati-e2e.XXXXXX)"
PORT="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
BASE_URL="http://127.0.0.1:$PORT"
ADMIN_PASSWORD="e2e-admin-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
SERVER_LOG="$DATA_DIR/server.log"
SERVER_PID=""

cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [ -z "${KEEP_E2E_DATA:-}" ]; then rm -rf "$DATA_DIR"; fi
}
trap cleanup EXIT

export MUSABAQATI_ENV=development
export MUSABAQATI_BIND="127.0.0.1:$PORT"
export MUSABAQATI_STATIC_DIR="$REPO_ROOT/dist"
export MUSABAQATI_DATA_DIR="$DATA_DIR"
# The tests sign in and out many times from one IP within a minute.
export MUSABAQATI_AUTH_RATE_LIMIT_PER_MINUTE="${MUSABAQATI_AUTH_RATE_LIMIT_PER_MINUTE:-600}"
# The competitions test finalizes a quiz through the admin UI; the scheduler would race it (it
# finalizes ended quizzes on its own), so it is off here. Statuses still follow the clock: the
# server moves a competition along whenever it is read. The scheduler has its own API tests.
export MUSABAQATI_SCHEDULER_INTERVAL_MS="${MUSABAQATI_SCHEDULER_INTERVAL_MS:-0}"
# API-key usage is written in batches; the API-keys test reads it back right after its calls.
export MUSABAQATI_USAGE_FLUSH_MS="${MUSABAQATI_USAGE_FLUSH_MS:-100}"
unset DATABASE_URL

log "creating the admin account"
ADMIN_PASSWORD="$ADMIN_PASSWORD" "$BIN" create-admin --username admin --email admin@example.com >"$DATA_DIR/create-admin.log" 2>&1 \
  || { cat "$DATA_DIR/create-admin.log"; exit 1; }

log "starting the server on $BASE_URL (data in $DATA_DIR)"
"$BIN" serve >"$SERVER_LOG" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 150); do
  if curl -fsS "$BASE_URL/health/ready" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    log "the server exited during start-up:"; cat "$SERVER_LOG"; exit 1
  fi
  sleep 0.2
done
curl -fsS "$BASE_URL/health/ready" >/dev/null || { log "the server never became ready:"; tail -50 "$SERVER_LOG"; exit 1; }

# Nothing is printed after the tests, so CI output ends with node's summary.
log "running the browser tests (screenshots, metrics.json and server.log go to tests/e2e/screenshots/)"
status=0
(
  cd tests/e2e
  BASE_URL="$BASE_URL" ADMIN_USERNAME=admin ADMIN_PASSWORD="$ADMIN_PASSWORD" \
    node --test --test-concurrency=1 --test-reporter=spec "$@"
) || status=$?
cp "$SERVER_LOG" tests/e2e/screenshots/server.log 2>/dev/null || true
exit "$status"
