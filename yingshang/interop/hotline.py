"""The bridge to the city's 12345 hotline. Inbound: a transferred work order (转办), signed with the hotline's
secret, becomes a ticket through the channel 12345转办 — once per order code — under the category the
administrators mapped the hotline's category to, with the hotline's deadline when earlier. A 退单 reopens the
ticket. Outbound: every reply, answer and closing of such a ticket is pushed back to the hotline's callback
(signed, a job of ``core.jobs``: retried with back-off, each attempt logged). Daily, a reconciliation: orders
received vs answered vs delivered back, and the differences.

Signature (both ways): ``X-Timestamp`` (Unix seconds) and ``X-Signature`` = hex HMAC-SHA256 of
``timestamp + "\\n" + body`` with the hotline's secret; a timestamp more than five minutes away is refused.
The hotline names itself with ``X-Hotline-Key`` (its key)."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yingshang.core import inputs, jobs

from .models import Callback, CategoryMap, ExternalRequest, Integrator, Reconciliation

WINDOW = 300  # seconds a signed request stays valid
PUSH_JOB = "interop.hotline_push"
MAX_ATTACHMENTS = 10

# The ticket events pushed back, and what the hotline calls each.
PUSHED = {"tickets.ticket.responded": "reply", "tickets.ticket.resolved": "answer",
          "tickets.ticket.confirmed": "closed", "tickets.ticket.called_back": "closed",
          "tickets.ticket.withdrawn": "closed", "tickets.ticket.merged": "closed",
          "tickets.ticket.reopened": "reopened"}
ANSWERED = {"answer", "closed"}


# --- signatures ----------------------------------------------------------------------------------------------------

def signature(secret: str, timestamp: str, body: bytes) -> str:
    return hmac.new(secret.encode(), timestamp.encode() + b"\n" + body, hashlib.sha256).hexdigest()


def signed_headers(secret: str, body: bytes, key: str = "", now: float | None = None) -> dict:
    ts = str(int(now if now is not None else time.time()))
    headers = {"Content-Type": "application/json; charset=utf-8", "X-Timestamp": ts,
               "X-Signature": signature(secret, ts, body)}
    if key:
        headers["X-Hotline-Key"] = key
    return headers


def authenticate(headers, body: bytes, *, now: float | None = None) -> Integrator:
    """The hotline a request comes from, or PermissionDenied: its key, a timestamp within five minutes, the
    body's signature with its secret."""
    from .services import integrator_by_key

    integrator = integrator_by_key(headers.get("X-Hotline-Key"))
    if integrator is None or integrator.kind != Integrator.Kind.HOTLINE or not integrator.secret:
        raise PermissionDenied(_("Unknown hotline key."))
    ts = str(headers.get("X-Timestamp") or "")
    if not (ts.isascii() and ts.isdigit()) or abs((now or time.time()) - int(ts)) > WINDOW:
        raise PermissionDenied(_("The timestamp is missing or more than five minutes away."))
    given = str(headers.get("X-Signature") or "")
    if not hmac.compare_digest(given, signature(integrator.secret, ts, body)):
        raise PermissionDenied(_("The signature does not match the body."))
    return integrator


# --- inbound --------------------------------------------------------------------------------------------------------

def _firm(data):
    from yingshang.directory.models import Enterprise

    from .services import firm_by_uscc

    if data.get("uscc"):
        return firm_by_uscc(data.get("uscc"), "uscc")
    name = inputs.text(data.get("firm_name"), "firm_name", max_length=200, multiline=False)
    firms = list(Enterprise.objects.filter(name=name)[:2])
    if len(firms) != 1:
        raise ValidationError({"firm_name": _("No firm of the zone has this name: send its credit code.")})
    return firms[0]


def _category(integrator: Integrator, theirs: str):
    from yingshang.tickets.models import Category

    mapped = CategoryMap.objects.filter(integrator=integrator, their_category=theirs,
                                        category__active=True).select_related("category").first()
    if mapped:
        return mapped.category
    # not mapped yet: 其他 (the dispatcher sorts it; the hotline's category stays on the record)
    return (Category.objects.filter(active=True, parent__isnull=True, children__isnull=True).order_by("sort_order")
            .first() or Category.objects.filter(active=True).order_by("sort_order", "pk").first())


