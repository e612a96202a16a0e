"""Every action of credit's table × every role (``actions.py``): who may take it on a record, and a refused
one changes nothing. A new action without an expectation here fails."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from yingshang.credit import services
from yingshang.credit.actions import credit as TABLE
from yingshang.credit.models import Event, Record, Request

pytestmark = pytest.mark.django_db
ROLES = ["member", "other_member", "handler", "head", "other_handler", "leader", "supervisor", "admin", "steward"]
ALLOWED = {
    "objection": {"member"},
    "repair": {"member"},
    "decide": {"handler", "head", "admin"},
    "revoke": {"head", "admin"},
}


def _evidence():
    return SimpleUploadedFile("整改报告.pdf", b"%PDF-1.4 test", content_type="application/pdf")


def bring(w, name):
    rec = w.record("penalty", "serious", days_ago=400)
    if name == "decide":
        services.objection_file(actor=w.member, record=rec, reason="已整改")
    return Record.objects.get(pk=rec.pk)


def data(name):
    return {"objection": {"reason": "检查当日已整改"}, "repair": {"reason": "已缴纳罚款", "evidence": _evidence()},
            "decide": {"approve": False, "answer": "事实清楚，维持"}, "revoke": {"reason": "录入错误"}}[name]


def test_every_action_has_an_expectation():
    assert set(ALLOWED) == set(TABLE.actions)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(ALLOWED))
def test_action_by_role(w, name, role):
    rec = bring(w, name)
    actor = getattr(w, role)
    action = TABLE[name]
    assert action.allowed(actor, rec) == (role in ALLOWED[name])
    before = (Record.objects.filter(pk=rec.pk).values().get(), Event.objects.count(), Request.objects.count())
    if role in ALLOWED[name]:
        action.perform(actor, rec, data(name))
        assert Event.objects.count() > before[1]
    else:
        with pytest.raises(PermissionDenied):
            action.perform(actor, rec, data(name))
        assert (Record.objects.filter(pk=rec.pk).values().get(), Event.objects.count(),
                Request.objects.count()) == before


def test_a_firm_posting_a_record_with_a_bad_department_is_refused_before_the_department_is_read(w, client):
    client.force_login(w.member)
    r = client.post("/api/v1/credit/records/", {"enterprise": w.firm.uscc, "kind": "penalty", "department": "nope",
                                                "decision_number": "x", "decided_on": "2026-01-01",
                                                "description": "y"}, content_type="application/json")
    assert r.status_code == 403


def test_an_inspections_two_findings_rescore_once_and_tell_the_firm_once(w):
    from yingshang.core.models import Notification
    from yingshang.credit.models import ScoreHistory

    services.records_create(actor=w.handler, enterprise=w.firm, records=[
        dict(kind="inspection", severity="minor", decision_number="CJ-2026-0001-0001-SC-01",
             decided_on=date(2026, 11, 2),
             description="营业执照未规范悬挂"),
        dict(kind="inspection", severity="minor", decision_number="CJ-2026-0001-0001-XF-01",
             decided_on=date(2026, 11, 2), description="灭火器过期")])
    assert Record.objects.filter(enterprise=w.firm).count() == 2
    assert ScoreHistory.objects.filter(enterprise=w.firm).count() == 1  # no in-between score
    assert Notification.objects.filter(recipient=w.member).count() == 1


def test_a_draft_rule_set_is_saved_and_put_in_force_in_one_call(w):
    draft = services.ruleset_new_draft(actor=w.admin)
    rules = [{"kind": r.kind, "severity": r.severity, "delta": r.delta, "counts_days": r.counts_days, "cap": r.cap,
              "list_kind": r.list_kind, "repair_after_days": r.repair_after_days} for r in draft.rules.all()]
    rules[0]["delta"] -= 1
    result = services.ruleset_activate(actor=w.admin, ruleset=draft, rules=rules, name="2027 版")
    draft.refresh_from_db()
    assert draft.status == "active" and draft.name == "2027 版" and "job" in result
    assert draft.rules.get(kind=rules[0]["kind"], severity=rules[0]["severity"]).delta == rules[0]["delta"]
