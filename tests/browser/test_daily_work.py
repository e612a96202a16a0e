"""The main paths of a working day, on the widths people use: a firm on its phone reads its late problem and
urges the department, never seeing what officials wrote for each other; a leader sees the urging on the board;
a handler starts from a to-do home and works the ledger with page numbers and a saved view (cards on a phone);
a dispatcher prints the assignment sheet; the supervision office reads and exports the audit trail and a
firm's timeline and printable file; a language chosen is kept on the account; an id edited in the address
gets a tidy 404."""

import re

from playwright.sync_api import expect

from .conftest import login, shot

DESKTOP, PHONE = {"width": 1440, "height": 900}, {"width": 390, "height": 844}


def _late_problem(django_db_blocker):
    """A late problem of the R&D institute the firm may urge now (the demo urges some; one is made ready)."""
    from django.utils import timezone

    from yingshang.directory.models import EnterpriseMember
    from yingshang.tickets.models import Ticket

    with django_db_blocker.unblock():
        firm = EnterpriseMember.objects.get(user__username="faw_rd").enterprise
        t = Ticket.objects.filter(enterprise=firm, status__in=["dispatched", "in_progress"],
                                  next_due__lt=timezone.now()).order_by("pk").first()
        Ticket.objects.filter(pk=t.pk).update(last_urged_at=None)
        return t.pk, t.number, t.urge_count


def _top(page, testid):
    return page.locator(f"[data-testid={testid}]").first.bounding_box()["y"]


def test_the_firm_urges_a_late_problem_and_never_reads_the_officials_notes(new_page, django_db_blocker):
    pk, number, urged = _late_problem(django_db_blocker)
    leader = new_page(viewport=DESKTOP)
    login(leader, "leader")
    leader.goto(f"/tickets/{pk}/")
    leader.click("[data-testid=open-instruct]")
    leader.fill("[data-testid=form-instruct] textarea", "内部批示：请周五前拿出方案，不要推给企业")
    leader.click("[data-testid=do-instruct]")
    expect(leader.locator("[data-testid=timeline]")).to_contain_text("请周五前拿出方案")

    phone = new_page(viewport=PHONE)
    login(phone, "faw_rd")
    phone.goto(f"/tickets/{pk}/")
    # read before acting: where it is now, then the timeline, then what the firm can do
    assert _top(phone, "where-now") < _top(phone, "timeline") < _top(phone, "actions")
    expect(phone.locator("[data-testid=days-left]")).to_contain_text("已超期")
    expect(phone.locator("[data-testid=lead-department]")).to_contain_text("0431-")
    expect(phone.locator("body")).not_to_contain_text("请周五前拿出方案")
    expect(phone.locator("[data-testid=internal-note]")).to_have_count(0)
    expect(phone.locator("#act-withdraw")).not_to_be_visible()  # withdrawing stays folded
    # urging is unfolded when it is the firm's main step, folded when another step (e.g. supplying) comes first
    if phone.locator("#act-urge.show").count() == 0:
        phone.click("[data-testid=open-urge]")
    expect(phone.locator("[data-testid=do-urge]")).to_be_visible()
    with phone.expect_navigation():
        phone.click("[data-testid=do-urge]")
    expect(phone.locator("[data-testid=urged]")).to_contain_text(str(urged + 1))
    expect(phone.locator("[data-testid=urge-again]")).to_be_visible()  # once per working day
    expect(phone.locator("[data-testid=do-urge]")).to_have_count(0)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone, "firm-urges-phone")

    leader.goto("/tickets/board/")
    expect(leader.locator("[data-testid=urged-list]")).to_contain_text(number)
    leader.click("[data-testid=board-urged]")
    expect(leader.locator("[data-testid=ticket-table]")).to_contain_text(number)


def test_a_handler_works_from_the_to_do_home_and_a_saved_view(new_page):
    page = new_page(viewport=DESKTOP)
    login(page, "handler")
    todo = page.locator("[data-testid=todo]")
    expect(todo).to_be_visible()
    expect(page.locator("a[href*='/api/']")).to_have_count(0)  # no API documentation for officials
    expect(page.locator("[data-testid=todo-to_accept] a .fs-3")).to_have_text(re.compile(r"^\d+$"))
    page.locator("[data-testid=todo-due_today] a").first.click()
    expect(page.locator("[data-testid=ticket-table]")).to_be_visible()
    expect(page.locator("[data-testid=legend]")).to_be_visible()
    expect(page.locator("[data-testid=time-left]").first).to_contain_text("工作日")

    page.goto("/tickets/ledger/?status=open&order=due")
    page.click("[data-testid=size-20]")
    expect(page.locator("[data-testid=pager]")).to_be_visible()
    page.fill("[data-testid=saved-views] input[name=name]", "我的未办结")
    page.click("[data-testid=save-view]")
    view = page.locator("[data-testid=view-1]")
    expect(view).to_have_text("我的未办结")
    page.goto("/tickets/ledger/")
    view.click()
    assert "status=open" in page.url and "order=due" in page.url
    shot(page, "handler-ledger-desktop")

    phone = new_page(viewport=PHONE)
    login(phone, "handler")
    phone.goto("/tickets/ledger/?status=open")
    expect(phone.locator("[data-testid=ticket-cards]")).to_be_visible()
    expect(phone.locator("[data-testid=ticket-table]")).not_to_be_visible()
    expect(phone.locator("[data-testid=ledger-filter]")).not_to_be_visible()  # folded on a phone
    phone.click("[data-testid=toggle-filters]")
    expect(phone.locator("[data-testid=ledger-filter]")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone, "handler-ledger-phone")


