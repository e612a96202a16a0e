"""A firm's place on the zone's map: who may set it, the values it takes, and the audit trail."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from yingshang.core.models import AuditEntry
from yingshang.directory import services
from yingshang.directory.tests.factories import BureauFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def firm():
    return EnterpriseFactory(bureau=BureauFactory())


@pytest.mark.parametrize("role, allowed", [("admin", True), ("leader", True), ("bureau", True), ("handler", False),
                                           ("enterprise", False), ("supervisor", False)])
def test_who_places_a_firm(make_user, firm, role, allowed):
    if role == "bureau":
        user = make_user("handler", department=firm.bureau)
    elif role == "enterprise":
        user = make_user("enterprise", enterprise=firm)
    else:
        user = make_user(role)
    c = Client()
    c.force_login(user)
    r = c.post(f"/directory/enterprises/{firm.pk}/location/", {"lng": "125.22", "lat": "43.86"})
    firm.refresh_from_db()
    if allowed:
        assert r.status_code == 302 and (firm.lng, firm.lat) == (Decimal("125.220000"), Decimal("43.860000"))
        assert AuditEntry.objects.filter(action="directory.enterprise.located").count() == 1
    else:
        assert r.status_code in (403, 404) and firm.lng is None
        assert not AuditEntry.objects.filter(action="directory.enterprise.located").exists()


@pytest.mark.parametrize("lng, lat, field", [("200", "43.8", "lng"), ("125.2", "", "lat"), ("", "43.8", "lng"),
                                             ("abc", "43.8", "lng"), ("125.2\x00", "43.8", "lng"),
                                             ("125.2", "99", "lat"), ("1e400", "43.8", "lng")])
def test_bad_coordinates_change_nothing(make_user, firm, lng, lat, field):
    admin = make_user("admin")
    with pytest.raises(ValidationError) as exc:
        services.enterprise_locate(actor=admin, enterprise=firm, lng=lng, lat=lat)
    assert field in exc.value.message_dict
    c = Client()
    c.force_login(admin)
    assert c.post(f"/directory/enterprises/{firm.pk}/location/", {"lng": lng, "lat": lat}).status_code == 400
    firm.refresh_from_db()
    assert firm.lng is None and firm.lat is None


def test_clearing_the_place(make_user, firm):
    admin = make_user("admin")
    services.enterprise_locate(actor=admin, enterprise=firm, lng="125.2", lat="43.8")
    services.enterprise_locate(actor=admin, enterprise=firm, lng="", lat="")
    firm.refresh_from_db()
    assert firm.lng is None and firm.lat is None
    with pytest.raises(PermissionDenied):
        services.enterprise_locate(actor=make_user("handler"), enterprise=firm, lng="125.2", lat="43.8")
