"""Who may do what with the catalogue (DESIGN.md §1). The published catalogue is public."""

import rules

from yingshang.core import roles
from yingshang.core.permissions import is_admin, role
from yingshang.directory.permissions import department_id_of


@rules.predicate
def of_item_department(user, version):
    """Staff of the department that implements the item (a version, or the department when creating)."""
    if version is None:
        return False
    department_id = getattr(version, "department_id", None) or getattr(version, "pk", None)
    return department_id is not None and department_id_of(user) == department_id


may_publish = is_admin | (role(roles.HANDLER, roles.DEPT_HEAD) & of_item_department)
rules.add_perm("catalog.publish_item", may_publish)
rules.add_perm("catalog.import_items", is_admin)


@rules.predicate
def of_application_department(user, application):
    """Staff of the department that implements the application's item: its window and its reviewers."""
    return application is not None and department_id_of(user) == application.version.department_id


@rules.predicate
def is_applicant_firm(user, application):
    from yingshang.directory.permissions import is_member_of

    return application is not None and is_member_of(user, application.enterprise)


may_handle = is_admin | (role(roles.HANDLER, roles.DEPT_HEAD) & of_application_department)
may_decide = is_admin | (role(roles.DEPT_HEAD, roles.HANDLER) & of_application_department)
rules.add_perm("catalog.handle_application", may_handle)
