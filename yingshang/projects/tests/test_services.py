from datetime import timedelta
from decimal import Decimal

import pytest

from yingshang.core.actions import IllegalTransition
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from yingshang.core import workdays
from yingshang.projects import services
from yingshang.projects.models import Event, Link, Project, Step

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def steps_of(p):
    return {s.code: s for s in Step.objects.filter(project=p)}


def test_a_project_from_the_general_template_is_scheduled(w):
    p = w.project(starts_on=today(), target_start=today() + timedelta(days=200),
                  target_production=today() + timedelta(days=700))
    assert p.number.startswith(f"XM-{today().year}-")
    s = steps_of(p)
    assert len(s) == 14 and Link.objects.filter(step__project=p).count() == 16
    first = workdays.add_workdays(today(), 0, provisional=True)
    assert s["L1"].early_start == first and s["L1"].early_finish == first  # committed: 1 working day
    assert s["L2"].early_start == workdays.add_workdays(s["L1"].early_finish, 1, provisional=True)
    # C1 waits for the drawings review and the three parallel approvals.
    assert s["C1"].early_start == workdays.add_workdays(max(s[c].early_finish for c in ("D3", "P1", "P2", "P3")), 1,
                                                        provisional=True)
    assert s["A1"].early_start == workdays.add_workdays(s["C1"].early_finish, 241, provisional=True)
    p.refresh_from_db()
    assert p.light == "yellow" and p.shortfall == 0 and p.finish == s["A2"].early_finish  # L1 is due at once
    # The approvals' own time along the longest chain (L1 → L2 → L3 → L4 → D1 → D2 → D3 → C1 → A1 → A2), without
    # the 240 working days of construction between the permit and the acceptance.
    assert (p.statutory_span, p.committed_span) == (20 + 20 + 40 + 20 + 20 + 20 + 20 + 15 + 30 + 30,
                                                    1 + 5 + 25 + 3 + 5 + 3 + 7 + 1 + 10 + 5)
    assert (p.next_name, p.next_on) == (s["L1"].name, s["L1"].early_finish)
    assert [e.action for e in p.events.all()] == ["projects.project.created", "projects.project.steps_generated"]


def test_land_start_issues_the_permits_the_day_after_the_land_is_handed_over(w):
    s = steps_of(w.project(template="land_start", starts_on=today()))
    handover = s["L3"].early_finish
    for code in ("L4", "D2", "C1"):
        assert s[code].early_start == workdays.add_workdays(handover, 1, provisional=True), code
    general = steps_of(w.project(starts_on=today()))
    assert general["C1"].early_start > s["C1"].early_start


def test_finishing_a_step_moves_its_successors_and_the_lights(w):
    start = workdays.add_workdays(today(), -30, provisional=True)
    p = w.project(starts_on=start, target_start=today() + timedelta(days=150),
                  target_production=today() + timedelta(days=700))
    p.refresh_from_db()
    assert p.light == "red"  # L1 should have been done 30 working days ago
    with pytest.raises(PermissionDenied):
        services.step_finish(actor=w.other_bureau_staff, step=steps_of(p)["L1"])
    with pytest.raises(PermissionDenied):
        services.step_finish(actor=w.member, step=steps_of(p)["L1"])
    services.step_finish(actor=w.bureau_staff, step=steps_of(p)["L1"], on=today(), note="备案证明 2026-xxxx")
    s = steps_of(p)
    assert s["L1"].status == "done" and s["L1"].actual_start == today() and s["L1"].handler == w.bureau_staff
    assert s["L2"].early_start == workdays.add_workdays(today(), 1, provisional=True)
    assert s["L2"].light in ("green", "yellow")
    # The planning bureau's handler may mark its own step, not the construction bureau's.
    services.step_start(actor=w.planner, step=s["L2"])
    with pytest.raises(PermissionDenied):
        services.step_start(actor=w.planner, step=s["P1"])
    with pytest.raises(IllegalTransition):  # already done
        services.step_finish(actor=w.bureau_staff, step=s["L1"])
    with pytest.raises(ValidationError, match="not before"):
        services.step_finish(actor=w.planner, step=s["L2"], on=today() + timedelta(days=1))
    assert [e.action for e in p.events.filter(step__isnull=False)] == ["projects.step.finished", "projects.step.started"]


def test_a_paused_project_is_not_shown_late(w):
    p = w.project(starts_on=workdays.add_workdays(today(), -30, provisional=True), stage="signed")
    p.refresh_from_db()
    assert p.light == "red"
    services.stage_change(actor=w.bureau_staff, project=p, to="paused", reason="企业融资未到位")
    p.refresh_from_db()
    assert p.light == "green" and steps_of(p)["L1"].light == "red"
    services.stage_change(actor=w.bureau_staff, project=p, to="approved")
    p.refresh_from_db()
    assert p.light == "red"


