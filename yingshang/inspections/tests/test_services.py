from datetime import date, timedelta

import pytest

from yingshang.core.actions import IllegalTransition
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from yingshang.credit import services as credit_services
from yingshang.credit.models import MeasureApplication, Record
from yingshang.directory.tests.factories import DepartmentFactory, EnterpriseFactory
from yingshang.inspections import draw, services
from yingshang.inspections.models import Draw, Inspector, Item, Order, Plan, Relation, Visit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def w(make_user):
    credit_services.defaults_ensure()
    market = DepartmentFactory(code="market", name="市场监督管理局")
    fire = DepartmentFactory(code="fire", name="消防救援大队")
    firms = [EnterpriseFactory() for _ in range(40)]
    member = make_user("enterprise", enterprise=firms[0])
    head = make_user("dept_head", department=market)
    handler = make_user("handler", department=market)
    other_head = make_user("dept_head", department=fire)
    inspectors = []
    for dept, prefix in ((market, "MKT"), (fire, "FIR")):
        for i in range(4):
            u = make_user("inspector", department=dept)
            inspectors.append(Inspector.objects.create(user=u, name=u.get_full_name(), department=dept,
                                                       certificate=f"22{prefix}{i:04d}"))
    items = [Item.objects.create(department=market, code="SC-01", name="营业执照规范使用情况"),
             Item.objects.create(department=fire, code="XF-01", name="消防设施完好有效情况")]

    class W:
        pass

    x = W()
    x.__dict__.update(market=market, fire=fire, firms=firms, member=member, head=head, handler=handler,
                      other_head=other_head, inspectors=inspectors, items=items)
    return x


def plan(w, **kw):
    today = timezone.localdate()
    args = dict(actor=w.handler, name="2026年第一批双随机联合抽查", lead_department=w.market,
                departments=[w.market, w.fire], items=w.items, starts_on=today, ends_on=today + timedelta(days=60),
                ratios={"A": "1", "B": "0.25", "C": "1", "D": "1"})
    args.update(kw)
    return services.plan_create(**args)


def drawn(w, seed="31415926535897932384"):
    p = plan(w)
    services.plan_approve(actor=w.head, plan=p)
    d = services.pools_freeze(actor=w.handler, plan=p)
    return p, services.draw_run(actor=w.handler, draw=d, seed=seed, note="管委会三楼会议室，两名见证人")


def test_plan_bad_input(w):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as exc:
        plan(w, ends_on=today - timedelta(days=1), ratios={"A": "1.5"}, items=[])
    assert {"ends_on", "items", "ratios"} <= set(exc.value.message_dict)
    with pytest.raises(ValidationError, match="not taking part"):
        plan(w, departments=[w.market])
    with pytest.raises(PermissionDenied):
        plan(w, actor=w.member)
    assert not Plan.objects.exists()


def test_approval_by_the_lead_departments_head_only(w):
    p = plan(w)
    with pytest.raises(PermissionDenied):
        services.plan_approve(actor=w.other_head, plan=p)
    with pytest.raises(PermissionDenied):
        services.plan_approve(actor=w.handler, plan=p)
    with pytest.raises(IllegalTransition):  # not approved yet
        services.pools_freeze(actor=w.handler, plan=p)
    services.plan_approve(actor=w.head, plan=p)
    assert Plan.objects.get().status == "approved"


def test_freeze_draw_and_the_published_record_verifies(w):
    p, d = drawn(w)
    assert d.firms_hash == draw.pool_hash(d.firms) and len(d.firms) == 40
    assert d.record["meta"]["plan"] == p.number and d.seed_source == "witnesses"
    assert draw.verify(d.record) is None
    visits = list(Visit.objects.filter(draw=d).prefetch_related("inspectors__department"))
    assert len(visits) == len(d.record["assignments"]) == 10  # a quarter of 40 class-B firms
    for v in visits:
        assert {i.department.code for i in v.inspectors.all()} == {"market", "fire"}
    with pytest.raises(IllegalTransition):  # a seed is fixed once used
        services.draw_run(actor=w.handler, draw=d, seed="1")


