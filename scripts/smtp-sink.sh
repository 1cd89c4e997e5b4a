#!/usr/bin/env bash
# The tests' SMTP server: aiosmtpd (PyPI, pinned) in a virtualenv under the build cache, running
# tests/smtp_sink.py, which writes each received message to a folder as .eml and .json.
#   smtp-sink.sh --install          install (or update) the virtualenv and exit
#   smtp-sink.sh --port P --dir D   run the sink in the foreground (prints "ready P")
# The API tests start tests/smtp_sink.py with the virtualenv's python themselves
# (MUSABAQATI_SMTP_SINK_PYTHON overrides where it is).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$REPO_ROOT"

AIOSMTPD_VERSION=1.4.6
VENV="${MUSABAQATI_CACHE:-$HOME/.cache/musabaqati}/venv-smtp"
if [ "$("$VENV/bin/python" -c 'import aiosmtpd; print(aiosmtpd.__version__)' 2>/dev/null)" != "$AIOSMTPD_VERSION" ]; then
  log "installing aiosmtpd $AIOSMTPD_VERSION into $VENV"
  bash scripts/ensure-tools.sh python
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "aiosmtpd==$AIOSMTPD_VERSION"
fi
if [ "${1:-}" = "--install" ]; then exit 0; fi
exec "$VENV/bin/python" tests/smtp_sink.py "$@"
