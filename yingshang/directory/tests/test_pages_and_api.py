"""Directory pages and API: scoping, masking, exports, query counts, error format."""

import csv
import io

import pytest
from django.test.utils import CaptureQueriesContext
from django.db import connection
from openpyxl import load_workbook

from yingshang.directory.services import stewardship_assign
from yingshang.directory.tests.factories import BureauFactory, EnterpriseFactory


@pytest.mark.django_db
def test_staff_list_search_and_filters(client, make_user):
    bureau = BureauFactory()
    a = EnterpriseFactory(name="长春红旗配套件有限公司", bureau=bureau, is_key=True)
    EnterpriseFactory(name="吉林物流有限公司")
    client.force_login(make_user("dispatcher"))
    assert "长春红旗配套件有限公司" in client.get("/directory/enterprises/?q=红旗").content.decode()
    assert "吉林物流有限公司" not in client.get("/directory/enterprises/?q=红旗").content.decode()
    by_code = client.get(f"/directory/enterprises/?q={a.uscc.lower()}").content.decode()
    assert a.name in by_code
    keyed = client.get(f"/directory/enterprises/?key=on&bureau={bureau.pk}").content.decode()
    assert a.name in keyed and "吉林物流有限公司" not in keyed


@pytest.mark.django_db
def test_enterprise_user_sees_only_its_own_firm(client, make_user):
    mine, other = EnterpriseFactory(), EnterpriseFactory()
    user = make_user("enterprise", enterprise=mine)
    client.force_login(user)
    assert client.get("/directory/enterprises/").url == f"/directory/enterprises/{mine.pk}/"
    assert client.get(f"/directory/enterprises/{mine.pk}/").status_code == 200
    assert client.get(f"/directory/enterprises/{other.pk}/").status_code == 404
    assert client.get("/directory/departments/").status_code == 403
    assert client.get("/directory/enterprises/?export=csv").status_code in (302, 403)


@pytest.mark.django_db
def test_profile_masks_phones_for_staff_who_do_not_look_after_the_firm(client, make_user):
    firm = EnterpriseFactory(contact_phone="13812345678")
    client.force_login(make_user("handler"))
    page = client.get(f"/directory/enterprises/{firm.pk}/").content.decode()
    assert "138****5678" in page and "13812345678" not in page
    steward = make_user("steward")
    stewardship_assign(actor=None, enterprise=firm, steward=steward)
    client.force_login(steward)
    assert "13812345678" in client.get(f"/directory/enterprises/{firm.pk}/").content.decode()


@pytest.mark.django_db
def test_list_page_query_count_does_not_grow_with_rows(client, make_user, django_assert_max_num_queries):
    client.force_login(make_user("leader"))
    steward = make_user("steward")
    for _ in range(5):
        stewardship_assign(actor=None, enterprise=EnterpriseFactory(bureau=BureauFactory()), steward=steward)
    client.get("/directory/enterprises/")  # fills the cached list of industries
    with CaptureQueriesContext(connection) as few:
        client.get("/directory/enterprises/")
    for _ in range(25):
        stewardship_assign(actor=None, enterprise=EnterpriseFactory(bureau=BureauFactory()), steward=steward)
    with CaptureQueriesContext(connection) as many:
        assert client.get("/directory/enterprises/").status_code == 200
    assert len(many) == len(few)
    with django_assert_max_num_queries(14):
        client.get("/directory/enterprises/")


@pytest.mark.django_db
def test_department_list_query_count(client, make_user, django_assert_max_num_queries):
    client.force_login(make_user("handler"))
    for _ in range(10):
        BureauFactory()
    with django_assert_max_num_queries(8):
        assert client.get("/directory/departments/").status_code == 200


@pytest.mark.django_db
def test_exports_are_masked_and_carry_chinese_headers(client, make_user):
    EnterpriseFactory(name="导出测试有限公司", contact_phone="13812345678")
    client.force_login(make_user("dispatcher"))
    response = client.get("/directory/enterprises/?export=csv&q=导出")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:2] == ["企业名称", "统一社会信用代码"]
    assert rows[1][0] == "导出测试有限公司" and rows[1][3] == "138****5678"
    response = client.get("/directory/enterprises/?export=xlsx&q=导出")
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    values = list(wb.active.iter_rows(values_only=True))
    assert values[1][0] == "导出测试有限公司" and values[1][3] == "138****5678"


# --- API ---------------------------------------------------------------------------

@pytest.mark.django_db
def test_api_is_scoped_like_the_pages(client, make_user):
    mine, other = EnterpriseFactory(), EnterpriseFactory()
    user = make_user("enterprise", enterprise=mine)
    from yingshang.core.tokens import token_create

    _token, key = token_create(actor=user)
    auth = {"HTTP_AUTHORIZATION": f"Token {key}"}
    listed = client.get("/api/v1/enterprises/", **auth).json()
    assert [e["id"] for e in listed["results"]] == [mine.pk]
    missing = client.get(f"/api/v1/enterprises/{other.pk}/", **auth)
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    assert client.get("/api/v1/departments/", **auth).status_code == 403
    assert client.get("/api/v1/enterprises/").status_code in (401, 403)


@pytest.mark.django_db
def test_api_finds_a_firm_by_credit_code_and_masks_phones(client, make_user):
    firm = EnterpriseFactory(contact_phone="13812345678")
    client.force_login(make_user("inspector"))
    found = client.get(f"/api/v1/enterprises/?uscc={firm.uscc.lower()}").json()["results"]
    assert [e["uscc"] for e in found] == [firm.uscc]
    assert found[0]["contact_phone"] == "138****5678"


@pytest.mark.django_db
def test_api_errors_have_a_stable_code_and_detail(client, make_user):
    client.force_login(make_user("leader"))
    response = client.get("/api/v1/enterprises/?group=not-a-number")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and body["detail"] and "group" in body["fields"]


@pytest.mark.django_db
def test_openapi_schema_validates_and_docs_load_offline(client, make_user):
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")
    client.force_login(make_user("leader"))
    docs = client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/" in docs
    assert "cdn" not in docs.lower() and "https://" not in docs


@pytest.mark.django_db
def test_api_token_endpoint(client, make_user):
    from yingshang.directory.tests.factories import PASSWORD

    user = make_user("handler")
    response = client.post("/api/v1/auth/token/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 200
    assert client.get("/api/v1/departments/", HTTP_AUTHORIZATION=f"Token {response.json()['token']}").status_code == 200
