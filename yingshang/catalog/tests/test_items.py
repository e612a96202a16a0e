"""Publishing catalogue items: the provincial checks, versions (an item changes only by a new version), who
may publish, and the all-or-nothing spreadsheet import and export."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from yingshang.catalog import services
from yingshang.catalog.models import Event, Item, ItemType, ItemVersion, Material
from yingshang.directory.tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def water(db):
    services.item_types_ensure_defaults()
    return DepartmentFactory(code="utilities", name="公用事业服务中心")


def fields(dept, **kw):
    return {"name": "供水报装", "type": ItemType.objects.get(code="20"), "department": dept, "kind": "committed",
            "statutory_limit": 60, "statutory_unit": "workday", "committed_limit": 7, "committed_unit": "workday",
            "visits": 0, "online": True, "online_depth": 4, **kw}


def test_an_item_is_published_then_changes_only_by_a_new_version(water):
    v1 = services.item_publish(actor=None, code="1122017400K00001", basic_code="000000001", fields=fields(water),
                               materials=[{"name": "用水申请表"}, {"name": "营业执照", "necessity": "secondary"}])
    assert (v1.version, v1.item.current_id) == (1, v1.pk)
    same = services.item_publish(actor=None, code="1122017400K00001", basic_code="000000001",
                                 fields=fields(water))  # materials kept, nothing changed
    assert same.pk == v1.pk and ItemVersion.objects.count() == 1
    v2 = services.item_publish(actor=None, code="1122017400K00001", basic_code="000000001",
                               fields=fields(water, committed_limit=5))
    item = Item.objects.get()
    assert (v2.version, item.current_id) == (2, v2.pk)
    assert ItemVersion.objects.get(pk=v1.pk).committed_limit == 7  # the old version is kept as it was
    assert [m.name for m in v2.materials.all()] == ["用水申请表", "营业执照"]  # carried over
    assert Material.objects.count() == 4
    assert list(Event.objects.values_list("action", "to_status")) == [("catalog.item.published", "1"),
                                                                      ("catalog.item.published", "2")]


@pytest.mark.parametrize("change,element", [
    ({"visits": 1, "online_depth": 4}, "visits"),                       # 全程网办 needs no visit
    ({"visits": 1, "online_depth": 3}, "visit_reason"),                 # a visit needs its reason
    ({"charged": True, "fee_standard": "每户100元"}, "fee_basis"),       # a fee needs its basis …
    ({"charged": True, "fee_basis": "《价格法》"}, "fee_standard"),      # … and its standard
    ({"committed_limit": 61}, "committed_limit"),                       # committed ≤ statutory
    ({"committed_unit": "day"}, "committed_unit"),                      # in the same unit
    ({"kind": "immediate"}, "committed_limit"),                         # an immediate item: limit 0
    ({"online": False, "online_depth": 2}, "online_depth"),
    ({"life_events": ["holiday"]}, "life_events"),
    ({"name": ""}, "name"),
])
def test_the_provincial_checks_refuse_an_item(water, change, element):
    with pytest.raises(ValidationError) as exc:
        services.item_publish(actor=None, code="X1", basic_code="B1", fields=fields(water, **change))
    assert element in exc.value.message_dict
    assert not Item.objects.exists()


def test_an_item_needing_no_visit_and_not_online_is_submitted_by_post(water):
    v = services.item_publish(actor=None, code="X2", basic_code="B2",
                              fields=fields(water, online=False, online_depth=None, by_post=False))
    assert v.by_post is True


def test_only_administrators_and_the_departments_staff_publish(water, make_user):
    other = DepartmentFactory(code="market")
    handler = make_user("handler", department=water)
    services.item_publish(actor=handler, code="X3", basic_code="B3", fields=fields(water))
    for user in (make_user("handler", department=other), make_user("enterprise"), make_user("leader")):
        with pytest.raises(PermissionDenied):
            services.item_publish(actor=user, code="X3", basic_code="B3", fields=fields(water, committed_limit=3))
    with pytest.raises(PermissionDenied):  # the department's staff cannot move an item to another department
        services.item_publish(actor=make_user("handler", department=other), code="X3", basic_code="B3",
                              fields=fields(other))
    services.item_publish(actor=make_user("admin"), code="X3", basic_code="B3", fields=fields(other))
    assert Item.objects.get().current.department == other


HEADER = ["基本编码", "实施编码", "事项名称", "事项类型", "实施主体编码", "办件类型", "法定办结时限", "法定时限单位",
          "承诺办结时限", "承诺时限单位", "到办事现场次数", "到现场原因", "是否网办", "网上办理深度", "是否收费", "收费依据",
          "收费标准", "是否适用告知承诺", "是否可容缺", "备注"]


def workbook(rows) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


GOOD = ["000111", "11220174K001", "供水报装", "公共服务", "utilities", "承诺件", 60, "工作日", 7, "工作日", 0, "", "是",
        "Ⅳ", "否", "", "", "否", "是", "其他列被忽略"]


def test_the_import_is_checked_whole_and_writes_nothing_on_a_bad_row(water):
    bad = list(GOOD)
    bad[1], bad[4], bad[6], bad[8], bad[12] = "11220174K002", "nowhere", "六十", 70, "也许"
    report = services.items_import(actor=None, data=workbook([GOOD, bad]), filename="items.xlsx")
    assert not report.ok and not Item.objects.exists()
    where = {(e.row, e.column) for e in report.errors}
    assert {(3, "实施主体编码"), (3, "法定办结时限"), (3, "是否网办")} <= where


def test_an_import_that_changes_an_item_publishes_its_next_version(water):
    report = services.items_import(actor=None, data=workbook([GOOD]), filename="items.xlsx")
    assert report.ok and report.created == 1
    again = services.items_import(actor=None, data=workbook([GOOD]), filename="items.xlsx")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    changed = list(GOOD)
    changed[8] = 5
    later = services.items_import(actor=None, data=workbook([changed]), filename="items.xlsx")
    assert later.updated == 1
    item = Item.objects.get(code="11220174K001")
    assert (item.current.version, item.current.committed_limit, item.current.tolerant) == (2, 5, True)


def test_the_console_imports_and_exports_the_template(water, tmp_path, capsys):
    src = tmp_path / "in.xlsx"
    src.write_bytes(workbook([GOOD]))
    call_command("catalog", "import", str(src))
    assert "1 created" in capsys.readouterr().out
    out = tmp_path / "out.xlsx"
    call_command("catalog", "export", str(out))
    from openpyxl import load_workbook

    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER[:-1]
    assert rows[1][1] == "11220174K001" and rows[1][13] == "Ⅳ"
    # what was exported imports back unchanged
    back = services.items_import(actor=None, data=out.read_bytes(), filename="out.xlsx")
    assert (back.unchanged, back.updated) == (1, 0)
