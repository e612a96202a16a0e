from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yingshang.core import exports, inputs, roles
from yingshang.core.actions import IllegalTransition
from yingshang.core.forms import add_errors
from yingshang.core.templatetags.ys import money
from yingshang.directory.models import Department
from yingshang.directory.permissions import department_id_of

from . import forms, selectors, services
from .actions import projects as TABLE
from .models import PIPELINE, Phase, Project, Stage, Step

PROJECT_ACTIONS = ("stage", "step-add")
STEP_ACTIONS = ("start", "done", "edit", "remove", "link", "unlink", "reopen")


def _visible_project(request, pk: int) -> Project:
    p = selectors.projects_visible_to(request.user).select_related("bureau", "leader", "steward", "investor",
                                                                  "template").filter(pk=pk).first()
    if p is None:
        raise Http404
    return p


def _filter_context(request, filters):
    query = request.GET.copy()
    for key in ("page", "month"):  # the pager and the ledger's month arrows add their own
        query.pop(key, None)
    return {"filters": filters, "bureaus": Department.objects.filter(kind=Department.Kind.BUREAU, active=True)
            .order_by("sort_order"), "stages": Stage.choices, "bands": selectors.BANDS,
            "leaders": forms._staff(roles.LEADER), "query": query.urlencode()}


@login_required
def battle_map(request):
    """挂图作战: every major project on one wall."""
    filters = selectors.Filters.from_query(request.GET)
    if not roles.is_staff_member(request.user):
        filters.everything = True  # a firm sees all of its own projects
    group_by = "stage" if request.GET.get("group") == "stage" else "bureau"
    groups, totals = selectors.battle_map(request.user, filters, group_by=group_by)
    ctx = {"groups": groups, "totals": totals, "group_by": group_by, "threshold": services.major_threshold(),
           "can_add": request.user.has_perm("projects.add"), **_filter_context(request, filters)}
    return render(request, "projects/map.html", ctx)


@login_required
def pipeline(request):
    if not request.user.has_perm("projects.view"):
        raise PermissionDenied
    filters = selectors.Filters.from_query(request.GET)
    filters.everything = True  # the pipeline is about every lead, not only the major projects
    return render(request, "projects/pipeline.html", {"p": selectors.pipeline(request.user, filters),
                                                      **_filter_context(request, filters)})


LEDGER_HEADER = ["项目编号", "项目名称", "投资主体", "服务局", "总投资（万元）", "所处阶段", "本月进展", "未办结诉求",
                 "包保领导", "下一节点", "节点时限", "状态"]


@login_required
def ledger(request):
    """督办台账, as a page and in the shape bureaus report in (XLSX)."""
    if not request.user.has_perm("projects.view"):
        raise PermissionDenied
    filters = selectors.Filters.from_query(request.GET)
    this_month = timezone.localdate().replace(day=1)
    try:
        month = inputs.month(request.GET["month"]) if request.GET.get("month") else this_month
    except ValidationError:
        month = None
    status = 200
    if month is None or month > this_month:
        messages.error(request, _("Choose a month up to this one, as YYYY-MM."))
        month, status = this_month, 400
    rows, month = selectors.ledger(request.user, filters, month=month) if status == 200 else ([], month)
    if status == 200 and request.GET.get("export") == "xlsx":
        light = {"green": "正常", "yellow": "预警", "red": "滞后"}
        data = ([r["project"].number, r["project"].name, r["project"].investor_label, r["project"].bureau.name,
                 r["project"].investment / 10_000, r["project"].get_stage_display(), "；".join(r["progress"]),
                 r["open_tickets"], str(r["project"].leader or ""), r["project"].next_name,
                 r["project"].next_on, light[r["project"].light]] for r in rows)
        return exports.xlsx_response(f"重大项目督办台账-{month:%Y%m}.xlsx", LEDGER_HEADER, data, sheet="督办台账",
                                     widths=[14, 36, 30, 14, 14, 16, 48, 10, 10, 28, 12, 8])
    return render(request, "projects/ledger.html", {
        "rows": rows, "month": month, **_filter_context(request, filters),
        "prev_month": (month - timedelta(days=1)).replace(day=1),
        "next_month": (month + timedelta(days=32)).replace(day=1) if month < this_month else None}, status=status)