def test_the_dispatcher_prints_the_assignment_sheet(new_page):
    page = new_page(viewport=DESKTOP)
    login(page, "dispatcher")
    page.goto("/tickets/ledger/?status=in_progress")
    page.locator("[data-testid=ticket-table] tbody tr a").first.click()
    number = page.locator("[data-testid=ticket-number]").inner_text()
    page.click("[data-testid=assignment-sheet]")
    sheet = page.locator("[data-testid=sheet]")
    expect(sheet).to_contain_text(number)
    expect(sheet.locator("h1")).to_have_text("交 办 单")
    page.emulate_media(media="print")
    expect(page.locator(".ys-sidebar")).not_to_be_visible()  # the printout is the sheet alone
    page.emulate_media(media="screen")


def test_the_supervision_office_reads_the_audit_trail_and_a_firms_file(new_page):
    page = new_page(viewport=DESKTOP)
    login(page, "supervisor")
    page.goto("/audit/")
    expect(page.locator("[data-testid=audit-table] table")).to_be_visible()
    page.fill("#id_firm", "研发总院")
    page.select_option("#id_kind", "tickets")
    page.click("[data-testid=audit-apply]")
    rows = page.locator("[data-testid=audit-table] tbody tr")
    expect(rows.first).to_be_visible()
    assert all("研发总院" in t for t in rows.locator("td:nth-child(4)").all_inner_texts())
    with page.expect_download() as download:
        page.click("[data-testid=audit-export]")
    assert download.value.suggested_filename.endswith(".xlsx")

    page.goto("/directory/enterprises/")
    page.fill("input[name=q]", "研发总院")
    page.click("[data-testid=filter-submit]")
    page.locator("[data-testid=enterprise-table] tbody tr a").first.click()
    expect(page.locator("[data-testid=panel-timeline]")).to_be_visible()
    page.click("[data-testid=timeline-all]")
    page.click("[data-testid=kind-credit]")
    items = page.locator("[data-testid=firm-timeline] li")
    expect(items.first).to_be_visible()
    assert all("信用" in t for t in items.all_inner_texts())
    page.go_back()
    page.go_back()
    page.click("[data-testid=firm-file]")
    doc = page.locator("[data-testid=firm-file-doc]")
    expect(doc.locator("h1")).to_have_text("一 企 一 档")
    for key in ("tickets", "credit", "projects"):
        expect(page.locator(f"[data-testid=file-panel-{key}]")).to_have_count(1)
    expect(page.locator("[data-testid=file-timeline]")).to_be_visible()
    shot(page, "firm-file-desktop")

    phone = new_page(viewport=PHONE)
    login(phone, "supervisor")
    phone.goto("/audit/")
    expect(phone.locator("[data-testid=audit-cards]")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_firm_reads_its_own_timeline_without_the_officials_notes(new_page):
    phone = new_page(viewport=PHONE)
    login(phone, "faw_rd")
    phone.click("[data-testid=my-enterprise] a.btn")
    phone.click("[data-testid=timeline-all]")
    expect(phone.locator("[data-testid=firm-timeline] li").first).to_be_visible()
    expect(phone.locator("[data-testid=firm-timeline]")).not_to_contain_text("请周五前拿出方案")
    expect(phone.locator("[data-testid=firm-timeline] .bi-lock")).to_have_count(0)


def test_a_chosen_language_is_kept_on_the_account(new_page):
    page = new_page(viewport=DESKTOP, locale="zh-CN")
    login(page, "steward")
    page.click("[data-testid=lang-en]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    other = new_page(viewport=DESKTOP, locale="zh-CN")  # another browser: the account's choice follows
    other.goto("/accounts/login/")
    expect(other.locator("html")).to_have_attribute("lang", re.compile("zh"))
    other.fill("#id_username", "steward")
    other.fill("#id_password", "yingshang-demo")
    other.click("[data-testid=login-submit]")
    expect(other.locator("html")).to_have_attribute("lang", "en")
    other.click("[data-testid=lang-zh-hans]")
    expect(other.locator("html")).to_have_attribute("lang", re.compile("zh"))


def test_an_edited_id_gets_a_tidy_404(new_page):
    phone = new_page(viewport=PHONE)
    login(phone, "faw_rd")
    response = phone.goto("/tickets/99999999/")
    assert response.status == 404
    expect(phone.locator("body")).not_to_contain_text("URLconf")
    expect(phone.locator("a[href='/']").first).to_be_visible()
