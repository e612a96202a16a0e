"""The 12345 bridge: signed transfers (key, signature, replay window), one ticket per order code, the category
map and the hotline's deadline, every reply, answer and closing pushed back to a stub hotline server (signed,
retried with back-off, each attempt logged), 退单, and the daily reconciliation."""

import json
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from yingshang.core.models import Job
from yingshang.interop import hotline, services
from yingshang.interop.models import Callback, CategoryMap, ExternalRequest, Integrator, Reconciliation
from yingshang.tickets.models import Category, Ticket


class StubHotline:
    """A hotline's callback receiver on loopback: records what it is sent, answers with ``status``."""

    def __init__(self):
        self.received: list[tuple[dict, bytes]] = []
        self.status = 200
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                stub.received.append((dict(self.headers), body))
                self.send_response(stub.status)
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/callback"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def stub():
    s = StubHotline()
    yield s
    s.close()


@pytest.fixture
def bridge(db, make_user, enterprise, stub):
    from yingshang.tickets.services import categories_ensure_defaults

    categories_ensure_defaults()
    admin = make_user("admin")
    integrator, key = services.integrator_register(actor=admin, name="长春12345", kind="hotline",
                                                   callback_url=stub.url)
    power = Category.objects.get(name="供电")
    CategoryMap.objects.create(integrator=integrator, their_category="城建-供电", category=power)
    return {"integrator": integrator, "key": key, "firm": enterprise, "admin": admin, "power": power}


def _send(client, b, path, data, *, key=None, secret=None, ts=None):
    body = json.dumps(data, ensure_ascii=False).encode()
    headers = hotline.signed_headers(secret or b["integrator"].secret, body, key=key or b["key"], now=ts)
    return client.post(path, body, content_type="application/json",
                       **{f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()
                          if k != "Content-Type"})


def _order(b, **over):
    data = {"order_code": "GD-20261207-0001", "uscc": b["firm"].uscc, "content": "园区东路停电三天，影响生产线运转",
            "category": "城建-供电", "caller": "李女士", "phone": "13700002222",
            "deadline": (timezone.localtime() + timedelta(days=3)).isoformat(timespec="seconds"),
            "attachments": ["https://12345.example/files/a.jpg"]}
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


def test_a_transferred_order_becomes_one_ticket(bridge, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(45):
        r = _send(client, bridge, "/api/v1/hotline/orders/", _order(bridge))
    assert r.status_code == 201, r.content
    body = r.json()
    t = Ticket.objects.get(number=body["ticket"])
    assert body["duplicate"] is False and body["order_code"] == "GD-20261207-0001"
    assert t.channel == Ticket.Channel.HOTLINE and t.category == bridge["power"] and t.enterprise == bridge["firm"]
    assert t.raised_by == bridge["integrator"].user and t.resolve_by is not None
    ext = t.external
    assert ext.reporter_phone == "13700002222" and ext.attachment_urls == ["https://12345.example/files/a.jpg"]
    # the hotline retries: the same ticket, nothing new
    again = _send(client, bridge, "/api/v1/hotline/orders/", _order(bridge, content="重发"))
    assert again.status_code == 200 and again.json()["ticket"] == t.number and again.json()["duplicate"] is True
    assert Ticket.objects.count() == 1 and ExternalRequest.objects.count() == 1
    # its state, read back
    read = _send(client, bridge, "/api/v1/hotline/orders/GD-20261207-0001/", {})
    assert read.status_code == 405  # a read is a GET
    headers = hotline.signed_headers(bridge["integrator"].secret, b"", key=bridge["key"])
    got = client.get("/api/v1/hotline/orders/GD-20261207-0001/",
                     **{f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items() if k != "Content-Type"})
    assert got.status_code == 200 and got.json()["ticket"] == t.number


def test_an_unmapped_category_goes_to_other_and_the_earlier_deadline_wins(bridge, client, make_user):
    from yingshang.directory.tests.factories import DepartmentFactory
    from yingshang.tickets.services import ticket_dispatch

    soon = timezone.localtime() + timedelta(hours=30)
    r = _send(client, bridge, "/api/v1/hotline/orders/", _order(bridge, category="不认识的分类",
                                                                 deadline=soon.isoformat(timespec="seconds")))
    t = Ticket.objects.get(number=r.json()["ticket"])
    assert t.category.name == "其他" and t.external.their_category == "不认识的分类"
    ticket_dispatch(actor=make_user("dispatcher"), ticket=t, lead_department=DepartmentFactory())
    t.refresh_from_db()
    assert t.resolve_due == soon.replace(microsecond=0)
    assert t.respond_due <= t.resolve_due


@pytest.mark.parametrize("tamper, status", [
    ({"secret": "x" * 43}, 401),                         # signed with another secret
    ({"ts": -301}, 401),                                  # outside the five minutes (seconds from now)
    ({"ts": 400}, 401),
    ({"key": "ys_not_a_key_of_anyone_at_all"}, 401),
])
def test_the_signature_and_the_replay_window(bridge, client, tamper, status):
    if "ts" in tamper:
        tamper = {"ts": time.time() + tamper["ts"]}
    r = _send(client, bridge, "/api/v1/hotline/orders/", _order(bridge), **tamper)
    assert r.status_code == status and not Ticket.objects.exists()


def test_a_form_body_is_refused_not_an_error(bridge, client):
    headers = hotline.signed_headers(bridge["integrator"].secret, b"", key=bridge["key"])
    extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items() if k != "Content-Type"}
    for path in ("/api/v1/hotline/orders/", "/api/v1/hotline/orders/X/reject/"):
        r = client.post(path, {"order_code": "x", "content": "y"}, **extra)  # multipart
        assert r.status_code == 401 and "JSON" in r.json()["detail"]
    assert not Ticket.objects.exists()


