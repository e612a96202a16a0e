"""证照分离 · 双告知: when the market-regulation department registers a firm (entered one by one, or the day's
registrations imported), the platform (a) tells the firm which permits its business scope needs, with links
to apply, and (b) pushes the registration to each licensing department, which claims (认领) it within
``CATALOG_CLAIM_WORKDAYS`` working days; an unclaimed one escalates as an overdue problem does — to the
department and the supervision office, then ``CATALOG_CLAIM_ESCALATE_WORKDAYS`` later to the leaders."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yingshang.core import events, inputs, workdays
from yingshang.core.tabular import ImportReport, RowError, rows_with_columns
from yingshang.core.uscc import normalize_uscc, uscc_problem
from yingshang.directory.models import Enterprise

from ..models import Claim, Item, Registration, ScopeRule

HEADERS = [("统一社会信用代码", "uscc"), ("企业名称", "name"), ("经营范围", "scope"), ("行业代码", "industry_code"),
           ("登记日期", "registered_on")]


def scope_items(scope: str, industry_code: str = "") -> list[Item]:
    """The published items a business scope needs, by the administrators' keyword and industry rules."""
    out, seen = [], set()
    for rule in ScopeRule.objects.filter(active=True, item__current__isnull=False).select_related(
            "item__current__department").order_by("item__code"):
        hit = (rule.keyword and rule.keyword in scope) or (rule.industry_prefix and industry_code
                                                           and industry_code.startswith(rule.industry_prefix))
        if hit and rule.item_id not in seen:
            seen.add(rule.item_id)
            out.append(rule.item)
    return out


def _check(actor):
    if actor is not None and not actor.has_perm("catalog.register_firm"):
        raise PermissionDenied(_("Registrations are recorded by the market-regulation department."))


def _clean(values: dict) -> dict:
    uscc = normalize_uscc(values.get("uscc"))
    problem = uscc_problem(uscc)
    if problem:
        raise ValidationError({"uscc": problem})
    return {"uscc": uscc, "name": inputs.text(values.get("name"), "name", max_length=200, multiline=False),
            "scope": inputs.text(values.get("scope"), "scope", max_length=5000),
            "industry_code": inputs.text(values.get("industry_code") or "", "industry_code", required=False,
                                         max_length=10, multiline=False),
            "registered_on": inputs.day(values.get("registered_on"), "registered_on")}


def registration_record(*, actor, uscc: str, name: str, scope: str, registered_on: date | str,
                        industry_code: str = "", source: str = Registration.Source.ENTERED, at=None) -> Registration:
    """One registration: the firm joins the directory if new, the permits its scope needs are told to it and
    each licensing department gets a claim to make."""
    _check(actor)
    v = _clean({"uscc": uscc, "name": name, "scope": scope, "registered_on": registered_on,
                "industry_code": industry_code})
    with transaction.atomic():
        return _record(actor, v, source, at or timezone.now())


def _record(actor, v: dict, source: str, at) -> Registration:
    from yingshang.directory import services as directory

    if Registration.objects.filter(uscc=v["uscc"], registered_on=v["registered_on"]).exists():
        raise ValidationError({"uscc": _("This registration is recorded already.")})
    ent = Enterprise.objects.filter(uscc=v["uscc"]).first()
    if ent is None:
        ent = directory.enterprise_create(actor=None, uscc=v["uscc"], name=v["name"],
                                          registered_on=v["registered_on"])
    reg = Registration.objects.create(enterprise=ent, source=source, recorded_at=at,
                                      recorded_by=actor if getattr(actor, "is_authenticated", False) else None, **v)
    items = scope_items(v["scope"], v["industry_code"])
    reg.items.set(items)
    due = workdays.deadline(at, settings.CATALOG_CLAIM_WORKDAYS, provisional=True)
    departments = sorted({i.current.department_id for i in items})
    Claim.objects.bulk_create([Claim(registration=reg, department_id=d, due_at=due) for d in departments])
    events.record("registrations.registration.recorded", reg, actor=actor, registration=reg, at=at,
                  data={"items": [i.code for i in items], "departments": departments})
    return reg


def registrations_import(*, actor, data: bytes, filename: str) -> ImportReport:
    """The day's registrations from a spreadsheet: every row checked first, nothing written on any error."""
    _check(actor)
    report = ImportReport()
    rows = rows_with_columns(report, data, filename, [h for h, _k in HEADERS if _k != "industry_code"])
    if rows is None:
        return report
    parsed, seen = [], {}
    for number, row in rows:
        values = {key: row.get(header, "") for header, key in HEADERS}
        try:
            v = _clean(values)
        except ValidationError as exc:
            for key, msgs in (exc.message_dict if hasattr(exc, "error_dict") else {"uscc": exc.messages}).items():
                report.errors.append(RowError(number, dict((k, h) for h, k in HEADERS).get(key, key), msgs[0]))
            continue
        pair = (v["uscc"], v["registered_on"])
        if pair in seen:
            report.errors.append(RowError(number, "统一社会信用代码", _("The same registration is already in row %(row)s.")
                                          % {"row": seen[pair]}))
        elif Registration.objects.filter(uscc=v["uscc"], registered_on=v["registered_on"]).exists():
            report.errors.append(RowError(number, "统一社会信用代码", _("This registration is recorded already.")))
        seen[pair] = number
        parsed.append(v)
    if report.errors:
        return report
    at = timezone.now()
    with transaction.atomic():
        for v in parsed:
            _record(actor, v, Registration.Source.IMPORTED, at)
            report.created += 1
    return report


def claim_claim(*, actor, claim, note: str = "", at=None) -> Claim:
    """认领: the licensing department takes up the registration (to guide the firm to its permit)."""
    from ..actions import registrations as TABLE

    with transaction.atomic():
        c = Claim.objects.select_for_update(of=("self",)).select_related("registration", "department") \
            .get(pk=claim.pk)
        target = TABLE.begin(actor, "claim", c)
        at = at or timezone.now()
        c.status, c.claimed_at, c.claimed_by = target, at, actor if getattr(actor, "is_authenticated", False) else None
        c.note = inputs.text(note, "note", required=False, max_length=2000)
        c.save()
        events.record("registrations.claim.claimed", c, actor=actor, registration=c.registration, claim=c,
                      frm=Claim.Status.PENDING, to=c.status, internal_note=c.note, at=at,
                      data={"late": at > c.due_at, "department": c.department.code})
    return c


def claims_sweep(*, now=None) -> dict:
    """Unclaimed past the deadline: level 1 tells the department and the supervision office; after the
    further working days, level 2 tells the leaders. Each once."""
    now = now or timezone.now()
    cal = workdays.get_calendar()
    out = {"claims_overdue": 0, "claims_escalated": 0}
    with transaction.atomic():
        late = (Claim.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("registration", "department")
                .filter(status=Claim.Status.PENDING, due_at__lt=now, escalation__lt=2))
        for c in late:
            if c.escalation == 0:
                c.escalation = 1
                name = "registrations.claim.overdue"
            elif cal.deadline(c.due_at, settings.CATALOG_CLAIM_ESCALATE_WORKDAYS, provisional=True) < now:
                c.escalation = 2
                name = "registrations.claim.escalated"
            else:
                continue
            c.save(update_fields=["escalation"])
            events.record(name, c, registration=c.registration, claim=c, frm=c.status, at=now,
                          data={"department": c.department.code, "level": c.escalation})
            out["claims_overdue" if c.escalation == 1 else "claims_escalated"] += 1
    return out
