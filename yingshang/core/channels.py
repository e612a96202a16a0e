"""Channels a notification goes out on besides the bell, each a pluggable backend chosen in settings
(``NOTIFY_CHANNELS``: channel → backend path and options).

- ``email`` — Django's e-mail backends (``EMAIL_BACKEND``; SMTP in production, a folder under ``var/``
  by default);
- ``sms`` — an SMS gateway over HTTP (``HttpSmsBackend``: address and key from settings);
- ``wecom`` / ``dingtalk`` — the 企业微信 and 钉钉 group robots (webhook address from settings; the
  recipient is @-mentioned by mobile number; 钉钉's signed webhooks are signed).
A channel without an address configured writes to a file (``FileBackend``), as tests and the demo do."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.parse
import urllib.request
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

# Which field of a person's contact details each channel sends to.
ADDRESS_OF = {"email": "email", "sms": "phone", "wecom": "phone", "dingtalk": "phone"}
LABELS = {"email": _("e-mail"), "sms": _("SMS"), "wecom": _("WeCom group"), "dingtalk": _("DingTalk group")}


class Backend:
    def __init__(self, channel: str, **options):
        self.channel, self.options = channel, options

    def send(self, *, address: str, title: str, link: str) -> None:  # raises on failure
        raise NotImplementedError


class FileBackend(Backend):
    """Appends one JSON line per message to ``path`` (default ``var/notify-<channel>.log``)."""

    def send(self, *, address, title, link):
        path = Path(self.options.get("path") or Path(settings.VAR_DIR) / f"notify-{self.channel}.log")
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as f:
            f.write(json.dumps({"to": address, "title": title, "link": link}, ensure_ascii=False) + "\n")


class EmailBackend(Backend):
    def send(self, *, address, title, link):
        from django.core.mail import send_mail

        send_mail(subject=title, message=f"{title}\n\n{link}", from_email=settings.DEFAULT_FROM_EMAIL,
                  recipient_list=[address], fail_silently=False)


def _post(url: str, payload: dict, headers: dict | None = None, timeout: float = 5.0) -> dict:
    req = urllib.request.Request(url, data=json.dumps(payload, ensure_ascii=False).encode(), method="POST",
                                 headers={"Content-Type": "application/json; charset=utf-8", **(headers or {})})
    with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 (an address from settings)
        body = resp.read()
    try:
        return json.loads(body or b"{}")
    except ValueError:
        return {}


class HttpSmsBackend(Backend):
    """POSTs ``{"phone", "text"}`` to the gateway ``url`` with the ``key`` in the Authorization header."""

    def send(self, *, address, title, link):
        _post(self.options["url"], {"phone": address, "text": f"{title} {link}".strip()},
              headers={"Authorization": f"Bearer {self.options.get('key', '')}"})


class WecomRobotBackend(Backend):
    """企业微信 group robot: a text message that @-mentions the recipient's mobile."""

    def send(self, *, address, title, link):
        answer = _post(self.options["url"], {"msgtype": "text", "text": {
            "content": f"{title}\n{link}".strip(), "mentioned_mobile_list": [address]}})
        if answer.get("errcode", 0) != 0:
            raise RuntimeError(f"errcode {answer.get('errcode')}: {answer.get('errmsg', '')}")


class DingtalkRobotBackend(Backend):
    """钉钉 group robot; with ``secret`` the webhook is signed (timestamp and HMAC-SHA256 of it)."""

    def send(self, *, address, title, link):
        url = self.options["url"]
        secret = self.options.get("secret")
        if secret:
            stamp = str(round(time.time() * 1000))
            digest = hmac.new(secret.encode(), f"{stamp}\n{secret}".encode(), hashlib.sha256).digest()
            sign = urllib.parse.quote_plus(base64.b64encode(digest))
            url = f"{url}{'&' if '?' in url else '?'}timestamp={stamp}&sign={sign}"
        answer = _post(url, {"msgtype": "text", "text": {"content": f"{title}\n{link}".strip()},
                             "at": {"atMobiles": [address]}})
        if answer.get("errcode", 0) != 0:
            raise RuntimeError(f"errcode {answer.get('errcode')}: {answer.get('errmsg', '')}")


def available() -> dict:
    return getattr(settings, "NOTIFY_CHANNELS", {})


def backend(channel: str) -> Backend:
    conf = dict(available()[channel])
    return import_string(conf.pop("backend"))(channel, **conf)


def addresses(user_ids) -> dict[int, dict[str, str]]:
    """E-mail and phone of each user: the e-mail on the account; the phone from the directory, which
    registers how to find it (``hooks.register_contacts``)."""
    from django.contrib.auth import get_user_model

    from . import hooks

    out = {uid: {"email": email or "", "phone": ""}
           for uid, email in get_user_model().objects.filter(pk__in=user_ids).values_list("pk", "email")}
    for uid, phone in hooks.phones(user_ids).items():
        out.setdefault(uid, {"email": ""})["phone"] = phone
    return out
