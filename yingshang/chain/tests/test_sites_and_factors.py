"""选址会商 and 要素保障调度: opinions within working days across holidays, the conclusion's conditions as project
steps, the factor balance's sums, and a dispatch decision in the ledger whose resolution counts as delivered."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from yingshang.chain import balance, selectors, services
from yingshang.chain.models import Consultation, Decision
from yingshang.core.actions import IllegalTransition

def _inside():
    from yingshang.core import geo

    features = geo.zone_map()["features"]
    f = next(f for f in features if f["properties"]["name"] == "富锦街道")
    ring = geo.rings(f)[0]
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    # the ring's centroid of its vertices: inside for the zone's convex-ish areas (checked)
    lng, lat = round(sum(xs) / len(xs), 6), round(sum(ys) / len(ys), 6)
    assert geo.area_of(lng, lat, features) == "富锦街道"
    return Decimal(str(lng)), Decimal(str(lat))


@pytest.fixture
def project(world, make_user):
    from yingshang.projects import services as projects

    return projects.project_create(actor=world.leader, name="缸体配套项目", investor=world.tier1, bureau=world.bureau,
                                   investment=300_000_000, stage="signed", power_kva=4000, land_mu=Decimal(120),
                                   target_start=date(2027, 3, 1), target_production=date(2027, 9, 1))


@pytest.fixture
def sites(world):
    lng, lat = _inside()
    a = services.site_add(actor=world.keeper, name="富锦路东地块", lng=lng, lat=lat, area_mu=150, land_status="clean")
    b = services.site_add(actor=world.keeper, name="富锦路西地块", lng=lng, lat=lat + Decimal("0.0005"), area_mu=90,
                          land_status="to_acquire")
    return a, b


def test_a_site_is_placed_in_its_area_and_bad_points_are_refused(world, sites):
    assert sites[0].area == "富锦街道"
    with pytest.raises(ValidationError) as e:
        services.site_add(actor=world.keeper, name="海上", lng=200, lat=43, area_mu=1, land_status="clean")
    assert "lng" in e.value.message_dict
    with pytest.raises(PermissionDenied):
        services.site_add(actor=world.member, name="x", lng=125.2, lat=43.8, area_mu=1, land_status="clean")


def test_opinions_are_due_in_working_days_across_a_holiday(world, project, sites):
    # 2026-09-30 (Wednesday) + 5 working days: the National Day holiday (1–7 October) is skipped
    c = services.consultation_convene(actor=world.leader, project=project, meets_on=date(2026, 9, 30),
                                      sites=list(sites), departments=[world.office, world.team], limit_days=5)
    from yingshang.core import workdays

    assert c.due_on == workdays.add_workdays(date(2026, 9, 30), 5)
    assert c.due_on >= date(2026, 10, 12)
    assert c.number.startswith("XZ-2026-") and c.opinions.count() == 2


def test_a_consultation_from_opinions_to_project_steps(world, project, sites, make_user):
    today = timezone.localdate()
    c = services.consultation_convene(actor=world.leader, project=project, meets_on=today, sites=list(sites),
                                      departments=[world.office, world.team], limit_days=3)
    o_office, o_team = c.opinions.get(department=world.office), c.opinions.get(department=world.team)
    with pytest.raises(PermissionDenied):
        services.opinion_give(actor=world.recruiter, opinion=o_office, view="agree", text="同意")
    with pytest.raises(ValidationError) as e:
        services.opinion_give(actor=world.keeper, opinion=o_office, view="conditional", text="有条件同意")
    assert "conditions" in e.value.message_dict
    services.opinion_give(actor=world.keeper, opinion=o_office, view="conditional", text="有条件同意",
                          conditions="完成地块内管线迁改\n\n办理规划条件核实", site=sites[0])
    with pytest.raises(IllegalTransition):
        services.opinion_give(actor=world.keeper, opinion=o_office, view="agree", text="再次")
    with pytest.raises(ValidationError):  # the team's opinion is still awaited, within its limit
        services.consultation_conclude(actor=world.leader, consultation=c, site=sites[0], conclusion="选定东地块")
    services.opinion_give(actor=world.recruiter, opinion=o_team, view="agree", text="同意")
    with pytest.raises(PermissionDenied):
        services.consultation_conclude(actor=world.handler, consultation=c, site=sites[0], conclusion="x")
    c = services.consultation_conclude(actor=world.leader, consultation=c, site=sites[0], conclusion="选定东地块")
    project.refresh_from_db()
    assert c.status == Consultation.Status.CONCLUDED and project.site == "富锦路东地块"
    assert (project.lng, project.lat) == (sites[0].lng, sites[0].lat)
    steps = list(project.steps.filter(code__startswith=f"XZ{c.pk}-").values_list("name", "department_id"))
    assert steps == [("完成地块内管线迁改", world.office.pk), ("办理规划条件核实", world.office.pk)]
    with pytest.raises(IllegalTransition):
        services.consultation_conclude(actor=world.leader, consultation=c, site=sites[1], conclusion="改")


def test_after_the_limit_a_missing_opinion_does_not_hold_the_conclusion(world, project, sites):
    c = services.consultation_convene(actor=world.leader, project=project, meets_on=date(2026, 3, 2),
                                      sites=list(sites), departments=[world.office], limit_days=3)
    c = services.consultation_conclude(actor=world.leader, consultation=c, site=sites[1], conclusion="逾期未反馈视为同意")
    assert c.events.last().data["missing"] == [world.office.pk]


def test_a_landed_project_is_not_consulted(world, project, sites):
    project.stage = "started"
    with pytest.raises(ValidationError) as e:
        services.consultation_convene(actor=world.leader, project=project, meets_on=date(2026, 3, 2),
                                      sites=list(sites), departments=[world.office])
    assert "project" in e.value.message_dict


flows = st.lists(st.tuples(st.sampled_from(["甲", "乙"]), st.sampled_from(["land", "power"]),
                           st.integers(0, 30), st.integers(0, 10_000)), max_size=40)


@settings(max_examples=200, deadline=None)
@given(flows, flows)
def test_the_balance_sums(need_rows, cap_rows):
    months = balance.months_from(date(2026, 12, 1), 24)

    def as_flows(rows):
        return [balance.Flow(a, f, balance.months_from(date(2026, 11, 1), 31)[m], Decimal(x)) for a, f, m, x in rows]

    needs, caps = as_flows(need_rows), as_flows(cap_rows)
    table = balance.compute(needs, caps, months)
    for (area, factor), rows in table.items():
        for r in rows:
            n = sum(f.amount for f in needs if (f.area, f.factor) == (area, factor) and f.month <= r["month"])
            c = sum(f.amount for f in caps if (f.area, f.factor) == (area, factor) and f.month <= r["month"])
            assert (r["need"], r["capacity"], r["balance"], r["short"]) == (n, c, c - n, n > c)
        assert [r["need"] for r in rows] == sorted(r["need"] for r in rows)  # cumulative: never falls
    assert set(table) == {(f.area, f.factor) for f in needs + caps}


def test_a_dispatch_decision_goes_into_the_ledger_and_counts_when_resolved(world, project, sites, make_user):
    from yingshang.projects import services as projects
    from yingshang.tickets import services as tickets

    projects.project_update(actor=world.leader, project=project, lng=sites[0].lng, lat=sites[0].lat)
    project.refresh_from_db()
    supplier = world.office
    start = date(2027, 1, 1)
    b = selectors.factor_balance(start=start, months=12)
    power = next(r for r in b["rows"] if r["factor"] == "power")
    assert power["area"] == "富锦街道" and power["first_short"] == date(2027, 9, 1)
    services.capacity_record(actor=world.keeper, area="富锦街道", factor="power", month=date(2027, 1, 15),
                             amount=3000, department=supplier)
    with pytest.raises(PermissionDenied):  # another department's capacity
        services.capacity_record(actor=world.recruiter, area="富锦街道", factor="power", month=date(2027, 1, 1),
                                 amount=1, department=supplier)
    with pytest.raises(ValidationError):
        services.capacity_record(actor=world.keeper, area="不存在", factor="power", month=start, amount=1,
                                 department=supplier)
    power = next(r for r in selectors.factor_balance(start=start, months=12)["rows"] if r["factor"] == "power")
    assert power["months"][8]["capacity"] == 3000 and power["months"][8]["balance"] == -1000
    m = services.meeting_hold(actor=world.leader, title="要素保障调度会", held_on=timezone.localdate())
    with pytest.raises(PermissionDenied):
        services.decision_record(actor=world.keeper, meeting=m, project=project, factor="power", amount=1000,
                                 department=supplier, what="新增变电容量", due_on=date(2027, 6, 30))
    d = services.decision_record(actor=world.leader, meeting=m, project=project, factor="power", amount=1000,
                                 department=supplier, what="新增变电容量", due_on=date(2027, 6, 30))
    t = d.ticket
    assert (t.enterprise, t.lead_department, t.project_ref, t.status) == (world.tier1, supplier, project.number,
                                                                         "dispatched")
    assert Decision.objects.get().area == "富锦街道"
    power = next(r for r in selectors.factor_balance(start=start, months=12)["rows"] if r["factor"] == "power")
    assert power["first_short"] == date(2027, 9, 1)  # decided, not yet delivered
    tickets.ticket_accept(actor=world.keeper, ticket=t)
    tickets.ticket_resolve(actor=world.keeper, ticket=t, answer="变电容量已投运", outcome="solved")
    power = next(r for r in selectors.factor_balance(start=start, months=12)["rows"] if r["factor"] == "power")
    assert power["first_short"] is None and power["months"][8]["balance"] == 0


def test_the_pages(world, project, sites, client):
    today = timezone.localdate()
    client.force_login(world.member)
    assert client.get("/chain/consultations/").status_code == 403
    client.force_login(world.handler)  # neither of the project's bureau nor looking after it
    body = {"project": project.pk, "sites": [sites[0].pk], "departments": [world.office.pk],
            "meets_on": today.isoformat(), "limit_days": "5"}
    assert client.post("/chain/consultations/", body).status_code == 403
    client.force_login(world.leader)
    assert client.post("/chain/consultations/", {**body, "limit_days": "999"}).status_code == 400
    assert client.post("/chain/consultations/", {**body, "project": "abc"}).status_code == 400
    r = client.post("/chain/consultations/", body)
    c = Consultation.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/chain/consultations/{c.pk}/"
    o = c.opinions.get()
    client.force_login(world.recruiter)  # not of the department that owes it
    assert client.post(f"/chain/consultations/{c.pk}/", {"opinion": o.pk, "view": "agree", "text": "x"}
                       ).status_code == 403
    client.force_login(world.keeper)
    page = client.get(f"/chain/consultations/{c.pk}/").content.decode()
    assert 'data-testid="opinion-form"' in page
    assert client.post(f"/chain/consultations/{c.pk}/", {"opinion": o.pk, "view": "nope", "text": "x"}
                       ).status_code == 400
    assert client.post(f"/chain/consultations/{c.pk}/", {"opinion": o.pk, "view": "conditional", "text": "同意",
                                                         "conditions": "迁改管线"}).status_code == 302
    assert client.post(f"/chain/consultations/{c.pk}/", {"opinion": o.pk, "view": "agree", "text": "再"}
                       ).status_code == 409
    client.force_login(world.leader)
    assert client.post(f"/chain/consultations/{c.pk}/", {"site": sites[0].pk, "conclusion": "选东地块"}
                       ).status_code == 302
    page = client.get(f"/chain/consultations/{c.pk}/").content.decode()
    assert 'data-testid="conclusion"' in page and "迁改管线" in page
    # factor dispatch
    assert client.get("/chain/factors/?from=2027-01").status_code == 200
    assert client.get("/chain/factors/?from=2027-13").status_code == 400
    r = client.post("/chain/factors/", {"meeting-title": "调度会", "meeting-held_on": today.isoformat()})
    assert r.status_code == 302
    client.force_login(world.keeper)
    assert client.post("/chain/factors/", {"meeting-title": "调度会", "meeting-held_on": today.isoformat()}
                       ).status_code == 403
    assert client.post("/chain/factors/", {"cap-area": "富锦街道", "cap-factor": "power", "cap-month": "2027-01",
                                           "cap-amount": "500", "cap-department": world.office.pk}).status_code == 302
    assert client.post("/chain/factors/", {"cap-area": "火星", "cap-factor": "power", "cap-month": "2027-01",
                                           "cap-amount": "500", "cap-department": world.office.pk}).status_code == 400
    client.force_login(world.leader)
    m = r["Location"]
    assert client.get(m).status_code == 200
    decision = {"project": project.pk, "factor": "power", "amount": "100", "department": world.office.pk,
                "what": "箱变", "due_on": (today - timedelta(days=1)).isoformat()}
    assert client.post(m, decision).status_code == 400  # due before the meeting
    assert not Decision.objects.exists()
    ok = client.post(m, {**decision, "due_on": (today + timedelta(days=30)).isoformat()})
    assert ok.status_code == 302  # the project is on the map since its site was chosen
    d = Decision.objects.get()
    assert d.area == "富锦街道" and d.ticket.lead_department == world.office


def test_an_empty_post_to_a_form_page_is_a_400_that_changes_nothing(world, project, sites, campaign, client):
    from yingshang.chain.models import Campaign, Capacity, Meeting, Site, Target

    meeting = Meeting.objects.create(title="调度会", held_on=timezone.localdate(), chaired_by=world.leader)
    counts = [m.objects.count() for m in (Site, Consultation, Target, Campaign, Capacity, Meeting, Decision)]
    client.force_login(world.leader)
    for url in ["/chain/sites/", "/chain/consultations/", "/chain/factors/", f"/chain/meetings/{meeting.pk}/",
                "/chain/targets/", "/chain/campaigns/", f"/chain/campaigns/{campaign.pk}/",
                "/chain/relations/import/", "/chain/relations/new/"]:
        assert client.post(url, {}).status_code == 400, url
    assert [m.objects.count() for m in (Site, Consultation, Target, Campaign, Capacity, Meeting, Decision)] == counts
