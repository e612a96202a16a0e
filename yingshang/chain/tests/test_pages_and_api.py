"""Who may do what (the role × action matrix), the pages and the API: rules checked before what was sent is
read, bad input a 4xx that changes nothing, another firm's relation out of reach, query counts pinned."""

from datetime import date

import pytest

from yingshang.chain import services
from yingshang.chain.models import Invitation, Relation, Target
from yingshang.chain.permissions import may


@pytest.mark.parametrize("perm, allowed", [
    ("chain.view", {"leader", "keeper", "recruiter", "handler", "admin"}),
    ("chain.add_chain", {"leader", "admin"}),
    ("chain.manage_chain", {"leader", "keeper", "admin"}),
    ("chain.add_relation", {"leader", "keeper", "admin"}),
    ("chain.add_target", {"leader", "keeper", "recruiter", "admin"}),
    ("chain.add_campaign", {"leader", "admin"}),
    ("chain.invite", {"leader", "recruiter", "admin"}),
    ("chain.view_own", {"member", "other_member"}),
    ("chain.add_site", {"leader", "keeper", "recruiter", "handler", "admin"}),
    ("chain.dispatch", {"leader", "admin"}),
    ("chain.record_capacity", {"leader", "keeper", "admin"}),
])
def test_role_matrix(world, campaign, perm, allowed):
    obj = {"chain.manage_chain": world.chain, "chain.invite": campaign}.get(perm)
    people = ["leader", "keeper", "recruiter", "handler", "member", "other_member", "inspector", "admin"]
    assert {p for p in people if may(getattr(world, p), perm, obj)} == allowed


@pytest.mark.parametrize("action, allowed", [
    ("confirm", {"member"}), ("dispute", {"member"}), ("end", {"leader", "keeper", "admin"}),
])
def test_relation_action_matrix(world, action, allowed):
    from yingshang.chain.actions import supply

    r = services.relation_add(actor=world.keeper, supplier=world.tier1, customer=world.plant, product="缸体")
    people = ["leader", "keeper", "recruiter", "handler", "member", "other_member", "inspector", "admin"]
    assert {p for p in people if supply[action].allowed(getattr(world, p), r)} == allowed


def test_pages_render_for_the_chain_office(world, campaign, client, django_assert_max_num_queries):
    top, mid, leaf = world.segments()
    r = services.relation_add(actor=world.keeper, supplier=world.tier1, customer=world.plant, product="缸体",
                              segment=leaf)
    t = services.target_add(actor=world.keeper, name="区外甲公司", region="江苏昆山", segment=leaf)
    [inv] = services.invite(actor=world.recruiter, campaign=campaign, targets=[t])
    client.force_login(world.keeper)
    for url in ["/chain/", f"/chain/{world.chain.pk}/", f"/chain/{world.chain.pk}/?segment={mid.pk}",
                f"/chain/segments/{leaf.pk}/", "/chain/relations/", f"/chain/relations/{r.pk}/",
                f"/chain/impact/{world.tier1.pk}/", "/chain/targets/", f"/chain/targets/{t.pk}/", "/chain/campaigns/",
                f"/chain/campaigns/{campaign.pk}/", f"/chain/invitations/{inv.pk}/", "/chain/board/",
                "/chain/relations/import/", f"/directory/enterprises/{world.tier1.pk}/"]:
        assert client.get(url).status_code == 200, url
    xlsx = client.get("/chain/relations/?format=xlsx")
    assert xlsx.status_code == 200 and b"".join(xlsx.streaming_content)[:2] == b"PK"
    for bad in ["/chain/relations/?chain=abc", "/chain/relations/?status=nope", "/chain/targets/?origin=x",
                f"/chain/{world.chain.pk}/?segment=9999999999999999999"]:
        assert client.get(bad).status_code == 400, bad
    client.force_login(world.inspector)
    assert client.get("/chain/").status_code == 403


def _relations(world, n, start=0):
    for i in range(start, start + n):
        services.relation_add(actor=world.keeper, supplier=world.tier1, customer=world.plant, product=f"件{i}")


def test_list_queries_do_not_grow(world, client, django_assert_num_queries):
    client.force_login(world.keeper)
    _relations(world, 3)
    with django_assert_num_queries(12):
        assert client.get("/chain/relations/").status_code == 200
    _relations(world, 2, start=3)
    services.relation_add(actor=world.keeper, supplier_name="区外乙", customer=world.anchor, product="x")
    with django_assert_num_queries(12):
        assert client.get("/chain/relations/").status_code == 200


