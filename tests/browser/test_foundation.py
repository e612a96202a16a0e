"""The main paths of the foundation's pages, in a real browser."""

import re

from openpyxl import Workbook
from playwright.sync_api import expect

from .conftest import login, shot

HOMES = {
    # username → (what the home shows, menu entries that must be there, menu entries that must not)
    "admin": ("kpi-enterprises", {"home", "enterprises", "departments"}, set()),
    "leader": ("my-enterprises", {"home", "enterprises", "departments"}, set()),
    "supervisor": ("kpi-enterprises", {"home", "enterprises", "departments"}, set()),
    "dispatcher": ("kpi-enterprises", {"home", "enterprises", "departments"}, set()),
    "handler": ("kpi-enterprises", {"home", "enterprises", "departments"}, set()),
    "depthead": ("kpi-enterprises", {"home", "enterprises", "departments"}, set()),
    "steward": ("my-enterprises", {"home", "enterprises", "departments"}, set()),
    "inspector": ("kpi-enterprises", {"home", "enterprises", "departments"}, set()),
    "faw_rd": ("my-enterprise", {"home", "enterprises"}, {"departments"}),
    "linglong": ("my-enterprise", {"home", "enterprises"}, {"departments"}),
}


def test_every_role_logs_in_and_sees_its_home(new_page):
    page = new_page()
    for username, (marker, has, has_not) in HOMES.items():
        login(page, username)
        expect(page.locator(f"[data-testid={marker}]").first).to_be_visible()
        nav = set(page.locator("[data-nav]").evaluate_all("els => els.map(e => e.dataset.nav)"))
        assert has <= nav and not (has_not & nav), (username, nav)
        if username in ("leader", "faw_rd"):
            shot(page, f"home-{username}")
        page.click("[data-testid=user-menu]")
        page.click("[data-testid=logout]")
        expect(page.locator("[data-testid=login-submit]")).to_be_visible()


def test_wrong_password_then_the_chart_and_calendar_on_the_home(new_page):
    page = new_page()
    page.goto("/accounts/login/")
    expect(page.locator("[data-testid=demo-accounts]")).to_have_count(0)  # the live server runs without DEBUG
    page.fill("#id_username", "dispatcher")
    page.fill("#id_password", "wrong")
    page.click("[data-testid=login-submit]")
    expect(page.locator("[data-testid=login-error]")).to_contain_text("请输入")
    login(page, "dispatcher")
    expect(page.locator("#chart-bureaus svg")).to_be_visible()
    expect(page.locator("[data-testid=calendar-card]")).to_contain_text("工作日历")
    shot(page, "home-dispatcher")


def test_language_switch_to_english_and_back(new_page):
    page = new_page()
    login(page, "leader")
    page.click("[data-testid=lang-en]")
    expect(page.locator("[data-nav=enterprises]")).to_have_text(re.compile("Enterprises"))
    shot(page, "home-leader-en")
    page.click("[data-testid=lang-zh-hans]")
    expect(page.locator("[data-nav=enterprises]")).to_have_text(re.compile("企业名录"))


def test_staff_find_a_firm_and_open_its_file(new_page):
    page = new_page()
    login(page, "dispatcher")
    page.click("[data-nav=enterprises]")
    page.fill("#id_q", "研发总院")
    page.click("[data-testid=filter-submit]")
    rows = page.locator("[data-testid=enterprise-table] tbody tr")
    expect(rows).to_have_count(1)
    shot(page, "enterprise-list")
    rows.first.locator("a").first.click()
    expect(page.locator("[data-testid=enterprise-name]")).to_have_text("中国第一汽车集团有限公司研发总院")
    expect(page.locator("[data-testid=panel-stewardship]")).to_contain_text("周专员")
    # the dispatcher does not look after this firm: phones are masked
    expect(page.locator("[data-testid=panel-basic]")).to_contain_text("****")
    shot(page, "enterprise-profile")
    page.click("[data-nav=departments]")
    expect(page.locator("[data-testid=department-table]")).to_contain_text("红旗服务局")
    shot(page, "departments")


def test_enterprise_user_on_a_phone_sees_only_its_own_file(new_page, live_server):
    page = new_page(viewport={"width": 390, "height": 844})
    login(page, "faw_rd")
    expect(page.locator("[data-testid=my-enterprise]")).to_have_count(1)
    shot(page, "home-enterprise-phone")
    page.click("text=查看企业档案")
    expect(page.locator("[data-testid=enterprise-name]")).to_have_text("中国第一汽车集团有限公司研发总院")
    response = page.goto("/directory/departments/")
    assert response.status == 403


