"""Edge cases: call-back timing, a steward moved off a firm, formula-like text in exports, absurd dates,
re-dispatch, what the firm may not read."""

import csv
import io
from datetime import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from yingshang.directory.services import stewardship_assign
from yingshang.tickets import services

from .conftest import SH


@pytest.mark.django_db
def test_a_steward_records_a_call_back_only_after_the_firms_own_time(world):
    t = world.ticket("resolved", at=datetime.now(SH))
    with pytest.raises(ValidationError):
        services.callback_record(actor=world.steward, ticket=t, rating="satisfied", comment="电话回访")
    t.refresh_from_db()
    assert t.status == "resolved"


@pytest.mark.django_db
def test_a_steward_moved_off_a_firm_keeps_no_rights_on_its_problems(world, make_user, client):
    t = world.ticket("in_progress")
    stewardship_assign(actor=None, enterprise=world.firm, steward=make_user("steward"), leader=world.leader)
    with pytest.raises(PermissionDenied):
        services.ticket_withdraw(actor=world.steward, ticket=t, reason="x")
    client.force_login(world.steward)
    assert client.get(f"/tickets/{t.pk}/").status_code == 404


@pytest.mark.django_db
def test_formula_like_text_is_neutralised_in_csv_exports(world, client):
    world.ticket("in_progress", title="=HYPERLINK(\"http://x\")")
    client.force_login(world.dispatcher)
    response = client.get("/tickets/ledger/?export=csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[1][4].startswith("'=")


@pytest.mark.django_db
@pytest.mark.parametrize("query,status", [("created_to=9999-12-31", 400), ("created_from=0001-01-01", 400),
                                          ("department=abc", 400), ("order=drop", 400), ("page=-1", 200)])
def test_absurd_filters_do_not_break_the_ledger_or_statistics(world, client, query, status):
    """The page still shows, with the filter's error (400); a page number out of range shows the last page."""
    client.force_login(world.leader)
    assert client.get(f"/tickets/ledger/?{query}").status_code == status
    assert client.get(f"/tickets/statistics/?{query}").status_code == status


@pytest.mark.django_db
def test_redispatch_gives_the_new_department_a_fresh_start(world):
    t = world.ticket("in_progress")
    services.ticket_respond(actor=world.handler, ticket=t, note="已受理")
    services.extension_request(actor=world.handler, ticket=t, workdays=5, reason="需要公示")
    t = services.ticket_redispatch(actor=world.dispatcher, ticket=t, lead_department=world.other_dept,
                                   reason="属于其他部门职责")
    assert t.first_response_at is None and t.next_due == t.accept_due
    assert not t.extensions.filter(status="pending").exists()


@pytest.mark.django_db
def test_the_firm_does_not_read_the_departments_extension_reason(world, client):
    t = world.ticket("in_progress")
    services.extension_request(actor=world.handler, ticket=t, workdays=5, reason="内部原因：领导出差")
    client.force_login(world.member)
    assert "领导出差" not in client.get(f"/tickets/{t.pk}/").content.decode()
    client.force_login(world.head)
    assert "领导出差" in client.get(f"/tickets/{t.pk}/").content.decode()


@pytest.mark.django_db
def test_a_redo_keeps_when_the_problem_was_first_accepted(world):
    t = world.ticket("resolved")
    accepted = t.accepted_at
    t = services.ticket_confirm(actor=world.member, ticket=t, rating="unsatisfied", comment="没解决")
    assert t.accepted_at == accepted and t.status == "in_progress" and t.next_due == t.resolve_due