@login_required
def new(request):
    if not request.user.has_perm("projects.add"):
        raise PermissionDenied
    own = Department.objects.filter(pk=department_id_of(request.user), kind=Department.Kind.BUREAU).first()
    form = forms.ProjectForm(request.POST or None, creating=True, initial={"bureau": own} if own else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.project_fields()
            template = form.cleaned_data.get("template") or services.default_template(d["kind"])
            try:
                p = services.project_create(actor=request.user, template=template, stage=form.cleaned_data["stage"],
                                            **d)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Project %(number)s registered with its approval task list.")
                                 % {"number": p.number})
                return redirect("projects:detail", pk=p.pk)
        status = 400
    return render(request, "projects/form.html", {"form": form}, status=status)


@login_required
def edit(request, pk: int):
    p = _visible_project(request, pk)
    if not request.user.has_perm("projects.manage", p):
        raise PermissionDenied
    form = forms.ProjectForm(request.POST or None, initial={**forms.ProjectForm.initial_of(p),
                                                             "seen": selectors.project_version(p)})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.project_update(actor=request.user, project=p, seen=form.cleaned_data.get("seen"),
                                        **form.project_fields())
            except ValidationError as exc:
                add_errors(form, exc)
            except services.Stale as exc:  # the user's entries stay; saving again is a deliberate choice
                form.data = form.data.copy()
                form.data["seen"] = exc.version
                form.add_error(None, _("Someone changed this project after you opened this page: %(changes)s. "
                                       "Your entries are below: compare them with the project and save again.")
                               % {"changes": "; ".join(exc.changes)})
                status = 409
            else:
                messages.success(request, _("Project updated."))
                return redirect("projects:detail", pk=p.pk)
    return render(request, "projects/form.html", {"form": form, "project": p}, status=status)


def _next_stage(p: Project) -> str:
    if p.stage in PIPELINE and p.stage != PIPELINE[-1]:
        return PIPELINE[PIPELINE.index(p.stage) + 1]
    return p.stage


def _detail_context(request, p: Project, bound=None):
    user = request.user
    steps = selectors.project_steps(p)
    can_manage = user.has_perm("projects.manage", p)
    handlers = selectors.department_staff({s.department_id for s in steps})
    for s in steps:
        s.project = p
        s.can_update = can_manage or TABLE["update_step"].allowed(user, s)
        s.can = {a.name for a in TABLE.possible(s.status) if a.subject == "step"} if s.can_update else set()
        if not can_manage:
            s.can -= {"remove", "link", "unlink"}
        s.handlers = handlers.get(s.department_id, [])
    permit_steps = [s for s in steps if s.phase != Phase.ACCEPTANCE and s.early_finish]
    ctx = {"project": p, "steps": steps, "phases": selectors.by_phase(steps),
           "gantt": selectors.gantt(p, steps), "history": selectors.stage_history(p),
           "events": list(p.events.select_related("actor", "step").order_by("-at", "-id")[:30]),
           "tickets": selectors.project_tickets(p, user), "can_manage": can_manage,
           "can_raise": user.has_perm("tickets.raise") if p.investor_id else False,
           "ready_on": max((s.early_finish for s in permit_steps), default=None),
           "saved": (p.statutory_span - p.committed_span) if p.statutory_span and p.committed_span else None,
           "stage_form": forms.StageForm(prefix="stage", initial={"on": timezone.localdate(), "to": _next_stage(p)}),
           "add_form": forms.StepAddForm(prefix="add", project=p), "link_form": forms.LinkForm(prefix="link", project=p),
           "done_form": forms.StepDoneForm(prefix="done", initial={"on": timezone.localdate()}),
           "threshold": services.major_threshold(), "is_staff_member": roles.is_staff_member(user)}
    ctx.update(bound or {})
    return ctx


@login_required
def detail(request, pk: int):
    p = _visible_project(request, pk)
    return render(request, "projects/detail.html", _detail_context(request, p))


def _failed(request, p, exc, bound=None, status=400):
    messages.error(request, " ".join(exc.messages))
    return render(request, "projects/detail.html", _detail_context(request, _visible_project(request, p.pk), bound),
                  status=status)


