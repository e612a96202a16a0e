"""Who may do what with credit (DESIGN.md §1). What a user may *see* is in ``selectors``."""

import rules

from yingshang.core import roles
from yingshang.core.permissions import is_admin, is_staff_member, role
from yingshang.directory.permissions import department_id_of, is_member_of

is_department_official = role(roles.HANDLER, roles.DEPT_HEAD)


@rules.predicate
def of_own_department(user, record):
    """The record was entered by (or on behalf of) the user's department."""
    return record is not None and department_id_of(user) == record.department_id


@rules.predicate
def is_firm_of_record(user, record):
    return record is not None and is_member_of(user, record.enterprise)


rules.add_perm("credit.view_ledger", is_staff_member)
rules.add_perm("credit.add_record", is_admin | is_department_official)
rules.add_perm("credit.import_records", is_admin | is_department_official)
# The actions on a record (``actions.py`` registers them as credit.object, credit.repair, credit.decide,
# credit.revoke): objections and repairs are decided by the department that entered the record.
may_revoke = is_admin | (role(roles.DEPT_HEAD) & of_own_department)
may_decide_request = is_admin | (is_department_official & of_own_department)
rules.add_perm("credit.manage_lists", is_admin | role(roles.LEADER, roles.DEPT_HEAD))
rules.add_perm("credit.edit_rules", is_admin)
rules.add_perm("credit.view_explanation", is_staff_member | is_member_of)
