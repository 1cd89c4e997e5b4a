"""Bulk-seed CTFd (PostgreSQL ctfd_bench) with users, challenges, flags and solves via COPY.

Deterministic (random.seed(SEED)). Run after CTFd's /setup (admin = users.id 1).
Every seeded user: type=user, verified=true, hidden=false, banned=false, >=1 solve.
Each solve = a `submissions` row (type='correct') + a `solves` row with the same id
(CTFd's joined-table inheritance). Solve ids are assigned in chronological order.
"""
import io, os, random, sys, time, datetime as dt
import psycopg2

N_USERS = int(os.environ.get("N_USERS", 100_000))
N_CHALS = int(os.environ.get("N_CHALS", 50))
MEAN_SOLVES = float(os.environ.get("MEAN_SOLVES", 10.0))   # per user, target ~1,000,000 total
SEED = 42
DSN = os.environ.get("SEED_DSN", "host=127.0.0.1 port=5432 user=postgres dbname=ctfd_bench")

random.seed(SEED)
t0 = time.time()
conn = psycopg2.connect(DSN)
cur = conn.cursor()

cur.execute("select count(*) from users where type='user'")
if cur.fetchone()[0]:
    sys.exit("users already seeded; drop/recreate ctfd_bench first (see README)")

# one real CTFd password hash (bcrypt_sha256 via passlib), shared by all seeded users
sys.path.insert(0, os.environ.get("CTFD_SRC", "src"))
from passlib.hash import bcrypt_sha256
PW = bcrypt_sha256.hash("bench-user-pass")

def copy(table, cols, rows):
    buf = io.StringIO()
    for r in rows:
        buf.write("\t".join("\\N" if v is None else str(v) for v in r))
        buf.write("\n")
    buf.seek(0)
    cur.copy_expert(f"COPY {table} ({','.join(cols)}) FROM STDIN", buf)

# ---- challenges + flags ----
cats = ["web", "pwn", "crypto", "rev", "forensics", "misc"]
chals = []
for i in range(1, N_CHALS + 1):
    value = random.choice([50, 100, 100, 150, 200, 200, 250, 300, 400, 500])
    chals.append((i, f"chal-{i:03d}", f"Benchmark challenge {i}", 0, value,
                  cats[i % len(cats)], "standard", "visible", "any", i))
copy("challenges", ["id", "name", "description", "max_attempts", "value", "category",
                    "type", "state", "logic", "position"], chals)
copy("flags", ["challenge_id", "type", "content", "data"],
     [(c[0], "static", f"flag{{bench_{c[0]}}}", "") for c in chals])
cur.execute("select setval('challenges_id_seq', %s)", (N_CHALS,))
print(f"challenges: {N_CHALS} ({time.time()-t0:.1f}s)")

# ---- users ----
start = dt.datetime(2025, 6, 1, 9, 0, 0)
cur.execute("select coalesce(max(id),0) from users")
first_uid = cur.fetchone()[0] + 1
uids = range(first_uid, first_uid + N_USERS)
countries = ["US", "DE", "FR", "SA", "EG", "IN", "JP", "BR", "GB", None]
def user_rows():
    for n, uid in enumerate(uids):
        yield (uid, f"user{n:06d}", PW, f"user{n:06d}@bench.local", "user",
               countries[n % len(countries)], "f", "f", "t",
               (start - dt.timedelta(days=1, seconds=n)).isoformat(sep=" "))
copy("users", ["id", "name", "password", "email", "type", "country", "hidden", "banned",
               "verified", "created"], user_rows())
cur.execute("select setval('users_id_seq', (select max(id) from users))")
print(f"users: {N_USERS} ({time.time()-t0:.1f}s)")

# ---- solves ----
# per-user solve count: 1 + geometric with mean MEAN_SOLVES, capped at N_CHALS;
# challenge popularity ~ weight 1/(rank^0.7) so early challenges are solved more.
weights = [1.0 / (r ** 0.7) for r in range(1, N_CHALS + 1)]
chal_ids = list(range(1, N_CHALS + 1))
p = 1.0 / MEAN_SOLVES
window = 48 * 3600
events = []  # (date_seconds, uid, chal)
for uid in uids:
    k = 1
    while k < N_CHALS and random.random() > p:
        k += 1
    chosen = set()
    while len(chosen) < k:
        chosen.update(random.choices(chal_ids, weights=weights, k=k - len(chosen)))
    for c in chosen:
        events.append((random.random() * window, uid, c))
events.sort()
print(f"solves generated: {len(events)} ({time.time()-t0:.1f}s)")

cur.execute("select coalesce(max(id),0) from submissions")
base = cur.fetchone()[0]
def sub_rows():
    for i, (s, uid, c) in enumerate(events, start=base + 1):
        yield (i, c, uid, "127.0.0.1", f"flag{{bench_{c}}}", "correct",
               (start + dt.timedelta(seconds=s)).isoformat(sep=" "))
copy("submissions", ["id", "challenge_id", "user_id", "ip", "provided", "type", "date"], sub_rows())
print(f"submissions copied ({time.time()-t0:.1f}s)")
copy("solves", ["id", "challenge_id", "user_id"],
     ((i, c, uid) for i, (s, uid, c) in enumerate(events, start=base + 1)))
cur.execute("select setval('submissions_id_seq', (select max(id) from submissions))")
print(f"solves copied ({time.time()-t0:.1f}s)")
conn.commit()
cur.execute("analyze")
conn.commit()
print(f"done: users={N_USERS} challenges={N_CHALS} solves={len(events)} in {time.time()-t0:.1f}s")
