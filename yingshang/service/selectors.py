"""Every read of 万人助万企: the firms a campaign covers and who has visited them, visits as each user may see
them, the policy library, and matching (a firm's attributes read once, in a few queries, for any number of
firms)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from yingshang.core import roles
from yingshang.credit.models import Kind as CreditKind
from yingshang.credit.models import Record, Standing
from yingshang.directory.models import Enterprise, EnterpriseMember, Stewardship

from . import matching, wording
from .models import (Application, Assignment, Campaign, Consent, Delivery, Event, Facts, FinancingNeed, Match, Payout,
                     Policy, SupplyWatch, TaskForce, Visit)
from .permissions import may


# --- a firm's attributes, as policies and loan products see them -------------------------------------------

def _age_years(registered: date | None, today: date) -> int | None:
    if registered is None:
        return None
    return today.year - registered.year - ((today.month, today.day) < (registered.month, registered.day))


def firm_attributes(enterprise_ids=None, *, today: date | None = None) -> list[dict]:
    """The matching attributes (``matching.ATTRS``) of operating firms (all, or those of ``enterprise_ids``),
    each a dict with its ``id``, ``name`` and ``uscc``: four queries, whatever the number of firms."""
    today = today or timezone.localdate()
    firms = Enterprise.objects.filter(status=Enterprise.Status.OPERATING)
    grades = Standing.objects.all()
    tax = Record.objects.filter(kind=CreditKind.TAX_A, status=Record.Status.ACTIVE)
    facts = Facts.objects.all()
    if enterprise_ids is not None:
        ids = list(enterprise_ids)
        firms, grades, tax, facts = (q.filter(**{key: ids}) for q, key in (
            (firms, "pk__in"), (grades, "enterprise_id__in"), (tax, "enterprise_id__in"),
            (facts, "enterprise_id__in")))
    grade_of = dict(grades.values_list("enterprise_id", "grade"))
    tax_a = set(tax.values_list("enterprise_id", flat=True))
    latest: dict[int, tuple] = {}
    for eid, revenue, headcount, rd in facts.order_by("enterprise_id", "year").values_list(
            "enterprise_id", "revenue", "headcount", "rd_expense"):
        latest[eid] = (revenue, headcount, rd)  # the last year entered wins
    out = []
    for pk, name, uscc, industry, size, registered, bureau, key in firms.order_by("name", "pk").values_list(
            "pk", "name", "uscc", "industry", "size", "registered_on", "bureau__code", "is_key"):
        revenue, headcount, rd = latest.get(pk, (None, None, None))
        out.append({
            "id": pk, "name": name, "uscc": uscc, "industry": industry or None, "size": size or None,
            "age_years": _age_years(registered, today), "bureau": bureau, "key": key,
            "credit_grade": grade_of.get(pk), "tax_a": pk in tax_a, "headcount": headcount, "revenue": revenue,
            "rd_share": (rd * 100 / revenue).quantize(Decimal("0.01")) if rd is not None and revenue else None})
    return out


_COMPILED: dict = {}


def compiled(policy) -> matching.Compiled:
    """A policy's (or a loan product's) conditions prepared once per version in this process."""
    key = (type(policy).__name__, policy.pk, getattr(policy, "version", None), getattr(policy, "updated_at", None))
    c = _COMPILED.get(key)
    if c is None:
        if len(_COMPILED) > 5000:
            _COMPILED.clear()
        c = _COMPILED[key] = matching.Compiled(policy.conditions)
    return c


def policy_matches(policy: Policy, *, firms: list[dict] | None = None) -> list[dict]:
    """The operating firms that qualify for ``policy`` now."""
    test = compiled(policy).matches
    return [f for f in (firm_attributes() if firms is None else firms) if test(f)]


def firm_policies(enterprise: Enterprise, *, policies=None) -> dict:
    """For one firm, the policies in force it qualifies for and those it is one condition short of, each with
    the explanation: ``{"qualifies": [(policy, leaves)], "nearly": [(policy, missing leaves)], "firm": attrs}``."""
    attrs = firm_attributes([enterprise.pk])
    out = {"qualifies": [], "nearly": [], "firm": attrs[0] if attrs else None}
    if not attrs:
        return out
    firm = attrs[0]
    for p in policies if policies is not None else policies_in_force_list():
        c = compiled(p)
        ok, short = c.verdict(firm)
        if ok:
            out["qualifies"].append((p, c.explain(firm)))
        elif short:
            out["nearly"].append((p, short))
    return out


# --- policies -----------------------------------------------------------------------------------------------

def policies_in_force(today: date | None = None) -> QuerySet[Policy]:
    today = today or timezone.localdate()
    return (Policy.objects.filter(status=Policy.Status.PUBLISHED, effective_on__lte=today)
            .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today)).select_related("paying_department"))


_IN_FORCE: dict = {}


def policies_in_force_list() -> list[Policy]:
    """The policies in force, read again only when one was entered, changed, put in force or withdrawn since
    (or the day changed): one small query to know, instead of the whole library on every firm's page."""
    from django.db.models import Max

    today = timezone.localdate()
    stamp = Policy.objects.aggregate(n=Count("pk"), m=Max("updated_at"))
    key = (today, stamp["n"], stamp["m"])
    if _IN_FORCE.get("key") != key:
        _IN_FORCE.update(key=key, rows=list(policies_in_force(today)))
    return _IN_FORCE["rows"]


