"""证照分离 · 双告知: a registration tells the firm the permits its scope needs and pushes it to each licensing
department; claims within 5 working days, escalation like an overdue problem, the import all or nothing,
the claim rate; who may record and who may claim."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import Workbook

from yingshang.catalog import selectors, services
from yingshang.catalog.models import Claim, Registration, RegistrationEvent, ScopeRule
from yingshang.core.actions import IllegalTransition
from yingshang.core.models import Notification
from yingshang.directory.models import Enterprise

from .conftest import at

pytestmark = pytest.mark.django_db
USCC = "91220101MA17X0YN2A"


@pytest.fixture
def rules_(cw):
    ScopeRule.objects.create(keyword="食品", item=cw.register)       # market
    ScopeRule.objects.create(industry_prefix="F52", item=cw.invoice)  # tax
    ScopeRule.objects.create(keyword="烟草", item=cw.seal, active=False)
    return cw


def valid_uscc():
    from yingshang.directory.tests.factories import EnterpriseFactory

    ent = EnterpriseFactory.build()
    return ent.uscc


def test_a_registration_tells_the_permits_and_pushes_claims(rules_, make_user):
    cw = rules_
    uscc = valid_uscc()
    reg = services.registration_record(actor=cw.clerk, uscc=uscc, name="长春鲜味食品有限公司", scope="食品销售；烟草制品零售",
                                       industry_code="F5221", registered_on="2026-06-01", at=at(2026, 6, 1, 10))
    assert [i.code for i in reg.items.all()] == ["MS001", "TX001"]  # the switched-off rule does not count
    assert Enterprise.objects.get(uscc=uscc).name == "长春鲜味食品有限公司"
    claims = {c.department.code: c for c in reg.claims.all()}
    assert set(claims) == {"market", "tax"} and claims["tax"].due_at == at(2026, 6, 8, 17, 30)
    assert Notification.objects.filter(recipient=cw.tax_clerk).exists()
    with pytest.raises(ValidationError):  # once
        services.registration_record(actor=cw.clerk, uscc=uscc, name="x", scope="食品", registered_on="2026-06-01")
    with pytest.raises(PermissionDenied):
        services.registration_record(actor=cw.tax_clerk, uscc=valid_uscc(), name="x", scope="食品",
                                     registered_on="2026-06-01")
    with pytest.raises(ValidationError) as exc:
        services.registration_record(actor=cw.clerk, uscc="91220101MA17X0YN2B", name="x", scope="食品",
                                     registered_on="2026-06-01")
    assert "uscc" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.claim_claim(actor=cw.clerk, claim=claims["tax"])  # another department's
    c = services.claim_claim(actor=cw.tax_clerk, claim=claims["tax"], note="已电话联系企业", at=at(2026, 6, 2))
    assert c.status == "claimed"
    with pytest.raises(IllegalTransition):
        services.claim_claim(actor=cw.tax_clerk, claim=c)
    rates = {r["department__name"]: r for r in selectors.claim_rates()}
    assert rates["税务局"]["rate"] == 100.0 and rates["市场监督管理局"]["rate"] == 0.0


def test_an_unclaimed_registration_escalates_to_the_department_then_the_leaders(rules_, make_user):
    cw = rules_
    leader = make_user("leader")
    reg = services.registration_record(actor=cw.clerk, uscc=valid_uscc(), name="甲", scope="食品",
                                       registered_on="2026-06-01", at=at(2026, 6, 1, 10))
    assert services.catalog_sweep(now=at(2026, 6, 8, 17))["claims_overdue"] == 0
    assert services.catalog_sweep(now=at(2026, 6, 9, 9))["claims_overdue"] == 1
    assert services.catalog_sweep(now=at(2026, 6, 10, 9))["claims_overdue"] == 0
    assert not Notification.objects.filter(recipient=leader).exists()
    out = services.catalog_sweep(now=at(2026, 6, 12, 9))  # three working days after the deadline
    assert out["claims_escalated"] == 1 and Notification.objects.filter(recipient=leader).exists()
    assert services.catalog_sweep(now=at(2026, 6, 20, 9))["claims_escalated"] == 0
    assert list(RegistrationEvent.objects.filter(registration=reg).values_list("action", flat=True)) == [
        "registrations.registration.recorded", "registrations.claim.overdue", "registrations.claim.escalated"]
    assert Claim.objects.get().escalation == 2


def _xlsx(rows):
    wb = Workbook()
    ws = wb.active
    ws.append(["统一社会信用代码", "企业名称", "经营范围", "行业代码", "登记日期", "备注"])
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_the_days_registrations_import_all_or_nothing(rules_):
    cw = rules_
    a, b = valid_uscc(), valid_uscc()
    bad = services.registrations_import(actor=cw.clerk, filename="登记.xlsx", data=_xlsx([
        [a, "甲公司", "食品销售", "", "2026-06-01", "x"], ["123", "乙公司", "咨询", "", "2026-06-01", ""],
        [a, "甲公司", "食品销售", "", "2026-06-01", ""]]))
    assert not bad.ok and {(e.row, e.column) for e in bad.errors} == {(3, "统一社会信用代码"), (4, "统一社会信用代码")}
    assert not Registration.objects.exists()
    ok = services.registrations_import(actor=cw.clerk, filename="登记.xlsx", data=_xlsx([
        [a, "甲公司", "食品销售", "", "2026-06-01", ""], [b, "乙公司", "咨询", "F5211", "2026/6/1", ""]]))
    assert ok.ok and ok.created == 2 and Claim.objects.count() == 2


def test_the_pages_record_show_the_notice_and_claim(client, rules_):
    cw = rules_
    client.force_login(cw.tax_clerk)
    assert client.post(reverse("catalog:registrations"), {"do": "record", "reg-uscc": valid_uscc()}).status_code == 403
    client.force_login(cw.clerk)
    uscc = valid_uscc()
    bad = client.post(reverse("catalog:registrations"), {"do": "record", "reg-uscc": "nonsense", "reg-name": "x",
                                                         "reg-scope": "食品", "reg-registered_on": "2026-06-01"})
    assert bad.status_code == 400 and not Registration.objects.exists()
    r = client.post(reverse("catalog:registrations"), {"do": "record", "reg-uscc": uscc, "reg-name": "丙公司",
                                                       "reg-scope": "食品销售", "reg-registered_on": "2026-06-01"})
    reg = Registration.objects.get()
    assert r.status_code == 302
    page = client.get(reverse("catalog:registration", args=[reg.pk])).content.decode()
    assert "告知书" in page and "企业设立登记" in page
    claim = reg.claims.get()
    assert client.post(reverse("catalog:claim", args=[claim.pk])).status_code == 302
    claim.refresh_from_db()
    assert claim.status == "claimed" and claim.claimed_by == cw.clerk
    client.force_login(cw.outsider)
    assert client.get(reverse("catalog:registration", args=[reg.pk])).status_code == 404
