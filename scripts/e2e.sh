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

# The tests sign in and out many times from one IP within a minute.
export MUSABAQATI_AUTH_RATE_LIMIT_PER_MINUTE="${MUSABAQATI_AUTH_RATE_LIMIT_PER_MINUTE:-600}"
# The competitions test finalizes a quiz through the admin UI; the scheduler would race it (it
# finalizes ended quizzes on its own), so it is off here. Statuses still follow the clock: the
# server moves a competition along whenever it is read. The scheduler has its own API tests.
export MUSABAQATI_SCHEDULER_INTERVAL_MS="${MUSABAQATI_SCHEDULER_INTERVAL_MS:-0}"
# The Friend Challenge test registers a friend "from another network" (X-Forwarded-For), as a
# reverse proxy would report it; every other request has no such header and keeps 127.0.0.1.
# The header counts because the browser's peer (127.0.0.1) is a trusted proxy by default
# (MUSABAQATI_TRUSTED_PROXIES).
export MUSABAQATI_TRUST_PROXY="${MUSABAQATI_TRUST_PROXY:-true}"
# API-key usage is written in batches; the API-keys test reads it back right after its calls.
export MUSABAQATI_USAGE_FLUSH_MS="${MUSABAQATI_USAGE_FLUSH_MS:-100}"
source scripts/test-server.sh

# Every browser test registers its accounts from 127.0.0.1, so the account-farm rule (more than 3
# accounts from one address a day) would flag most of them and hold their transfers. The other
# tests are not about fraud: the threshold is raised here, and tests/e2e/safety.test.js sets the
# default back for its own cluster, which registers from another (forwarded) address.
admin_token=$(curl -fsS -X POST "$BASE_URL/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d "{\"login\":\"admin\",\"password\":\"$ADMIN_PASSWORD\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
curl -fsS -X PUT "$BASE_URL/api/v1/admin/settings" -H "Authorization: Bearer $admin_token" \
  -H 'Content-Type: application/json' -d '{"risk_farm_max_accounts": 1000}' >/dev/null

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
