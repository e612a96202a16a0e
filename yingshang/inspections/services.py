"""Writes of the inspections capability: plans, freezing the pools, the seed and the draw, visits with
their results, rectification orders, publication. Findings the credit rules count become credit records
through the credit capability."""

from __future__ import annotations

import secrets
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from yingshang.core import events, inputs, numbering, uploads, workdays
from yingshang.core.actions import IllegalTransition
from yingshang.core.permissions import require
from yingshang.credit import selectors as credit_selectors
from yingshang.credit import services as credit_services
from yingshang.directory.models import Department, Enterprise

from . import draw as drawing
from .actions import inspections as TABLE
from .models import (Campaign, Check, Draw, Event, Hazard, Inspector, Item, Order, Plan, Relation,
                     Result, Visit)

DEFAULT_RATIOS = {"A": "0.02", "B": "0.05", "C": "0.10", "D": "0.30"}
PUBLISH_WITHIN_WORKDAYS = 20
# What a finding becomes in the credit ledger: (kind, severity); "ok" becomes nothing.
CREDIT_OF_OUTCOME = {"ordered": ("inspection", "minor"), "not_published": ("inspection", "minor"),
                     "unreachable": ("abnormal", "general"), "case": ("inspection", "serious")}


def _event(plan, action, actor=None, visit=None, note="", *, obj=None, data=None, frm="", to=None, tell=True):
    """Append a plan's event; its type's audiences are told about ``obj`` (default: the visit, else the plan)."""
    return events.record(action, obj or visit or plan, actor=actor, plan=plan, visit=visit, note=note[:2000],
                         data=data, frm=frm, to=to, tell=tell)


# --- plans --------------------------------------------------------------------------------------

def plan_create(*, actor, name: str, lead_department: Department, departments, items, starts_on: date,
                ends_on: date, year: int | None = None, batch: int = 1, industry: str = "", bureau=None,
                ratios: dict | None = None, counts: dict | None = None, min_inspectors: int = 2, cap: int = 0,
                quiet_months: int = 6) -> Plan:
    require(actor, "inspections.add_plan")
    departments, items = list(departments), list(items)
    errors = {}
    if not (name or "").strip():
        errors["name"] = _("Name the plan.")
    if ends_on < starts_on:
        errors["ends_on"] = _("The end comes before the start.")
    if not items:
        errors["items"] = _("Choose the items to inspect.")
    if lead_department not in departments:
        departments.append(lead_department)
    stray = [i for i in items if i.department_id not in {d.pk for d in departments}]
    if stray:
        errors["items"] = _("“%(item)s” belongs to a department that is not taking part.") % {"item": stray[0].name}
    ratios = {**DEFAULT_RATIOS, **(ratios or {})}
    try:
        if set(ratios) - set(drawing.GRADES) or not all(0 <= Decimal(str(r)) <= 1 for r in ratios.values()):
            raise ValueError
    except (ArithmeticError, ValueError):
        errors["ratios"] = _("Each ratio is a number between 0 and 1.")
    counts = {g: int(n) for g, n in (counts or {}).items() if n is not None}
    if set(counts) - set(drawing.GRADES) or any(n < 0 for n in counts.values()):
        errors["counts"] = _("A fixed count is a whole number of firms.")
    if min_inspectors < 2:
        errors["min_inspectors"] = _("At least two inspectors per firm.")
    if errors:
        raise ValidationError(errors)
    year = year or starts_on.year
    with transaction.atomic():
        plan = Plan.objects.create(
            number=f"CJ-{year}-{numbering.next_value(f'inspections.{year}'):04d}", name=name.strip(), year=year,
            batch=batch, lead_department=lead_department, industry=industry, bureau=bureau, starts_on=starts_on,
            ends_on=ends_on, ratios={g: str(r) for g, r in ratios.items()}, counts=counts,
            min_inspectors=min_inspectors, cap=cap,
            quiet_months=quiet_months, created_by=actor)
        plan.departments.set(departments)
        plan.items.set(items)
        _event(plan, "inspections.plan.created", actor)
    return plan


def plan_approve(*, actor, plan: Plan) -> Plan:
    with transaction.atomic():
        p = Plan.objects.select_for_update().get(pk=plan.pk)
        TABLE.begin(actor, "approve", p)
        p.status, p.approved_by, p.approved_at = Plan.Status.APPROVED, actor, timezone.now()
        p.save(update_fields=["status", "approved_by", "approved_at"])
        _event(p, "inspections.plan.approved", actor)
    return p


