"""Pages and API of the problem ledger: scoping, bad input, races, query counts, exports."""

import csv
import importlib
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from yingshang.core import uploads
from yingshang.tickets import services
from yingshang.tickets.models import Ticket, TicketEvent


@pytest.mark.django_db
def test_a_firm_raises_a_problem_from_the_page_with_a_photo(client, world):
    client.force_login(world.member)
    photo = SimpleUploadedFile("现场.jpg", b"\xff\xd8\xff fake jpeg", content_type="image/jpeg")
    response = client.post("/tickets/new/", {"enterprise": world.firm.pk, "category": world.category.pk,
                                             "title": "厂区停电", "description": "昨晚起停电", "urgency": "normal",
                                             "attachments": [photo]})
    t = Ticket.objects.get()
    assert response.status_code == 302 and response.url == f"/tickets/{t.pk}/"
    assert t.channel == "web" and t.steward == world.steward and t.attachments.get().name == "现场.jpg"
    page = client.get(response.url).content.decode()
    assert t.number in page and "现场.jpg" in page
    download = client.get(f"/tickets/attachments/{t.attachments.get().pk}/")
    # reading the stream to its end closes the file
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"\xff\xd8\xff fake jpeg"
    client.force_login(world.other_member)
    assert client.get(f"/tickets/attachments/{t.attachments.get().pk}/").status_code == 404


@pytest.mark.django_db
def test_bad_input_on_the_raise_page_is_a_400_and_writes_nothing(client, world, settings):
    client.force_login(world.member)
    response = client.post("/tickets/new/", {"enterprise": world.firm.pk, "category": world.category.pk,
                                             "title": "", "description": "x", "urgency": "normal"})
    assert response.status_code == 400 and 'data-testid="error-title"' in response.content.decode()
    exe = SimpleUploadedFile("tool.exe", b"MZ", content_type="application/octet-stream")
    response = client.post("/tickets/new/", {"enterprise": world.firm.pk, "category": world.category.pk,
                                             "title": "t", "description": "d", "urgency": "normal",
                                             "attachments": [exe]})
    assert response.status_code == 400 and "tool.exe" in response.content.decode()
    # another firm's enterprise is not a choice
    response = client.post("/tickets/new/", {"enterprise": world.other_firm.pk, "category": world.category.pk,
                                             "title": "t", "description": "d", "urgency": "normal"})
    assert response.status_code == 400
    assert Ticket.objects.count() == 0 and TicketEvent.objects.count() == 0


