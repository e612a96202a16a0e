"""The notification policy as the ledger uses it: who is told (from the action table), grouped per problem
and day, the leaders' digest, each user's choices, and deliveries on other channels recorded."""

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from yingshang.core import channels, notifications, services as core_services
from yingshang.core.models import Delivery, Notification
from yingshang.tickets import services


def titles(user):
    return list(Notification.objects.filter(recipient=user).values_list("title", flat=True))


@pytest.mark.django_db
def test_the_people_the_table_names_are_told_and_nobody_else(world):
    t = world.ticket("registered")
    assert titles(world.dispatcher) and not titles(world.member)  # a new problem waits for the dispatchers
    services.ticket_dispatch(actor=world.dispatcher, ticket=t, lead_department=world.dept,
                             co_departments=[world.co_dept])
    assert titles(world.handler) and titles(world.head) and titles(world.co_handler)
    assert not titles(world.other_handler)
    services.ticket_accept(actor=world.handler, ticket=t)
    services.ticket_respond(actor=world.handler, ticket=t, note="已现场踏勘")
    assert any("有新进展" in x for x in titles(world.member))
    # The steward is not sent the firm's messages; the one who acted is not told of their own act.
    assert not titles(world.steward)
    assert not Notification.objects.filter(recipient=world.handler, event="tickets.ticket.responded").exists()


@pytest.mark.django_db
def test_changes_of_one_problem_on_one_day_are_one_message(world):
    t = world.ticket("in_progress")
    for note in ("已受理", "正在协调", "方案已确定"):
        services.ticket_respond(actor=world.handler, ticket=t, note=note)
    rows = Notification.objects.filter(recipient=world.member, group_key=f"tickets.ticket:{t.pk}")
    assert rows.count() == 1 and rows.get().count == 3
    Notification.objects.filter(recipient=world.member).update(read_at=timezone.now())
    services.ticket_respond(actor=world.handler, ticket=t, note="已读之后的新进展")
    assert rows.count() == 2  # once read, a later change is a new message


@pytest.mark.django_db
def test_what_officials_write_for_each_other_never_reaches_the_firm(world, client):
    t = world.ticket("registered")
    services.ticket_dispatch(actor=world.dispatcher, ticket=t, lead_department=world.dept,
                             note="内部：请优先办理，企业背景复杂")
    services.ticket_accept(actor=world.handler, ticket=t, note="内部：已安排专人")
    services.ticket_instruct(actor=world.leader, ticket=t, instruction="内部批示：本周解决")
    secret = ("企业背景复杂", "已安排专人", "内部批示")
    client.force_login(world.member)
    page = client.get(f"/tickets/{t.pk}/").content.decode()
    api = json.dumps(client.get(f"/api/v1/tickets/{t.pk}/events/").json(), ensure_ascii=False)
    bell = " ".join(titles(world.member))
    for text in secret:
        assert text not in page and text not in api and text not in bell
    assert "tickets.ticket.dispatched" in page  # the firm still sees that it was dispatched
    client.force_login(world.head)
    staff_page = client.get(f"/tickets/{t.pk}/").content.decode()
    assert all(text in staff_page for text in secret)
    assert "internal_note" in client.get(f"/api/v1/tickets/{t.pk}/events/").json()[1]


@pytest.mark.django_db
def test_leaders_get_progress_in_the_daily_digest(world):
    t = world.ticket("in_progress")
    services.ticket_take_charge(actor=world.leader, ticket=t)  # the leader supervises it
    services.ticket_instruct(actor=world.leader, ticket=t, instruction="抓紧")
    # Progress the leader follows (an UPDATE to the firm's people is not the leader's); tell the leader directly:
    notifications.send(recipients=[world.leader], title="进展", kind="update", group_key="x", event="test")
    n = Notification.objects.get(recipient=world.leader, group_key="x")
    assert n.held and n.read_at is None
    from yingshang.core.selectors import unread_notification_count

    assert unread_notification_count(world.leader) == 0  # held for the digest, not rung
    assert notifications.digest() == 0  # today's: tomorrow's digest
    tomorrow = timezone.now() + timedelta(days=1)
    assert notifications.digest(now=tomorrow) == 1
    n.refresh_from_db()
    d = Notification.objects.get(recipient=world.leader, kind="digest")
    assert not n.held and n.digest == d and d.link == f"/notifications/?digest={d.pk}"
    assert notifications.digest(now=tomorrow) == 0  # written once


