#!/usr/bin/env bash
# Builds the Leptos app into dist/ (cargo, wasm-split, wasm-bindgen: frontend/tools/build_spa.py;
# offline, pinned tools), unless dist/ is newer than every frontend source file.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$REPO_ROOT"
if [ -f dist/index.html ] && [ -z "$(find frontend crates/domain .cargo Cargo.lock -newer dist/index.html -type f -print -quit)" ]; then
  log "SPA is up to date (dist/)"
  exit 0
fi
log "building the SPA (wasm-release profile)"
started=$(date +%s)
# A separate target folder: WASM and native builds do not wait on each other's lock.
CARGO_TARGET_DIR="${WASM_TARGET_DIR:-${CARGO_TARGET_DIR}-wasm}" python3 frontend/tools/build_spa.py
log "SPA built in $(( $(date +%s) - started ))s"
