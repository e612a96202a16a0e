import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yingshang.inspections import draw, services
from yingshang.inspections.models import Plan, Visit

from .test_services import drawn, plan, w  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


def test_pages_by_role(client, w):  # noqa: F811
    p, d = drawn(w)
    v = Visit.objects.filter(draw=d).first()
    for user, status in ((w.handler, 200), (w.head, 200), (w.member, 403)):
        client.force_login(user)
        assert client.get("/inspections/").status_code == status
        assert client.get(f"/inspections/plans/{p.pk}/").status_code == status
    client.force_login(w.member)
    assert client.get(f"/inspections/visits/{v.pk}/").status_code == 404  # not its firm, or not yet inspected
    client.force_login(v.inspectors.first().user)
    assert client.get("/inspections/mine/").status_code == 200
    assert v.enterprise.name in client.get("/inspections/mine/").content.decode()
    assert 'data-testid="result-form"' in client.get(f"/inspections/visits/{v.pk}/").content.decode()
    client.logout()
    assert client.get("/inspections/").status_code == 302


def test_plan_form_and_actions(client, w):  # noqa: F811
    client.force_login(w.handler)
    data = {"name": "专项抽查", "lead_department": w.market.pk, "departments": [w.market.pk, w.fire.pk],
            "items": [i.pk for i in w.items], "starts_on": "2026-11-02", "ends_on": "2026-12-31", "industry": "",
            "ratio_a": "0.02", "ratio_b": "0.5", "ratio_c": "0.1", "ratio_d": "0.3", "min_inspectors": 2, "cap": 0,
            "quiet_months": 6}
    assert client.post("/inspections/plans/new/", {**data, "ends_on": "2026-10-01"}).status_code == 400
    assert client.post("/inspections/plans/new/", {**data, "ratio_a": "2"}).status_code == 400
    response = client.post("/inspections/plans/new/", data)
    p = Plan.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/inspections/plans/{p.pk}/"
    assert client.post(f"/inspections/plans/{p.pk}/approve/").status_code == 403  # a handler does not approve
    assert client.post(f"/inspections/plans/{p.pk}/freeze/").status_code == 409  # not approved yet
    client.force_login(w.head)
    assert client.post(f"/inspections/plans/{p.pk}/approve/").status_code == 302
    client.force_login(w.handler)
    assert client.post(f"/inspections/plans/{p.pk}/freeze/").status_code == 302
    assert client.post(f"/inspections/plans/{p.pk}/draw/", {"seed-seed": "  ", "seed-note": ""}).status_code == 302
    assert Plan.objects.get().status == "drawn" and len(p.draws.get().seed) == 20  # blank: the system's seed


def test_visit_actions_refuse_bad_input(client, w):  # noqa: F811
    p, d = drawn(w)
    v = Visit.objects.filter(draw=d).first()
    client.force_login(v.inspectors.first().user)
    url = f"/inspections/visits/{v.pk}/"
    assert client.post(url + "result/", {"result-item": w.items[0].pk, "result-outcome": "nonsense"}).status_code == 400
    assert client.post(url + "result/", {"result-item": w.items[0].pk, "result-outcome": "ordered"}).status_code == 400
    assert client.post(url + "complete/").status_code == 400
    assert not v.results.exists()
    assert client.post(url + "result/", {"result-item": w.items[0].pk, "result-outcome": "ok"}).status_code == 302
    assert client.post(url + "verify/", {"order": 999}).status_code == 404


def test_public_pages_and_the_downloadable_record(client, w):  # noqa: F811
    p, d = drawn(w)
    page = client.get("/public/inspections/").content.decode()
    assert p.number in page and d.seed in page
    detail = client.get(f"/public/inspections/draws/{d.pk}/").content.decode()
    assert d.firms_hash in detail and d.record_hash in detail
    assert w.inspectors[0].name not in detail  # inspectors appear by certificate only
    download = client.get(f"/public/inspections/draws/{d.pk}.json")
    assert download["Content-Disposition"].startswith("attachment")
    assert draw.verify(json.loads(download.content)) is None
    frozen = services.pools_freeze(actor=w.handler, plan=p, reason="重新抽取")
    assert client.get(f"/public/inspections/draws/{frozen.pk}/").status_code == 404  # no seed yet: nothing drawn


