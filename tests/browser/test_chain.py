"""产业链与招商 in the browser: the chain office finds a gap on the chain map and adds a target for it; the
recruiting team invites it to the 六个回归 campaign, records a visit and the signing (on a phone); the project
is in the pipeline as returned, traced to its invitation; the cockpit's figure of returned projects signed
moves; a firm confirms a supply relation."""

from django.utils import timezone
from playwright.sync_api import expect

from .conftest import login, shot

DESKTOP, PHONE = {"width": 1440, "height": 900}, {"width": 390, "height": 844}
TARGET = "大连精铸缸体科技有限公司"


def _ids(django_db_blocker):
    from yingshang.chain.models import Campaign, Chain

    with django_db_blocker.unblock():
        return Chain.objects.get(name="汽车零部件").pk, Campaign.objects.order_by("pk").first().pk


def _signed_figure(page) -> int:
    page.goto("/cockpit/?preset=month")
    return int(page.locator("[data-testid='fig-projects.returned_signed'] [data-testid=value]").inner_text())


def _refresh(django_db_blocker):
    from yingshang.dashboard import services

    with django_db_blocker.unblock():
        services.rollup_refresh()


def test_a_gap_becomes_a_target_an_invitation_and_a_returned_project(new_page, django_db_blocker):
    chain, campaign = _ids(django_db_blocker)
    leader = new_page(viewport=DESKTOP)
    login(leader, "leader")
    before = _signed_figure(leader)
    expect(leader.locator("[data-testid=supply-impact]")).to_contain_text("长春一汽三富汽车零部件有限公司")

    office = new_page(viewport=DESKTOP)
    login(office, "chainoffice")
    office.goto("/chain/")
    office.locator("[data-testid=chains] a", has_text="汽车零部件").click()
    expect(office.locator("#chain-map svg")).to_be_visible()  # the map is drawn
    gap = office.locator("[data-testid=gaps] [data-gap=缸体铸件]")
    expect(gap.locator("[data-coverage=gap]")).to_be_visible()
    expect(gap).to_contain_text("潍坊华晟精密铸造有限公司")  # FAW buys it from outside the zone
    shot(office, "chain-map-desktop")
    office.goto("/chain/targets/")
    office.locator("[data-testid=add-target]").click()
    form = office.locator("[data-testid=target-form]")
    form.locator("input[name=name]").fill(TARGET)
    form.locator("input[name=region]").fill("辽宁大连")
    form.locator("select[name=segment]").select_option(label="汽车零部件 · 缸体铸件", force=True)
    form.locator("input[name=products]").fill("重卡发动机缸体")
    with office.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(office.locator("h1")).to_contain_text(TARGET)

    phone = new_page(viewport=PHONE)
    login(phone, "recruiter")
    phone.goto(f"/chain/campaigns/{campaign}/")
    phone.locator("[data-testid=open-invite]").click()
    phone.locator("[data-testid=invite-form] select[name=targets]").select_option(label=TARGET, force=True)
    with phone.expect_navigation():
        phone.locator("[data-testid=invite-form] button[type=submit]").click()
    phone.locator("[data-testid=invitations] a", has_text=TARGET).click()
    phone.locator("[data-testid=open-contact]").click()
    contact = phone.locator("[data-testid=form-contact]")
    contact.locator("input[value=visit]").check()
    today = timezone.localdate().isoformat()
    contact.locator("input[name=contact-on]").fill(today)
    contact.locator("input[name=contact-who]").fill("韩招商")
    contact.locator("textarea[name=contact-said]").fill("赴大连拜访，对方有意在汽开区设配套工厂。")
    with phone.expect_navigation():
        contact.locator("[data-testid=do-contact]").click()
    expect(phone.locator("[data-testid=contacts]")).to_contain_text("赴大连拜访")
    phone.locator("[data-testid=open-sign]").click()
    sign = phone.locator("[data-testid=form-sign]")
    sign.locator("input[name=sign-project_name]").fill("大连精铸长春缸体配套项目")
    sign.locator("input[name=sign-investment]").fill("600000000")
    sign.locator("select[name=sign-bureau]").select_option(label="零部件服务局")
    sign.locator("input[name=sign-signed_on]").fill(today)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone, "chain-invitation-phone")
    with phone.expect_navigation():
        sign.locator("[data-testid=do-sign]").click()
    expect(phone.locator("[data-testid=stage]")).to_contain_text("已签约")
    phone.locator("[data-testid=project] a").click()
    expect(phone.locator("body")).to_contain_text("辽宁大连")  # returned from
    number = phone.url.rstrip("/").rsplit("/", 1)[-1]
    assert number.isdigit()

    leader.goto("/projects/ledger/?returned=yes&all=1")
    expect(leader.locator("body")).to_contain_text("大连精铸长春缸体配套项目")
    _refresh(django_db_blocker)  # the sweep brings the cockpit up to date
    assert _signed_figure(leader) == before + 1
    leader.goto("/chain/board/")
    expect(leader.locator("[data-testid=by-campaign]")).to_contain_text("六个回归")
    shot(leader, "chain-board-desktop")


