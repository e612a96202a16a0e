#!/usr/bin/env python3
"""An example client of the zone's 12345 interface (docs/interop.md), for a hotline's engineers. Standard library
only; Python 3.9 or later.

    export ZONE=https://yingshang.example.gov.cn KEY=ys_… SECRET=…
    python3 hotline_client.py send --order-code GD-20261207-0001 --uscc 91220101XXXXXXXXXX \
        --content "园区东路停电三天" --category 城建-供电 --deadline 2026-12-10T17:00:00+08:00
    python3 hotline_client.py status GD-20261207-0001
    python3 hotline_client.py reject GD-20261207-0001 --reason "来电人反映仍未恢复供电"
    python3 hotline_client.py reconciliation --day 2026-12-07
    python3 hotline_client.py receive --port 9000     # prints the zone's pushes, checking their signatures

Every request is signed: ``X-Hotline-Key`` (the key), ``X-Timestamp`` (Unix seconds; the zone refuses one more
than five minutes away) and ``X-Signature``: hex HMAC-SHA256 over ``timestamp + "\\n" + body`` with the secret.
The zone signs what it pushes to the callback the same way.
"""

import argparse
import hashlib
import hmac
import json
import os
import sys
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, HTTPServer


def sign(secret: str, timestamp: str, body: bytes) -> str:
    return hmac.new(secret.encode(), timestamp.encode() + b"\n" + body, hashlib.sha256).hexdigest()


def call(method: str, path: str, payload=None):
    base, key, secret = os.environ["ZONE"].rstrip("/"), os.environ["KEY"], os.environ["SECRET"]
    body = json.dumps(payload, ensure_ascii=False).encode() if payload is not None else b""
    ts = str(int(time.time()))
    headers = {"X-Hotline-Key": key, "X-Timestamp": ts, "X-Signature": sign(secret, ts, body),
               "Content-Type": "application/json; charset=utf-8", "Accept-Language": "zh-hans"}
    request = urllib.request.Request(base + path, data=body if method == "POST" else None, method=method,
                                     headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            print(response.status, json.dumps(json.load(response), ensure_ascii=False, indent=2))
            return 0
    except urllib.error.HTTPError as e:
        print(e.code, e.read().decode(errors="replace"), file=sys.stderr)
        return 1


def receive(port: int) -> None:
    secret = os.environ["SECRET"]

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            ts = self.headers.get("X-Timestamp", "")
            good = hmac.compare_digest(self.headers.get("X-Signature", ""), sign(secret, ts, body)) \
                and ts.isdigit() and abs(time.time() - int(ts)) <= 300
            print("signature ok" if good else "BAD SIGNATURE", json.dumps(json.loads(body or b"{}"),
                                                                          ensure_ascii=False))
            self.send_response(200 if good else 401)
            self.end_headers()

    print(f"receiving on http://0.0.0.0:{port}/ (Ctrl-C stops)")
    HTTPServer(("0.0.0.0", port), Handler).serve_forever()


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("send", help="transfer a work order (转办)")
    s.add_argument("--order-code", required=True)
    s.add_argument("--uscc")
    s.add_argument("--firm-name")
    s.add_argument("--content", required=True)
    s.add_argument("--category")
    s.add_argument("--deadline", help="ISO 8601, e.g. 2026-12-10T17:00:00+08:00")
    s.add_argument("--caller")
    s.add_argument("--phone")
    s.add_argument("--attachment", action="append", default=[], help="an http(s) address; repeatable")
    st = sub.add_parser("status", help="an order's ticket, state, deadline and pushes")
    st.add_argument("code")
    r = sub.add_parser("reject", help="退单: reject the zone's answer")
    r.add_argument("code")
    r.add_argument("--reason", required=True)
    r.add_argument("--deadline")
    rc = sub.add_parser("reconciliation", help="对账 of a day")
    rc.add_argument("--day")
    rv = sub.add_parser("receive", help="a callback receiver that checks signatures")
    rv.add_argument("--port", type=int, default=9000)
    a = p.parse_args(argv)
    if a.command == "send":
        order = {"order_code": a.order_code, "uscc": a.uscc, "firm_name": a.firm_name, "content": a.content,
                 "category": a.category, "deadline": a.deadline, "caller": a.caller, "phone": a.phone,
                 "attachments": a.attachment}
        return call("POST", "/api/v1/hotline/orders/", {k: v for k, v in order.items() if v})
    if a.command == "status":
        return call("GET", f"/api/v1/hotline/orders/{a.code}/")
    if a.command == "reject":
        return call("POST", f"/api/v1/hotline/orders/{a.code}/reject/",
                    {k: v for k, v in {"reason": a.reason, "deadline": a.deadline}.items() if v})
    if a.command == "reconciliation":
        return call("GET", "/api/v1/hotline/reconciliation/" + (f"?day={a.day}" if a.day else ""))
    receive(a.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
