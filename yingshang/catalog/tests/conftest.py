"""A small catalogue world for the workflow and page tests: two departments and the service hall, three
items (one with a secondary material, one allowing a commitment) and a two-stage bundle, a firm with a
member and the departments' staff."""

from datetime import datetime

import pytest

from yingshang.catalog import services
from yingshang.catalog.models import ItemType
from yingshang.core.workdays import ZONE
from yingshang.directory.tests.factories import DepartmentFactory, EnterpriseFactory


def at(y, m, d, h=10, minute=0):
    return datetime(y, m, d, h, minute, tzinfo=ZONE)


@pytest.fixture
def cw(db, make_user):
    services.item_types_ensure_defaults()
    market, tax, hall = (DepartmentFactory(code="market", name="市场监督管理局"),
                         DepartmentFactory(code="tax", name="税务局"),
                         DepartmentFactory(code="gov-data", name="政务服务和数据管理局"))
    licence = ItemType.objects.get(code="01")
    common = {"type": licence, "kind": "committed", "statutory_limit": 20, "statutory_unit": "workday",
              "committed_limit": 1, "committed_unit": "workday", "online": True, "online_depth": 4}
    register = services.item_publish(actor=None, code="MS001", basic_code="B001", fields={
        **common, "name": "企业设立登记", "department": market, "tolerant": True, "commitment_allowed": True,
        "form_fields": [{"key": "name", "label": "企业名称"}, {"key": "capital", "label": "注册资本"},
                        {"key": "legal", "label": "法定代表人"}]},
        materials=[{"name": "设立登记申请书"}, {"name": "章程"}, {"name": "住所使用证明", "necessity": "secondary"}])
    seal = services.item_publish(actor=None, code="MS002", basic_code="B002", fields={
        **common, "name": "公章刻制备案", "department": market,
        "form_fields": [{"key": "name", "label": "企业名称"}, {"key": "legal", "label": "法定代表人"}]},
        materials=[{"name": "设立登记申请书"}, {"name": "法定代表人身份证明"}])
    invoice = services.item_publish(actor=None, code="TX001", basic_code="B003", fields={
        **common, "name": "发票申领", "department": tax,
        "form_fields": [{"key": "name", "label": "企业名称"}, {"key": "bank", "label": "开户银行", "optional": True}]},
        materials=[{"name": "法定代表人身份证明"}])
    firm, other = EnterpriseFactory(), EnterpriseFactory()

    class W:
        pass

    x = W()
    x.market, x.tax, x.hall = market, tax, hall
    x.register, x.seal, x.invoice = register.item, seal.item, invoice.item
    x.firm, x.other = firm, other
    x.member, x.outsider = make_user("enterprise", enterprise=firm), make_user("enterprise", enterprise=other)
    x.clerk, x.head = make_user("handler", department=market), make_user("dept_head", department=market)
    x.tax_clerk = make_user("handler", department=tax)
    x.hall_clerk, x.hall_head = make_user("handler", department=hall), make_user("dept_head", department=hall)
    x.admin, x.supervisor = make_user("admin"), make_user("supervisor")
    x.bundle = services.bundle_define(actor=x.admin, code="start-business", name="开办企业", committed_workdays=1,
                                      items=[(x.register, 1), (x.seal, 2), (x.invoice, 2)])
    return x
