#!/usr/bin/env bash
# The conventions as a gate, run first by `make test` so a red gate fails in seconds, not after
# the suites: formatting, clippy on every native target (tests included) with warnings as errors,
# and clippy on the WASM app for its real target.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$REPO_ROOT"

rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt
rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy
rustup target list --installed 2>/dev/null | grep -q wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown

log "gate: cargo fmt --all -- --check"
cargo fmt --all -- --check
log "gate: cargo clippy --all-targets -- -D warnings"
cargo clippy --all-targets --quiet -- -D warnings
log "gate: cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings"
cargo clippy -p frontend --target wasm32-unknown-unknown --quiet -- -D warnings
