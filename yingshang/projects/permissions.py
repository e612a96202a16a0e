"""Who may do what with projects (DESIGN.md §1). What a user may *see* is in ``selectors``."""

import rules

from yingshang.core import roles
from yingshang.core.permissions import is_admin, is_staff_member, role
from yingshang.directory.permissions import department_id_of, is_member_of


@rules.predicate
def of_bureau(user, project):
    return project is not None and department_id_of(user) == project.bureau_id


@rules.predicate
def looks_after(user, project):
    return project is not None and user.pk in (project.leader_id, project.steward_id)


@rules.predicate
def of_step_department(user, step):
    return step is not None and department_id_of(user) == step.department_id


@rules.predicate
def manages_step_project(user, step):
    return step is not None and (of_bureau(user, step.project) or looks_after(user, step.project))


@rules.predicate
def is_investor(user, project):
    return project is not None and project.investor_id is not None and is_member_of(user, project.investor)


is_leader = role(roles.LEADER)
may_add = is_admin | is_leader | role(roles.HANDLER, roles.DEPT_HEAD, roles.STEWARD)

rules.add_perm("projects.view", is_staff_member)
rules.add_perm("projects.view_project", is_staff_member | is_investor)
rules.add_perm("projects.add", may_add)
# Managing a project (its particulars, stages, task list) and updating one of its steps; ``actions.py``
# registers each action with one of these.
may_manage = is_admin | is_leader | of_bureau | looks_after
may_manage_step = is_admin | is_leader | manages_step_project
may_update_step = is_admin | is_leader | manages_step_project | of_step_department
rules.add_perm("projects.manage", may_manage)