def test_list_pages_query_counts_do_not_grow(client, w, django_assert_max_num_queries):  # noqa: F811
    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    p, d = drawn(w)
    client.force_login(w.handler)
    urls = ["/inspections/", f"/inspections/plans/{p.pk}/", "/public/inspections/"]
    for u in urls:
        count(u)  # fills the cached roles
    before = {u: count(u) for u in urls}
    plan(w, name="另一个计划")
    services.plan_approve(actor=w.head, plan=Plan.objects.get(name="另一个计划"))
    p2 = Plan.objects.get(name="另一个计划")
    services.draw_run(actor=w.handler, draw=services.pools_freeze(actor=w.handler, plan=p2), seed="99")
    after = {u: count(u) for u in urls}
    assert after == before
    client.force_login(Visit.objects.filter(draw=d).first().inspectors.first().user)
    with django_assert_max_num_queries(10):
        client.get("/inspections/mine/")


def test_api_is_scoped(w):  # noqa: F811
    from rest_framework.test import APIClient

    p, d = drawn(w)
    v = Visit.objects.filter(draw=d).first()
    api = APIClient()
    api.force_authenticate(w.handler)
    plans = api.get("/api/v1/inspections/plans/").json()
    rows = plans["results"] if isinstance(plans, dict) else plans
    assert rows[0]["number"] == p.number and rows[0]["draws"][0]["firms_hash"] == d.firms_hash
    inspector = v.inspectors.first().user
    api.force_authenticate(inspector)
    mine = api.get("/api/v1/inspections/visits/").json()
    mine = mine["results"] if isinstance(mine, dict) else mine
    assert mine and all(inspector.inspector.certificate in r["inspectors"] for r in mine)
    api.force_authenticate(w.member)
    theirs = api.get("/api/v1/inspections/visits/").json()
    assert (theirs["results"] if isinstance(theirs, dict) else theirs) == []  # nothing completed for its firm
    api.force_authenticate(None)
    record = api.get(f"/api/v1/inspections/draws/{d.pk}/record/").json()
    assert draw.verify(record) is None


def test_campaign_pages(client, w):  # noqa: F811
    client.force_login(w.handler)
    assert client.post("/inspections/campaigns/new/", {"name": "", "sector": "fire", "department": w.fire.pk,
                                                       "starts_on": "2026-11-01", "ends_on": "2026-12-31"}).status_code == 400
    response = client.post("/inspections/campaigns/new/", {"name": "燃气安全专项排查", "sector": "gas",
                                                           "department": w.fire.pk, "starts_on": "2026-11-01",
                                                           "ends_on": "2026-12-31"})
    url = response["Location"]
    bad = client.post(url, {"check-uscc": "91220101MA0Y3B2B4X", "check-checked_on": "2026-11-20",
                            "check-checkers": "甲", "check-level": "general", "check-workdays": 10})
    assert bad.status_code == 400
    ok = client.post(url, {"check-uscc": w.firms[0].uscc, "check-checked_on": "2026-11-20", "check-checkers": "甲、乙",
                           "check-hazard": "燃气报警器未安装", "check-level": "major", "check-workdays": 10})
    assert ok.status_code == 302
    page = client.get(url).content.decode()
    assert "燃气报警器未安装" in page and 'data-testid="major-open">1<' in page
    from yingshang.inspections.models import Hazard

    h = Hazard.objects.get()
    assert client.post(f"/inspections/hazards/{h.pk}/rectify/", {"rectify-rectification": ""}).status_code == 400
    assert client.post(f"/inspections/hazards/{h.pk}/rectify/",
                       {"rectify-rectification": "已安装报警器"}).status_code == 302
    assert "燃气" in client.get("/inspections/campaigns/").content.decode()
    client.force_login(w.member)
    assert client.get("/inspections/campaigns/").status_code == 403


