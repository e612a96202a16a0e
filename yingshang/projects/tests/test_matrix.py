"""Every action of projects' table × every role (``actions.py``): who may change a project and its task
list, and a refused change writes nothing. A new action without an expectation here fails."""

import pytest
from django.core.exceptions import PermissionDenied

from yingshang.projects import services
from yingshang.projects.actions import projects as TABLE
from yingshang.projects.models import Event, Link, Project, Step

pytestmark = pytest.mark.django_db
ROLES = ["bureau_staff", "other_bureau_staff", "planner", "builder", "leader", "steward", "admin", "member"]
MANAGE = {"bureau_staff", "leader", "steward", "admin"}
ALLOWED = {
    "stage": MANAGE, "add_step": MANAGE, "remove": MANAGE, "link": MANAGE, "unlink": MANAGE,
    # A step's own department may mark it and change it, besides those who manage the project.
    "start": MANAGE | {"planner"}, "done": MANAGE | {"planner"}, "update_step": MANAGE | {"planner"},
    "reopen": MANAGE | {"planner"},
}


def _step(p, code):
    return Step.objects.select_related("project").get(project=p, code=code)


def bring(w, name):
    """The project (steward: ``w.steward``) or one of its planning bureau's steps, in the state the action needs."""
    p = w.project(steward=w.steward)
    if name in ("stage", "add_step"):
        return Project.objects.get(pk=p.pk)
    l1 = _step(p, "L1")
    services.step_finish(actor=w.admin, step=l1)
    s = _step(p, "L2")  # 用地预审 (the planning bureau's), waiting for L1
    if name == "reopen":
        services.step_finish(actor=w.admin, step=s)
    if name == "unlink":
        services.link_set(actor=w.admin, step=s, predecessor=_step(p, "P2"))
    return _step(p, "L2")


def call(w, name, actor, obj):
    p = obj if isinstance(obj, Project) else obj.project
    if name == "stage":
        return services.stage_change(actor=actor, project=obj, to="talks")
    if name == "add_step":
        return services.step_add(actor=actor, project=obj, code="X1", name="消防设计审查", phase="design",
                                 department=w.construction, statutory_days=15, committed_days=5)
    if name == "start":
        return services.step_start(actor=actor, step=obj)
    if name == "done":
        return services.step_finish(actor=actor, step=obj)
    if name == "update_step":
        return services.step_update(actor=actor, step=obj, notes="已与企业沟通")
    if name == "reopen":
        return services.step_reopen(actor=actor, step=obj, reason="批复文号有误，需重新出具")
    if name == "remove":
        return services.step_remove(actor=actor, step=obj, reason="本项目无需办理")
    if name == "link":
        return services.link_set(actor=actor, step=obj, predecessor=_step(p, "P2"), lag=1)
    if name == "unlink":
        return services.link_remove(actor=actor, step=obj, predecessor=_step(p, "P2"))
    raise AssertionError(name)


def snapshot():
    return (list(Step.objects.order_by("pk").values_list("status", "notes")),
            list(Link.objects.order_by("pk").values_list("active", "lag")), Event.objects.count(),
            list(Project.objects.values_list("stage", flat=True)))


def test_every_action_has_an_expectation():
    assert set(ALLOWED) == set(TABLE.actions)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(ALLOWED))
def test_action_by_role(w, name, role):
    obj = bring(w, name)
    actor = getattr(w, role)
    assert TABLE[name].allowed(actor, obj) == (role in ALLOWED[name]), (name, role)
    before = snapshot()
    if role in ALLOWED[name]:
        call(w, name, actor, obj)
        assert snapshot()[2] > before[2]
    else:
        with pytest.raises(PermissionDenied):
            call(w, name, actor, obj)
        assert snapshot() == before
