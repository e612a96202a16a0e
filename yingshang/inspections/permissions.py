"""Who may do what with inspections (DESIGN.md §1). What a user may *see* is in ``selectors``."""

import rules

from yingshang.core import roles
from yingshang.core.permissions import is_admin, is_staff_member, role
from yingshang.directory.permissions import department_id_of, is_member_of



@rules.predicate
def of_lead_department(user, plan):
    return plan is not None and department_id_of(user) == plan.lead_department_id


@rules.predicate
def is_assigned(user, visit):
    return visit is not None and visit.inspectors.filter(user=user).exists()


@rules.predicate
def is_firm_of_visit(user, visit):
    return visit is not None and is_member_of(user, visit.enterprise)


is_official = role(roles.HANDLER, roles.DEPT_HEAD)

rules.add_perm("inspections.view", is_staff_member)
rules.add_perm("inspections.add_plan", is_admin | is_official)
rules.add_perm("inspections.approve_plan", is_admin | (role(roles.DEPT_HEAD) & of_lead_department))
rules.add_perm("inspections.run_draw", is_admin | (is_official & of_lead_department))
rules.add_perm("inspections.record", is_admin | is_assigned)
rules.add_perm("inspections.verify", is_admin | is_assigned | role(roles.DEPT_HEAD))
rules.add_perm("inspections.submit_evidence", is_firm_of_visit)
rules.add_perm("inspections.add_campaign", is_admin | is_official)
rules.add_perm("inspections.record_check", is_admin | is_official | role(roles.INSPECTOR))