def policies_visible_to(user) -> QuerySet[Policy]:
    """Officials see the whole library; firms the policies in force."""
    qs = Policy.objects.select_related("paying_department")
    if may(user, "service.view"):
        return qs
    return qs.filter(pk__in=policies_in_force().values("pk"))


def policy_deliveries(policy: Policy) -> dict:
    return policy.deliveries.aggregate(pushed=Count("pk", filter=Q(via=Delivery.Via.PUSH)),
                                       handed=Count("pk", filter=Q(via=Delivery.Via.VISIT)))


def delivered_to(enterprise: Enterprise) -> dict[int, Delivery]:
    """The latest delivery of each policy to the firm."""
    out: dict[int, Delivery] = {}
    for d in Delivery.objects.filter(enterprise=enterprise).select_related("policy").order_by("at", "id"):
        out[d.policy_id] = d
    return out


# --- visits -------------------------------------------------------------------------------------------------

def visits_visible_to(user) -> QuerySet[Visit]:
    """Officials (``service.view``) see every visit; a firm's staff the visits to their firms; others none."""
    qs = Visit.objects.select_related("enterprise", "author", "campaign")
    if may(user, "service.view"):
        return qs
    firms = EnterpriseMember.objects.filter(user=user, active=True).values("enterprise_id")
    return qs.filter(enterprise_id__in=firms)


def visit_detail(user, pk: int) -> Visit:
    return visits_visible_to(user).prefetch_related(
        "needs", "photos", Prefetch("policies", queryset=Policy.objects.order_by("title")),
        "problems").get(pk=pk)


def visit_events(user, v: Visit) -> list[Event]:
    qs = v.events.select_related("actor").order_by("at", "id")
    if not may(user, "service.view"):
        qs = qs.filter(public=True)
    return list(qs)


# --- campaigns ----------------------------------------------------------------------------------------------

def campaign_firms(c: Campaign) -> QuerySet[Enterprise]:
    """The firms in the campaign's scope: operating firms of its bureaus, industries, sizes (key ones if asked)."""
    qs = Enterprise.objects.filter(status=Enterprise.Status.OPERATING)
    bureaus = list(c.bureaus.values_list("pk", flat=True))
    if bureaus:
        qs = qs.filter(bureau_id__in=bureaus)
    if c.industries:
        words = Q()
        for w in c.industries:
            words |= Q(industry__contains=w)
        qs = qs.filter(words)
    if c.sizes:
        qs = qs.filter(size__in=c.sizes)
    if c.key_only:
        qs = qs.filter(is_key=True)
    return qs


