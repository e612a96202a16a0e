"""Visits, coverage, policies and their delivery, a firm's figures — through the services."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from yingshang.core.actions import IllegalTransition
from yingshang.core.models import Notification
from yingshang.service import selectors, services
from yingshang.service.models import Delivery, Event, Facts, Need, Visit
from yingshang.tickets.models import Ticket

TODAY = timezone.localdate


def _visit(w, actor=None, firm=None, **kw):
    values = {"visited_on": TODAY(), "form": "onsite", "discussion": "了解企业二季度生产经营情况"}
    values.update(kw)
    return services.visit_record(actor=actor or w.steward, enterprise=firm or w.firm, **values)


def test_a_visit_files_its_problems_in_the_ledger_in_the_same_step(world):
    w = world
    v = _visit(w, problems=[{"category": w.category, "title": "厂区双回路供电未接通"},
                            {"category": w.category, "title": "用电增容报装进度慢", "description": "新产线 10 月投产"}],
               needs=[{"kind": "power", "detail": "增容 2000 kVA"}, {"kind": "staff", "detail": "焊工 30 人"}],
               companions="王科长")
    assert v.number.startswith(f"ZF-{TODAY().year}-")
    tickets = list(v.problems.order_by("number"))
    assert [t.title for t in tickets] == ["厂区双回路供电未接通", "用电增容报装进度慢"]
    assert {t.channel for t in tickets} == {Ticket.Channel.STEWARD}
    assert {t.enterprise_id for t in tickets} == {w.firm.pk}
    assert sorted(Need.objects.filter(visit=v).values_list("kind", flat=True)) == ["power", "staff"]
    ev = Event.objects.get(visit=v, action="service.visit.recorded")
    assert ev.data["problems"] == [t.number for t in tickets]
    # the firm is told, and may confirm it
    assert Notification.objects.filter(recipient=w.member, event="service.visit.recorded").exists()


def test_a_bad_problem_rolls_the_whole_visit_back(world):
    w = world
    before = (Visit.objects.count(), Ticket.objects.count())
    w.category.active = False
    w.category.save()
    with pytest.raises(ValidationError):
        _visit(w, problems=[{"category": w.category, "title": "厂区道路积水"}])
    assert (Visit.objects.count(), Ticket.objects.count()) == before


def test_a_failing_registration_rolls_the_visit_back(world, monkeypatch):
    from yingshang.tickets import services as ticket_services

    w = world
    real = ticket_services.ticket_register
    calls = []

    def second_fails(**kw):
        calls.append(1)
        if len(calls) == 2:
            raise ValidationError({"title": "boom"})
        return real(**kw)

    monkeypatch.setattr("yingshang.service.services.visits.ticket_register", second_fails)
    before = (Visit.objects.count(), Ticket.objects.count())
    with pytest.raises(ValidationError):
        _visit(w, problems=[{"category": w.category, "title": "一"}, {"category": w.category, "title": "二"}])
    assert (Visit.objects.count(), Ticket.objects.count()) == before


def test_who_may_record_a_visit(world):
    w = world
    _visit(w, actor=w.leader, firm=w.far_firm)  # a leader visits any firm
    for actor in (w.other_steward, w.handler, w.member, w.inspector, w.supervisor):
        with pytest.raises(PermissionDenied):
            _visit(w, actor=actor)
    assert not Visit.objects.filter(author__in=[w.other_steward, w.handler]).exists()


def test_a_steward_paired_by_a_campaign_visits_and_files_for_that_firm(world):
    w = world
    c = w.campaign()
    with pytest.raises(PermissionDenied):
        _visit(w, actor=w.other_steward, campaign=c)
    services.campaign_assign(actor=w.leader, campaign=c, enterprise=w.firm, official=w.other_steward)
    v = _visit(w, actor=w.other_steward, campaign=c, problems=[{"category": w.category, "title": "缺少停车位"}])
    assert v.problems.get().raised_by == w.other_steward
    with pytest.raises(ValidationError):  # a firm outside the campaign's scope
        services.campaign_assign(actor=w.leader, campaign=c, enterprise=w.far_firm, official=w.other_steward)
    with pytest.raises(PermissionDenied):
        services.campaign_assign(actor=w.steward, campaign=c, enterprise=w.firm, official=w.steward)


def test_coverage_counts_firms_visited_over_firms_in_scope(world):
    w = world
    c = w.campaign()
    cov = selectors.campaign_coverage(c)
    assert (cov["firms"], cov["visited"], cov["rate"]) == (2, 0, 0.0)  # the far firm is another bureau's
    _visit(w, campaign=c)
    _visit(w, campaign=c, visited_on=TODAY() - timedelta(days=1))  # twice the same firm: still one firm
    _visit(w, firm=w.other_firm, actor=w.leader)  # outside the campaign: does not count
    cov = selectors.campaign_coverage(c)
    assert (cov["firms"], cov["visited"], cov["rate"], cov["visits"]) == (2, 1, 50.0, 2)
    by_official = {t["who"]: (t["firms"], t["visited"]) for t in cov["by_official"]}
    assert by_official == {w.steward: (1, 1), w.other_steward: (1, 0)}
    not_yet = [r["firm"] for r in cov["rows"] if not r["visited"]]
    assert not_yet == [w.other_firm]
    (bureau,) = cov["by_bureau"]
    assert (bureau["who"], bureau["rate"]) == (w.bureau, 50.0)


def test_a_campaign_visit_must_fall_in_its_period(world):
    w = world
    c = w.campaign(starts_on=TODAY() - timedelta(days=3), ends_on=TODAY() - timedelta(days=1))
    with pytest.raises(ValidationError):
        _visit(w, campaign=c)


def test_the_author_corrects_a_visit_for_one_working_day_then_only_annotates(world):
    w = world
    v = _visit(w)
    v = services.visit_edit(actor=w.steward, visit=v, version=v.version, visited_on=v.visited_on, form="phone",
                            discussion="电话了解用工需求", problems=[{"category": w.category, "title": "招工难"}])
    assert (v.form, v.version, v.problems.count()) == ("phone", 2, 1)
    with pytest.raises(ValidationError):  # an old version
        services.visit_edit(actor=w.steward, visit=v, version=1, visited_on=v.visited_on, form="onsite",
                            discussion="x")
    with pytest.raises(PermissionDenied):  # not the author
        services.visit_edit(actor=w.leader, visit=v, version=v.version, visited_on=v.visited_on, form="onsite",
                            discussion="x")
    Visit.objects.filter(pk=v.pk).update(editable_until=timezone.now() - timedelta(minutes=1))
    v.refresh_from_db()
    with pytest.raises(ValidationError):
        services.visit_edit(actor=w.steward, visit=v, version=v.version, visited_on=v.visited_on, form="onsite",
                            discussion="改")
    services.visit_annotate(actor=w.steward, visit=v, note="补记：企业已自行解决招工")
    assert Event.objects.filter(visit=v, action="service.visit.annotated", public=False).count() == 1
    with pytest.raises(PermissionDenied):
        services.visit_annotate(actor=w.member, visit=v, note="x")


def test_the_editing_window_ends_with_the_next_working_day(world):
    from yingshang.core import workdays

    w = world
    v = _visit(w)
    assert timezone.localtime(v.editable_until).date() == workdays.add_workdays(
        timezone.localtime(v.created_at).date(), 1, provisional=True)


def test_the_firm_confirms_its_own_visit_once(world):
    w = world
    v = _visit(w)
    with pytest.raises(PermissionDenied):
        services.visit_confirm(actor=w.other_member, visit=v)
    services.visit_confirm(actor=w.member, visit=v, comment="感谢走访")
    v.refresh_from_db()
    assert v.confirmed_by == w.member
    assert Notification.objects.filter(recipient=w.steward, event="service.visit.confirmed").exists()
    with pytest.raises(IllegalTransition):
        services.visit_confirm(actor=w.member, visit=v)


def test_photos_are_images_and_bounded(world):
    w = world
    photo = SimpleUploadedFile("现场.jpg", b"\xff\xd8\xff" + b"0" * 100, content_type="image/jpeg")
    v = _visit(w, photos=[photo])
    assert v.photos.count() == 1
    with pytest.raises(ValidationError):
        _visit(w, photos=[SimpleUploadedFile("纪要.docx", b"PK", content_type="application/octet-stream")])


def test_bad_visit_input_changes_nothing(world):
    w = world
    before = Visit.objects.count()
    for kw in ({"form": "telepathy"}, {"discussion": ""}, {"discussion": "a\x00b"},
               {"visited_on": TODAY() + timedelta(days=1)}, {"needs": [{"kind": "yachts"}]}):
        with pytest.raises(ValidationError):
            _visit(w, **kw)
    draft = w.policy(publish=False)
    with pytest.raises(ValidationError):
        _visit(w, policies=[draft])
    assert Visit.objects.count() == before


# --- policies ---------------------------------------------------------------------------------------------

SMALL_RD = {"all": [{"attr": "size", "op": "in", "value": ["small", "micro"]},
                    {"attr": "rd_share", "op": "gte", "value": "3"}]}


def test_matching_reads_the_firms_figures_and_follows_their_change(world):
    w = world
    p = w.policy(SMALL_RD)
    assert selectors.policy_matches(p) == []
    services.facts_set(actor=w.member, enterprise=w.firm, year=2025, revenue=Decimal("10000000"),
                       rd_expense=Decimal("200000"), headcount=80)
    mine = selectors.firm_policies(w.firm)
    assert mine["qualifies"] == []
    ((policy, short),) = mine["nearly"]
    assert policy == p and [(x.attr, x.actual) for x in short] == [("rd_share", Decimal("2.00"))]
    services.facts_set(actor=w.steward, enterprise=w.firm, year=2025, revenue=Decimal("10000000"),
                       rd_expense=Decimal("400000"), headcount=80)
    assert [f["id"] for f in selectors.policy_matches(p)] == [w.firm.pk]
    assert [q for q, _ in selectors.firm_policies(w.firm)["qualifies"]] == [p]
    assert Facts.objects.get(enterprise=w.firm, year=2025).entered_by == w.steward


def test_changing_a_policy_changes_who_qualifies(world):
    w = world
    p = w.policy({"all": [{"attr": "size", "op": "in", "value": ["small"]}]})
    assert {f["id"] for f in selectors.policy_matches(p)} == {w.firm.pk, w.far_firm.pk}
    values = {k: getattr(p, k) for k in services.POLICY_FIELDS}
    values["conditions"] = {"all": [{"attr": "size", "op": "in", "value": ["small"]},
                                    {"attr": "bureau", "op": "in", "value": [w.bureau.code]}]}
    p = services.policy_update(actor=w.head, policy=p, version=p.version, **values)
    assert {f["id"] for f in selectors.policy_matches(p)} == {w.firm.pk}
    assert Event.objects.get(policy=p, action="service.policy.changed").data["fields"] == ["conditions"]


def test_policy_rules(world):
    w = world
    for actor in (w.member, w.steward, w.handler, w.inspector):
        with pytest.raises(PermissionDenied):
            services.policy_create(actor=actor, title="x", issuer="y", effective_on=TODAY(), benefit="z",
                                   paying_department=w.dept)
    with pytest.raises(ValidationError) as exc:
        w.policy(conditions={"all": [{"attr": "colour", "op": "in", "value": ["red"]}]})
    assert "conditions" in exc.value.message_dict
    p = w.policy()
    with pytest.raises(IllegalTransition):
        services.policy_publish(actor=w.head, policy=p)
    services.policy_withdraw(actor=w.head, policy=p, reason="政策到期")
    with pytest.raises(IllegalTransition):
        services.policy_push(actor=w.head, policy=p)


def test_pushing_delivers_once_to_the_firms_that_qualify_and_tells_them(world):
    w = world
    p = w.policy({"all": [{"attr": "key", "op": "is", "value": True}]})
    assert services.policy_push(actor=w.head, policy=p) == 1
    assert list(Delivery.objects.filter(policy=p).values_list("enterprise_id", "via")) == [(w.other_firm.pk, "push")]
    assert Notification.objects.filter(recipient=w.other_member, event="service.policy.pushed").exists()
    assert not Notification.objects.filter(recipient=w.member, event="service.policy.pushed").exists()
    assert services.policy_push(actor=w.head, policy=p) == 0  # nobody twice


def test_a_policy_handed_over_on_a_visit_is_a_delivery(world):
    w = world
    p = w.policy()
    v = _visit(w, policies=[p, p])
    assert list(Delivery.objects.filter(policy=p).values_list("enterprise_id", "via", "visit_id")) == \
        [(w.firm.pk, "visit", v.pk)]


def test_facts_rules(world):
    w = world
    with pytest.raises(PermissionDenied):
        services.facts_set(actor=w.other_member, enterprise=w.firm, year=2025, revenue=Decimal(1))
    with pytest.raises(ValidationError):
        services.facts_set(actor=w.member, enterprise=w.firm, year=2999, revenue=Decimal(1))
    with pytest.raises(ValidationError):
        services.facts_set(actor=w.member, enterprise=w.firm, year=2025, revenue=Decimal(1), rd_expense=Decimal(2))
    assert not Facts.objects.exists()
