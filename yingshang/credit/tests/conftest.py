from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.utils import timezone

from yingshang.credit import services
from yingshang.directory.tests.factories import DepartmentFactory, EnterpriseFactory


@dataclass
class World:
    firm: object
    other_firm: object
    market: object
    ecology: object
    member: object
    other_member: object
    handler: object
    head: object
    other_handler: object
    leader: object
    supervisor: object
    admin: object
    steward: object

    def record(self, kind="penalty", severity="general", *, days_ago=10, firm=None, actor=None, number=None, **kw):
        self._n = getattr(self, "_n", 0) + 1
        return services.record_create(
            actor=actor or self.handler, enterprise=firm or self.firm, kind=kind, severity=severity,
            decision_number=number or f"长汽开市监罚〔2026〕{self._n}号",
            decided_on=timezone.localdate() - timedelta(days=days_ago), description="测试决定", **kw)


@pytest.fixture
def w(make_user):
    services.defaults_ensure()
    market = DepartmentFactory(name="市场监督管理局", code="market")
    ecology = DepartmentFactory(name="生态环境分局", code="ecology")
    firm, other = EnterpriseFactory(), EnterpriseFactory()
    return World(
        firm=firm, other_firm=other, market=market, ecology=ecology,
        member=make_user("enterprise", enterprise=firm), other_member=make_user("enterprise", enterprise=other),
        handler=make_user("handler", department=market), head=make_user("dept_head", department=market),
        other_handler=make_user("handler", department=ecology), leader=make_user("leader"),
        supervisor=make_user("supervisor"), admin=make_user("admin"), steward=make_user("steward"))


def today() -> date:
    return timezone.localdate()


@pytest.fixture(autouse=True)
def _english_messages():
    """Service messages are asserted in English (pages are tested in the users' language)."""
    from django.utils import translation

    with translation.override("en"):
        yield
