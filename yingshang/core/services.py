"""Writes of the core app: the working calendar."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from . import audit, hooks, workdays
from .models import CalendarDay, CalendarYear
from .tabular import ImportReport, RowError, parse_date, read_table

# Names of the public holidays as the State Council notice writes them.
HOLIDAY_NAMES_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}

KIND_ALIASES = {
    "holiday": CalendarDay.Kind.HOLIDAY, "休": CalendarDay.Kind.HOLIDAY, "假": CalendarDay.Kind.HOLIDAY,
    "节假日": CalendarDay.Kind.HOLIDAY, "放假": CalendarDay.Kind.HOLIDAY,
    "workday": CalendarDay.Kind.WORKDAY, "班": CalendarDay.Kind.WORKDAY, "调休": CalendarDay.Kind.WORKDAY,
    "调休上班": CalendarDay.Kind.WORKDAY, "上班": CalendarDay.Kind.WORKDAY,
}
COLUMN_ALIASES = {
    "date": ("date", "日期"),
    "kind": ("kind", "类型", "类别"),
    "name": ("name", "名称", "节日"),
}


def _refresh_calendar(years: list[int] | None = None):
    workdays.invalidate()
    transaction.on_commit(workdays.invalidate)
    if years:
        transaction.on_commit(lambda: hooks.calendar_changed(sorted(years)))


def package_calendar() -> tuple[str, dict[int, list[tuple[date, str, str]]]]:
    """The official days the ``chinesecalendar`` package knows, by year: (source, {year: [(day, kind, name)]})."""
    import chinese_calendar
    from chinese_calendar import constants

    by_year: dict[int, list[tuple[date, str, str]]] = {}
    for day, name in constants.holidays.items():
        by_year.setdefault(day.year, []).append((day, CalendarDay.Kind.HOLIDAY, HOLIDAY_NAMES_ZH.get(name, name)))
    for day, name in constants.workdays.items():
        zh = HOLIDAY_NAMES_ZH.get(name, name)
        by_year.setdefault(day.year, []).append((day, CalendarDay.Kind.WORKDAY, f"{zh}调休" if zh else "调休"))
    return f"chinesecalendar {chinese_calendar.__version__}", by_year


@transaction.atomic
def calendar_seed_from_package(*, actor=None, overwrite: bool = False) -> list[int]:
    """Load every year the ``chinesecalendar`` package knows. Years already present are kept
    (an admin may have corrected them) unless ``overwrite``. Returns the years written."""
    source, by_year = package_calendar()
    present = set(CalendarYear.objects.values_list("year", flat=True))
    written = []
    for year in sorted(by_year):
        if year in present and not overwrite:
            continue
        _replace_year(year, [CalendarDay(date=d, kind=k, name=n) for d, k, n in by_year[year]], source)
        written.append(year)
    if written:
        audit.record(actor=actor, action="core.calendar.seeded", object_type="core.calendaryear",
                     object_repr=f"{written[0]}–{written[-1]}", data={"years": written, "source": source})
        _refresh_calendar(written)
    return written


def _replace_year(year: int, days: list[CalendarDay], source: str) -> dict:
    old = list(CalendarDay.objects.filter(date__year=year).values_list("date", "kind", "name"))
    CalendarDay.objects.filter(date__year=year).delete()
    CalendarDay.objects.bulk_create(days)
    CalendarYear.objects.update_or_create(year=year, defaults={"source": source})
    return {"year": year, "replaced": [[d.isoformat(), k, n] for d, k, n in old]}


def _column(row: dict[str, str], key: str) -> str:
    for alias in COLUMN_ALIASES[key]:
        for header, value in row.items():
            if header.strip().lower() == alias:
                return value
    return ""


def calendar_import(*, actor, data: bytes, filename: str, request=None) -> ImportReport:
    """Import a year's official notice from CSV or XLSX (columns date, kind, name).

    The whole file is validated first; on any bad row nothing is written and every error is
    reported by row. Each year present in the file is replaced as a whole and becomes covered.
    """
    report = ImportReport()
    header, rows = read_table(data, filename)
    lowered = {h.strip().lower() for h in header}
    for key in ("date", "kind"):
        if not lowered & set(COLUMN_ALIASES[key]):
            report.errors.append(RowError(1, key, _("Missing column “%(column)s”.") % {"column": key}))
    if report.errors:
        return report
    seen: dict[date, int] = {}
    by_year: dict[int, list[CalendarDay]] = {}
    for number, row in rows:
        try:
            day = parse_date(_column(row, "date"))
        except ValueError as exc:
            report.errors.append(RowError(number, "date", str(exc)))
            continue
        kind_text = _column(row, "kind").strip().lower()
        kind = KIND_ALIASES.get(kind_text)
        if kind is None:
            report.errors.append(RowError(number, "kind", _(
                "“%(value)s” is not a kind: use holiday (or 休) or workday (or 班).") % {"value": kind_text}))
            continue
        if day in seen:
            report.errors.append(RowError(number, "date", _(
                "%(date)s already appears in row %(row)s.") % {"date": day.isoformat(), "row": seen[day]}))
            continue
        if kind == CalendarDay.Kind.WORKDAY and day.weekday() < 5:
            report.errors.append(RowError(number, "kind", _(
                "%(date)s is a weekday: a make-up working day falls on a weekend.") % {"date": day.isoformat()}))
            continue
        seen[day] = number
        by_year.setdefault(day.year, []).append(CalendarDay(date=day, kind=kind, name=_column(row, "name")[:60]))
    if not rows:
        report.errors.append(RowError(2, "", _("The file has no data rows.")))
    if report.errors:
        return report
    with transaction.atomic():
        replaced = []
        for year, days in sorted(by_year.items()):
            replaced.append(_replace_year(year, days, filename[:200]))
            report.created += len(days)
        audit.record(actor=actor, action="core.calendar.imported", request=request,
                     object_type="core.calendaryear", object_repr=filename[:200],
                     data={"years": sorted(by_year), "days": report.created, "previous": replaced})
        _refresh_calendar(list(by_year))
    return report


def calendar_changed(years: list[int] | None = None) -> None:
    """Tell the platform that an admin edited the calendar tables of ``years``."""
    _refresh_calendar(years)


def notifications_mark_read(*, actor, ids: list[int] | None = None) -> int:
    """Mark ``actor``'s notifications ``ids`` read (all of them when ``ids`` is None); returns how many."""
    from django.utils import timezone

    from .models import Notification

    unread = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())


