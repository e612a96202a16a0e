"""Credit in a real browser: a department enters a penalty → the firm's class drops and a measure
applies → the firm sees it and applies for repair → the department approves → the class is restored.
Then the other credit pages, the rules editor and the public pages."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from .conftest import login, shot

LINGLONG = "吉林玲珑轮胎有限公司"


def test_penalty_lowers_the_class_and_repair_restores_it(new_page, tmp_path):
    from yingshang.directory.models import Enterprise

    firm = Enterprise.objects.get(name=LINGLONG)
    number = "长汽开应急罚〔2025〕88号"

    dept = new_page()
    login(dept, "h_emergency")
    dept.goto("/credit/records/new/")
    dept.fill("#id_uscc", firm.uscc)
    dept.select_option("#id_kind", "penalty")
    dept.select_option("#id_severity", "serious")
    dept.fill("#id_decision_number", number)
    dept.fill("#id_decided_on", (timezone.localdate() - timedelta(days=400)).isoformat())
    dept.fill("#id_description", "未依法开展安全生产隐患排查治理，罚款人民币十万元")
    shot(dept, "credit-record-new")
    dept.click("[data-testid=record-submit]")
    expect(dept.locator("[data-testid=record-status]")).to_have_text("有效")
    record_url = dept.url
    dept.goto(f"/directory/enterprises/{firm.pk}/")
    panel = dept.locator("[data-testid=credit-panel]")
    expect(panel.locator("[data-grade]").first).to_have_attribute("data-grade", "C")
    expect(panel.locator("[data-testid=credit-measures]")).to_contain_text("提高抽查比例")
    expect(panel.locator("[data-testid=credit-explanation]")).to_contain_text(number)

    # The firm sees it on its phone and applies for repair with its evidence.
    phone = new_page(viewport={"width": 390, "height": 844})
    login(phone, "linglong")
    phone.goto("/credit/mine/")
    panel = phone.locator("[data-testid=credit-panel]")
    expect(panel.locator("[data-grade]").first).to_have_attribute("data-grade", "C")
    shot(phone, "credit-panel-firm-phone")
    panel.locator(f"text={number}").first.click()
    report = tmp_path / "整改报告.pdf"
    report.write_bytes(b"%PDF-1.4 rectification report")
    phone.fill("#id_repair-reason", "罚款已缴清，隐患排查治理制度已建立并经复查合格。")
    phone.set_input_files("#id_repair-evidence", str(report))
    phone.click("[data-testid=submit-repair]")
    expect(phone.locator("[data-testid=requests]")).to_contain_text("待审批")
    shot(phone, "credit-repair-filed-phone")

    # The department approves; the class is restored and the firm is on the red list again.
    dept.goto("/credit/requests/")
    expect(dept.locator("[data-testid=queue-table]")).to_contain_text(number)
    dept.goto(record_url)
    dept.check("#id_decide-approve_0")
    dept.fill("#id_decide-answer", "经复查，整改到位，准予信用修复。")
    shot(dept, "credit-record-decide")
    dept.click("[data-testid=submit-decide]")
    expect(dept.locator("[data-testid=record-status]")).to_have_text("已修复")

    phone.goto("/credit/mine/")
    panel = phone.locator("[data-testid=credit-panel]")
    expect(panel.locator("[data-grade]").first).to_have_attribute("data-grade", "A")
    expect(panel.locator("[data-testid=on-red-list]")).to_be_visible()
    expect(panel.locator("[data-testid=credit-measures]")).to_contain_text("绿色通道")


def test_credit_pages_and_the_rules_editor(new_page):
    page = new_page()
    login(page, "admin")
    page.goto("/credit/")
    for g in "ABCD":
        expect(page.locator(f"[data-testid=grade-{g}]")).not_to_have_text("")
    expect(page.locator("#chart-trend svg")).to_be_visible()
    shot(page, "credit-overview")
    page.click("[data-testid=grade-D]")
    expect(page.locator("[data-testid=firms-table] [data-grade=D]").first).to_be_visible()
    page.goto("/credit/records/?kind=judgment_defaulter")
    expect(page.locator("[data-testid=records-table]")).to_contain_text("长春繁荣冲压件有限公司")
    shot(page, "credit-records")
    page.goto("/credit/lists/?kind=black")
    expect(page.locator("[data-testid=list-table]")).to_contain_text("长春繁荣冲压件有限公司")
    shot(page, "credit-lists")
    page.goto("/credit/requests/")
    expect(page.locator("[data-testid=queue-table]")).to_contain_text("中国第一汽车集团有限公司研发总院")
    page.goto("/credit/measures/")
    expect(page.locator("[data-testid=measures-table]")).to_contain_text("绿色通道")
    page.goto("/credit/records/import/")
    expect(page.locator("[data-testid=import-submit]")).to_be_visible()

    # A new version of the rules: penalties weigh more; putting it in force rescores every firm.
    page.goto("/credit/rules/")
    shot(page, "credit-rules")
    page.click("[data-testid=new-draft]")
    rows = page.locator("[data-testid=rule-row]")
    expect(rows.first).to_be_visible()
    page.fill("#id_name", "开发区信用评价规则（2027版）")
    page.fill("#id_a_min", "112")
    shot(page, "credit-rules-edit")
    page.click("[data-testid=activate]")
    expect(page.locator("[data-testid=rules-shown]")).to_contain_text("2027")
    expect(page.locator(".alert-success")).to_contain_text("第 2 版已启用")


def test_public_credit_pages_need_no_login(new_page):
    page = new_page(viewport={"width": 390, "height": 844})
    page.goto("/public/credit/")
    expect(page.locator("[data-testid=public-black]")).to_contain_text("长春繁荣冲压件有限公司")
    page.fill("[data-testid=public-q]", "繁荣冲压")
    page.click("[data-testid=public-search]")
    page.locator("[data-testid=public-results] a").first.click()
    expect(page.locator("[data-testid=public-entry-black]")).to_be_visible()
    expect(page.locator("[data-testid=public-records]")).to_contain_text("失信被执行人")
    expect(page.locator("body")).not_to_contain_text("孙繁荣")  # the legal representative is not published
    shot(page, "credit-public-firm-phone")
    page.goto("/public/credit/list/red/")
    expect(page.locator("[data-testid=public-list]")).to_contain_text(LINGLONG)