# --- pools --------------------------------------------------------------------------------------

def _months_before(d: date, months: int) -> date:
    y, m = divmod(d.year * 12 + d.month - 1 - months, 12)
    return date(y, m + 1, min(d.day, 28))


def build_pools(plan: Plan, *, on: date | None = None) -> tuple[list[dict], list[dict]]:
    """The canonical pools of a plan as of now: each firm with its credit class, whether it was inspected
    on the plan's items within the quiet period, and who inspected it last time on them; each inspector of
    the participating departments with the firms they declared a relation to."""
    on = on or timezone.localdate()
    firms = Enterprise.objects.filter(status=Enterprise.Status.OPERATING)
    if plan.industry:
        firms = firms.filter(industry=plan.industry)
    if plan.bureau_id:
        firms = firms.filter(bureau_id=plan.bureau_id)
    firms = dict(firms.values_list("pk", "uscc"))
    grades = credit_selectors.grades_now(firms)
    item_ids = list(plan.items.values_list("pk", flat=True))
    past = (Visit.objects.filter(enterprise_id__in=list(firms), status__in=[Visit.Status.DONE, Visit.Status.CLOSED],
                                 results__item_id__in=item_ids).exclude(plan=plan)
            .values_list("pk", "enterprise_id", "visited_on").distinct().order_by("enterprise_id", "visited_on", "pk"))
    quiet_from = _months_before(on, plan.quiet_months)
    recent, last_visit = set(), {}
    for pk, ent_id, visited_on in past:
        if visited_on and visited_on >= quiet_from:
            recent.add(ent_id)
        last_visit[ent_id] = pk  # the latest, by the ordering
    last_inspectors = {}
    for visit_id, cert in Visit.inspectors.through.objects.filter(visit_id__in=list(last_visit.values())) \
            .values_list("visit_id", "inspector__certificate"):
        last_inspectors.setdefault(visit_id, []).append(f"INS:{cert}")
    firm_pool = sorted(({"id": f"ENT:{uscc}", "grade": grades[pk], "recent": pk in recent,
                         "last": sorted(last_inspectors.get(last_visit.get(pk), []))} for pk, uscc in firms.items()),
                       key=lambda f: f["id"])
    depts = dict(plan.departments.values_list("pk", "code"))
    relations = {}
    for cert, uscc in Relation.objects.filter(
            inspector__department_id__in=list(depts), inspector__active=True).values_list(
            "inspector__certificate", "enterprise__uscc"):
        relations.setdefault(cert, []).append(f"ENT:{uscc}")
    inspector_pool = sorted(({"id": f"INS:{cert}", "department": depts[dept_id],
                              "relations": sorted(relations.get(cert, []))}
                             for cert, dept_id in Inspector.objects.filter(department_id__in=list(depts), active=True)
                             .values_list("certificate", "department_id")), key=lambda i: i["id"])
    return firm_pool, inspector_pool


def _rules(plan: Plan) -> drawing.Rules:
    strata = {g: {"ratio": str(r)} for g, r in plan.ratios.items()}
    strata.update({g: {"count": int(n)} for g, n in (plan.counts or {}).items()})
    return drawing.Rules(strata=strata,
                         departments=sorted(plan.departments.values_list("code", flat=True)),
                         min_inspectors=plan.min_inspectors, cap=plan.cap)