def order_receive(*, integrator: Integrator, data: dict) -> tuple[ExternalRequest, bool]:
    """转办: a work order of the hotline becomes a ticket (channel 12345转办). Returns the record and whether
    it was new: the same order code again gives the same ticket."""
    from yingshang.tickets.models import Ticket
    from yingshang.tickets.services import ticket_register

    if integrator is None or integrator.kind != Integrator.Kind.HOTLINE or not integrator.active:
        raise PermissionDenied(_("Unknown hotline key."))
    if not isinstance(data, dict):
        raise ValidationError({"": _("The body is a JSON object.")})
    code = inputs.text(data.get("order_code"), "order_code", max_length=64, multiline=False)
    done = ExternalRequest.objects.filter(integrator=integrator, external_code=code).select_related("ticket").first()
    if done is not None:
        return done, False
    firm = _firm(data)
    content = inputs.text(data.get("content"), "content", max_length=5000)
    theirs = inputs.text(data.get("category"), "category", required=False, max_length=100, multiline=False)
    deadline = inputs.moment(data.get("deadline"), "deadline", required=False)
    if deadline is not None and deadline <= timezone.now():
        raise ValidationError({"deadline": _("The deadline has passed already.")})
    caller = inputs.text(data.get("caller"), "caller", required=False, max_length=100, multiline=False)
    phone = inputs.text(data.get("phone"), "phone", required=False, max_length=40, multiline=False)
    urls = data.get("attachments") or []
    if not isinstance(urls, list) or len(urls) > MAX_ATTACHMENTS:
        raise ValidationError({"attachments": _("At most %(n)d attachment addresses, as a list.")
                               % {"n": MAX_ATTACHMENTS}})
    urls = [inputs.text(u, "attachments", max_length=500, multiline=False) for u in urls]
    if any(not u.lower().startswith(("https://", "http://")) for u in urls):
        raise ValidationError({"attachments": _("An attachment is an http or https address.")})
    category = _category(integrator, theirs)
    try:
        with transaction.atomic():
            ticket = ticket_register(
                actor=integrator.user, enterprise=firm, category=category, title=content.replace("\n", " ")[:60],
                description=content, channel=Ticket.Channel.HOTLINE, resolve_by=deadline,
                idempotency_key=f"hotline:{code}")
            record = ExternalRequest.objects.create(
                integrator=integrator, ticket=ticket, external_code=code, reporter_name=caller,
                reporter_phone=phone, attachment_urls=urls, their_category=theirs, created_at=timezone.now())
    except IntegrityError:  # the same order at the same moment: the first one stands
        return ExternalRequest.objects.select_related("ticket").get(integrator=integrator, external_code=code), False
    return record, True


def order_reject(*, integrator: Integrator, code: str, data: dict):
    """退单: the hotline rejects the zone's answer; the ticket is in progress again, with the reason (and a new
    deadline if the hotline sets one)."""
    from yingshang.tickets.services import ticket_sender_reject

    if integrator is None or integrator.kind != Integrator.Kind.HOTLINE or not integrator.active:
        raise PermissionDenied(_("Unknown hotline key."))
    record = ExternalRequest.objects.filter(integrator=integrator, external_code=str(code)[:64]).first()
    if record is None:
        return None
    if not isinstance(data, dict):
        raise ValidationError({"": _("The body is a JSON object.")})
    deadline = inputs.moment(data.get("deadline"), "deadline", required=False)
    if deadline is not None and deadline <= timezone.now():
        raise ValidationError({"deadline": _("The deadline has passed already.")})
    return ticket_sender_reject(actor=integrator.user, ticket=record.ticket, reason=data.get("reason"),
                                resolve_by=deadline)


# --- outbound -------------------------------------------------------------------------------------------------------

def on_ticket_event(row, ticket) -> None:
    """An event of a ticket: when the hotline transferred it and wants this kind back, a push job (once per
    event) is asked for in the same transaction."""
    if row.action not in PUSHED or getattr(ticket, "channel", None) != "hotline":
        return
    record = ExternalRequest.objects.filter(ticket_id=ticket.pk, integrator__kind=Integrator.Kind.HOTLINE,
                                            integrator__callback_url__gt="").first()
    if record is not None:
        jobs.enqueue(PUSH_JOB, {"request": record.pk, "event": row.pk}, key=f"event:{row.pk}")


