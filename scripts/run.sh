#!/usr/bin/env bash
# The README's run command: installs what is missing, builds the SPA and the server, and serves
# the whole product on MUSABAQATI_BIND (default 127.0.0.1:8080) with the embedded SQLite
# database unless DATABASE_URL is set.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$REPO_ROOT"

if [ -d frontend ]; then
  bash scripts/ensure-tools.sh frontend
  bash scripts/build-spa.sh
fi

log "building the server (release)"
cargo build --release -p musabaqati
bin="$CARGO_TARGET_DIR/release/musabaqati"

export MUSABAQATI_STATIC_DIR="${MUSABAQATI_STATIC_DIR:-$REPO_ROOT/dist}"
bind="${MUSABAQATI_BIND:-127.0.0.1:8080}"
log "serving on http://$bind  (API docs: http://$bind/api/docs/)"
if [ -z "${DATABASE_URL:-}" ]; then
  log "database: SQLite in ${MUSABAQATI_DATA_DIR:-data}/musabaqati.db"
fi
log "create an admin with: ADMIN_PASSWORD='a-long-password' $bin create-admin --username admin --email admin@example.com"
exec "$bin" serve
