"""The permission matrix: role × action → allowed?"""

import pytest

ROLES = ["enterprise", "steward", "dispatcher", "handler", "dept_head", "leader", "inspector", "supervisor", "admin"]

# action → roles allowed (on an enterprise the user is not linked to or stewarding)
MATRIX = {
    "directory.view_enterprise": {"steward", "dispatcher", "handler", "dept_head", "leader", "inspector", "supervisor",
                                  "admin"},
    "directory.view_enterprise_contacts": {"leader", "admin"},
    "directory.change_enterprise": {"admin"},
    "directory.import_enterprises": {"admin"},
    "directory.export_enterprises": {"steward", "dispatcher", "handler", "dept_head", "leader", "inspector",
                                     "supervisor", "admin"},
    "directory.assign_stewardship": {"leader", "admin"},
    "directory.view_departments": {"steward", "dispatcher", "handler", "dept_head", "leader", "inspector",
                                   "supervisor", "admin"},
    "core.manage_calendar": {"admin"},
    "core.view_audit": {"supervisor", "admin"},
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("perm", sorted(MATRIX))
def test_matrix(role, perm, make_user, enterprise):
    user = make_user(role)
    assert user.has_perm(perm, enterprise) == (role in MATRIX[perm])


@pytest.mark.django_db
def test_a_firms_own_user_and_its_steward_see_its_contacts(make_user, enterprise):
    from yingshang.directory.services import stewardship_assign

    member = make_user("enterprise", enterprise=enterprise)
    steward = make_user("steward")
    other_steward = make_user("steward")
    stewardship_assign(actor=None, enterprise=enterprise, steward=steward)
    assert member.has_perm("directory.view_enterprise", enterprise)
    assert member.has_perm("directory.view_enterprise_contacts", enterprise)
    assert steward.has_perm("directory.view_enterprise_contacts", enterprise)
    assert not other_steward.has_perm("directory.view_enterprise_contacts", enterprise)


@pytest.mark.django_db
def test_a_user_without_role_may_do_nothing(make_user, enterprise):
    user = make_user()
    assert not any(user.has_perm(p, enterprise) for p in MATRIX)