def message(record: ExternalRequest, event) -> dict:
    """What the hotline receives: the order, the kind, what the firm may read of it, the state, when."""
    t = record.ticket
    kind = PUSHED[event.action]
    return {"order_code": record.external_code, "ticket": t.number, "kind": kind,
            "text": event.note if event.public else "", "outcome": t.outcome if kind == "answer" else "",
            "status": t.status, "department": t.lead_department.name if t.lead_department_id else "",
            "at": timezone.localtime(event.at).isoformat(timespec="seconds"), "event_id": event.pk}


def push(payload: dict, *, timeout: float = 10.0) -> dict:
    """The push job: one signed POST to the hotline's callback; the attempt is logged whatever happens; a
    failure raises (the job is retried with back-off). Already delivered: nothing is sent again."""
    from yingshang.tickets.models import TicketEvent

    record = ExternalRequest.objects.select_related("integrator", "ticket__lead_department").get(pk=payload["request"])
    event = TicketEvent.objects.get(pk=payload["event"])
    if Callback.objects.filter(request=record, event_id=event.pk, ok=True).exists():
        return {"delivered": "before"}
    integrator = record.integrator
    body = json.dumps(message(record, event), ensure_ascii=False).encode()
    attempt = Callback.objects.filter(request=record, event_id=event.pk).count() + 1
    log = Callback(request=record, event_id=event.pk, kind=PUSHED[event.action], attempt=attempt, at=timezone.now())
    request = urllib.request.Request(integrator.callback_url, data=body, method="POST",
                                     headers=signed_headers(integrator.secret, body))
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (the registered address)
            log.status_code = response.status
            log.ok = 200 <= response.status < 300
    except urllib.error.HTTPError as e:
        log.status_code, log.error = e.code, f"HTTP {e.code}: {e.read(300).decode(errors='replace')}"[:500]
    except (urllib.error.URLError, OSError, ValueError) as e:
        log.error = f"{type(e).__name__}: {e}"[:500]
    log.save()
    if not log.ok:
        raise ConnectionError(log.error or f"HTTP {log.status_code}")
    return {"delivered": attempt}


# --- reconciliation --------------------------------------------------------------------------------------------------

def reconcile(integrator: Integrator, day: date, *, now: datetime | None = None, save: bool = True
              ) -> Reconciliation:
    """对账 for the orders received on ``day``: how many, how many answered, how many answers delivered back;
    the differences listed — not answered and past the deadline, answered and not delivered. Made again, the
    day's record is brought up to date (``save=False``: computed, not kept)."""
    from yingshang.tickets.models import Ticket

    now = now or timezone.now()
    start = timezone.make_aware(datetime(day.year, day.month, day.day))
    records = list(ExternalRequest.objects.filter(integrator=integrator, created_at__gte=start,
                                                  created_at__lt=start + timedelta(days=1))
                   .select_related("ticket").order_by("created_at", "pk"))
    delivered_ids = set(Callback.objects.filter(request__in=records, ok=True, kind__in=ANSWERED)
                        .values_list("request_id", flat=True))
    answered_states = {Ticket.Status.RESOLVED, Ticket.Status.CLOSED, Ticket.Status.WITHDRAWN, Ticket.Status.MERGED}
    answered = delivered = 0
    differences = []
    for r in records:
        t = r.ticket
        is_answered = t.status in answered_states
        answered += is_answered
        delivered += r.pk in delivered_ids
        if is_answered and r.pk not in delivered_ids:
            differences.append({"order_code": r.external_code, "ticket": t.number, "difference": "not delivered"})
        elif not is_answered and t.resolve_due and t.resolve_due < now:
            differences.append({"order_code": r.external_code, "ticket": t.number, "difference": "overdue"})
    values = {"received": len(records), "answered": answered, "delivered": delivered, "differences": differences,
              "made_at": now}
    if not save:
        return Reconciliation(integrator=integrator, day=day, **values)
    rec, _created = Reconciliation.objects.update_or_create(integrator=integrator, day=day, defaults=values)
    return rec


def reconcile_sweep(now: datetime | None = None) -> dict:
    """The sweep's part: yesterday's and today's reconciliation for each active hotline (made again each time,
    so a late delivery shows)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    n = 0
    for integrator in Integrator.objects.filter(kind=Integrator.Kind.HOTLINE, active=True):
        for day in (today - timedelta(days=1), today):
            reconcile(integrator, day, now=now)
            n += 1
    return {"hotline reconciliations": n}
