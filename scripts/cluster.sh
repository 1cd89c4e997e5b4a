#!/usr/bin/env bash
# The shipped topology on one machine, without Docker: its own PostgreSQL, its own Redis, two
# `musabaqati serve` replicas (release build, production mode, the built SPA) and Debian's nginx
# with the repository's deploy/nginx.conf (TLS with a self-signed certificate made here, port 80
# redirecting to https, WebSocket upgrade, forwarded headers). `make cluster` runs `up`.
#
#   scripts/cluster.sh up                 build what is stale, start everything, print the URL
#   scripts/cluster.sh down               stop everything (data stays in $CLUSTER_DIR)
#   scripts/cluster.sh status             what runs, where
#   scripts/cluster.sh rolling-restart    restart the replicas one by one, each taken out of nginx
#                                         first, so no request fails
#   scripts/cluster.sh restart-postgres | kill-replica N | term-replica N | start-replica N
#                                         single steps (the fault test uses them)
#   scripts/cluster.sh cert DIR           a self-signed cert.pem/key.pem for 127.0.0.1/localhost
#
# Settings (environment): CLUSTER_DIR (state; /var/tmp/musabaqati-cluster as root, else
# ~/.cache/musabaqati/cluster),
# CLUSTER_HTTPS_PORT / CLUSTER_HTTP_PORT (443/80 as root when free, else 8443/8080),
# CLUSTER_PG_PORT (5433), CLUSTER_REDIS_PORT (6380), CLUSTER_REPLICA_PORTS ("18081 18082"),
# CLUSTER_SKIP_BUILD=1 (use the binary and dist/ as they are), CLUSTER_PROFILE (release). Any MUSABAQATI_* variable set when
# `up` runs is passed to the replicas (the fault test raises the per-address limits this way:
# all its clients share one address).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$REPO_ROOT"

# PostgreSQL runs as its own user when we are root, so the state must not be under /root.
if [ "$(id -u)" = 0 ]; then
  CLUSTER_DIR="${CLUSTER_DIR:-/var/tmp/musabaqati-cluster}"
else
  CLUSTER_DIR="${CLUSTER_DIR:-$HOME/.cache/musabaqati/cluster}"
fi
PG_PORT="${CLUSTER_PG_PORT:-5433}"
REDIS_PORT="${CLUSTER_REDIS_PORT:-6380}"
read -r -a REPLICA_PORTS <<<"${CLUSTER_REPLICA_PORTS:-18081 18082}"
PG_BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"
# CLUSTER_PROFILE=debug uses the debug build (scripts/test.sh does, to reuse the browser tests'
# build within CI's time); figures for docs come from release builds.
PROFILE="${CLUSTER_PROFILE:-release}"
BIN="$CARGO_TARGET_DIR/$PROFILE/musabaqati"
DB_URL="postgres://postgres@127.0.0.1:$PG_PORT/musabaqati"

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if [ -z "${CLUSTER_HTTPS_PORT:-}" ]; then
  if [ "$(id -u)" = 0 ] && port_free 443 && port_free 80; then
    CLUSTER_HTTPS_PORT=443 CLUSTER_HTTP_PORT=80
  else
    CLUSTER_HTTPS_PORT=8443 CLUSTER_HTTP_PORT="${CLUSTER_HTTP_PORT:-8080}"
  fi
fi
HTTPS_PORT="$CLUSTER_HTTPS_PORT"
HTTP_PORT="${CLUSTER_HTTP_PORT:-8080}"
BASE_URL="https://127.0.0.1:$HTTPS_PORT"
[ "$HTTPS_PORT" = 443 ] && BASE_URL="https://127.0.0.1"

# PostgreSQL refuses to run as root: as root, its files belong to the postgres user.
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

