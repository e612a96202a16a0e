import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from yingshang.core import roles

pytestmark = pytest.mark.django_db


def fresh(user):
    return get_user_model().objects.get(pk=user.pk)  # a new request's user object


def test_cached_roles_follow_group_changes(make_user):
    user = make_user("handler")
    assert roles.role_names(fresh(user)) == {"handler"}
    assert roles.role_names(fresh(user)) == {"handler"}  # from the cache
    user.groups.add(Group.objects.get(name="dispatcher"))
    assert roles.role_names(fresh(user)) == {"handler", "dispatcher"}
    assert user.pk in roles.members("dispatcher")
    Group.objects.get(name="dispatcher").user_set.remove(user)  # from the group's side
    assert roles.role_names(fresh(user)) == {"handler"}
    assert user.pk not in roles.members("dispatcher")
    user.is_active = False
    user.save()
    user.groups.add(Group.objects.get(name="dispatcher"))
    assert user.pk not in roles.members("dispatcher")


@pytest.mark.django_db
def test_a_membership_change_is_a_new_version_no_server_serves_the_old_roles(make_user):
    """Each cached role carries the memberships' version (kept in the database): a change made on one
    server makes every server's cached roles — including members lists — unreachable at once."""
    from django.contrib.auth.models import Group

    from yingshang.core import roles
    from yingshang.core.models import Sequence

    u = make_user("dispatcher")
    assert roles.role_names(u) == {"dispatcher"} and u.pk in roles.members("dispatcher")
    before = roles.version()
    u.groups.remove(Group.objects.get(name="dispatcher"))
    assert roles.version() == before + 1
    assert Sequence.objects.get(key="roles.version").value == before + 1
    fresh = type(u).objects.get(pk=u.pk)  # another request, maybe on another server
    assert roles.role_names(fresh) == frozenset() and u.pk not in roles.members("dispatcher")


@pytest.mark.django_db
def test_readyz_and_the_deploy_check_want_a_shared_cache_for_several_servers(client, settings):
    from yingshang.core import checks

    settings.DEBUG, settings.SINGLE_SERVER = False, False
    assert [e.id for e in checks.shared_cache()] == ["yingshang.E001"]
    body = client.get("/readyz").json()
    assert body["checks"]["cache"] == {"ok": False, "shared": False, "detail": body["checks"]["cache"]["detail"]}
    settings.SINGLE_SERVER = True
    assert checks.shared_cache() == [] and client.get("/readyz").json()["checks"]["cache"]["ok"] is True
