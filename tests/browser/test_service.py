"""万人助万企 in the browser: a steward records a visit on a phone — two problems and a policy handed over — the
problems are in the ledger, the firm sees the policy and the visit and confirms it, the campaign's coverage
moves; a department head enters a policy with its conditions and pushes it; a firm applies and the paying
department pays; a firm authorises a bank, which then reads its file; a task force updates its supply list
and prints its brief."""

import re
from datetime import date

from playwright.sync_api import expect

from .conftest import login, shot

DESKTOP, PHONE = {"width": 1440, "height": 900}, {"width": 390, "height": 844}
RD = "中国第一汽车集团有限公司研发总院"


def _campaign_and_policy(django_db_blocker):
    from yingshang.directory.models import Enterprise
    from yingshang.service import selectors
    from yingshang.service.models import Campaign

    with django_db_blocker.unblock():
        firm = Enterprise.objects.get(name=RD)
        fits = [p for p, _leaves in selectors.firm_policies(firm)["qualifies"]]
        return Campaign.objects.order_by("pk").first(), firm, fits[0]


def test_a_steward_records_a_visit_on_a_phone_and_the_firm_sees_it(new_page, django_db_blocker):
    campaign, firm, policy = _campaign_and_policy(django_db_blocker)
    leader = new_page(viewport=DESKTOP)
    login(leader, "leader")
    leader.goto(f"/assist/campaigns/{campaign.pk}/?show=todo&q=研发总院")
    visited = int(leader.locator("[data-testid=cov-visited]").inner_text())
    expect(leader.locator("[data-testid=campaign-firms]")).to_contain_text(RD)  # not yet visited
    shot(leader, "service-campaign-desktop")

    phone = new_page(viewport=PHONE)
    login(phone, "steward")
    phone.goto(f"/assist/visits/new/?campaign={campaign.pk}&enterprise={firm.pk}")
    form = phone.locator("[data-testid=visit-form]")
    form.locator("textarea[name=discussion]").fill("走访研发总院，了解试验基地二期建设和人才引进需求。")
    form.locator("input[name=problem_0_title]").fill("试验基地二期用地规划指标待确认")
    form.locator("select[name=problem_0_category]").select_option(index=1)
    form.locator("[data-testid=more-problems] summary").click()  # a second problem: unfold the rows
    form.locator("input[name=problem_1_title]").fill("博士人才公寓房源不足")
    form.locator("select[name=problem_1_category]").select_option(index=2)
    form.locator("[data-testid=choices-needs] label", has_text="用地").click()
    form.locator("[data-testid=choices-policies] label", has_text=policy.title).click()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone, "service-visit-form-phone")
    with phone.expect_navigation():
        form.locator("[data-testid=visit-submit]").click()
    problems = phone.locator("[data-testid=visit-problems] a")
    expect(problems).to_have_count(2)
    expect(phone.locator("[data-testid=visit-policies]")).to_contain_text(policy.title)
    number = phone.locator("[data-testid=visit-number]").inner_text()
    shot(phone, "service-visit-phone")

    # the problems are in the ledger, registered through the steward channel
    leader.goto("/tickets/ledger/?q=" + "博士人才公寓房源不足")
    expect(leader.locator("[data-testid=ticket-table]")).to_contain_text("博士人才公寓房源不足")

    # the firm sees the policy and the visit, and confirms the visit
    firm_page = new_page(viewport=PHONE)
    login(firm_page, "faw_rd")
    firm_page.goto("/assist/for-you/")
    expect(firm_page.locator("[data-testid=policies-qualify]")).to_contain_text(policy.title)
    expect(firm_page.locator("[data-testid=policies-qualify]")).to_contain_text("走访时送达")
    expect(firm_page.locator("[data-testid=firm-visits]")).to_contain_text("待确认")
    firm_page.locator("[data-testid=firm-visits] a").first.click()
    expect(firm_page.locator("[data-testid=visit-number]")).to_have_text(number)
    with firm_page.expect_navigation():
        firm_page.click("[data-testid=do-confirm]")
    expect(firm_page.locator("[data-testid=confirmed]")).to_contain_text("企业已确认")
    shot(firm_page, "service-firm-confirms-phone")

    # the campaign's coverage moved
    leader.goto(f"/assist/campaigns/{campaign.pk}/")
    expect(leader.locator("[data-testid=cov-visited]")).to_have_text(str(visited + 1))


def test_a_department_head_enters_a_policy_with_conditions_and_pushes_it(new_page):
    page = new_page(viewport=DESKTOP)
    login(page, "head_finance")
    page.goto("/assist/policies/new/")
    form = page.locator("[data-testid=policy-form]")
    form.locator("input[name=title]").fill("汽车零部件小微企业贷款贴息")
    form.locator("input[name=issuer]").fill("长春汽车经济技术开发区管委会")
    form.locator("textarea[name=benefit]").fill("按实际支付利息的 50% 贴息，最高 20 万元。")
    form.locator("input[name=amount]").fill("200000")
    form.locator("input[name=c_industry]").fill("零部件")
    form.locator("[data-testid=choices-c_size] label", has_text="小型").click()
    form.locator("[data-testid=choices-c_size] label", has_text="微型").click()
    shot(page, "service-policy-form-desktop")
    with page.expect_navigation():
        form.locator("[data-testid=policy-submit]").click()
    expect(page.locator("[data-testid=policy-conditions]")).to_contain_text("零部件")
    with page.expect_navigation():
        page.click("[data-testid=publish-policy]")
    with page.expect_navigation():
        page.click("[data-testid=push-policy]")
    expect(page.locator("[data-testid=deliveries]")).to_contain_text(re.compile(r"\d+"))
    expect(page.locator("[data-testid=policy-matches]")).to_be_visible()
    shot(page, "service-policy-desktop")


