"""Everything that happened, as the supervision office's audit trail and as a firm's timeline: who may read
which, the filters, the export, what a firm is never shown, and a fixed number of queries per page."""

import re
from io import BytesIO

import pytest
from django.db import connection
from openpyxl import load_workbook

from yingshang.core import activity, audit
from yingshang.tickets import services
from yingshang.tickets.tests.conftest import world  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


def _story(world):  # noqa: F811
    t = world.ticket("registered")
    t = services.ticket_dispatch(actor=world.dispatcher, ticket=t, lead_department=world.dept,
                                 note="供电公司回复较慢，需督促")  # the dispatcher's instruction: officials only
    t = services.ticket_accept(actor=world.handler, ticket=t)
    services.ticket_respond(actor=world.handler, ticket=t, note="已联系供电公司")
    other = services.ticket_register(actor=world.other_member, enterprise=world.other_firm, category=world.category,
                                     title="另一家企业的问题", description="d")
    audit.record(actor=world.admin, action="directory.enterprise.updated", obj=world.firm, data={"name": ["a", "b"]})
    return t, other


def test_only_the_supervision_office_and_administrators_read_the_audit_trail(client, world):  # noqa: F811
    _story(world)
    for user, status in ((world.supervisor, 200), (world.admin, 200), (world.leader, 403), (world.handler, 403),
                         (world.dispatcher, 403), (world.member, 403)):
        client.force_login(user)
        assert client.get("/audit/").status_code == status
        response = client.get("/audit/?format=xlsx")
        assert response.status_code == status
        if status == 200:  # read the file; closing the response by hand would close the test's connection
            assert b"".join(response.streaming_content if response.streaming else [response.content])[:2] == b"PK"
    client.logout()
    assert client.get("/audit/").status_code == 302


def test_the_audit_trail_filters_by_person_firm_kind_action_and_day(client, world):  # noqa: F811
    t, other = _story(world)
    client.force_login(world.supervisor)
    page = client.get("/audit/").content.decode()
    assert t.number in page and other.number in page and "供电公司回复较慢" in page  # officials' notes included
    assert "enterprise changed" in page or "企业信息变更" in page  # an audit entry, by its name not its code
    page = client.get("/audit/", {"actor": world.handler.pk}).content.decode()
    assert "供电公司回复较慢" not in page  # the dispatcher's, not the handler's
    assert "已联系供电公司" in page and other.number not in page
    page = client.get("/audit/", {"firm": world.other_firm.uscc}).content.decode()
    assert other.number in page and t.number not in page
    page = client.get("/audit/", {"kind": "audit"}).content.decode()
    assert t.number not in page and world.firm.name in page
    page = client.get("/audit/", {"action": "tickets.ticket.accepted"}).content.decode()
    response = client.get("/audit/", {"action": "tickets.ticket.accepted"})
    assert [e.action for e in response.context["page"].object_list] == ["tickets.ticket.accepted"]
    assert not client.get("/audit/", {"until": "2026-01-01"}).context["page"].object_list  # the story is later
    response = client.get("/audit/", {"since": "2026-03-05", "until": "2026-03-01"})
    assert response.status_code == 400 and 'data-testid="error-until"' in response.content.decode()
    for bad in ({"actor": "x"}, {"since": "2026-13-45"}, {"kind": "nonsense"}, {"action": "x" * 500}):
        assert client.get("/audit/", bad).status_code == 400