def test_a_pool_change_after_freezing_is_refused(w):
    p = plan(w)
    services.plan_approve(actor=w.head, plan=p)
    d = services.pools_freeze(actor=w.handler, plan=p)
    Relation.objects.create(inspector=w.inspectors[0], enterprise=w.firms[3], reason="亲属在该企业任职")
    with pytest.raises(ValidationError, match="changed after freezing"):
        services.draw_run(actor=w.handler, draw=d, seed="42")
    assert Draw.objects.get(pk=d.pk).seed == "" and not Visit.objects.exists()


def test_pools_changed_after_freezing_are_frozen_again_with_a_reason(w):
    p = plan(w)
    services.plan_approve(actor=w.head, plan=p)
    d = services.pools_freeze(actor=w.handler, plan=p)
    Relation.objects.create(inspector=w.inspectors[0], enterprise=w.firms[3], reason="亲属在该企业任职")
    with pytest.raises(ValidationError, match="reason"):
        services.pools_freeze(actor=w.handler, plan=p)
    d2 = services.pools_freeze(actor=w.handler, plan=p, reason="回避关系更新")
    assert Draw.objects.get(pk=d.pk).status == "superseded" and d2.sequence == 2
    d2 = services.draw_run(actor=w.handler, draw=d2, seed="42")
    assert d2.status == "drawn" and Visit.objects.filter(draw=d2).exists()


def test_no_result_while_a_redraw_is_pending_and_no_redraw_after_an_inspection(w):
    p, d = drawn(w)
    v = Visit.objects.filter(draw=d).first()
    inspector = v.inspectors.first().user
    pending = services.pools_freeze(actor=w.handler, plan=p, reason="见证人未到场")
    with pytest.raises(ValidationError, match="re-drawn"):
        services.result_record(actor=inspector, visit=v, item=w.items[0], outcome="ok")
    assert not v.results.exists()
    # The pending draw is frozen again after the old draw's visit was (wrongly) completed elsewhere:
    Visit.objects.filter(pk=v.pk).update(status=Visit.Status.CLOSED)
    with pytest.raises(ValidationError, match="carried out"):
        services.draw_run(actor=w.handler, draw=pending, seed="7")
    assert Draw.objects.get(pk=pending.pk).seed == ""


def test_a_system_seed_has_twenty_digits(w):
    p = plan(w)
    services.plan_approve(actor=w.head, plan=p)
    d = services.draw_run(actor=w.handler, draw=services.pools_freeze(actor=w.handler, plan=p))
    assert d.seed.isdigit() and len(d.seed) == 20 and d.seed_source == "system"


def test_a_redraw_needs_a_reason_and_supersedes(w):
    p, d = drawn(w)
    with pytest.raises(ValidationError, match="reason"):
        services.pools_freeze(actor=w.handler, plan=p)
    d2 = services.draw_run(actor=w.handler, draw=services.pools_freeze(actor=w.handler, plan=p, reason="见证人未到场"),
                           seed="271828")
    assert Draw.objects.get(pk=d.pk).status == "superseded" and d2.sequence == 2 and d2.record["meta"]["reason"]


def test_the_class_drives_sampling_and_the_measure_is_logged(w):
    credit_services.record_create(actor=None, enterprise=w.firms[5], kind="serious_dishonest", department=w.market,
                                  decision_number="X-1", decided_on=timezone.localdate(), description="严重违法")
    p, d = drawn(w)
    assert {"id": f"ENT:{w.firms[5].uscc}", "grade": "D"} in [{k: f[k] for k in ("id", "grade")}
                                                             for f in d.record["firms"]]
    log = MeasureApplication.objects.get(enterprise=w.firms[5])
    assert (log.measure.code, log.context, log.grade) == ("raise-sampling", "inspections.draw", "D")