def pools_freeze(*, actor, plan: Plan, reason: str = "") -> Draw:
    """Snapshot the pools and publish their hashes, before any seed exists."""
    with transaction.atomic():
        p = Plan.objects.select_for_update().get(pk=plan.pk)
        TABLE.begin(actor, "freeze", p)
        reason = inputs.text(reason, "reason", required=False, max_length=300)
        pending = Draw.objects.filter(plan=p, status=Draw.Status.FROZEN)
        redraw = Draw.objects.filter(plan=p, status=Draw.Status.DRAWN).exists()
        if (redraw or pending.exists()) and not (reason or "").strip():
            raise ValidationError({"reason": _("A re-draw needs its reason, which is published with it.")})
        if redraw and _carried_out(p):
            raise ValidationError(_("Inspections of this draw have been carried out: it can no longer be re-drawn."))
        firms, inspectors = build_pools(p)
        if not firms:
            raise ValidationError(_("No firm matches the plan."))
        # Pools frozen but never seeded (a pool changed since): that snapshot is set aside, kept and published.
        pending.update(status=Draw.Status.SUPERSEDED)
        seq = (Draw.objects.filter(plan=p).aggregate(m=Max("sequence"))["m"] or 0) + 1
        d = Draw.objects.create(plan=p, sequence=seq, firms=firms, inspectors=inspectors,
                                firms_hash=drawing.pool_hash(firms), inspectors_hash=drawing.pool_hash(inspectors),
                                rules=_rules(p).as_dict(), frozen_by=actor, reason=(reason or "").strip()[:300])
        p.status = Plan.Status.FROZEN
        p.save(update_fields=["status"])
        _event(p, "inspections.plan.frozen", actor, note=f"#{seq} firms {d.firms_hash[:12]} inspectors "
                                                         f"{d.inspectors_hash[:12]}")
    return d


def _carried_out(plan: Plan) -> bool:
    return Visit.objects.filter(plan=plan, status__in=[Visit.Status.DONE, Visit.Status.CLOSED]).exists()


def system_seed() -> str:
    """Twenty digits from the operating system's secure random source."""
    return "".join(secrets.choice("0123456789") for _ in range(20))


def draw_run(*, actor, draw: Draw, seed: str | None = None, note: str = "") -> Draw:
    """Fix the seed (typed in at the drawing session, stored exactly as given; ``None``: twenty digits from the
    system) and draw. Refused when a pool changed since it was frozen."""
    with transaction.atomic():
        Plan.objects.select_for_update().filter(pk=draw.plan_id).exists()  # visits are completed under this lock
        d = Draw.objects.select_for_update().select_related("plan").get(pk=draw.pk)
        TABLE.begin(actor, "draw", d)
        if d.seed:
            raise IllegalTransition("draw", "seeded")
        if _carried_out(d.plan):
            raise ValidationError(_("Inspections of this draw have been carried out: it can no longer be re-drawn."))
        if seed is not None and (not seed.strip() or len(seed) > 200 or inputs.has_control(seed)):
            raise ValidationError({"seed": _("Type the seed as the witnesses gave it (at most 200 characters).")})
        source = "witnesses" if seed is not None else "system"
        seed = system_seed() if seed is None else seed  # stored exactly as given
        note = inputs.text(note, "note", required=False, max_length=300)
        firms, inspectors = build_pools(d.plan)
        changed = [name for name, pool, h in (("firms", firms, d.firms_hash), ("inspectors", inspectors,
                                                                               d.inspectors_hash))
                   if drawing.pool_hash(pool) != h]
        if changed:
            raise ValidationError(_("The %(pools)s changed after freezing (%(what)s): freeze again before drawing.")
                                  % {"pools": " / ".join(_(c) for c in changed),
                                     "what": _pool_change(d, firms, inspectors)})
        rules = drawing.Rules.from_dict(d.rules)
        record = drawing.make_record(seed=seed, firms=d.firms, inspectors=d.inspectors, rules=rules, meta={
            "plan": d.plan.number, "draw": d.sequence, "frozen_at": d.frozen_at.isoformat(), "reason": d.reason})
        d.seed, d.seed_source, d.seed_note, d.seeded_by = seed, source, (note or "")[:300], actor
        d.record, d.record_hash, d.drawn_at, d.status = record, record["record_hash"], timezone.now(), Draw.Status.DRAWN
        d.save()
        Draw.objects.filter(plan=d.plan, status=Draw.Status.DRAWN).exclude(pk=d.pk).update(
            status=Draw.Status.SUPERSEDED)
        _make_visits(d, record)
        Plan.objects.filter(pk=d.plan_id).update(status=Plan.Status.DRAWN)
        _event(d.plan, "inspections.plan.drawn", actor, data={"draw": d.pk}, note=f"#{d.sequence} seed {seed} ({source}): "
                                                        f"{len(record['assignments'])} firms, "
                                                        f"{len(record['unmet'])} unmet")
    return d


