"""The example client in docs/ (what a hotline's engineers run) against a live server: it transfers an order,
reads it back and its reconciliation, and signs exactly as the zone checks."""

import importlib.util
import json
from pathlib import Path

import pytest

from yingshang.interop import hotline, services

CLIENT = Path(__file__).resolve().parents[3] / "docs" / "hotline_client.py"


def _client():
    spec = importlib.util.spec_from_file_location("hotline_client", CLIENT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_example_client_signs_as_the_zone_checks():
    assert _client().sign("s" * 32, "1700000000", b'{"a": 1}') == hotline.signature("s" * 32, "1700000000",
                                                                                     b'{"a": 1}')


@pytest.mark.django_db(transaction=True)
def test_the_example_client_against_a_live_server(live_server, make_user, enterprise, monkeypatch, capsys):
    from yingshang.core import workdays
    from yingshang.core.services import calendar_seed_from_package
    from yingshang.tickets.models import Ticket
    from yingshang.tickets.services import categories_ensure_defaults

    calendar_seed_from_package()
    workdays.invalidate()
    categories_ensure_defaults()
    integrator, key = services.integrator_register(actor=make_user("admin"), name="12345", kind="hotline")
    monkeypatch.setenv("ZONE", live_server.url)
    monkeypatch.setenv("KEY", key)
    monkeypatch.setenv("SECRET", integrator.secret)
    client = _client()
    assert client.main(["send", "--order-code", "T-1", "--uscc", enterprise.uscc, "--content", "测试工单",
                        "--category", "城建"]) == 0
    status, body = capsys.readouterr().out.split(" ", 1)
    answer = json.loads(body)
    assert status == "201" and Ticket.objects.get(number=answer["ticket"]).channel == "hotline"
    assert client.main(["status", "T-1"]) == 0
    assert json.loads(capsys.readouterr().out.split(" ", 1)[1])["ticket"] == answer["ticket"]
    assert client.main(["reject", "T-1", "--reason", "未答复就退单"]) == 1  # not answered yet: 409
    assert "409" in capsys.readouterr().err
    from django.utils import timezone

    assert client.main(["reconciliation", "--day", timezone.localdate().isoformat()]) == 0
    assert json.loads(capsys.readouterr().out.split(" ", 1)[1])["received"] == 1
    monkeypatch.setenv("SECRET", "x" * 43)
    assert client.main(["status", "T-1"]) == 1 and "401" in capsys.readouterr().err