def campaign_coverage(c: Campaign) -> dict:
    """Who is paired with each firm in scope (the campaign's own pairing, else the steward, else the leader),
    which firms have been visited in the campaign, and coverage overall, per official and per bureau."""
    firms = list(campaign_firms(c).select_related("bureau").order_by("bureau__sort_order", "name", "pk"))
    ids = [f.pk for f in firms]
    assigned = dict(Assignment.objects.filter(campaign=c).values_list("enterprise_id", "official_id"))
    paired = {}
    for eid, steward, leader in Stewardship.objects.filter(enterprise_id__in=ids, ended_on__isnull=True) \
            .values_list("enterprise_id", "steward_id", "leader_id"):
        paired[eid] = steward or leader
    paired.update(assigned)
    visits = defaultdict(int)
    last = {}
    for eid, on in Visit.objects.filter(campaign=c).values_list("enterprise_id", "visited_on"):
        visits[eid] += 1
        last[eid] = max(on, last.get(eid, on))
    from django.contrib.auth import get_user_model

    people = {u.pk: u for u in get_user_model().objects.filter(pk__in=set(paired.values()))}
    rows, by_official, by_bureau = [], {}, {}
    for f in firms:
        official = people.get(paired.get(f.pk))
        visited = f.pk in visits
        rows.append({"firm": f, "official": official, "visits": visits.get(f.pk, 0), "last": last.get(f.pk),
                     "visited": visited, "assigned": f.pk in assigned})
        for table, key, label in ((by_official, official.pk if official else 0, official),
                                  (by_bureau, f.bureau_id or 0, f.bureau)):
            t = table.setdefault(key, {"who": label, "firms": 0, "visited": 0})
            t["firms"] += 1
            t["visited"] += visited
    for table in (by_official, by_bureau):
        for t in table.values():
            t["rate"] = round(100 * t["visited"] / t["firms"], 1) if t["firms"] else None
    total, done = len(rows), sum(r["visited"] for r in rows)
    return {"rows": rows, "firms": total, "visited": done, "rate": round(100 * done / total, 1) if total else None,
            "by_official": sorted(by_official.values(), key=lambda t: (t["rate"] or 0, str(t["who"] or ""))),
            "by_bureau": sorted(by_bureau.values(), key=lambda t: str(t["who"] or "")),
            "visits": Visit.objects.filter(campaign=c).count()}


def campaigns() -> QuerySet[Campaign]:
    return Campaign.objects.select_related("department").annotate(
        n_visits=Count("visits", distinct=True)).order_by("-starts_on", "-id")


def campaigns_running(today: date | None = None) -> QuerySet[Campaign]:
    today = today or timezone.localdate()
    return Campaign.objects.filter(starts_on__lte=today, ends_on__gte=today).order_by("-starts_on", "-id")


def visitable_firms(user) -> QuerySet[Enterprise]:
    """The firms ``user`` may record a visit to (``permissions.may_visit``): any for leaders and administrators,
    a steward's own and those it is paired with in a running campaign."""
    from .permissions import assigned_firm_ids

    qs = Enterprise.objects.filter(status=Enterprise.Status.OPERATING).order_by("name")
    if roles.has_role(user, roles.LEADER, roles.ADMIN):
        return qs
    if not roles.has_role(user, roles.STEWARD):
        return qs.none()
    own = Stewardship.objects.filter(ended_on__isnull=True, steward=user).values("enterprise_id")
    return qs.filter(Q(pk__in=own) | Q(pk__in=assigned_firm_ids(user)))


def member_firms(user) -> QuerySet[Enterprise]:
    return Enterprise.objects.filter(members__user=user, members__active=True).order_by("name")


# --- money: payout lists and applications ---------------------------------------------------------------------

def applications_visible_to(user) -> QuerySet[Application]:
    """Officials see every application; a firm's staff their firm's."""
    qs = Application.objects.select_related("policy", "policy__paying_department", "enterprise", "applicant")
    if may(user, "service.view"):
        return qs
    return qs.filter(enterprise_id__in=EnterpriseMember.objects.filter(user=user, active=True)
                     .values("enterprise_id"))


