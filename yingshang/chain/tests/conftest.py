from dataclasses import dataclass
from datetime import date

import pytest

from yingshang.directory.models import EnterpriseGroup
from yingshang.directory.tests.factories import BureauFactory, DepartmentFactory, EnterpriseFactory


@dataclass
class World:
    office: object      # the chain office (a department)
    team: object        # the recruiting team (a department)
    bureau: object
    anchor: object      # a leading firm (链主)
    plant: object       # a unit of the anchor's group
    tier1: object
    tier2: object
    other: object
    leader: object
    keeper: object      # of the chain office
    recruiter: object   # of the recruiting team
    handler: object     # of another department
    member: object      # staff of tier1
    other_member: object
    inspector: object
    admin: object
    chain: object = None

    def segments(self):
        from yingshang.chain import services

        top = services.segment_add(actor=self.keeper, chain=self.chain, name="动力总成", is_key=True)
        mid = services.segment_add(actor=self.keeper, chain=self.chain, name="发动机", parent=top)
        leaf = services.segment_add(actor=self.keeper, chain=self.chain, name="缸体铸件", parent=mid, position="up")
        return top, mid, leaf


@pytest.fixture
def world(db, make_user):
    from yingshang.chain import services

    office, team, bureau = DepartmentFactory(), DepartmentFactory(), BureauFactory()
    group = EnterpriseGroup.objects.create(name="中国一汽测试集团")
    anchor = EnterpriseFactory(group=group, size="large", is_key=True)
    plant = EnterpriseFactory(group=group, size="large")
    tier1, tier2, other = EnterpriseFactory(size="medium"), EnterpriseFactory(size="small"), EnterpriseFactory()
    w = World(office=office, team=team, bureau=bureau, anchor=anchor, plant=plant, tier1=tier1, tier2=tier2,
              other=other, leader=make_user("leader"), keeper=make_user("handler", department=office),
              recruiter=make_user("handler", department=team), handler=make_user("handler"),
              member=make_user("enterprise", enterprise=tier1), other_member=make_user("enterprise", enterprise=other),
              inspector=make_user("inspector"), admin=make_user("admin"))
    w.chain = services.chain_create(actor=w.leader, name="汽车零部件", chief=w.leader, office=office, anchors=[anchor])
    return w


@pytest.fixture
def campaign(world):
    from yingshang.chain import services

    return services.campaign_create(actor=world.leader, name="六个回归动员会", held_on=date(2021, 6, 18), team=world.team)
