"""Writes for projects: each checks the actor and the state, locks the project, writes an ``Event`` and
reschedules. Nothing is deleted: a removed step or dependency is kept, marked."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yingshang.catalog import selectors as catalog_selectors
from yingshang.core import events, geo, inputs, numbering, workdays
from yingshang.core.actions import IllegalTransition
from yingshang.core.permissions import require

from . import scheduling
from .actions import projects as TABLE
from .models import PIPELINE, Event, Link, Project, Stage, Step, Template

OPEN_STEP = (Step.Status.TODO, Step.Status.DOING)
EDITABLE = ("name", "investor", "investor_name", "bureau", "industry", "kind", "investment", "land_mu", "site",
            "capacity", "is_returned", "returned_from", "leader", "steward", "first_contact_on", "starts_on",
            "target_signing", "target_start", "target_production", "power_kva", "power_status", "water_t_day",
            "water_status", "gas_m3_day", "gas_status", "land_status", "lng", "lat")


def major_threshold() -> Decimal:
    return Decimal(getattr(settings, "PROJECTS_MAJOR_THRESHOLD", 50_000_000))


def _event(project, action, actor=None, *, step=None, before="", after="", on=None, note="", at=None):
    """Append a project's event (``actions.py`` says who is told): ``on`` is the day it happened."""
    return events.record(action, step or project, actor=actor, project=project, step=step, frm=str(before or "")[:20],
                         to=str(after or "")[:20], on=on or timezone.localdate(), note=(note or "")[:2000],
                         at=at)


def _locked(project: Project) -> Project:
    return Project.objects.select_for_update().get(pk=project.pk)


class Stale(Exception):
    """The project or step changed after the form was opened; nothing was saved. ``changes`` says what."""

    def __init__(self, changes: list[str], version: int):
        super().__init__("; ".join(changes))
        self.changes, self.version = changes, version


def _refuse_stale(events, seen: int | None) -> None:
    """``seen`` is the last event the user's form was built on (None: not checked)."""
    if seen is None:
        return
    newer = list(events.filter(pk__gt=seen).select_related("actor").order_by("pk"))
    if newer:
        raise Stale([f"{timezone.localtime(e.at):%H:%M} {e.actor or _('system')}: {e.label}"
                     f"{f'（{e.note}）' if e.note else ''}" for e in newer], newer[-1].pk)


def _link(project) -> str:
    return reverse("projects:detail", args=[project.pk])


# --- projects -----------------------------------------------------------------------------------

def _check(fields: dict) -> None:
    errors = {}
    if not (fields.get("name") or "").strip():
        errors["name"] = _("Name the project.")
    if fields.get("investment") is None or Decimal(fields["investment"]) <= 0:
        errors["investment"] = _("The total investment is an amount in yuan above zero.")
    if not fields.get("investor") and not (fields.get("investor_name") or "").strip():
        errors["investor"] = _("Choose the investor, or type its name if it is not registered yet.")
    if fields.get("is_returned") and not (fields.get("returned_from") or "").strip():
        errors["returned_from"] = _("Say where the returned investment comes from.")
    for a, b in (("first_contact_on", "target_signing"), ("target_signing", "target_start"),
                 ("target_start", "target_production")):
        if fields.get(a) and fields.get(b) and fields[b] < fields[a]:
            errors[b] = _("This date comes before the one of the earlier milestone.")
    errors.update(geo.coordinate_errors(fields.get("lng"), fields.get("lat")))
    if errors:
        raise ValidationError(errors)


