#!/usr/bin/env bash
# Installs the pinned tools that are missing, from the package registries only, and skips those
# already at the pinned version. Usage: ensure-tools.sh [rust|frontend|browser|all]...
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$REPO_ROOT"

WASM_SPLIT_VERSION=0.2.4
want="${*:-all}"

has() { command -v "$1" >/dev/null 2>&1; }
apt_install() {
  if [ "$(id -u)" != 0 ]; then log "please install $* (needs root)"; return 1; fi
  [ -f /var/lib/apt/lists/lock ] && find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' | grep -q . || apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# Tools build in their own target directory: in the shared one, a `cargo build` running at the
# same time (another script, an editor) could replace the binary `cargo install` is about to copy
# (it failed once with "failed to copy …/release/wasm-split-cli: No such file or directory").
tool_install() {
  CARGO_TARGET_DIR="${MUSABAQATI_CACHE:-$HOME/.cache/musabaqati}/target-tools" cargo install "$@"
}

rust() {
  has cargo || { log "cargo is required (rustup)"; exit 1; }
}

frontend() {
  rustup target list --installed 2>/dev/null | grep -q wasm32-unknown-unknown || {
    log "adding the wasm32 target"; rustup target add wasm32-unknown-unknown; }
  # wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly.
  local wb
  wb=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/"/,"",$3); print $3; exit}' Cargo.lock)
  if [ -n "$wb" ] && [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wb" ]; then
    log "installing wasm-bindgen-cli $wb"
    tool_install wasm-bindgen-cli --version "$wb"
  fi
  # Trunk's post-build hook (frontend/tools/split_wasm.py) cuts the app into lazily loaded modules.
  if ! cargo install --list | grep -q "^wasm_split_cli_support v$WASM_SPLIT_VERSION:"; then
    log "installing wasm-split-cli $WASM_SPLIT_VERSION"
    tool_install --locked "wasm_split_cli_support@$WASM_SPLIT_VERSION" --features build-binary
  fi
  # The hook runs on python3.
  has python3 || { log "installing python3"; apt_install python3; }
}

browser() {
  [ -x /usr/bin/chromium ] || { log "installing Debian's chromium"; apt_install chromium; }
  has node || { log "installing Node.js"; apt_install nodejs npm; }
  if [ -f tests/e2e/package-lock.json ] && { [ ! -d tests/e2e/node_modules/playwright-core ] || [ ! -f tests/e2e/node_modules/axe-core/axe.min.js ]; }; then
    log "installing the browser-test packages"
    (cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

python() {
  has python3 || { log "installing python3"; apt_install python3; }
  # Debian ships venv's pip bootstrap separately.
  python3 -c 'import ensurepip, venv' 2>/dev/null || { log "installing python3-venv"; apt_install python3-venv; }
}

for part in $want; do
  case "$part" in
    rust) rust ;;
    frontend) rust; frontend ;;
    browser) browser ;;
    python) python ;;
    all) rust; frontend; browser ;;
    *) log "unknown part $part"; exit 2 ;;
  esac
done