def test_published_results_download(client, w):  # noqa: F811
    import csv
    import io

    p, d = drawn(w)
    v = Visit.objects.filter(draw=d).first()
    for item in w.items:
        services.result_record(actor=v.inspectors.first().user, visit=v, item=item, outcome="ok")
    services.visit_complete(actor=v.inspectors.first().user, visit=v)
    services.plan_publish(actor=w.handler, plan=p)
    response = client.get(f"/public/inspections/draws/{d.pk}/results.csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:2] == ["企业名称", "统一社会信用代码"] and len(rows) == 3 and rows[1][1] == v.enterprise.uscc
    client.force_login(w.handler)
    page = client.get("/inspections/?date_from=2000-01-01").content.decode()
    assert 'data-testid="visits-saved">10<' in page


def test_directories_and_campaigns_api(w):  # noqa: F811
    from datetime import date

    from rest_framework.test import APIClient

    c = services.campaign_create(actor=w.handler, name="燃气专项排查", sector="gas", department=w.fire,
                                 starts_on=date(2026, 11, 1), ends_on=date(2026, 12, 31))
    services.check_record(actor=w.handler, campaign=c, enterprise=w.firms[0], checked_on=date(2026, 11, 20),
                          checkers="甲", hazards=[{"description": "报警器缺失", "level": "major", "workdays": 5}])
    api = APIClient()
    api.force_authenticate(w.handler)

    def rows(url):
        body = api.get(url).json()
        return body["results"] if isinstance(body, dict) and "results" in body else body

    assert {i["code"] for i in rows("/api/v1/inspections/items/")} == {"SC-01", "XF-01"}
    assert len(rows("/api/v1/inspections/inspectors/")) == 8
    assert rows(f"/api/v1/inspections/campaigns/{c.pk}/checks/")[0]["hazards"][0]["level"] == "major"
    assert api.get(f"/api/v1/inspections/campaigns/{c.pk}/statistics/").json()["overall"]["major_open"] == 1
    api.force_authenticate(w.member)
    assert rows("/api/v1/inspections/inspectors/") == [] and rows("/api/v1/inspections/campaigns/") == []


def test_approved_plans_are_public(client, w):  # noqa: F811
    p = plan(w)
    assert p.number not in client.get("/public/inspections/").content.decode()  # a draft is not published
    services.plan_approve(actor=w.head, plan=p)
    assert p.number in client.get("/public/inspections/").content.decode()


def test_photos_and_evidence_are_shown_where_they_were_uploaded_and_the_visit_moves_on(client, w, make_user):  # noqa: F811
    from django.core.files.uploadedfile import SimpleUploadedFile

    from yingshang.directory.models import EnterpriseMember
    from yingshang.inspections.models import Order, Result

    p, d = drawn(w)
    v = Visit.objects.filter(draw=d).first()
    EnterpriseMember.objects.get_or_create(user=w.member, enterprise=v.enterprise)
    inspector = v.inspectors.first().user
    client.force_login(inspector)
    url = f"/inspections/visits/{v.pk}/"
    photo = SimpleUploadedFile("现场.jpg", b"\xff\xd8 scene", content_type="image/jpeg")
    assert client.post(url + "result/", {"result-item": w.items[0].pk, "result-outcome": "ordered",
                                         "result-requirement": "更换灭火器", "result-workdays": 5,
                                         "result-photo": photo}).status_code == 302
    assert Visit.objects.get(pk=v.pk).status == "inspecting"  # saving a first result moves the visit on
    assert v.events.filter(action="inspections.visit.result_recorded", from_status="assigned",
                           to_status="inspecting").exists()
    r = Result.objects.get(visit=v)
    page = client.get(url).content.decode()
    assert f'href="/inspections/results/{r.pk}/photo/"' in page and 'data-testid="thumbnail"' in page
    assert "Inspection results" in page or "检查结果" in page
    shown = client.get(f"/inspections/results/{r.pk}/photo/")
    assert shown.status_code == 200 and shown["Content-Type"] == "image/jpeg"
    assert not shown["Content-Disposition"].startswith("attachment")  # an image opens in the browser
    assert b"".join(shown.streaming_content) == b"\xff\xd8 scene"
    for item in w.items[1:]:
        client.post(url + "result/", {"result-item": item.pk, "result-outcome": "ok"})
    assert client.post(url + "complete/").status_code == 302
    order = Order.objects.get(visit=v)
    client.force_login(w.member)
    pdf = SimpleUploadedFile("整改报告.pdf", b"%PDF-1.4 report", content_type="application/pdf")
    assert client.post(url + "submit/", {"order": order.pk, "evidence-note": "已更换",
                                         "evidence-evidence": pdf}).status_code == 302
    page = client.get(url).content.decode()
    assert f'href="/inspections/orders/{order.pk}/evidence/"' in page and 'data-testid="file-link"' in page
    download = client.get(f"/inspections/orders/{order.pk}/evidence/")
    assert download["Content-Disposition"].startswith("attachment")  # not an image: downloaded
    assert b"".join(download.streaming_content) == b"%PDF-1.4 report"
    # staff of another firm may see neither the visit nor its files
    from yingshang.directory.tests.factories import EnterpriseFactory

    client.force_login(make_user("enterprise", enterprise=EnterpriseFactory()))
    for path in (url, f"/inspections/results/{r.pk}/photo/", f"/inspections/orders/{order.pk}/evidence/"):
        assert client.get(path).status_code == 404
