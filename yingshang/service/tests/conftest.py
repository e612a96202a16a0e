from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.utils import timezone

from yingshang.directory.models import Department
from yingshang.directory.services import stewardship_assign
from yingshang.directory.tests.factories import BureauFactory, DepartmentFactory, EnterpriseFactory
from yingshang.tickets.models import Category


@dataclass
class World:
    firm: object
    other_firm: object
    far_firm: object
    bureau: object
    other_bureau: object
    dept: object
    category: object
    steward: object
    other_steward: object
    leader: object
    head: object
    handler: object
    member: object
    other_member: object
    supervisor: object
    inspector: object
    admin: object

    def campaign(self, **kw):
        from yingshang.service import services

        today = timezone.localdate()
        values = {"name": "服务企业周", "department": self.dept, "starts_on": today - timedelta(days=3),
                  "ends_on": today + timedelta(days=4), "bureaus": [self.bureau]}
        values.update(kw)
        return services.campaign_create(actor=self.leader, **values)

    def policy(self, conditions=None, publish=True, **kw):
        from yingshang.service import services

        values = {"title": "研发费用补助", "issuer": "长春汽开区管委会", "document_number": "长汽开发〔2026〕1号",
                  "effective_on": date(2026, 1, 1), "benefit": "按研发投入的 10% 给予补助，最高 50 万元",
                  "amount": 500000, "paying_department": self.dept,
                  "conditions": conditions if conditions is not None else {"all": []}}
        values.update(kw)
        p = services.policy_create(actor=self.head, **values)
        return services.policy_publish(actor=self.head, policy=p) if publish else p


@pytest.fixture
def world(db, make_user):
    bureau, other_bureau = BureauFactory(), BureauFactory()
    firm = EnterpriseFactory(bureau=bureau, size="small", registered_on=date(2018, 5, 1))
    other_firm = EnterpriseFactory(bureau=bureau, size="large", is_key=True, registered_on=date(2005, 1, 1))
    far_firm = EnterpriseFactory(bureau=other_bureau, size="small")
    steward, other_steward, leader = make_user("steward"), make_user("steward"), make_user("leader")
    stewardship_assign(actor=None, enterprise=firm, steward=steward, leader=leader)
    stewardship_assign(actor=None, enterprise=other_firm, steward=other_steward, leader=leader)
    dept = DepartmentFactory(kind=Department.Kind.DEPARTMENT)
    parent, _ = Category.objects.get_or_create(name="水电气热", parent=None)
    category = Category.objects.get_or_create(name="供电", parent=parent)[0]
    return World(firm=firm, other_firm=other_firm, far_firm=far_firm, bureau=bureau, other_bureau=other_bureau,
                 dept=dept, category=category, steward=steward, other_steward=other_steward, leader=leader,
                 head=make_user("dept_head", department=dept), handler=make_user("handler", department=dept),
                 member=make_user("enterprise", enterprise=firm), other_member=make_user("enterprise",
                                                                                         enterprise=other_firm),
                 supervisor=make_user("supervisor"), inspector=make_user("inspector"), admin=make_user("admin"))