@pytest.mark.django_db
def test_each_user_chooses_when_and_how(world, django_capture_on_commit_callbacks):
    world.member.email = "zheng@example.cn"
    world.member.save()
    core_services.notification_preferences_set(actor=world.member, choices={
        "update": {"mode": "off", "channels": []}, "work": {"mode": "instant", "channels": ["email", "sms"]}})
    t = world.ticket("in_progress")
    services.ticket_respond(actor=world.handler, ticket=t, note="进展")  # progress: only in the list
    n = Notification.objects.get(recipient=world.member)
    assert n.read_at is not None and not n.deliveries.exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.ticket_suspend(actor=world.handler, ticket=t, reason="请补充材料")  # to do: at once, by mail and SMS
    n = Notification.objects.get(recipient=world.member, event="tickets.ticket.suspended")
    by_channel = {d.channel: d for d in n.deliveries.all()}
    assert by_channel["email"].status == "sent" and len(mail.outbox) == 1 and mail.outbox[0].to == ["zheng@example.cn"]
    assert by_channel["sms"].status == "sent"  # recorded by the file backend (no gateway configured)


@pytest.mark.django_db
def test_a_failing_channel_is_retried_then_marked_failed_and_an_administrator_retries(world, settings,
                                                                                    django_capture_on_commit_callbacks):
    settings.NOTIFY_CHANNELS = {**settings.NOTIFY_CHANNELS, "wecom": {
        "backend": "yingshang.core.channels.WecomRobotBackend", "url": "http://127.0.0.1:9/unreachable"}}
    core_services.notification_preferences_set(actor=world.member, choices={
        "work": {"mode": "instant", "channels": ["wecom"]}})
    t = world.ticket("in_progress")
    with django_capture_on_commit_callbacks(execute=True):
        services.ticket_suspend(actor=world.handler, ticket=t, reason="请补充材料")
    d = Delivery.objects.get()
    assert (d.status, d.attempts) == ("pending", 1) and "Error" in d.last_error and d.next_attempt_at > timezone.now()
    later = timezone.now()
    for _i in range(notifications.MAX_ATTEMPTS):
        later += timedelta(hours=1)
        notifications.deliver(now=later)
    d.refresh_from_db()
    assert (d.status, d.attempts) == ("failed", notifications.MAX_ATTEMPTS)
    with pytest.raises(PermissionDenied):
        notifications.retry(actor=world.handler, delivery=d)
    with django_capture_on_commit_callbacks(execute=True):
        notifications.retry(actor=world.admin, delivery=d)
    d.refresh_from_db()
    assert d.status == "pending" and d.attempts == 1  # tried again at once (and failed again)


class _Hook(BaseHTTPRequestHandler):
    received = []

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        _Hook.received.append((self.path, json.loads(body), dict(self.headers)))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"errcode": 0, "errmsg": "ok"}')

    def log_message(self, *args):
        pass


@pytest.fixture
def hook_server():
    _Hook.received = []
    server = HTTPServer(("127.0.0.1", 0), _Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_robot_and_sms_backends_speak_their_protocols(hook_server):
    channels.WecomRobotBackend("wecom", url=f"{hook_server}/wecom?key=k").send(
        address="13900000001", title="问题已办结", link="http://zone/tickets/1/")
    channels.DingtalkRobotBackend("dingtalk", url=f"{hook_server}/ding?access_token=t", secret="SEC").send(
        address="13900000002", title="请签收", link="")
    channels.HttpSmsBackend("sms", url=f"{hook_server}/sms", key="K1").send(address="13900000003", title="催办",
                                                                             link="")
    (p1, wecom, _h1), (p2, ding, _h2), (p3, sms, h3) = _Hook.received
    assert p1 == "/wecom?key=k" and wecom["msgtype"] == "text" and wecom["text"]["mentioned_mobile_list"] == [
        "13900000001"] and "问题已办结" in wecom["text"]["content"]
    assert p2.startswith("/ding?access_token=t&timestamp=") and "&sign=" in p2 and ding["at"]["atMobiles"] == [
        "13900000002"]
    assert p3 == "/sms" and sms == {"phone": "13900000003", "text": "催办"} and h3["Authorization"] == "Bearer K1"