@login_required
@require_POST
def act(request, pk: int, action: str):
    if action not in PROJECT_ACTIONS:
        raise Http404
    p = _visible_project(request, pk)
    if not TABLE[{"step-add": "add_step"}.get(action, action)].allowed(request.user, p):
        raise PermissionDenied  # who may act, before what they sent is read
    bound, form = {}, None
    try:
        if action == "stage":
            form = bound["stage_form"] = forms.StageForm(request.POST, prefix="stage")
            if not form.is_valid():
                raise ValidationError(_("Check the stage and the date."))
            d = form.cleaned_data
            services.stage_change(actor=request.user, project=p, to=d["to"], on=d.get("on"), reason=d.get("reason", ""))
            msg = _("Stage recorded.")
        else:
            form = bound["add_form"] = forms.StepAddForm(request.POST, prefix="add", project=p)
            if not form.is_valid():
                raise ValidationError(_("Check the new step's fields."))
            d = form.cleaned_data
            s = services.step_add(actor=request.user, project=p, code=d["code"], name=d["name"], phase=d["phase"],
                                  department=d["department"], statutory_days=d["statutory_days"],
                                  committed_days=d["committed_days"],
                                  after=[(d["after"], d.get("lag") or 0)] if d.get("after") else [])
            msg = _("Step %(code)s added to the task list.") % {"code": s.code}
    except ValidationError as exc:
        if form is not None and hasattr(exc, "error_dict"):
            add_errors(form, exc)
        return _failed(request, p, exc, bound)
    messages.success(request, msg)
    return redirect("projects:detail", pk=p.pk)


@login_required
@require_POST
def step_act(request, pk: int, action: str):
    if action not in STEP_ACTIONS:
        raise Http404
    step = get_object_or_404(Step.objects.select_related("project"), pk=pk)
    p = _visible_project(request, step.project_id)
    step.project = p
    if not TABLE[{"edit": "update_step"}.get(action, action)].allowed(request.user, step):
        raise PermissionDenied  # who may act, before what they sent is read
    post = request.POST
    try:
        if action in ("start", "done"):
            form = forms.StepDoneForm(post, prefix="done")
            if not form.is_valid():
                raise ValidationError(_("Give the date as YYYY-MM-DD."))
            fn = services.step_start if action == "start" else services.step_finish
            fn(actor=request.user, step=step, on=form.cleaned_data.get("on"), note=form.cleaned_data.get("note", ""))
            msg = _("%(step)s: %(status)s.") % {"step": step.name, "status": Step.Status(
                "doing" if action == "start" else "done").label}
        elif action == "edit":
            form = forms.StepEditForm(post, prefix=f"edit{step.pk}", step=step)
            if not form.is_valid():
                raise ValidationError(_("Check the handler and the committed limit."))
            d = form.cleaned_data
            services.step_update(actor=request.user, step=step, handler=d.get("handler"), notes=d.get("notes", ""),
                                 committed_days=d["committed_days"], seen=d.get("seen"),
                                 item_code=d.get("item_code", ""))
            msg = _("Step updated.")
        elif action == "reopen":
            services.step_reopen(actor=request.user, step=step, reason=post.get("reason", ""))
            msg = _("Step reopened.")
        elif action == "remove":
            form = forms.ReasonForm(post, prefix="remove")
            form.is_valid()
            services.step_remove(actor=request.user, step=step, reason=form.cleaned_data.get("reason", ""))
            msg = _("Step removed from the task list (kept in its history).")
        else:
            form = forms.LinkForm(post, prefix="link", project=p)
            if not form.is_valid():
                raise ValidationError(_("Choose a step of this task list."))
            pred = form.cleaned_data["predecessor"]
            if action == "link":
                services.link_set(actor=request.user, step=step, predecessor=pred, lag=form.cleaned_data.get("lag") or 0)
                msg = _("%(step)s now waits for %(pred)s.") % {"step": step.code, "pred": pred.code}
            else:
                services.link_remove(actor=request.user, step=step, predecessor=pred)
                msg = _("%(step)s no longer waits for %(pred)s.") % {"step": step.code, "pred": pred.code}
    except ValidationError as exc:
        return _failed(request, p, exc)
    except IllegalTransition:
        return _failed(request, p, ValidationError(_("This is no longer possible: the step has changed meanwhile.")),
                       status=409)
    except services.Stale as exc:
        return _failed(request, p, ValidationError(
            _("Someone changed this step after you opened this page: %(changes)s. Nothing was saved; the page now "
              "shows the step as it is.") % {"changes": "; ".join(exc.changes)}), status=409)
    messages.success(request, msg)
    return redirect(reverse("projects:detail", args=[p.pk]) + f"#step-{step.pk}")


def enterprise_panel_context(request, enterprise):
    qs = selectors.projects_visible_to(request.user).filter(investor=enterprise).order_by("-investment")
    rows = list(qs.values("pk", "number", "name", "investment", "stage", "light", "next_name", "next_on")[:20])
    labels = dict(Stage.choices)
    for r in rows:
        r["stage_label"] = labels[r["stage"]]
        r["investment_label"] = money(r["investment"])
    return {"projects": rows}
