"""万人助万企 through the pages and the API: the same rules as the services, bad input refused with a 4xx,
a role × action matrix, query counts pinned on the lists."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from yingshang.service import services
from yingshang.service.permissions import may
from yingshang.service.models import Delivery, Facts, Policy, Visit
from yingshang.tickets.models import Ticket

TODAY = timezone.localdate


def _post_visit(client, w, **extra):
    data = {"enterprise": w.firm.pk, "visited_on": TODAY().isoformat(), "form": "onsite",
            "discussion": "了解企业用工和用电情况", "problem_0_title": "用电增容慢",
            "problem_0_category": w.category.pk, "problem_1_title": "招工难", "problem_1_category": w.category.pk,
            "needs": ["power", "staff"], "needs_detail": "增容 2000 kVA", "idempotency_key": "k-1"}
    data.update(extra)
    return client.post(reverse("service:visit_new"), data)


def test_a_steward_records_a_visit_on_the_page_and_its_problems_enter_the_ledger(client, world):
    w = world
    p = w.policy()
    client.force_login(w.steward)
    assert client.get(reverse("service:visit_new") + f"?enterprise={w.firm.pk}").status_code == 200
    r = _post_visit(client, w, policies=[p.pk],
                    photos=[SimpleUploadedFile("现场.png", b"\x89PNG\r\n\x1a\n0000", content_type="image/png")])
    assert r.status_code == 302, r.content.decode()[:2000]
    v = Visit.objects.get()
    assert r.url == reverse("service:visit", args=[v.pk])
    assert sorted(t.title for t in v.problems.all()) == ["招工难", "用电增容慢"]
    assert list(v.needs.values_list("kind", "detail")) == [("power", "增容 2000 kVA"), ("staff", "")]
    assert Delivery.objects.filter(policy=p, enterprise=w.firm, via="visit").count() == 1
    assert v.photos.count() == 1
    # sent twice (a double tap on a phone): one visit
    assert _post_visit(client, w).status_code == 302
    assert Visit.objects.count() == 1 and Ticket.objects.count() == 2
    page = client.get(reverse("service:visit", args=[v.pk])).content.decode()
    assert "用电增容慢" in page and "增容 2000 kVA" in page


def test_a_problem_without_a_category_is_a_form_error_and_nothing_is_saved(client, world):
    w = world
    client.force_login(w.steward)
    r = _post_visit(client, w, problem_1_category="", idempotency_key="k-2")
    assert r.status_code == 400
    assert "error-problem_1_category" in r.content.decode()
    assert not Visit.objects.exists() and not Ticket.objects.exists()


@pytest.mark.parametrize("bad", [{"enterprise": "abc"}, {"visited_on": "2026-13-40"}, {"discussion": "x\x00y"},
                                 {"form": "dream"}, {"problem_0_category": "99999999999999999999"}])
def test_bad_visit_input_is_a_400_and_changes_nothing(client, world, bad):
    w = world
    client.force_login(w.steward)
    r = _post_visit(client, w, **bad)
    assert r.status_code == 400
    assert not Visit.objects.exists() and not Ticket.objects.exists()


def test_only_visitors_open_the_visit_form(client, world):
    w = world
    for user in (w.handler, w.member, w.inspector, w.supervisor):
        client.force_login(user)
        assert client.get(reverse("service:visit_new")).status_code == 403
    client.force_login(w.steward)
    assert _post_visit(client, w, enterprise=w.other_firm.pk).status_code == 400  # not one of the steward's firms
    assert not Visit.objects.exists()


def test_the_firm_sees_its_visit_and_confirms_it_but_not_the_officials_note(client, world):
    w = world
    v = services.visit_record(actor=w.steward, enterprise=w.firm, visited_on=TODAY(), form="onsite",
                              discussion="走访了解情况", internal_note="企业负责人情绪较大，需领导关注")
    client.force_login(w.member)
    page = client.get(reverse("service:visit", args=[v.pk])).content.decode()
    assert "走访了解情况" in page and "情绪较大" not in page
    assert client.get(reverse("service:visits")).status_code == 200
    r = client.post(reverse("service:visit_act", args=[v.pk, "confirm"]), {"confirm-comment": "感谢"})
    assert r.status_code == 302
    v.refresh_from_db()
    assert v.confirmed_by == w.member
    assert client.post(reverse("service:visit_act", args=[v.pk, "confirm"]), {}).status_code == 409  # once
    client.force_login(w.other_member)
    assert client.get(reverse("service:visit", args=[v.pk])).status_code == 404
    client.force_login(w.leader)
    assert "情绪较大" in client.get(reverse("service:visit", args=[v.pk])).content.decode()


def test_the_author_corrects_on_the_page_within_the_window(client, world):
    w = world
    v = services.visit_record(actor=w.steward, enterprise=w.firm, visited_on=TODAY(), form="onsite", discussion="a")
    client.force_login(w.steward)
    url = reverse("service:visit_edit", args=[v.pk])
    assert client.get(url).status_code == 200
    r = client.post(url, {"version": "1", "visited_on": TODAY().isoformat(), "form": "phone", "discussion": "b"})
    assert r.status_code == 302
    assert client.post(url, {"version": "1", "visited_on": TODAY().isoformat(), "form": "video",
                             "discussion": "c"}).status_code == 400  # stale
    Visit.objects.filter(pk=v.pk).update(editable_until=timezone.now() - timedelta(seconds=1))
    assert client.get(url).status_code == 403
    v.refresh_from_db()
    assert (v.form, v.discussion) == ("phone", "b")


def test_policy_form_builds_the_conditions_and_the_library_explains_them(client, world):
    w = world
    client.force_login(w.head)
    r = client.post(reverse("service:policy_new"), {
        "title": "专精特新中小企业奖励", "issuer": "长春汽开区管委会", "effective_on": "2026-01-01",
        "benefit": "一次性奖励 20 万元", "amount": "200000", "paying_department": w.dept.pk,
        "c_size": ["small", "micro"], "c_rd_min": "3", "c_bureau": [w.bureau.code], "c_industry": "汽车，零部件"})
    assert r.status_code == 302, r.content.decode()[:3000]
    p = Policy.objects.get()
    assert p.conditions == {"all": [
        {"attr": "industry", "op": "contains", "value": ["汽车", "零部件"]},
        {"attr": "size", "op": "in", "value": ["small", "micro"]},
        {"attr": "bureau", "op": "in", "value": [w.bureau.code]},
        {"attr": "rd_share", "op": "gte", "value": "3"}]}
    assert p.status == "draft"
    assert client.post(reverse("service:policy_act", args=[p.pk, "publish"])).status_code == 302
    p.refresh_from_db()
    assert p.status == "published"
    # the edit form shows the conditions back in their fields
    page = client.get(reverse("service:policy_edit", args=[p.pk])).content.decode()
    assert 'value="3"' in page and "汽车，零部件" in page
    bad = client.post(reverse("service:policy_new"), {
        "title": "x", "issuer": "y", "effective_on": "2026-01-01", "benefit": "z", "paying_department": w.dept.pk,
        "conditions_json": '{"all": [{"attr": "colour", "op": "in", "value": ["red"]}]}'})
    assert bad.status_code == 400 and Policy.objects.count() == 1


def test_who_qualifies_and_why_for_officials_and_for_the_firm(client, world):
    w = world
    p = w.policy({"all": [{"attr": "size", "op": "in", "value": ["small"]},
                          {"attr": "revenue", "op": "gte", "value": "5000000"}]})
    services.facts_set(actor=w.member, enterprise=w.firm, year=2025, revenue=Decimal("8000000"), headcount=60)
    client.force_login(w.handler)
    page = client.get(reverse("service:policy", args=[p.pk])).content.decode()
    assert w.firm.name in page and w.far_firm.name not in page  # the far firm's revenue is unknown
    client.force_login(w.member)
    page = client.get(reverse("service:for_you")).content.decode()
    assert p.title in page
    api = client.get(f"/api/v1/service/policies/{p.pk}/matches/").json()
    rows = api["results"] if isinstance(api, dict) else api
    assert [(r["enterprise"], r["qualifies"]) for r in rows] == [(w.firm.uscc, True)]
    client.force_login(w.other_member)  # a large firm: not qualifying, and told why
    api = client.get(f"/api/v1/service/policies/{p.pk}/matches/").json()
    rows = api["results"] if isinstance(api, dict) else api
    assert rows[0]["qualifies"] is False and rows[0]["conditions"][0]["met"] is False


def test_the_firm_enters_its_figures_and_the_policy_appears(client, world):
    w = world
    p = w.policy({"all": [{"attr": "headcount", "op": "gte", "value": 50}]})
    client.force_login(w.member)
    assert p.title not in client.get(reverse("service:for_you")).content.decode().split("policies-nearly")[0]
    r = client.post(reverse("service:for_you"), {"year": "2025", "headcount": "80", "revenue": "1000000"})
    assert r.status_code == 302
    assert Facts.objects.get(enterprise=w.firm).headcount == 80
    page = client.get(reverse("service:for_you")).content.decode()
    assert p.title in page.split("policies-qualify")[1].split("policies-nearly")[0]
    assert client.post(reverse("service:for_you"), {"year": "abc"}).status_code == 400


def test_campaign_pages_and_pairing(client, world):
    w = world
    client.force_login(w.leader)
    r = client.post(reverse("service:campaign_new"), {
        "name": "春风送暖", "department": w.dept.pk, "starts_on": TODAY().isoformat(),
        "ends_on": (TODAY() + timedelta(days=10)).isoformat(), "bureaus": [w.bureau.pk]})
    assert r.status_code == 302
    from yingshang.service.models import Campaign

    camp = Campaign.objects.get(name="春风送暖")
    page = client.get(reverse("service:campaign", args=[camp.pk]))
    assert page.status_code == 200 and w.firm.name in page.content.decode()
    r = client.post(reverse("service:campaign", args=[camp.pk]), {"enterprise": w.firm.pk,
                                                                  "official": w.other_steward.pk})
    assert r.status_code == 302
    client.force_login(w.handler)
    assert client.post(reverse("service:campaign", args=[camp.pk]), {"enterprise": w.firm.pk,
                                                                     "official": w.handler.pk}).status_code == 403
    assert client.get(reverse("service:campaigns")).status_code == 200
    client.force_login(w.member)
    assert client.get(reverse("service:campaigns")).status_code == 403


# --- the API --------------------------------------------------------------------------------------------------

def _api_visit(w, **kw):
    body = {"enterprise": w.firm.uscc, "visited_on": TODAY().isoformat(), "form": "phone",
            "discussion": "电话回访", "problems": [{"category": w.category.pk, "title": "厂区路灯不亮"}],
            "needs": [{"kind": "financing", "detail": "流动资金 500 万"}]}
    body.update(kw)
    return body


def test_the_api_records_a_visit_with_its_problems(client, world):
    w = world
    client.force_login(w.steward)
    r = client.post("/api/v1/service/visits/", _api_visit(w), content_type="application/json",
                    HTTP_IDEMPOTENCY_KEY="visit-1")
    assert r.status_code == 201, r.json()
    body = r.json()
    assert len(body["problems"]) == 1 and body["needs"] == [{"kind": "financing", "detail": "流动资金 500 万"}]
    again = client.post("/api/v1/service/visits/", _api_visit(w), content_type="application/json",
                        HTTP_IDEMPOTENCY_KEY="visit-1")
    assert again.json()["id"] == body["id"] and Ticket.objects.count() == 1
    client.force_login(w.member)
    seen = client.get(f"/api/v1/service/visits/{body['id']}/").json()
    assert "internal_note" not in seen
    r = client.post(f"/api/v1/service/visits/{body['id']}/confirm/", {}, content_type="application/json")
    assert r.status_code == 200 and r.json()["confirmed_at"]
    assert client.post(f"/api/v1/service/visits/{body['id']}/confirm/", {},
                       content_type="application/json").status_code in (403, 409)


@pytest.mark.parametrize("bad,code,field", [
    ({"enterprise": "91220101MA0000000X"}, "invalid", "enterprise"),
    ({"visited_on": "yesterday"}, "invalid", "visited_on"),
    ({"problems": [{"category": "x", "title": "t"}]}, "invalid", "problems"),
    ({"needs": [{"kind": "yachts"}]}, "invalid", "needs"),
    # refused where every request body is parsed, before the view: a control character, a number that overflows
    ({"discussion": "a\x00b"}, "invalid", "body"),
    ({"policies": [10**30]}, "parse_error", None)])
def test_bad_api_input_is_a_400_naming_the_field(client, world, bad, code, field):
    w = world
    client.force_login(w.steward)
    r = client.post("/api/v1/service/visits/", _api_visit(w, **bad), content_type="application/json")
    assert r.status_code == 400, r.content
    assert r.json()["code"] == code
    assert field is None or field in r.json()["fields"]
    assert not Visit.objects.exists() and not Ticket.objects.exists()


def test_the_api_refuses_visits_to_firms_one_may_not_visit(client, world):
    w = world
    for user in (w.member, w.handler):
        client.force_login(user)
        assert client.post("/api/v1/service/visits/", _api_visit(w), content_type="application/json"
                           ).status_code == 403
    client.force_login(w.other_steward)
    assert client.post("/api/v1/service/visits/", _api_visit(w), content_type="application/json").status_code == 403
    assert not Visit.objects.exists()


def test_facts_over_the_api(client, world):
    w = world
    client.force_login(w.member)
    r = client.post("/api/v1/service/facts", {"enterprise": w.firm.uscc, "year": 2025, "headcount": 70},
                    content_type="application/json")
    assert r.status_code == 200 and r.json()["headcount"] == 70
    r = client.post("/api/v1/service/facts", {"enterprise": w.other_firm.uscc, "year": 2025, "headcount": 70},
                    content_type="application/json")
    assert r.status_code == 403
    r = client.post("/api/v1/service/facts", {"enterprise": w.firm.uscc, "year": 2025, "headcount": 10**12},
                    content_type="application/json")
    assert r.status_code == 400


def test_campaign_api_gives_coverage(client, world):
    w = world
    c = w.campaign()
    services.visit_record(actor=w.steward, enterprise=w.firm, visited_on=TODAY(), form="onsite", discussion="a",
                          campaign=c)
    client.force_login(w.leader)
    body = client.get(f"/api/v1/service/campaigns/{c.pk}/").json()
    assert body["coverage"] == {"firms": 2, "visited": 1, "rate": 50.0, "visits": 1,
                                "not_visited": [w.other_firm.uscc]}
    client.force_login(w.member)
    assert client.get(f"/api/v1/service/campaigns/{c.pk}/").status_code == 403


# --- who may do what ----------------------------------------------------------------------------------------

MATRIX = {  # role → may: record a visit to the steward's firm, manage policies, create a campaign, see 万人助万企,
    # prepare a payout list of the department's policy, approve it, apply for the firm, work financing,
    # authorise a bank for the firm, stand up a task force
    "steward": (True, False, False, True, False, False, False, False, False, False),
    "other_steward": (False, False, False, True, False, False, False, False, False, False),
    "leader": (True, True, True, True, False, False, False, True, False, True),
    "head": (False, True, True, True, True, True, False, True, False, False),
    "handler": (False, False, False, True, True, False, False, True, False, False),
    "supervisor": (False, False, False, True, False, False, False, False, False, False),
    "inspector": (False, False, False, False, False, False, False, False, False, False),
    "member": (False, False, False, False, False, False, True, False, True, False),
    "other_member": (False, False, False, False, False, False, False, False, False, False),
    "admin": (True, True, True, True, True, True, False, True, False, True),
}


@pytest.mark.parametrize("who", sorted(MATRIX))
def test_role_by_action_matrix(world, who):
    w = world
    user = getattr(w, who)
    policy = w.policy(automatic=True)
    allowed = (may(user, "service.record_visit", w.firm), may(user, "service.manage_policies"),
           may(user, "service.add_campaign"), may(user, "service.view"),
           may(user, "service.prepare_payout", policy), may(user, "service.approve_payout", policy),
           may(user, "service.apply", w.firm), may(user, "service.manage_financing"),
           may(user, "service.consent", w.firm), may(user, "service.add_taskforce"))
    assert allowed == MATRIX[who]


def test_list_queries_are_pinned(client, world, django_assert_num_queries):
    w = world
    for i in range(5):
        services.visit_record(actor=w.steward, enterprise=w.firm, visited_on=TODAY(), form="onsite",
                              discussion=f"走访 {i}")
        w.policy({"all": [{"attr": "bureau", "op": "in", "value": [w.bureau.code]},
                          {"attr": "size", "op": "in", "value": ["small"]}]}, title=f"政策 {i}")
    client.force_login(w.leader)
    with django_assert_num_queries(7):
        assert client.get(reverse("service:visits")).status_code == 200
    with django_assert_num_queries(6):
        assert client.get(reverse("service:policies")).status_code == 200
    with django_assert_num_queries(7):
        assert client.get("/api/v1/service/visits/").status_code == 200


def _xlsx_rows(response):
    from io import BytesIO

    from openpyxl import load_workbook

    data = b"".join(response.streaming_content)
    return [[c.value for c in row] for row in load_workbook(BytesIO(data)).active.iter_rows()]


def test_the_campaigns_ledger_and_the_visits_ledger_export_to_excel(client, world):
    w = world
    c = w.campaign()
    services.visit_record(actor=w.steward, enterprise=w.firm, visited_on=TODAY(), form="onsite", discussion="走访",
                          campaign=c, problems=[{"category": w.category, "title": "停车难"}])
    client.force_login(w.leader)
    rows = _xlsx_rows(client.get(reverse("service:campaign", args=[c.pk]) + "?show=todo&format=xlsx"))
    assert [r[0] for r in rows[1:]] == [w.other_firm.name]  # as the filter shows: those not yet visited
    rows = _xlsx_rows(client.get(reverse("service:visits") + f"?campaign={c.pk}&format=xlsx"))
    assert len(rows) == 2 and rows[1][3] == w.firm.name and rows[1][9].startswith("QS-")
    client.force_login(w.member)  # a firm gets its page, never the ledger
    r = client.get(reverse("service:visits") + "?format=xlsx")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/html")