def _pool_change(d: Draw, firms, inspectors) -> str:
    before = {f["id"]: f for f in d.firms}
    now = {f["id"]: f for f in firms}
    diff = len(set(before) ^ set(now)) + sum(1 for k in set(before) & set(now) if before[k] != now[k])
    ib = {i["id"]: i for i in d.inspectors}
    inow = {i["id"]: i for i in inspectors}
    idiff = len(set(ib) ^ set(inow)) + sum(1 for k in set(ib) & set(inow) if ib[k] != inow[k])
    return _("%(f)d firms, %(i)d inspectors differ") % {"f": diff, "i": idiff}


def _make_visits(d: Draw, record: dict) -> None:
    # Visits of a superseded draw that were never carried out stay as they are, marked by their draw.
    by_code = {f"ENT:{u}": pk for pk, u in Enterprise.objects.filter(
        uscc__in=[a["firm"][4:] for a in record["assignments"]]).values_list("pk", "uscc")}
    by_cert = {f"INS:{c}": pk for pk, c in Inspector.objects.values_list("pk", "certificate")}
    grade = {f["id"]: f["grade"] for f in record["firms"]}
    through = Visit.inspectors.through
    links = []
    for pos, a in enumerate(record["assignments"], 1):
        v = Visit.objects.create(draw=d, plan=d.plan, enterprise_id=by_code[a["firm"]], grade=grade[a["firm"]],
                                 position=pos)
        links += [through(visit_id=v.pk, inspector_id=by_cert[i]) for i in a["inspectors"]]
    through.objects.bulk_create(links)
    # The class drove the sampling ratio: the joint measures behind it are logged against this draw.
    measures = {m.code: m for m in credit_selectors.active_measures()}
    for v in Visit.objects.filter(draw=d).only("enterprise_id", "grade"):
        code = "lower-sampling" if v.grade == "A" else "raise-sampling" if v.grade in "CD" else None
        if code in measures:
            credit_services.measures_log(enterprise_id=v.enterprise_id, measures=[measures[code]],
                                         context="inspections.draw", ref=f"{d.plan.number}#{d.sequence}",
                                         grade=v.grade)


# --- the visit ----------------------------------------------------------------------------------

def _locked_visit(visit: Visit) -> Visit:
    """The visit, locked after its plan (the order run_draw takes), and only while its draw is in force."""
    plan = Plan.objects.select_for_update().get(pk=visit.plan_id)
    v = Visit.objects.select_for_update().select_related("plan", "enterprise", "draw").get(pk=visit.pk)
    if v.draw.status != Draw.Status.DRAWN:
        raise ValidationError(_("This visit belongs to a superseded draw."))
    if plan.status == Plan.Status.FROZEN:
        raise ValidationError(_("The plan is being re-drawn: results wait until the new draw is made."))
    return v


def result_record(*, actor, visit: Visit, item: Item, outcome: str, note: str = "", photo=None,
                  requirement: str = "", workdays_to_rectify: int | None = None, on: date | None = None) -> Result:
    """One item's result; a problem found comes with a rectification order (deadline in working days)."""
    on = on or timezone.localdate()
    with transaction.atomic():
        v = _locked_visit(visit)
        TABLE.begin(actor, "result", v)
        if not v.plan.items.filter(pk=item.pk).exists():
            raise ValidationError({"item": _("This item is not part of the plan.")})
        if outcome not in Result.Outcome.values:
            raise ValidationError({"outcome": _("Choose a result.")})
        if Result.objects.filter(visit=v, item=item).exists():
            raise ValidationError({"item": _("This item's result is already recorded.")})
        needs_order = outcome == Result.Outcome.ORDERED
        if needs_order and (not (requirement or "").strip() or not workdays_to_rectify):
            raise ValidationError({"requirement": _("Say what must be rectified and within how many working days.")})
        if photo:
            uploads.validate_files([photo], field="photo", max_count=1)
        r = Result.objects.create(visit=v, item=item, outcome=outcome, note=(note or "").strip(), photo=photo or "",
                                  recorded_by=actor)
        if needs_order or ((requirement or "").strip() and workdays_to_rectify):
            Order.objects.create(result=r, visit=v, requirement=requirement.strip(),
                                 due_on=workdays.add_workdays(on, int(workdays_to_rectify), provisional=True))
        frm = v.status
        v.status, v.visited_on = Visit.Status.INSPECTING, v.visited_on or on
        v.save(update_fields=["status", "visited_on"])
        _event(v.plan, "inspections.visit.result_recorded", actor, v, f"{item.code}: {outcome}", frm=frm, to=v.status)
    return r


