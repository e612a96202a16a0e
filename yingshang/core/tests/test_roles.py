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
