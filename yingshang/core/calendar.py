"""The database side of the working calendar: builds :class:`workdays.WorkCalendar` from the tables."""

from django.conf import settings
from django.db.models import Count, Max

from . import workdays


def load_calendar() -> workdays.WorkCalendar:
    from .models import CalendarDay, CalendarYear

    years = list(CalendarYear.objects.values_list("year", flat=True))
    days = [
        workdays.SpecialDay(d, kind, name)
        for d, kind, name in CalendarDay.objects.values_list("date", "kind", "name")
    ]
    return workdays.WorkCalendar(days, years, office_close=settings.OFFICE_CLOSE)


def calendar_stamp():
    """Cheap fingerprint of the tables: changes whenever a day or a year is added, edited or removed."""
    from .models import CalendarDay, CalendarYear

    d = CalendarDay.objects.aggregate(n=Count("id"), m=Max("updated_at"))
    y = CalendarYear.objects.aggregate(n=Count("id"), m=Max("updated_at"))
    return (d["n"], d["m"], y["n"], y["m"])


def install() -> None:
    workdays.set_loader(load_calendar, calendar_stamp)
