"""Projects' actions and events (see ``core.actions``): a project's particulars and stages, its task list's
steps and dependencies."""

from django.utils.translation import gettext_lazy as _

from yingshang.core.actions import STAFF, Action, EventType, Field, domain

from . import permissions as P
from .models import Event, Project, Stage, Step

SERVICES = "yingshang.projects.services."


def _project(obj):
    return obj if isinstance(obj, Project) else obj.project


def _looking_after(obj, event=None):
    p = _project(obj)
    return [u for u in (p.steward_id, p.leader_id) if u]


def _link(obj):
    from django.urls import reverse

    return reverse("projects:detail", args=[_project(obj).pk])


def _context(obj):
    p = _project(obj)
    ctx = {"project": p.name, "number": p.number, "stage": p.get_stage_display()}
    if isinstance(obj, Step):
        ctx["step"] = obj.name
    return ctx


projects = domain("projects", subject="project", link=_link, context=_context,
                  group_key=lambda obj: f"projects.project:{_project(obj).pk}",
                  audiences={"looking_after": _looking_after})
projects.event_model = Event

OPEN_STEP = frozenset({Step.Status.TODO, Step.Status.DOING})
NOTE = Field("note", "text", _("Note (officials read it)"), required=False, audience=STAFF)

projects.action(Action(
    "stage", _("Record a stage"), SERVICES + "stage_change", who=P.may_manage, event="projects.project.stage_changed",
    fields=(Field("to", "choice", _("Stage"), choices=Stage), Field("on", "date", _("Reached on"), required=False),
            Field("reason", "text", _("Reason (when pausing or dropping; officials read it)"), required=False,
                  audience=STAFF))))
projects.action(Action(
    "add_step", _("Add a step"), SERVICES + "step_add", who=P.may_manage, event="projects.step.added"))
projects.action(Action(
    "start", _("Started"), SERVICES + "step_start", who=P.may_update_step, event="projects.step.started",
    subject="step", sources=frozenset({Step.Status.TODO}), target=Step.Status.DOING,
    fields=(Field("on", "date", _("On"), required=False), NOTE)))
projects.action(Action(
    "done", _("Done"), SERVICES + "step_finish", who=P.may_update_step, event="projects.step.finished",
    subject="step", sources=OPEN_STEP, target=Step.Status.DONE, style="success",
    fields=(Field("on", "date", _("On"), required=False), NOTE)))
projects.action(Action(
    "update_step", _("Change the step"), SERVICES + "step_update", who=P.may_update_step,
    event="projects.step.updated", subject="step", sources=OPEN_STEP | {Step.Status.DONE}))
projects.action(Action(
    "reopen", _("Reopen the step"), SERVICES + "step_reopen", who=P.may_update_step, event="projects.step.reopened",
    subject="step", sources=frozenset({Step.Status.DONE}), target=Step.Status.DOING, style="outline-warning",
    fields=(Field("reason", "text", _("Why it is reopened (officials read it)"), audience=STAFF),)))
projects.action(Action(
    "remove", _("Remove from the task list"), SERVICES + "step_remove", who=P.may_manage_step,
    event="projects.step.removed", subject="step", sources=frozenset({Step.Status.TODO}), target=Step.Status.REMOVED,
    style="outline-danger",
    fields=(Field("reason", "text", _("Why the step is removed (officials read it)"), audience=STAFF),)))
projects.action(Action(
    "link", _("Wait for another step"), SERVICES + "link_set", who=P.may_manage_step, event="projects.link.set",
    subject="step", sources=OPEN_STEP | {Step.Status.DONE}))
projects.action(Action(
    "unlink", _("Stop waiting for a step"), SERVICES + "link_remove", who=P.may_manage_step,
    event="projects.link.removed", subject="step", sources=OPEN_STEP | {Step.Status.DONE}))

E = projects.event
E(EventType("projects.project.created", _("registered"), audience=STAFF))
E(EventType("projects.project.steps_generated", _("task list generated"), audience=STAFF))
E(EventType("projects.project.updated", _("particulars changed"), audience=STAFF))
E(EventType("projects.project.stage_changed", _("stage reached"), audience=STAFF, tell=("looking_after",),
            message=_("%(project)s: %(stage)s")))
E(EventType("projects.step.started", _("step started"), audience=STAFF))
E(EventType("projects.step.finished", _("step done"), audience=STAFF, tell=("looking_after",),
            message=_("%(project)s: %(step)s done")))
E(EventType("projects.step.updated", _("step updated"), audience=STAFF))
E(EventType("projects.step.reopened", _("step reopened"), audience=STAFF))
E(EventType("projects.step.added", _("step added"), audience=STAFF))
E(EventType("projects.step.removed", _("step removed"), audience=STAFF))
E(EventType("projects.link.set", _("dependency set"), audience=STAFF))
E(EventType("projects.link.removed", _("dependency removed"), audience=STAFF))
