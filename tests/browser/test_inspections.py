"""The random inspection in a real browser: plan → freeze → seed → draw → an inspector records a result with a
rectification order → the firm uploads evidence → verified → the public page shows the published result."""

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from yingshang.demo import pictures

from .conftest import DEMO_PASSWORD, login, shot

LINGLONG = "吉林玲珑轮胎有限公司"


def test_plan_draw_inspect_rectify_publish(new_page, tmp_path):
    from yingshang.core import roles
    from yingshang.inspections.models import Visit

    desk = new_page()
    login(desk, "h_market")
    desk.goto("/inspections/plans/new/")
    desk.fill("#id_name", "轮胎制造企业产品质量专项抽查")
    desk.fill("#id_starts_on", "2026-11-02")
    desk.fill("#id_ends_on", "2026-12-31")
    desk.fill("#id_industry", "轮胎制造")  # one firm in the demo: 玲珑
    desk.check("label:has-text('营业执照（登记事项）规范使用情况')")
    desk.check("label:has-text('产品质量及标识标注情况')")
    for ratio in ("a", "b", "c", "d"):
        desk.fill(f"#id_ratio_{ratio}", "1")
    shot(desk, "inspections-plan-new")
    desk.click("[data-testid=plan-submit]")
    expect(desk.locator("[data-testid=plan-status]")).to_have_attribute("data-status", "draft")
    plan_url = desk.url

    head = new_page()
    login(head, "head_market")
    head.goto(plan_url)
    head.click("[data-testid=approve]")
    expect(head.locator("[data-testid=plan-status]")).to_have_attribute("data-status", "approved")

    desk.goto(plan_url)
    desk.click("[data-testid=freeze]")
    expect(desk.locator("[data-testid=seed-card]")).to_be_visible()
    desk.fill("#id_seed-seed", "31415926535897932384")
    desk.fill("#id_seed-note", "市场监管局会议室，两名企业代表见证")
    desk.click("[data-testid=draw]")
    expect(desk.locator("[data-testid=seed]")).to_have_text("31415926535897932384")
    expect(desk.locator("[data-testid=visits-table]")).to_contain_text(LINGLONG)
    shot(desk, "inspections-plan-drawn")

    # The drawn inspector records the results on a phone (an account is given to them if they have none).
    visit = Visit.objects.get(plan__name="轮胎制造企业产品质量专项抽查")
    inspector = visit.inspectors.order_by("certificate").first()
    if inspector.user is None:
        from django.contrib.auth.models import Group

        user = get_user_model().objects.create_user(f"ins_{inspector.certificate}", password=DEMO_PASSWORD,
                                                    last_name=inspector.name[0], first_name=inspector.name[1:])
        user.groups.add(Group.objects.get(name=roles.INSPECTOR))
        inspector.user = user
        inspector.save()
    phone = new_page(viewport={"width": 390, "height": 844})
    login(phone, inspector.user.username)
    phone.goto("/inspections/mine/")
    phone.click(f"[data-testid=assignments] >> text={LINGLONG}")
    phone.select_option("#id_result-item", label="SC-01 营业执照（登记事项）规范使用情况")
    phone.select_option("#id_result-outcome", "ok")
    phone.click("[data-testid=save-result]")
    expect(phone.locator("[data-testid=visit-status]")).to_have_attribute("data-status", "inspecting")
    phone.select_option("#id_result-item", label="SC-03 产品质量及标识标注情况")
    phone.select_option("#id_result-outcome", "ordered")
    phone.fill("#id_result-note", "部分产品合格证未标注生产批号")
    phone.fill("#id_result-requirement", "补齐产品合格证批号标注并自查在库产品")
    phone.fill("#id_result-workdays", "10")
    scene = tmp_path / "合格证.png"
    scene.write_bytes(pictures.png())
    phone.set_input_files("#id_result-photo", str(scene))
    shot(phone, "inspections-result-phone")
    phone.click("[data-testid=save-result]")
    thumb = phone.locator("[data-testid=results] [data-testid=thumbnail] img")
    expect(thumb).to_be_visible()
    assert phone.eval_on_selector("[data-testid=results] [data-testid=thumbnail] img", "i => i.naturalWidth") > 0
    phone.click("[data-testid=complete]")
    expect(phone.locator("[data-testid=visit-status]")).to_have_attribute("data-status", "done")

    # The firm sees the order and uploads its evidence.
    firm = new_page(viewport={"width": 390, "height": 844})
    login(firm, "linglong")
    firm.goto(f"/inspections/visits/{visit.pk}/")
    expect(firm.locator("[data-testid=order-status]")).to_have_attribute("data-status", "open")
    evidence = tmp_path / "整改报告.pdf"
    evidence.write_bytes(b"%PDF-1.4 rectification")
    firm.fill("#id_evidence-note", "已补齐全部在库产品的批号标注")
    firm.set_input_files("#id_evidence-evidence", str(evidence))
    firm.click("[data-testid=submit-evidence]")
    expect(firm.locator("[data-testid=order-status]")).to_have_attribute("data-status", "submitted")
    expect(firm.locator("[data-testid=order] [data-testid=file-link]")).to_be_visible()  # the PDF, as a link
    expect(firm.locator("[data-testid=results] [data-testid=thumbnail]")).to_be_visible()  # the inspector's photo

    # The follow-up visit verifies it; the department publishes; the public page shows the result.
    phone.goto(f"/inspections/visits/{visit.pk}/")
    phone.check("#id_verify-accept_0")
    phone.fill("#id_verify-note", "复查：已整改到位")
    phone.click("[data-testid=verify]")
    expect(phone.locator("[data-testid=visit-status]")).to_have_attribute("data-status", "closed")
    desk.goto(plan_url)
    desk.click("[data-testid=publish]")
    public = new_page()
    public.goto("/public/inspections/")
    expect(public.locator("[data-testid=public-results]")).to_contain_text(LINGLONG)
    public.locator("[data-testid=public-draws] a[href$='/']").first.click()
    expect(public.locator("[data-testid=draw-facts]")).to_contain_text("31415926535897932384")
    expect(public.locator("[data-testid=public-draw-results]")).to_contain_text("产品质量及标识标注情况")
    shot(public, "inspections-public-draw")


def test_a_safety_campaign(new_page):
    page = new_page()
    login(page, "h_fire")
    page.goto("/inspections/campaigns/")
    expect(page.locator("[data-testid=by-sector]")).to_contain_text("消防")
    shot(page, "inspections-campaigns")
    page.locator("[data-testid=campaigns-table] a").first.click()
    from yingshang.directory.models import Enterprise

    page.fill("#id_check-uscc", Enterprise.objects.get(name=LINGLONG).uscc)
    page.fill("#id_check-checkers", "褚消防、卫消防")
    page.fill("#id_check-hazard", "成品仓库自动喷水灭火系统停用")
    page.select_option("#id_check-level", "major")
    page.click("[data-testid=check-submit]")
    row = page.locator("[data-testid=checks-table] tr", has_text=LINGLONG).first
    expect(row.locator("[data-testid=hazard]")).to_have_attribute("data-status", "open")
    row.locator("input[name=rectify-rectification]").fill("复查：喷淋系统已恢复运行")
    row.locator("[data-testid=rectify]").click()
    row = page.locator("[data-testid=checks-table] tr", has_text=LINGLONG).first
    expect(row.locator("[data-testid=hazard]")).to_have_attribute("data-status", "rectified")
