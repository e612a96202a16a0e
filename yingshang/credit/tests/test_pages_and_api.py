from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from yingshang.credit import services
from yingshang.directory.tests.factories import EnterpriseFactory
from yingshang.credit.models import ListEntry, MeasureApplication, Record, Request, RuleSet, Standing

from .conftest import today

pytestmark = pytest.mark.django_db

STAFF_PAGES = ["/credit/", "/credit/firms/", "/credit/records/", "/credit/lists/", "/credit/requests/",
               "/credit/rules/", "/credit/measures/"]


@pytest.mark.parametrize("who, status", [("member", 403), ("handler", 200), ("leader", 200), ("supervisor", 200),
                                         ("admin", 200), ("steward", 200)])
def test_staff_pages_by_role(client, w, who, status):
    w.record()
    client.force_login(getattr(w, who))
    for url in STAFF_PAGES:
        assert client.get(url).status_code == status, url


def test_anonymous_users_are_sent_to_log_in(client, w):
    for url in STAFF_PAGES + ["/credit/records/new/"]:
        assert client.get(url).status_code == 302


@pytest.mark.parametrize("who, status", [("member", 403), ("steward", 403), ("leader", 403), ("handler", 200),
                                         ("head", 200), ("admin", 200)])
def test_who_may_enter_records(client, w, who, status):
    client.force_login(getattr(w, who))
    assert client.get("/credit/records/new/").status_code == status
    assert client.get("/credit/records/import/").status_code == status


def test_entering_a_record_on_the_page(client, w):
    client.force_login(w.handler)
    form = {"uscc": w.firm.uscc.lower(), "kind": "penalty", "severity": "general", "decision_number": "长汽开市监罚〔2026〕9号",
            "decided_on": (today() - timedelta(days=3)).isoformat(), "description": "未按规定公示年报"}
    response = client.post("/credit/records/new/", form)
    rec = Record.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/credit/records/{rec.pk}/"
    assert rec.department == w.market and Standing.objects.get(pk=w.firm.pk).score == 90
    # Bad input: a clear message in Chinese, 400, nothing written.
    bad = client.post("/credit/records/new/", {**form, "uscc": "91220101MA0Y3B2B4X"})
    assert bad.status_code == 400 and "校验" in bad.content.decode()
    unknown = client.post("/credit/records/new/", {**form, "uscc": "91350100M000100Y43"})
    assert unknown.status_code == 400 and "没有" in unknown.content.decode()
    inverted = client.post("/credit/records/new/", {**form, "decision_number": "X2", "public_from": today().isoformat(),
                                                   "public_to": (today() - timedelta(days=1)).isoformat()})
    assert inverted.status_code == 400
    assert Record.objects.count() == 1


def test_a_firm_sees_its_own_records_only(client, w):
    mine = w.record()
    theirs = w.record(firm=w.other_firm)
    client.force_login(w.member)
    assert client.get(f"/credit/records/{mine.pk}/").status_code == 200
    assert client.get(f"/credit/records/{theirs.pk}/").status_code == 404
    assert client.post(f"/credit/records/{theirs.pk}/objection/", {"objection-reason": "x"}).status_code == 404
    profile = client.get(f"/directory/enterprises/{w.firm.pk}/").content.decode()
    assert 'data-testid="credit-panel"' in profile and mine.decision_number in profile


def test_objection_and_decision_on_the_pages(client, w):
    rec = w.record("inspection", "minor")
    client.force_login(w.member)
    page = client.get(f"/credit/records/{rec.pk}/").content.decode()
    assert 'data-testid="action-objection"' in page and 'data-testid="action-revoke"' not in page
    assert client.post(f"/credit/records/{rec.pk}/objection/", {"objection-reason": ""}).status_code == 400
    assert client.post(f"/credit/records/{rec.pk}/objection/", {"objection-reason": "已整改"}).status_code == 302
    rec.refresh_from_db()
    assert rec.status == "objection"
    client.force_login(w.other_handler)  # another department: no decision form, and a refusal
    assert 'data-testid="action-decide"' not in client.get(f"/credit/records/{rec.pk}/").content.decode()
    client.force_login(w.handler)
    assert client.post(f"/credit/records/{rec.pk}/decide/", {"decide-approve": "yes",
                                                             "decide-answer": ""}).status_code == 400
    assert client.post(f"/credit/records/{rec.pk}/decide/", {"decide-approve": "no",
                                                             "decide-answer": "维持"}).status_code == 302
    rec.refresh_from_db()
    assert rec.status == "active" and Request.objects.get().status == "rejected"


