"""The public portal: a firm's staff walks it on a phone, without logging in — the service guide and an item,
the policies with a self-check by its credit code, the credit search, the inspection results, an open dataset
downloaded — and no public page or file carries personal data (the demo's phone numbers and people's names are searched for in every one)."""

import re

from playwright.sync_api import expect

from .conftest import shot

PHONE = {"width": 390, "height": 844}
LINGLONG = "吉林玲珑轮胎有限公司"


def test_a_firm_walks_the_portal_on_a_phone(new_page, django_db_blocker, demo_world):
    from yingshang.directory.models import Enterprise

    with django_db_blocker.unblock():
        code = Enterprise.objects.get(name=LINGLONG).uscc
    page = new_page(viewport=PHONE)
    page.goto("/public/")
    expect(page.locator("[data-testid=portal-cards]")).to_be_visible()
    shot(page, "portal-home-phone")
    page.locator("[data-testid=portal-cards] a", has_text="办事指南").click()
    page.locator("[data-testid=guide-results] a").first.click()
    expect(page.locator("h1")).not_to_be_empty()
    page.goto("/public/")
    page.locator("[data-testid=portal-cards] a", has_text="惠企政策").click()
    page.locator("[data-testid=self-check] input[name=uscc]").fill(code)
    with page.expect_navigation():
        page.locator("[data-testid=check]").click()
    result = page.locator("[data-testid=check-result]")
    expect(result).to_contain_text(LINGLONG)
    expect(result.locator("[data-verdict]").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "portal-policies-check-phone")
    page.locator("[data-testid=portal-nav] a", has_text="信用").click()
    page.locator("input[name=q]").fill("玲珑")
    with page.expect_navigation():
        page.locator("input[name=q]").press("Enter")
    expect(page.locator("body")).to_contain_text(LINGLONG)
    page.locator("[data-testid=portal-nav] a", has_text="双随机").click()
    expect(page.locator("h1")).to_contain_text("双随机")
    page.locator("[data-testid=portal-nav] a", has_text="服务数据").click()
    expect(page.locator("[data-testid=by-department]")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "portal-figures-phone")
    page.locator("[data-testid=portal-nav] a", has_text="开放数据").click()
    with page.expect_download() as download:
        page.locator("[data-testid=csv-credit-records]").click()
    path = download.value.path()
    with open(path, "rb") as f:
        data = f.read()
    assert data.startswith(b"\xef\xbb\xbf") and b"decision_number" in data
    shot(page, "portal-data-phone")


def test_no_public_page_or_file_carries_personal_data(new_page, django_db_blocker, demo_world):
    from yingshang.core.models import User
    from yingshang.directory.models import Enterprise, EnterpriseMember, StaffProfile
    from yingshang.inspections.models import Draw
    from yingshang.portal.datasets import DATASETS
    from yingshang.service.models import Policy
    from yingshang.tickets.models import Ticket

    with django_db_blocker.unblock():
        phones = {p for p in [*StaffProfile.objects.values_list("phone", flat=True),
                              *EnterpriseMember.objects.values_list("phone", flat=True),
                              *Enterprise.objects.values_list("contact_phone", flat=True)] if p and len(p) >= 11}
        names = {n for n in (f"{u.last_name}{u.first_name}" for u in User.objects.all()) if len(n) >= 3}
        names |= {n for n in Enterprise.objects.values_list("legal_representative", flat=True) if n and len(n) >= 3}
        linglong = Enterprise.objects.get(name=LINGLONG)
        draw = Draw.objects.filter(status="drawn").first()
        policy = Policy.objects.filter(status="published").first()
        urls = ["/public/", "/public/guide/", "/public/policies/", f"/public/policies/?uscc={linglong.uscc}",
                f"/public/policies/{policy.pk}/?uscc={linglong.uscc}", "/public/credit/", "/public/credit/?q=长春",
                f"/public/credit/{linglong.uscc}/", "/public/credit/list/red/", "/public/credit/list/black/",
                "/public/inspections/", f"/public/inspections/draws/{draw.pk}/",
                f"/public/inspections/draws/{draw.pk}.json", f"/public/inspections/draws/{draw.pk}/results.csv",
                "/public/ratings/", "/public/ratings/?by=item", "/public/figures/", "/public/data/",
                *[f"/public/data/{d.key}.{fmt}" for d in DATASETS for fmt in ("csv", "json")],
                "/public/data/data.json", "/public/data/catalog.jsonld",
                "/open311/v2/services.json", "/open311/v2/requests.json", "/open311/v2/requests.xml",
                *[f"/open311/v2/requests/{n}.json" for n in Ticket.objects.filter(published=True)
                  .values_list("number", flat=True)]]
        assert Ticket.objects.filter(published=True).exists()  # the demo has a published problem
    assert len(phones) > 20 and len(names) > 20
    found = []
    page = new_page(viewport=PHONE)  # nobody logged in
    for url in urls:
        r = page.request.get(url)
        assert r.status == 200, url
        body = r.body().decode("utf-8-sig")
        found += [f"{url}: {p}" for p in phones if p in body]
        found += [f"{url}: {n}" for n in names if re.search(re.escape(n), body)]
    assert found == []
