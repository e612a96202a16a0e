"""Every action of the applications' table × every role (``actions.py``): the item's department handles and
decides, the applicant firm corrects and supplies, nobody else; a refused action writes nothing. A new action
without an expectation here fails."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from yingshang.catalog import services
from yingshang.catalog.actions import applications as TABLE
from yingshang.catalog.models import Application, ApplicationEvent, ItemType
from yingshang.directory.tests.factories import DepartmentFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db
ROLES = ["member", "outsider", "clerk", "head", "other_clerk", "leader", "steward", "admin"]
DEPARTMENT = {"clerk", "head", "admin"}
FIRM = {"member"}
ALLOWED = {"accept": DEPARTMENT, "request_correction": DEPARTMENT, "refuse": DEPARTMENT, "suspend": DEPARTMENT,
           "resume": DEPARTMENT, "approve": DEPARTMENT, "deny": DEPARTMENT, "deliver": DEPARTMENT,
           "revoke": DEPARTMENT, "resubmit": FIRM, "supply": FIRM}


@pytest.fixture
def w(db, make_user):
    services.item_types_ensure_defaults()
    dept = DepartmentFactory(code="market")
    v = services.item_publish(actor=None, code="M001", basic_code="B1", fields={
        "name": "食品经营许可", "type": ItemType.objects.get(code="01"), "department": dept, "kind": "committed",
        "statutory_limit": 20, "statutory_unit": "workday", "committed_limit": 3, "committed_unit": "workday",
        "online": True, "online_depth": 4, "tolerant": True, "commitment_allowed": True},
        materials=[{"name": "申请书"}, {"name": "管理制度", "necessity": "secondary"}])
    firm = EnterpriseFactory()

    class W:
        pass

    x = W()
    x.item = v.item
    x.firm = firm
    x.member, x.outsider = make_user("enterprise", enterprise=firm), make_user("enterprise")
    x.clerk, x.head = make_user("handler", department=dept), make_user("dept_head", department=dept)
    x.other_clerk = make_user("handler", department=DepartmentFactory(code="ecology"))
    x.leader, x.steward, x.admin = make_user("leader"), make_user("steward"), make_user("admin")
    return x


def bring(w, name) -> Application:
    """An application in the state ``name`` starts from."""
    a = services.application_submit(actor=w.member, item=w.item, enterprise=w.firm, commitment=name == "revoke")
    if name == "resubmit":
        return services.application_request_correction(actor=w.admin, application=a, correction="补充平面图")
    if name in ("accept", "request_correction", "refuse"):
        return a
    a = services.application_accept(actor=w.admin, application=a, missing="管理制度" if name == "supply" else "")
    if name == "resume":
        return services.application_suspend(actor=w.admin, application=a, reason="专家评审", on=date.today())
    if name in ("deliver", "revoke"):
        return services.application_approve(actor=w.admin, application=a, licence_number="JY1")
    return a


def call(name, actor, a):
    f = {"accept": lambda: services.application_accept(actor=actor, application=a),
         "request_correction": lambda: services.application_request_correction(actor=actor, application=a,
                                                                                correction="补充平面图"),
         "refuse": lambda: services.application_refuse(actor=actor, application=a, reason="不符合条件"),
         "suspend": lambda: services.application_suspend(actor=actor, application=a, reason="听证"),
         "resume": lambda: services.application_resume(actor=actor, application=a),
         "approve": lambda: services.application_approve(actor=actor, application=a, licence_number="JY2"),
         "deny": lambda: services.application_deny(actor=actor, application=a, reason="不符合条件，可申请复议"),
         "deliver": lambda: services.application_deliver(actor=actor, application=a, delivery="window"),
         "resubmit": lambda: services.application_resubmit(actor=actor, application=a),
         "supply": lambda: services.application_supply(actor=actor, application=a),
         "revoke": lambda: services.application_revoke(actor=actor, application=a, reason="核查发现承诺不实",
                                                       decision_number="长汽开市监撤字〔2026〕1号")}[name]
    return f()


def snapshot():
    return list(Application.objects.order_by("pk").values_list("status", "missing")), ApplicationEvent.objects.count()


def test_every_action_has_an_expectation():
    assert set(ALLOWED) == set(TABLE.actions)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(ALLOWED))
def test_action_by_role(w, name, role):
    a = Application.objects.select_related("version", "enterprise").get(pk=bring(w, name).pk)
    actor = getattr(w, role)
    assert TABLE[name].allowed(actor, a) == (role in ALLOWED[name]), (name, role)
    before = snapshot()
    if role in ALLOWED[name]:
        call(name, actor, a)
        assert snapshot()[1] > before[1]
    else:
        with pytest.raises(PermissionDenied):
            call(name, actor, a)
        assert snapshot() == before
