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
}

STAFF_ROLES = frozenset(ROLES) - {ENTERPRISE}

# Roles that may read every record of the zone.
SEE_ALL_ROLES = frozenset({LEADER, SUPERVISOR, ADMIN})


def role_names(user) -> frozenset[str]:
    """The roles a user holds, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_yingshang_roles", None)
    if cached is None:
        cached = frozenset(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
        if user.is_superuser:
            cached = cached | {ADMIN}
        user._yingshang_roles = cached
    return cached


def has_role(user, *roles: str) -> bool:
    return bool(role_names(user) & set(roles))


def is_staff_member(user) -> bool:
    return bool(role_names(user) & STAFF_ROLES)


def ensure_groups():
    """Create the role groups if missing (idempotent)."""
    from django.contrib.auth.models import Group

    for name in ROLES:
        Group.objects.get_or_create(name=name)
