"""In a real browser: a firm publishes one of its problems through Open311 from its phone (and the public then
reads it); an administrator finds a failed background job and retries it, on a desktop and on a phone."""

from playwright.sync_api import expect

from .conftest import login, shot
from .test_tickets import open_action

DESKTOP, PHONE = {"width": 1440, "height": 900}, {"width": 390, "height": 844}


def test_a_firm_publishes_a_problem_through_open311(new_page, django_db_blocker):
    from yingshang.tickets.models import Ticket

    with django_db_blocker.unblock():
        t = Ticket.objects.filter(enterprise__name="吉林玲珑轮胎有限公司", published=False,
                                  status__in=["registered", "dispatched", "in_progress"]).order_by("pk").first()
        number = t.number
    phone = new_page(viewport=PHONE)
    assert number not in phone.request.get("/open311/v2/requests.json").text()
    login(phone, "linglong")
    phone.goto(f"/tickets/{t.pk}/")
    open_action(phone, "publish")
    phone.click("[data-testid=do-publish]")
    expect(phone.locator("[data-testid=timeline]")).to_contain_text("企业已公开（Open311）")
    expect(phone.locator("[data-testid=published]")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone, "open311-published-phone")
    public = phone.request.get(f"/open311/v2/requests/{number}.json").json()
    assert public[0]["service_request_id"] == number
    open_action(phone, "unpublish")
    phone.click("[data-testid=do-unpublish]")
    expect(phone.locator("[data-testid=timeline]")).to_contain_text("已停止公开")
    assert phone.request.get(f"/open311/v2/requests/{number}.json").status == 404


def _failed_job(django_db_blocker):
    from yingshang.core import jobs
    from yingshang.core.models import Job

    jobs.register("demo.echo", lambda payload: {"echo": payload.get("n")})
    with django_db_blocker.unblock():
        return Job.objects.create(name="demo.echo", payload={"n": 1}, state=Job.State.FAILED, attempts=10,
                                  max_attempts=10, last_error="ConnectionError: HTTP 503 from the hotline")


def test_an_administrator_retries_a_failed_job(new_page, django_db_blocker):
    job = _failed_job(django_db_blocker)
    page = new_page(viewport=DESKTOP)
    login(page, "admin")
    page.click("nav >> text=后台任务")
    rows = page.locator("[data-testid=job-row]")
    expect(rows.filter(has_text="HTTP 503")).to_have_count(1)
    shot(page, "jobs-failed-desktop")
    rows.filter(has_text="HTTP 503").locator("[data-testid=retry-job]").click()
    expect(page.locator(".alert-success")).to_contain_text("重新排队")
    page.goto("/jobs/?state=done")
    expect(page.locator("[data-testid=job-row]").filter(has_text=f"{job.pk}")).to_have_count(1)

    phone = new_page(viewport=PHONE)
    login(phone, "admin")
    phone.goto("/jobs/?state=done")
    expect(phone.locator("[data-testid=job-row]").first).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone, "jobs-phone")