def payouts_visible_to(user) -> QuerySet[Payout]:
    qs = Payout.objects.select_related("policy", "prepared_by", "approved_by")
    return qs if may(user, "service.view") else qs.none()


# --- 银企对接 -----------------------------------------------------------------------------------------------------

def needs_visible_to(user) -> QuerySet[FinancingNeed]:
    """Officials see every need; a firm its own; a bank's officer the needs matched with its products whose firm
    has authorised the bank (nothing else)."""
    from .permissions import bank_of

    qs = FinancingNeed.objects.select_related("enterprise")
    if may(user, "service.view"):
        return qs
    bank = bank_of(user)
    if bank:
        consented = Consent.objects.filter(bank_id=bank, revoked_at__isnull=True).values("enterprise_id")
        return qs.filter(matches__product__bank_id=bank, enterprise_id__in=consented).distinct()
    return qs.filter(enterprise_id__in=EnterpriseMember.objects.filter(user=user, active=True)
                     .values("enterprise_id"))


def matches_visible_to(user, need: FinancingNeed) -> QuerySet[Match]:
    from .permissions import bank_of

    qs = need.matches.select_related("product", "product__bank", "meeting").order_by("created_at", "id")
    bank = bank_of(user)
    if bank and not may(user, "service.view"):
        qs = qs.filter(product__bank_id=bank)
    return qs


def live_consents(enterprise_id: int) -> dict[int, Consent]:
    return {c.bank_id: c for c in Consent.objects.filter(enterprise_id=enterprise_id, revoked_at__isnull=True)}


def financing_figures(start: date | None = None, end: date | None = None) -> dict:
    """Needs registered, matched, lent, the amount lent and the average days from a need to its first loan."""
    needs = FinancingNeed.objects.all()
    if start:
        needs = needs.filter(created_at__date__gte=start)
    if end:
        needs = needs.filter(created_at__date__lte=end)
    lent = Match.objects.filter(status=Match.Status.LENT, need__in=needs)
    days = [(n.lent_at - n.created_at).total_seconds() / 86400 for n in needs.filter(lent_at__isnull=False)
            .only("created_at", "lent_at")]
    from django.db.models import Sum

    return {"registered": needs.count(), "matched": needs.filter(matches__isnull=False).distinct().count(),
            "lent": needs.filter(status=FinancingNeed.Status.LENT).count(),
            "amount_lent": lent.aggregate(s=Sum("amount_lent"))["s"] or Decimal(0),
            "average_days": round(sum(days) / len(days), 1) if days else None}


# --- 专班 ----------------------------------------------------------------------------------------------------------

def taskforce_limits(ticket):
    """The limits (in hours) of a problem led by an active task force, else None (``tickets.services.on_limits``)."""
    from yingshang.directory.models import Department
    from yingshang.tickets import sla

    dept = ticket.lead_department
    if dept is None or dept.kind != Department.Kind.TASKFORCE:
        return None
    tf = TaskForce.objects.filter(department=dept, status=TaskForce.Status.ACTIVE).first()
    if tf is None:
        return None
    return sla.Policy(tf.accept_hours, tf.respond_hours, tf.resolve_hours, "hours")


def taskforces() -> list[TaskForce]:
    from yingshang.tickets.models import OPEN, Ticket

    open_by_dept = dict(Ticket.objects.filter(lead_department__kind="taskforce", status__in=OPEN)
                        .values_list("lead_department_id").annotate(n=Count("id")).values_list("lead_department_id",
                                                                                                 "n"))
    out = list(TaskForce.objects.select_related("lead", "parent", "department").annotate(
        n_supply=Count("supply", distinct=True),
        n_risk=Count("supply", filter=~Q(supply__status="normal"), distinct=True)))
    for tf in out:
        tf.open_problems = open_by_dept.get(tf.department_id, 0)
    return out


def taskforce_members(tf: TaskForce):
    from yingshang.directory.models import Secondment

    return (Secondment.objects.filter(department=tf.department, ended_on__isnull=True)
            .select_related("user", "user__staff_profile__department").order_by("user__last_name", "user__pk"))