@pytest.mark.django_db
def test_oversized_attachments_are_refused(world, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_FILE_BYTES", 10)
    big = SimpleUploadedFile("big.pdf", b"x" * 11, content_type="application/pdf")
    with pytest.raises(ValidationError) as err:
        services.ticket_register(actor=world.member, enterprise=world.firm, category=world.category, title="t",
                                 description="d", attachments=[big])
    assert "big.pdf" in str(err.value) and "attachments" in err.value.message_dict and Ticket.objects.count() == 0


@pytest.mark.django_db
def test_detail_shows_only_the_actions_the_user_may_take(client, world):
    t = world.ticket("dispatched")
    client.force_login(world.handler)
    page = client.get(f"/tickets/{t.pk}/").content.decode()
    assert 'data-testid="form-accept"' in page and 'data-testid="form-return"' in page
    assert 'data-testid="form-resolve"' not in page and 'data-testid="form-dispatch"' not in page
    client.force_login(world.member)
    page = client.get(f"/tickets/{t.pk}/").content.decode()
    assert 'data-testid="form-withdraw"' in page and 'data-testid="form-accept"' not in page


@pytest.mark.django_db
def test_another_firms_ticket_is_404_on_pages_and_api(client, world):
    t = world.ticket("in_progress")
    client.force_login(world.other_member)
    assert client.get(f"/tickets/{t.pk}/").status_code == 404
    assert client.post(f"/tickets/{t.pk}/withdraw/", {"withdraw-reason": "x"}).status_code == 404
    assert client.get(f"/api/v1/tickets/{t.pk}/").status_code == 404
    assert client.post(f"/api/v1/tickets/{t.pk}/withdraw/", {"reason": "x"}).status_code == 404
    client.force_login(world.other_handler)
    assert client.get(f"/tickets/{t.pk}/").status_code == 404
    t.refresh_from_db()
    assert t.status == "in_progress"


@pytest.mark.django_db
def test_a_stale_action_on_the_page_is_a_409_with_a_clear_message(client, world):
    t = world.ticket("dispatched")
    services.ticket_accept(actor=world.head, ticket=t)          # a colleague was quicker
    client.force_login(world.handler)
    response = client.post(f"/tickets/{t.pk}/accept/", {"accept-note": ""})
    assert response.status_code == 409
    assert "刚刚" in response.content.decode() or "someone else" in response.content.decode()


@pytest.mark.django_db
def test_a_handler_without_right_gets_403_and_nothing_changes(client, world):
    t = world.ticket("dispatched")
    client.force_login(world.co_handler)
    assert client.post(f"/tickets/{t.pk}/accept/", {"accept-note": ""}).status_code == 403
    t.refresh_from_db()
    assert t.status == "dispatched"


@pytest.mark.django_db
def test_the_firm_confirms_and_rates_from_the_page(client, world):
    t = world.ticket("resolved")
    client.force_login(world.member)
    response = client.post(f"/tickets/{t.pk}/confirm/", {"confirm-rating": "satisfied", "confirm-comment": "感谢"})
    assert response.status_code == 302
    t.refresh_from_db()
    assert (t.status, t.rating) == ("closed", "satisfied")


def _order(page: str, *testids: str) -> list[int]:
    return [page.index(f'data-testid="{t}"') for t in testids]


@pytest.mark.django_db
def test_the_firm_reads_before_it_acts_and_officials_act_first(client, world):
    """The firm's page: where it is now, the answer, the timeline, then what it can do (withdrawing is
    folded away). An official's page puts the actions before the timeline."""
    t = world.ticket("resolved")
    client.force_login(world.member)
    page = client.get(f"/tickets/{t.pk}/").content.decode()
    assert _order(page, "where-now", "answer-card", "timeline", "actions") == sorted(
        _order(page, "where-now", "answer-card", "timeline", "actions"))
    fresh = world.ticket("registered")
    page = client.get(f"/tickets/{fresh.pk}/").content.decode()
    withdraw = re.search(r'id="act-withdraw" class="([^"]*)"', page)
    assert withdraw and "show" not in withdraw.group(1).split()
    client.force_login(world.handler)
    t2 = world.ticket("in_progress")
    page = client.get(f"/tickets/{t2.pk}/").content.decode()
    actions, timeline = _order(page, "actions", "timeline")
    assert actions < timeline


@pytest.mark.django_db
def test_page_scoping_of_ledger_inbox_and_board(client, world):
    mine = world.ticket("in_progress")
    other = services.ticket_register(actor=world.other_member, enterprise=world.other_firm, category=world.category,
                                     title="别家的问题", description="d")
    services.ticket_dispatch(actor=world.dispatcher, ticket=other, lead_department=world.other_dept)
    client.force_login(world.handler)
    page = client.get("/tickets/ledger/").content.decode()
    assert mine.number in page and other.number not in page
    assert client.get("/tickets/inbox/?tab=in_progress").status_code == 200
    assert client.get("/tickets/board/").status_code == 403
    client.force_login(world.dispatcher)
    page = client.get("/tickets/ledger/").content.decode()
    assert mine.number in page and other.number in page
    client.force_login(world.member)
    assert client.get("/tickets/ledger/").status_code == 403
    assert mine.number in client.get("/tickets/mine/").content.decode()
    client.force_login(world.inspector)
    assert client.get("/tickets/ledger/").status_code == 403


@pytest.mark.django_db
def test_ledger_filters(client, world):
    a = world.ticket("in_progress", title="供电线路迁改")
    b = world.ticket("closed", title="用水问题")
    client.force_login(world.dispatcher)
    page = client.get("/tickets/ledger/?status=closed").content.decode()
    assert b.number in page and a.number not in page
    page = client.get(f"/tickets/ledger/?q={a.number}").content.decode()
    assert a.number in page and b.number not in page
    c = world.ticket("registered", title=f"与{a.number}重复")  # a number is looked up as a number, in any case
    page = client.get(f"/tickets/ledger/?q={a.number.lower()}").content.decode()
    assert a.number in page and c.number not in page
    assert c.number in client.get("/tickets/ledger/?q=重复").content.decode()
    # a city past a million problems in a year: the sequence has seven digits, still a number
    Ticket.objects.filter(pk=b.pk).update(number="QS-2026-1000001")
    d = world.ticket("registered", title="与QS-2026-1000001重复")
    page = client.get("/tickets/ledger/?q=qs-2026-1000001").content.decode()
    assert "QS-2026-1000001" in page and d.number not in page
    page = client.get(f"/tickets/ledger/?department={world.dept.pk}&status=open&order=due").content.decode()
    assert a.number in page and b.number not in page
    page = client.get("/tickets/ledger/?due=overdue").content.decode()
    assert a.number in page  # its 2026-03 deadline has passed


@pytest.mark.django_db
def test_ledger_and_lists_query_counts_do_not_grow(client, world, django_assert_max_num_queries):
    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    world.ticket("in_progress")
    client.force_login(world.dispatcher)
    count("/tickets/ledger/")  # fills the cached filter lists
    few = count("/tickets/ledger/")
    for _ in range(12):
        world.ticket("in_progress")
    assert count("/tickets/ledger/") == few
    with django_assert_max_num_queries(16):
        client.get("/tickets/ledger/?order=due&status=open")
    client.force_login(world.member)
    count("/tickets/mine/")  # fills the cached roles
    few_mine = count("/tickets/mine/")
    world.ticket("resolved")
    assert count("/tickets/mine/") == few_mine
    client.force_login(world.handler)
    with django_assert_max_num_queries(16):
        client.get("/tickets/inbox/?tab=in_progress")


@pytest.mark.django_db
def test_export_is_filtered_masked_and_in_chinese(client, world):
    t = world.ticket("closed")
    world.ticket("in_progress")
    client.force_login(world.dispatcher)
    response = client.get("/tickets/ledger/?export=csv&status=closed")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["编号", "企业名称", "统一社会信用代码"] and len(rows) == 2
    assert rows[1][0] == t.number and rows[1][-1] == "138****4321"
    response = client.get("/tickets/ledger/?export=xlsx")
    values = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    assert len(values) == 3 and values[0][0] == "编号"
    client.force_login(world.handler)
    assert client.get("/tickets/ledger/?export=csv").status_code == 403


@pytest.mark.django_db
def test_bulk_dispatch(client, world):
    a, b, c = world.ticket(), world.ticket(), world.ticket("in_progress")
    client.force_login(world.dispatcher)
    response = client.post("/tickets/ledger/dispatch/", {"ids": [a.pk, b.pk, c.pk], "bulk-lead_department": world.dept.pk,
                                                         "bulk-note": "请办理"})
    assert response.status_code == 302
    assert set(Ticket.objects.filter(pk__in=[a.pk, b.pk]).values_list("status", flat=True)) == {"dispatched"}
    c.refresh_from_db()
    assert c.status == "in_progress"


@pytest.mark.django_db
def test_the_statistics_rollup_gives_the_same_figures_as_the_ledger(world, django_assert_max_num_queries):
    from datetime import date

    from yingshang.tickets import selectors
    from yingshang.tickets.models import StatCell, StatSnapshot

    world.ticket("closed")
    world.ticket("in_progress")
    world.ticket("resolved", urgency="urgent")
    world.ticket("registered")
    filters = [selectors.LedgerFilter(created_from=date(2026, 1, 1)),
               selectors.LedgerFilter(created_from=date(2026, 3, 1), created_to=date(2026, 3, 31)),
               selectors.LedgerFilter(department=world.dept.pk), selectors.LedgerFilter(status="open"),
               selectors.LedgerFilter(category=world.category.parent_id or world.category.pk),
               selectors.LedgerFilter(bureau=world.firm.bureau_id or 0)]
    live = [selectors.statistics(world.leader, f) for f in filters]
    result = services.statistics_refresh()
    assert result["cells"] == StatCell.objects.count() > 0
    for f, expected in zip(filters, live):
        with django_assert_max_num_queries(9):  # snapshot, category check, five breakdowns, names
            got = selectors.statistics(world.leader, f)
        for part in ("overall", "by_status", "by_category", "departments", "by_bureau"):
            assert got[part] == expected[part], (f, part)
        if f.status != "open":  # whole months, no status: answered by the roll-up, dated by its rebuild
            assert got["computed_at"] == StatSnapshot.objects.get().taken_at, f
        assert [(m["n"], m["closed"]) for m in got["by_month"]] == [(m["n"], m["closed"]) for m in expected["by_month"]]
    # A filter the roll-up cannot answer is counted from the ledger.
    assert selectors.statistics(world.leader, selectors.LedgerFilter(urgency="urgent"))["overall"]["total"] == 1
    # The roll-up follows the sweep: a new problem shows after the next rebuild.
    world.ticket("closed")
    services.statistics_refresh()
    assert selectors.statistics(world.leader, filters[0])["overall"]["total"] == 5


@pytest.mark.django_db
def test_a_period_not_in_whole_months_sums_month_cells_and_day_cells(world, django_assert_max_num_queries):
    from datetime import date, datetime, timedelta

    from django.utils import timezone

    from yingshang.tickets import selectors
    from yingshang.tickets.models import StatDayCell, StatSnapshot

    # Tickets on both sides of every boundary the periods below cut: the last and first days of months.
    days = [date(2026, 2, 27), date(2026, 2, 28), date(2026, 3, 1), date(2026, 3, 14), date(2026, 3, 15),
            date(2026, 4, 30), date(2026, 5, 1), date(2026, 6, 19), date(2026, 6, 20), date(2026, 6, 21),
            date(2026, 7, 1)]
    for i, day in enumerate(days):
        t = world.ticket(("closed", "in_progress", "resolved")[i % 3])
        # just after and just before local midnight: the day in UTC differs from the zone's for the first
        at = timezone.make_aware(datetime.combine(day, datetime.min.time()) + timedelta(hours=(0, 23)[i % 2], minutes=30))
        Ticket.objects.filter(pk=t.pk).update(created_at=at)
    periods = [(date(2026, 3, 15), date(2026, 6, 20)),   # both ends partial
               (date(2026, 2, 28), date(2026, 4, 30)),   # partial start, whole end
               (date(2026, 3, 1), date(2026, 6, 19)),    # whole start, partial end
               (date(2026, 3, 14), date(2026, 3, 15)),   # inside one month
               (date(2026, 2, 28), date(2026, 3, 1)),    # across one boundary, no whole month
               (None, date(2026, 6, 20)), (date(2026, 3, 15), None)]
    filters = [selectors.LedgerFilter(created_from=a, created_to=b) for a, b in periods]
    filters.append(selectors.LedgerFilter(created_from=date(2026, 3, 15), created_to=date(2026, 6, 20),
                                          department=world.dept.pk))
    live = [selectors.statistics(world.leader, f) for f in filters]
    assert [x["overall"]["total"] for x in live[:5]] == [5, 5, 6, 2, 2]
    result = services.statistics_refresh()
    assert result["day_cells"] == StatDayCell.objects.count() == len(days)  # one firm, department and category
    for f, expected in zip(filters, live):
        with django_assert_max_num_queries(13):  # snapshot, five breakdowns of month cells, five of day cells, names
            got = selectors.statistics(world.leader, f)
        assert got["computed_at"] == StatSnapshot.objects.get().taken_at, f
        for part in ("overall", "by_status", "by_category", "departments", "by_bureau", "by_month"):
            assert got[part] == expected[part], (f, part)


def test_month_split_cuts_a_period_into_whole_months_and_its_ends():
    from datetime import date

    from yingshang.tickets.selectors import LedgerFilter, month_split

    months, ends = month_split(LedgerFilter(created_from=date(2026, 3, 15), created_to=date(2026, 6, 20), bureau=3))
    assert (months.created_from, months.created_to, months.bureau) == (date(2026, 4, 1), date(2026, 5, 31), 3)
    assert [(e.created_from, e.created_to, e.bureau) for e in ends] == [
        (date(2026, 3, 15), date(2026, 3, 31), 3), (date(2026, 6, 1), date(2026, 6, 20), 3)]
    months, ends = month_split(LedgerFilter(created_from=date(2025, 12, 2), created_to=date(2026, 2, 28)))
    assert (months.created_from, months.created_to) == (date(2026, 1, 1), date(2026, 2, 28))
    assert [(e.created_from, e.created_to) for e in ends] == [(date(2025, 12, 2), date(2025, 12, 31))]
    months, ends = month_split(LedgerFilter(created_from=date(2026, 3, 2), created_to=date(2026, 4, 30)))
    assert (months.created_from, months.created_to) == (date(2026, 4, 1), date(2026, 4, 30))
    whole = LedgerFilter(created_from=date(2026, 1, 1), created_to=date(2026, 12, 31))
    assert month_split(whole) == (whole, [])
    inside = LedgerFilter(created_from=date(2026, 3, 2), created_to=date(2026, 3, 30))
    assert month_split(inside) == (None, [inside])
    assert month_split(LedgerFilter()) == (LedgerFilter(), [])


@pytest.mark.django_db
def test_statistics_and_drill_down(client, world):
    world.ticket("closed", title="已销号的问题")
    world.ticket("in_progress")
    client.force_login(world.leader)
    response = client.get("/tickets/statistics/?created_from=2026-01-01&created_to=2026-12-31")
    assert response.status_code == 200
    s = response.context["s"]
    assert s["overall"]["total"] == 2 and s["overall"]["closed"] == 1 and s["overall"]["close_rate"] == 50.0
    assert s["overall"]["satisfaction_rate"] == 100.0
    assert s["departments"][0]["n"] == 2 and not s["departments"][0]["ranked"]   # too few to rank
    drill = client.get("/tickets/ledger/?created_from=2026-01-01&created_to=2026-12-31&status=closed").content.decode()
    assert "已销号的问题" in drill
    client.force_login(world.handler)
    assert client.get("/tickets/statistics/").status_code == 403


@pytest.mark.django_db
def test_profile_panel_and_group_ledger(client, world):
    from yingshang.directory.tests.factories import GroupFactory

    group = GroupFactory(name="中国一汽")
    world.firm.group = group
    world.firm.save()
    world.ticket("closed")
    client.force_login(world.leader)
    page = client.get(f"/directory/enterprises/{world.firm.pk}/").content.decode()
    assert 'data-testid="tickets-panel"' in page and 'data-testid="group-solved"' in page
    assert client.get(f"/tickets/ledger/?group={group.pk}").context["page"].paginator.count == 1


@pytest.mark.django_db
def test_printable_supervision_notice(client, world):
    t = world.ticket("in_progress")
    notice = services.ticket_supervise(actor=world.leader, ticket=t, note="三个工作日内办结")
    client.force_login(world.head)
    page = client.get(f"/tickets/notices/{notice.pk}/").content.decode()
    assert "督 办 单" in page and "三个工作日内办结" in page
    client.force_login(world.member)
    assert client.get(f"/tickets/notices/{notice.pk}/").status_code == 404


# --- API ----------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_api_create_is_idempotent_with_a_key(client, world):
    client.force_login(world.member)
    body = {"enterprise": world.firm.uscc.lower(), "category": world.category.pk, "title": "停电",
            "description": "厂区停电"}
    first = client.post("/api/v1/tickets/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="abc-1")
    again = client.post("/api/v1/tickets/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="abc-1")
    other = client.post("/api/v1/tickets/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="abc-2")
    assert first.status_code == again.status_code == 201
    assert first.json()["number"] == again.json()["number"] != other.json()["number"]
    assert Ticket.objects.count() == 2


@pytest.mark.django_db
def test_api_bad_input_and_wrong_firm(client, world):
    client.force_login(world.member)
    bad = client.post("/api/v1/tickets/", {"enterprise": "91220174000000000X", "category": world.category.pk,
                                           "title": "", "description": "d"}, content_type="application/json")
    assert bad.status_code == 400
    body = bad.json()
    assert body["code"] == "invalid" and {"enterprise", "title"} <= set(body["fields"])
    wrong = client.post("/api/v1/tickets/", {"enterprise": world.other_firm.uscc, "category": world.category.pk,
                                             "title": "t", "description": "d"}, content_type="application/json")
    assert wrong.status_code == 403 and wrong.json()["code"] == "permission_denied"
    assert Ticket.objects.count() == 0


@pytest.mark.django_db
def test_api_actions_events_and_409(client, world):
    t = world.ticket("registered")
    client.force_login(world.dispatcher)
    r = client.post(f"/api/v1/tickets/{t.pk}/dispatch/", {"lead_department": world.dept.code},
                    content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "dispatched"
    missing = client.post(f"/api/v1/tickets/{t.pk}/dispatch/", {}, content_type="application/json")
    assert missing.status_code == 400 and "lead_department" in missing.json()["fields"]
    client.force_login(world.handler)
    assert client.post(f"/api/v1/tickets/{t.pk}/accept/", {}, content_type="application/json").status_code == 200
    again = client.post(f"/api/v1/tickets/{t.pk}/accept/", {}, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "illegal_transition"
    events = client.get(f"/api/v1/tickets/{t.pk}/events/").json()
    assert [e["action"] for e in events] == ["tickets.ticket.registered", "tickets.ticket.dispatched",
                                            "tickets.ticket.accepted"]
    client.force_login(world.member)
    listed = client.get("/api/v1/tickets/").json()
    assert [x["number"] for x in listed["results"]] == [t.number]
    assert client.post(f"/api/v1/tickets/{t.pk}/resolve/", {"outcome": "solved", "answer": "x"},
                       content_type="application/json").status_code == 403


PAGES = ["/tickets/ledger/", "/tickets/inbox/", "/tickets/board/", "/tickets/statistics/", "/tickets/new/",
         "/tickets/mine/"]
# role → the status code of each page above
PAGE_MATRIX = {
    "member": [403, 403, 403, 403, 200, 200],
    "steward": [200, 403, 403, 403, 200, 200],
    "dispatcher": [200, 403, 200, 200, 200, 200],
    "handler": [200, 200, 403, 403, 403, 200],
    "head": [200, 200, 403, 200, 403, 200],
    "leader": [200, 403, 200, 200, 200, 200],
    "supervisor": [200, 403, 200, 200, 403, 200],
    "inspector": [403, 403, 403, 403, 403, 200],
    "admin": [200, 403, 200, 200, 200, 200],
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(PAGE_MATRIX))
def test_page_permission_matrix(client, world, role):
    world.ticket("in_progress")
    client.force_login(getattr(world, role))
    assert [client.get(url).status_code for url in PAGES] == PAGE_MATRIX[role]


@pytest.mark.django_db
def test_home_pages_show_the_ledger_by_role(client, world):
    world.ticket("in_progress")
    client.force_login(world.handler)
    page = client.get("/").content.decode()
    assert 'data-testid="home-inbox"' in page and 'data-testid="home-problems"' in page
    client.force_login(world.member)
    page = client.get("/").content.decode()
    assert 'data-testid="home-open-problems"' in page and 'data-testid="home-raise"' in page


@pytest.mark.django_db
def test_the_create_answer_is_the_ticket_serializers(world):
    from rest_framework.test import APIClient

    from yingshang.tickets.api import TicketSerializer, ticket_data

    api = APIClient()
    api.force_authenticate(world.member)
    body = {"enterprise": world.firm.uscc, "category": world.category.pk, "title": "厂区道路积水",
            "description": "雨后厂区门前道路积水严重。"}
    created = api.post("/api/v1/tickets/", body, format="json")
    t = Ticket.objects.get(pk=created.json()["id"])
    assert created.json() == TicketSerializer(t).data
    dispatched = world.ticket("in_progress")
    assert ticket_data(dispatched) == TicketSerializer(dispatched).data


@pytest.mark.django_db
def test_urged_problems_are_counted_on_the_board_and_filtered_in_the_ledger(client, world):
    from datetime import timedelta

    urged, quiet = world.ticket("in_progress"), world.ticket("in_progress")
    services.ticket_urge(actor=world.member, ticket=urged, note="请尽快", at=urged.next_due + timedelta(hours=1))
    client.force_login(world.leader)
    board = client.get("/tickets/board/").content.decode()
    assert 'data-testid="urged-list"' in board and urged.number in board.split('data-testid="urged-list"')[1]
    assert re.search(r'data-testid="board-urged">1<', board)
    ledger = client.get("/tickets/ledger/?urged=on").content.decode()
    assert urged.number in ledger and quiet.number not in ledger


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the estimate is PostgreSQL's statistics")
def test_an_unfiltered_ledger_of_a_city_shows_an_estimated_total_and_a_filtered_one_counts(client, world,
                                                                                          monkeypatch):
    from yingshang.core import paging

    for _ in range(3):
        world.ticket("in_progress")
    world.ticket("resolved")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE tickets_ticket")
    monkeypatch.setattr(paging, "ESTIMATE_ABOVE", 2)  # a city's ledger, in four rows
    client.force_login(world.dispatcher)
    with CaptureQueriesContext(connection) as ctx:
        page = client.get("/tickets/ledger/").content.decode()
    assert 'data-testid="estimated-count"' in page and "约 4 条" in page
    assert not [q for q in ctx.captured_queries if "COUNT(" in q["sql"] and "tickets_ticket" in q["sql"]]
    filtered = client.get("/tickets/ledger/?status=in_progress").content.decode()
    assert 'data-testid="estimated-count"' not in filtered and "共 3 条" in filtered
    monkeypatch.setattr(paging, "ESTIMATE_ABOVE", 100)  # a zone's ledger is counted
    assert 'data-testid="estimated-count"' not in client.get("/tickets/ledger/").content.decode()


@pytest.mark.django_db
def test_the_rollup_rewrites_only_the_days_with_new_events_and_ends_where_a_rebuild_would(world):
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from yingshang.tickets.models import StatCell, StatDayCell, StatSnapshot

    sh = ZoneInfo("Asia/Shanghai")
    old = world.ticket("in_progress", at=datetime(2026, 2, 10, 9, tzinfo=sh))
    world.ticket("closed", at=datetime(2026, 3, 2, 9, tzinfo=sh))
    world.ticket("registered", at=datetime(2026, 3, 3, 23, 30, tzinfo=sh))  # the 3rd in Beijing, the 3rd UTC too
    first = services.statistics_refresh()
    assert first["day_cells"] == 3 and StatSnapshot.objects.get().full_at is not None

    def cells():
        return (sorted(StatDayCell.objects.values_list("day", "lead_department_id", "top_id", "bureau_id", "total",
                                                       "closed", "resolved", "n_in_progress", "n_resolved"), key=str),
                sorted(StatCell.objects.values_list("month", "lead_department_id", "total", "resolved",
                                                    "n_in_progress", "n_resolved"), key=str))

    untouched_march = StatDayCell.objects.get(day="2026-03-02").pk
    # nothing happened: nothing rewritten
    assert services.statistics_refresh() == {"days": 0, "day_cells": 0, "cells": 0}
    # February's problem is resolved today, a new one is raised: those two days and their months, no other
    services.ticket_resolve(actor=world.handler, ticket=old, answer="已迁改。", outcome="solved")
    world.ticket("registered", at=datetime(2026, 3, 20, 9, tzinfo=sh))
    second = services.statistics_refresh()
    assert second["days"] == 2 and second["day_cells"] == 2
    assert StatDayCell.objects.filter(day="2026-03-02").get().pk == untouched_march
    incremental = cells()
    # the same cells as a rebuild from scratch
    services.statistics_refresh(full=True)
    assert cells() == incremental
    # once a night the whole is rebuilt (a firm moved to another bureau has no event of its own)
    snap = StatSnapshot.objects.get()
    StatSnapshot.objects.update(full_at=snap.full_at - timedelta(hours=21))
    assert "days" not in services.statistics_refresh()


@pytest.mark.django_db
def test_a_problem_sent_to_another_department_leaves_its_old_cell(world, django_assert_max_num_queries):
    """The sweep moves each changed problem from the counts it had (kept per problem) to those it has now: a
    redispatch, a withdrawal, a rating, an empty cell left behind — the cells end as a rebuild would make them,
    and those of the other days are not touched."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from yingshang.tickets.models import StatCell, StatDayCell, StatTicket

    sh = ZoneInfo("Asia/Shanghai")
    moved = world.ticket("dispatched", at=datetime(2026, 4, 8, 10, tzinfo=sh))
    rated = world.ticket("resolved", at=datetime(2026, 4, 8, 11, tzinfo=sh))
    gone = world.ticket("registered", at=datetime(2026, 5, 1, 9, tzinfo=sh))
    world.ticket("closed", at=datetime(2026, 6, 1, 9, tzinfo=sh))
    services.statistics_refresh(full=True)
    assert StatTicket.objects.count() == 4
    june = StatDayCell.objects.get(day="2026-06-01").pk

    def cells():
        fields = [f.name for f in StatDayCell._meta.fields if f.name != "id"]
        return (sorted(StatDayCell.objects.values_list(*fields), key=str),
                sorted(StatCell.objects.values_list(*[f.name for f in StatCell._meta.fields if f.name != "id"]),
                       key=str))

    services.ticket_redispatch(actor=world.dispatcher, ticket=moved, lead_department=world.other_dept,
                               reason="职责不符")
    services.ticket_confirm(actor=world.member, ticket=rated, rating="satisfied")
    services.ticket_withdraw(actor=world.member, ticket=gone, reason="已自行解决")
    with django_assert_max_num_queries(18):  # a fixed number, whatever the count of problems (2,000 a round)
        done = services.statistics_refresh()
    assert done["days"] == 2 and done["day_cells"] == 3  # April: the old and the new department; May's cell
    assert StatDayCell.objects.get(day="2026-06-01").pk == june
    assert StatDayCell.objects.filter(day="2026-04-08", lead_department_id=world.other_dept.pk).get().total == 1
    incremental = cells()
    services.statistics_refresh(full=True)
    assert cells() == incremental
    assert StatTicket.objects.get(ticket_id=moved.pk).lead_department_id == world.other_dept.pk


@pytest.mark.django_db
def test_a_keyword_finds_titles_and_firm_names_whatever_the_case_and_the_index(client, world, monkeypatch):
    from yingshang.tickets import selectors

    world.firm.name = "长春一汽富晟 Auto 零部件有限公司"
    world.firm.save()
    titles = ["试验楼供电线路迁改", "供 电", "新厂房用水压力不足", "ABC 网络带宽", "供电", "天然气接入"]
    by_title = {title: world.ticket("registered", title=title) for title in titles}
    other = world.ticket("registered", title="道路破损")
    other.enterprise = world.other_firm
    other.save()

    def found(text):
        qs = selectors.ledger(world.dispatcher, selectors.LedgerFilter(q=text))
        walked = selectors.ledger(world.dispatcher, selectors.LedgerFilter(q=text), many=True)  # the titles read
        assert list(qs.values_list("number", flat=True)) == list(walked.values_list("number", flat=True)), text
        return set(qs.values_list("number", flat=True))

    def reference(text):  # what the ledger means by a keyword, read row by row
        firm_names = {world.firm.pk: world.firm.name.lower(), world.other_firm.pk: world.other_firm.name.lower()}
        return {t.number for t in Ticket.objects.all()
                if text.lower() in t.title.lower() or text.lower() in firm_names[t.enterprise_id]}

    for text in ("供电", "试验楼供电", "供电线路迁改", "abc", "Abc 网", "电", "供 电", "零部件", "AUTO", "富晟 auto", "缺了",
                 "%", "_", "线路迁改X"):
        assert found(text) == reference(text), text
    assert found("供电") >= {by_title["供电"].number, by_title["试验楼供电线路迁改"].number}
    assert found("试验楼供电线") == {by_title["试验楼供电线路迁改"].number} and found("供电线路迁") == found("试验楼供电线")
    assert found("电天") == set() and found("网络") == {by_title["ABC 网络带宽"].number}
    monkeypatch.setattr(importlib.import_module("yingshang.tickets.selectors.ledger"), "FIRM_IDS", 0)  # a word that names too many firms: the join
    assert found("零部件") == reference("零部件") and found("破损") == reference("破损")

    # A wide search is counted up to a limit: the page says "more than", and its pages are the newest.
    from yingshang.core import paging

    monkeypatch.setattr(paging, "COUNT_UP_TO", 1)
    client.force_login(world.dispatcher)
    page = client.get("/tickets/ledger/?q=供电").content.decode()
    assert 'data-testid="capped-count"' in page and "超过 1 条" in page
    assert by_title["天然气接入"].number not in page
    page = client.get("/tickets/ledger/?q=天然气").content.decode()
    assert 'data-testid="capped-count"' not in page and "共 1 条" in page
    # A search the planner expects to find far more than the limit is not counted at all (its estimate is
    # PostgreSQL's; here it is given): the page walks the newest problems, reading their titles.
    monkeypatch.setattr(paging, "COUNT_UP_TO", 3)
    monkeypatch.setattr(paging, "planned_rows", lambda qs: 31)
    with CaptureQueriesContext(connection) as captured:
        page = client.get("/tickets/ledger/?q=网络").content.decode()
    assert 'data-testid="capped-count"' in page and "超过 3 条" in page and by_title["ABC 网络带宽"].number in page
    assert not any("COUNT(" in q["sql"] and "tickets_ticket" in q["sql"] for q in captured.captured_queries)


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the pairs' index is PostgreSQL's")
def test_a_keyword_reads_the_titles_through_their_pairs_index(world):
    from yingshang.tickets import selectors

    world.ticket("registered", title="试验楼供电线路迁改")
    qs = selectors.ledger(world.dispatcher, selectors.LedgerFilter(q="供电"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT ys_grams('试验楼 供电AB')")
        assert sorted(cursor.fetchone()[0]) == sorted(["试验", "验楼", "供电", "电a", "ab"])
        cursor.execute("SET LOCAL enable_seqscan = off")  # a table of one row is read whole otherwise
        cursor.execute("SET LOCAL enable_indexscan = off")  # (and walked by its date, for the order)
        plan = qs.order_by().explain()
    assert "ticket_title_grams" in plan