def test_a_step_late_against_the_target_turns_the_project_red(w):
    p = w.project(starts_on=today(), target_start=today() + timedelta(days=20),
                  target_production=today() + timedelta(days=40))
    p.refresh_from_db()
    assert p.light == "red" and p.shortfall > 0 and p.slack < 0
    assert Step.objects.filter(project=p, critical=True, code="A2").exists()


def test_a_link_that_closes_a_loop_is_refused_and_names_it(w):
    p = w.project(starts_on=today())
    s = steps_of(p)
    links = Link.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.link_set(actor=w.bureau_staff, step=s["L1"], predecessor=s["C1"])
    assert "L1" in str(exc.value) and "C1" in str(exc.value) and "loop" in str(exc.value)
    with pytest.raises(ValidationError, match="itself"):
        services.link_set(actor=w.bureau_staff, step=s["L1"], predecessor=s["L1"])
    with pytest.raises(PermissionDenied):
        services.link_set(actor=w.planner, step=s["P4"], predecessor=s["C1"])
    assert Link.objects.count() == links
    services.link_set(actor=w.bureau_staff, step=s["P4"], predecessor=s["C1"], lag=3)
    s = steps_of(p)
    assert s["P4"].early_start == workdays.add_workdays(s["C1"].early_finish, 4, provisional=True)
    services.link_remove(actor=w.bureau_staff, step=s["P4"], predecessor=s["C1"])
    assert Link.objects.filter(step=s["P4"], predecessor=s["C1"], active=False).exists()


def test_removing_a_step_keeps_it_and_frees_its_successors(w):
    p = w.project(starts_on=today())
    s = steps_of(p)
    with pytest.raises(ValidationError, match="reason"):
        services.step_remove(actor=w.bureau_staff, step=s["P3"], reason=" ")
    services.step_remove(actor=w.bureau_staff, step=s["P3"], reason="项目不涉及水土保持")
    s = steps_of(p)
    assert s["P3"].status == "removed"
    assert not Link.objects.filter(active=True, predecessor=s["P3"]).exists()
    services.step_finish(actor=w.bureau_staff, step=s["L1"])
    with pytest.raises(IllegalTransition):  # only a step not yet started can be removed
        services.step_remove(actor=w.bureau_staff, step=steps_of(p)["L1"], reason="x")


def test_adding_a_step(w):
    p = w.project(starts_on=today())
    s = steps_of(p)
    with pytest.raises(ValidationError, match="already has a step"):
        services.step_add(actor=w.bureau_staff, project=p, code="L1", name="重复", phase="parallel",
                          department=w.planning, statutory_days=5, committed_days=2)
    with pytest.raises(ValidationError):
        services.step_add(actor=w.bureau_staff, project=p, code="X1", name="", phase="parallel",
                          department=w.planning, statutory_days=0, committed_days=2)
    x = services.step_add(actor=w.bureau_staff, project=p, code="X1", name="消防设计审查", phase="permit",
                          department=w.construction, statutory_days=15, committed_days=5, after=[(s["D2"], 0)])
    x.refresh_from_db()
    assert x.early_start == workdays.add_workdays(s["D2"].early_finish, 1, provisional=True)
    assert p.events.filter(action="projects.step.added", step=x).exists()


def test_stage_changes_go_forward_pause_with_a_reason_and_are_events(w):
    p = w.project(template=None, stage="talks", stage_since=today() - timedelta(days=30))
    with pytest.raises(ValidationError, match="in advance"):
        services.stage_change(actor=w.bureau_staff, project=p, to="signed", on=today() + timedelta(days=1))
    services.stage_change(actor=w.bureau_staff, project=p, to="signed", on=today() - timedelta(days=10))
    with pytest.raises(ValidationError, match="go back"):
        services.stage_change(actor=w.bureau_staff, project=p, to="talks")
    with pytest.raises(ValidationError, match="reason"):
        services.stage_change(actor=w.bureau_staff, project=p, to="paused")
    services.stage_change(actor=w.bureau_staff, project=p, to="paused", reason="企业融资未到位")
    with pytest.raises(ValidationError, match="resumes"):
        services.stage_change(actor=w.bureau_staff, project=p, to="talks")
    with pytest.raises(PermissionDenied):
        services.stage_change(actor=w.other_bureau_staff, project=p, to="started")
    services.stage_change(actor=w.leader, project=p, to="started")
    p.refresh_from_db()
    assert (p.stage, p.stage_since, p.stage_reason) == ("started", today(), "")
    assert [(e.from_status, e.to_status) for e in p.events.filter(action="projects.project.stage_changed")] == [
        ("talks", "signed"), ("signed", "paused"), ("paused", "started")]
    services.stage_change(actor=w.bureau_staff, project=p, to="dropped", reason="企业战略调整")
    with pytest.raises(ValidationError, match="reopened"):
        services.stage_change(actor=w.bureau_staff, project=p, to="signed", reason="重新洽谈")
    services.stage_change(actor=w.bureau_staff, project=p, to="talks", reason="重新洽谈")


