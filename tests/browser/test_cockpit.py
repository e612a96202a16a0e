"""The cockpit in a real browser: a leader opens it, changes the period and the enterprise group, opens a
figure's records, switches to the wall of the command centre, writes last month's report and downloads it;
the DOCX opens (python-docx) and states the same figures as the page, and so does its PDF. On a phone the
figures, a figure's records and the map fit the screen."""

import re
from datetime import timedelta

from playwright.sync_api import expect

from .conftest import login, shot

PHONE = {"width": 390, "height": 844}


def _last_month() -> tuple[str, str]:
    from django.utils import timezone

    first = timezone.localdate().replace(day=1)
    end = first - timedelta(days=1)
    return end.replace(day=1).isoformat(), end.isoformat()


def test_a_leader_reads_the_cockpit_and_takes_the_monthly_report(new_page, tmp_path):
    from docx import Document
    from pypdf import PdfReader

    page = new_page(viewport={"width": 1440, "height": 900})
    login(page, "leader")
    page.click("[data-nav=cockpit]")
    expect(page.locator("[data-testid='fig-tickets.registered']")).to_be_visible()
    expect(page.locator("[data-testid=zone-map] svg")).to_be_visible()  # the map drew itself, offline

    # the period: this year by its button, then last month by its dates
    page.click("[data-testid=preset-year]")
    expect(page.locator("[data-testid=preset-year]")).to_have_class(re.compile(r"\bbtn-primary\b"))
    start, end = _last_month()
    page.fill("#from", start)
    page.fill("#to", end)
    page.click("[data-testid=show]")
    expect(page.locator("[data-testid=period-shown]")).to_contain_text(f"{start} — {end}")
    registered = page.locator("[data-testid='fig-tickets.registered'] [data-testid=value]").inner_text()
    closed = page.locator("[data-testid='fig-tickets.closed'] [data-testid=value]").inner_text()
    shot(page, "cockpit-desktop")

    # the group: 中国一汽 and its units
    page.select_option("#group", label="中国第一汽车集团有限公司")
    page.click("[data-testid=show]")
    assert "group=" in page.url
    expect(page.locator("[data-testid=period-shown]")).to_contain_text("中国第一汽车集团有限公司")
    expect(page.locator("[data-testid='fig-inspections.plans'] [data-testid=value]")).to_have_text("不按此口径细分")

    # a figure's records: exactly as many as the figure says
    page.click("[data-testid='fig-tickets.registered']")
    expect(page.locator("[data-testid=figure-name]")).to_have_text("受理诉求")
    value = page.locator("[data-testid=figure-value]").inner_text().split()[0]
    rows = page.locator("[data-testid=record]")
    expect(rows).to_have_count(min(int(value), 20))
    page.go_back()

    # the wall of the command centre, and back
    page.click("[data-testid=wall-link]")
    expect(page.locator("body.ys-wall")).to_be_visible()
    page.set_viewport_size({"width": 1920, "height": 1080})
    expect(page.locator("[data-testid=wall] [data-testid='fig-tickets.registered']")).to_be_visible()
    shot(page, "cockpit-wall")
    page.click("[data-testid=leave-wall]")
    page.set_viewport_size({"width": 1440, "height": 900})

    # last month's report, written and downloaded
    page.click("[data-testid=reports-link]")
    form = page.locator("[data-testid=write-report]")
    form.locator("#kind").select_option("monthly")
    form.locator("#from").fill(start)
    form.locator("#to").fill(end)
    with page.expect_navigation():
        form.locator("[data-testid=write]").click()
    expect(page.locator(".alert-success[role=alert]")).to_contain_text("月报")
    with page.expect_download() as download:
        page.locator("[data-testid=report]").first.locator("[data-testid=docx]").click()
    path = tmp_path / "report.docx"
    download.value.save_as(path)
    doc = Document(str(path))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert f"共受理企业诉求 {registered} 件，办结 {closed} 件" in text
    figures = {row.cells[0].text: row.cells[1].text for row in doc.tables[0].rows}
    assert figures["受理诉求"] == registered and figures["办结销号"] == closed
    with page.expect_download() as pdf_download:
        page.locator("[data-testid=report]").first.locator("[data-testid=pdf]").click()
    pdf_path = tmp_path / "report.pdf"
    pdf_download.value.save_as(pdf_path)
    pdf_text = "".join(p.extract_text() for p in PdfReader(str(pdf_path)).pages).replace(" ", "").replace("\n", "")
    assert f"共受理企业诉求{registered}件" in pdf_text
    shot(page, "cockpit-reports")


def test_the_cockpit_on_a_phone(new_page):
    page = new_page(viewport=PHONE)
    login(page, "leader")
    page.goto("/cockpit/?preset=year")
    expect(page.locator("[data-testid='fig-catalog.online_rate']")).to_be_visible()
    expect(page.locator("[data-testid=zone-map] svg")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "cockpit-phone")
    page.click("[data-testid='fig-projects.major_started']")
    expect(page.locator("[data-testid=records]")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_steward_places_a_firm_on_the_map(new_page, django_db_blocker):
    from yingshang.directory.models import Enterprise

    with django_db_blocker.unblock():
        firm = Enterprise.objects.filter(stewardships__ended_on__isnull=True,
                                         stewardships__steward__username="steward").first()
    page = new_page()
    login(page, "steward")
    page.goto(f"/directory/enterprises/{firm.pk}/")
    page.click("[data-testid=locate]")
    expect(page.locator("[data-coords-map] svg")).to_be_visible()
    box = page.locator("[data-coords-map]").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # the middle of the zone
    expect(page.locator("[data-coord=lng]")).not_to_have_value("")
    lng = float(page.locator("[data-coord=lng]").input_value())
    lat = float(page.locator("[data-coord=lat]").input_value())
    page.click("[data-testid=save]")
    expect(page.locator(".alert-success[role=alert]")).to_be_visible()
    with django_db_blocker.unblock():
        firm.refresh_from_db()
    assert (float(firm.lng), float(firm.lat)) == (round(lng, 6), round(lat, 6))
    assert 125.15 < lng < 125.31 and 43.82 < lat < 43.91