def project_create(*, actor, template: Template | None = None, stage: str = Stage.LEAD,
                   stage_since: date | None = None, **fields) -> Project:
    """Register a project (any stage it has already reached) and, with a template, its approval task list."""
    require(actor, "projects.add")
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"unknown project fields: {sorted(unknown)}")
    _check(fields)
    if stage not in Stage.values:
        raise ValidationError({"stage": _("Choose a stage.")})
    if actor is not None and not actor.has_perm("projects.manage", Project(**fields)):
        raise ValidationError({"bureau": _("You can register a project only for your own bureau, or name yourself "
                                           "its steward.")})
    today = timezone.localdate()
    with transaction.atomic():
        year = today.year
        number = f"XM-{year}-{numbering.next_value(f'project-{year}'):04d}"
        p = Project.objects.create(number=number, stage=stage, stage_since=stage_since or today,
                                   template=template, **fields)
        _event(p, "projects.project.created", actor, after=stage, on=stage_since or today)
        if template is not None:
            _steps_from_template(p, template)
        project_reschedule(p)
    return p


def _steps_from_template(p: Project, template: Template) -> None:
    tsteps = list(template.steps.select_related(None).order_by("order", "id"))
    made = {}
    for i, ts in enumerate(tsteps):
        made[ts.pk] = Step.objects.create(project=p, code=ts.code, name=ts.name, phase=ts.phase,
                                          department_id=ts.department_id, statutory_days=ts.statutory_days,
                                          committed_days=ts.committed_days, order=(i + 1) * 10)
    from .models import TemplateLink

    Link.objects.bulk_create([Link(step=made[tl.step_id], predecessor=made[tl.predecessor_id], lag=tl.lag)
                              for tl in TemplateLink.objects.filter(step__template=template)])
    _event(p, "projects.project.steps_generated", None, note=f"{template.name}: {len(tsteps)}")


def project_ref_error(enterprise, ref: str) -> str | None:
    """Why a problem of ``enterprise`` may not carry the project ``ref`` (None: it may)."""
    if not Project.objects.filter(number=ref, investor=enterprise).exists():
        return _("%(ref)s is not a project of %(firm)s.") % {"ref": ref, "firm": enterprise.name}
    return None


