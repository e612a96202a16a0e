"""Role predicates shared by every app's ``permissions.py``, and the core's own rules."""

import rules

from . import roles


def role(*names: str):
    """A predicate that holds when the user has any of the named roles."""

    @rules.predicate(name="has_role_" + "_or_".join(names))
    def _has(user):
        return roles.has_role(user, *names)

    return _has


is_staff_member = rules.predicate(roles.is_staff_member, name="is_staff_member")
is_admin = role(roles.ADMIN)
is_enterprise_user = role(roles.ENTERPRISE)

rules.add_perm("core.manage_calendar", is_admin)
rules.add_perm("core.view_audit", is_admin | role(roles.SUPERVISOR))


def require(actor, perm: str, obj=None) -> None:
    """Raise ``PermissionDenied`` unless ``actor`` may ``perm``. ``actor=None`` is the system itself
    (console commands, the demo loader, the sweep)."""
    from django.core.exceptions import PermissionDenied
    from django.utils.translation import gettext as _

    if actor is None:
        return
    if not actor.has_perm(perm, obj):
        raise PermissionDenied(_("You are not allowed to do this."))
