import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from yingshang.projects import services
from yingshang.projects.models import Project, Step

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def test_who_sees_what(client, w):
    p = w.project(starts_on=today())
    mine = w.project(name="其他企业项目", investor=None, investor_name="外地某企业", bureau=w.other_bureau)
    client.force_login(w.planner)
    for url in ("/projects/", "/projects/pipeline/", "/projects/ledger/", f"/projects/{p.pk}/"):
        assert client.get(url).status_code == 200, url
    client.force_login(w.member)
    page = client.get("/projects/").content.decode()
    assert p.name in page and mine.name not in page
    assert client.get(f"/projects/{p.pk}/").status_code == 200
    assert client.get(f"/projects/{mine.pk}/").status_code == 404
    assert client.get("/projects/pipeline/").status_code == 403
    assert client.get("/projects/ledger/").status_code == 403
    assert client.get("/projects/new/").status_code == 403
    # The firm may raise a problem from its project; the problem carries the project's code.
    assert f"project_ref={p.number}" in client.get(f"/projects/{p.pk}/").content.decode()
    assert p.number in client.get(f"/tickets/new/?enterprise={w.firm.pk}&project_ref={p.number}").content.decode()
    client.force_login(w.other_member)
    assert client.get(f"/projects/{p.pk}/").status_code == 404


def test_the_battle_map_filters_groups_totals_and_counts_its_queries(client, w):
    for i in range(6):
        w.project(name=f"项目{i}", starts_on=today(), investment=Decimal(60_000_000 + i * 1_000_000_000),
                  bureau=w.bureau if i % 2 else w.other_bureau, is_returned=i == 3, returned_from="浙江宁波" if i == 3 else "")
    w.project(name="小项目", template=None, investment=Decimal(10_000_000))
    client.force_login(w.leader)
    with CaptureQueriesContext(connection) as q:
        page = client.get("/projects/").content.decode()
    assert page.count('data-testid="card"') == 6 and "小项目" not in page
    assert len(q) <= 12, [x["sql"] for x in q]
    assert page.count('data-testid="card"') == client.get("/projects/?all=1").content.decode().count(
        'data-testid="card"') - 1
    page = client.get(f"/projects/?bureau={w.bureau.pk}").content.decode()
    assert page.count('data-testid="card"') == 3
    assert client.get("/projects/?returned=yes").content.decode().count('data-testid="card"') == 1
    assert client.get("/projects/?band=1bn-5bn").content.decode().count('data-testid="card"') == 4  # 10.6 … 40.6亿
    page = client.get("/projects/?group=stage").content.decode()
    assert page.count('data-testid="group"') == 1  # all signed
    assert client.get("/projects/?stage=nonsense&band=x").status_code == 200  # unknown choices: not filtered
    assert client.get("/projects/?bureau=abc").status_code == 400  # a malformed id: said so


def test_completing_a_step_on_the_page_changes_its_light_and_the_gantt(client, w):
    start = today() - timedelta(days=10)
    p = w.project(starts_on=start)
    l1 = Step.objects.get(project=p, code="L1")
    client.force_login(w.bureau_staff)
    page = client.get(f"/projects/{p.pk}/").content.decode()
    assert 'data-testid="gantt"' in page and 'data-light="red"' in page and 'data-testid="actual-bar"' not in page
    assert "At the statutory limits" in page or "按法定时限" in page
    r = client.post(f"/projects/steps/{l1.pk}/done/", {"done-on": today().isoformat(), "done-note": "备案证明已核发"})
    assert r.status_code == 302 and r["Location"].endswith(f"#step-{l1.pk}")
    l1.refresh_from_db()
    assert l1.status == "done" and l1.actual_finish == today()
    page = client.get(f"/projects/{p.pk}/").content.decode()
    assert 'data-testid="actual-bar"' in page
    # Bad input: a date in the future, a step already done, an unknown action, another bureau's member.
    l2 = Step.objects.get(project=p, code="L2")
    assert client.post(f"/projects/steps/{l2.pk}/done/", {"done-on": (today() + timedelta(days=3)).isoformat()}
                       ).status_code == 400
    assert client.post(f"/projects/steps/{l1.pk}/done/", {}).status_code == 409  # already done
    assert client.post(f"/projects/steps/{l1.pk}/explode/", {}).status_code == 404
    assert client.post(f"/projects/steps/{l2.pk}/done/", {"done-on": "yesterday"}).status_code == 400
    client.force_login(w.other_bureau_staff)
    assert client.post(f"/projects/steps/{l2.pk}/done/", {}).status_code == 403
    assert Step.objects.get(pk=l2.pk).status == "todo"


