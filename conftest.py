"""Fixtures shared by every app's tests."""

import os

import pytest

# Playwright's sync API runs an event loop in the test thread; the Django calls our browser
# tests make around it are ordinary synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fresh_calendar():
    """Each test sees the calendar tables as they are now (tests roll them back afterwards)."""
    from yingshang.core import workdays

    workdays.invalidate()
    yield
    workdays.invalidate()


@pytest.fixture
def roles_ready(db):
    from yingshang.core import roles

    roles.ensure_groups()


@pytest.fixture
def make_user(db, roles_ready):
    """make_user("handler", department=d) → a user with those roles (and staff profile / firm link)."""
    from django.contrib.auth.models import Group

    from yingshang.directory.models import EnterpriseMember, StaffProfile
    from yingshang.directory.tests.factories import DepartmentFactory, UserFactory

    def _make(*role_names, department=None, enterprise=None, **kwargs):
        user = UserFactory(**kwargs)
        user.groups.set(Group.objects.filter(name__in=role_names))
        if "admin" in role_names:
            user.is_staff = user.is_superuser = True
            user.save()
        if any(r != "enterprise" for r in role_names):
            StaffProfile.objects.create(user=user, department=department or DepartmentFactory(), phone="13912345678")
        if enterprise is not None:
            EnterpriseMember.objects.create(user=user, enterprise=enterprise, phone="13887654321")
        return user

    return _make


@pytest.fixture
def enterprise(db):
    from yingshang.directory.tests.factories import EnterpriseFactory

    return EnterpriseFactory()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploads made by tests go to a temporary folder, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached lists and statistics never leak from one test into another."""
    from django.core.cache import cache

    from yingshang.chain import selectors as chain

    cache.clear()
    chain._GRAPH.clear()  # the supply graph kept in the process
    yield
    cache.clear()
    chain._GRAPH.clear()


@pytest.fixture(autouse=True)
def _channels_in_tmp(settings, tmp_path):
    """Messages sent on the file-backed channels land in a temporary folder."""
    settings.VAR_DIR = tmp_path
