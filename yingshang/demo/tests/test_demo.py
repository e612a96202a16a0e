import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from yingshang.core import roles
from yingshang.core.uscc import is_valid_uscc
from yingshang.demo import world
from yingshang.directory.models import Department, Enterprise, EnterpriseGroup


def every_table() -> dict[str, str]:
    """A fingerprint of every row of every table: a second load must change none of them."""
    import hashlib

    from django.apps import apps

    out = {}
    for model in apps.get_models(include_auto_created=True):
        rows = model.objects.order_by("pk").values_list()
        out[model._meta.db_table] = hashlib.sha256(repr(list(rows)).encode()).hexdigest()
    return out


@pytest.mark.django_db
def test_the_demo_world_is_the_zone_of_the_article_and_loading_twice_changes_nothing(settings):
    settings.DEBUG = True
    world.load()
    first = every_table()
    world.load()
    second = every_table()
    assert [t for t in first if first[t] != second[t]] == []
    assert Department.objects.filter(kind=Department.Kind.BUREAU).count() == 9
    faw = EnterpriseGroup.objects.get(short_name="中国一汽")
    names = set(faw.enterprises.values_list("name", flat=True))
    assert {"一汽红旗汽车有限公司", "一汽解放集团股份有限公司", "中国第一汽车集团有限公司研发总院", "一汽物流有限公司"} <= names
    assert Enterprise.objects.filter(name="吉林玲珑轮胎有限公司", is_returned=True).exists()
    assert Enterprise.objects.count() >= 200
    assert all(is_valid_uscc(code) for code in Enterprise.objects.values_list("uscc", flat=True))
    # every role has an account, and demo accounts log in with the demo password in DEBUG
    User = get_user_model()
    for role in roles.ROLES:
        assert User.objects.filter(groups__name=role).exists(), role
    assert User.objects.get(username="leader").check_password(settings.DEMO_PASSWORD)
    # every firm with a bureau has a current leader and steward
    assert not Enterprise.objects.filter(bureau__isnull=False).exclude(stewardships__ended_on__isnull=True).exists()


@pytest.mark.django_db
def test_without_debug_demo_accounts_get_no_password(settings):
    settings.DEBUG = False
    world.load(history=False)
    assert not get_user_model().objects.get(username="leader").has_usable_password()


@pytest.mark.django_db
def test_scale_adds_that_many_valid_firms(capsys):
    world.load(history=False)
    before = Enterprise.objects.count()
    call_command("demo", "--scale", "500", "--quiet-accounts")
    call_command("demo", "--scale", "300", "--quiet-accounts")
    assert Enterprise.objects.count() == before + 800
    assert all(is_valid_uscc(c) for c in Enterprise.objects.values_list("uscc", flat=True))
    assert "generated enterprises: 300 of 300" in capsys.readouterr().out
    from yingshang.tickets.models import Ticket

    from yingshang.tickets.models import TicketEvent

    before = Ticket.objects.count()
    call_command("demo", "--scale", "300", "--only", "tickets", "--quiet-accounts")
    assert Ticket.objects.count() == before + 300 >= 1100  # --scale adds as many problems too
    generated = Ticket.objects.order_by("-pk")[:300]
    # (PostgreSQL's COPY: the keys are taken from the sequence beforehand, so each event is its problem's.)
    assert {e.ticket_id for e in TicketEvent.objects.filter(ticket__in=generated, action="tickets.ticket.registered")} \
        == {t.pk for t in generated}
    assert all(t.number and t.title and t.status for t in generated)


@pytest.mark.django_db
def test_the_demo_credit_and_inspections(settings):
    from yingshang.credit import selectors as credit
    from yingshang.credit.models import ListEntry, Record
    from yingshang.inspections import draw
    from yingshang.inspections.models import Campaign, Draw, Plan, Visit

    world.load(history=False)
    state = (Record.objects.count(), ListEntry.objects.count(), Plan.objects.count(), Visit.objects.count(),
             Campaign.objects.count())
    world.load(history=False)
    assert (Record.objects.count(), ListEntry.objects.count(), Plan.objects.count(), Visit.objects.count(),
            Campaign.objects.count()) == state
    assert all(n > 0 for n in credit.distribution().values())  # every class is populated
    assert {"red", "black"} == set(ListEntry.objects.filter(status="active").values_list("kind", flat=True))
    assert Visit.objects.filter(published_at__isnull=False).exists()  # a completed, published task
    assert Visit.objects.filter(status="assigned").exists()  # and one under way
    assert all(draw.verify(d.record) is None for d in Draw.objects.exclude(record=None))


@pytest.mark.django_db
def test_the_demo_history_carries_the_days_of_its_story(settings):
    """Events, list entries, draws and publications are dated on the days the story has them happen, not
    at the moment the demo was loaded; an extension is decided after it was asked for."""
    from datetime import timedelta

    from django.utils import timezone

    from yingshang.credit.models import Event as CreditEvent
    from yingshang.credit.models import ListEntry, Record
    from yingshang.inspections.models import Draw
    from yingshang.inspections.models import Event as InspectionEvent
    from yingshang.projects.models import Event as ProjectEvent
    from yingshang.tickets.models import TicketEvent

    started = timezone.now()
    world.load()
    recent = timedelta(minutes=1)
    for model in (CreditEvent, InspectionEvent, ProjectEvent):
        at = sorted(model.objects.values_list("at", flat=True))
        assert at and at[-1] <= timezone.now()
        # the story spreads over months; at most today's sweep writes at the time of loading
        assert sum(1 for t in at if t >= started - recent) <= len(at) // 10, model
        assert (at[-1] - at[0]).days > 60, model
    # an automatic list entry begins on the day of the record that put the firm on the list
    auto = ListEntry.objects.filter(automatic=True).exclude(record=None).select_related("record")
    assert auto and all(e.starts_on >= e.record.decided_on for e in auto)
    assert all(e.starts_on < timezone.localdate() for e in auto if e.record.decided_on < timezone.localdate())
    # a public draw takes place before the plan's period begins
    for d in Draw.objects.exclude(drawn_at=None).select_related("plan"):
        assert timezone.localtime(d.drawn_at).date() <= d.plan.starts_on
    # project stages are entered by people, on the day they were reached
    stages = ProjectEvent.objects.filter(action="projects.project.stage_changed")
    assert stages.exclude(actor=None).exists()
    assert all(timezone.localtime(e.at).date() == e.on for e in stages if e.on)
    # an extension is decided after it was asked for
    asked = dict(TicketEvent.objects.filter(action="tickets.ticket.extension_requested").values_list("ticket", "at"))
    for ticket, at in TicketEvent.objects.filter(action__in=["tickets.ticket.extension_approved",
                                                             "tickets.ticket.extension_rejected"]) \
            .values_list("ticket", "at"):
        assert at > asked[ticket]
    assert Record.objects.exists()