def test_link_that_closes_a_loop_is_a_400_on_the_page(client, w):
    p = w.project(starts_on=today())
    s = {x.code: x for x in Step.objects.filter(project=p)}
    client.force_login(w.bureau_staff)
    r = client.post(f"/projects/steps/{s['L1'].pk}/link/", {"link-predecessor": s["C1"].pk, "link-lag": 0})
    assert r.status_code == 400 and "L1" in r.content.decode()
    r = client.post(f"/projects/steps/{s['P4'].pk}/link/", {"link-predecessor": s["C1"].pk, "link-lag": 2})
    assert r.status_code == 302
    r = client.post(f"/projects/{p.pk}/step-add/", {"add-code": "X1", "add-name": "消防审查", "add-phase": "permit",
                                                    "add-department": w.construction.pk, "add-statutory_days": 15,
                                                    "add-committed_days": 5, "add-after": s["D2"].pk, "add-lag": 0})
    assert r.status_code == 302 and Step.objects.filter(project=p, code="X1").exists()
    r = client.post(f"/projects/{p.pk}/step-add/", {"add-code": "X1", "add-name": "重复", "add-phase": "permit",
                                                    "add-department": w.construction.pk, "add-statutory_days": 15,
                                                    "add-committed_days": 5})
    assert r.status_code == 400


def test_stage_form(client, w):
    p = w.project(template=None, stage="talks", stage_since=today() - timedelta(days=5))
    client.force_login(w.bureau_staff)
    assert client.post(f"/projects/{p.pk}/stage/", {"stage-to": "paused", "stage-on": today().isoformat()}
                       ).status_code == 400  # no reason
    assert client.post(f"/projects/{p.pk}/stage/", {"stage-to": "signed", "stage-on": today().isoformat()}
                       ).status_code == 302
    assert Project.objects.get(pk=p.pk).stage == "signed"


def test_new_project_form(client, w):
    client.force_login(w.bureau_staff)
    page = client.get("/projects/new/")
    assert page.status_code == 200 and page.context["form"]["bureau"].value() == w.bureau.pk  # their own bureau
    data = {"name": "长春某电池包项目", "kind": "new", "investor": "91220101MA0000000X", "investor_name": "",
            "bureau": w.bureau.pk, "investment_wan": "120000", "stage": "signed", "template": "",
            "starts_on": today().isoformat(), "target_start": (today() + timedelta(days=180)).isoformat()}
    r = client.post("/projects/new/", data)
    assert r.status_code == 400 and "91220101MA0000000X" in r.content.decode()
    r = client.post("/projects/new/", {**data, "investor": w.firm.uscc.lower()})
    p = Project.objects.get()
    assert r.status_code == 302 and p.investment == Decimal("1200000000") and p.investor == w.firm
    assert p.steps.count() == 14  # the default template
    r = client.post(f"/projects/{p.pk}/edit/", {**data, "investor": w.firm.uscc, "power_kva": "8000",
                                                "power_status": "pending"})
    assert r.status_code == 302 and Project.objects.get().power_kva == 8000
    client.force_login(w.other_bureau_staff)
    assert client.get(f"/projects/{p.pk}/edit/").status_code == 403


def test_pipeline_and_ledger_export(client, w):
    p = w.project(template=None, stage="talks", first_contact_on=today() - timedelta(days=40),
                  stage_since=today() - timedelta(days=40))
    services.stage_change(actor=w.bureau_staff, project=p, to="signed", on=today() - timedelta(days=20))
    services.stage_change(actor=w.bureau_staff, project=p, to="started", on=today() - timedelta(days=12))
    w.project(template=None, stage="lead", name="线索项目", is_returned=True, returned_from="广东佛山")
    q = w.project(starts_on=today())
    services.step_finish(actor=w.bureau_staff, step=Step.objects.get(project=q, code="L1"))
    client.force_login(w.leader)
    page = client.get("/projects/pipeline/").content.decode()
    assert "28" in page  # days from first contact to ground-breaking
    assert 'data-testid="returned">1<' in page
    page = client.get("/projects/ledger/").content.decode()
    assert "项目备案（立项）" in page
    r = client.get("/projects/ledger/?export=xlsx")
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(b"".join(r.streaming_content))).active
    rows = list(ws.values)
    assert rows[0][:3] == ("项目编号", "项目名称", "投资主体") and len(rows) == 4
    assert any("项目备案（立项）" in (row[6] or "") for row in rows[1:])
    # Last month's ledger: what happened last month, not this month's progress.
    from yingshang.projects.models import Event

    last = today().replace(day=1) - timedelta(days=1)
    Event.objects.filter(project=q, action__in=["projects.step.finished", "projects.step.started"]).update(on=last)

    def progress(query):
        r = client.get(f"/projects/ledger/?{query}export=xlsx")
        return {row[0]: row[6] for row in list(load_workbook(io.BytesIO(b"".join(r.streaming_content))).active.values)[1:]}

    assert not progress("")[q.number] and "项目备案（立项）" in progress(f"month={last:%Y-%m}&")[q.number]
    page = client.get(f"/projects/ledger/?month={last:%Y-%m}")
    assert page.status_code == 200 and 'data-testid="next-month"' in page.content.decode()
    assert f'name="month" value="{last:%Y-%m}"' in page.content.decode()  # the filters keep the month
    for bad in ("2026-13", "last", f"{today().year + 1}-01"):
        assert client.get(f"/projects/ledger/?month={bad}").status_code == 400