def test_firm_confirms_on_the_page_and_cannot_see_others(world, client):
    r = services.relation_add(actor=world.keeper, supplier=world.tier1, customer=world.plant, product="缸体")
    client.force_login(world.other_member)
    assert client.get(f"/chain/relations/{r.pk}/").status_code == 404
    assert client.post(f"/chain/relations/{r.pk}/confirm/").status_code == 404
    client.force_login(world.member)
    page = client.get("/chain/mine/")
    assert page.status_code == 200 and "缸体" in page.content.decode()
    assert client.post(f"/chain/relations/{r.pk}/dispute/", {"dispute-reason": ""}).status_code == 400
    assert client.post(f"/chain/relations/{r.pk}/end/", {"end-reason": "x"}).status_code == 403
    assert client.post(f"/chain/relations/{r.pk}/confirm/").status_code == 302
    r.refresh_from_db()
    assert r.status == "confirmed"
    assert client.post(f"/chain/relations/{r.pk}/confirm/").status_code == 409


def test_signing_on_the_page_opens_the_project(world, campaign, client):
    t = services.target_add(actor=world.keeper, name="区外甲公司", region="江苏昆山")
    [inv] = services.invite(actor=world.recruiter, campaign=campaign, targets=[t])
    client.force_login(world.handler)  # not of the team
    assert client.post(f"/chain/invitations/{inv.pk}/sign/", {}).status_code == 403
    client.force_login(world.recruiter)
    bad = client.post(f"/chain/invitations/{inv.pk}/sign/", {"sign-project_name": "甲项目", "sign-investment": "x",
                                                            "sign-bureau": world.bureau.pk, "sign-signed_on": "2021-09-01"})
    assert bad.status_code == 400 and Invitation.objects.get().stage == "invited"
    ok = client.post(f"/chain/invitations/{inv.pk}/sign/", {"sign-project_name": "甲项目", "sign-investment": "300000000",
                                                           "sign-bureau": world.bureau.pk, "sign-signed_on": "2021-09-01"})
    assert ok.status_code == 302
    inv.refresh_from_db()
    assert inv.stage == "signed" and inv.project.is_returned
    assert client.post(f"/chain/invitations/{inv.pk}/talks/").status_code == 409


def test_api(world, campaign, client):
    top, mid, leaf = world.segments()
    client.force_login(world.member)
    body = {"customer": world.plant.uscc, "supplier": world.tier1.uscc, "product": "缸体"}
    assert client.post("/api/v1/chain/relations/", body, content_type="application/json").status_code == 403
    client.force_login(world.keeper)
    r = client.post("/api/v1/chain/relations/", {**body, "customer": "91220101MA0Y3K7B2Y"},
                    content_type="application/json")
    assert r.status_code == 400 and "customer" in r.json()["fields"]
    r = client.post("/api/v1/chain/relations/", {**body, "share": "100.5"}, content_type="application/json")
    assert r.status_code == 400 and not Relation.objects.exists()
    r = client.post("/api/v1/chain/relations/", {**body, "segment": leaf.pk}, content_type="application/json")
    assert r.status_code == 201 and r.json()["status"] == "unconfirmed"
    rid = r.json()["id"]
    chains = client.get("/api/v1/chain/chains/").json()["results"]
    assert [s["name"] for s in chains[0]["segments"]] == ["动力总成", "发动机", "缸体铸件"]
    impact = client.get(f"/api/v1/chain/impact/{world.tier1.pk}/").json()
    assert impact == [{"enterprise": world.plant.uscc, "name": world.plant.name, "depth": 1,
                       "via": world.tier1.name, "anchor": True}]
    assert client.get("/api/v1/chain/impact/abc/").status_code == 404
    client.force_login(world.other_member)
    assert client.get(f"/api/v1/chain/relations/{rid}/").status_code == 404
    assert client.post(f"/api/v1/chain/relations/{rid}/confirm/", {}, content_type="application/json").status_code == 404
    assert client.get("/api/v1/chain/targets/").json()["results"] == []
    client.force_login(world.member)
    assert client.post(f"/api/v1/chain/relations/{rid}/confirm/", {}, content_type="application/json").json()[
        "status"] == "confirmed"
    # targets and a signing over the API
    client.force_login(world.recruiter)
    t = client.post("/api/v1/chain/targets/", {"name": "区外丙公司", "region": "浙江宁波", "segment": leaf.pk,
                                               "supplies": [world.plant.uscc]}, content_type="application/json")
    assert t.status_code == 201 and t.json()["origin"] == "entered"
    [inv] = services.invite(actor=world.recruiter, campaign=campaign, targets=[Target.objects.get(pk=t.json()["id"])])
    sign = {"project_name": "丙项目", "investment": 200000000, "bureau": world.bureau.code, "signed_on": "2021-10-01"}
    r = client.post(f"/api/v1/chain/invitations/{inv.pk}/sign/", sign, content_type="application/json")
    assert r.status_code == 200 and r.json()["stage"] == "signed" and r.json()["project"].startswith("XM-")
    r = client.post(f"/api/v1/chain/invitations/{inv.pk}/sign/", sign, content_type="application/json")
    assert r.status_code == 409
    client.force_login(world.handler)
    r = client.post(f"/api/v1/chain/invitations/{inv.pk}/contact/", {"kind": "call", "on": "2021-10-02",
                                                                     "who": "x", "said": "y"},
                    content_type="application/json")
    assert r.status_code == 403


