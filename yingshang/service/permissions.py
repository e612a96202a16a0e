"""Who may do what in 万人助万企 (DESIGN.md §1). What a user may *see* is in ``selectors``.

Visits are paid by the officials who look after firms (包联): stewards for the firms they steward or are paired
with in a campaign, leaders for any firm. Policies are kept by department heads, leaders and administrators;
a firm's yearly figures by the firm itself and by the officials who serve it."""

import rules
from django.utils import timezone

from yingshang.core import roles
from yingshang.core.permissions import is_admin, role
from yingshang.directory.permissions import department_id_of, is_member_of, is_steward_of

is_visitor = role(roles.STEWARD, roles.LEADER, roles.ADMIN)
manages_campaigns = is_admin | role(roles.LEADER, roles.DEPT_HEAD)
manages_policies = is_admin | role(roles.LEADER, roles.DEPT_HEAD)


def assigned_firm_ids(user) -> set[int]:
    """The firms ``user`` is paired with in a campaign running today (besides those they steward)."""
    from .models import Assignment

    today = timezone.localdate()
    return set(Assignment.objects.filter(official=user, campaign__starts_on__lte=today, campaign__ends_on__gte=today)
               .values_list("enterprise_id", flat=True))


@rules.predicate
def may_visit(user, enterprise):
    """A leader or administrator visits any firm; a steward the firms it stewards or is paired with now."""
    if enterprise is None or not user.is_authenticated:
        return False
    if roles.has_role(user, roles.LEADER, roles.ADMIN):
        return True
    return roles.has_role(user, roles.STEWARD) and (is_steward_of(user, enterprise)
                                                    or enterprise.pk in assigned_firm_ids(user))


@rules.predicate
def is_author(user, visit):
    return visit is not None and visit.author_id == user.pk


@rules.predicate
def in_edit_window(user, visit):
    return visit is not None and timezone.now() <= visit.editable_until


@rules.predicate
def is_firm_of_visit(user, visit):
    return visit is not None and is_member_of(user, visit.enterprise)


may_edit_visit = is_author & in_edit_window
may_annotate_visit = is_author | role(roles.LEADER, roles.ADMIN)
may_confirm_visit = is_firm_of_visit

# Campaigns, visits and firms' service files: officials, except inspectors (they see their inspections only).
rules.add_perm("service.view", role(*(roles.STAFF_ROLES - {roles.INSPECTOR})))
rules.add_perm("service.add_campaign", manages_campaigns)
rules.add_perm("service.assign", manages_campaigns)
rules.add_perm("service.record_visit", may_visit)
rules.add_perm("service.edit_visit", may_edit_visit)
rules.add_perm("service.view_policies", rules.is_authenticated)
rules.add_perm("service.manage_policies", manages_policies)
rules.add_perm("service.push_policy", manages_policies)
# A firm's yearly figures: the firm, and the officials who serve it.
rules.add_perm("service.set_facts", is_member_of | is_admin | role(roles.STEWARD, roles.HANDLER, roles.DEPT_HEAD,
                                                                    roles.LEADER))


# --- money a policy pays: the paying department's officials ---------------------------------------------------

def _paying_department_id(obj):
    policy = getattr(obj, "policy", obj)
    return getattr(policy, "paying_department_id", None)


@rules.predicate
def in_paying_department(user, obj):
    return obj is not None and department_id_of(user) is not None \
        and department_id_of(user) == _paying_department_id(obj)


@rules.predicate
def is_firm_of_record(user, obj):
    return obj is not None and is_member_of(user, obj.enterprise)


pays = is_admin | (role(roles.HANDLER, roles.DEPT_HEAD) & in_paying_department)
decides_payment = is_admin | (role(roles.DEPT_HEAD) & in_paying_department)
rules.add_perm("service.prepare_payout", pays)
rules.add_perm("service.approve_payout", decides_payment)
rules.add_perm("service.record_payment", pays)
rules.add_perm("service.apply", is_member_of)  # (user, enterprise)


# --- 银企对接 ----------------------------------------------------------------------------------------------------

def bank_of(user):
    member = getattr(user, "bank_member", None) if user.is_authenticated else None
    return member.bank_id if member else None


@rules.predicate
def is_bank_of_match(user, match):
    return match is not None and bank_of(user) is not None and bank_of(user) == match.product.bank_id


manages_financing = is_admin | role(roles.LEADER, roles.DEPT_HEAD, roles.HANDLER)
rules.add_perm("service.manage_financing", manages_financing)
# A firm registers its own needs; the officials who look after it (a visit's collected need) too.
rules.add_perm("service.register_need", is_member_of | is_admin | role(roles.LEADER) | is_steward_of)
rules.add_perm("service.consent", is_member_of)  # (user, enterprise)
works_match = manages_financing | is_bank_of_match


# --- 专班 ----------------------------------------------------------------------------------------------------------

@rules.predicate
def leads_taskforce(user, tf):
    return tf is not None and getattr(tf, "lead_id", None) == user.pk


@rules.predicate
def in_taskforce(user, tf):
    from yingshang.directory.permissions import seconded_department_ids

    tf = getattr(tf, "taskforce", tf)
    return tf is not None and tf.department_id in seconded_department_ids(user)


rules.add_perm("service.add_taskforce", is_admin | role(roles.LEADER))
rules.add_perm("service.manage_taskforce", is_admin | leads_taskforce)
rules.add_perm("service.update_supply", is_admin | leads_taskforce | in_taskforce)


def may(user, perm: str, obj=None) -> bool:
    """The rules of ``perm`` as written, for superusers too: a platform administrator neither applies for a
    firm nor authorises a bank in its name."""
    return bool(user is not None and user.is_authenticated and rules.has_perm(perm, user, obj))
