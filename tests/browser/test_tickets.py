"""The whole path of a problem, in a real browser: raised from a phone, dispatched, accepted, answered,
resolved, confirmed and rated — then seen in the ledger, the statistics and the firm's file."""

import re

from playwright.sync_api import expect

from .conftest import login, shot


def open_action(page, action):
    """Unfold an action's form (the first one is already unfolded)."""
    form = page.locator(f"[data-testid=form-{action}]")
    if not form.is_visible():
        page.click(f"[data-testid=open-{action}]")
    expect(form).to_be_visible()


def test_a_problem_from_registration_to_close_out(new_page):
    # The firm raises it on a phone.
    phone = new_page(viewport={"width": 390, "height": 844})
    login(phone, "faw_rd")
    phone.goto("/tickets/new/")
    phone.select_option("#id_category", label="供电")
    phone.fill("#id_title", "试验楼临时用电接入")
    phone.fill("#id_description", "新建试验楼需临时用电400千伏安，请协调供电接入。")
    shot(phone, "ticket-new-phone")
    phone.click("[data-testid=raise-submit]")
    number = phone.locator("[data-testid=ticket-number]").inner_text()
    assert re.fullmatch(r"QS-\d{4}-\d{6}", number)
    expect(phone.locator("[data-testid=ticket-status]")).to_have_attribute("data-status", "registered")
    url = phone.url

    # The dispatcher sends it to the utilities centre.
    desk = new_page()
    login(desk, "dispatcher")
    desk.goto(url)
    desk.select_option("#id_dispatch-lead_department", label="公用事业服务中心")
    desk.fill("#id_dispatch-note", "请尽快对接供电公司。")
    desk.click("[data-testid=do-dispatch]")
    expect(desk.locator("[data-testid=ticket-status]")).to_have_attribute("data-status", "dispatched")

    # The department accepts, replies and resolves.
    dept = new_page()
    login(dept, "h_utilities")
    dept.goto("/tickets/inbox/")
    expect(dept.locator("[data-testid=ticket-table]")).to_contain_text(number)
    shot(dept, "inbox")
    dept.click(f"text={number}")
    dept.click("[data-testid=do-accept]")
    expect(dept.locator("[data-testid=ticket-status]")).to_have_attribute("data-status", "in_progress")
    open_action(dept, "respond")
    dept.fill("#id_respond-note", "已联系供电公司，明天现场踏勘。")
    dept.click("[data-testid=do-respond]")
    expect(dept.locator("[data-testid=timeline]")).to_contain_text("明天现场踏勘")
    open_action(dept, "resolve")
    dept.check("#id_resolve-outcome_0")
    dept.fill("#id_resolve-answer", "供电公司已完成临时用电接入，请企业确认。")
    dept.click("[data-testid=do-resolve]")
    expect(dept.locator("[data-testid=ticket-status]")).to_have_attribute("data-status", "resolved")

    # The firm sees every step like parcel tracking, confirms and rates.
    phone.goto(url)
    expect(phone.locator("[data-testid=timeline] li")).to_have_count(5)
    expect(phone.locator("[data-testid=answer]")).to_contain_text("临时用电接入")
    shot(phone, "ticket-tracking-phone")
    phone.check("#id_confirm-rating_0")
    phone.fill("#id_confirm-comment", "感谢，响应很快！")
    phone.click("[data-testid=do-confirm]")
    expect(phone.locator("[data-testid=ticket-status]")).to_have_attribute("data-status", "closed")

    # The ledger, the statistics and the firm's file show it.
    desk.goto(f"/tickets/ledger/?q={number}")
    expect(desk.locator("[data-testid=ticket-table]")).to_contain_text("已销号")
    desk.goto("/tickets/ledger/")
    shot(desk, "ledger")
    desk.goto("/tickets/statistics/")
    expect(desk.locator("[data-testid=kpi-closed]")).not_to_have_text("0")
    expect(desk.locator("#chart-month svg")).to_be_visible()
    shot(desk, "statistics")
    desk.goto("/directory/enterprises/?q=研发总院")
    desk.locator("[data-testid=enterprise-table] tbody tr a").first.click()
    expect(desk.locator("[data-testid=tickets-panel]")).to_contain_text(number)


def test_leaders_board_and_supervision_notice(new_page):
    page = new_page()
    login(page, "leader")
    page.goto("/tickets/board/")
    expect(page.locator("[data-testid=board-overdue]")).to_be_visible()
    shot(page, "board")
    page.goto("/tickets/ledger/?q=雨污水")
    page.locator("[data-testid=ticket-table] tbody tr a").first.click()
    open_action(page, "supervise")
    page.fill("#id_supervise-note", "请三个工作日内办结并报督查室。")
    # the notice's answer, before its link is looked for: the notice, its event, the messages and (with no
    # worker, as here) their deliveries in the same request, then the problem's page — on a loaded CI machine
    # this once took longer than the default 10 s
    with page.expect_navigation(timeout=30_000):
        page.click("[data-testid=do-supervise]")
    page.locator("[data-testid=notices] a").first.click()
    expect(page.locator("[data-testid=notice]")).to_contain_text("请三个工作日内办结")
    shot(page, "notice")


def test_a_large_ledger_is_exported_in_the_background(new_page, settings):
    settings.EXPORT_DIRECT_ROWS = 5  # the demo's ledger is then "large"
    desk = new_page()
    login(desk, "dispatcher")
    desk.goto("/tickets/ledger/?status=closed")
    expect(desk.locator("[data-testid=export-background]")).to_be_visible()
    desk.click("[data-testid=export-xlsx]")
    expect(desk.locator("[data-testid=export]")).to_have_attribute("data-state", "done", timeout=30_000)
    expect(desk.locator("[data-testid=export-ready]")).to_be_visible()
    shot(desk, "export-ready")
    with desk.expect_download() as info:
        desk.click("[data-testid=export-download]")
    assert re.fullmatch(r"诉求台账-\d{8}\.xlsx", info.value.suggested_filename)

    phone = new_page(viewport={"width": 390, "height": 844})
    login(phone, "dispatcher")
    phone.goto("/exports/")
    expect(phone.locator("[data-testid=export-row]").first).to_be_visible()
    shot(phone, "exports-phone")
    phone.locator("[data-testid=export-row] a").first.click()
    expect(phone.locator("[data-testid=export-download]")).to_be_visible()
