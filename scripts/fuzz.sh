#!/usr/bin/env bash
# Fuzzes the live API against its own OpenAPI document with schemathesis (PyPI, pinned, in a
# virtualenv under the build cache): every operation, with valid and invalid inputs, three times —
# anonymous, with an admin's access token, and with an API key holding every scope. Fails on any
# 5xx, any response that does not match its documented schema, status code or content type.
# FUZZ_EXAMPLES (default 25) bounds the examples per operation and phase.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$REPO_ROOT"

SCHEMATHESIS_VERSION=4.32.5
VENV="${MUSABAQATI_CACHE:-$HOME/.cache/musabaqati}/venv-schemathesis"
if [ "$("$VENV/bin/schemathesis" --version 2>/dev/null | awk '{print $3}')" != "$SCHEMATHESIS_VERSION" ]; then
  log "installing schemathesis $SCHEMATHESIS_VERSION into $VENV"
  bash scripts/ensure-tools.sh python
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

# The server serves the built SPA for every path outside the API (and answers 503 while it is
# not built); the fuzzer's probes reach such paths, so the SPA is built first, as in production.
bash scripts/ensure-tools.sh frontend
bash scripts/build-spa.sh

# The fuzzer sends thousands of requests from one address in a minute: the per-address limits
# would answer most of them with 429 and hide the handlers. They are tested on their own.
export MUSABAQATI_RATE_LIMIT_PER_SECOND=100000 MUSABAQATI_RATE_LIMIT_BURST=100000
export MUSABAQATI_AUTH_RATE_LIMIT_PER_MINUTE=100000
source scripts/test-server.sh

json() { python3 -c 'import json,sys; print(json.load(sys.stdin)'"$1"')'; }
TOKEN=$(curl -fsS -X POST "$BASE_URL/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d "{\"login\":\"admin\",\"password\":\"$ADMIN_PASSWORD\"}" | json '["access_token"]')
# The anonymous run sends made-up API keys; at the default threshold the address would soon be
# blocked (as it should), and with it the other runs.
curl -fsS -X PUT "$BASE_URL/api/v1/admin/settings" -H "Authorization: Bearer $TOKEN" \
  -H 'Content-Type: application/json' \
  -d '{"api_key_failures_per_ip": 10000, "api_key_failure_window_minutes": 1}' >/dev/null
SCOPES=$(python3 - "$BASE_URL" <<'PY'
import json, sys, urllib.request
spec = json.load(urllib.request.urlopen(sys.argv[1] + "/api/v1/openapi.json"))
scopes = set()
for item in spec["paths"].values():
    for op in item.values():
        for req in op.get("security", []) if isinstance(op, dict) else []:
            scopes.update(req.get("api_key", []))
print(json.dumps(sorted(scopes)))
PY
)
# Every scope, admin ones included, needs a service key; `admin:points:write` needs ceilings.
KEY=$(curl -fsS -X POST "$BASE_URL/api/v1/admin/api-keys" -H "Authorization: Bearer $TOKEN" \
  -H 'Content-Type: application/json' \
  -d "{\"name\":\"fuzz\",\"kind\":\"service\",\"scopes\":$SCOPES,\"rate_limit_per_minute\":10000,\"award_max_per_call\":1000000000,\"award_max_per_day\":1000000000}" | json '["key"]')

# Requests the server counted (`musabaqati_http_requests_total`), all or only 5xx.
requests_so_far() {
  curl -fsS "$BASE_URL/metrics" | awk -v only="${1:-}" \
    '/^musabaqati_http_requests_total/ && (only == "" || $0 ~ "status=\"5") {n+=$NF} END {printf "%d", n}'
}
before=$(requests_so_far)
# Operations left out of the authenticated runs, because they would end the run's own
# credentials: signing out, changing the password, ending sessions, revoking or rotating keys.
# (They are still fuzzed anonymously, and covered by the API tests.) The WebSocket is not HTTP.
SELF_DESTRUCT='(/auth/logout|/me/password|/me/sessions/|/admin/api-keys/\{id\}$|/rotate$|/ws$)'
status=0
run() {
  local name="$1"; shift
  log "schemathesis: $name"
  "$VENV/bin/schemathesis" run "$BASE_URL/api/v1/openapi.json" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --phases examples,coverage,fuzzing --max-examples "${FUZZ_EXAMPLES:-25}" --workers "${FUZZ_WORKERS:-2}" \
    --suppress-health-check all --no-color "$@" || status=1
}
run "anonymous" --exclude-path-regex '/ws$'
run "with an API key holding every scope" -H "X-API-Key: $KEY" --exclude-path-regex "$SELF_DESTRUCT"
run "as an admin (access token)" -H "Authorization: Bearer $TOKEN" --exclude-path-regex "$SELF_DESTRUCT"
after=$(requests_so_far)
server_errors=$(requests_so_far 5xx)
if [ "$server_errors" != 0 ]; then
  log "the server answered $server_errors requests with a 5xx:"
  curl -fsS "$BASE_URL/metrics" | grep '^musabaqati_http_requests_total.*status="5'; status=1
fi
log "fuzzing: $((after - before)) requests to the server, $server_errors answered with a 5xx; $([ "$status" = 0 ] && echo 'no failures' || echo 'FAILURES above')"
exit "$status"
