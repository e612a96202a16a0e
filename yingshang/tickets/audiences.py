"""Who is who around a ticket, for the notification policy (the names ``actions.py`` uses in ``tell``).
Each function answers the ids of the people in that audience: ``(ticket, event) -> [user id]``."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from yingshang.core import roles
from yingshang.directory.models import EnterpriseMember, Stewardship

User = get_user_model()


def department_workers(department_ids, *, heads_only=False) -> list[int]:
    ids = [d for d in department_ids if d]
    if not ids:
        return []
    names = [roles.DEPT_HEAD] if heads_only else [roles.HANDLER, roles.DEPT_HEAD]
    # a task force's members (its lead among them) are its workers and its heads, whatever their own role
    workers = Q(staff_profile__department_id__in=ids, groups__name__in=names) | Q(
        secondments__department_id__in=ids, secondments__ended_on__isnull=True)
    return list(User.objects.filter(workers, is_active=True).values_list("pk", flat=True).distinct())


def firm(t, event=None) -> list[int]:
    """The firm's own active users (not its steward: a steward is told of what is theirs to do)."""
    return list(EnterpriseMember.objects.filter(enterprise_id=t.enterprise_id, active=True, user__is_active=True)
                .values_list("user_id", flat=True))


def steward(t, event=None) -> list[int]:
    return list(Stewardship.objects.filter(enterprise_id=t.enterprise_id, ended_on__isnull=True)
                .values_list("steward_id", flat=True)[:1])


def lead_department(t, event=None) -> list[int]:
    return department_workers([t.lead_department_id])


def co_departments(t, event=None) -> list[int]:
    if not t.lead_department_id or (event is not None and event.data.get("co") == []):
        return []  # nobody co-handles (a dispatch says so in its data)
    return department_workers(list(t.co_departments.values_list("pk", flat=True)))


def lead_head(t, event=None) -> list[int]:
    return department_workers([t.lead_department_id], heads_only=True)


def dispatchers(t, event=None) -> list[int]:
    return roles.members(roles.DISPATCHER)


def leader(t, event=None) -> list[int]:
    return [t.leader_id] if t.leader_id else []


def requester(t, event=None) -> list[int]:
    """Who asked for the extension an event decides."""
    ext_id = (getattr(event, "data", None) or {}).get("extension")
    from .models import Extension

    return list(Extension.objects.filter(pk=ext_id).values_list("requested_by_id", flat=True)) if ext_id else []


def callback_taker(t, event=None) -> list[int]:
    """The steward calls the firm back; without a steward, the dispatchers do."""
    return [t.steward_id] if t.steward_id else dispatchers(t)


def pending_extension(t):
    return next((e for e in t.extensions.all() if e.status == "pending"), None)


def callback_open(t, now=None) -> bool:
    """A steward records the firm's answer only once the firm's own time to confirm has run out."""
    return t.callback_due or (t.confirm_due is not None and t.confirm_due < (now or timezone.now()))


def urge_open(t, now=None) -> bool:
    """催办: once the deadline in force has passed, once per working day."""
    from yingshang.core import workdays

    now = now or timezone.now()
    if t.next_due is None or t.next_due >= now:
        return False
    if t.last_urged_at is None:
        return True
    last, today = timezone.localdate(t.last_urged_at), timezone.localdate(now)
    return last < today and workdays.workdays_between(last, today, provisional=True) >= 1
