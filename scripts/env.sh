# Sourced by the other scripts: shared build settings.
# The build cache lives outside the clone so a fresh clone (and CI) reuses earlier builds.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/musabaqati/target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export REPO_ROOT
log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
