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
    return application is not None and department_id_of(user) == application.department_id


@rules.predicate
def is_applicant_firm(user, application):
    from yingshang.directory.permissions import is_member_of

    return application is not None and is_member_of(user, application.enterprise)


may_handle = is_admin | (role(roles.HANDLER, roles.DEPT_HEAD) & of_application_department)
may_decide = is_admin | (role(roles.DEPT_HEAD, roles.HANDLER) & of_application_department)
rules.add_perm("catalog.handle_application", may_handle)


@rules.predicate
def of_rating_department(user, rating):
    """Staff of the department a rating is about (it calls back, rectifies and may appeal)."""
    return rating is not None and department_id_of(user) == rating.department_id


@rules.predicate
def is_rating_firm(user, rating):
    from yingshang.directory.permissions import is_member_of

    return rating is not None and is_member_of(user, rating.enterprise)


@rules.predicate
def of_hall(user, obj=None):
    """Staff of the service hall's department (``CATALOG_HALL_DEPARTMENT``): its general window takes any
    application and it decides appeals against ratings."""
    from django.conf import settings

    from yingshang.directory.models import Department

    dept = department_id_of(user)
    return dept is not None and Department.objects.filter(pk=dept, code=settings.CATALOG_HALL_DEPARTMENT).exists()


may_answer_rating = is_admin | (role(roles.HANDLER, roles.DEPT_HEAD) & of_rating_department)
may_appeal_rating = is_admin | (role(roles.DEPT_HEAD) & of_rating_department)
@rules.predicate
def rating_of_hall(user, rating):
    from django.conf import settings

    return rating is not None and rating.department.code == settings.CATALOG_HALL_DEPARTMENT


# The hall decides appeals, never about its own ratings: those go to the supervision office.
may_review_rating = is_admin | (role(roles.HANDLER, roles.DEPT_HEAD) & of_hall & ~of_rating_department) | \
    (role(roles.SUPERVISOR) & rating_of_hall)

may_counter = is_admin | (role(roles.HANDLER, roles.DEPT_HEAD) & of_hall)
rules.add_perm("catalog.counter", may_counter)


@rules.predicate
def of_registration_department(user, obj=None):
    """Staff of the market-regulation department (``CATALOG_REGISTRATION_DEPARTMENT``), which registers firms."""
    from django.conf import settings

    from yingshang.directory.models import Department

    dept = department_id_of(user)
    return dept is not None and Department.objects.filter(pk=dept, code=settings.CATALOG_REGISTRATION_DEPARTMENT) \
        .exists()


@rules.predicate
def of_claim_department(user, claim):
    return claim is not None and department_id_of(user) == claim.department_id


rules.add_perm("catalog.register_firm", is_admin | (role(roles.HANDLER, roles.DEPT_HEAD) & of_registration_department))
may_claim = is_admin | (role(roles.HANDLER, roles.DEPT_HEAD) & of_claim_department)
