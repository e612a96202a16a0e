from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from yingshang.directory.models import Department
from yingshang.directory.tests.factories import DepartmentFactory, EnterpriseFactory
from yingshang.projects import services
from yingshang.projects.models import Template


@dataclass
class World:
    bureau: object
    other_bureau: object
    planning: object
    construction: object
    firm: object
    member: object
    other_member: object
    bureau_staff: object
    other_bureau_staff: object
    planner: object
    builder: object
    leader: object
    steward: object
    admin: object
    general: object
    land_start: object

    def project(self, *, actor=None, template="general", **kw):
        fields = dict(name="吉林玲珑轮胎项目", investor=self.firm, bureau=self.bureau, investment=Decimal("4893000000"),
                      starts_on=date(2026, 3, 2), target_start=date(2026, 9, 30), target_production=date(2027, 12, 31))
        fields.update(kw)
        tpl = {"general": self.general, "land_start": self.land_start, None: None}[template]
        actor = actor or (self.other_bureau_staff if fields["bureau"] == self.other_bureau else self.bureau_staff)
        return services.project_create(actor=actor, template=tpl, **fields)


@pytest.fixture
def w(make_user):
    services.templates_ensure_defaults()
    bureau = DepartmentFactory(name="零部件服务局", code="bureau-parts", kind=Department.Kind.BUREAU)
    other = DepartmentFactory(name="丰田服务局", code="bureau-toyota", kind=Department.Kind.BUREAU)
    planning = Department.objects.get(code="planning")
    construction = Department.objects.get(code="construction")
    firm, other_firm = EnterpriseFactory(bureau=bureau), EnterpriseFactory(bureau=other)
    return World(bureau=bureau, other_bureau=other, planning=planning, construction=construction, firm=firm,
                 member=make_user("enterprise", enterprise=firm), other_member=make_user("enterprise", enterprise=other_firm),
                 bureau_staff=make_user("handler", department=bureau), other_bureau_staff=make_user("handler", department=other),
                 planner=make_user("handler", department=planning), builder=make_user("handler", department=construction),
                 leader=make_user("leader"), steward=make_user("steward", department=bureau), admin=make_user("admin"),
                 general=Template.objects.get(name="一般工业项目（四阶段）"), land_start=Template.objects.get(name="拿地即开工"))


@pytest.fixture(autouse=True)
def _english_messages():
    from django.utils import translation

    with translation.override("en"):
        yield
