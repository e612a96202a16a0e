"""Reads of the core app."""

from dataclasses import dataclass

from django.utils import timezone

from .models import CalendarYear, Notification


@dataclass(frozen=True)
class CalendarStatus:
    current_year: int
    current_covered: bool
    next_covered: bool
    covered_years: tuple[int, ...]

    @property
    def ok(self) -> bool:
        return self.current_covered and self.next_covered


def calendar_status() -> CalendarStatus:
    year = timezone.localdate().year
    years = tuple(CalendarYear.objects.order_by("year").values_list("year", flat=True))
    return CalendarStatus(year, year in years, year + 1 in years, years)


def unread_notification_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications_for(user):
    return Notification.objects.filter(recipient=user)