ensure_tools() {
  local missing=()
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
  command -v openssl >/dev/null 2>&1 || missing+=(openssl)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  command -v envsubst >/dev/null 2>&1 || missing+=(gettext-base)
  [ -x "$PG_BIN/initdb" ] || missing+=(postgresql)
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" != 0 ]; then log "please install: ${missing[*]}"; exit 1; fi
    log "installing ${missing[*]} from Debian's packages"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
  fi
}
NGINX="$(command -v nginx 2>/dev/null || echo /usr/sbin/nginx)"

build() {
  if [ -n "${CLUSTER_SKIP_BUILD:-}" ] && [ -x "$BIN" ] && [ -f dist/index.html ]; then return; fi
  bash scripts/ensure-tools.sh frontend
  bash scripts/build-spa.sh
  log "building the server ($PROFILE)"
  if [ "$PROFILE" = release ]; then cargo build --release -p musabaqati; else cargo build -p musabaqati; fi
}

make_cert() {
  local dir="$1"
  mkdir -p "$dir"
  [ -f "$dir/cert.pem" ] && [ -f "$dir/key.pem" ] && return
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=localhost" \
    -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
    -keyout "$dir/key.pem" -out "$dir/cert.pem" 2>/dev/null
  chmod 600 "$dir/key.pem"
}

pg_start() {
  local data="$CLUSTER_DIR/pg"
  if [ ! -f "$data/PG_VERSION" ]; then
    log "creating a PostgreSQL cluster in $data"
    mkdir -p "$data"
    [ "$(id -u)" = 0 ] && chown postgres "$data"
    as_pg "$PG_BIN/initdb" -D "$data" -U postgres --auth=trust -E UTF8 >/dev/null
  fi
  if ! as_pg "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    as_pg "$PG_BIN/pg_ctl" -D "$data" -l "$CLUSTER_DIR/pg/server.log" -w -t 60 start \
      -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $CLUSTER_DIR/pg -c max_connections=200" >/dev/null
  fi
  "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = 'musabaqati'" | grep -q 1 ||
    "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "CREATE DATABASE musabaqati" >/dev/null
}

restart_postgres() {
  as_pg "$PG_BIN/pg_ctl" -D "$CLUSTER_DIR/pg" -l "$CLUSTER_DIR/pg/server.log" -w -t 60 -m fast restart \
    -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $CLUSTER_DIR/pg -c max_connections=200" >/dev/null
}

redis_start() {
  redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && return
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
    --pidfile "$CLUSTER_DIR/redis.pid" --logfile "$CLUSTER_DIR/redis.log" --dir "$CLUSTER_DIR"
  for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && return; sleep 0.1; done
  log "redis did not start (see $CLUSTER_DIR/redis.log)"; exit 1
}

