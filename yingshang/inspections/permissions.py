"""Who may do what with inspections (DESIGN.md §1). What a user may *see* is in ``selectors``; the actions
on plans, draws, visits and orders are registered by ``actions.py`` from the predicates below."""

import rules

from yingshang.core import roles
from yingshang.core.permissions import is_admin, is_staff_member, role
from yingshang.directory.permissions import department_id_of, is_member_of


def _plan_of(obj):
    """The plan an object belongs to (a plan, a draw, a visit, an order)."""
    for attr in ("visit", "plan"):
        if hasattr(obj, f"{attr}_id") and not hasattr(obj, "lead_department_id"):
            obj = getattr(obj, attr)
    return obj


def _visit_of(obj):
    return obj.visit if hasattr(obj, "visit_id") else obj


@rules.predicate
def of_lead_department(user, obj):
    plan = _plan_of(obj) if obj is not None else None
    return plan is not None and department_id_of(user) == plan.lead_department_id


@rules.predicate
def of_plan_department(user, obj):
    """The user works in one of the departments taking part in the plan."""
    plan = _plan_of(obj) if obj is not None else None
    dept = department_id_of(user)
    return plan is not None and dept is not None and plan.departments.filter(pk=dept).exists()


@rules.predicate
def is_assigned(user, obj):
    """One of the inspectors drawn for the visit (of an order: of its visit)."""
    visit = _visit_of(obj) if obj is not None else None
    return visit is not None and visit.inspectors.filter(user=user).exists()


@rules.predicate
def is_firm_of_visit(user, obj):
    visit = _visit_of(obj) if obj is not None else None
    return visit is not None and is_member_of(user, visit.enterprise)


is_official = role(roles.HANDLER, roles.DEPT_HEAD)
is_dept_head = role(roles.DEPT_HEAD)
may_approve = is_admin | (is_dept_head & of_lead_department)
may_run = is_admin | (is_official & of_lead_department)
may_record = is_admin | is_assigned
# A rectification order is closed by the inspectors who found it, or by a head of one of the plan's departments.
may_verify = is_admin | is_assigned | (is_dept_head & of_plan_department)

rules.add_perm("inspections.view", is_staff_member)
rules.add_perm("inspections.add_plan", is_admin | is_official)
rules.add_perm("inspections.add_campaign", is_admin | is_official)
rules.add_perm("inspections.record_check", is_admin | is_official | role(roles.INSPECTOR))