def test_the_audit_trail_exports_what_the_filters_show(client, world):  # noqa: F811
    t, other = _story(world)
    client.force_login(world.supervisor)
    response = client.get("/audit/", {"firm": world.firm.name, "format": "xlsx"})
    rows = list(load_workbook(BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    records = {r[4] for r in rows[1:]}
    assert response.status_code == 200 and len(rows) > 3
    assert f"{t.number} {t.title}" in records and f"{other.number} {other.title}" not in records
    assert any(r[6] == "供电公司回复较慢，需督促" for r in rows[1:])  # the officials' note, in its own column


def test_a_firm_reads_its_own_timeline_without_what_officials_write_for_each_other(client, world):  # noqa: F811
    t, other = _story(world)
    client.force_login(world.member)
    response = client.get(f"/directory/enterprises/{world.firm.pk}/timeline/")
    page = response.content.decode()
    assert response.status_code == 200 and t.number in page and "已联系供电公司" in page
    assert "供电公司回复较慢" not in page and other.number not in page
    assert all(e.public and not e.internal_note for e in response.context["timeline"])
    assert "audit" not in dict(response.context["timeline_kinds"])  # the audit log is the officials'
    assert client.get(f"/directory/enterprises/{world.other_firm.pk}/timeline/").status_code == 404
    assert client.get(f"/directory/enterprises/{world.other_firm.pk}/file/").status_code == 404
    profile = client.get(f"/directory/enterprises/{world.firm.pk}/").content.decode()
    assert 'data-testid="panel-timeline"' in profile and "供电公司回复较慢" not in profile


def test_officials_filter_a_firms_timeline_by_kind_and_print_its_file(client, world):  # noqa: F811
    t, _other = _story(world)
    client.force_login(world.leader)
    response = client.get(f"/directory/enterprises/{world.firm.pk}/timeline/", {"kind": "tickets"})
    assert {e.source for e in response.context["timeline"]} == {"tickets"}
    assert "供电公司回复较慢" in response.content.decode()  # officials read each other's notes
    response = client.get(f"/directory/enterprises/{world.firm.pk}/timeline/", {"kind": "audit"})
    assert {e.source for e in response.context["timeline"]} == {"audit"}
    response = client.get(f"/directory/enterprises/{world.firm.pk}/file/")
    page = response.content.decode()
    assert response.status_code == 200 and 'data-testid="firm-file-doc"' in page and t.number in page
    assert 'data-testid="file-panel-tickets"' in page and world.firm.uscc in page


def test_labels_are_words_and_times_are_in_order(world):  # noqa: F811
    _story(world)
    rows = list(activity.rows(activity.Filter(firms=[world.firm.pk])))
    assert [r["a_at"] for r in rows] == sorted((r["a_at"] for r in rows), reverse=True)
    entries = activity.resolve(rows)
    assert all("." not in str(e.label) for e in entries)  # no raw codes
    assert any(str(e.to) for e in entries if e.source == "tickets")  # where a change led
    assert audit.label("directory.enterprise.changed_in_admin")  # named from the model
    assert audit.label("nothing.of.ours") is None


def test_pages_of_the_trail_cost_the_same_whatever_their_length(client, world):  # noqa: F811
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def cost(url):
        with CaptureQueriesContext(connection) as q:
            assert client.get(url).status_code == 200
        return len(q)

    _story(world)
    client.force_login(world.supervisor)
    timeline = f"/directory/enterprises/{world.firm.pk}/timeline/"
    cost("/audit/")  # (the first request of a session also caches the person's roles)
    before = cost("/audit/"), cost(timeline)
    for _ in range(4):
        _story(world)
    assert (cost("/audit/"), cost(timeline)) == before
    # session, user, roles, the count, the page, its people and firms, the form's choices …
    assert before[0] <= 8 and before[1] <= 13



@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plans are PostgreSQL's")
def test_a_firms_file_reads_its_problems_through_the_firms_index(world):  # noqa: F811
    """The timeline filters the firm on the column itself (a cast of it would read the whole ledger), and the
    firm's index carries the state, so that a group's counts are read from it alone (at a city's size; a test's
    few rows are planned otherwise)."""
    from yingshang.directory.models import EnterpriseGroup
    from yingshang.directory.selectors import enterprise_timeline
    from yingshang.tickets import selectors

    _story(world)
    group = EnterpriseGroup.objects.create(name="测试集团")
    world.firm.group = group
    world.firm.save(update_fields=["group"])
    assert selectors.group_summary(world.dispatcher, group.pk)["total"] == 1
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a table of a few rows is read whole otherwise
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        plan = enterprise_timeline(world.dispatcher, world.firm.pk)[:8].explain()
        # an index is searched for the firm (a cast of the column could only filter every row read)
        assert re.search(r"Index Cond: \(.*enterprise_id = ", plan), plan
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'ticket_enterprise_recent'")
        assert cursor.fetchone()[0].endswith("INCLUDE (status)")  # the counts need no row of the table
