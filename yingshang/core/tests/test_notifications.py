"""The notifications page: what is shown is read; the rest can be marked read at once, one's own only."""

import pytest

from yingshang.core import notifications
from yingshang.core.models import Notification


@pytest.mark.django_db
def test_the_page_reads_what_it_shows_and_offers_the_rest(client, make_user):
    me, other = make_user("handler"), make_user("handler")
    notifications.send(recipients=[me], title="first")
    for i in range(34):
        notifications.send(recipients=[me], title=f"n{i}")
    notifications.send(recipients=[other], title="someone else's")
    client.force_login(me)
    body = client.get("/notifications/").content.decode()
    assert Notification.objects.filter(recipient=me, read_at__isnull=True).count() == 5
    assert "其他页还有 5 条未读" in body and 'data-testid="read-all"' in body

    assert client.get("/notifications/read-all/").status_code == 405  # a change is a POST
    response = client.post("/notifications/read-all/")
    assert response.status_code == 302 and response.url == "/notifications/"
    assert not Notification.objects.filter(recipient=me, read_at__isnull=True).exists()
    assert Notification.objects.get(recipient=other).read_at is None
    body = client.get("/notifications/").content.decode()
    assert "已将 5 条消息标为已读" in body and 'data-testid="read-all"' not in body
