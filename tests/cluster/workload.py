#!/usr/bin/env python3
"""Mixed workload through nginx against both replicas, with faults, then the checks.

Run by scripts/cluster-test.sh (which brings the cluster up and creates the admin). Standard
library only. Concurrent clients register, transfer points with an Idempotency-Key (a failed
transfer is retried with the same key, as the SPA does), read the leaderboard and their balance,
post chat messages, redeem a reward, and request point packages that an admin marks paid (a
failed mark-paid is retried: the second attempt must find it paid, never pay twice), while the
faults given with --faults happen (each `SECONDS:COMMAND`, the
command an argument list for scripts/cluster.sh). Afterwards: every acknowledged transfer,
registration and message is in the database exactly once, no transfer was applied twice,
`verify-ledger` finds nothing, and the report gives each fault's error window and the throughput
before, during and after the faults.

A request that fails on a reused keep-alive connection before any byte of an answer came back is
sent again on a new connection, as browsers and HTTP client libraries do (nginx closes idle
connections when it reloads); everything else that fails counts as an error.
"""

import argparse
import http.client
import json
import os
import random
import ssl
import subprocess
import sys
import threading
import time
import uuid

PASSWORD = "cluster-test-password-42"


class Client:
    """One keep-alive HTTPS connection to nginx, like one browser tab."""

    def __init__(self, host, port, ctx, events, t0):
        self.host, self.port, self.ctx = host, port, ctx
        self.conn = None
        self.token = None
        self.events, self.t0 = events, t0

    def _connect(self):
        self.conn = http.client.HTTPSConnection(self.host, self.port, context=self.ctx, timeout=30)

    def request(self, method, path, body=None, headers=None, record=True):
        """(status, headers, json or None), or (None, None, error text) when no answer came."""
        hdrs = {"Accept": "application/json"}
        if self.token:
            hdrs["Authorization"] = "Bearer " + self.token
        if body is not None:
            hdrs["Content-Type"] = "application/json"
        hdrs.update(headers or {})
        data = json.dumps(body).encode() if body is not None else None
        for attempt in (0, 1):
            reused = self.conn is not None
            if self.conn is None:
                self._connect()
            try:
                self.conn.request(method, path, body=data, headers=hdrs)
                res = self.conn.getresponse()
                raw = res.read()
                status = res.status
                replica = res.getheader("x-musabaqati-replica")
                retry_after = res.getheader("retry-after")
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError,
                    ssl.SSLEOFError, ssl.SSLZeroReturnError) as err:
                self.conn.close()
                self.conn = None
                if reused and attempt == 0:
                    continue  # a stale keep-alive connection: send again on a new one
                return self._record(record, None, None, "connection: %s" % err)
            except (OSError, http.client.HTTPException) as err:
                if self.conn:
                    self.conn.close()
                self.conn = None
                return self._record(record, None, None, "connection: %s" % err)
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = None
        self._record(record, status, replica, None)
        return status, {"replica": replica, "retry_after": retry_after}, parsed

    def _record(self, record, status, replica, error):
        if record:
            self.events.append((time.monotonic() - self.t0, status, replica, error))
        if error is not None:
            return None, None, error
        return None


def failed(status):
    """An attempt that went wrong on the server side (or never reached it)."""
    return status is None or status >= 500


