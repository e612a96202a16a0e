"""Reads of the directory: scoped querysets. A user sees only what their roles allow."""

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Concat

from yingshang.core import roles

from .models import Department, Enterprise, EnterpriseGroup, EnterpriseMember, Stewardship


def enterprises_visible_to(user) -> QuerySet[Enterprise]:
    """Staff see the whole directory; an enterprise user sees the firms they act for."""
    qs = Enterprise.objects.all()
    if roles.is_staff_member(user):
        return qs
    if roles.has_role(user, roles.ENTERPRISE):
        return qs.filter(members__user=user, members__active=True).distinct()
    return qs.none()


def enterprise_ids_of_member(user) -> list[int]:
    return list(EnterpriseMember.objects.filter(user=user, active=True).values_list("enterprise_id", flat=True))


def current_stewardships() -> QuerySet[Stewardship]:
    return Stewardship.objects.filter(ended_on__isnull=True).select_related("leader", "steward")


def enterprise_search(user, *, q: str = "", group: int | None = None, bureau: int | None = None,
                      industry: str = "", key: bool | None = None, returned: bool | None = None,
                      status: str = "", mine: bool = False, order: str = "name") -> QuerySet[Enterprise]:
    qs = enterprises_visible_to(user)
    if q:
        q = q.strip()
        qs = qs.filter(Q(name__icontains=q) | Q(uscc__icontains=q.upper()) | Q(legal_representative__icontains=q))
    if group:
        qs = qs.filter(group_id=group)
    if bureau:
        qs = qs.filter(bureau_id=bureau)
    if industry:
        qs = qs.filter(industry=industry)
    if key is not None:
        qs = qs.filter(is_key=key)
    if returned is not None:
        qs = qs.filter(is_returned=returned)
    if status:
        qs = qs.filter(status=status)
    if mine:
        qs = qs.filter(Q(stewardships__ended_on__isnull=True) & (
            Q(stewardships__steward=user) | Q(stewardships__leader=user)))
    allowed = {"name", "-name", "registered_on", "-registered_on", "industry", "-industry"}
    return (
        qs.select_related("group", "bureau")
        .prefetch_related(Prefetch("stewardships", queryset=current_stewardships(), to_attr="current_stewardship"))
        .order_by(order if order in allowed else "name", "id")
    )


INDUSTRIES_CACHE_KEY = "directory:industries"


def enterprise_industries() -> list[str]:
    """The industries in the directory, for filters (cached: a full scan at city scale)."""
    from django.core.cache import cache

    return cache.get_or_set(INDUSTRIES_CACHE_KEY, lambda: list(
        Enterprise.objects.exclude(industry="").values_list("industry", flat=True).distinct().order_by("industry")),
        timeout=600)


def enterprise_groups() -> QuerySet[EnterpriseGroup]:
    return EnterpriseGroup.objects.annotate(n=Count("enterprises")).order_by("name")


def bureaus() -> QuerySet[Department]:
    return Department.objects.filter(kind=Department.Kind.BUREAU, active=True)


def enterprise_profile(user, pk: int) -> Enterprise:
    """One enterprise with what its profile shows; raises ``Enterprise.DoesNotExist`` when not visible."""
    return (
        enterprises_visible_to(user)
        .select_related("group", "bureau")
        .prefetch_related(
            Prefetch("stewardships", queryset=Stewardship.objects.select_related("leader", "steward", "assigned_by")),
            Prefetch("members", queryset=EnterpriseMember.objects.filter(active=True).select_related("user")),
        )
        .get(pk=pk)
    )


def department_search(*, q: str = "", kind: str = "") -> QuerySet[Department]:
    qs = Department.objects.filter(active=True)
    if q:
        qs = qs.filter(Q(name__icontains=q.strip()) | Q(code__icontains=q.strip()))
    if kind:
        qs = qs.filter(kind=kind)
    return qs.annotate(
        staff_count=Count("staff", distinct=True),
        enterprise_count=Count("served_enterprises", distinct=True),
    ).order_by("kind", "sort_order", "name")