def notification_preferences_set(*, actor, choices: dict[str, dict]) -> list:
    """``actor`` chooses, per kind, when to be told (at once, in the daily digest, only in the list) and on which
    channels besides the bell: ``{"work": {"mode": "instant", "channels": ["email"]}, …}``."""
    from django.core.exceptions import ValidationError

    from . import channels
    from .models import Notification, NotificationPreference

    kinds = {k for k, _l in Notification.Kind.choices} - {Notification.Kind.DIGEST}
    saved = []
    with transaction.atomic():
        for kind, choice in choices.items():
            if kind not in kinds:
                raise ValidationError({kind: _("Unknown kind of notification.")})
            mode = choice.get("mode")
            if mode not in NotificationPreference.Mode.values:
                raise ValidationError({kind: _("Choose when to be told.")})
            chosen = list(dict.fromkeys(choice.get("channels") or []))
            unknown = [c for c in chosen if c not in channels.available()]
            if unknown:
                raise ValidationError({kind: _("Unknown channel: %(c)s.") % {"c": ", ".join(unknown)}})
            p, _created = NotificationPreference.objects.update_or_create(
                user=actor, kind=kind, defaults={"mode": mode, "channels": chosen})
            saved.append(p)
        audit.record(actor=actor, action="core.notifications.preferences_set", obj=actor,
                     data={k: v for k, v in choices.items()})
        from . import notifications

        transaction.on_commit(lambda: notifications.forget_preferences(actor.pk))
        notifications.forget_preferences(actor.pk)
    return saved



SAVED_VIEW_SCOPES = {"tickets.ledger"}
MAX_SAVED_VIEWS = 20


def saved_view_save(*, actor, scope: str, name: str, query: str):
    """Keep the filters of a list under a name (a view of the same name is replaced)."""
    from django.core.exceptions import ValidationError
    from django.http import QueryDict

    from . import inputs
    from .models import SavedView

    if scope not in SAVED_VIEW_SCOPES:
        raise ValidationError({"scope": _("Unknown list.")})
    name = inputs.text(name, "name", max_length=60, multiline=False)
    params = QueryDict(query or "", mutable=True)
    for key in ("page", "export", "csrfmiddlewaretoken"):
        params.pop(key, None)
    query = params.urlencode()
    if len(query) > 1000:
        raise ValidationError({"query": _("These filters are too long to keep.")})
    with transaction.atomic():
        SavedView.objects.filter(user=actor, scope=scope, name=name, active=True).update(active=False)
        if SavedView.objects.filter(user=actor, scope=scope, active=True).count() >= MAX_SAVED_VIEWS:
            raise ValidationError({"name": _("At most %(n)d views per list: remove one first.") % {"n": MAX_SAVED_VIEWS}})
        return SavedView.objects.create(user=actor, scope=scope, name=name, query=query)


def saved_view_remove(*, actor, view) -> None:
    from django.core.exceptions import PermissionDenied

    from .models import SavedView

    if view.user_id != actor.pk:
        raise PermissionDenied(_("You are not allowed to do this."))
    SavedView.objects.filter(pk=view.pk).update(active=False)



def user_language_set(*, actor, language: str) -> None:
    """The interface language ``actor`` chose, kept on their account (every computer they sign in on)."""
    from django.conf import settings
    from django.core.exceptions import ValidationError

    from .models import User

    if language not in {c for c, _n in settings.LANGUAGES}:
        raise ValidationError({"language": _("Unknown language.")})
    User.objects.filter(pk=actor.pk).update(language=language)
    actor.language = language