class Workload:
    def __init__(self, args):
        self.args = args
        host_port = args.base.split("//", 1)[1].rstrip("/")
        self.host, _, port = host_port.partition(":")
        self.port = int(port or 443)
        self.ctx = ssl.create_default_context(cafile=args.cafile)
        self.events = []  # (t, status, replica, error) of every attempt
        self.t0 = time.monotonic()
        self.users = []  # (id, username)
        self.acked_transfers = {}  # idempotency key -> ledger row id
        self.acked_messages = []
        self.acked_registrations = []
        self.acked_redemptions = []  # redemption ids
        self.paid_purchases = []  # purchase ids the admin's mark-paid acknowledged
        self.faults = []  # (start, end, name)
        self.problems = []
        self.stop = threading.Event()
        self.lock = threading.Lock()

    def client(self):
        return Client(self.host, self.port, self.ctx, self.events, self.t0)

    def must(self, client, method, path, body=None, want=(200, 201)):
        deadline = time.monotonic() + 60
        while True:
            status, _, parsed = client.request(method, path, body, record=False)
            if status in want:
                return parsed
            if time.monotonic() > deadline:
                raise SystemExit("setup: %s %s -> %s %s" % (method, path, status, parsed))
            time.sleep(0.5)

    def setup(self):
        admin = self.client()
        tokens = self.must(admin, "POST", "/api/v1/auth/login",
                           {"login": "admin", "password": self.args.admin_password})
        admin.token = tokens["access_token"]
        # All test accounts come from one address and are seconds old: the fraud rules would
        # rightly hold their transfers, and the daily limit would stop them.
        self.must(admin, "PUT", "/api/v1/admin/settings", {
            "transfer_daily_limit": 1_000_000_000, "risk_farm_enabled": False,
            "risk_transfer_enabled": False, "risk_redemption_enabled": False})
        room = self.must(admin, "POST", "/api/v1/admin/chat/rooms",
                         {"name": "غرفة الاختبار %s" % uuid.uuid4().hex[:6]})
        self.room = room["id"]
        self.must(admin, "PUT", "/api/v1/admin/settings",
                  {"purchase_open_limit": 100, "purchase_daily_limit": 1000})
        package = self.must(admin, "POST", "/api/v1/admin/packages", {
            "name": "باقة الاختبار", "points": 100, "bonus_points": 5, "price_minor": 500,
            "currency": "SAR"})
        self.package = package["id"]
        reward = self.must(admin, "POST", "/api/v1/admin/rewards", {
            "name": "مكافأة الاختبار", "description": "لاختبار العنقود", "cost": 3})
        self.reward = reward["id"]
        self.admin_token = admin.token
        tag = uuid.uuid4().hex[:6]
        for i in range(self.args.clients):
            c = self.client()
            name = "w%s_%d" % (tag, i)
            body = self.must(c, "POST", "/api/v1/auth/register", {
                "username": name, "email": "%s@example.com" % name, "password": PASSWORD,
                "display_name": "عميل %d" % i})
            c.token = body["access_token"]
            uid = body["user"]["id"]
            self.must(admin, "POST", "/api/v1/admin/points/award",
                      {"user_id": uid, "amount": 1_000_000, "reason": "رصيد اختبار العنقود"})
            self.must(c, "POST", "/api/v1/chat/rooms/%d/join" % self.room, want=(200, 201, 204, 409))
            self.users.append((uid, name, c))
        self.tag = tag

    # --- operations -------------------------------------------------------------------------

    def until_acked(self, c, path, body, key, what):
        """POSTs with an Idempotency-Key until acknowledged, as the SPA retries: the parsed
        answer, or None when it was refused or never acknowledged within 90 s."""
        deadline = time.monotonic() + 90
        while True:
            status, meta, parsed = c.request("POST", path, body, headers={"Idempotency-Key": key})
            if status in (200, 201):
                return parsed
            if status is not None and status < 500 and status not in (409, 429):
                self.problems.append("%s %s refused: %s %s" % (what, key, status, parsed))
                return None
            if status == 409 and parsed and parsed["error"]["code"] != "idempotency_in_progress":
                return None  # a business refusal (out of stock, limit): nothing was applied
            if time.monotonic() > deadline:
                return None  # never acknowledged; checked below that it was applied at most once
            wait = float(meta["retry_after"]) if meta and meta.get("retry_after") else 0.2
            time.sleep(min(wait, 2.0))

    def transfer(self, c, me):
        to = random.choice([u for u in self.users if u[1] != me])[1]
        key = "op-%s-%s" % (self.tag, uuid.uuid4().hex)
        body = {"to_username": to, "amount": 1, "note": key}
        done = self.until_acked(c, "/api/v1/points/transfers", body, key, "transfer")
        if done:
            with self.lock:
                self.acked_transfers[key] = done["entry"]["id"]

    def register(self, c):
        name = "r%s_%s" % (self.tag, uuid.uuid4().hex[:10])
        fresh = self.client()
        for _ in range(3):
            status, _, parsed = fresh.request("POST", "/api/v1/auth/register", {
                "username": name, "email": "%s@example.com" % name, "password": PASSWORD,
                "display_name": "مسجّل جديد"})
            if status == 201:
                with self.lock:
                    self.acked_registrations.append(name)
                return
            if not failed(status):
                return
            time.sleep(0.2)

    def message(self, c):
        text = "msg op-%s-%s" % (self.tag, uuid.uuid4().hex)
        status, _, _ = c.request("POST", "/api/v1/chat/rooms/%d/messages" % self.room, {"body": text})
        if status == 201:
            with self.lock:
                self.acked_messages.append(text)

    def redeem(self, c):
        key = "rd-%s-%s" % (self.tag, uuid.uuid4().hex)
        done = self.until_acked(c, "/api/v1/rewards/%d/redeem" % self.reward, {}, key, "redeem")
        if done:
            with self.lock:
                self.acked_redemptions.append(done["redemption"]["id"])

    def purchase(self, c, admin):
        key = "pu-%s-%s" % (self.tag, uuid.uuid4().hex)
        done = self.until_acked(c, "/api/v1/purchases", {"package_id": self.package}, key, "purchase")
        if not done:
            return
        pid = done["purchase"]["id"]
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            status, _, body = admin.request(
                "POST", "/api/v1/admin/purchases/%d/mark-paid" % pid,
                {"payment_reference": "bank-%d" % pid})
            if status == 200 or (status == 409 and body["error"]["code"] == "invalid_transition"):
                # 409: an earlier attempt that got no answer paid it (checked: credited once).
                with self.lock:
                    self.paid_purchases.append(pid)
                return
            if status is not None and status < 500 and status != 429:
                self.problems.append("mark-paid %d refused: %s %s" % (pid, status, body))
                return
            time.sleep(0.2)

    def worker(self, index):
        uid, me, c = self.users[index]
        admin = self.client()
        admin.token = self.admin_token
        while not self.stop.is_set():
            r = random.random()
            if r < 0.36:
                self.transfer(c, me)
            elif r < 0.58:
                c.request("GET", "/api/v1/leaderboard?period=all")
            elif r < 0.76:
                c.request("GET", "/api/v1/points/balance")
            elif r < 0.84:
                self.register(c)
            elif r < 0.91:
                self.message(c)
            elif r < 0.96:
                self.redeem(c)
            else:
                self.purchase(c, admin)

    def fault_runner(self):
        for spec in self.args.faults:
            at, _, command = spec.partition(":")
            wait = float(at) - (time.monotonic() - self.t0)
            if self.stop.wait(max(0.0, wait)):
                return
            start = time.monotonic() - self.t0
            for step in command.split("+"):
                subprocess.run(["bash", self.args.cluster] + step.split(), check=True,
                               stdout=subprocess.DEVNULL)
            self.faults.append((start, time.monotonic() - self.t0, command))
            print("  fault %-28s at %5.1fs, done after %.1fs" % (command, start, time.monotonic() - self.t0 - start),
                  flush=True)

    def run(self):
        self.setup()
        self.events.clear()
        self.t0 = time.monotonic()
        for u in self.users:
            u[2].t0 = self.t0
        threads = [threading.Thread(target=self.worker, args=(i,)) for i in range(len(self.users))]
        faults = threading.Thread(target=self.fault_runner)
        for t in threads:
            t.start()
        faults.start()
        time.sleep(self.args.duration)
        self.stop.set()
        for t in threads:
            t.join()
        faults.join()
        self.duration = time.monotonic() - self.t0

    # --- checks and report ------------------------------------------------------------------

    def psql(self, sql):
        out = subprocess.run(["psql", self.args.db_url, "-tAF", "\t", "-c", sql], check=True,
                             capture_output=True, text=True).stdout
        return [line.split("\t") for line in out.splitlines() if line]

    def check(self):
        rows = self.psql("SELECT idempotency_key, COUNT(*) FROM points_transactions "
                         "WHERE kind = 'transfer_out' AND idempotency_key LIKE 'op-%s-%%' GROUP BY 1" % self.tag)
        applied = {k: int(n) for k, n in rows}
        doubled = [k for k, n in applied.items() if n > 1]
        lost = [k for k in self.acked_transfers if applied.get(k) != 1]
        msgs = {b: int(n) for b, n in self.psql(
            "SELECT body, COUNT(*) FROM messages WHERE body LIKE 'msg op-%s-%%' GROUP BY 1" % self.tag)}
        lost_msgs = [m for m in self.acked_messages if msgs.get(m) != 1]
        names = {r[0] for r in self.psql(
            "SELECT username FROM users WHERE username LIKE 'r%s_%%'" % self.tag)}
        lost_regs = [n for n in self.acked_registrations if n not in names]
        credits = {int(ref): int(n) for ref, n in self.psql(
            "SELECT reference_id, COUNT(*) FROM points_transactions WHERE kind = 'purchase' "
            "AND reference_type = 'purchase' GROUP BY 1")}
        unpaid = [p for p in self.paid_purchases if credits.get(p) != 1]
        doubled_credits = [p for p, n in credits.items() if n > 1]
        debits = {int(ref): int(n) for ref, n in self.psql(
            "SELECT reference_id, COUNT(*) FROM points_transactions WHERE kind = 'redemption' "
            "AND reference_type = 'redemption' GROUP BY 1")}
        lost_redemptions = [r for r in self.acked_redemptions if debits.get(r) != 1]
        verify = subprocess.run([self.args.bin, "verify-ledger"], capture_output=True, text=True,
                                env=dict(os.environ, DATABASE_URL=self.args.db_url))
        return {
            "transfers_acknowledged": len(self.acked_transfers),
            "transfers_applied": len(applied),
            "transfers_lost": len(lost),
            "transfers_doubled": len(doubled),
            "messages_acknowledged": len(self.acked_messages),
            "messages_lost_or_doubled": len(lost_msgs),
            "registrations_acknowledged": len(self.acked_registrations),
            "registrations_lost": len(lost_regs),
            "redemptions_acknowledged": len(self.acked_redemptions),
            "redemptions_lost_or_doubled": len(lost_redemptions),
            "purchases_paid": len(self.paid_purchases),
            "purchases_not_credited_once": len(unpaid),
            "purchase_credits_doubled": len(doubled_credits),
            "verify_ledger_exit": verify.returncode,
            "verify_ledger": (verify.stdout + verify.stderr).strip().splitlines()[-1:],
        }

    def report(self):
        events = sorted(self.events)
        ok = [e for e in events if not failed(e[1])]
        errors = [e for e in events if failed(e[1])]
        first = self.faults[0][0] if self.faults else self.duration
        last = self.faults[-1][1] + 3 if self.faults else self.duration

        def rate(a, b):
            n = sum(1 for e in ok if a <= e[0] < b)
            return round(n / (b - a), 1) if b > a else None

        windows = []
        for i, (start, end, name) in enumerate(self.faults):
            until = self.faults[i + 1][0] if i + 1 < len(self.faults) else self.duration
            errs = [e for e in errors if start <= e[0] < until]
            windows.append({
                "fault": name, "at_s": round(start, 1), "took_s": round(end - start, 1),
                "errors": len(errs),
                "error_window_s": round(errs[-1][0] - errs[0][0], 2) if errs else 0.0,
                "refused_connections": sum(1 for e in errs if e[1] is None),
                "http_5xx": sum(1 for e in errs if e[1] is not None),
            })
        replicas = {}
        for e in ok:
            if e[2]:
                replicas[e[2]] = replicas.get(e[2], 0) + 1
        return {
            "duration_s": round(self.duration, 1),
            "clients": len(self.users),
            "requests": len(events),
            "requests_ok": len(ok),
            "requests_failed": len(errors),
            "served_by": replicas,
            "throughput_ok_per_s": {
                "before": rate(0, first), "during": rate(first, last),
                "after": rate(last, self.duration)},
            "transfers_per_s": round(len(self.acked_transfers) / self.duration, 1),
            "faults": windows,
            "first_errors": [e[3] or e[1] for e in errors[:5]],
        }


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--base", required=True)
    p.add_argument("--cafile", required=True)
    p.add_argument("--db-url", required=True)
    p.add_argument("--bin", required=True)
    p.add_argument("--cluster", default="scripts/cluster.sh")
    p.add_argument("--admin-password", required=True)
    p.add_argument("--clients", type=int, default=12)
    p.add_argument("--duration", type=float, default=60)
    p.add_argument("--faults", default="")
    p.add_argument("--expect-no-errors", action="store_true",
                   help="fail when any request failed (the rolling-restart check)")
    p.add_argument("--report", default="")
    args = p.parse_args()
    args.faults = [f for f in args.faults.split(",") if f]
    w = Workload(args)
    w.run()
    report = w.report()
    report["checks"] = w.check()
    report["problems"] = w.problems[:10]
    print(json.dumps(report, indent=2, ensure_ascii=False))
    if args.report:
        with open(args.report, "w") as f:
            json.dump(report, f, indent=2, ensure_ascii=False)
    c = report["checks"]
    bad = []
    if c["transfers_lost"] or c["transfers_doubled"]:
        bad.append("lost or doubled transfers")
    if c["messages_lost_or_doubled"] or c["registrations_lost"]:
        bad.append("lost messages or registrations")
    if c["redemptions_lost_or_doubled"] or c["purchases_not_credited_once"] or c["purchase_credits_doubled"]:
        bad.append("redemptions or purchase credits lost or doubled")
    if c["verify_ledger_exit"] != 0:
        bad.append("verify-ledger found violations")
    if w.problems:
        bad.append("refused operations")
    if len(report["served_by"]) < 2:
        bad.append("only one replica served")
    if args.expect_no_errors and report["requests_failed"]:
        bad.append("%d requests failed" % report["requests_failed"])
    if bad:
        print("FAILED: " + "; ".join(bad), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
