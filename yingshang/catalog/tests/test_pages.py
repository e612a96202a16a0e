"""The applications' pages and API: a firm applies and follows, the window records and accepts with 容缺,
the inbox's tabs and lights, ratings from the page, bundles — the same rules through both doors; another
firm's record is not found; a refused action writes nothing; the lists' query counts are pinned."""

import json

import pytest
from django.urls import reverse

from yingshang.catalog import services
from yingshang.catalog.models import Application, ApplicationEvent, BundleApplication, Rating

from .conftest import at

pytestmark = pytest.mark.django_db
FORM = {"f_name": "长春星驰汽车零部件有限公司", "f_capital": "500万元", "f_legal": "张三"}


def test_a_firm_applies_online_and_follows_its_application(client, cw):
    client.force_login(cw.member)
    page = client.get(reverse("catalog:apply", args=[cw.register.code]))
    assert page.status_code == 200 and "住所使用证明" in page.content.decode()
    bad = client.post(reverse("catalog:apply", args=[cw.register.code]), {"enterprise": cw.firm.pk, "f_name": "X"})
    assert bad.status_code == 400 and not Application.objects.exists()
    r = client.post(reverse("catalog:apply", args=[cw.register.code]), {"enterprise": cw.firm.pk, **FORM})
    a = Application.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("catalog:detail", args=[a.pk])
    assert a.form_data["capital"] == "500万元" and a.channel == "online"
    mine = client.get(reverse("catalog:mine"))
    assert a.number in mine.content.decode()
    assert client.get(reverse("catalog:detail", args=[a.pk])).status_code == 200
    client.force_login(cw.outsider)
    assert client.get(reverse("catalog:detail", args=[a.pk])).status_code == 404
    assert client.get(f"/api/v1/catalog/applications/{a.pk}/").status_code == 404
    assert a.number not in client.get(reverse("catalog:mine")).content.decode()


def test_the_window_records_accepts_with_a_missing_material_and_prints_the_notice(client, cw):
    client.force_login(cw.hall_clerk)
    wrong = client.post(reverse("catalog:counter"), {"uscc": "91220101MA0000000X", "code": cw.seal.code, "visits": 1})
    assert wrong.status_code == 400 and not Application.objects.exists()
    r = client.post(reverse("catalog:counter"), {"uscc": cw.firm.uscc, "code": cw.register.code, "visits": 1,
                                                 **FORM})
    # the register item asks its form's fields: at the window an item application is recorded, the form on paper
    a = Application.objects.get()
    assert r.status_code == 302 and a.channel == "window" and a.visits == 1 and a.applicant == cw.hall_clerk
    client.force_login(cw.clerk)
    r = client.post(reverse("catalog:act", args=[a.pk, "accept"]), {"accept-missing": "住所使用证明",
                                                                    "accept-note": "现场核对原件"})
    assert r.status_code == 302
    a.refresh_from_db()
    assert a.status == "review" and a.missing == ["住所使用证明"]
    notice = client.get(reverse("catalog:notice", args=[a.pk])).content.decode()
    assert "容缺受理通知书" in notice and "住所使用证明" in notice and cw.firm.name in notice
    client.force_login(cw.member)
    page = client.get(reverse("catalog:detail", args=[a.pk])).content.decode()
    assert 'data-testid="needed-supply"' in page and "现场核对原件" not in page  # the official's note stays inside
    events = client.get(f"/api/v1/catalog/applications/{a.pk}/events/").json()
    assert all("internal_note" not in e for e in events)


def test_the_window_does_not_accept_for_another_department(client, cw):
    a = services.application_submit(actor=cw.member, item=cw.seal, enterprise=cw.firm,
                                    form_data={"name": "X", "legal": "Y"})
    client.force_login(cw.tax_clerk)
    assert client.post(reverse("catalog:act", args=[a.pk, "accept"]), {}).status_code in (403, 404)
    assert client.post(f"/api/v1/catalog/applications/{a.pk}/accept/", {}).status_code in (403, 404)
    a.refresh_from_db()
    assert a.status == "submitted" and ApplicationEvent.objects.count() == 1