def test_no_headers_and_an_open311_key_are_refused(bridge, client):
    assert client.post("/api/v1/hotline/orders/", _order(bridge), content_type="application/json").status_code == 401
    _i, open_key = services.integrator_register(actor=bridge["admin"], name="App")
    assert _send(client, bridge, "/api/v1/hotline/orders/", _order(bridge), key=open_key).status_code == 401
    assert not Ticket.objects.exists()


@pytest.mark.parametrize("over, field", [
    ({"content": None}, "content"), ({"content": "a\x00b"}, "body"), ({"order_code": None}, "order_code"),
    ({"uscc": "91220101MA0000000X"}, "uscc"), ({"uscc": None, "firm_name": "不存在的公司"}, "firm_name"),
    ({"deadline": "2020-01-01T00:00:00+08:00"}, "deadline"), ({"deadline": "明天"}, "deadline"),
    ({"attachments": "https://a"}, "attachments"), ({"attachments": ["ftp://x"]}, "attachments"),
])
def test_bad_orders_change_nothing(bridge, client, over, field):
    r = _send(client, bridge, "/api/v1/hotline/orders/", _order(bridge, **over))
    assert r.status_code == 400, r.content
    assert field in json.dumps(r.json(), ensure_ascii=False)
    assert not Ticket.objects.exists()


def test_a_firm_by_its_name(bridge, client):
    r = _send(client, bridge, "/api/v1/hotline/orders/", _order(bridge, uscc=None, firm_name=bridge["firm"].name))
    assert r.status_code == 201 and Ticket.objects.get().enterprise == bridge["firm"]


def _answer(bridge, client, make_user, django_capture_on_commit_callbacks):
    from yingshang.tickets.services import ticket_accept, ticket_dispatch, ticket_resolve, ticket_respond

    r = _send(client, bridge, "/api/v1/hotline/orders/", _order(bridge))
    t = Ticket.objects.get(number=r.json()["ticket"])
    from yingshang.directory.tests.factories import DepartmentFactory

    dept = DepartmentFactory()
    handler = make_user("handler", department=dept)
    with django_capture_on_commit_callbacks(execute=True):
        ticket_dispatch(actor=make_user("dispatcher"), ticket=t, lead_department=dept, note="内部：请供电公司配合")
        ticket_accept(actor=handler, ticket=t)
        ticket_respond(actor=handler, ticket=t, note="已联系供电公司抢修")
        ticket_resolve(actor=handler, ticket=t, outcome="solved", answer="线路已恢复供电")
    return t, handler


def test_replies_and_answers_are_pushed_back_signed(bridge, client, make_user, stub,
                                                    django_capture_on_commit_callbacks):
    t, _handler = _answer(bridge, client, make_user, django_capture_on_commit_callbacks)
    kinds = [json.loads(body)["kind"] for _h, body in stub.received]
    assert kinds == ["reply", "answer"]
    headers, body = stub.received[1]
    sent = json.loads(body)
    assert sent["order_code"] == "GD-20261207-0001" and sent["ticket"] == t.number
    assert sent["text"] == "线路已恢复供电" and sent["outcome"] == "solved"
    assert headers["X-Signature"] == hotline.signature(bridge["integrator"].secret, headers["X-Timestamp"], body)
    assert "内部" not in b"".join(b for _h, b in stub.received).decode()  # what officials wrote stays inside
    assert Callback.objects.filter(ok=True).count() == 2
    assert set(Job.objects.values_list("state", flat=True)) == {Job.State.DONE}


