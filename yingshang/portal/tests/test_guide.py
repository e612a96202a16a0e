"""The public service guide (办事指南): no login, search by name, department, type and life event; an item's
guide with its materials and limits; only current versions' files; bad filters are a 400."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from yingshang.catalog import services
from yingshang.catalog.models import ItemType
from yingshang.directory.tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    services.item_types_ensure_defaults()
    water, market = DepartmentFactory(code="utilities", name="公用事业服务中心"), DepartmentFactory(code="market",
                                                                                                 name="市场监督管理局")

    def publish(code, name, dept, type_code, life, **kw):
        return services.item_publish(actor=None, code=code, basic_code="B" + code, fields={
            "name": name, "type": ItemType.objects.get(code=type_code), "department": dept, "kind": "committed",
            "statutory_limit": 60, "statutory_unit": "workday", "committed_limit": 7, "committed_unit": "workday",
            "online": True, "online_depth": 4, "life_events": life, **kw}, materials=[
            {"name": "用水报装申请表", "blank_form": SimpleUploadedFile("申请表.pdf", b"%PDF-1.4")}])

    v1 = publish("G001", "供水报装", water, "20", ["build"])
    publish("G002", "食品经营许可", market, "01", ["start"], visits=1, online_depth=3, visit_reason="现场核查")
    return {"water": water, "market": market, "v1": v1, "publish": publish}


def test_anyone_searches_the_guide(client, items):
    page = client.get("/public/guide/")
    assert page.status_code == 200 and "供水报装" in page.content.decode() and "食品经营许可" in page.content.decode()
    for query, shown, hidden in (("q=供水", "供水报装", "食品经营许可"), (f"department={items['market'].pk}", "食品经营许可", "供水报装"),
                                 ("type=01", "食品经营许可", "供水报装"), ("life_event=build", "供水报装", "食品经营许可")):
        text = client.get(f"/public/guide/?{query}").content.decode()
        assert shown in text and hidden not in text, query


@pytest.mark.parametrize("query", ["department=abc", "type=99", "life_event=holiday", "q=a%00b", "department=1e400"])
def test_a_bad_filter_is_a_400_with_the_form(client, items, query):
    response = client.get(f"/public/guide/?{query}")
    assert response.status_code == 400


def test_an_items_guide_shows_its_limits_materials_and_files(client, items):
    page = client.get("/public/guide/G001/")
    text = page.content.decode()
    assert page.status_code == 200 and "用水报装申请表" in text and "公用事业服务中心" in text
    material = items["v1"].materials.get()
    download = client.get(f"/public/guide/materials/{material.pk}/form/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4"
    assert client.get("/public/guide/NOPE/").status_code == 404
    # a new version: the old version's files are no longer offered
    items["publish"]("G001", "供水报装", items["water"], "20", ["build"], committed_limit=5)
    assert client.get(f"/public/guide/materials/{material.pk}/form/").status_code == 404
    assert client.get(f"/public/guide/materials/{material.pk}/other/").status_code == 404
    assert "5" in client.get("/public/guide/G001/").content.decode()


def test_the_guide_list_costs_a_fixed_number_of_queries(client, items, django_assert_max_num_queries):
    for i in range(10):
        items["publish"](f"H{i:03d}", f"事项{i}", items["water"], "20", ["change"])
    client.get("/public/guide/")  # warm caches
    with django_assert_max_num_queries(8):
        assert client.get("/public/guide/").status_code == 200