def test_api_scoped_steps_schedule_and_actions(client, w):
    p = w.project(starts_on=today())
    other = w.project(name="别家项目", investor=None, investor_name="外地企业", bureau=w.other_bureau)
    client.force_login(w.member)
    body = client.get("/api/v1/projects/").json()
    assert [r["number"] for r in body["results"]] == [p.number]
    assert client.get(f"/api/v1/projects/{other.pk}/").status_code == 404
    steps = client.get(f"/api/v1/projects/{p.pk}/steps/").json()
    assert len(steps) == 14 and {"step": "L1", "lag": 0} in steps[1]["after"]
    sched = client.get(f"/api/v1/projects/{p.pk}/schedule/").json()
    assert sched["finish"] == Project.objects.get(pk=p.pk).finish.isoformat() and "C1" in sched["steps"]
    l1 = next(s for s in steps if s["code"] == "L1")
    r = client.post(f"/api/v1/projects/steps/{l1['id']}/done/", {}, content_type="application/json")
    assert r.status_code == 403 and r.json()["code"] == "permission_denied"
    client.force_login(w.bureau_staff)
    r = client.post(f"/api/v1/projects/steps/{l1['id']}/done/", {"on": "2999-01-01"}, content_type="application/json")
    assert r.status_code == 400 and r.json()["code"] == "invalid"
    r = client.post(f"/api/v1/projects/steps/{l1['id']}/done/", {"note": "备案"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "done"
    r = client.post(f"/api/v1/projects/steps/{l1['id']}/done/", {}, content_type="application/json")
    assert r.status_code == 409 and r.json()["code"] == "illegal_transition"
    assert len(client.get("/api/v1/projects/?major=1").json()["results"]) == 2


def test_step_edit_names_a_handler_of_the_steps_department(client, w):
    p = w.project(starts_on=today())
    l2 = Step.objects.get(project=p, code="L2")  # the planning bureau's step
    client.force_login(w.bureau_staff)
    assert f'name="edit{l2.pk}-handler"' in client.get(f"/projects/{p.pk}/").content.decode()
    r = client.post(f"/projects/steps/{l2.pk}/edit/", {f"edit{l2.pk}-handler": w.builder.pk,
                                                        f"edit{l2.pk}-committed_days": 5})
    assert r.status_code == 400  # the construction bureau's handler does not work in planning
    r = client.post(f"/projects/steps/{l2.pk}/edit/", {f"edit{l2.pk}-handler": w.planner.pk,
                                                        f"edit{l2.pk}-committed_days": 4,
                                                        f"edit{l2.pk}-notes": "材料已齐"})
    assert r.status_code == 302
    l2.refresh_from_db()
    assert (l2.handler, l2.committed_days, l2.notes) == (w.planner, 4, "材料已齐")
    assert p.events.filter(action="projects.step.updated", step=l2).exists()


def test_ledger_and_pipeline_queries_do_not_grow_with_the_projects(client, w):
    client.force_login(w.leader)

    def count(url):
        with CaptureQueriesContext(connection) as q:
            assert client.get(url).status_code == 200
        return len(q)

    w.project(starts_on=today())
    count("/projects/ledger/")  # the first request of the session reads the user's roles into the cache
    first = count("/projects/ledger/"), count("/projects/pipeline/")
    for i in range(5):
        p = w.project(name=f"项目{i}", starts_on=today())
        services.step_finish(actor=w.bureau_staff, step=Step.objects.get(project=p, code="L1"))
    assert (count("/projects/ledger/"), count("/projects/pipeline/")) == first
    assert first[0] <= 12 and first[1] <= 14


def test_the_home_page_counts_the_late_major_projects(client, w):
    late = w.project(starts_on=today() - timedelta(days=60))
    w.project(name="小项目", template=None, investment=Decimal(1_000_000))
    client.force_login(w.leader)
    page = client.get("/").content.decode()
    assert 'data-testid="home-projects"' in page
    assert Project.objects.get(pk=late.pk).light == "red"
    assert '<span class="fs-4 fw-bold text-danger">1</span>' in page.split('data-testid="home-projects"')[1]
    client.force_login(w.member)
    assert 'data-testid="home-projects"' not in client.get("/").content.decode()


def test_dates_and_limits_beyond_the_working_calendar_are_refused_and_change_nothing(client, w):
    p = w.project(starts_on=today())
    l1 = p.steps.get(code="L1")
    client.force_login(w.bureau_staff)
    r = client.post(f"/api/v1/projects/steps/{l1.pk}/start/", {"on": "1999-01-04"}, content_type="application/json")
    assert r.status_code == 400 and "工作日历" in r.json()["detail"]
    l1.refresh_from_db()
    assert l1.status == "todo" and not p.events.filter(step=l1).exists()
    r = client.post(f"/projects/steps/{l1.pk}/edit/", {f"edit{l1.pk}-committed_days": "999999"})
    assert r.status_code == 400
    r = client.post(f"/projects/steps/{l1.pk}/edit/", {f"edit{l1.pk}-committed_days": "2000"})  # 8 years: fine
    assert r.status_code == 302
    form = {"name": p.name, "kind": p.kind, "investor": w.firm.uscc, "bureau": p.bureau_id,
            "investment_wan": "50000", "starts_on": today().isoformat(), "target_production": "2099-06-30"}
    before = p.target_production
    r = client.post(f"/projects/{p.pk}/edit/", form)
    assert r.status_code == 400 and "工作日历" in r.content.decode()
    p.refresh_from_db()
    assert p.target_production == before and p.events.filter(action="projects.project.updated").count() == 0
    # The sweep leaves a project it cannot schedule as it was and goes on with the others.
    Project.objects.filter(pk=p.pk).update(target_production=timezone.localdate().replace(year=2099))
    other = w.project(name="另一个项目", starts_on=today())
    assert services.projects_sweep(today=today() + timedelta(days=1)) == {"rescheduled": 1,
                                                                          "beyond the calendar": 1}
    other.refresh_from_db()
    assert other.scheduled_on == today() + timedelta(days=1)


def test_an_edit_made_on_a_stale_page_is_refused_and_keeps_the_entries(client, w):
    p = w.project(starts_on=today())
    client.force_login(w.bureau_staff)
    seen = client.get(f"/projects/{p.pk}/edit/").context["form"].initial["seen"]
    services.project_update(actor=w.bureau_staff, project=p, industry="汽车零部件")  # someone else, meanwhile
    form = {"name": p.name, "kind": p.kind, "investor": w.firm.uscc, "bureau": p.bureau_id, "investment_wan": "50000",
            "starts_on": today().isoformat(), "site": "长春汽开区东风大街", "seen": seen}
    r = client.post(f"/projects/{p.pk}/edit/", form)
    assert r.status_code == 409 and "汽车零部件" in r.content.decode() and "长春汽开区东风大街" in r.content.decode()
    p.refresh_from_db()
    assert p.industry == "汽车零部件" and p.site == ""
    # The re-shown form carries the new version: saving again, having looked, goes through.
    again = {**form, "industry": "汽车零部件", "seen": r.context["form"].data["seen"]}
    assert client.post(f"/projects/{p.pk}/edit/", again).status_code == 302
    p.refresh_from_db()
    assert (p.industry, p.site) == ("汽车零部件", "长春汽开区东风大街")

    step = p.steps.get(code="L2")
    seen = next(s.version for s in client.get(f"/projects/{p.pk}/").context["steps"] if s.pk == step.pk)
    services.step_update(actor=w.bureau_staff, step=step, committed_days=4)
    r = client.post(f"/projects/steps/{step.pk}/edit/", {f"edit{step.pk}-committed_days": "9",
                                                        f"edit{step.pk}-seen": seen})
    assert r.status_code == 409
    step.refresh_from_db()
    assert step.committed_days == 4


def test_a_problem_carries_only_a_project_of_its_own_firm(client, w):
    from yingshang.tickets.models import Category, Ticket

    p = w.project(starts_on=today())
    category = Category.objects.create(name="用地")
    other_firm = w.other_member.memberships.get().enterprise
    body = {"enterprise": other_firm.uscc, "category": category.pk, "title": "用地问题", "description": "说明",
            "project_ref": p.number}
    client.force_login(w.other_member)
    r = client.post("/api/v1/tickets/", body, content_type="application/json")
    assert r.status_code == 400 and p.number in r.json()["fields"]["project_ref"][0]
    r = client.post("/api/v1/tickets/", {**body, "project_ref": "XM-2026-9999"}, content_type="application/json")
    assert r.status_code == 400 and not Ticket.objects.exists()
    client.force_login(w.member)
    r = client.post(f"/tickets/new/?project_ref={p.number}", {"enterprise": w.firm.pk, "category": category.pk,
                                                              "title": "用地问题", "description": "说明",
                                                              "urgency": "normal", "project_ref": p.number})
    assert r.status_code == 302 and Ticket.objects.get().project_ref == p.number
