"""Importing enterprises from XLSX: row-by-row errors, all-or-nothing, updates by credit code."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook, load_workbook

from yingshang.core.models import AuditEntry
from yingshang.core.uscc import make_uscc
from yingshang.directory import services
from yingshang.directory.models import Enterprise
from yingshang.directory.tests.factories import BureauFactory, GroupFactory

HEADER = [h for _f, h, _r in services.IMPORT_COLUMNS]


def row(**kw):
    values = {"企业名称": "长春测试零部件有限公司", "统一社会信用代码": make_uscc("220174", 77_000_001), "企业规模": "中型",
              "成立日期": "2019-03-01", "注册资本（万元）": "500", "重点企业": "是", "回归企业": "否"}
    values.update(kw)
    return [values.get(h, "") for h in HEADER]


def xlsx(*rows):
    wb = Workbook()
    wb.active.append(HEADER)
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.django_db
def test_a_clean_file_creates_then_updates_by_credit_code(make_user):
    admin = make_user("admin")
    group, bureau = GroupFactory(name="中国一汽"), BureauFactory(name="零部件服务局")
    data = xlsx(row(所属集团="中国一汽", 服务局="零部件服务局"),
                row(企业名称="长春第二测试有限公司", 统一社会信用代码=make_uscc("220174", 77_000_002).lower()))
    report = services.enterprises_import(actor=admin, data=data, filename="firms.xlsx")
    assert report.ok and (report.created, report.updated) == (2, 0)
    first = Enterprise.objects.get(uscc=make_uscc("220174", 77_000_001))
    assert (first.group, first.bureau, first.is_key, first.size) == (group, bureau, True, "medium")
    assert first.registered_capital == 5_000_000
    again = services.enterprises_import(actor=admin, data=xlsx(row(企业名称="长春测试零部件（改名）有限公司"), row(
        企业名称="长春第二测试有限公司", 统一社会信用代码=make_uscc("220174", 77_000_002))), filename="firms.xlsx")
    assert (again.created, again.updated, again.unchanged) == (0, 1, 1)
    assert Enterprise.objects.get(pk=first.pk).name == "长春测试零部件（改名）有限公司"
    assert AuditEntry.objects.filter(action="directory.enterprise.imported").count() == 2


@pytest.mark.django_db
def test_any_bad_row_means_nothing_is_written_and_each_error_names_its_row(make_user):
    admin = make_user("admin")
    data = xlsx(
        row(),                                                                        # row 2: fine
        row(统一社会信用代码="91220174000000000X", 企业名称="坏代码公司"),                  # row 3: check character
        row(企业名称="", 统一社会信用代码=make_uscc("220174", 77_000_003)),                 # row 4: name missing
        row(统一社会信用代码=make_uscc("220174", 77_000_001), 企业名称="重复"),             # row 5: duplicate of row 2
        row(统一社会信用代码=make_uscc("220174", 77_000_004), 成立日期="昨天", 企业规模="巨型",
            所属集团="不存在的集团"),                                                     # row 6: three problems
    )
    report = services.enterprises_import(actor=admin, data=data, filename="firms.xlsx")
    assert sorted({e.row for e in report.errors}) == [3, 4, 5, 6]
    assert len([e for e in report.errors if e.row == 6]) == 3
    assert Enterprise.objects.count() == 0


@pytest.mark.django_db
def test_only_admins_import(make_user):
    with pytest.raises(PermissionDenied):
        services.enterprises_import(actor=make_user("leader"), data=xlsx(row()), filename="firms.xlsx")


@pytest.mark.django_db
def test_import_page_shows_errors_with_400_and_succeeds_after_fixing(client, make_user):
    client.force_login(make_user("admin"))
    bad = io.BytesIO(xlsx(row(统一社会信用代码="91220174000000000X")))
    bad.name = "firms.xlsx"
    response = client.post("/directory/enterprises/import/", {"file": bad})
    assert response.status_code == 400
    assert b'data-testid="import-errors"' in response.content
    good = io.BytesIO(xlsx(row()))
    good.name = "firms.xlsx"
    response = client.post("/directory/enterprises/import/", {"file": good})
    assert response.status_code == 302 and Enterprise.objects.count() == 1


@pytest.mark.django_db
def test_wrong_type_and_oversized_files_are_refused(client, make_user, settings):
    client.force_login(make_user("admin"))
    txt = io.BytesIO(b"hello")
    txt.name = "firms.txt"
    assert client.post("/directory/enterprises/import/", {"file": txt}).status_code == 400
    settings.MAX_UPLOAD_BYTES = 100
    big = io.BytesIO(xlsx(row()))
    big.name = "firms.xlsx"
    response = client.post("/directory/enterprises/import/", {"file": big})
    assert response.status_code == 400 and Enterprise.objects.count() == 0
    broken = io.BytesIO(b"PK\x03\x04 not really a workbook")
    broken.name = "firms.xlsx"
    settings.MAX_UPLOAD_BYTES = 10_000_000
    assert client.post("/directory/enterprises/import/", {"file": broken}).status_code == 400


@pytest.mark.django_db
def test_the_template_downloads_with_the_expected_headers_and_a_valid_example(client, make_user):
    client.force_login(make_user("admin"))
    response = client.get("/directory/enterprises/import/template.xlsx")
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(wb.active.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    # The example row imports as it is (after its group and bureau exist).
    GroupFactory(name="中国一汽")
    BureauFactory(name="零部件服务局")
    report = services.enterprises_import(actor=make_user("admin"), data=xlsx(list(rows[1])), filename="t.xlsx")
    assert report.ok, report.errors
