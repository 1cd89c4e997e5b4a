# Sourced by e2e.sh and fuzz.sh: starts a throwaway server (debug build, fresh SQLite database in a
# temporary folder, an admin account) on a free port, and stops it on exit.
# Sets BIN, BASE_URL, DATA_DIR, SERVER_LOG, ADMIN_PASSWORD, SMTP_DIR (a real SMTP sink the server
# sends to). Extra MUSABAQATI_* settings are taken
# from the caller's environment.

if [ -n "${E2E_SERVER_BIN:-}" ]; then
  BIN="$E2E_SERVER_BIN"   # a server binary built elsewhere (e.g. while iterating on the SPA)
  log "using the server binary $BIN"
else
  log "building the server"
  cargo build -p musabaqati
  BIN="$CARGO_TARGET_DIR/debug/musabaqati"
fi

DATA_DIR="$(mktemp -d -t musabaqati-test-server.XXXXXX)"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
BASE_URL="http://127.0.0.1:$PORT"
ADMIN_PASSWORD="test-admin-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
SERVER_LOG="$DATA_DIR/server.log"
SERVER_PID=""
SMTP_PID=""
# A real SMTP server for the emails the tests trigger (password reset): each received message is
# written to $SMTP_DIR as .eml and .json (tests/smtp_sink.py).
SMTP_DIR="$DATA_DIR/smtp"
SMTP_PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"

stop_test_server() {
  if [ -n "$SMTP_PID" ] && kill -0 "$SMTP_PID" 2>/dev/null; then
    kill "$SMTP_PID" 2>/dev/null || true
    wait "$SMTP_PID" 2>/dev/null || true
  fi
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [ -z "${KEEP_E2E_DATA:-}" ]; then rm -rf "$DATA_DIR"; fi
}
trap stop_test_server EXIT

export MUSABAQATI_ENV=development
export MUSABAQATI_BIND="127.0.0.1:$PORT"
export MUSABAQATI_STATIC_DIR="${MUSABAQATI_STATIC_DIR:-$REPO_ROOT/dist}"
export MUSABAQATI_DATA_DIR="$DATA_DIR"
export MUSABAQATI_SMTP_URL="smtp://127.0.0.1:$SMTP_PORT"
export MUSABAQATI_MAIL_POLL_MS="${MUSABAQATI_MAIL_POLL_MS:-200}"
export SMTP_DIR
unset DATABASE_URL

log "starting the SMTP sink on port $SMTP_PORT"
bash scripts/smtp-sink.sh --install
bash scripts/smtp-sink.sh --port "$SMTP_PORT" --dir "$SMTP_DIR" >"$DATA_DIR/smtp.log" 2>&1 &
SMTP_PID=$!
for _ in $(seq 1 100); do
  grep -q '^ready' "$DATA_DIR/smtp.log" 2>/dev/null && break
  kill -0 "$SMTP_PID" 2>/dev/null || { log "the SMTP sink did not start:"; cat "$DATA_DIR/smtp.log"; exit 1; }
  sleep 0.1
done

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
