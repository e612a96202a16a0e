"""Every write of the cockpit: the roll-up of the figures, the reports it writes (on demand and on schedule)
and the subscriptions to them."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yingshang.core import events, inputs, locks, numbering
from yingshang.core.permissions import require

from . import figures as F_
from . import actions  # noqa: F401  (the action table registers the rules)
from .figures import Dims
from .models import DayCell, Report, RollupState, Subscription
from .periods import Period

# The sweep brings back the days a change may still touch: a record counts on the day of its event, and the
# rates whose records move later (a hazard rectified, a claim taken up) settle within this many days; the
# full rebuild (``yingshang cockpit refresh --full``, nightly) settles the rest.
WINDOW_DAYS = 62


def rollup_refresh(*, since: date | None = None, full: bool = False, now=None, note_unchanged: bool = True) -> dict:
    """Bring the roll-up's day cells up to date from the records: every day when ``full``, otherwise the
    days from ``since`` (default: the last ``WINDOW_DAYS`` days) to today. Only the cells that differ are
    written (changed, new, gone), in one transaction, so a reader sees the old cells or the new ones, never
    half. ``note_unchanged=False`` leaves the state as it was when nothing changed (the demo, loaded twice)."""
    from .selectors.cockpit import _dec, breakdown_cells, cells_from_records

    now = now or timezone.now()
    today = timezone.localdate(now)
    if not full and since is None:
        since = today - timedelta(days=WINDOW_DAYS)
    changed = 0
    with locks.exclusive("dashboard.rollup") as mine:  # two servers' sweeps would write the same new cells
        if not mine:
            return {"skipped": "another server is bringing it up to date"}
        sources = {fig.key: ({"u": "", **c} for c in cells_from_records(fig, None if full else since, None)
                             .iterator(chunk_size=5000)) for fig in F_.flows()}
        sources.update(breakdown_cells(None if full else since))
        for key, cells in sources.items():
            fresh, zone = {}, {}
            for c in cells:
                if c["d"] is not None:
                    v = (c["n"], c.get("num") or 0, _dec(c.get("amount")))
                    fresh[(c["d"], c["g"] or 0, c["b"] or 0, c["u"])] = v
                    z = (c["d"], DayCell.ZONE, DayCell.ZONE, c["u"])
                    n, num, a = zone.get(z, (0, 0, _dec(0)))
                    zone[z] = (n + v[0], num + v[1], a + v[2])
            fresh.update(zone)
            old = DayCell.objects.filter(key=key)
            if not full:
                old = old.filter(day__gte=since)
            have = {(d, g, b, u): (pk, (n, num, a)) for pk, d, g, b, u, n, num, a in
                    old.values_list("pk", "day", "group_id", "bureau_id", "unit", "n", "num", "amount")}
            gone = [pk for k, (pk, _v) in have.items() if k not in fresh]
            new, updated = [], []
            for k, v in fresh.items():
                if k not in have:
                    new.append(DayCell(key=key, day=k[0], group_id=k[1], bureau_id=k[2], unit=k[3], n=v[0], num=v[1],
                                       amount=v[2]))
                elif have[k][1] != v:
                    updated.append(DayCell(pk=have[k][0], n=v[0], num=v[1], amount=v[2]))
            DayCell.objects.filter(pk__in=gone).delete()
            DayCell.objects.bulk_create(new, batch_size=2000)
            DayCell.objects.bulk_update(updated, ["n", "num", "amount"], batch_size=2000)
            changed += len(gone) + len(new) + len(updated)
        state = RollupState.objects.select_for_update().order_by("pk").first()
        if state is None or changed or note_unchanged:
            state = state or RollupState(refreshed_at=now)
            state.refreshed_at = now
            state.window_from = None if full else since
            if full:
                state.full_at = now
            state.cells = DayCell.objects.count()
            state.save()
    return {"cells written": changed, "from": "all days" if full else since.isoformat()}


# --- reports ------------------------------------------------------------------------------------------

def _check_period(start, end) -> Period:
    start = inputs.day(start, "start") if not isinstance(start, date) else start
    end = inputs.day(end, "end") if not isinstance(end, date) else end
    if end < start:
        raise ValidationError({"end": _("The end comes before the start.")})
    if (end - start).days > 3 * 366:
        raise ValidationError({"end": _("A report covers at most three years.")})
    return Period(start, end)


def _checked(kind, start, end, group_id, bureau_id):
    from yingshang.directory.models import Department, EnterpriseGroup

    if kind not in Report.Kind.values:
        raise ValidationError({"kind": _("Choose a monthly report, a weekly brief or a report for a period.")})
    period = _check_period(start, end)
    group = EnterpriseGroup.objects.filter(pk=group_id).first() if group_id else None
    bureau = Department.objects.filter(pk=bureau_id, kind=Department.Kind.BUREAU).first() if bureau_id else None
    if group_id and group is None:
        raise ValidationError({"group": _("No such enterprise group.")})
    if bureau_id and bureau is None:
        raise ValidationError({"bureau": _("No such service bureau.")})
    return period, group, bureau


def _number(period: Period) -> str:
    return f"BG-{period.end.year}-{numbering.next_value(f'dashboard.report.{period.end.year}'):05d}"


def _compose(report: Report) -> tuple[dict, dict]:
    """What the report says and its three files (outside any transaction: it reads every figure)."""
    from . import reports

    content = reports.compose(kind=report.kind, period=Period(report.start, report.end),
                              dims=Dims(group=report.group_id, bureau=report.bureau_id), group=report.group,
                              bureau=report.bureau)
    return content, reports.render(content)


def _keep(report: Report, content: dict, files: dict, *, actor) -> None:
    """Keep the text, the figures and the files with the report, ready, and record it written."""
    report.title, report.summary, report.figures = content["title"], content["summary"], content["figures_json"]
    report.state = Report.State.READY
    for fmt in ("docx", "xlsx", "pdf"):
        getattr(report, fmt).save(f"{report.number}.{fmt}", ContentFile(files[fmt]), save=False)
    report.save()
    events.record("dashboard.report.written", report, actor=actor, report=report, to=report.kind,
                  data={"start": report.start.isoformat(), "end": report.end.isoformat()})


def report_write(*, actor, kind: str = Report.Kind.CUSTOM, start, end, group_id: int | None = None,
                 bureau_id: int | None = None, scheduled: bool = False) -> Report:
    """Write a report for the period now (the console, the schedule): the figures as they are now (kept with
    it), the summary in sentences, and its DOCX, XLSX and PDF. ``actor=None`` is the platform writing on
    schedule. The page asks for one with ``report_request`` instead."""
    require(actor, "dashboard.write_report")
    period, group, bureau = _checked(kind, start, end, group_id, bureau_id)
    report = Report(kind=kind, start=period.start, end=period.end, group=group, bureau=bureau, scheduled=scheduled,
                    created_by=actor)
    content, files = _compose(report)
    with transaction.atomic():
        report.number = _number(period)
        _keep(report, content, files, actor=actor)
        if scheduled:
            transaction.on_commit(lambda: _tell_subscribers(report))
    return report


def report_request(*, actor, kind: str = Report.Kind.CUSTOM, start, end, group_id: int | None = None,
                   bureau_id: int | None = None) -> Report:
    """Ask for a report to be written in the background: the report now — numbered, titled, "being written" —
    and a job that writes its figures and files and tells the person who asked (in their language)."""
    from django.utils.translation import get_language

    from yingshang.core import jobs

    from . import reports

    require(actor, "dashboard.write_report")
    period, group, bureau = _checked(kind, start, end, group_id, bureau_id)
    with transaction.atomic():
        report = Report.objects.create(
            number=_number(period), kind=kind, title=reports.report_title(kind, period, group, bureau), start=period.start,
            end=period.end, group=group, bureau=bureau, summary="", state=Report.State.WRITING, created_by=actor)
        report.job = jobs.enqueue(REPORT_JOB, {"report": report.pk, "language": get_language() or ""},
                                  key=f"report:{report.pk}")
        report.save(update_fields=["job"])
        events.record("dashboard.report.requested", report, actor=actor, report=report, to=Report.State.WRITING,
                      data={"start": period.start.isoformat(), "end": period.end.isoformat()})
    return report


REPORT_JOB = "dashboard.report"


def report_job(payload: dict) -> dict:
    """The job: write a report asked for on the page (a report already written is left as it is: the job may
    run twice) and tell whoever asked."""
    from django.urls import reverse
    from django.utils import translation

    from yingshang.core import notifications

    with translation.override(payload.get("language") or None):
        report = Report.objects.select_related("group", "bureau").filter(pk=payload["report"]).first()
        if report is None or report.state != Report.State.WRITING:
            return {"report": payload["report"], "written before": True}
        content, files = _compose(report)
        with transaction.atomic():
            report = Report.objects.select_for_update(of=("self",)).select_related("group", "bureau") \
                .get(pk=report.pk)
            if report.state != Report.State.WRITING:
                return {"report": report.number, "written before": True}
            _keep(report, content, files, actor=None)
            if report.created_by_id:
                notifications.send(recipients=[report.created_by_id],
                                   title=_("%(title)s is written.") % {"title": report.title},
                                   link=reverse("dashboard:reports"), event="dashboard.report.written",
                                   group_key=f"dashboard.report:{report.pk}")
    return {"report": report.number}


def _tell_subscribers(report: Report) -> int:
    from django.urls import reverse

    from yingshang.core import notifications

    users = list(Subscription.objects.filter(kind=report.kind, active=True, user__is_active=True)
                 .values_list("user_id", flat=True))
    return notifications.send(recipients=users, title=report.title,
                              link=reverse("dashboard:report_file", args=[report.pk, "docx"]),
                              event="dashboard.report.written", group_key=f"dashboard.report:{report.pk}")


def scheduled_periods(today: date) -> list[tuple[str, Period]]:
    """What the schedule writes on ``today``: last month's report on the first days of a month, last week's
    brief (Monday to Sunday) from Monday on; each once (the sweep may run many times a day)."""
    out = []
    first = today.replace(day=1)
    last_month_end = first - timedelta(days=1)
    out.append((Report.Kind.MONTHLY, Period(last_month_end.replace(day=1), last_month_end)))
    monday = today - timedelta(days=today.weekday())
    out.append((Report.Kind.WEEKLY, Period(monday - timedelta(days=7), monday - timedelta(days=1))))
    return out


def reports_on_schedule(*, today: date | None = None) -> list[Report]:
    """Write the monthly report and the weekly brief that are due and not yet written (idempotent: the
    database keeps one scheduled report per kind and period)."""
    today = today or timezone.localdate()
    written = []
    for kind, period in scheduled_periods(today):
        if Report.objects.filter(kind=kind, start=period.start, end=period.end, scheduled=True).exists():
            continue
        try:
            written.append(report_write(actor=None, kind=kind, start=period.start, end=period.end, scheduled=True))
        except IntegrityError:
            continue  # written by another server's sweep at the same moment
    return written


# --- subscriptions ------------------------------------------------------------------------------------

def subscription_start(*, actor, kind: str) -> Subscription:
    require(actor, "dashboard.subscribe")
    if kind not in (Report.Kind.MONTHLY, Report.Kind.WEEKLY):
        raise ValidationError({"kind": _("Choose the monthly report or the weekly brief.")})
    with transaction.atomic():
        sub, created = Subscription.objects.select_for_update().get_or_create(user=actor, kind=kind)
        if not created and sub.active:
            return sub
        if not created:
            sub.active = True
            sub.save(update_fields=["active"])
        events.record("dashboard.subscription.started", sub, actor=actor, subscription=sub, to="active")
    return sub


def subscription_end(*, actor, subscription: Subscription) -> Subscription:
    with transaction.atomic():
        sub = Subscription.objects.select_for_update().get(pk=subscription.pk)
        require(actor, "dashboard.unsubscribe", sub)
        if not sub.active:
            return sub
        sub.active = False
        sub.save(update_fields=["active"])
        events.record("dashboard.subscription.ended", sub, actor=actor, subscription=sub, frm="active",
                      to="ended")
    return sub


def cockpit_sweep() -> dict:
    """The sweep's part: the roll-up brought up to date, the reports due written."""
    out = rollup_refresh()
    out["reports written"] = len(reports_on_schedule())
    return out