def stewarded_enterprises(user) -> QuerySet[Enterprise]:
    return Enterprise.objects.filter(
        Q(stewardships__ended_on__isnull=True) & (Q(stewardships__steward=user) | Q(stewardships__leader=user))
    ).distinct().order_by("-is_key", "name")


EXPORT_HEADER = ["企业名称", "统一社会信用代码", "法定代表人", "联系电话", "注册地址", "所属行业", "企业规模", "成立日期",
                 "注册资本", "经营状态", "所属集团", "服务局", "重点企业", "回归企业", "包保领导", "服务专员"]


def enterprise_export_rows(qs: QuerySet[Enterprise]):
    """Rows of the directory export (phones masked), streamed from one query with the current
    leader's and steward's names as subqueries: no per-row queries, no model instances."""
    from yingshang.core.formatting import mask_phone, money_cn

    current = Stewardship.objects.filter(enterprise=OuterRef("pk"), ended_on__isnull=True)
    sizes = {k: str(v) for k, v in Enterprise.Size.choices}
    statuses = {k: str(v) for k, v in Enterprise.Status.choices}
    rows = qs.annotate(
        leader_name=Subquery(current.values(n=Concat("leader__last_name", "leader__first_name"))[:1]),
        steward_name=Subquery(current.values(n=Concat("steward__last_name", "steward__first_name"))[:1]),
    ).values_list("name", "uscc", "legal_representative", "contact_phone", "address", "industry", "size",
                  "registered_on", "registered_capital", "status", "group__name", "bureau__name", "is_key",
                  "is_returned", "leader_name", "steward_name")
    for (name, uscc, legal, phone, address, industry, size, registered, capital, status, group, bureau, key,
         returned, leader, steward) in rows.iterator(chunk_size=2000):
        yield [name, uscc, legal, mask_phone(phone), address, industry, sizes.get(size, ""),
               registered.isoformat() if registered else "", money_cn(capital), statuses.get(status, ""),
               group or "", bureau or "", "是" if key else "否", "是" if returned else "否", leader or "", steward or ""]


class _Everything:
    def __contains__(self, item):
        return True


def enterprises_with_visible_contacts(user):
    """The ids of the firms whose people's phone numbers ``user`` may see unmasked (as the rule
    ``directory.view_enterprise_contacts``, in one query)."""
    if user.is_superuser or roles.has_role(user, roles.ADMIN, roles.LEADER):
        return _Everything()
    ids = set(enterprise_ids_of_member(user))
    ids |= set(Stewardship.objects.filter(Q(steward=user) | Q(leader=user), ended_on__isnull=True)
               .values_list("enterprise_id", flat=True))
    return ids


def phones_of(user_ids) -> dict[int, str]:
    """Each user's mobile: a member of staff's, else the one given for their firm."""
    from .models import EnterpriseMember, StaffProfile

    out = {uid: phone for uid, phone in StaffProfile.objects.filter(user_id__in=user_ids).values_list("user_id", "phone")
           if phone}
    for uid, phone in EnterpriseMember.objects.filter(user_id__in=user_ids, active=True).values_list("user_id", "phone"):
        if phone:
            out.setdefault(uid, phone)
    return out


def enterprise_timeline(user, enterprise_id: int, kinds: list[str] | None = None):
    """Everything about one firm in time order, newest first — problems, credit, inspections and campaigns,
    projects, the directory's own changes — as far as this person may see each (``core.activity``)."""
    from yingshang.core import activity

    return activity.rows(activity.Filter(firms=[enterprise_id], kinds=kinds or []), user=user)


def timeline_kinds(user) -> list[tuple[str, str]]:
    """The kinds a person may filter a firm's timeline by (the audit log's own entries: officials only)."""
    from yingshang.core import activity

    return [(k, label) for k, label in activity.kinds() if k != "audit" or roles.is_staff_member(user)]
