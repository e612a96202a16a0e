"""Reads of the catalogue: the current versions, the public guide's search."""

from __future__ import annotations

from django.db.models import F, Q, QuerySet

from .models import Item, ItemVersion


def current_versions() -> QuerySet[ItemVersion]:
    """Every item's current version, with what lists and exports show."""
    return ItemVersion.objects.filter(item__current=F("pk")).select_related("item", "type", "department") \
        .order_by("item__code")


def guide_search(*, q: str = "", department: int | None = None, type_code: str = "",
                 life_event: str = "") -> QuerySet[Item]:
    """The public guide's search: the published items (each with its current version loaded as ``current``),
    by part of the name or a code, the implementing department, the item type, a life event; in code order.
    Driven from the items so that a page is read along the code's index rather than sorting every version."""
    qs = Item.objects.filter(current__isnull=False).select_related("current__type", "current__department") \
        .order_by("code")
    if q:
        qs = qs.filter(Q(current__name__icontains=q) | Q(code__icontains=q) | Q(basic_code__icontains=q))
    if department:
        qs = qs.filter(current__department_id=department)
    if type_code:
        qs = qs.filter(current__type__code=type_code)
    if life_event:
        qs = qs.filter(current__life_events__contains=[life_event]) if _json_contains() else qs.filter(
            current__life_events__icontains=f'"{life_event}"')
    return qs


def _json_contains() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


def guide_departments() -> list[tuple[int, str]]:
    """The departments an item may belong to, for the guide's filter (the service bureaus implement none)."""
    from yingshang.directory.models import Department

    return list(Department.objects.exclude(kind=Department.Kind.BUREAU).order_by("name").values_list("pk", "name"))


def guide_item(code: str) -> ItemVersion:
    """An item's current version with its materials (``ItemVersion.DoesNotExist`` when there is none)."""
    return current_versions().prefetch_related("materials", "materials__source_department").get(item__code=code)