replica_pid() { cat "$CLUSTER_DIR/replica-$1.pid" 2>/dev/null || true; }
replica_alive() { local pid; pid=$(replica_pid "$1"); [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; }

wait_ready() {
  local port="$1"
  for _ in $(seq 300); do
    curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  return 1
}

start_replica() {
  local n="$1" port="${REPLICA_PORTS[$(($1 - 1))]}"
  replica_alive "$n" && return 0
  # The environment of `up` (MUSABAQATI_* overrides included) was saved for later restarts.
  (
    set -a
    # shellcheck disable=SC1091
    source "$CLUSTER_DIR/replica.env"
    set +a
    MUSABAQATI_BIND="127.0.0.1:$port" MUSABAQATI_REPLICA_ID="replica-$n" \
      exec "$BIN" serve >>"$CLUSTER_DIR/replica-$n.log" 2>&1
  ) &
  echo $! >"$CLUSTER_DIR/replica-$n.pid"
  if ! wait_ready "$port"; then
    log "replica $n did not become ready; last log lines:"; tail -20 "$CLUSTER_DIR/replica-$n.log"; exit 1
  fi
}

# SIGTERM: stop accepting, let in-flight requests finish, exit.
term_replica() {
  local n="$1" pid
  pid=$(replica_pid "$n")
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$CLUSTER_DIR/replica-$n.pid"
}

kill_replica() {
  local n="$1" pid
  pid=$(replica_pid "$n")
  [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$CLUSTER_DIR/replica-$n.pid"
}

# Renders deploy/nginx.conf; "down" takes replica N out of the upstream.
render_nginx() {
  local out_of="${1:-0}" r1="127.0.0.1:${REPLICA_PORTS[0]}" r2="127.0.0.1:${REPLICA_PORTS[1]}"
  [ "$out_of" = 1 ] && r1="$r1 down"
  [ "$out_of" = 2 ] && r2="$r2 down"
  MUSABAQATI_REPLICA_1="$r1" MUSABAQATI_REPLICA_2="$r2" \
    NGINX_HTTP_PORT="$HTTP_PORT" NGINX_HTTPS_PORT="$HTTPS_PORT" NGINX_PUBLIC_HTTPS_PORT="$HTTPS_PORT" \
    NGINX_TLS_CERT="$CLUSTER_DIR/tls/cert.pem" NGINX_TLS_KEY="$CLUSTER_DIR/tls/key.pem" \
    envsubst '${MUSABAQATI_REPLICA_1} ${MUSABAQATI_REPLICA_2} ${NGINX_HTTP_PORT} ${NGINX_HTTPS_PORT} ${NGINX_PUBLIC_HTTPS_PORT} ${NGINX_TLS_CERT} ${NGINX_TLS_KEY}' \
    <deploy/nginx.conf >"$CLUSTER_DIR/nginx/musabaqati.conf"
}

nginx_start() {
  mkdir -p "$CLUSTER_DIR/nginx/tmp"
  render_nginx 0
  # The main file only says where this instance keeps its files; the site is deploy/nginx.conf.
  cat >"$CLUSTER_DIR/nginx/nginx.conf" <<EOF
worker_processes 1;
pid $CLUSTER_DIR/nginx/nginx.pid;
error_log $CLUSTER_DIR/nginx/error.log warn;
events { worker_connections 4096; }
http {
    access_log $CLUSTER_DIR/nginx/access.log combined buffer=64k flush=1s;
    client_body_temp_path $CLUSTER_DIR/nginx/tmp/body;
    proxy_temp_path $CLUSTER_DIR/nginx/tmp/proxy;
    fastcgi_temp_path $CLUSTER_DIR/nginx/tmp/fastcgi;
    uwsgi_temp_path $CLUSTER_DIR/nginx/tmp/uwsgi;
    scgi_temp_path $CLUSTER_DIR/nginx/tmp/scgi;
    include $CLUSTER_DIR/nginx/musabaqati.conf;
}
EOF
  "$NGINX" -t -q -e "$CLUSTER_DIR/nginx/error.log" -c "$CLUSTER_DIR/nginx/nginx.conf"
  if [ -f "$CLUSTER_DIR/nginx/nginx.pid" ] && kill -0 "$(cat "$CLUSTER_DIR/nginx/nginx.pid")" 2>/dev/null; then
    nginx_reload
  else
    "$NGINX" -e "$CLUSTER_DIR/nginx/error.log" -c "$CLUSTER_DIR/nginx/nginx.conf"
  fi
}

nginx_reload() {
  "$NGINX" -e "$CLUSTER_DIR/nginx/error.log" -c "$CLUSTER_DIR/nginx/nginx.conf" -s reload
  # Old workers finish what they carry; new ones use the new upstream list.
  sleep 1
}

up() {
  ensure_tools
  build
  mkdir -p "$CLUSTER_DIR"
  chmod 755 "$CLUSTER_DIR"
  make_cert "$CLUSTER_DIR/tls"
  [ -f "$CLUSTER_DIR/jwt_secret" ] || openssl rand -hex 32 >"$CLUSTER_DIR/jwt_secret"
  pg_start
  redis_start
  {
    echo "DATABASE_URL=$DB_URL"
    echo "JWT_SECRET=$(cat "$CLUSTER_DIR/jwt_secret")"
    echo "MUSABAQATI_ENV=production"
    echo "MUSABAQATI_TRUST_PROXY=true"
    echo "MUSABAQATI_TRUSTED_PROXIES=127.0.0.1"
    echo "MUSABAQATI_REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0"
    echo "MUSABAQATI_STATIC_DIR=$REPO_ROOT/dist"
    echo "MUSABAQATI_DATA_DIR=$CLUSTER_DIR"
    echo "RUST_LOG=${RUST_LOG:-info}"
    env | grep -E '^MUSABAQATI_' | grep -vE '^MUSABAQATI_(BIND|REPLICA_ID|ENV|REDIS_URL|STATIC_DIR|DATA_DIR|TRUST_PROXY|TRUSTED_PROXIES)=' || true
  } >"$CLUSTER_DIR/replica.env"
  chmod 600 "$CLUSTER_DIR/replica.env"
  # Both start at once and both run migrations: the advisory lock makes one wait for the other.
  start_replica 1 & local first=$!
  start_replica 2 & local second=$!
  wait "$first" && wait "$second"
  nginx_start
  status
  log "the app: $BASE_URL/  (self-signed certificate: $CLUSTER_DIR/tls/cert.pem)"
  log "an admin: ADMIN_PASSWORD='a-long-password' DATABASE_URL=$DB_URL $BIN create-admin --username admin --email admin@example.com"
}

down() {
  if [ -f "$CLUSTER_DIR/nginx/nginx.pid" ]; then
    "$NGINX" -e "$CLUSTER_DIR/nginx/error.log" -c "$CLUSTER_DIR/nginx/nginx.conf" -s quit 2>/dev/null || true
  fi
  term_replica 1; term_replica 2
  redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  if [ -f "$CLUSTER_DIR/pg/PG_VERSION" ]; then
    as_pg "$PG_BIN/pg_ctl" -D "$CLUSTER_DIR/pg" -m fast -w stop >/dev/null 2>&1 || true
  fi
  log "cluster stopped (state kept in $CLUSTER_DIR)"
}

status() {
  local n
  for n in 1 2; do
    if replica_alive "$n"; then
      echo "replica-$n  pid $(replica_pid "$n")  http://127.0.0.1:${REPLICA_PORTS[$((n - 1))]}"
    else
      echo "replica-$n  stopped"
    fi
  done
  "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" && echo "postgres   $DB_URL" || echo "postgres   stopped"
  redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && echo "redis      redis://127.0.0.1:$REDIS_PORT" || echo "redis      stopped"
  [ -f "$CLUSTER_DIR/nginx/nginx.pid" ] && kill -0 "$(cat "$CLUSTER_DIR/nginx/nginx.pid")" 2>/dev/null &&
    echo "nginx      $BASE_URL (http://127.0.0.1:$HTTP_PORT redirects)" || echo "nginx      stopped"
}

rolling_restart() {
  local n
  for n in 1 2; do
    log "rolling restart: replica $n out of nginx, drained, restarted, back in"
    render_nginx "$n"; nginx_reload
    term_replica "$n"
    start_replica "$n"
    render_nginx 0; nginx_reload
  done
}

case "${1:-up}" in
  up) up ;;
  down) down ;;
  status) status ;;
  rolling-restart) rolling_restart ;;
  restart-postgres) restart_postgres ;;
  kill-replica) kill_replica "$2" ;;
  term-replica) term_replica "$2" ;;
  start-replica) start_replica "$2" ;;
  cert) make_cert "${2:?cert DIR}" ;;
  env) echo "CLUSTER_DIR=$CLUSTER_DIR BASE_URL=$BASE_URL DATABASE_URL=$DB_URL BIN=$BIN PG_BIN=$PG_BIN" ;;
  *) echo "usage: $0 up|down|status|rolling-restart|restart-postgres|kill-replica N|term-replica N|start-replica N|cert DIR|env" >&2; exit 2 ;;
esac
