"""Who may do what with the chains and 招商 (DESIGN.md §1). What a user may *see* is in ``selectors``.

A chain is kept by its office (a department: its officials and those seconded to it) under its chain chief;
leaders keep every chain. A campaign is worked by its recruiting team (a department or a task force). A firm
confirms or disputes the supply relations it is a party to."""

import rules

from yingshang.core import roles
from yingshang.core.permissions import is_admin, role
from yingshang.directory.permissions import department_ids_of, is_member_of

is_leader = role(roles.LEADER)


def _chain_of(obj):
    from .models import Chain, Relation, Segment

    if isinstance(obj, Chain):
        return obj
    if isinstance(obj, Segment):
        return obj.chain
    if isinstance(obj, Relation) and obj.segment_id:
        return obj.segment.chain
    return None


def office_ids() -> frozenset[int]:
    from .models import Chain

    return frozenset(Chain.objects.values_list("office_id", flat=True))


@rules.predicate
def in_chain_office(user, obj=None):
    """Of the office of this record's chain; without a chain, of any chain's office."""
    mine = department_ids_of(user)
    if not mine:
        return False
    chain = _chain_of(obj)
    return chain.office_id in mine if chain is not None else bool(mine & office_ids())


@rules.predicate
def in_campaign_team(user, obj=None):
    """Of this campaign's (or invitation's) recruiting team; without one, of any campaign's team."""
    from .models import Campaign, Invitation

    mine = department_ids_of(user)
    if not mine:
        return False
    if isinstance(obj, Invitation):
        obj = obj.campaign
    if isinstance(obj, Campaign):
        return obj.team_id in mine
    return Campaign.objects.filter(team_id__in=mine).exists()


@rules.predicate
def is_party(user, relation):
    return relation is not None and (is_member_of(user, relation.customer)
                                     or (relation.supplier_id is not None and is_member_of(user, relation.supplier)))


keeps_chain = is_admin | is_leader | in_chain_office
recruits = is_admin | is_leader | in_chain_office | in_campaign_team
works_campaign = is_admin | is_leader | in_campaign_team

rules.add_perm("chain.view", role(*(roles.STAFF_ROLES - {roles.INSPECTOR})))
rules.add_perm("chain.add_chain", is_admin | is_leader)
rules.add_perm("chain.manage_chain", keeps_chain)      # (user, chain or segment): segments, placements
rules.add_perm("chain.add_relation", keeps_chain)      # (user, segment or None)
rules.add_perm("chain.add_target", recruits)
rules.add_perm("chain.add_campaign", is_admin | is_leader)
rules.add_perm("chain.invite", works_campaign)         # (user, campaign)
rules.add_perm("chain.view_own", role(roles.ENTERPRISE))


@rules.predicate
def of_department(user, department=None):
    """An official of ``department`` (a supplier recording its own capacity)."""
    return department is not None and department.pk in department_ids_of(user) and roles.is_staff_member(user)


rules.add_perm("chain.add_site", is_admin | is_leader | role(roles.HANDLER, roles.DEPT_HEAD))
rules.add_perm("chain.record_capacity", is_admin | is_leader | in_chain_office | of_department)
rules.add_perm("chain.dispatch", is_admin | is_leader)


def may(user, perm: str, obj=None) -> bool:
    """The rules of ``perm`` as written, for superusers too."""
    return bool(user is not None and user.is_authenticated and rules.has_perm(perm, user, obj))
