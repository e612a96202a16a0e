"""Raising a problem as a firm's staff would: files chosen survive a form error, an oversized request is refused
before it is read, the accepted types are said exactly, and the firm's similar open problems are shown while the
title is typed."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from yingshang.core import uploads
from yingshang.tickets import services, similarity
from yingshang.tickets.models import Attachment, Ticket


def _post(world, **extra):
    return {"enterprise": world.firm.pk, "category": world.category.pk, "title": "厂区停电", "description": "昨晚起停电",
            "urgency": "normal", **extra}


@pytest.mark.django_db
def test_the_files_chosen_survive_a_form_error_and_are_sent_with_the_problem(client, world):
    client.force_login(world.member)
    photo = SimpleUploadedFile("现场.jpg", b"\xff\xd8\xff photo", content_type="image/jpeg")
    exe = SimpleUploadedFile("tool.exe", b"MZ", content_type="application/octet-stream")
    response = client.post("/tickets/new/", _post(world, title="", attachments=[photo, exe]))
    assert response.status_code == 400 and Ticket.objects.count() == 0
    kept = response.context["kept_files"]
    assert [k["name"] for k in kept] == ["现场.jpg"]  # the refused one is not kept
    assert 'data-testid="kept-files"' in response.content.decode()
    response = client.post("/tickets/new/", _post(world, kept=[kept[0]["token"]]))
    t = Ticket.objects.get()
    assert response.status_code == 302
    att = t.attachments.get()
    with att.file.open("rb") as f:
        assert att.name == "现场.jpg" and f.read() == b"\xff\xd8\xff photo" and att.size == len(b"\xff\xd8\xff photo")
    assert uploads.kept(world.member, [kept[0]["token"]]) == []  # the kept copy is gone once it was used


@pytest.mark.django_db
def test_a_kept_file_of_another_person_or_a_forged_token_is_ignored(client, world):
    client.force_login(world.member)
    photo = SimpleUploadedFile("a.jpg", b"\xff\xd8 a", content_type="image/jpeg")
    token = client.post("/tickets/new/", _post(world, title="", attachments=[photo])).context["kept_files"][0]["token"]
    client.force_login(world.other_member)
    client.post("/tickets/new/", {**_post(world, kept=[token, "forged:token"]), "enterprise": world.other_firm.pk})
    assert Attachment.objects.count() == 0 and Ticket.objects.get().enterprise == world.other_firm
    assert len(uploads.kept(world.member, [token])) == 1  # still the first person's


@pytest.mark.django_db
def test_a_file_input_offers_exactly_the_accepted_types_and_the_limits(client, world):
    client.force_login(world.member)
    page = client.get("/tickets/new/").content.decode()
    assert f'accept="{uploads.accept_attribute()}"' in page and f'data-max-bytes="{uploads.MAX_FILE_BYTES}"' in page
    assert 'data-max-count="20"' in page and "20" in uploads.types_hint(20) and "xlsx" in uploads.types_hint(20)
    assert uploads.types_hint(20) in page


@pytest.mark.django_db
def test_a_request_over_the_body_limit_is_refused_before_it_is_read(client, world, settings):
    client.force_login(world.member)
    settings.MAX_REQUEST_BYTES = 1000
    photo = SimpleUploadedFile("big.jpg", b"x" * 2000, content_type="image/jpeg")
    response = client.post("/tickets/new/", _post(world, attachments=[photo]))
    assert response.status_code == 413 and 'data-testid="too-large"' in response.content.decode()
    photo = SimpleUploadedFile("big.jpg", b"x" * 2000, content_type="image/jpeg")
    response = client.post("/api/v1/tickets/", _post(world, attachments=[photo]))
    assert response.status_code == 413 and response.json()["code"] == "too_large"
    assert Ticket.objects.count() == 0


def test_titles_are_alike_by_their_pairs_of_characters():
    assert similarity.score("园区道路积水", "厂区门口道路积水严重") >= 0.6
    assert similarity.score("园区道路积水", "申请人才公寓") == 0
    assert similarity.score("", "道路") == 0
    rows = similarity.most_similar("道路积水", ["申请人才公寓", "门口道路积水", "积水"], limit=2)
    assert rows[0] == "门口道路积水" and "申请人才公寓" not in rows


@pytest.mark.django_db
def test_similar_open_problems_of_the_firm_are_shown_while_typing(client, world):
    services.ticket_register(actor=world.member, enterprise=world.firm, category=world.category,
                             title="厂区门口道路积水严重", description="d")
    services.ticket_register(actor=world.other_member, enterprise=world.other_firm, category=world.category,
                             title="道路积水", description="d")
    client.force_login(world.member)
    response = client.get("/tickets/new/similar/", {"enterprise": world.firm.pk, "title": "道路积水"})
    page = response.content.decode()
    assert response.status_code == 200 and "厂区门口道路积水严重" in page and 'data-testid="similar"' in page
    # another firm's problems are never suggested, even when its id is sent
    page = client.get("/tickets/new/similar/", {"enterprise": world.other_firm.pk, "title": "道路积水"}).content
    assert "道路积水".encode() not in page
    assert client.get("/tickets/new/similar/", {"enterprise": "x1", "title": "道路"}).status_code == 400
    client.force_login(world.handler)  # a department's handler does not raise problems
    assert client.get("/tickets/new/similar/", {"enterprise": world.firm.pk, "title": "道路"}).status_code == 403
