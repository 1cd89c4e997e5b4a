#!/usr/bin/env python3
"""A real SMTP server for the tests (aiosmtpd, from PyPI): every message it receives is written to
DIR as <n>.eml (the raw message) and <n>.json (envelope, From, To, decoded Subject, text and HTML
parts), the JSON last and renamed into place, so a reader never sees half a message.

Usage: smtp_sink.py --port PORT --dir DIR [--until-stdin-closes]
Prints "ready <port>" once it accepts connections. Stops on SIGTERM/SIGINT, or, with
--until-stdin-closes, when its standard input closes (the Rust tests hold the other end, so the
sink never outlives them).
"""
import argparse
import email
import email.policy
import json
import os
import signal
import sys
import time

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, directory):
        self.directory = directory

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        text = msg.get_body(("plain",))
        html = msg.get_body(("html",))
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "from": str(msg["from"]),
            "to": str(msg["to"]),
            "subject": str(msg["subject"]),
            "text": text.get_content() if text is not None else None,
            "html": html.get_content() if html is not None else None,
        }
        name = f"{time.time_ns()}"
        with open(os.path.join(self.directory, name + ".eml"), "wb") as f:
            f.write(raw)
        tmp = os.path.join(self.directory, name + ".json.tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(record, f, ensure_ascii=False)
        os.rename(tmp, os.path.join(self.directory, name + ".json"))
        return "250 Message accepted for delivery"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--until-stdin-closes", action="store_true")
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    controller = Controller(Sink(args.dir), hostname="127.0.0.1", port=args.port)
    controller.start()
    print(f"ready {args.port}", flush=True)
    try:
        if args.until_stdin_closes:
            sys.stdin.read()
        else:
            signal.sigwait({signal.SIGTERM, signal.SIGINT})
    finally:
        controller.stop()


if __name__ == "__main__":
    if "--until-stdin-closes" not in sys.argv:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
    main()
