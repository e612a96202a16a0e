"""Importing a year's holiday notice, the console, the banner and /readyz."""

import io
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from yingshang.core import services, workdays
from yingshang.core.models import AuditEntry, CalendarDay, CalendarYear

# A hypothetical notice for 2027 (the real one is imported when the State Council publishes it).
NOTICE_2027 = """date,kind,name
2027-01-01,holiday,元旦
2027-02-05,holiday,春节
2027-02-06,holiday,春节
2027-02-07,holiday,春节
2027-02-08,holiday,春节
2027-02-09,holiday,春节
2027-02-10,holiday,春节
2027-02-11,holiday,春节
2027-02-14,workday,春节调休
"""


def xlsx_bytes(rows):
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.django_db
def test_importing_a_year_makes_it_covered_and_is_audited():
    assert not CalendarYear.objects.filter(year=2027).exists()
    report = services.calendar_import(actor=None, data=NOTICE_2027.encode(), filename="2027.csv")
    assert report.ok and report.created == 9
    assert CalendarYear.objects.filter(year=2027).exists()
    assert workdays.is_workday(date(2027, 2, 14))        # make-up Sunday
    assert not workdays.is_workday(date(2027, 2, 8))      # Monday in the holiday
    assert workdays.add_workdays(date(2027, 2, 4), 1) == date(2027, 2, 12)
    assert AuditEntry.objects.filter(action="core.calendar.imported").count() == 1


@pytest.mark.django_db
def test_reimporting_a_year_replaces_it_and_keeps_the_old_rows_in_the_audit():
    services.calendar_import(actor=None, data=NOTICE_2027.encode(), filename="2027.csv")
    services.calendar_import(actor=None, data=b"date,kind,name\n2027-01-01,holiday,\xe5\x85\x83\xe6\x97\xa6\n",
                             filename="2027-v2.csv")
    assert CalendarDay.objects.filter(date__year=2027).count() == 1
    assert workdays.is_workday(date(2027, 2, 8))
    last = AuditEntry.objects.filter(action="core.calendar.imported").first()
    assert len(last.data["previous"][0]["replaced"]) == 9


@pytest.mark.django_db
def test_a_file_with_bad_rows_writes_nothing_and_lists_every_error_by_row():
    before = (CalendarDay.objects.count(), CalendarYear.objects.count())
    bad = xlsx_bytes([
        ["日期", "类型", "名称"],
        ["2027-01-01", "休", "元旦"],
        ["2027-02-31", "休", "春节"],          # row 3: no such date
        ["2027-02-06", "maybe", "春节"],       # row 4: unknown kind
        ["2027-02-10", "班", "春节调休"],       # row 5: a weekday cannot be a make-up day
        ["2027-01-01", "休", "元旦"],           # row 6: duplicate
    ])
    report = services.calendar_import(actor=None, data=bad, filename="2027.xlsx")
    assert [e.row for e in report.errors] == [3, 4, 5, 6]
    assert (CalendarDay.objects.count(), CalendarYear.objects.count()) == before


@pytest.mark.django_db
def test_console_import_and_lookups(capsys, tmp_path):
    path = tmp_path / "2027.csv"
    path.write_text(NOTICE_2027, encoding="utf-8")
    call_command("calendar", "import", str(path))
    assert "imported 9 days" in capsys.readouterr().out
    call_command("calendar", "is-workday", "2027-02-14")
    call_command("calendar", "add", "2027-02-04", "1")
    call_command("calendar", "between", "2027-02-04", "2027-02-15")
    assert capsys.readouterr().out.split() == ["true", "2027-02-12", "3"]


@pytest.mark.django_db
@pytest.mark.parametrize("args", [
    ["is-workday", "2026-13-01"], ["add", "2026-02-13", "one"], ["between", "2027-01-01", "2027-02-01"],
    ["import", "/nonexistent.csv"],
])
def test_console_wrong_input_is_exit_status_2(args):
    with pytest.raises(CommandError) as err:
        call_command("calendar", *args)
    assert err.value.returncode == 2


@pytest.mark.django_db
def test_console_import_of_a_bad_file_reports_rows_and_writes_nothing(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text("date,kind\n2027-01-01,holiday\n2027-01-02,nonsense\n", encoding="utf-8")
    with pytest.raises(CommandError) as err:
        call_command("calendar", "import", str(path))
    assert err.value.returncode == 2
    assert "第 3 行" in capsys.readouterr().err  # the operator's language (Chinese by default)
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_the_console_script_prints_and_exits_like_the_spec(tmp_path):
    """`yingshang calendar …` as an operator types it (a separate process on its own database)."""
    script = Path(sys.executable).with_name("yingshang")
    env = {"PATH": str(script.parent), "DEBUG": "1", "YINGSHANG_VAR_DIR": str(tmp_path)}
    subprocess.run([str(script), "migrate", "-v0"], env=env, check=True, capture_output=True)
    ok = subprocess.run([str(script), "calendar", "add", "2026-02-13", "1"], env=env, capture_output=True, text=True)
    assert (ok.returncode, ok.stdout.strip()) == (0, "2026-02-14")
    bad = subprocess.run([str(script), "calendar", "is-workday", "14/02/2026"], env=env, capture_output=True, text=True)
    assert bad.returncode == 2
    assert len(bad.stderr.strip().splitlines()) == 1


@pytest.mark.django_db
def test_readyz_reports_a_missing_next_year_as_a_warning(client):
    from django.utils import timezone

    year = timezone.localdate().year
    CalendarYear.objects.filter(year=year + 1).delete()
    CalendarYear.objects.get_or_create(year=year)
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready" and body["checks"]["migrations"]["ok"]
    assert any(str(year + 1) in w for w in body["warnings"])


@pytest.mark.django_db
def test_readyz_is_not_ready_without_the_current_year(client):
    from django.utils import timezone

    CalendarYear.objects.filter(year=timezone.localdate().year).delete()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["calendar"]["ok"] is False


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_admin_sees_a_banner_when_next_year_is_missing(client, make_user):
    from django.utils import timezone

    CalendarYear.objects.filter(year=timezone.localdate().year + 1).delete()
    client.force_login(make_user("admin"))
    page = client.get("/admin/")
    assert b'data-testid="admin-calendar-banner"' in page.content
    home = client.get("/")
    assert b'data-testid="calendar-banner"' in home.content
    services.calendar_import(actor=None, data=f"date,kind\n{timezone.localdate().year + 1}-01-01,holiday\n".encode(),
                             filename="next.csv")
    assert b'data-testid="admin-calendar-banner"' not in client.get("/admin/").content


def test_favicon_redirects_to_the_static_svg(client, settings):
    # The URL is resolved per request: with the manifest storage of production, resolving it at import
    # time would fail before collectstatic had run.
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("yingshang/favicon.svg")