def visit_complete(*, actor, visit: Visit, on: date | None = None) -> Visit:
    """Every item has its result: the inspection is done, findings become credit records, the firm is told
    and the 20-working-day publication clock starts."""
    on = on or timezone.localdate()
    with transaction.atomic():
        v = _locked_visit(visit)
        TABLE.begin(actor, "complete", v)
        missing = v.plan.items.exclude(pk__in=v.results.values("item_id"))
        if missing.exists():
            raise ValidationError(_("Record a result for every item first (missing: %(items)s).")
                                  % {"items": ", ".join(i.name for i in missing[:5])})
        findings = [r for r in v.results.select_related("item", "item__department") if r.outcome in CREDIT_OF_OUTCOME]
        # All findings in one batch: the firm is rescored once and told once, by the visit's own message.
        recs = credit_services.records_create(actor=None, enterprise=v.enterprise, tell=False, records=[dict(
            kind=CREDIT_OF_OUTCOME[r.outcome][0], severity=CREDIT_OF_OUTCOME[r.outcome][1],
            department=r.item.department, decision_number=f"{v.plan.number}-{v.position:04d}-{r.item.code}",
            decided_on=on, description=f"{r.item.name}：{r.get_outcome_display()}。{r.note}".strip(),
            origin="inspection", origin_ref=f"{v.plan.number}#{v.position}") for r in findings])
        for r, rec in zip(findings, recs):
            Result.objects.filter(pk=r.pk).update(credit_record_id=rec.pk)
        frm = v.status
        v.status = Visit.Status.CLOSED if not v.orders.exists() else Visit.Status.DONE
        v.completed_at = timezone.now()
        v.publish_due = workdays.add_workdays(on, PUBLISH_WITHIN_WORKDAYS, provisional=True)
        v.save(update_fields=["status", "completed_at", "publish_due"])
        _event(v.plan, "inspections.visit.completed", actor, v, data={"findings": len(recs)},
               frm=frm, to=v.status)
    return v


def order_submit(*, actor, order: Order, note: str, evidence=None) -> Order:
    """The firm uploads its rectification evidence."""
    with transaction.atomic():
        o = Order.objects.select_for_update().select_related("visit", "visit__plan", "visit__enterprise").get(
            pk=order.pk)
        TABLE.begin(actor, "submit", o)
        if not evidence:
            raise ValidationError({"evidence": _("Attach the evidence of the rectification.")})
        uploads.validate_files([evidence], field="evidence", max_count=1)
        o.evidence, o.evidence_note, o.status, o.submitted_at = evidence, inputs.text(note, "note", required=False), \
            Order.Status.SUBMITTED, timezone.now()
        o.save()
        _event(o.visit.plan, "inspections.order.submitted", actor, o.visit, obj=o)
    return o


def order_verify(*, actor, order: Order, accept: bool, note: str) -> Order:
    """The follow-up visit: accepted closes the order (and the visit when it was the last); refused sends it
    back to the firm."""
    with transaction.atomic():
        # The visit first, so that two orders of one visit verified at once both see the other's status.
        Visit.objects.select_for_update().filter(pk__in=Order.objects.filter(pk=order.pk).values("visit_id")).exists()
        o = Order.objects.select_for_update().select_related("visit", "visit__plan").get(pk=order.pk)
        TABLE.begin(actor, "verify", o)
        note = inputs.text(note, "note")
        if accept:
            o.status, o.verified_by, o.verified_at = Order.Status.VERIFIED, actor, timezone.now()
        else:
            o.status = Order.Status.OPEN
        o.verify_note = note.strip()
        o.save()
        _event(o.visit.plan, "inspections.order.verified" if accept else "inspections.order.refused", actor,
               o.visit, note, obj=o)
        if accept and not o.visit.orders.exclude(status=Order.Status.VERIFIED).exists():
            Visit.objects.filter(pk=o.visit_id).update(status=Visit.Status.CLOSED)
    return o


def plan_publish(*, actor, plan: Plan) -> int:
    """一公开: the completed inspections of the plan appear on the public pages."""
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        TABLE.begin(actor, "publish", plan)
        return _publish(actor, plan)