def taskforce_problems(tf: TaskForce):
    from yingshang.tickets.models import OPEN, Ticket

    return (Ticket.objects.filter(lead_department=tf.department, status__in=OPEN)
            .select_related("enterprise", "category").order_by("next_due", "pk"))


def supply_list(tf: TaskForce) -> list[SupplyWatch]:
    """The 保供 list, the stopped and at-risk firms first, each with its open problems (all departments')."""
    from yingshang.tickets.models import OPEN, Ticket

    rows = list(tf.supply.select_related("enterprise", "updated_by"))
    ids = [w.enterprise_id for w in rows]
    open_by_firm = dict(Ticket.objects.filter(enterprise_id__in=ids, status__in=OPEN).values("enterprise_id")
                        .annotate(n=Count("id")).values_list("enterprise_id", "n"))
    rank = {"stopped": 0, "at_risk": 1, "normal": 2}
    for w in rows:
        w.open_problems = open_by_firm.get(w.enterprise_id, 0)
    return sorted(rows, key=lambda w: (rank[w.status], w.enterprise.name))


def taskforce_brief(tf: TaskForce, day: date) -> dict:
    """The task force's daily brief: its problems (received, closed that day; open; overdue), the 保供 list by
    status with the firms not normal, and the day's updates."""
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    from yingshang.tickets.models import OPEN, Ticket

    zone = ZoneInfo("Asia/Shanghai")
    start = datetime.combine(day, time.min, tzinfo=zone)
    end = datetime.combine(day, time.max, tzinfo=zone)
    tickets = Ticket.objects.filter(lead_department=tf.department)
    watch = supply_list(tf)
    updates = list(Event.objects.filter(taskforce=tf, action="service.supply.updated", at__range=(start, end))
                   .select_related("enterprise", "actor").order_by("at"))
    labels = dict(SupplyWatch.Status.choices)
    for e in updates:
        e.status_label = labels.get(e.to_status, e.to_status)
    groups = [{"tf": g, "open": Ticket.objects.filter(lead_department=g.department, status__in=OPEN).count()}
              for g in tf.groups.all()]
    return {"tf": tf, "day": day, "groups": groups,
            "received": tickets.filter(dispatched_at__range=(start, end)).count(),
            "closed": tickets.filter(closed_at__range=(start, end)).count(),
            "open": tickets.filter(status__in=OPEN).count(),
            "overdue": tickets.filter(status__in=OPEN, next_due__lt=min(end, timezone.now())).count(),
            "supply": {s: sum(1 for w in watch if w.status == s) for s in SupplyWatch.Status.values},
            "attention": [w for w in watch if w.status != SupplyWatch.Status.NORMAL], "updates": updates}


# --- the public self-check (一公开: no login, public attributes only) --------------------------------------------

PUBLIC_ATTRS = frozenset({"industry", "size", "age_years", "bureau", "key"})  # what the directory publishes


def public_check(enterprise: Enterprise, policies=None) -> list[dict]:
    """For anyone who types a firm's credit code: each policy in force with whether the firm qualifies judged on
    its public attributes only — yes, no, or "it depends on figures the zone does not publish" (revenue,
    headcount, R&D, credit and tax classes) — and each condition with its verdict."""
    firm = (firm_attributes([enterprise.pk]) or [None])[0]
    if firm is None:
        return []
    bureaus = wording.bureau_names()
    out = []
    for p in (policies if policies is not None else policies_in_force_list()):
        verdict, leaves = matching.verdict_known(p.conditions, firm, PUBLIC_ATTRS)
        out.append({"policy": p, "verdict": verdict, "leaves": [
            {"text": wording.leaf_text(x.attr, x.op, x.value, x.negated, bureaus), "met": x.met,
             "public": x.attr in PUBLIC_ATTRS} for x in leaves]})
    order = {True: 0, None: 1, False: 2}
    return sorted(out, key=lambda r: order[r["verdict"]])
