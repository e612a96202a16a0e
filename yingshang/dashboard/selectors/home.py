"""Reads for the home pages."""

from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from yingshang.core import workdays
from yingshang.directory.models import Department, Enterprise, StaffProfile


def zone_overview() -> dict:
    agg = Enterprise.objects.aggregate(
        total=Count("id"),
        operating=Count("id", filter=Q(status=Enterprise.Status.OPERATING)),
        key=Count("id", filter=Q(is_key=True)),
        returned=Count("id", filter=Q(is_returned=True)),
        grouped=Count("id", filter=Q(group__isnull=False)),
    )
    agg["bureaus"] = Department.objects.filter(kind=Department.Kind.BUREAU, active=True).count()
    agg["departments"] = Department.objects.filter(kind=Department.Kind.DEPARTMENT, active=True).count()
    agg["staff"] = StaffProfile.objects.filter(user__is_active=True).count()
    return agg


def enterprises_by_bureau() -> list[dict]:
    rows = (Department.objects.filter(kind=Department.Kind.BUREAU, active=True)
            .annotate(n=Count("served_enterprises")).order_by("sort_order", "name"))
    return [{"name": d.name, "value": d.n, "id": d.pk} for d in rows]


def working_calendar_card() -> dict:
    """Today in the working calendar, and where common limits land (shown on every staff home)."""
    today = timezone.localdate()
    cal = workdays.get_calendar()
    try:
        card = {
            "today": today,
            "is_workday": cal.is_workday(today, provisional=True),
            "holiday_name": cal.holiday_name(today),
            "plus": [(n, cal.add_workdays(today, n, provisional=True)) for n in (1, 5, 10, 20)],
            "provisional": cal.is_provisional(today, cal.add_workdays(today, 20, provisional=True)),
        }
    except workdays.CalendarError:
        return {"today": today, "error": True}
    upcoming = [(d, cal.holiday_name(d)) for d in (today + timedelta(days=i) for i in range(1, 61))
                if cal.holiday_name(d) and d.year in cal.covered_years]
    card["upcoming"] = upcoming[:6]
    return card


def problem_counts(user) -> dict:
    """The ledger at a glance for the home page (scoped to what the user sees)."""
    from yingshang.tickets import selectors as tickets
    from yingshang.tickets.models import OPEN, Ticket

    now = timezone.now()
    qs = tickets.tickets_visible_to(user)
    return qs.aggregate(
        waiting=Count("id", filter=Q(status=Ticket.Status.REGISTERED)),
        open=Count("id", filter=Q(status__in=OPEN)),
        overdue=Count("id", filter=Q(status__in=[Ticket.Status.DISPATCHED, Ticket.Status.IN_PROGRESS], next_due__lt=now)),
        to_confirm=Count("id", filter=Q(status=Ticket.Status.RESOLVED)),
    )


def todo(user) -> list[dict]:
    """What waits for this person, from every capability they work in (the top of their home)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from yingshang.core import roles
    from yingshang.tickets import selectors as tickets

    items = tickets.todo(user)
    if roles.has_role(user, roles.INSPECTOR):
        from yingshang.inspections import selectors as inspections
        from yingshang.inspections.models import Visit

        open_visits = inspections.assignments(user).filter(status__in=[Visit.Status.ASSIGNED, Visit.Status.INSPECTING])
        items.append({"key": "visits", "label": _("Inspections to carry out"), "count": open_visits.count(),
                      "url": reverse("inspections:mine"), "rows": [], "visits": list(open_visits[:5])})
    return items
