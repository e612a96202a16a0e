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
    """What the bell counts: unread messages not held for the daily digest."""
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True, held=False).count()


def notifications_for(user, *, kind: str = "", unread: bool = False, digest: int | None = None):
    """A user's notifications, newest change first: of one kind, only the unread ones, or the contents of one
    of their digests."""
    qs = Notification.objects.filter(recipient=user)
    if digest is not None:
        return qs.filter(digest_id=digest)
    if kind:
        qs = qs.filter(kind=kind)
    if unread:
        qs = qs.filter(read_at__isnull=True)
    return qs


def unread_by_kind(user) -> dict[str, int]:
    from django.db.models import Count

    return dict(Notification.objects.filter(recipient=user, read_at__isnull=True, held=False)
                .values_list("kind").annotate(n=Count("id")).order_by())


def notification_preferences(user) -> list[dict]:
    """Each kind with the user's choice (or the default of their roles) and the channels they may choose."""
    from . import channels, notifications, roles
    from .models import NotificationPreference

    chosen = {p.kind: p for p in NotificationPreference.objects.filter(user=user)}
    names = roles.role_names(user)
    out = []
    for kind, label in Notification.Kind.choices:
        if kind == Notification.Kind.DIGEST:
            continue
        p = chosen.get(kind)
        out.append({"kind": kind, "label": label,
                    "mode": p.mode if p else notifications.default_mode(kind, names),
                    "channels": list(p.channels) if p else [],
                    "available": [(c, channels.LABELS.get(c, c)) for c in channels.available()]})
    return out