def test_results_orders_credit_and_publication(w, django_capture_on_commit_callbacks):
    p, d = drawn(w)
    v = Visit.objects.filter(draw=d).first()
    inspector = v.inspectors.first().user
    with pytest.raises(PermissionDenied):
        services.result_record(actor=w.inspectors[-1].user if w.inspectors[-1] not in v.inspectors.all() else w.member,
                               visit=v, item=w.items[0], outcome="ok")
    with pytest.raises(ValidationError, match="rectified"):
        services.result_record(actor=inspector, visit=v, item=w.items[1], outcome="ordered")
    services.result_record(actor=inspector, visit=v, item=w.items[0], outcome="ok")
    with pytest.raises(ValidationError, match="every item"):
        services.visit_complete(actor=inspector, visit=v)
    services.result_record(actor=inspector, visit=v, item=w.items[1], outcome="ordered", note="灭火器过期",
                           requirement="更换过期灭火器", workdays_to_rectify=5, on=date(2026, 9, 29))
    order = Order.objects.get(visit=v)
    # Five working days across the National Day holiday: 9-30, 10-8, 10-9, 10-10 (a make-up Saturday), 10-12.
    assert order.due_on == date(2026, 10, 12)
    services.visit_complete(actor=inspector, visit=v)
    v.refresh_from_db()
    assert v.status == "done" and v.publish_due is not None
    rec = Record.objects.get(enterprise=v.enterprise)
    assert (rec.kind, rec.severity, rec.department, rec.origin) == ("inspection", "minor", w.fire, "inspection")
    member = w.member if v.enterprise == w.firms[0] else None
    if member is None:
        from yingshang.directory.models import EnterpriseMember

        EnterpriseMember.objects.create(user=w.member, enterprise=v.enterprise)
    with pytest.raises(ValidationError, match="evidence"):
        services.order_submit(actor=w.member, order=order, note="已更换")
    services.order_submit(actor=w.member, order=order, note="已更换全部灭火器",
                          evidence=SimpleUploadedFile("更换记录.jpg", b"\xff\xd8jpeg", content_type="image/jpeg"))
    with pytest.raises(ValidationError):
        services.order_verify(actor=inspector, order=order, accept=True, note="")
    services.order_verify(actor=inspector, order=order, accept=True, note="复查合格")
    v.refresh_from_db()
    assert v.status == "closed"
    assert services.plan_publish(actor=w.handler, plan=p) == 1
    assert services.plan_publish(actor=w.handler, plan=p) == 0


def test_late_publication_is_flagged_once_a_day(w):
    p, d = drawn(w)
    v = Visit.objects.filter(draw=d).first()
    inspector = v.inspectors.first().user
    for item in w.items:
        services.result_record(actor=inspector, visit=v, item=item, outcome="ok")
    services.visit_complete(actor=inspector, visit=v)
    later = timezone.localdate() + timedelta(days=60)
    assert services.inspections_sweep(today=later) == {"late plans": 1}
    assert services.inspections_sweep(today=later) == {"late plans": 0}


def test_recently_inspected_firms_and_last_inspectors_enter_the_next_pool(w):
    p, d = drawn(w)
    v = Visit.objects.filter(draw=d).first()
    inspector = v.inspectors.first().user
    for item in w.items:
        services.result_record(actor=inspector, visit=v, item=item, outcome="ok")
    services.visit_complete(actor=inspector, visit=v)
    p2 = plan(w, name="第二批")
    services.plan_approve(actor=w.head, plan=p2)
    d2 = services.pools_freeze(actor=w.handler, plan=p2)
    entry = next(f for f in d2.firms if f["id"] == f"ENT:{v.enterprise.uscc}")
    assert entry["recent"] is True
    assert entry["last"] == sorted(f"INS:{i.certificate}" for i in v.inspectors.all())


