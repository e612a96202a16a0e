"""Reads for projects: who sees which, the battle map, the pipeline, the supervision ledger, a project's
page (task list by stage, Gantt geometry)."""

from __future__ import annotations

from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from yingshang.core import inputs, roles
from yingshang.directory.models import EnterpriseMember

from . import services
from .models import LANDED, PIPELINE, Event, Link, Phase, Project, Stage, Step

BANDS = OrderedDict([  # investment bands, in yuan
    ("lt100m", (Decimal(0), Decimal(100_000_000))),
    ("100m-1bn", (Decimal(100_000_000), Decimal(1_000_000_000))),
    ("1bn-5bn", (Decimal(1_000_000_000), Decimal(5_000_000_000))),
    ("ge5bn", (Decimal(5_000_000_000), None)),
])


def projects_visible_to(user):
    qs = Project.objects.all()
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if roles.is_staff_member(user):
        return qs
    firms = EnterpriseMember.objects.filter(user=user, active=True).values("enterprise_id")
    return qs.filter(investor_id__in=firms)


@dataclass
class Filters:
    bureau: int | None = None
    stage: str = ""
    leader: int | None = None
    returned: str = ""  # "", "yes", "no"
    band: str = ""
    light: str = ""
    q: str = ""
    everything: bool = False  # not only the major projects

    @classmethod
    def from_query(cls, get) -> "Filters":
        def num(key):
            return inputs.optional_id(get.get(key, ""), key)  # a malformed id is a 400 (ValidationError)

        return cls(bureau=num("bureau"), stage=get.get("stage", "") if get.get("stage") in Stage.values else "",
                   leader=num("leader"), returned=get.get("returned", "") if get.get("returned") in ("yes", "no")
                   else "", band=get.get("band", "") if get.get("band") in BANDS else "",
                   light=get.get("light", "") if get.get("light") in ("green", "yellow", "red") else "",
                   q=get.get("q", "").strip()[:100], everything=get.get("all") == "1")

    def apply(self, qs):
        if not self.everything:
            qs = qs.filter(investment__gte=services.major_threshold())
        if self.bureau:
            qs = qs.filter(bureau_id=self.bureau)
        if self.stage:
            qs = qs.filter(stage=self.stage)
        elif not self.everything:
            qs = qs.exclude(stage=Stage.DROPPED)
        if self.leader:
            qs = qs.filter(leader_id=self.leader)
        if self.returned:
            qs = qs.filter(is_returned=self.returned == "yes")
        if self.band:
            low, high = BANDS[self.band]
            qs = qs.filter(investment__gte=low)
            if high is not None:
                qs = qs.filter(investment__lt=high)
        if self.light:
            qs = qs.filter(light=self.light)
        if self.q:
            qs = qs.filter(Q(name__icontains=self.q) | Q(number__icontains=self.q) | Q(investor__name__icontains=self.q)
                           | Q(investor_name__icontains=self.q))
        return qs


CARD_FIELDS = ("pk", "number", "name", "investment", "stage", "light", "next_name", "next_on", "is_returned",
               "bureau_id", "bureau__name", "leader__first_name", "leader__last_name", "investor__name",
               "investor_name", "shortfall", "target_start", "target_production", "capacity")


@dataclass
class Group:
    key: str
    label: str
    cards: list = field(default_factory=list)
    count: int = 0
    investment: Decimal = Decimal(0)