def test_admin_imports_a_spreadsheet_fixes_the_errors_and_sees_the_firm(new_page, tmp_path):
    from yingshang.core.uscc import make_uscc
    from yingshang.directory.services import IMPORT_COLUMNS

    header = [h for _f, h, _r in IMPORT_COLUMNS]

    def workbook(code):
        wb = Workbook()
        wb.active.append(header)
        wb.active.append(["长春新回归零部件有限公司", code, "林一", "13900000000", "长春汽开区", "汽车零部件及配件制造", "小型",
                          "2026-03-01", "300", "存续", "", "零部件服务局", "否", "是"])
        path = tmp_path / f"{code}.xlsx"
        wb.save(path)
        return path

    page = new_page()
    login(page, "admin")
    page.goto("/directory/enterprises/")
    page.click("a[href=\"/directory/enterprises/import/\"]")
    page.set_input_files("#id_file", str(workbook("91220174MA0000000X")))
    page.click("[data-testid=import-submit]")
    expect(page.locator("[data-testid=import-errors]")).to_contain_text("校验码")
    shot(page, "import-errors")
    page.set_input_files("#id_file", str(workbook(make_uscc("220174", 88_000_001))))
    page.click("[data-testid=import-submit]")
    expect(page.locator(".alert-success")).to_contain_text("新增 1 家")
    page.fill("#id_q", "新回归")
    page.click("[data-testid=filter-submit]")
    expect(page.locator("[data-testid=enterprise-table] tbody tr")).to_have_count(1)


def test_password_change_notifications_and_api_docs(new_page, django_db_blocker):
    from yingshang.core import notifications
    from yingshang.core.models import User

    with django_db_blocker.unblock():
        user = User.objects.get(username="inspector2")
        for i in range(35):  # more than a page of messages waiting
            notifications.send(recipients=[user], title=f"抽查任务提醒 {i}", kind="work", group_key=f"test:{i}")
    page = new_page()
    login(page, "inspector2")
    page.click("[data-testid=bell]")
    expect(page.locator("h1")).to_have_text("消息")
    shot(page, "notifications")
    # what was shown is now read; the rest is offered at once
    expect(page.locator("[data-testid=unread-elsewhere]")).to_contain_text("其他页")
    page.click("[data-testid=read-all]")
    expect(page.locator(".alert-success")).to_contain_text("已读")
    expect(page.locator("[data-testid=bell] .badge")).to_have_count(0)
    expect(page.locator("[data-testid=read-all]")).to_have_count(0)
    page.click("[data-testid=user-menu]")
    page.click("text=修改密码")
    page.fill("#id_old_password", "yingshang-demo")
    page.fill("#id_new_password1", "Jiefang-J7-2026")
    page.fill("#id_new_password2", "Jiefang-J7-2026")
    page.click("[data-testid=password-submit]")
    expect(page.locator("[data-testid=password-done]")).to_be_visible()
    page.goto("/api/docs/")
    expect(page.locator(".swagger-ui .title").first).to_contain_text("yingshang API")
    shot(page, "api-docs")
    with django_db_blocker.unblock():  # the demo world is shared by the browser tests: the account as it was
        user.set_password("yingshang-demo")
        user.save()


def test_too_many_failures_show_the_lockout_page(new_page, django_db_blocker):
    from axes.models import AccessAttempt

    page = new_page()
    for _ in range(5):
        page.goto("/accounts/login/")
        page.fill("#id_username", "inspector")
        page.fill("#id_password", "wrong")
        page.click("[data-testid=login-submit]")
    page.goto("/accounts/login/")
    page.fill("#id_username", "inspector")
    page.fill("#id_password", "yingshang-demo")
    page.click("[data-testid=login-submit]")
    expect(page.locator("[data-testid=locked-out]")).to_be_visible()
    shot(page, "locked-out")
    with django_db_blocker.unblock():  # the shared demo world: the inspector may log in again
        AccessAttempt.objects.filter(username="inspector").delete()


def test_admin_site_shows_the_calendar_banner(new_page):
    page = new_page()
    login(page, "admin")
    page.goto("/admin/")
    expect(page.locator("#site-name")).to_contain_text("营商平台管理后台")
    shot(page, "admin")
