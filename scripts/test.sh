#!/usr/bin/env bash
# The README's test command: every test on SQLite and PostgreSQL, then the browser tests.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$REPO_ROOT"
started=$(date +%s)

bash scripts/ensure-tools.sh rust
mkdir -p "$CARGO_TARGET_DIR"

log "unit tests + API tests on SQLite"
TEST_BACKEND=sqlite cargo test --no-fail-fast 2>&1 | tee "$CARGO_TARGET_DIR/test-sqlite.log"

if bash scripts/ensure-postgres.sh; then
  log "API tests on PostgreSQL (${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres})"
  TEST_BACKEND=postgres cargo test -p tests --no-fail-fast 2>&1 | tee "$CARGO_TARGET_DIR/test-postgres.log"
elif [ "${CI:-}" = "true" ]; then
  log "PostgreSQL cannot be reached and CI=true: the PostgreSQL suite is mandatory"
  exit 1
else
  log "WARNING: PostgreSQL is not reachable; skipped the PostgreSQL suite (it is mandatory in CI)"
fi

if [ -z "${SKIP_E2E:-}" ] && [ -f tests/e2e/package.json ]; then
  bash scripts/e2e.sh
fi

summary() {
  grep -E '^test result:' "$1" | awk '{p+=$4; f+=$6} END {printf "%d passed, %d failed", p, f}'
}
log "SQLite run: $(summary "$CARGO_TARGET_DIR/test-sqlite.log")"
[ -f "$CARGO_TARGET_DIR/test-postgres.log" ] && log "PostgreSQL run: $(summary "$CARGO_TARGET_DIR/test-postgres.log")"
log "all tests passed in $(( $(date +%s) - started ))s"
