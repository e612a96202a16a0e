"""Races in 产业链与招商: an invitation signed and declined at once, signed twice, a supply relation confirmed by
one firm while the chain office ends it, a department's opinion given twice, a consultation concluded twice.
Exactly one wins, the other is told the record moved on, nothing is written twice — no second project.
PostgreSQL only (its row locks are what is tested)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from yingshang.chain import services
from yingshang.chain.models import Event, Relation
from yingshang.chain.tests.conftest import campaign, world  # noqa: F401 (the chain's world)
from yingshang.core.actions import IllegalTransition
from yingshang.projects.models import Project, Step

from .test_races import at_once

pytestmark = [pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's"),
              pytest.mark.django_db(transaction=True)]
MOVED_ON = (IllegalTransition, ValidationError, PermissionDenied)


def _one_won(results):
    assert sorted(r == "ok" for r in results) == [False, True], results
    assert isinstance(next(r for r in results if r != "ok"), MOVED_ON), results


def _invitation(w, campaign):  # noqa: F811
    t = services.target_add(actor=w.keeper, name="区外甲公司", region="江苏昆山")
    return services.invite(actor=w.recruiter, campaign=campaign, targets=[t])[0]


def _sign(w, inv, name):
    return lambda: services.invitation_sign(actor=w.recruiter, invitation=inv, project_name=name,
                                            investment=100_000_000, bureau=w.bureau, signed_on=date(2021, 9, 1))


def test_signed_and_declined_at_once(world, campaign):  # noqa: F811
    inv = _invitation(world, campaign)
    _one_won(at_once(_sign(world, inv, "甲项目"),
                     lambda: services.invitation_decline(actor=world.leader, invitation=inv, reason="放弃")))
    assert Event.objects.filter(invitation=inv, action__in=["chain.invitation.signed",
                                                            "chain.invitation.declined"]).count() == 1
    assert Project.objects.count() <= 1


def test_signed_twice_at_once_opens_one_project(world, campaign):  # noqa: F811
    inv = _invitation(world, campaign)
    _one_won(at_once(_sign(world, inv, "甲项目"), _sign(world, inv, "甲项目（重复）")))
    assert Project.objects.count() == 1
    assert Event.objects.filter(invitation=inv, action="chain.invitation.signed").count() == 1


def test_a_relation_confirmed_while_it_is_ended(world):  # noqa: F811
    r = services.relation_add(actor=world.keeper, supplier=world.tier1, customer=world.plant, product="缸体")
    results = at_once(lambda: services.relation_confirm(actor=world.member, relation=r),
                      lambda: services.relation_end(actor=world.keeper, relation=r, reason="停供"))
    assert results.count("ok") >= 1
    r = Relation.objects.get(pk=r.pk)
    events = list(r.events.order_by("pk").values_list("action", "to_status"))
    assert r.version == len(events)  # every change counted once, in the order the locks gave
    assert events[-1][1] == r.status


def test_an_opinion_given_twice_and_a_consultation_concluded_twice(world, make_user):  # noqa: F811
    from yingshang.core import workdays
    from yingshang.core.services import calendar_seed_from_package
    from yingshang.projects import services as projects

    calendar_seed_from_package()  # a transactional test starts from empty tables
    workdays.invalidate()
    p = projects.project_create(actor=world.leader, name="缸体配套项目", investor=world.tier1, bureau=world.bureau,
                                investment=300_000_000, stage="signed")
    site = services.site_add(actor=world.keeper, name="地块", lng=125.2, lat=43.8, area_mu=10, land_status="clean")
    c = services.consultation_convene(actor=world.leader, project=p, meets_on=timezone.localdate(), sites=[site],
                                      departments=[world.office])
    o = c.opinions.get()
    second = make_user("dept_head", department=world.office)
    _one_won(at_once(
        lambda: services.opinion_give(actor=world.keeper, opinion=o, view="conditional", text="甲", conditions="条件一"),
        lambda: services.opinion_give(actor=second, opinion=o, view="agree", text="乙")))
    assert Event.objects.filter(consultation=c, action="chain.consultation.opinion_given").count() == 1
    _one_won(at_once(
        lambda: services.consultation_conclude(actor=world.leader, consultation=c, site=site, conclusion="甲"),
        lambda: services.consultation_conclude(actor=world.admin, consultation=c, site=site, conclusion="乙")))
    assert Event.objects.filter(consultation=c, action="chain.consultation.concluded").count() == 1
    assert Step.objects.filter(project=p, code__startswith=f"XZ{c.pk}-").count() <= 1
