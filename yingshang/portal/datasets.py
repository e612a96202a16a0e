"""Open data (一公开): the datasets the zone publishes, each read through the same selectors as the public pages
(only what is published), with its data dictionary. ``services.datasets_publish`` writes them as files."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

LICENCE = "https://creativecommons.org/licenses/by/4.0/"  # 署名 4.0 国际


@dataclass(frozen=True)
class Field:
    name: str
    type: str        # string, integer, number, date, boolean
    meaning: str
    unit: str = ""


@dataclass(frozen=True)
class Dataset:
    key: str
    title: str
    description: str
    keywords: tuple[str, ...]
    publisher: str          # the department's code that answers for it
    fields: tuple[Field, ...]
    rows: object = field(repr=False, default=None)  # () -> iterable of tuples in the fields' order


def _catalogue():
    from yingshang.catalog import selectors as catalog

    for item in catalog.guide_search():
        v = item.current
        yield (item.code, v.name, v.department.name, v.type.name, v.statutory_limit, v.committed_limit,
               bool(v.online), v.online_depth)


def _plans():
    from yingshang.inspections import selectors as inspections

    for p in inspections.public_plans():
        yield (p.number, p.name, p.year, p.lead_department.name, "、".join(d.name for d in p.departments.all()),
               "、".join(i.name for i in p.items.all()), p.starts_on, p.ends_on, p.get_status_display())


def _results():
    from yingshang.inspections import selectors as inspections

    for v in inspections.published_results():
        for r in v.results.all():
            yield (v.plan.number, v.plan.name, v.enterprise.name, v.enterprise.uscc, r.item.name,
                   r.get_outcome_display(), timezone.localtime(v.published_at).date())


def _records():
    from yingshang.credit import selectors as credit

    for r in credit.public_records(None).select_related("enterprise").only(
            "id", "kind", "severity", "decision_number", "decided_on", "public_from", "public_to",
            "department__name", "enterprise__name", "enterprise__uscc"):
        yield (r.enterprise.name, r.enterprise.uscc, r.get_kind_display(), r.get_severity_display(),
               r.decision_number, r.decided_on, r.department.name if r.department_id else "", r.public_from,
               r.public_to)


def _lists():
    from yingshang.credit import selectors as credit

    for kind, label in (("red", _("red list")), ("black", _("black list"))):
        for e in credit.public_list(kind):
            yield (str(label), e.enterprise.name, e.enterprise.uscc, e.starts_on, e.ends_on,
                   e.department.name if e.department_id else "")


def months_back(today: date, n: int) -> list[date]:
    out, y, m = [], today.year, today.month
    for _i in range(n):
        out.append(date(y, m, 1))
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return out[::-1]


def _figures():
    from datetime import timedelta

    from yingshang.tickets.selectors import LedgerFilter, zone_statistics

    today = timezone.localdate()
    for first in months_back(today, 12):
        last = min((first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1), today)
        for d in zone_statistics(LedgerFilter(created_from=first, created_to=last))["departments"]:
            if d["n"]:
                yield (first.strftime("%Y-%m"), d["lead_department__name"], d["n"], d["closed"], d["resolve_rate"],
                       d["satisfaction_rate"])


def _projects():
    from yingshang.projects.models import Project, Stage
    from yingshang.projects.services import major_threshold

    for p in (Project.objects.filter(investment__gte=major_threshold()).exclude(stage=Stage.DROPPED)
              .select_related("investor", "bureau").order_by("number")):
        yield (p.number, p.name, p.investor_label, p.bureau.name, p.industry, p.get_kind_display(),
               round(p.investment / 100_000_000, 2), p.get_stage_display(), p.site, p.capacity, p.is_returned,
               p.target_production)


S, I, N, D, B = "string", "integer", "number", "date", "boolean"
DATASETS = [
    Dataset("service-catalogue", _("Government service catalogue"),
            _("Every service item in the public guide: its implementing department, type and time limits."),
            ("办事指南", "政务服务"), "gov-data", (
                Field("code", S, _("item code")), Field("name", S, _("name")), Field("department", S, _("department")),
                Field("type", S, _("item type")), Field("statutory_limit", I, _("statutory time limit"), _("working days")),
                Field("committed_limit", I, _("committed time limit"), _("working days")),
                Field("online", B, _("can be done online")), Field("online_depth", I, _("depth of online handling (1–4)"))),
            _catalogue),
    Dataset("inspection-plans", _("Random inspection plans"),
            _("The approved double-random inspection plans: what is inspected, by which departments, when."),
            ("双随机", "抽查计划"), "market", (
                Field("number", S, _("plan number")), Field("name", S, _("name")), Field("year", I, _("year")),
                Field("lead_department", S, _("lead department")), Field("departments", S, _("departments")),
                Field("items", S, _("inspection items")), Field("starts_on", D, _("from")), Field("ends_on", D, _("until")),
                Field("status", S, _("status"))), _plans),
    Dataset("inspection-results", _("Random inspection results"),
            _("The published results of the random inspections, one row per firm and item."),
            ("双随机", "抽查结果", "一公开"), "market", (
                Field("plan", S, _("plan number")), Field("plan_name", S, _("plan")), Field("firm", S, _("firm")),
                Field("uscc", S, _("unified social credit code")), Field("item", S, _("inspection item")),
                Field("outcome", S, _("outcome")), Field("published_on", D, _("published on"))), _results),
    Dataset("credit-records", _("Public credit records"),
            _("The credit records in their publicity period (administrative licences, penalties, judgments …)."),
            ("信用", "行政许可", "行政处罚"), "market", (
                Field("firm", S, _("firm")), Field("uscc", S, _("unified social credit code")),
                Field("kind", S, _("record kind")), Field("severity", S, _("severity")),
                Field("decision_number", S, _("decision number")), Field("decided_on", D, _("decided on")),
                Field("department", S, _("department")), Field("public_from", D, _("public from")),
                Field("public_to", D, _("public until"))), _records),
    Dataset("credit-lists", _("Red and black lists"),
            _("The firms on the zone's red list (trustworthy) and black list (joint punishment) now."),
            ("信用", "红名单", "黑名单"), "market", (
                Field("list", S, _("list")), Field("firm", S, _("firm")), Field("uscc", S, _("unified social credit code")),
                Field("since", D, _("since")), Field("until", D, _("until")), Field("department", S, _("deciding department"))),
            _lists),
    Dataset("service-figures", _("Service figures by month and department"),
            _("Problems firms raised, by month of registration and lead department: registered, closed out, the "
              "share resolved on time, the share of firms satisfied. Aggregates only."),
            ("营商环境", "诉求办理", "挂号销号"), "service-centre", (
                Field("month", S, _("month (YYYY-MM)")), Field("department", S, _("lead department")),
                Field("registered", I, _("problems registered")), Field("closed", I, _("closed out")),
                Field("resolved_on_time_rate", N, _("resolved on time"), "%"),
                Field("satisfaction_rate", N, _("firms satisfied"), "%")), _figures),
    Dataset("major-projects", _("Major projects"),
            _("The zone's major investment projects (50 million yuan or more): investor, bureau, investment, stage."),
            ("重大项目", "招商引资", "挂图作战"), "development", (
                Field("number", S, _("project code")), Field("name", S, _("name")), Field("investor", S, _("investor")),
                Field("bureau", S, _("service bureau")), Field("industry", S, _("industry")), Field("kind", S, _("kind")),
                Field("investment", N, _("total investment"), _("100 million yuan")), Field("stage", S, _("stage")),
                Field("site", S, _("site")), Field("capacity", S, _("capacity")),
                Field("returned", B, _("returned investment")), Field("target_production", D, _("target production"))),
            _projects),
]
BY_KEY = {d.key: d for d in DATASETS}
