"""政务服务 in a real browser: a firm applies for the 开办企业 bundle on its phone; the market department's
window accepts the registration with a material missing (容缺) and prints the notice; the firm supplies it;
the departments decide the four items that then run in parallel; the firm rates the bundle 不满意; the
service hall calls back, rectifies and replies; the firm rates once more; the statistics show it."""

from playwright.sync_api import expect

from .conftest import login, shot

PHONE = {"width": 390, "height": 844}


def _act(page, name, fields=None):
    if not page.locator(f"#act-{name}.show").count():  # the main action's panel is open already
        page.click(f"[data-testid=open-{name}]")
        expect(page.locator(f"#act-{name}.show")).to_be_visible()
    form = page.locator(f"[data-testid=form-{name}]")
    for selector, value in (fields or {}).items():
        form.locator(selector).fill(value)
    with page.expect_navigation():  # the action's answer, not the alert of the one before
        form.locator(f"[data-testid=do-{name}]").click()
    expect(page.locator(".alert-success[role=alert]")).to_be_visible()


def test_a_business_started_in_one_visit_then_rated_and_rectified(new_page, django_db_blocker):
    firm_page = new_page(viewport=PHONE)
    login(firm_page, "faw_rd")
    firm_page.goto("/services/mine/")
    firm_page.click("[data-testid=bundles-link]")
    firm_page.click("[data-testid=apply-kaiban-qiye]")
    form = firm_page.locator("[data-testid=bundle-form]")
    expect(firm_page.locator("[data-testid=bundle-materials]")).to_contain_text("营业执照")
    assert form.locator("input[name=f_name]").count() == 1  # asked once for five items
    firm_page.click("[data-testid=submit-bundle]")
    expect(form.locator(".invalid-feedback").first).to_be_visible()  # nothing filled: refused, nothing written
    for key, value in {"name": "长春研发总院新能源科技有限公司", "capital": "1000", "legal": "王德平", "address": "东风大街8号",
                       "scope": "新能源汽车技术研发", "seals": "公章、财务专用章", "tax_contact": "李敏",
                       "invoices": "增值税专用发票", "staff": "25", "bank": "中国工商银行长春汽车厂支行"}.items():
        form.locator(f"input[name=f_{key}]").fill(value)
    firm_page.click("[data-testid=submit-bundle]")
    expect(firm_page.locator("[data-testid=bundle-status]")).to_have_attribute("data-status", "open")
    number = firm_page.locator("[data-testid=bundle-number]").inner_text()
    rows = firm_page.locator("[data-testid=bundle-applications] [data-number]")
    expect(rows).to_have_count(1)
    assert firm_page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(firm_page, "services-bundle-phone")
    first = rows.first.get_attribute("data-number")
    bundle_url = firm_page.url

    clerk = new_page()
    login(clerk, "h_market")
    clerk.goto("/services/inbox/")
    clerk.locator(f"[data-number='{first}']").click()
    _act(clerk, "accept", {"textarea[name=accept-missing]": "住所使用证明"})
    expect(clerk.locator("[data-testid=application-status]")).to_have_attribute("data-status", "review")
    clerk.click("[data-testid=notice-link]")
    expect(clerk.locator("[data-testid=notice]")).to_contain_text("容缺受理通知书")
    expect(clerk.locator("[data-testid=notice]")).to_contain_text("住所使用证明")
    shot(clerk, "services-tolerant-notice")

    firm_page.goto("/services/mine/?tab=todo")
    firm_page.locator(f"[data-number='{first}']").click()
    expect(firm_page.locator("[data-testid=needed-supply]")).to_contain_text("住所使用证明")
    _act(firm_page, "supply")

    clerk.goto("/services/inbox/?tab=review")
    clerk.locator(f"[data-number='{first}']").click()
    _act(clerk, "approve", {"input[name=approve-licence_number]": "91220101MA0KB12345"})
    # the four items of the second stage, each at its own department
    admin = new_page()
    login(admin, "admin")
    admin.goto(bundle_url)
    expect(admin.locator("[data-testid=bundle-applications] [data-number]")).to_have_count(5)
    for _i in range(4):
        admin.goto(bundle_url)
        admin.locator("[data-testid=bundle-applications] a:has([data-status=submitted])").first.click()
        _act(admin, "accept")
        _act(admin, "approve", {"input[name=approve-licence_number]": "KB-0001"})

    with django_db_blocker.unblock():
        from yingshang.catalog.models import BundleApplication

        ba = BundleApplication.objects.get(number=number)
        assert ba.status == "done" and ba.work_hours is not None
    firm_page.goto(f"/services/bundle-applications/{ba.pk}/")
    expect(firm_page.locator("[data-testid=work-hours]")).to_be_visible()
    rating = firm_page.locator("[data-testid=rating-form]")
    for aspect in ("overall", "efficiency", "attitude", "accuracy"):
        rating.locator(f"input[name=rate-{aspect}][value='2']").check()
    rating.locator("textarea[name=rate-comment]").fill("窗口一次性告知不清，来回补了两次材料。")
    firm_page.click("[data-testid=submit-rating]")
    expect(firm_page.locator("[data-testid=rating-status]")).to_have_text("待回访")

    hall = new_page()
    login(hall, "window")
    hall.goto("/services/ratings/")
    hall.locator("[data-testid=bad-ratings] a", has_text=number).click()
    _act(hall, "call_back", {"textarea[name=call_back-note]": "已电话回访，企业反映窗口一次性告知不到位。"})
    _act(hall, "reply", {"textarea[name=reply-reply]": "已制作开办企业一次性告知单，窗口人员已培训。"})
    expect(hall.locator("[data-testid=rating-status]")).to_have_attribute("data-status", "replied")

    firm_page.click("[data-testid=rating-link]")
    if not firm_page.locator("#act-rerate.show").count():
        firm_page.click("[data-testid=open-rerate]")
    rerate = firm_page.locator("[data-testid=form-rerate]")
    for aspect in ("overall", "efficiency", "attitude", "accuracy"):
        rerate.locator(f"input[name=rerate-{aspect}][value='4']").check()
    with firm_page.expect_navigation():
        rerate.locator("[data-testid=do-rerate]").click()
    expect(firm_page.locator("[data-testid=rating-status]")).to_have_attribute("data-status", "replaced")
    expect(firm_page.locator("[data-testid=internal-note]")).to_have_count(0)  # the call-back note stays inside
    assert firm_page.evaluate("document.documentElement.scrollWidth") <= 390

    hall.goto("/services/statistics/")
    expect(hall.locator("[data-testid=bundle-stats]")).to_contain_text("开办企业")
    expect(hall.locator("[data-testid=kpi-rectified]")).not_to_have_text("0")
    shot(hall, "services-statistics")
