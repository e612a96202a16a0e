"""The roles of DESIGN.md §1. Each role is a Django group of the same name."""

from django.utils.translation import gettext_lazy as _

ENTERPRISE = "enterprise"
STEWARD = "steward"
DISPATCHER = "dispatcher"
HANDLER = "handler"
DEPT_HEAD = "dept_head"
LEADER = "leader"
INSPECTOR = "inspector"
SUPERVISOR = "supervisor"
ADMIN = "admin"
BANK = "bank"
INTEGRATOR = "integrator"

ROLES = {
    ENTERPRISE: _("Enterprise user"),
    STEWARD: _("Service steward"),
    DISPATCHER: _("Dispatcher"),
    HANDLER: _("Case handler"),
    DEPT_HEAD: _("Department head"),
    LEADER: _("Zone leader"),
    INSPECTOR: _("Inspector"),
    SUPERVISOR: _("Supervision office"),
    ADMIN: _("Platform administrator"),
    BANK: _("Bank loan officer"),
    INTEGRATOR: _("Partner system"),
}

# A bank's loan officer is no official: it sees the matches of its bank and, under a firm's consent, that firm.
# A partner system (an Open311 integrator, the 12345 hotline) only files problems and reads its own.
STAFF_ROLES = frozenset(ROLES) - {ENTERPRISE, BANK, INTEGRATOR}

# Roles that may read every record of the zone.
SEE_ALL_ROLES = frozenset({LEADER, SUPERVISOR, ADMIN})


ROLES_CACHE_SECONDS = 300
VERSION_KEY = "roles:version"


def version() -> int:
    """The version of all role memberships: kept in the database (``core.Sequence`` "roles.version") and
    mirrored in the shared cache. Every cached role carries it in its key, so a membership change made on
    one server is seen by every other one at once — the cache is shared in production (``/readyz`` and
    ``check --deploy`` say so when it is not)."""
    from django.core.cache import cache

    v = cache.get(VERSION_KEY)
    if v is None:
        from .models import Sequence

        v = Sequence.objects.filter(key="roles.version").values_list("value", flat=True).first() or 0
        cache.set(VERSION_KEY, v, None)
    return v


def bump_version() -> int:
    """A membership changed: a new version in the database, then in the cache (after the commit)."""
    from django.core.cache import cache
    from django.db import transaction
    from django.db.models import F

    from .models import Sequence

    Sequence.objects.get_or_create(key="roles.version")
    Sequence.objects.filter(key="roles.version").update(value=F("value") + 1)
    v = Sequence.objects.get(key="roles.version").value
    cache.set(VERSION_KEY, v, None)
    transaction.on_commit(lambda: cache.set(VERSION_KEY, max(v, cache.get(VERSION_KEY) or 0), None))
    return v


def roles_cache_key(user_id) -> str:
    return f"roles:{version()}:{user_id}"


def members_cache_key(role: str) -> str:
    return f"roles:members:{version()}:{role}"


def role_names(user) -> frozenset[str]:
    """The roles a user holds: kept on the user object for the request and in the shared cache for a few
    minutes under the memberships' version (a change of anyone's groups starts a new version, see
    ``signals``)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_yingshang_roles", None)
    if cached is None:
        from django.core.cache import cache

        key = roles_cache_key(user.pk)
        names = cache.get(key)
        if names is None:
            names = frozenset(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
            cache.set(key, names, ROLES_CACHE_SECONDS)
        cached = names | {ADMIN} if user.is_superuser else names
        user._yingshang_roles = cached
    return cached


def members(role: str) -> list[int]:
    """The active users holding ``role`` (ids), from the shared cache (cleared when any group changes)."""
    from django.contrib.auth import get_user_model
    from django.core.cache import cache

    key = members_cache_key(role)
    ids = cache.get(key)
    if ids is None:
        ids = list(get_user_model().objects.filter(groups__name=role, is_active=True).values_list("pk", flat=True))
        cache.set(key, ids, ROLES_CACHE_SECONDS)
    return ids


def forget(user_ids=()) -> None:
    """Memberships changed: every server's cached roles and members lists are stale from now on."""
    bump_version()


def has_role(user, *roles: str) -> bool:
    return bool(role_names(user) & set(roles))


def is_staff_member(user) -> bool:
    return bool(role_names(user) & STAFF_ROLES)


def ensure_groups():
    """Create the role groups if missing (idempotent)."""
    from django.contrib.auth.models import Group

    for name in ROLES:
        Group.objects.get_or_create(name=name)
