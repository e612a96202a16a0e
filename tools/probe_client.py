"""What the probes' clients share: a problem registered through the API as an integrating system would, with an
``Idempotency-Key`` kept across retries (``tools/outage.py``, ``tools/cluster.py``)."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable


def post_problem(base: str, token: str, body: bytes, key: str, timeout: float = 15) -> tuple[int, dict | None]:
    """POST one problem; (status, answer). A refused or broken connection is status 0."""
    req = urllib.request.Request(f"{base}/api/v1/tickets/", data=body, method="POST", headers={
        "Authorization": f"Token {token}", "Content-Type": "application/json", "Idempotency-Key": key})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as exc:
        return exc.code, None
    except OSError:
        return 0, None


def keep_registering(base: str, conf: dict, title: str, description: str, stop: threading.Event,
                     record: Callable[[str, int, dict | None], None], timeout: float = 15) -> None:
    """Until ``stop``: register problems one after another, each retried every 0.2 s with the same key until
    its 201; ``record(key, status, answer)`` is told of every attempt."""
    while not stop.is_set():
        key = uuid.uuid4().hex
        body = json.dumps({"enterprise": conf["uscc"], "category": conf["category"], "title": f"{title} {key}",
                           "description": description}).encode()
        while not stop.is_set():
            code, answer = post_problem(base, conf["token"], body, key, timeout)
            record(key, code, answer)
            if code == 201:
                break
            time.sleep(0.2)
