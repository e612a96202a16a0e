from datetime import timedelta

import pytest

from yingshang.core.actions import IllegalTransition
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from yingshang.core.models import Notification
from yingshang.credit import selectors, services
from yingshang.credit.models import Event, ListEntry, Record, Request, RuleSet, ScoreHistory, Standing

from .conftest import today

pytestmark = pytest.mark.django_db


def standing(firm):
    return Standing.objects.get(pk=firm.pk)


def evidence(name="整改报告.pdf", size=100):
    return SimpleUploadedFile(name, b"%PDF" + b"0" * size, content_type="application/pdf")


def test_a_record_rescores_the_firm_and_tells_its_people(w, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        rec = w.record("penalty", "general")
    s = standing(w.firm)
    assert (s.score, s.grade) == (90, "B")
    assert s.explanation == [{"record": rec.pk, "kind": "penalty", "severity": "general", "delta": -10, "cap": None,
                              "list": "", "until": (rec.decided_on + timedelta(days=1094)).isoformat()}]
    assert rec.public_to == rec.decided_on + timedelta(days=1094)  # the rule's period when none is given
    assert Event.objects.filter(record=rec, action="credit.record.created").exists()
    assert Notification.objects.filter(recipient=w.member, link=f"/credit/records/{rec.pk}/").exists()
    assert ScoreHistory.objects.filter(enterprise=w.firm).last().ruleset.version == 1


def test_hard_rules_and_automatic_lists(w):
    w.record("tax_a")
    assert standing(w.firm).grade == "A"
    assert ListEntry.objects.get(enterprise=w.firm, kind="red").automatic
    bad = w.record("serious_dishonest", actor=w.admin, department=w.market)
    s = standing(w.firm)
    assert (s.score, s.grade) == (70, "D")  # C by the score, D by the hard rule
    assert ListEntry.objects.get(enterprise=w.firm, kind="red").status == "ended"
    black = ListEntry.objects.get(enterprise=w.firm, kind="black")
    assert (black.status, black.record_id) == ("active", bad.pk)
    applies = selectors.measures_for(w.firm.pk)
    assert {m.code for m in applies["measures"]} == {"raise-sampling", "limit-subsidy", "limit-bidding",
                                                     "key-supervision"}
    services.record_revoke(actor=w.head, record=bad, reason="录入错误")
    assert standing(w.firm).grade == "A"
    assert ListEntry.objects.get(pk=black.pk).status == "ended"
    assert ListEntry.objects.filter(enterprise=w.firm, kind="red", status="active").count() == 1


def test_judgment_defaulter_is_at_least_c(w):
    for i in range(3):
        w.record("honour", number=f"表彰{i}")
    w.record("judgment_defaulter", actor=w.admin, department=w.market)
    s = standing(w.firm)
    assert s.score == 85 and s.grade == "C"


def test_rule_versions_rescore_everyone_and_history_keeps_the_old_version(w, django_capture_on_commit_callbacks):
    w.record("penalty", "general")
    assert standing(w.firm).grade == "B"
    draft = services.ruleset_new_draft(actor=w.admin)
    assert draft.version == 2 and draft.status == "draft"
    rules = [{"kind": r.kind, "severity": r.severity, "delta": r.delta, "counts_days": r.counts_days, "cap": r.cap,
              "list_kind": r.list_kind, "repair_after_days": r.repair_after_days} for r in draft.rules.all()]
    for r in rules:
        if (r["kind"], r["severity"]) == ("penalty", "general"):
            r["delta"] = -35
    services.ruleset_update(actor=w.admin, ruleset=draft, rules=rules, name="加重版")
    assert standing(w.firm).grade == "B"  # a draft changes nothing
    from yingshang.core.models import Job

    with django_capture_on_commit_callbacks(execute=True):
        result = services.ruleset_activate(actor=w.admin, ruleset=draft)
        assert standing(w.firm).grade == "B"  # rescored in the background, after the commit
    job = Job.objects.get(pk=result["job"])
    assert job.name == "credit.rescore" and job.state == "done" and job.result["firms"] >= 2
    s = standing(w.firm)
    assert (s.score, s.grade, s.ruleset.version) == (65, "D", 2)
    assert list(ScoreHistory.objects.filter(enterprise=w.firm).values_list("ruleset__version", "grade")) == [
        (1, "B"), (2, "D")]
    assert RuleSet.objects.get(version=1).status == "retired"
    with pytest.raises(ValidationError):  # in force: never edited again
        services.ruleset_update(actor=w.admin, ruleset=draft, rules=rules)


def test_a_draft_that_breaks_the_invariants_is_refused(w):
    draft = services.ruleset_new_draft(actor=w.admin)
    with pytest.raises(ValidationError, match="cannot raise"):
        services.ruleset_update(actor=w.admin, ruleset=draft, rules=[{"kind": "penalty", "delta": 5}])
    with pytest.raises(ValidationError, match="thresholds"):
        services.ruleset_update(actor=w.admin, ruleset=draft, rules=[], a_min=80)
    with pytest.raises(PermissionDenied):
        services.ruleset_new_draft(actor=w.head)


def test_the_sweep_expires_records_and_is_idempotent(w):
    rec = w.record("penalty", "general", public_to=today() + timedelta(days=3))
    assert standing(w.firm).score == 90
    first = services.credit_sweep(on=today() + timedelta(days=4))
    assert first["expired"] == 1
    rec.refresh_from_db()
    assert rec.status == "expired"
    assert standing(w.firm).score == 100
    history = ScoreHistory.objects.count()
    again = services.credit_sweep(on=today() + timedelta(days=4))
    assert again["expired"] == 0 and again["changed"] == 0
    assert ScoreHistory.objects.count() == history
    assert Event.objects.filter(record=rec, action="credit.record.expired").count() == 1


def test_the_sweep_ends_decided_list_entries_at_their_end(w):
    e = services.list_add(actor=w.leader, enterprise=w.firm, kind="red", basis="管委会表彰决定",
                          ends_on=today() + timedelta(days=1))
    services.credit_sweep(on=today() + timedelta(days=2))
    e.refresh_from_db()
    assert e.status == "ended"


def test_objection_flags_the_record_and_the_department_answers(w, django_capture_on_commit_callbacks):
    rec = w.record("inspection", "minor")
    with django_capture_on_commit_callbacks(execute=True):
        req = services.objection_file(actor=w.member, record=rec, reason="检查当日已整改")
    rec.refresh_from_db()
    assert rec.status == "objection" and req.due_at > timezone.now()
    assert Notification.objects.filter(recipient=w.handler).exists()
    assert standing(w.firm).score == 97  # still counts while under review
    assert list(selectors.request_queue(w.handler)) == [req]
    assert list(selectors.request_queue(w.other_handler)) == []
    with pytest.raises(PermissionDenied):
        services.request_decide(actor=w.other_handler, record=req.record, request_obj=req, approve=True, answer="同意")
    services.request_decide(actor=w.handler, record=req.record, request_obj=req, approve=True, answer="经核实，撤销该记录")
    rec.refresh_from_db()
    assert rec.status == "revoked" and standing(w.firm).score == 100
    with pytest.raises(IllegalTransition):  # decided: nothing is pending on the record any more
        services.request_decide(actor=w.handler, record=req.record, request_obj=req, approve=False, answer="再议")


def test_rejected_objection_makes_the_record_active_again(w):
    rec = w.record("penalty", "minor")
    req = services.objection_file(actor=w.member, record=rec, reason="不服")
    services.request_decide(actor=w.handler, record=req.record, request_obj=req, approve=False, answer="事实清楚，维持")
    rec.refresh_from_db()
    assert rec.status == "active"


def test_objection_bad_input(w):
    rec = w.record("penalty", "minor")
    with pytest.raises(PermissionDenied):
        services.objection_file(actor=w.other_member, record=rec, reason="不是我们的")
    with pytest.raises(ValidationError):
        services.objection_file(actor=w.member, record=rec, reason="  ")
    services.record_revoke(actor=w.head, record=rec, reason="录入错误")
    events = Event.objects.count()
    with pytest.raises(IllegalTransition):  # only an active record can be objected to
        services.objection_file(actor=w.member, record=rec, reason="异议")
    assert Event.objects.count() == events and not Request.objects.exists()


def test_repair_after_the_minimum_period_restores_the_class(w):
    w.record("tax_a", actor=w.admin, department=w.market)
    rec = w.record("penalty", "serious", days_ago=400)
    assert standing(w.firm).grade == "C"
    req = services.repair_apply(actor=w.member, record=rec, reason="已缴纳罚款并完成整改", evidence=evidence())
    assert req.evidence_name == "整改报告.pdf"
    with pytest.raises(ValidationError, match="already pending"):
        services.repair_apply(actor=w.member, record=rec, reason="再次申请", evidence=evidence())
    services.request_decide(actor=w.head, record=req.record, request_obj=req, approve=True, answer="同意修复")
    rec.refresh_from_db()
    assert rec.status == "repaired"
    assert standing(w.firm).grade == "A"
    assert rec not in selectors.public_records(w.firm.pk)
    assert [e.action for e in rec.events.all()] == ["credit.record.created", "credit.repair.applied",
                                                    "credit.repair.approved"]


def test_an_upheld_objection_closes_the_pending_repair_and_a_revoked_record_cannot_be_repaired(w):
    rec = w.record("penalty", "serious", days_ago=400)
    repair = services.repair_apply(actor=w.member, record=rec, reason="已整改", evidence=evidence())
    objection = services.objection_file(actor=w.member, record=rec, reason="处罚决定已被复议撤销")
    services.request_decide(actor=w.head, record=objection.record, request_obj=objection, approve=True, answer="复议撤销，记录撤销")
    repair.refresh_from_db()
    assert repair.status == "rejected" and repair.decided_by == w.head
    with pytest.raises(IllegalTransition):  # the record is revoked: nothing can be decided on it
        services.request_decide(actor=w.head, record=repair.record, request_obj=repair, approve=True, answer="同意修复")
    rec.refresh_from_db()
    assert rec.status == "revoked"


def test_a_repair_of_a_record_no_longer_in_effect_is_refused(w):
    rec = w.record("penalty", "serious", days_ago=400)
    repair = services.repair_apply(actor=w.member, record=rec, reason="已整改", evidence=evidence())
    Record.objects.filter(pk=rec.pk).update(status="revoked")  # as if revoked by a path that missed the request
    with pytest.raises(ValidationError, match="in effect or expired"):
        services.request_decide(actor=w.head, record=repair.record, request_obj=repair, approve=True, answer="同意修复")
    repair.refresh_from_db()
    assert repair.status == "pending"
    services.request_decide(actor=w.head, record=repair.record, request_obj=repair, approve=False, answer="记录已撤销，无需修复")
    rec.refresh_from_db()
    assert rec.status == "revoked"


def test_repair_before_its_earliest_date_names_the_date(w):
    rec = w.record("penalty", "general", days_ago=30)
    earliest = rec.decided_on + timedelta(days=365)
    with pytest.raises(ValidationError) as exc:
        services.repair_apply(actor=w.member, record=rec, reason="已整改", evidence=evidence())
    assert earliest.isoformat() in exc.value.messages[0]
    assert not Request.objects.exists()


def test_repair_refuses_positive_records_and_bad_evidence(w):
    good = w.record("tax_a")
    with pytest.raises(ValidationError, match="negative"):
        services.repair_apply(actor=w.member, record=good, reason="x", evidence=evidence())
    rec = w.record("penalty", "minor", days_ago=100)
    with pytest.raises(ValidationError):
        services.repair_apply(actor=w.member, record=rec, reason="已整改", evidence=evidence("virus.exe"))
    big = SimpleUploadedFile("big.pdf", b"0" * (10 * 1024 * 1024 + 1), content_type="application/pdf")
    with pytest.raises(ValidationError, match="larger"):
        services.repair_apply(actor=w.member, record=rec, reason="已整改", evidence=big)
    assert not Request.objects.exists()


def test_record_bad_input_writes_nothing(w):
    kw = dict(enterprise=w.firm, kind="penalty", severity="general", description="x")
    with pytest.raises(ValidationError) as exc:
        services.record_create(actor=w.handler, decision_number="A1", decided_on=today(),
                               public_from=today(), public_to=today() - timedelta(days=1), **kw)
    assert "public_to" in exc.value.message_dict
    with pytest.raises(ValidationError, match="future"):
        services.record_create(actor=w.handler, decision_number="A2", decided_on=today() + timedelta(days=1), **kw)
    with pytest.raises(PermissionDenied):  # another department's decision
        services.record_create(actor=w.handler, decision_number="A3", decided_on=today(), department=w.ecology, **kw)
    with pytest.raises(PermissionDenied):
        services.record_create(actor=w.member, decision_number="A4", decided_on=today(), **kw)
    w.record(number="DUP")
    with pytest.raises(ValidationError, match="already recorded"):
        w.record(number="DUP")
    assert Record.objects.count() == 1


def test_manual_lists(w):
    w.record("serious_dishonest", actor=w.admin, department=w.market)
    with pytest.raises(ValidationError, match="black list"):
        services.list_add(actor=w.leader, enterprise=w.firm, kind="red", basis="表彰")
    with pytest.raises(ValidationError):
        services.list_add(actor=w.leader, enterprise=w.other_firm, kind="red", basis="x", starts_on=today(),
                          ends_on=today() - timedelta(days=1))
    with pytest.raises(PermissionDenied):
        services.list_add(actor=w.handler, enterprise=w.other_firm, kind="red", basis="x")
    e = services.list_add(actor=w.head, enterprise=w.other_firm, kind="red", basis="管委会决定表彰")
    auto = ListEntry.objects.get(enterprise=w.firm, kind="black")
    with pytest.raises(ValidationError, match="follows its basis"):
        services.list_end(actor=w.leader, entry=auto, reason="x")
    services.list_end(actor=w.leader, entry=e, reason="期满")
    e.refresh_from_db()
    assert e.status == "ended" and selectors.green_channel_ids([w.other_firm.pk]) == set()


def test_grades_at_a_past_date_come_from_the_history(w):
    w.record("penalty", "general", days_ago=100)
    ScoreHistory.objects.all().delete()
    services.history_rescore(enterprise_ids=[w.firm.pk], dates=[today() - timedelta(days=200),
                                                               today() - timedelta(days=50)])
    assert selectors.grades_at([w.firm.pk, w.other_firm.pk], today() - timedelta(days=150)) == {
        w.firm.pk: "B", w.other_firm.pk: "B"}
    assert [h.score for h in selectors.score_history(w.firm.pk)] == [100, 90]


def _csv(rows):
    header = "统一社会信用代码,类别,严重程度,决定文书号,决定日期,内容,公示起,公示止\n"
    return (header + "\n".join(",".join(r) for r in rows)).encode("utf-8")


def test_import_is_all_or_nothing(w):
    d = (today() - timedelta(days=5)).isoformat()
    good = [w.firm.uscc, "行政处罚", "一般", "罚1", d, "扬尘", "", ""]
    bad_rows = [
        ["91220101MA0Y3B2B4X", "行政处罚", "一般", "罚2", d, "x", "", ""],  # wrong check character
        [w.other_firm.uscc, "不存在的类别", "一般", "罚3", d, "x", "", ""],
        [w.other_firm.uscc, "行政处罚", "很重", "罚4", d, "x", "", ""],
        [w.other_firm.uscc, "行政处罚", "一般", "罚5", "2026-13-45", "x", "", ""],
        [w.other_firm.uscc, "行政处罚", "一般", "罚6", d, "x", d, (today() - timedelta(days=9)).isoformat()],
        good,  # the same decision twice
    ]
    report = services.records_import(actor=w.handler, data=_csv([good] + bad_rows), filename="导入.csv")
    assert not report.ok
    assert [e.row for e in report.errors] == [3, 4, 5, 6, 7, 8]
    assert "校验" in str(report.errors[0]) or report.errors[0].column == "统一社会信用代码"
    assert Record.objects.count() == 0 and Event.objects.count() == 0
    report = services.records_import(actor=w.handler, data=_csv([good, [w.other_firm.uscc, "纳税信用A级", "", "A1", d,
                                                                      "A级", "", ""]]), filename="导入.csv")
    assert report.ok and report.created == 2
    assert standing(w.firm).score == 90 and standing(w.other_firm).grade == "A"
    assert set(Record.objects.values_list("department_id", flat=True)) == {w.market.pk}
    assert Record.objects.filter(origin="import").count() == 2


def test_list_decisions_are_validated_before_anything_is_written(w):
    before = ListEntry.objects.count()
    for kwargs, field in ((dict(kind="gold", basis="x"), "kind"), (dict(kind="red", basis="  "), "basis"),
                          (dict(kind="red", basis="x", starts_on=today(), ends_on=today() - timedelta(days=1)),
                           "ends_on")):
        with pytest.raises(ValidationError) as exc:
            services.list_add(actor=w.head, enterprise=w.other_firm, **kwargs)
        assert field in exc.value.message_dict
    e = services.list_add(actor=w.head, enterprise=w.other_firm, kind="black", basis="联合惩戒决定")
    with pytest.raises(ValidationError, match="Give the reason"):
        services.list_end(actor=w.head, entry=e, reason=" ")
    services.list_end(actor=w.head, entry=e, reason="惩戒期满")
    with pytest.raises(ValidationError, match="already ended"):
        services.list_end(actor=w.head, entry=e, reason="再次")
    assert ListEntry.objects.count() == before + 1


def test_entering_a_record_costs_what_is_pinned(w, django_assert_num_queries):
    """The write path of a credit record (caches warm): lock, build, save, event, rescore, tell."""
    from django.db import connection

    w.record()
    with django_assert_num_queries({"postgresql": 19}.get(connection.vendor, 21)):  # PostgreSQL: sequences
        w.record(number="长汽开市监罚〔2026〕99号")
