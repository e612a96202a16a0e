"""The battle map in a real browser: a leader finds a late project on the wall, opens it, sees the Gantt with
its critical path, marks the overdue step done, and the step's light, the Gantt and the project's light
change; the firm sees its own project and raises a problem from it; the pipeline and the ledger open."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from .conftest import login, shot


def _late_project():
    from yingshang.core import workdays
    from yingshang.directory.models import Department, Enterprise
    from yingshang.projects import services

    today = timezone.localdate()
    return services.project_create(
        actor=None, template=services.default_template("new"), stage="signed", name="玲珑轮胎二期全钢子午线轮胎项目",
        investor=Enterprise.objects.get(name="吉林玲珑轮胎有限公司"), bureau=Department.objects.get(code="bureau-parts"),
        investment=2_500_000_000, starts_on=workdays.add_workdays(today, -8, provisional=True),
        target_start=today + timedelta(days=220), target_production=today + timedelta(days=800))


def test_battle_map_project_complete_a_step(new_page):
    p = _late_project()
    page = new_page()
    login(page, "leader")
    page.goto("/projects/")
    expect(page.locator("h1")).to_contain_text("挂图作战")
    page.fill("#f-q", "二期")
    page.click("[data-testid=filter]")
    card = page.locator("[data-testid=card]")
    expect(card).to_have_count(1)
    expect(card).to_have_attribute("data-light", "red")
    shot(page, "projects-map")
    card.click()
    expect(page.locator("h1")).to_contain_text(p.name)
    light = page.locator("[data-testid=project-light]")
    expect(light).to_have_attribute("data-light", "red")
    expect(page.locator("[data-testid=savings]")).to_contain_text("按法定时限需")
    row = page.locator("[data-testid=gantt-row][data-code=L1]")
    expect(row.locator("[data-testid=actual-bar]")).to_have_count(0)
    expect(page.locator("[data-testid=gantt-row][data-critical='1']").first).to_be_visible()
    step = page.locator("[data-testid=step][data-code=L1]")
    expect(step).to_have_attribute("data-light", "red")
    step.locator("input[name=done-note]").fill("备案证明 2026-220171-36-03-0001")
    step.locator("[data-testid=done]").click()
    expect(page.locator(".alert-success[role=alert]")).to_contain_text("已完成")
    expect(page.locator("[data-testid=step][data-code=L1]")).to_have_attribute("data-status", "done")
    expect(row.locator("[data-testid=actual-bar]")).to_have_count(1)
    expect(light).not_to_have_attribute("data-light", "red")
    expect(page.locator("[data-testid=events]")).to_contain_text("环节办结")
    shot(page, "projects-detail")

    page.goto("/projects/")
    page.click("text=招商项目库")
    expect(page.locator("[data-testid=pipeline-stages]")).to_be_visible()
    page.goto("/projects/ledger/")
    expect(page.locator("[data-testid=ledger-table]")).to_contain_text(p.name)
    shot(page, "projects-ledger")
    last = timezone.localdate().replace(day=1) - timedelta(days=1)
    page.click("[data-testid=prev-month]")
    expect(page.locator("h1")).to_contain_text(f"{last:%Y-%m}")
    expect(page.locator("[data-testid=next-month]")).to_be_visible()


def test_the_firm_sees_its_project_and_raises_a_problem_from_it(new_page):
    p = _late_project()
    phone = new_page(viewport={"width": 390, "height": 844})
    login(phone, "linglong")
    phone.goto("/projects/")
    expect(phone.locator("[data-testid=card]").filter(has_text=p.name)).to_have_count(1)
    phone.locator("[data-testid=card]").filter(has_text=p.name).click()
    phone.click("[data-testid=raise-from-project]")
    expect(phone.locator("[data-testid=project-ref]")).to_contain_text(p.number)
    phone.select_option("#id_category", index=1)
    phone.fill("#id_title", "二期项目用电报装进度")
    phone.fill("#id_description", "二期项目需新增110kV变电站，请协调供电公司明确接入方案和时间。")
    phone.click("[data-testid=raise-submit]")
    expect(phone.locator("h1")).to_contain_text("QS-")
    phone.goto(f"/projects/{p.pk}/")
    expect(phone.locator("[data-testid=project-tickets]")).to_contain_text("二期项目用电报装进度")
    shot(phone, "projects-firm-phone")


def test_the_battle_map_in_english(new_page):
    _late_project()
    page = new_page(locale="en-US")  # an English browser still gets Chinese until the user chooses English
    login(page, "leader")
    page.goto("/projects/?group=stage")
    expect(page.locator("h1")).to_contain_text("挂图作战")
    page.click("[data-testid=lang-en]")
    expect(page.locator("h1")).to_contain_text("battle map")
    expect(page.locator("[data-testid=group]").first).to_be_visible()
    page.click("[data-testid=lang-zh-hans]")  # the shared demo world: the leader's language as it was
    expect(page.locator("h1")).to_contain_text("挂图作战")


def test_a_steward_registers_a_project_edits_it_and_records_a_stage(new_page):
    from yingshang.directory.models import Enterprise

    firm = Enterprise.objects.get(name="吉林玲珑轮胎有限公司")
    page = new_page()
    login(page, "steward")
    page.goto("/projects/")
    page.click("[data-testid=new-project]")
    expect(page.locator("h1")).to_have_text("新建项目")
    page.fill("#id_name", "一汽研发总院动力电池试验中心")
    page.fill("#id_investor", firm.uscc[:-1] + ("0" if firm.uscc[-1] != "0" else "1"))  # one character wrong
    page.select_option("#id_bureau", label="研发服务局")
    page.fill("#id_investment_wan", "85000")
    page.select_option("#id_stage", "signed")
    page.fill("#id_starts_on", timezone.localdate().isoformat())
    page.click("[data-testid=save]")
    expect(page.locator("#id_investor").locator("xpath=..")).to_contain_text("统一社会信用代码")
    page.fill("#id_investor", firm.uscc)
    page.click("[data-testid=save]")
    expect(page.locator("h1")).to_contain_text("一汽研发总院动力电池试验中心")
    expect(page.locator("[data-testid=step]")).to_have_count(14)  # the general template's task list
    expect(page.locator("[data-testid=savings]")).to_contain_text("按法定时限需")

    page.click("[data-testid=edit-project]")
    page.fill("#id_power_kva", "12000")
    page.select_option("#id_power_status", "pending")
    page.click("[data-testid=save]")
    expect(page.locator("body")).to_contain_text("12000 kVA")
    expect(page.locator("[data-testid=events]")).to_contain_text("供电保障: — → 待落实")

    form = page.locator("[data-testid=stage-form]")
    form.locator("select").select_option("approved")
    form.locator("button").click()
    expect(page.locator("[data-testid=stage-history]")).to_contain_text("立项")
    shot(page, "projects-new-and-stage")