def test_a_firm_sees_its_place_and_confirms_a_relation(new_page):
    phone = new_page(viewport=PHONE)
    login(phone, "linglong")
    phone.goto("/chain/mine/")
    expect(phone.locator("[data-testid=place]")).to_contain_text("轮胎")
    shot(phone, "chain-mine-phone")
    phone.locator("[data-testid=supplies] a").first.click()
    status = phone.locator("[data-testid=relation-status]")
    if "已确认" not in status.inner_text():
        phone.locator("[data-testid=open-confirm]").click()
        with phone.expect_navigation():
            phone.locator("[data-testid=do-confirm]").click()
    expect(status).to_contain_text("已确认")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_department_gives_its_opinion_on_a_phone_and_a_leader_records_a_dispatch_decision(new_page,
                                                                                          django_db_blocker):
    from yingshang.chain.models import Consultation

    with django_db_blocker.unblock():
        c = Consultation.objects.get(status="open")
    phone = new_page(viewport=PHONE)
    login(phone, "head_emergency")
    phone.goto(f"/chain/consultations/{c.pk}/")
    form = phone.locator("[data-testid=opinion-form]")
    form.locator("input[value=conditional]").check()
    form.locator("textarea[name=text]").fill("两处地块均无重大危险源，同意。")
    form.locator("textarea[name=conditions]").fill("危险化学品仓库须单独论证")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone, "chain-opinion-phone")
    with phone.expect_navigation():
        form.locator("button[type=submit]").click()
    opinion = phone.locator("[data-testid=opinions] [data-department=应急管理局]")
    expect(opinion).to_contain_text("有条件同意")
    expect(opinion).to_contain_text("危险化学品仓库须单独论证")
    expect(phone.locator("[data-testid=opinion-form]")).to_have_count(0)  # given once

    leader = new_page(viewport=DESKTOP)
    login(leader, "leader")
    leader.goto("/chain/factors/")
    expect(leader.locator("[data-testid=shortfalls]")).to_contain_text("富锦街道")
    shot(leader, "chain-factors-desktop")
    leader.locator("[data-testid=meetings] a").first.click()
    leader.locator("[data-testid=open-decision]").click()
    form = leader.locator("[data-testid=decision-form]")
    form.locator("select[name=project]").select_option(index=1, force=True)
    form.locator("select[name=factor]").select_option("water")
    form.locator("input[name=amount]").fill("200")
    form.locator("select[name=department]").select_option(label="公用事业服务中心", force=True)
    form.locator("input[name=what]").fill("接入市政供水主管")
    form.locator("input[name=due_on]").fill(timezone.localdate().replace(year=timezone.localdate().year + 1).isoformat())
    with leader.expect_navigation():
        form.locator("button[type=submit]").click()
    row = leader.locator("[data-testid=decisions] tr", has_text="接入市政供水主管")
    expect(row).to_contain_text("QS-")
    with leader.expect_navigation():
        row.locator("a[href^='/tickets/']").click()
    expect(leader.locator("body")).to_contain_text("要素保障：接入市政供水主管")
