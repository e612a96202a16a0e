"""Who may do what in the directory (DESIGN.md §1). What a user may *see* is in ``selectors``."""

import rules

from yingshang.core import roles
from yingshang.core.permissions import is_admin, is_staff_member, role


def department_id_of(user):
    """The department (or bureau) a member of staff works in."""
    profile = getattr(user, "staff_profile", None) if user.is_authenticated else None
    return profile.department_id if profile else None


def seconded_department_ids(user) -> frozenset[int]:
    """The departments (task forces) ``user`` is seconded to now, kept on the user object for the request."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_yingshang_secondments", None)
    if cached is None:
        from .models import Secondment

        cached = frozenset(Secondment.objects.filter(user=user, ended_on__isnull=True)
                           .values_list("department_id", flat=True))
        user._yingshang_secondments = cached
    return cached


def department_ids_of(user) -> frozenset[int]:
    """Every department a member of staff acts for: their own and those they are seconded to now."""
    own = department_id_of(user)
    return seconded_department_ids(user) | ({own} if own else frozenset())


@rules.predicate
def is_member_of(user, enterprise):
    if enterprise is None or not user.is_authenticated:
        return False
    return enterprise.members.filter(user=user, active=True).exists()


@rules.predicate
def is_steward_of(user, enterprise):
    if enterprise is None or not user.is_authenticated:
        return False
    return enterprise.stewardships.filter(ended_on__isnull=True, steward=user).exists() or \
        enterprise.stewardships.filter(ended_on__isnull=True, leader=user).exists()


rules.add_perm("directory.view_enterprise", is_staff_member | is_member_of)
# Unmasked personal data (phone numbers) of an enterprise's people.
rules.add_perm("directory.view_enterprise_contacts",
               is_admin | role(roles.LEADER) | is_steward_of | is_member_of)
@rules.predicate
def serves(user, enterprise):
    """The service bureau the firm is served by."""
    return enterprise is not None and enterprise.bureau_id is not None and department_id_of(user) == enterprise.bureau_id


rules.add_perm("directory.change_enterprise", is_admin)
# Where the firm is on the zone's map: those who look after it.
rules.add_perm("directory.locate_enterprise", is_admin | role(roles.LEADER) | is_steward_of | serves)
rules.add_perm("directory.import_enterprises", is_admin)
rules.add_perm("directory.export_enterprises", is_staff_member)
rules.add_perm("directory.assign_stewardship", is_admin | role(roles.LEADER))
rules.add_perm("directory.view_departments", is_staff_member)