def test_import_pages(world, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .test_services import _targets_xlsx, _xlsx

    client.force_login(world.member)
    assert client.get("/chain/targets/import/").status_code == 403
    client.force_login(world.keeper)
    template = client.get("/chain/relations/import/?template=1")
    assert b"".join(template.streaming_content)[:2] == b"PK"
    bad = _xlsx([[world.tier1.uscc, "", "", "91220101MA0Y3K7B2Y", "缸体", "", "", ""]])
    r = client.post("/chain/relations/import/", {"file": SimpleUploadedFile("r.xlsx", bad)})
    assert r.status_code == 400 and "row 2" not in r.content.decode() and not Relation.objects.exists()
    good = _xlsx([[world.tier1.uscc, "", "", world.plant.uscc, "缸体", "", "", ""]])
    assert client.post("/chain/relations/import/", {"file": SimpleUploadedFile("r.xlsx", good)}).status_code == 302
    assert Relation.objects.get().source == "imported"
    r = client.post("/chain/targets/import/", {"file": SimpleUploadedFile("t.xlsx", _targets_xlsx([
        ["区外丁公司", "湖北武汉", "", "", "", "", ""]]))})
    assert r.status_code == 302 and Target.objects.get().origin == "imported"
    assert client.post("/chain/targets/import/", {"file": SimpleUploadedFile("t.txt", b"x")}).status_code == 400


def test_api_of_consultations_and_the_balance(world, client):
    client.force_login(world.member)
    assert client.get("/api/v1/chain/factors/balance").status_code == 403
    assert client.get("/api/v1/chain/consultations/").json()["results"] == []
    client.force_login(world.keeper)
    services.capacity_record(actor=world.keeper, area="富锦街道", factor="power", month=date(2027, 1, 1), amount=500,
                             department=world.office)
    rows = client.get("/api/v1/chain/factors/balance?from=2027-01&months=3").json()
    assert rows == [{"area": "富锦街道", "factor": "power", "first_short": None, "months": [
        {"month": m, "need": "0.00", "capacity": "500.00", "balance": "500.00", "short": False}
        for m in ("2027-01-01", "2027-02-01", "2027-03-01")]}]
    assert client.get("/api/v1/chain/factors/balance?from=2027-13").status_code == 400
    assert client.get("/api/v1/chain/factors/balance?months=9999").status_code == 400


def test_the_firm_file_and_the_cockpit_show_the_plants_at_stake(world, client):
    from yingshang.credit.models import ListEntry

    services.relation_add(actor=world.keeper, supplier=world.tier1, customer=world.plant, product="缸体")
    ListEntry.objects.create(enterprise=world.tier1, kind=ListEntry.Kind.BLACK, basis="测试", starts_on=date(2026, 1, 1))
    client.force_login(world.leader)
    page = client.get(f"/directory/enterprises/{world.tier1.pk}/").content.decode()
    assert 'data-testid="plants-at-stake"' in page and world.plant.name in page
    cockpit = client.get("/cockpit/").content.decode()
    assert 'data-testid="supply-impact"' in cockpit and world.tier1.name in cockpit