def test_the_api_applies_acts_and_answers_409_on_a_state_that_moved_on(client, cw):
    client.force_login(cw.member)
    r = client.post("/api/v1/catalog/applications/", json.dumps({
        "item": cw.seal.code, "enterprise": cw.firm.uscc, "form_data": {"name": "X", "legal": "Y"}}),
        content_type="application/json")
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert r.json()["number"].startswith("BJ-") and r.json()["status"] == "submitted"
    bad = client.post("/api/v1/catalog/applications/", json.dumps({"item": cw.seal.code, "enterprise": "nope"}),
                      content_type="application/json")
    assert bad.status_code == 400 and bad.json()["code"] == "invalid"
    assert client.post(f"/api/v1/catalog/applications/{pk}/accept/", {}).status_code == 403  # the firm does not
    client.force_login(cw.clerk)
    ok = client.post(f"/api/v1/catalog/applications/{pk}/accept/", {}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["status"] == "review" and ok.json()["due_at"]
    again = client.post(f"/api/v1/catalog/applications/{pk}/accept/", {}, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "illegal_transition"
    nul = client.post(f"/api/v1/catalog/applications/{pk}/approve/", json.dumps({"licence_number": "A\x00B"}),
                      content_type="application/json")
    assert nul.status_code == 400
    assert Application.objects.get(pk=pk).status == "review"
    assert client.get("/api/v1/catalog/applications/99999999999999999999/").status_code == 404
    client.force_login(cw.member)
    filtered = client.post("/api/v1/catalog/applications/?status=review", json.dumps({
        "item": cw.seal.code, "enterprise": cw.firm.uscc, "form_data": {"name": "X", "legal": "Y"}}),
        content_type="application/json")
    assert filtered.status_code == 201 and filtered.json()["status"] == "submitted"
    client.force_login(cw.tax_clerk)  # an official rates nothing: refused before the body is read
    assert client.post("/api/v1/catalog/ratings/", json.dumps({"application": pk, "overall": 9}),
                       content_type="application/json").status_code == 403


def test_the_catalogue_is_public_over_the_api(client, cw):
    r = client.get("/api/v1/catalog/items/")
    assert r.status_code == 200 and {i["code"] for i in r.json()["results"]} == {"MS001", "MS002", "TX001"}
    assert client.get(f"/api/v1/catalog/items/{cw.register.code}/").json()["form_fields"][0]["key"] == "name"
    assert client.get("/api/v1/catalog/bundles/").json()["results"][0]["items"] == ["MS001", "MS002", "TX001"]
    assert client.get("/api/v1/catalog/applications/").status_code in (401, 403)


def test_the_inbox_tabs_lights_and_query_count(client, cw, django_assert_num_queries):
    for i in range(3):
        a = services.application_submit(actor=cw.member, item=cw.seal, enterprise=cw.firm,
                                        form_data={"name": "X", "legal": "Y"})
        if i:
            services.application_accept(actor=cw.clerk, application=a, at=at(2026, 1, 5))  # long overdue
    client.force_login(cw.clerk)
    page = client.get(reverse("catalog:inbox") + "?tab=late").content.decode()
    assert page.count('data-light="red"') == 2 and 'data-testid="count-todo">1<' in page.replace(" ", "")
    with django_assert_num_queries(_inbox_queries(client)):
        client.get(reverse("catalog:inbox") + "?tab=all")
    for _i in range(5):
        services.application_submit(actor=cw.member, item=cw.seal, enterprise=cw.firm,
                                    form_data={"name": "X", "legal": "Y"})
    with django_assert_num_queries(_inbox_queries(client)):  # as many queries for eight rows as for three
        client.get(reverse("catalog:inbox") + "?tab=all")
    client.force_login(cw.tax_clerk)
    assert "BJ-" not in client.get(reverse("catalog:inbox") + "?tab=all").content.decode()


def _inbox_queries(client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("catalog:inbox") + "?tab=all")
    return len(ctx.captured_queries)


def test_the_inbox_query_count_is_pinned(client, cw, django_assert_num_queries):
    for _i in range(4):
        services.application_submit(actor=cw.member, item=cw.seal, enterprise=cw.firm,
                                    form_data={"name": "X", "legal": "Y"})
    client.force_login(cw.clerk)
    client.get(reverse("catalog:inbox"))  # the session, roles and calendar are cached after the first page
    # session, user, department, whether it is the hall, the page count, the rows, the tab counts, the bell
    with django_assert_num_queries(8):
        assert client.get(reverse("catalog:inbox") + "?tab=all").status_code == 200


def test_a_firm_rates_from_the_page_and_the_department_calls_back(client, cw):
    a = services.application_submit(actor=cw.member, item=cw.seal, enterprise=cw.firm,
                                    form_data={"name": "X", "legal": "Y"})
    a = services.application_accept(actor=cw.clerk, application=a)
    a = services.application_approve(actor=cw.clerk, application=a, licence_number="L1")
    client.force_login(cw.member)
    assert 'data-testid="rating-form"' in client.get(reverse("catalog:detail", args=[a.pk])).content.decode()
    half = client.post(reverse("catalog:rate", args=[a.pk]), {"rate-overall": "2"})
    assert half.status_code == 400 and not Rating.objects.exists()
    r = client.post(reverse("catalog:rate", args=[a.pk]), {"rate-overall": "2", "rate-efficiency": "2",
                                                           "rate-attitude": "3", "rate-accuracy": "1",
                                                           "rate-comment": "指南材料清单不全", "rate-real_name": "on"})
    assert r.status_code == 302
    rating = Rating.objects.get()
    assert rating.status == "callback" and rating.department == cw.market
    client.force_login(cw.outsider)
    assert client.get(reverse("catalog:rating", args=[rating.pk])).status_code == 404
    client.force_login(cw.clerk)
    assert a.number in client.get(reverse("catalog:ratings")).content.decode()
    assert client.post(reverse("catalog:rating_act", args=[rating.pk, "call_back"]),
                       {"call_back-note": "已电话回访，企业希望补充材料示例"}).status_code == 302
    rating.refresh_from_db()
    assert rating.status == "rectify" and rating.called_back_at
    api = client.post(f"/api/v1/catalog/ratings/{rating.pk}/reply/", {"reply": "已补充样表"},
                      content_type="application/json")
    assert api.status_code == 200 and api.json()["status"] == "replied"


def test_a_firm_applies_for_a_bundle_from_the_page(client, cw):
    client.force_login(cw.member)
    page = client.get(reverse("catalog:bundle_apply", args=[cw.bundle.code])).content.decode()
    assert page.count('name="f_name"') == 1 and "法定代表人身份证明" in page
    r = client.post(reverse("catalog:bundle_apply", args=[cw.bundle.code]), {"enterprise": cw.firm.pk, **FORM})
    ba = BundleApplication.objects.get()
    assert r.status_code == 302 and ba.applications.count() == 1
    assert client.get(reverse("catalog:bundle_detail", args=[ba.pk])).status_code == 200
    client.force_login(cw.outsider)
    assert client.get(reverse("catalog:bundle_detail", args=[ba.pk])).status_code == 404


def test_the_statistics_count_and_drill_down(client, cw):
    def one(channel, decided_at, *, visits=0):
        a = services.application_submit(actor=cw.hall_clerk if channel == "window" else cw.member, item=cw.seal,
                                        enterprise=cw.firm, channel=channel, visits=visits,
                                        form_data={"name": "X", "legal": "Y"}, at=at(2026, 3, 2, 9))
        a = services.application_accept(actor=cw.clerk, application=a, at=at(2026, 3, 2, 9))
        return services.application_approve(actor=cw.clerk, application=a, licence_number="L", at=decided_at)

    one("online", at(2026, 3, 2, 15))                 # same day: 0 working days, on time
    one("online", at(2026, 3, 3, 11))                 # 1 working day, on time (committed 1)
    late = one("window", at(2026, 3, 5, 11), visits=2)  # 3 working days: late
    services.rating_submit(actor=cw.member, application=late, overall=1, efficiency=1, attitude=1, accuracy=1,
                           at=at(2026, 3, 5, 12))
    client.force_login(cw.head)
    r = client.get(reverse("catalog:statistics") + "?since=2026-03-01&until=2026-03-31")
    st = r.context["s"]
    assert st["overall"]["n"] == 3 and st["overall"]["online_rate"] == 66.7 and st["overall"]["on_time_rate"] == 66.7
    assert st["overall"]["zero_rate"] == 66.7 and st["overall"]["avg_visits"] == 0.67
    assert st["per_item"][0]["avg"] == round(4 / 3, 1) and st["per_item"][0]["committed"] == 1
    assert st["ratings"]["bad_total"] == 1 and st["ratings"]["rectified"] == 0
    assert st["items"]["total"] == 3 and st["items"]["powers"] == 3
    drill = client.get(reverse("catalog:inbox") + "?tab=done&since=2026-03-01&until=2026-03-31&late=1")
    assert drill.content.decode().count("data-number=") == 1 and late.number in drill.content.decode()
    bad = client.get(reverse("catalog:statistics") + "?since=2026-13-01")
    assert bad.status_code == 400
    odd = client.get(reverse("catalog:inbox") + "?tab=all&since=nope&item=x1")
    assert odd.status_code == 200 and odd.context["drill"]["since"] is None
    client.force_login(cw.member)
    assert client.get(reverse("catalog:statistics")).status_code == 403


def test_applications_are_in_the_firms_timeline_without_the_officials_notes(client, cw):
    a = services.application_submit(actor=cw.member, item=cw.seal, enterprise=cw.firm,
                                    form_data={"name": "X", "legal": "Y"})
    services.application_accept(actor=cw.clerk, application=a, note="内部：材料原件已核")
    client.force_login(cw.member)
    page = client.get(reverse("directory:timeline", args=[cw.firm.pk]) + "?kind=applications").content.decode()
    assert a.number in page and "内部：材料原件已核" not in page
    client.force_login(cw.head)
    assert "内部：材料原件已核" in client.get(reverse("directory:timeline", args=[cw.firm.pk])).content.decode()


def test_my_applications_query_count_is_pinned(client, cw, django_assert_num_queries):
    for _i in range(3):
        services.application_submit(actor=cw.member, item=cw.seal, enterprise=cw.firm,
                                    form_data={"name": "X", "legal": "Y"})
    client.force_login(cw.member)
    client.get(reverse("catalog:mine"))
    # session, user, member firms, page count, rows, open bundles (member firms), the bell
    with django_assert_num_queries(_count(client, reverse("catalog:mine"))):
        client.get(reverse("catalog:mine"))
    for _i in range(4):
        services.application_submit(actor=cw.member, item=cw.seal, enterprise=cw.firm,
                                    form_data={"name": "X", "legal": "Y"})
    with django_assert_num_queries(_count(client, reverse("catalog:mine"))):
        client.get(reverse("catalog:mine"))
    assert _count(client, reverse("catalog:mine")) <= 10


def _count(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return len(ctx.captured_queries)


def test_the_ratings_are_public_by_department_and_item(client, cw):
    a = services.application_submit(actor=cw.member, item=cw.seal, enterprise=cw.firm,
                                    form_data={"name": "X", "legal": "Y"})
    a = services.application_approve(actor=cw.clerk, application=services.application_accept(
        actor=cw.clerk, application=a), licence_number="L")
    services.rating_submit(actor=cw.member, application=a, overall=4, efficiency=4, attitude=4, accuracy=4,
                           comment="企业的评价意见不公开")
    page = client.get(reverse("portal:ratings")).content.decode()
    assert "市场监督管理局" in page and "企业的评价意见不公开" not in page
    assert "公章刻制备案" in client.get(reverse("portal:ratings") + "?by=item").content.decode()


def test_a_firm_uploads_its_materials_with_the_application_and_only_its_readers_download_them(client, cw):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(cw.member)
    url = reverse("catalog:apply", args=[cw.register.code])
    wrong = client.post(url, {"enterprise": cw.firm.pk, **FORM,
                              "m_0": SimpleUploadedFile("申请书.exe", b"MZ", content_type="application/octet-stream")})
    assert wrong.status_code == 400 and not Application.objects.exists()
    r = client.post(url, {"enterprise": cw.firm.pk, **FORM,
                          "m_0": [SimpleUploadedFile("申请书.pdf", b"%PDF-1.4 a", content_type="application/pdf"),
                                  SimpleUploadedFile("申请书附页.pdf", b"%PDF-1.4 b", content_type="application/pdf")],
                          "m_1": SimpleUploadedFile("章程.pdf", b"%PDF-1.4 c", content_type="application/pdf")})
    assert r.status_code == 302
    a = Application.objects.get()
    assert sorted(a.files.values_list("material", flat=True)) == ["章程", "设立登记申请书", "设立登记申请书"]
    f = a.files.get(name="章程.pdf")
    page = client.get(reverse("catalog:detail", args=[a.pk])).content.decode()
    assert reverse("catalog:file", args=[f.pk]) in page
    assert b"".join(client.get(reverse("catalog:file", args=[f.pk])).streaming_content) == b"%PDF-1.4 c"
    client.force_login(cw.clerk)
    assert b"".join(client.get(reverse("catalog:file", args=[f.pk])).streaming_content) == b"%PDF-1.4 c"
    client.force_login(cw.tax_clerk)
    assert client.get(reverse("catalog:file", args=[f.pk])).status_code == 404
    client.force_login(cw.outsider)
    assert client.get(reverse("catalog:file", args=[f.pk])).status_code == 404