def test_a_failed_push_is_retried_with_back_off_and_logged(bridge, client, make_user, stub,
                                                           django_capture_on_commit_callbacks):
    stub.status = 503
    t, _handler = _answer(bridge, client, make_user, django_capture_on_commit_callbacks)
    assert Callback.objects.filter(ok=False, status_code=503).count() == 2
    jobs = list(Job.objects.filter(name=hotline.PUSH_JOB))
    assert all(j.state == Job.State.PENDING and j.attempts == 1 and j.run_after > timezone.now() for j in jobs)
    rec = hotline.reconcile(bridge["integrator"], timezone.localdate())
    assert (rec.received, rec.answered, rec.delivered) == (1, 1, 0)
    assert rec.differences == [{"order_code": "GD-20261207-0001", "ticket": t.number, "difference": "not delivered"}]
    stub.status = 200
    from yingshang.core import jobs as job_engine

    job_engine.sweep(now=timezone.now())  # not due yet: nothing sent
    assert len(stub.received) == 2
    Job.objects.filter(name=hotline.PUSH_JOB).update(run_after=timezone.now())
    job_engine.sweep()
    assert len(stub.received) == 4 and Callback.objects.filter(ok=True).count() == 2
    assert list(Callback.objects.filter(kind="answer").order_by("attempt").values_list("attempt", "ok")) == [
        (1, False), (2, True)]
    rec = hotline.reconcile(bridge["integrator"], timezone.localdate())
    assert (rec.received, rec.answered, rec.delivered, rec.differences) == (1, 1, 1, [])
    assert Reconciliation.objects.count() == 1  # made again, the same day's record


def test_the_hotline_rejects_the_answer(bridge, client, make_user, stub, django_capture_on_commit_callbacks):
    t, _handler = _answer(bridge, client, make_user, django_capture_on_commit_callbacks)
    new_deadline = (timezone.localtime() + timedelta(days=2)).isoformat(timespec="seconds")
    r = _send(client, bridge, "/api/v1/hotline/orders/GD-20261207-0001/reject/",
              {"reason": "来电人反映仍未恢复供电", "deadline": new_deadline})
    assert r.status_code == 200, r.content
    t.refresh_from_db()
    assert t.status == Ticket.Status.IN_PROGRESS and t.redo_count == 1 and t.resolved_at is None
    ev = t.events.get(action="tickets.ticket.sender_rejected")
    assert ev.note == "来电人反映仍未恢复供电" and ev.actor == bridge["integrator"].user
    assert t.resolve_due <= timezone.now() + timedelta(days=2)
    # not answered now: a second 退单 is refused; an unknown order is not found
    assert _send(client, bridge, "/api/v1/hotline/orders/GD-20261207-0001/reject/", {"reason": "再"}
                 ).status_code == 409
    assert _send(client, bridge, "/api/v1/hotline/orders/NOPE/reject/", {"reason": "x"}).status_code == 404
    assert _send(client, bridge, "/api/v1/hotline/orders/GD-20261207-0001/reject/", {}).status_code == 409


def test_only_the_hotline_that_sent_it_may_reject(bridge, client, make_user, stub, django_capture_on_commit_callbacks):
    from django.core.exceptions import PermissionDenied

    from yingshang.tickets.services import ticket_sender_reject

    t, handler = _answer(bridge, client, make_user, django_capture_on_commit_callbacks)
    other, _key = services.integrator_register(actor=bridge["admin"], name="别的热线", kind="hotline")
    for actor in (other.user, handler, make_user("dispatcher"), make_user("enterprise", enterprise=bridge["firm"])):
        with pytest.raises(PermissionDenied):
            ticket_sender_reject(actor=actor, ticket=t, reason="x")


def test_the_daily_reconciliation_lists_overdue_orders(bridge, client, make_user):
    from yingshang.directory.tests.factories import DepartmentFactory
    from yingshang.tickets.services import ticket_dispatch

    r = _send(client, bridge, "/api/v1/hotline/orders/", _order(bridge))
    t = Ticket.objects.get(number=r.json()["ticket"])
    ticket_dispatch(actor=make_user("dispatcher"), ticket=t, lead_department=DepartmentFactory())
    t.refresh_from_db()
    later = t.resolve_due + timedelta(hours=1)
    assert hotline.reconcile_sweep() == {"hotline reconciliations": 2}  # yesterday's and today's
    assert Reconciliation.objects.get(day=timezone.localdate()).differences == []
    rec = hotline.reconcile(bridge["integrator"], timezone.localdate(t.created_at), now=later)
    assert rec.differences == [{"order_code": "GD-20261207-0001", "ticket": t.number, "difference": "overdue"}]
    headers = hotline.signed_headers(bridge["integrator"].secret, b"", key=bridge["key"])
    day = timezone.localdate().isoformat()
    got = client.get(f"/api/v1/hotline/reconciliation/?day={day}",
                     **{f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items() if k != "Content-Type"})
    assert got.status_code == 200 and got.json()["received"] == 1
    bad = client.get("/api/v1/hotline/reconciliation/?day=2026-13-01",
                     **{f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items() if k != "Content-Type"})
    assert bad.status_code == 400


def test_an_inactive_hotline_is_refused(bridge, client):
    Integrator.objects.filter(pk=bridge["integrator"].pk).update(active=False)
    assert _send(client, bridge, "/api/v1/hotline/orders/", _order(bridge)).status_code == 401