def test_a_firm_applies_and_the_paying_department_pays(new_page, django_db_blocker):
    from yingshang.directory.models import Enterprise
    from yingshang.service import selectors

    with django_db_blocker.unblock():
        firm = Enterprise.objects.get(name=RD)
        taken = set(firm.policy_applications.filter(status__in=["submitted", "accepted", "approved"])
                    .values_list("policy_id", flat=True))
        policy = next(p for p, _ in selectors.firm_policies(firm)["qualifies"] if not p.automatic
                      and p.pk not in taken)
        dept = policy.paying_department.code.replace("-", "_")
    phone = new_page(viewport=PHONE)
    login(phone, "faw_rd")
    phone.goto(f"/assist/policies/{policy.pk}/")
    expect(phone.locator("[data-testid=firm-verdict]")).to_contain_text("符合")
    phone.click("[data-testid=apply]")
    phone.locator("textarea[name=statement]").fill("我院符合政策条件，申请兑现。")
    with phone.expect_navigation():
        phone.click("[data-testid=application-submit]")
    expect(phone.locator("[data-testid=application-status]")).to_have_text("已申请")
    url = phone.url
    shot(phone, "service-application-phone")

    clerk = new_page(viewport=DESKTOP)
    login(clerk, f"h_{dept}")
    clerk.goto(url)
    with clerk.expect_navigation():
        clerk.click("[data-testid=do-accept]")
    head = new_page(viewport=DESKTOP)
    login(head, f"head_{dept}")
    head.goto(url)
    head.click("[data-testid=open-approve]")
    head.locator("input[name=approve-amount_granted]").fill("100000")
    with head.expect_navigation():
        head.click("[data-testid=do-approve]")
    clerk.goto(url)
    clerk.locator("input[name=pay-voucher]").fill("CZ-2026-9001")
    clerk.locator("input[name=pay-paid_on]").fill(date.today().isoformat())
    with clerk.expect_navigation():
        clerk.click("[data-testid=do-pay]")
    expect(clerk.locator("[data-testid=application-status]")).to_have_text("已兑现")
    phone.goto(url)
    expect(phone.locator("[data-testid=timeline]")).to_contain_text("已兑现")


def test_a_firm_authorises_a_bank_which_then_reads_its_file(new_page, django_db_blocker):
    from yingshang.service.models import Bank, BankMember

    with django_db_blocker.unblock():
        bank = BankMember.objects.get(user__username="bank").bank
        other = Bank.objects.exclude(pk=bank.pk).order_by("pk").first()
    firm = new_page(viewport=PHONE)
    login(firm, "linglong")
    firm.goto("/assist/financing/")
    expect(firm.locator("[data-testid=need-list]")).to_contain_text("扩产项目流动资金")
    expect(firm.locator(f"[data-testid=revoke-{bank.pk}]")).to_be_visible()  # authorised at the meeting
    with firm.expect_navigation():
        firm.click(f"[data-testid=grant-{other.pk}]")
    expect(firm.locator(f"[data-testid=revoke-{other.pk}]")).to_be_visible()
    shot(firm, "service-financing-firm-phone")

    officer = new_page(viewport=DESKTOP)
    login(officer, "bank")
    officer.goto("/assist/financing/")
    officer.locator("[data-testid=need-list] a", has_text="吉林玲珑轮胎有限公司").first.click()
    expect(officer.locator("[data-testid=matches]")).to_contain_text(bank.name)
    expect(officer.locator("[data-testid=matches]")).not_to_contain_text(other.name)  # its own matches only
    officer.click("[data-testid=bank-file]")
    expect(officer.locator("[data-testid=bank-file]")).to_contain_text("统一社会信用代码")
    shot(officer, "service-bank-file-desktop")

    with firm.expect_navigation():
        firm.click(f"[data-testid=revoke-{bank.pk}]")
    officer.goto("/assist/financing/")
    expect(officer.locator("[data-testid=need-list]")).not_to_contain_text("吉林玲珑轮胎有限公司")


def test_a_task_force_updates_its_supply_list_and_prints_the_brief(new_page):
    page = new_page(viewport=DESKTOP)
    login(page, "leader2")
    page.goto("/assist/taskforces/")
    page.locator("[data-testid=taskforces] a", has_text="配件供应专班").click()
    first = page.locator("[data-testid=supply-list] form").first
    first.locator("input[value=at_risk]").check()
    first.locator("input[name=note]").fill("模具检修，产能下降 30%")
    with page.expect_navigation():
        first.locator("button").click()
    expect(page.locator("[data-testid=supply-list]")).to_contain_text("模具检修，产能下降 30%")
    expect(page.locator("[data-testid=taskforce-problems]")).to_contain_text("芯片断供")
    shot(page, "service-taskforce-desktop")
    page.click("[data-testid=brief-link]")
    expect(page.locator("[data-testid=brief]")).to_contain_text("模具检修")
    with page.expect_download() as download:
        page.click("[data-testid=brief-docx]")
    assert download.value.suggested_filename.endswith(".docx")
    phone = new_page(viewport=PHONE)
    login(phone, "leader2")
    phone.goto(page.url)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone, "service-brief-phone")
