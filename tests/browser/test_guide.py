"""The public service guide, on a phone and without logging in: find an item by life event and by name, read
what to bring and how long it takes, and print it."""

from playwright.sync_api import expect

PHONE = {"width": 390, "height": 844}


def test_a_firm_finds_what_to_bring_for_a_licence_on_its_phone(new_page):
    page = new_page(viewport=PHONE)
    page.goto("/accounts/login/")
    page.click("[data-testid=public-guide-link]")
    expect(page.locator("[data-testid=guide-results] li").first).to_be_visible()
    page.select_option("#id_life_event", "start")
    page.click("[data-testid=guide-search]")
    results = page.locator("[data-testid=guide-results]")
    expect(results).to_contain_text("企业设立登记")
    expect(results).not_to_contain_text("建筑工程施工许可证核发")
    page.fill("#id_q", "供水")
    page.select_option("#id_life_event", "")
    page.click("[data-testid=guide-search]")
    page.locator("[data-testid=guide-results] a", has_text="供水报装").click()
    expect(page.locator("[data-testid=guide-name]")).to_have_text("供水报装")
    expect(page.locator("[data-testid=guide-limits]")).to_contain_text("60")
    expect(page.locator("[data-testid=guide-materials]")).to_contain_text("用水报装申请表")
    expect(page.locator("[data-testid=guide-facts]")).to_contain_text("公用事业服务中心")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.emulate_media(media="print")
    expect(page.locator("[data-print]")).not_to_be_visible()


def test_the_guide_in_english(new_page):
    page = new_page()
    page.goto("/public/guide/")
    page.click("[data-testid=lang-en]")
    expect(page.locator("h1")).to_have_text("Service guide")
    page.fill("#id_q", "nothing-like-this")
    page.click("[data-testid=guide-search]")
    expect(page.locator("[data-testid=guide-empty]")).to_be_visible()
