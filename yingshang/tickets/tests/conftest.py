from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from yingshang.directory.services import stewardship_assign
from yingshang.directory.tests.factories import DepartmentFactory, EnterpriseFactory
from yingshang.tickets import services
from yingshang.tickets.models import Category

SH = ZoneInfo("Asia/Shanghai")


@dataclass
class World:
    firm: object
    other_firm: object
    dept: object
    co_dept: object
    other_dept: object
    category: object
    member: object
    other_member: object
    steward: object
    dispatcher: object
    handler: object
    head: object
    co_handler: object
    other_handler: object
    leader: object
    supervisor: object
    inspector: object
    admin: object
    sender: object  # the 12345 hotline's account


    def ticket(self, state="registered", *, at=None, **kw):
        """A ticket brought to ``state`` through the services."""
        at = at or datetime(2026, 3, 2, 9, 0, tzinfo=SH)
        by = kw.get("by") or self.member
        t = services.ticket_register(actor=by, enterprise=self.firm, category=self.category,
                                     title=kw.get("title", "厂区供电线路需要迁改"), description="线路影响新厂房施工。",
                                     urgency=kw.get("urgency", "normal"), at=at,
                                     channel="hotline" if by == self.sender else None)
        if state == "registered":
            return t
        t = services.ticket_dispatch(actor=self.dispatcher, ticket=t, lead_department=self.dept,
                                     co_departments=[self.co_dept], at=at)
        if state == "dispatched":
            return t
        t = services.ticket_accept(actor=self.handler, ticket=t, at=at)
        if state == "in_progress":
            return t
        if state == "suspended":
            return services.ticket_suspend(actor=self.handler, ticket=t, reason="等待企业补充材料", at=at)
        t = services.ticket_resolve(actor=self.handler, ticket=t, answer="已迁改完成。", outcome="solved", at=at)
        if state == "resolved":
            return t
        t = services.ticket_confirm(actor=self.member, ticket=t, rating="satisfied", at=at)
        assert state == "closed"
        return t


def _category(top, name):
    """From the migration's tree (re-created here for tests that empty the database)."""
    parent, _ = Category.objects.get_or_create(name=top, parent=None)
    return Category.objects.get_or_create(name=name, parent=parent)[0]


@pytest.fixture
def world(db, make_user):
    firm, other_firm = EnterpriseFactory(), EnterpriseFactory()
    dept, co_dept, other_dept = DepartmentFactory(), DepartmentFactory(), DepartmentFactory()
    steward, leader = make_user("steward"), make_user("leader")
    stewardship_assign(actor=None, enterprise=firm, steward=steward, leader=leader)
    return World(
        firm=firm, other_firm=other_firm, dept=dept, co_dept=co_dept, other_dept=other_dept,
        category=_category("水电气热", "供电"),
        member=make_user("enterprise", enterprise=firm), other_member=make_user("enterprise", enterprise=other_firm),
        steward=steward, dispatcher=make_user("dispatcher"), handler=make_user("handler", department=dept),
        head=make_user("dept_head", department=dept), co_handler=make_user("handler", department=co_dept),
        other_handler=make_user("handler", department=other_dept), leader=leader,
        supervisor=make_user("supervisor"), inspector=make_user("inspector"), admin=make_user("admin"),
        sender=make_user("integrator"))
