"""Reads of the integrations: Open311's service requests (``GET requests.json``). An integrator reads the
problems it filed, in full; anyone else only the problems their firms chose to publish (none by default) —
never who raised them, who reported them, or what officials wrote."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from yingshang.core import inputs

MAX_SPAN = timedelta(days=90)
LIMIT = 1000  # requests in one answer, newest first
MAX_IDS = 100


def _closed():
    from yingshang.tickets.models import Ticket

    S = Ticket.Status
    return (S.RESOLVED, S.CLOSED, S.WITHDRAWN, S.MERGED)


def _split(value, field: str, max_length: int) -> list[str]:
    text = inputs.text(value, field, required=False, max_length=max_length * MAX_IDS, multiline=False)
    items = [v.strip() for v in text.split(",") if v.strip()]
    if len(items) > MAX_IDS:
        raise ValidationError({field: _("At most %(n)d values.") % {"n": MAX_IDS}})
    return items


def span(start, end, *, now=None) -> tuple:
    """start_date and end_date as the specification says: at most 90 days apart; either alone is the 90 days
    after or before it; neither, the last 90 days."""
    start = inputs.moment(start, "start_date", required=False)
    end = inputs.moment(end, "end_date", required=False)
    if start is None and end is None:
        end = now or timezone.now()
    if start is None:
        start = end - MAX_SPAN
    if end is None:
        end = start + MAX_SPAN
    if end < start:
        raise ValidationError({"end_date": _("end_date is before start_date.")})
    if end - start > MAX_SPAN:
        raise ValidationError({"end_date": _("start_date and end_date may be at most 90 days apart.")})
    return start, end


FIELDS = ("number", "status", "description", "answer", "category_id", "category__name", "lead_department_id",
          "lead_department__name", "enterprise__address", "created_at", "dispatched_at", "accepted_at",
          "first_response_at", "suspended_at", "resolved_at", "closed_at", "resolve_due", "external__address_string",
          "external__address_id", "external__lat", "external__long", "external__media_url")


def _tickets():
    """Rows of what a service request shows, and nothing more (a thousand at a time: no model objects)."""
    from yingshang.tickets.models import Ticket

    return Ticket.objects.values(*FIELDS)


def requests(integrator, params, *, now=None) -> list:
    """The tickets a ``GET requests.json`` answers (with their category, department and outside record)."""
    qs = _tickets()
    qs = qs.filter(external__integrator=integrator) if integrator is not None else qs.filter(published=True)
    numbers = [n.upper() for n in _split(params.get("service_request_id"), "service_request_id", 20)]
    if numbers:  # the other filters are ignored, as the specification says
        return list(qs.filter(number__in=numbers).order_by("-created_at", "-id"))
    codes = [inputs.object_id(c, "service_code") for c in _split(params.get("service_code"), "service_code", 20)]
    if codes:
        qs = qs.filter(category_id__in=codes)
    start, end = span(params.get("start_date"), params.get("end_date"), now=now)
    qs = qs.filter(created_at__gte=start, created_at__lte=end)
    statuses = {s.lower() for s in _split(params.get("status"), "status", 10)}
    if statuses - {"open", "closed"}:
        raise ValidationError({"status": _("status is open or closed.")})
    if statuses == {"open"}:
        qs = qs.exclude(status__in=_closed())
    elif statuses == {"closed"}:
        qs = qs.filter(status__in=_closed())
    return list(qs.order_by("-created_at", "-id")[:LIMIT])


def request(integrator, number: str):
    """One ticket by its number, if this reader may see it (else None)."""
    number = inputs.text(number, "service_request_id", max_length=20, multiline=False).upper()
    qs = _tickets().filter(number=number)
    qs = qs.filter(external__integrator=integrator) if integrator is not None else qs.filter(published=True)
    return qs.first()


def _iso(moment) -> str | None:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


STAMPS = ("created_at", "dispatched_at", "accepted_at", "first_response_at", "suspended_at", "resolved_at",
          "closed_at")


def as_open311(t: dict, *, full: bool) -> dict:
    """A ticket's row (``_tickets``) as a GeoReport v2 service request. ``full`` (the integrator that filed it)
    adds the answer to the status notes and the place the integrator sent; the public gets the firm's public
    address and no coordinates."""
    from yingshang.tickets.models import Ticket

    closed = t["status"] in _closed()
    notes = str(Ticket.Status(t["status"]).label)
    if full and t["answer"]:
        notes = f"{notes}: {t['answer']}"
    lat, long = (t["external__lat"], t["external__long"]) if full else (None, None)
    return {
        "service_request_id": t["number"],
        "status": "closed" if closed else "open",
        "status_notes": notes,
        "service_name": t["category__name"],
        "service_code": str(t["category_id"]),
        "description": t["description"],
        "agency_responsible": t["lead_department__name"] or "",
        "service_notice": "",
        "requested_datetime": _iso(t["created_at"]),
        "updated_datetime": _iso(max(t[k] for k in STAMPS if t[k])),
        "expected_datetime": None if closed else _iso(t["resolve_due"]),
        "address": (full and t["external__address_string"]) or t["enterprise__address"],
        "address_id": (full and t["external__address_id"]) or "",
        "zipcode": "",
        "lat": float(lat) if lat is not None else None,
        "long": float(long) if long is not None else None,
        "media_url": (full and t["external__media_url"]) or "",
    }