def test_repair_on_the_page_refuses_before_the_date_and_accepts_evidence(client, w):
    early = w.record("penalty", "general", days_ago=30)
    late = w.record("penalty", "general", days_ago=400)
    client.force_login(w.member)
    pdf = SimpleUploadedFile("整改.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = client.post(f"/credit/records/{early.pk}/repair/", {"repair-reason": "已整改", "repair-evidence": pdf})
    assert response.status_code == 400
    assert (early.decided_on + timedelta(days=365)).isoformat() in response.content.decode()
    pdf.seek(0)
    response = client.post(f"/credit/records/{late.pk}/repair/", {"repair-reason": "已整改", "repair-evidence": pdf})
    assert response.status_code == 302
    req = Request.objects.get()
    download = client.get(f"/credit/evidence/{req.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 test"
    client.force_login(w.other_member)
    assert client.get(f"/credit/evidence/{req.pk}/").status_code == 404


def test_lists_page_add_and_end(client, w):
    client.force_login(w.leader)
    assert client.post("/credit/lists/", {"uscc": w.other_firm.uscc, "kind": "red", "basis": ""}).status_code == 400
    response = client.post("/credit/lists/", {"uscc": w.other_firm.uscc, "kind": "red", "basis": "管委会表彰"})
    assert response.status_code == 302
    entry = ListEntry.objects.get()
    assert w.other_firm.name in client.get("/credit/lists/?kind=red").content.decode()
    assert client.post(f"/credit/lists/{entry.pk}/end/", {"reason": ""}).status_code == 400
    assert client.post(f"/credit/lists/{entry.pk}/end/", {"reason": "期满"}).status_code == 302
    client.force_login(w.handler)
    assert client.post("/credit/lists/", {"uscc": w.firm.uscc, "kind": "black", "basis": "x"}).status_code == 403


def test_rules_editor(client, w):
    client.force_login(w.handler)
    assert client.post("/credit/rules/draft/").status_code == 403
    client.force_login(w.admin)
    response = client.post("/credit/rules/draft/")
    draft = RuleSet.objects.get(status="draft")
    assert response["Location"] == f"/credit/rules/{draft.pk}/edit/"
    page = client.get(response["Location"])
    formset = page.context["formset"]
    data = {"name": "第二版", "base": 100, "a_min": 115, "b_min": 90, "c_min": 70, "note": "",
            "rules-TOTAL_FORMS": len(formset.forms), "rules-INITIAL_FORMS": formset.initial_form_count(),
            "rules-MIN_NUM_FORMS": 0, "rules-MAX_NUM_FORMS": 1000}
    for i, f in enumerate(formset.forms):
        for name, value in (f.initial or {}).items():
            data[f"rules-{i}-{name}"] = value
    penalty = next(i for i, f in enumerate(formset.forms) if (f.initial or {}).get("kind") == "penalty")
    bad = dict(data, **{f"rules-{penalty}-delta": 7})  # a penalty raising the score
    assert client.post(response["Location"], bad).status_code == 400
    ok = client.post(response["Location"], dict(data, activate="1", **{f"rules-{penalty}-DELETE": "on"}))
    assert ok.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "active" and draft.a_min == 115 and draft.rules.count() == formset.initial_form_count() - 1


def test_list_pages_query_counts_do_not_grow(client, w):
    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    client.force_login(w.handler)
    w.record("serious_dishonest")
    pages = ["/credit/records/", "/credit/lists/?kind=black", "/credit/firms/", "/credit/requests/", "/credit/",
             "/public/credit/list/black/"]
    services.objection_file(actor=w.member, record=w.record("penalty", "minor"), reason="异议")
    for u in pages:
        count(u)  # fills the cached trend
    before = {u: count(u) for u in pages}
    services.objection_file(actor=w.member, record=w.record("penalty", "minor"), reason="异议")
    for _ in range(8):
        w.record("judgment_defaulter", firm=EnterpriseFactory(), actor=w.admin, department=w.market)
    after = {u: count(u) for u in pages}
    assert after == before
    assert max(after.values()) <= 13


def test_public_pages_publish_records_without_personal_data(client, w):
    rec = w.record("penalty", "general")
    repaired = w.record("penalty", "minor", days_ago=200)
    Record.objects.filter(pk=repaired.pk).update(status="repaired")
    w.record("serious_dishonest", firm=w.other_firm, actor=w.admin, department=w.market)
    page = client.get(f"/public/credit/?q={w.firm.name[:6]}").content.decode()
    assert w.firm.name in page
    firm_page = client.get(f"/public/credit/{w.firm.uscc}/").content.decode()
    assert rec.decision_number in firm_page and repaired.decision_number not in firm_page
    assert w.firm.legal_representative not in firm_page and "13812345678" not in firm_page
    assert w.other_firm.name in client.get("/public/credit/list/black/").content.decode()
    assert client.get("/public/credit/list/grey/").status_code == 404
    assert client.get("/public/credit/91220101MA0Y3B2B4X/").status_code == 404


def test_measures_api(w):
    api = APIClient()
    w.record("tax_a")
    api.force_authenticate(w.handler)
    body = api.get(f"/api/v1/credit/measures?uscc={w.firm.uscc}").json()
    assert body["grade"] == "A" and body["lists"] == ["red"]
    assert {m["code"] for m in body["measures"]} == {"green-channel", "tolerate-missing", "lower-sampling",
                                                    "priority-recommend"}
    assert not MeasureApplication.objects.exists()
    api.get(f"/api/v1/credit/measures?uscc={w.firm.uscc}&context=subsidy-review&ref=BT-2026-7")
    assert MeasureApplication.objects.filter(ref="BT-2026-7", context="api:subsidy-review").count() == 4
    bad = api.get("/api/v1/credit/measures?uscc=91220101MA0Y3B2B4X")
    assert bad.status_code == 400 and "uscc" in bad.json()["fields"]
    unknown = api.get("/api/v1/credit/measures?uscc=91350100M000100Y43")
    assert unknown.status_code == 404 and unknown.json()["code"] == "unknown_enterprise"
    plain = api.get(f"/api/v1/credit/measures?uscc={w.other_firm.uscc}").json()
    assert (plain["grade"], plain["measures"]) == ("B", [])
    api.force_authenticate(w.member)
    assert api.get(f"/api/v1/credit/measures?uscc={w.firm.uscc}").status_code == 200
    assert api.get(f"/api/v1/credit/measures?uscc={w.other_firm.uscc}").status_code == 404
    api.force_authenticate(None)
    assert api.get(f"/api/v1/credit/measures?uscc={w.firm.uscc}").status_code in (401, 403)


def test_records_and_score_api(w):
    api = APIClient()
    api.force_authenticate(w.handler)
    payload = {"enterprise": w.firm.uscc, "kind": "penalty", "severity": "serious", "decision_number": "API-1",
               "decided_on": today().isoformat(), "description": "接口写入"}
    created = api.post("/api/v1/credit/records/", payload, format="json")
    assert created.status_code == 201 and created.json()["department"] == "market"
    assert api.post("/api/v1/credit/records/", payload, format="json").status_code == 400  # the same decision
    inverted = api.post("/api/v1/credit/records/", {**payload, "decision_number": "API-2",
                                                    "public_from": today().isoformat(),
                                                    "public_to": (today() - timedelta(days=2)).isoformat()},
                        format="json")
    assert inverted.status_code == 400 and "public_to" in inverted.json()["fields"]
    score = api.get(f"/api/v1/credit/score?uscc={w.firm.uscc}").json()
    assert (score["score"], score["grade"], score["rule_version"]) == (75, "C", 1)
    assert score["explanation"][0]["cap"] == "C"
    api.force_authenticate(w.other_member)
    assert api.get("/api/v1/credit/records/").json()["results"] == [] if "results" in \
        api.get("/api/v1/credit/records/").json() else api.get("/api/v1/credit/records/").json() == []
    assert api.get(f"/api/v1/credit/score?uscc={w.firm.uscc}").status_code == 404
    assert api.post("/api/v1/credit/records/", {**payload, "decision_number": "API-3"},
                    format="json").status_code == 403
    api.force_authenticate(w.member)
    listed = api.get("/api/v1/credit/records/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [r["decision_number"] for r in rows] == ["API-1"]


def test_a_red_list_firms_problem_carries_the_green_channel(client, w):
    from yingshang.tickets import services as tickets
    from yingshang.tickets.models import Category

    tickets.categories_ensure_defaults()
    w.record("tax_a")
    t = tickets.ticket_register(actor=w.member, enterprise=w.firm, category=Category.objects.get(name="供电"),
                                title="厂区停电", description="请协调恢复供电")
    applied = MeasureApplication.objects.get()
    assert (applied.measure.code, applied.context, applied.ref) == ("green-channel", "tickets.register", t.number)
    client.force_login(w.member)
    assert 'data-testid="green-channel"' in client.get(f"/tickets/{t.pk}/").content.decode()