def project_update(*, actor, project: Project, seen: int | None = None, **fields) -> Project:
    """Change a project's particulars; the event lists what changed, before and after. With ``seen`` (the
    version the form was built on), a project changed since is refused with ``Stale``."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"unknown project fields: {sorted(unknown)}")
    with transaction.atomic():
        p = _locked(project)
        require(actor, "projects.manage", p)  # who, before what they sent is read
        _refuse_stale(p.events.filter(step__isnull=True), seen)
        merged = {k: getattr(p, k) for k in EDITABLE} | fields
        _check(merged)
        changed = [k for k, v in fields.items() if getattr(p, k) != v]
        if not changed:
            return p
        note = "; ".join(f"{Project._meta.get_field(k).verbose_name}: {_shown(k, getattr(p, k))} → "
                         f"{_shown(k, fields[k])}" for k in changed)
        for k in changed:
            setattr(p, k, fields[k])
        p.save()
        _event(p, "projects.project.updated", actor, note=note)
        project_reschedule(p)
    return p


def _shown(name: str, v) -> str:
    """A value as the event reads it: the label of a choice, yes or no, a dash for nothing."""
    if v in (None, ""):
        return "—"
    if isinstance(v, bool):
        return str(_("yes") if v else _("no"))
    return str(dict(Project._meta.get_field(name).flatchoices).get(v, v))


def stage_change(*, actor, project: Project, to: str, on: date | None = None, reason: str = "") -> Project:
    """Move a project along 线索 → … → 投产 (stages may be skipped, never gone back), or pause or drop it
    with a reason. A paused project resumes at any stage from the one it was paused in; a dropped one is
    only reopened at 线索 or 洽谈, with a reason."""
    with transaction.atomic():
        p = _locked(project)
        TABLE.begin(actor, "stage", p)
        on = on or timezone.localdate()
        reason = inputs.text(reason, "reason", required=False)
        if to not in Stage.values:
            raise ValidationError({"to": _("Choose a stage.")})
        if on > timezone.localdate():
            raise ValidationError({"on": _("A stage is recorded when it is reached, not in advance.")})
        frm = p.stage
        if to == frm:
            raise ValidationError({"to": _("The project is already at this stage.")})
        if on < p.stage_since:
            raise ValidationError({"on": _("The date comes before the current stage began (%(d)s).")
                                   % {"d": p.stage_since.isoformat()}})
        if to in (Stage.PAUSED, Stage.DROPPED) and not reason:
            raise ValidationError({"reason": _("Give the reason for pausing or dropping the project.")})
        if frm == Stage.DROPPED and (to not in (Stage.LEAD, Stage.TALKS) or not reason):
            raise ValidationError({"to": _("A dropped project can only be reopened as a lead or in negotiation, "
                                           "with a reason.")})
        if frm == Stage.PAUSED and to in PIPELINE:
            resumed_from = Event.objects.filter(project=p, action="projects.project.stage_changed",
                                                to_status=Stage.PAUSED) \
                .order_by("-at", "-id").values_list("from_status", flat=True).first()
            if resumed_from in PIPELINE and PIPELINE.index(to) < PIPELINE.index(resumed_from):
                raise ValidationError({"to": _("A project resumes at the stage it was paused in or later.")})
        if frm in PIPELINE and to in PIPELINE and PIPELINE.index(to) < PIPELINE.index(frm):
            raise ValidationError({"to": _("A project does not go back a stage; pause it instead.")})
        p.stage, p.stage_since = to, on
        p.stage_reason = reason if to in (Stage.PAUSED, Stage.DROPPED) else ""
        p.save(update_fields=["stage", "stage_since", "stage_reason", "updated_at"])
        _event(p, "projects.project.stage_changed", actor, before=frm, after=to, on=on, note=reason)
        project_reschedule(p)
    return p


# --- the task list ------------------------------------------------------------------------------

def _locked_step(step: Step) -> Step:
    Project.objects.select_for_update().filter(pk=step.project_id).exists()
    return Step.objects.select_for_update().select_related("project").get(pk=step.pk)


def step_start(*, actor, step: Step, on: date | None = None, note: str = "") -> Step:
    on = on or timezone.localdate()
    with transaction.atomic():
        s = _locked_step(step)
        TABLE.begin(actor, "start", s)
        note = inputs.text(note, "note", required=False)
        if on > timezone.localdate():
            raise ValidationError({"on": _("A step is marked started on the day it starts, not before.")})
        s.status, s.actual_start = Step.Status.DOING, on
        if actor is not None and s.handler_id is None:
            s.handler = actor
        s.save(update_fields=["status", "actual_start", "handler"])
        _event(s.project, "projects.step.started", actor, step=s, before=Step.Status.TODO, after=s.status, on=on,
               note=note)
        project_reschedule(s.project)
    return s


def step_finish(*, actor, step: Step, on: date | None = None, note: str = "") -> Step:
    """Done (批复/办结): an unstarted step is taken as started on the same day."""
    on = on or timezone.localdate()
    with transaction.atomic():
        s = _locked_step(step)
        TABLE.begin(actor, "done", s)
        note = inputs.text(note, "note", required=False)
        if on > timezone.localdate():
            raise ValidationError({"on": _("A step is marked done on the day it is done, not before.")})
        if s.actual_start and on < s.actual_start:
            raise ValidationError({"on": _("A step cannot finish before it started (%(d)s).")
                                   % {"d": s.actual_start.isoformat()}})
        before = s.status
        s.status, s.actual_finish, s.actual_start = Step.Status.DONE, on, s.actual_start or on
        if actor is not None and s.handler_id is None:
            s.handler = actor
        s.save(update_fields=["status", "actual_start", "actual_finish", "handler"])
        _event(s.project, "projects.step.finished", actor, step=s, before=before, after=s.status, on=on, note=note)
        project_reschedule(s.project)
    return s


def step_update(*, actor, step: Step, handler=None, notes: str | None = None, committed_days: int | None = None,
                seen: int | None = None, item_code: str | None = None) -> Step:
    """Who handles the step, its notes, its committed limit. With ``seen`` (the version the form was built
    on), a step changed since is refused with ``Stale``."""
    with transaction.atomic():
        s = _locked_step(step)
        TABLE.begin(actor, "update_step", s)
        _refuse_stale(s.events.all(), seen)
        changes = []
        if handler is not None and handler.pk != s.handler_id:
            changes.append(f"{_('handler')}: {s.handler or '—'} → {handler}")
            s.handler = handler
        if notes is not None:
            notes = inputs.text(notes, "notes", required=False, max_length=2000)
            if notes != s.notes:
                s.notes = notes
                changes.append(_("notes"))
        if committed_days is not None and committed_days != s.committed_days:
            committed_days = inputs.integer(committed_days, "committed_days", min_value=1, max_value=2000)
            changes.append(f"{_('committed limit')}: {s.committed_days} → {committed_days}")
            s.committed_days = committed_days
        if item_code is not None and item_code.strip() != s.item_code:
            item_code = inputs.text(item_code, "item_code", required=False, max_length=60, multiline=False)
            if item_code and not catalog_selectors.item_published(item_code):
                raise ValidationError({"item_code": _("No published service item has this code.")})
            changes.append(f"{_('catalogue item')}: {s.item_code or '—'} → {item_code or '—'}")
            s.item_code = item_code
        if not changes:
            return s
        s.save()
        _event(s.project, "projects.step.updated", actor, step=s, before=s.status, after=s.status,
               note="; ".join(changes))
        project_reschedule(s.project)
    return s


def step_reopen(*, actor, step: Step, reason: str, seen: int | None = None) -> Step:
    """Reopen a step marked done by mistake: it is in progress again, its finish date cleared."""
    with transaction.atomic():
        s = _locked_step(step)
        target = TABLE.begin(actor, "reopen", s)
        _refuse_stale(s.events.all(), seen)
        reason = inputs.text(reason, "reason")
        before = s.status
        s.status, s.actual_finish = target, None
        s.save(update_fields=["status", "actual_finish"])
        _event(s.project, "projects.step.reopened", actor, step=s, before=before, after=s.status, note=reason)
        project_reschedule(s.project)
    return s


def _graph_check(project: Project, extra: tuple[int, int] | None = None) -> None:
    """Refuse a dependency that would close a cycle, naming its steps."""
    steps = {s.pk: s.code for s in project.steps.exclude(status=Step.Status.REMOVED)}
    after = {pk: [] for pk in steps}
    for step_id, pred_id in Link.objects.filter(step__project=project, active=True).values_list("step_id",
                                                                                               "predecessor_id"):
        if step_id in after and pred_id in steps:
            after[step_id].append(pred_id)
    if extra:
        after[extra[0]].append(extra[1])
    try:
        scheduling.topological_order([scheduling.Step(steps[pk], 1, [scheduling.Dependency(steps[p]) for p in preds])
                           for pk, preds in after.items()])
    except scheduling.ScheduleError as exc:
        raise ValidationError({"predecessor": _("This link would close a loop (%(cycle)s): a step cannot wait "
                                                "for itself.") % {"cycle": str(exc).removeprefix("cycle: ")}})


def step_add(*, actor, project: Project, code: str, name: str, phase: str, department, statutory_days: int,
             committed_days: int, after: list[tuple[Step, int]] = ()) -> Step:
    require(actor, "projects.add_step", project)  # who, before what they sent is read
    code, name = (code or "").strip(), (name or "").strip()
    errors = {}
    if not code or len(code) > 20 or not code.replace("-", "").replace("_", "").isalnum():
        errors["code"] = _("A short code of letters, digits and hyphens (at most 20).")
    if not name:
        errors["name"] = _("Name the step.")
    if not statutory_days or statutory_days < 1:
        errors["statutory_days"] = _("A limit is a whole number of working days, at least 1.")
    if not committed_days or committed_days < 1:
        errors["committed_days"] = _("A limit is a whole number of working days, at least 1.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        p = _locked(project)
        require(actor, "projects.add_step", p)
        if p.steps.filter(code=code).exists():
            raise ValidationError({"code": _("The task list already has a step %(code)s.") % {"code": code}})
        preds = [(Step.objects.get(pk=pred.pk, project=p), lag) for pred, lag in after]
        if any(pred.status == Step.Status.REMOVED for pred, _lag in preds):
            raise ValidationError({"predecessor": _("A removed step cannot come first.")})
        order = (p.steps.aggregate(m=Max("order"))["m"] or 0) + 10
        s = Step.objects.create(project=p, code=code, name=name, phase=phase, department=department,
                                statutory_days=statutory_days, committed_days=committed_days, order=order)
        Link.objects.bulk_create([Link(step=s, predecessor=pred, lag=max(0, int(lag))) for pred, lag in preds])
        _event(p, "projects.step.added", actor, step=s, after=s.status,
               note=", ".join(f"{pred.code}+{lag}" for pred, lag in preds))
        project_reschedule(p)
    return s


def step_remove(*, actor, step: Step, reason: str) -> Step:
    """Take a step off the task list (kept, marked removed; its dependencies are set aside)."""
    with transaction.atomic():
        s = _locked_step(step)
        TABLE.begin(actor, "remove", s)
        reason = inputs.text(reason, "reason")
        s.status = Step.Status.REMOVED
        s.save(update_fields=["status"])
        Link.objects.filter(active=True, step=s).update(active=False)
        Link.objects.filter(active=True, predecessor=s).update(active=False)
        _event(s.project, "projects.step.removed", actor, step=s, before=Step.Status.TODO, after=s.status,
               note=reason)
        project_reschedule(s.project)
    return s


def link_set(*, actor, step: Step, predecessor: Step, lag: int = 0) -> Link:
    """Make ``step`` wait for ``predecessor`` (plus ``lag`` working days); refused if it closes a loop."""
    with transaction.atomic():
        s = _locked_step(step)
        TABLE.begin(actor, "link", s)
        if lag is None:
            raise ValidationError({"lag": _("The lag is a whole number of working days, 0 or more.")})
        lag = inputs.integer(lag, "lag", min_value=0, max_value=2000)
        pred = Step.objects.filter(pk=predecessor.pk, project_id=s.project_id).first()
        if pred is None or pred.status == Step.Status.REMOVED or s.status == Step.Status.REMOVED:
            raise ValidationError({"predecessor": _("Choose a step of this task list.")})
        if pred.pk == s.pk:
            raise ValidationError({"predecessor": _("A step cannot wait for itself.")})
        existing = Link.objects.filter(step=s, predecessor=pred).first()
        if not (existing and existing.active):
            _graph_check(s.project, (s.pk, pred.pk))
        if existing:
            existing.lag, existing.active = int(lag), True
            existing.save(update_fields=["lag", "active"])
            link = existing
        else:
            link = Link.objects.create(step=s, predecessor=pred, lag=int(lag))
        _event(s.project, "projects.link.set", actor, step=s, note=f"{pred.code} → {s.code} (+{int(lag)})")
        project_reschedule(s.project)
    return link


def link_remove(*, actor, step: Step, predecessor: Step) -> None:
    with transaction.atomic():
        s = _locked_step(step)
        TABLE.begin(actor, "unlink", s)
        if not Link.objects.filter(step=s, predecessor_id=predecessor.pk, active=True).update(active=False):
            raise ValidationError({"predecessor": _("The step does not wait for that one.")})
        _event(s.project, "projects.link.removed", actor, step=s, note=f"{predecessor.code} → {s.code}")
        project_reschedule(s.project)


# --- the schedule -------------------------------------------------------------------------------

STEP_SCHEDULE_FIELDS = ["early_start", "early_finish", "late_start", "late_finish", "slack", "critical", "light"]


def _plan_steps(steps: list[Step], links) -> list[scheduling.Step]:
    codes = {s.pk: s.code for s in steps}
    after = {s.pk: [] for s in steps}
    for step_id, pred_id, lag in links:
        if step_id in after and pred_id in codes:
            after[step_id].append(scheduling.Dependency(codes[pred_id], lag))
    return [scheduling.Step(s.code, s.committed_days, after[s.pk], s.actual_start, s.actual_finish) for s in steps]


def project_reschedule(project: Project, *, today: date | None = None, cal=None, steps=None, links=None) -> Project:
    """Compute the task list's schedule (committed limits, actual dates kept), each step's light, the
    project's light and next milestone, and the working days saved against the statutory limits; store
    them. ``steps`` and ``links`` may be given (the sweep reads them for many projects at once)."""
    today = today or timezone.localdate()
    cal = cal or workdays.get_calendar()
    p = project
    if steps is None:
        steps = list(Step.objects.filter(project=p).exclude(status=Step.Status.REMOVED).order_by("order", "id"))
        links = list(Link.objects.filter(step__project=p, active=True).values_list("step_id", "predecessor_id",
                                                                                     "lag"))
    try:
        fields = _schedule_fields(p, steps, links, today, cal)
    except workdays.CalendarError:
        raise ValidationError(_("The schedule runs beyond the working calendar (%(first)s to %(last)s): check "
                                "the dates, the limits and the lags.") % {"first": cal.first_day.isoformat(),
                                                                          "last": cal.last_day.isoformat()}) from None
    if any(getattr(p, k) != v for k, v in fields.items() if k != "scheduled_on") or p.scheduled_on != today:
        Project.objects.filter(pk=p.pk).update(**fields)
    for k, v in fields.items():
        setattr(p, k, v)
    return p


def schedule_of(p: Project, steps: list[Step], links, cal) -> tuple[list[scheduling.Step], date,
                                                                    scheduling.Schedule]:
    """The task list scheduled from the project's start back from its target (without a target, from its own
    finish): the plan, the target used and the schedule. Raises ``workdays.CalendarError`` past the calendar."""
    plan = _plan_steps(steps, links)
    start = p.starts_on or p.stage_since
    target = p.target or scheduling.schedule(plan, start, start, cal).finish
    return plan, target, scheduling.schedule(plan, start, target, cal)


def _schedule_fields(p: Project, steps: list[Step], links, today: date, cal) -> dict:
    """Schedule the task list and store each step's schedule (what moved); the project's fields to store."""
    start = p.starts_on or p.stage_since
    fields = {"scheduled_on": today}
    if steps:
        plan, _target, result = schedule_of(p, steps, links, cal)
        lights, changed = [], []
        for s in steps:
            t = result.steps[s.code]
            before = tuple(getattr(s, f) for f in STEP_SCHEDULE_FIELDS)
            s.early_start, s.early_finish, s.late_start, s.late_finish = (t.early_start, t.early_finish,
                                                                          t.late_start, t.late_finish)
            s.slack, s.critical = t.slack, t.critical
            s.light = scheduling.step_light(t, done=s.status == Step.Status.DONE, today=today, cal=cal)
            if s.status != Step.Status.DONE:
                lights.append(s.light)
            if tuple(getattr(s, f) for f in STEP_SCHEDULE_FIELDS) != before:
                changed.append(s)
        if changed:  # the daily sweep mostly finds nothing moved but a light or two
            _store_schedules(changed)
        open_steps = sorted((s for s in steps if s.status != Step.Status.DONE),
                            key=lambda s: (s.early_finish, s.order))
        # A paused or dropped project is not late: nothing is being asked of anyone (its steps keep their lights).
        idle = p.stage in (Stage.PAUSED, Stage.DROPPED)
        fields.update(light=scheduling.GREEN if idle else scheduling.worst(lights), finish=result.finish,
                      shortfall=result.shortfall,
                      slack=min((s.slack for s in open_steps), default=None))
        fields["next_name"], fields["next_on"] = (open_steps[0].name, open_steps[0].early_finish) if open_steps \
            else _next_stage_milestone(p)
        # The approvals' own time: limits along the longest chain, not the lags between them (construction
        # waits 240 working days between the permit and completion acceptance).
        def approvals(days_of):
            return [scheduling.Step(x.id, days_of(s), [scheduling.Dependency(d.step, 0) for d in x.after])
                    for x, s in zip(plan, steps)]
        fields.update(statutory_span=scheduling.span(approvals(lambda s: s.statutory_days), start, cal),
                      committed_span=scheduling.span(approvals(lambda s: s.committed_days), start, cal))
    else:
        fields.update(light=_milestone_light(p, today, cal), finish=None, shortfall=0, slack=None,
                      statutory_span=None, committed_span=None)
        fields["next_name"], fields["next_on"] = _next_stage_milestone(p)
    return fields


def _store_schedules(steps: list[Step]) -> None:
    """Write the steps' schedule fields. On PostgreSQL one ``UPDATE … FROM (VALUES …)``: the ORM's
    ``bulk_update`` spends ~1 ms of Python per step building its CASE expressions, which is most of a
    first reschedule of a thousand projects."""
    if connection.vendor != "postgresql":
        Step.objects.bulk_update(steps, STEP_SCHEDULE_FIELDS)
        return
    qn = connection.ops.quote_name
    cols = ", ".join(qn(f) for f in STEP_SCHEDULE_FIELDS)
    sets = ", ".join(f"{qn(f)} = v.{qn(f)}" for f in STEP_SCHEDULE_FIELDS)
    row = "(%s, %s::date, %s::date, %s::date, %s::date, %s::integer, %s::boolean, %s)"
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {qn(Step._meta.db_table)} AS s SET {sets} "
                       f"FROM (VALUES {', '.join([row] * len(steps))}) AS v(id, {cols}) WHERE s.id = v.id",
                       [x for st in steps for x in (st.pk, *(getattr(st, f) for f in STEP_SCHEDULE_FIELDS))])


def _next_stage_milestone(p: Project) -> tuple[str, date | None]:
    if p.stage not in PIPELINE:  # paused or dropped: nothing is due
        return "", None
    idx = PIPELINE.index(p.stage)
    for stage, target in ((Stage.SIGNED, p.target_signing), (Stage.STARTED, p.target_start),
                          (Stage.PRODUCTION, p.target_production)):
        if target and idx < PIPELINE.index(stage):
            return str(stage.label).split(" (")[-1].rstrip(")"), target
    return "", None


def _milestone_light(p: Project, today: date, cal) -> str:
    """Without a task list: red once the next target date has passed, yellow within two working days."""
    if p.stage in (Stage.PAUSED, Stage.DROPPED, Stage.PRODUCTION):
        return scheduling.GREEN
    _name, due = _next_stage_milestone(p)
    if due is None:
        return scheduling.GREEN
    if due < today:
        return scheduling.RED
    return scheduling.YELLOW if cal.workdays_between(today, due, provisional=True) <= scheduling.WARN_WORKDAYS \
        else scheduling.GREEN


def projects_sweep(*, today: date | None = None) -> dict:
    """Daily: the lights move with the date. Recomputes every project that is not dropped, 500 at a time:
    the chunk's projects are locked before their steps and links are read in bulk, so a step finished
    meanwhile waits for the chunk (or the chunk for it) and no stale schedule is written. Idempotent."""
    today = today or timezone.localdate()
    cal = workdays.get_calendar()
    ids = list(Project.objects.exclude(stage=Stage.DROPPED).order_by("pk").values_list("pk", flat=True))
    count, beyond = 0, 0
    for i in range(0, len(ids), 500):
        with transaction.atomic():
            chunk = list(Project.objects.select_for_update().filter(pk__in=ids[i:i + 500]).order_by("pk"))
            steps, links = {}, {}
            for s in Step.objects.filter(project__in=chunk).exclude(status=Step.Status.REMOVED).order_by("order",
                                                                                                      "id"):
                steps.setdefault(s.project_id, []).append(s)
            for pid, sid, pred, lag in Link.objects.filter(step__project__in=chunk, active=True).values_list(
                    "step__project_id", "step_id", "predecessor_id", "lag"):
                links.setdefault(pid, []).append((sid, pred, lag))
            for p in chunk:
                try:
                    with transaction.atomic():
                        project_reschedule(p, today=today, cal=cal, steps=steps.get(p.pk, []), links=links.get(p.pk, []))
                    count += 1
                except ValidationError:  # dates beyond the calendar: the project keeps what it had
                    beyond += 1
    return {"rescheduled": count, "beyond the calendar": beyond} if beyond else {"rescheduled": count}




# --- default approval templates -----------------------------------------------------------------

def templates_ensure_defaults() -> int:
    """Create the two shipped templates where missing; the departments they name that the zone lacks are
    created by the directory, under their usual names. Idempotent; returns how many templates were created."""
    from yingshang.directory import services as directory_services

    from .defaults import DEFAULT_DEPARTMENTS, DEFAULT_TEMPLATES
    from .models import TemplateLink, TemplateStep

    made = 0
    with transaction.atomic():
        depts = directory_services.departments_ensure(actor=None, departments=DEFAULT_DEPARTMENTS)
        for name, kind, default, description, rows in DEFAULT_TEMPLATES:
            t, created = Template.objects.get_or_create(name=name, defaults={"kind": kind, "is_default": default,
                                                                             "description": description})
            if not created:
                continue
            made += 1
            steps = {}
            for i, (code, sname, phase, dept, statutory, committed, _after) in enumerate(rows):
                steps[code] = TemplateStep.objects.create(template=t, code=code, name=sname, phase=phase,
                                                          department=depts[dept], statutory_days=statutory,
                                                          committed_days=committed, order=(i + 1) * 10)
            TemplateLink.objects.bulk_create([
                TemplateLink(step=steps[code], predecessor=steps[a if isinstance(a, str) else a[0]],
                             lag=0 if isinstance(a, str) else a[1])
                for code, *_rest, after in rows for a in after])
    return made


def default_template(kind: str) -> Template | None:
    qs = Template.objects.filter(active=True)
    return qs.filter(kind=kind).order_by("-is_default", "name").first() or \
        qs.filter(kind="", is_default=True).first() or qs.filter(kind="").first()


# --- the catalogue's applications for approval steps ---------------------------------------------

def on_application(application, event_name: str) -> None:
    """An application made for a step (``Application.ref`` = ``projects.step:<id>``): applying starts the
    step, approval finishes it with the licence number. An application of another firm or item, or for a
    step that is no longer to do or doing, changes nothing — and what happens to the step never undoes the
    catalogue's decision (it runs in a savepoint; a step that cannot move is left as it is)."""
    try:
        step_id = int(application.ref.split(":", 1)[1])
    except (IndexError, ValueError):
        return
    s = Step.objects.select_related("project").filter(pk=step_id).first()
    if s is None or s.project.investor_id != application.enterprise_id or s.item_code != application.item.code:
        return
    try:
        with transaction.atomic():
            if event_name == "applications.application.submitted" and s.status == Step.Status.TODO:
                step_start(actor=None, step=s, on=timezone.localdate(application.created_at),
                           note=_("Applied for: %(number)s") % {"number": application.number})
            elif event_name == "applications.application.approved" and s.status in (Step.Status.TODO,
                                                                                     Step.Status.DOING):
                step_finish(actor=None, step=s, on=timezone.localdate(application.decided_at),
                            note=_("%(number)s approved, licence %(licence)s")
                            % {"number": application.number, "licence": application.licence_number})
                Step.objects.filter(pk=s.pk).update(licence_number=application.licence_number)
    except (ValidationError, IllegalTransition, PermissionDenied):
        import logging

        logging.getLogger("yingshang.projects").warning("step %s did not follow %s", s.pk, application.number)