def _publish(actor, plan: Plan) -> int:
    n = Visit.objects.filter(plan=plan, status__in=[Visit.Status.DONE, Visit.Status.CLOSED],
                             published_at__isnull=True).update(published_at=timezone.now())
    if n:
        _event(plan, "inspections.plan.published", actor, note=str(n), data={"visits": n})
    return n


def inspections_sweep(*, today: date | None = None) -> dict:
    """Completed inspections not published within 20 working days: the lead department's head is told once."""
    today = today or timezone.localdate()
    late = Visit.objects.filter(published_at__isnull=True, publish_due__lt=today,
                                status__in=[Visit.Status.DONE, Visit.Status.CLOSED])
    plans = set(late.values_list("plan_id", flat=True))
    told = 0
    for plan in Plan.objects.filter(pk__in=plans):
        if Event.objects.filter(plan=plan, action="inspections.plan.publication_late",
                                note=today.isoformat()).exists():
            continue
        _event(plan, "inspections.plan.publication_late", note=today.isoformat())
        told += 1
    return {"late plans": told}




# --- campaigns (专项排查) -------------------------------------------------------------------------------

def campaign_create(*, actor, name: str, sector: str, department: Department, starts_on: date, ends_on: date,
                    description: str = "") -> Campaign:
    require(actor, "inspections.add_campaign")
    errors = {}
    if not (name or "").strip():
        errors["name"] = _("Name the campaign.")
    if sector not in Campaign.Sector.values:
        errors["sector"] = _("Choose the sector.")
    if ends_on < starts_on:
        errors["ends_on"] = _("The end comes before the start.")
    if errors:
        raise ValidationError(errors)
    c = Campaign.objects.create(name=name.strip(), sector=sector, department=department, starts_on=starts_on,
                                ends_on=ends_on, description=(description or "").strip(), created_by=actor)
    events.record("inspections.campaign.created", c, actor=actor, campaign=c, tell=False)
    return c


def check_record(*, actor, campaign: Campaign, enterprise: Enterprise, checked_on: date, checkers: str,
                 hazards: list[dict], note: str = "") -> Check:
    """One firm checked, with its hazards: [{"description", "level", "workdays"}] (deadline in working days)."""
    require(actor, "inspections.record_check")
    errors = {}
    if not (checkers or "").strip():
        errors["checkers"] = _("Name who checked.")
    if checked_on > timezone.localdate():
        errors["checked_on"] = _("The check cannot be in the future.")
    for h in hazards:
        if not (h.get("description") or "").strip() or h.get("level") not in Hazard.Level.values \
                or not 1 <= int(h.get("workdays") or 0) <= 365:
            errors["hazards"] = _("Each hazard needs a description, its level and a deadline in working days.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        chk = Check.objects.create(campaign=campaign, enterprise=enterprise, checked_on=checked_on,
                                   checkers=checkers.strip(), note=(note or "").strip(), recorded_by=actor)
        for h in hazards:
            Hazard.objects.create(check_record=chk, description=h["description"].strip(), level=h["level"],
                                  due_on=workdays.add_workdays(checked_on, int(h["workdays"]), provisional=True))
        events.record("inspections.campaign.check_recorded", campaign, actor=actor, campaign=campaign, tell=False,
                      note=f"{enterprise.name}: {len(hazards)}", data={"enterprise": enterprise.pk,
                                                                        "hazards": len(hazards)})
    return chk


def hazard_rectify(*, actor, hazard: Hazard, rectification: str, on: date | None = None) -> Hazard:
    require(actor, "inspections.record_check")
    if not (rectification or "").strip():
        raise ValidationError({"rectification": _("Describe the rectification that was checked.")})
    with transaction.atomic():
        h = Hazard.objects.select_for_update().select_related("check_record").get(pk=hazard.pk)
        if h.status == Hazard.Status.RECTIFIED:
            raise ValidationError(_("This hazard is already rectified."))
        h.status, h.rectified_on = Hazard.Status.RECTIFIED, on or timezone.localdate()
        h.rectification, h.confirmed_by = rectification.strip(), actor
        h.save()
        events.record("inspections.campaign.hazard_rectified", h, actor=actor, campaign_id=h.check_record.campaign_id,
                      hazard=h, note=rectification, tell=False)
    return h
