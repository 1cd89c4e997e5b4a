"""Run CTFd's own /setup form non-interactively (GET for the CSRF nonce, then POST)."""
import re, sys, requests
BASE = "http://127.0.0.1:18400"
s = requests.Session()
r = s.get(f"{BASE}/setup")
m = re.search(r"""['"]?csrfNonce['"]?\s*:\s*["']([0-9a-f]+)["']""", r.text)
if not m:
    sys.exit("no csrf nonce found (already set up?) status=%s url=%s" % (r.status_code, r.url))
form = {
    "ctf_name": "CTFd bench",
    "ctf_description": "Benchmark comparison instance",
    "user_mode": "users",
    "challenge_visibility": "public",
    "account_visibility": "public",
    "score_visibility": "public",
    "registration_visibility": "public",
    "verify_emails": "false",
    "team_size": "",
    "name": "admin",
    "email": "admin@bench.local",
    "password": "bench-admin-pass",
    "ctf_theme": "core",
    "theme_color": "",
    "start": "",
    "end": "",
    "social_shares": "",
    "nonce": m.group(1),
}
r = s.post(f"{BASE}/setup", data=form, allow_redirects=False)
print("POST /setup ->", r.status_code, r.headers.get("Location"))