def test_campaign_checks_hazards_and_statistics(w):
    today = timezone.localdate()
    c = services.campaign_create(actor=w.handler, name="消防安全专项排查", sector="fire", department=w.fire,
                                 starts_on=today - timedelta(days=30), ends_on=today + timedelta(days=30))
    with pytest.raises(ValidationError):
        services.check_record(actor=w.handler, campaign=c, enterprise=w.firms[0], checked_on=today, checkers="",
                              hazards=[{"description": "", "level": "huge", "workdays": 0}])
    with pytest.raises(PermissionDenied):
        services.check_record(actor=w.member, campaign=c, enterprise=w.firms[0], checked_on=today, checkers="x",
                              hazards=[])
    services.check_record(actor=w.handler, campaign=c, enterprise=w.firms[0], checked_on=today, checkers="甲、乙",
                          hazards=[{"description": "疏散通道堵塞", "level": "general", "workdays": 5},
                                   {"description": "喷淋系统停用", "level": "major", "workdays": 20}])
    services.check_record(actor=w.handler, campaign=c, enterprise=w.firms[1], checked_on=today, checkers="甲、乙",
                          hazards=[])
    general = c.checks.get(enterprise=w.firms[0]).hazards.get(level="general")
    services.hazard_rectify(actor=w.handler, hazard=general, rectification="已清理")
    with pytest.raises(ValidationError):
        services.hazard_rectify(actor=w.handler, hazard=general, rectification="再次")
    from yingshang.inspections import selectors

    s = selectors.campaign_statistics()
    assert s["overall"] == {"checks": 2, "found": 2, "major": 1, "rectified": 1, "major_open": 1, "rate": 50.0}
    assert [(r["sector"], r["checks"], r["found"]) for r in s["by_sector"]] == [("fire", 2, 2)]
    assert s["by_month"][0]["checks"] == 2


def test_the_seed_is_stored_exactly_as_given_and_fixed_counts_apply(w):
    p = plan(w, counts={"B": 3})
    services.plan_approve(actor=w.head, plan=p)
    d = services.draw_run(actor=w.handler, draw=services.pools_freeze(actor=w.handler, plan=p), seed=" 0042 1729 ")
    assert d.seed == " 0042 1729 " and d.record["seed"] == " 0042 1729 "
    assert d.record["strata"]["B"]["count"] == 3 and d.record["rules"]["strata"]["B"] == {"count": 3}
    assert draw.verify(d.record) is None
    p2 = plan(w, name="空种子")
    services.plan_approve(actor=w.head, plan=p2)
    with pytest.raises(ValidationError):
        services.draw_run(actor=w.handler, draw=services.pools_freeze(actor=w.handler, plan=p2), seed="   ")


def test_statistics_for_a_period_and_visits_saved(w):
    from yingshang.inspections import selectors

    p, d = drawn(w)
    s = selectors.statistics()
    assert (s["plans"], s["joint"], s["firms_drawn"]) == (1, 1, 10)
    assert s["visits_saved"] == 10  # two departments, one visit each firm instead of two
    assert s["inspector_visits"] == 20
    later = p.starts_on + timedelta(days=1)
    assert selectors.statistics(date_from=later)["plans"] == 0


def test_a_visits_results_are_checked_before_anything_is_written(w):
    from yingshang.inspections.models import Result

    p, d = drawn(w)
    v = Visit.objects.filter(draw=d).first()
    inspector = v.inspectors.first().user
    stranger = Item.objects.create(department=w.market, code="SC-99", name="不在本计划的事项")
    for kwargs, field in ((dict(item=stranger, outcome="ok"), "item"),
                          (dict(item=w.items[0], outcome="excellent"), "outcome"),
                          (dict(item=w.items[0], outcome="ordered"), "requirement"),
                          (dict(item=w.items[0], outcome="ordered", requirement="整改", workdays_to_rectify=None),
                           "requirement")):
        with pytest.raises(ValidationError) as exc:
            services.result_record(actor=inspector, visit=v, **kwargs)
        assert field in exc.value.message_dict
    assert not Result.objects.exists() and not Order.objects.exists()
    services.result_record(actor=inspector, visit=v, item=w.items[0], outcome="ok")
    with pytest.raises(ValidationError, match="already recorded"):
        services.result_record(actor=inspector, visit=v, item=w.items[0], outcome="ok")
    with pytest.raises(ValidationError, match="every item"):
        services.visit_complete(actor=inspector, visit=v)
    assert Visit.objects.get(pk=v.pk).status == "inspecting"  # a first result moved it on