def battle_map(user, filters: Filters, *, group_by: str = "bureau", today: date | None = None):
    """The projects on the wall as plain rows (one query), grouped by bureau or stage, and the totals per
    stage and per bureau."""
    from yingshang.core import workdays

    today = today or timezone.localdate()
    cal = workdays.get_calendar()
    rows = list(filters.apply(projects_visible_to(user)).order_by("bureau__sort_order", "-investment", "pk")
                .values(*CARD_FIELDS))
    stage_label = dict(Stage.choices)
    groups: dict[str, Group] = {}
    if group_by == "stage":
        for s in Stage.values:
            groups[s] = Group(s, stage_label[s])
    by_stage, by_bureau = defaultdict(lambda: [0, Decimal(0)]), OrderedDict()
    for r in rows:
        r["leader_name"] = f"{r['leader__last_name'] or ''}{r['leader__first_name'] or ''}"
        r["investor_label"] = r["investor__name"] or r["investor_name"]
        r["stage_label"] = stage_label[r["stage"]]
        r["days_to_next"] = cal.workdays_between(today, r["next_on"], provisional=True) if r["next_on"] else None
        r["overdue_days"] = -r["days_to_next"] if r["days_to_next"] is not None and r["days_to_next"] < 0 else 0
        key = r["stage"] if group_by == "stage" else str(r["bureau_id"])
        g = groups.get(key) or groups.setdefault(key, Group(key, r["bureau__name"]))
        g.cards.append(r)
        g.count += 1
        g.investment += r["investment"]
        by_stage[r["stage"]][0] += 1
        by_stage[r["stage"]][1] += r["investment"]
        b = by_bureau.setdefault(r["bureau__name"], [0, Decimal(0)])
        b[0] += 1
        b[1] += r["investment"]
    totals = {"count": len(rows), "investment": sum((r["investment"] for r in rows), Decimal(0)),
              "lights": {c: sum(1 for r in rows if r["light"] == c) for c in ("green", "yellow", "red")},
              "by_stage": [(s, stage_label[s], *by_stage[s]) for s in Stage.values if s in by_stage],
              "by_bureau": [(name, *v) for name, v in by_bureau.items()]}
    return [g for g in groups.values() if g.cards], totals


def wall_counts() -> dict:
    """The home page's line on the battle map: major projects by light, and their investment."""
    qs = Filters().apply(Project.objects.all())
    agg = qs.aggregate(n=Count("pk"), total=Sum("investment"), red=Count("pk", filter=Q(light="red")),
                       yellow=Count("pk", filter=Q(light="yellow")))
    agg["total"] = agg["total"] or Decimal(0)
    return agg