def test_an_official_registers_projects_only_for_what_they_will_manage(w):
    with pytest.raises(ValidationError, match="own bureau"):
        w.project(actor=w.planner)  # the planning bureau's handler: not the project's bureau
    with pytest.raises(ValidationError, match="own bureau"):
        w.project(actor=w.bureau_staff, bureau=w.other_bureau)
    assert not Project.objects.exists()
    assert w.project(actor=w.steward, bureau=w.other_bureau, steward=w.steward).steward == w.steward
    assert w.project(actor=w.leader, bureau=w.other_bureau).bureau == w.other_bureau


def test_bad_project_input_creates_nothing(w):
    with pytest.raises(ValidationError) as exc:
        w.project(investment=Decimal(0), investor=None, is_returned=True)
    assert set(exc.value.message_dict) == {"investment", "investor", "returned_from"}
    with pytest.raises(PermissionDenied):
        w.project(actor=w.member)
    assert not Project.objects.exists() and not Event.objects.exists()


def test_without_a_task_list_the_light_follows_the_next_target(w):
    p = w.project(template=None, stage="signed", target_start=today() - timedelta(days=1), target_production=None)
    p.refresh_from_db()
    assert p.light == "red" and p.next_on == today() - timedelta(days=1) and p.finish is None


def test_the_sweep_moves_the_lights_with_the_date_and_is_idempotent(w):
    p = w.project(starts_on=today(), target_start=today() + timedelta(days=300),
                  target_production=today() + timedelta(days=900))
    p.refresh_from_db()
    assert p.light in ("green", "yellow")
    later = today() + timedelta(days=60)
    assert services.projects_sweep(today=later) == {"rescheduled": 1}
    p.refresh_from_db()
    assert p.light == "red" and p.scheduled_on == later
    events = Event.objects.count()
    services.projects_sweep(today=later)
    assert Event.objects.count() == events
    # Steps whose stored schedule is gone (or stale) are written again, every field of every step.
    fields = ["code", *services.STEP_SCHEDULE_FIELDS]
    stored = sorted(p.steps.values_list(*fields))
    assert len(stored) == 14 and all(row[1] for row in stored)
    p.steps.update(early_start=None, late_finish=None, light="")
    services.projects_sweep(today=later)
    assert sorted(p.steps.values_list(*fields)) == stored


def test_update_records_what_changed(w):
    p = w.project(starts_on=today())
    with pytest.raises(PermissionDenied):
        services.project_update(actor=w.other_bureau_staff, project=p, power_kva=5000)
    services.project_update(actor=w.steward if p.steward_id == w.steward.pk else w.bureau_staff, project=p,
                            power_kva=5000, power_status="pending")
    e = p.events.get(action="projects.project.updated")
    assert "5000" in e.note and "to be arranged" in e.note and "pending" not in e.note  # a choice reads as its label
    with pytest.raises(ValidationError):
        services.project_update(actor=w.bureau_staff, project=p, target_start=today(), target_production=today() -
                                timedelta(days=1))


def test_finishing_a_step_costs_what_is_pinned(w, django_assert_num_queries):
    """The write path of a step marked done (caches warm): locks, the event, the reschedule of the project."""
    p = w.project()
    s = {x.code: x for x in Step.objects.filter(project=p)}
    services.step_finish(actor=w.bureau_staff, step=s["L1"])
    with django_assert_num_queries(9):
        services.step_finish(actor=w.bureau_staff, step=s["P2"])


def test_a_reopened_step_is_in_progress_again_without_its_finish(w):
    p = w.project()
    s = Step.objects.get(project=p, code="L1")
    services.step_finish(actor=w.bureau_staff, step=s)
    with pytest.raises(ValidationError):
        services.step_reopen(actor=w.bureau_staff, step=s, reason=" ")
    s = services.step_reopen(actor=w.bureau_staff, step=s, reason="批复文号有误")
    assert (s.status, s.actual_finish) == ("doing", None)
    assert p.events.filter(step=s).last().action == "projects.step.reopened"
    with pytest.raises(IllegalTransition):
        services.step_reopen(actor=w.bureau_staff, step=s, reason="再次")


def test_a_project_is_placed_on_the_map_with_both_coordinates_in_china(w):
    p = w.project(lng=Decimal("125.22"), lat=Decimal("43.86"))
    assert (p.lng, p.lat) == (Decimal("125.22"), Decimal("43.86"))
    for bad, field in (({"lng": Decimal("125.2"), "lat": None}, "lat"), ({"lng": Decimal("10"), "lat": Decimal("43")},
                                                                          "lng")):
        with pytest.raises(ValidationError) as exc:
            services.project_update(actor=w.bureau_staff, project=p, **bad)
        assert field in exc.value.message_dict
    p.refresh_from_db()
    assert (p.lng, p.lat) == (Decimal("125.220000"), Decimal("43.860000"))