def pipeline(user, filters: Filters):
    """Counts and sums per stage, conversion from lead to signed to landed, returned investment, and the
    days from first contact to ground-breaking."""
    qs = filters.apply(projects_visible_to(user))
    per = {r["stage"]: r for r in qs.values("stage").annotate(n=Count("pk"), total=Sum("investment"))}
    stages = [(s, label, per.get(s, {}).get("n", 0), per.get(s, {}).get("total") or Decimal(0))
              for s, label in Stage.choices]
    # A project counts as having reached a stage if it is there now or further along the pipeline; a paused
    # or dropped project counts for the furthest stage it reached before.
    reached = defaultdict(int)
    furthest = {}
    for pid, to in Event.objects.filter(project__in=qs, action__in=["projects.project.stage_changed", "projects.project.created"]) \
            .values_list("project_id", "to_status"):
        if to in PIPELINE:
            furthest[pid] = max(furthest.get(pid, 0), PIPELINE.index(to))
    for pid, stage in qs.values_list("pk", "stage"):
        idx = max(furthest.get(pid, 0), PIPELINE.index(stage) if stage in PIPELINE else 0)
        for i in range(idx + 1):
            reached[PIPELINE[i]] += 1
    total = qs.count()
    signed, landed = reached[Stage.SIGNED], reached[Stage.STARTED]
    funnel = [(s.label, reached[s]) for s in PIPELINE]
    started_on = dict(Event.objects.filter(project__in=qs, action__in=["projects.project.stage_changed", "projects.project.created"],
                                           to_status__in=[str(s) for s in LANDED])
                      .order_by("project_id", "-on").values_list("project_id", "on"))
    contact = dict(qs.filter(first_contact_on__isnull=False).values_list("pk", "first_contact_on"))
    days = sorted((started_on[pid] - contact[pid]).days for pid in started_on if pid in contact
                  and started_on[pid] >= contact[pid])
    fastest = (qs.filter(pk__in=[pid for pid in started_on if pid in contact])
               .values("pk", "name", "first_contact_on"))
    fastest = sorted(({**f, "days": (started_on[f["pk"]] - f["first_contact_on"]).days} for f in fastest
                      if started_on[f["pk"]] >= f["first_contact_on"]), key=lambda f: f["days"])[:5]
    returned = qs.filter(is_returned=True).aggregate(n=Count("pk"), total=Sum("investment"))
    return {"stages": stages, "funnel": funnel, "total": total,
            "to_signed": _rate(signed, total), "to_landed": _rate(landed, signed),
            "returned": {"n": returned["n"], "total": returned["total"] or Decimal(0)},
            "days": {"n": len(days), "median": days[len(days) // 2] if days else None,
                     "mean": round(sum(days) / len(days)) if days else None}, "fastest": fastest}


def _rate(part: int, whole: int):
    return round(100 * part / whole, 1) if whole else None


def open_tickets(numbers: list[str]) -> dict[str, int]:
    from yingshang.tickets.models import OPEN, Ticket

    return dict(Ticket.objects.filter(project_ref__in=numbers, status__in=OPEN | {Ticket.Status.RESOLVED})
                .values("project_ref").annotate(n=Count("pk")).values_list("project_ref", "n"))


def ledger(user, filters: Filters, *, month: date | None = None):
    """The supervision ledger (督办台账): one row per project with this month's progress and its open
    problems."""
    month = (month or timezone.localdate()).replace(day=1)
    nxt = (month + timedelta(days=32)).replace(day=1)
    projects = list(filters.apply(projects_visible_to(user)).select_related("bureau", "leader", "investor")
                    .order_by("bureau__sort_order", "-investment", "pk"))
    progress = defaultdict(list)
    for e in Event.objects.filter(project__in=[p.pk for p in projects], on__gte=month, on__lt=nxt,
                                  action__in=["projects.project.stage_changed", "projects.step.finished", "projects.step.started"]) \
            .select_related("step").order_by("on", "id"):
        progress[e.project_id].append(_progress_text(e))
    tickets = open_tickets([p.number for p in projects])
    return [{"project": p, "progress": progress.get(p.pk, []), "open_tickets": tickets.get(p.number, 0)}
            for p in projects], month


def _progress_text(e: Event) -> str:
    from django.utils.translation import gettext as _

    day = f"{e.on.month}.{e.on.day}"
    if e.action == "projects.project.stage_changed":
        return _("%(day)s %(stage)s") % {"day": day, "stage": Stage(e.to_status).label}
    if e.action == "projects.step.finished":
        return _("%(day)s %(step)s done") % {"day": day, "step": e.step.name}
    return _("%(day)s %(step)s started") % {"day": day, "step": e.step.name}


# --- one project --------------------------------------------------------------------------------

def project_version(project: Project) -> int:
    """The last change of a project's particulars or stage: an edit form carries it, a stale one is refused."""
    return project.events.filter(step__isnull=True).aggregate(v=Max("pk"))["v"] or 0


def project_steps(project: Project, *, with_removed: bool = False):
    qs = project.steps.select_related("department", "handler").order_by("order", "id")
    if not with_removed:
        qs = qs.exclude(status=Step.Status.REMOVED)
    steps = list(qs)
    preds = defaultdict(list)
    for link in Link.objects.filter(step__project=project, active=True).select_related("predecessor"):
        preds[link.step_id].append(link)
    versions = dict(Event.objects.filter(project=project, step__isnull=False).values_list("step")
                    .annotate(v=Max("pk")).order_by())
    for s in steps:
        s.preds = preds.get(s.pk, [])
        s.version = versions.get(s.pk, 0)  # the step's edit form carries it
    return steps


def department_staff(department_ids) -> dict[int, list]:
    """The active staff of each department: who may be named a step's handler."""
    from yingshang.directory.models import StaffProfile

    out = defaultdict(list)
    for sp in StaffProfile.objects.filter(department_id__in=department_ids, user__is_active=True) \
            .select_related("user").order_by("user__username"):
        out[sp.department_id].append(sp.user)
    return out


def by_phase(steps: list[Step]):
    """The task list grouped by approval stage; within a stage, the steps that start on the same day run in
    parallel (并联) and are listed together."""
    out = []
    labels = dict(Phase.choices)
    for phase in Phase.values:
        mine = [s for s in steps if s.phase == phase]
        if not mine:
            continue
        lanes = OrderedDict()
        for s in sorted(mine, key=lambda s: (s.early_start or date.max, s.order)):
            lanes.setdefault(s.early_start, []).append(s)
        out.append({"phase": phase, "label": labels[phase], "lanes": list(lanes.values()),
                    "done": sum(1 for s in mine if s.status == Step.Status.DONE), "count": len(mine)})
    return out


def gantt(project: Project, steps: list[Step], today: date | None = None) -> dict:
    """Bar positions in percent of the chart's span: planned (early start → early finish) and actual
    (actual start → finish, or today while in progress), with today's and the target's lines."""
    today = today or timezone.localdate()
    dated = [s for s in steps if s.early_start]
    if not dated:
        return {}
    days = [d for s in dated for d in (s.early_start, s.early_finish, s.actual_start, s.actual_finish) if d]
    days += [today] + ([project.target] if project.target else [])
    lo, hi = min(days) - timedelta(days=3), max(days) + timedelta(days=3)
    width = (hi - lo).days + 1

    def pos(a: date, b: date):
        return round(100 * (a - lo).days / width, 2), round(max(100 * ((b - a).days + 1) / width, 0.6), 2)

    rows = []
    for s in dated:
        row = {"step": s, "plan": pos(s.early_start, s.early_finish)}
        if s.actual_start:
            row["actual"] = pos(s.actual_start, s.actual_finish or max(today, s.actual_start))
        rows.append(row)
    months = []
    m = lo.replace(day=1)
    while m <= hi:
        if m >= lo:
            months.append({"label": f"{m.year}-{m.month:02d}", "left": round(100 * (m - lo).days / width, 2)})
        m = (m + timedelta(days=32)).replace(day=1)
    every = -(-len(months) // 8)  # at most eight labels on the axis
    months = months[::every]
    return {"rows": rows, "start": lo, "end": hi, "months": months,
            "today": round(100 * (today - lo).days / width, 2) if lo <= today <= hi else None,
            "target": round(100 * (project.target - lo).days / width, 2) if project.target else None}


def project_tickets(project: Project, user):
    from yingshang.tickets import selectors as ticket_selectors

    return list(ticket_selectors.tickets_visible_to(user).filter(project_ref=project.number)
                .select_related("lead_department").order_by("-created_at")[:20])


def stage_history(project: Project):
    return list(project.events.filter(action__in=["projects.project.created", "projects.project.stage_changed"])
                .select_related("actor").order_by("on", "id"))


def activity_source():
    """Projects' events (stages, steps, changes) in the audit trail and the investor's timeline."""
    from django.db.models import Value
    from django.db.models.functions import Concat
    from django.utils.translation import gettext_lazy

    from yingshang.core import activity

    def visible(user):
        q = Q(project__in=projects_visible_to(user))
        return q if roles.is_staff_member(user) else q & Q(public=True)

    return activity.Source(key="projects", label=gettext_lazy("Projects"), model=Event, order=40,
                           firm="project__investor_id", ref="project_id",
                           title=Concat("project__number", Value(" "), "project__name"),
                           link=activity.link("projects:detail"), visible=visible, states=dict(Stage.choices))
