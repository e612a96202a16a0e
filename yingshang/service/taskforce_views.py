"""The pages of 专班: the task forces, one task force's board (members, its problems with their hour limits, the
保供 list updated daily, its groups), and its daily brief (printable, and as a Word document)."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yingshang.core import inputs
from yingshang.core.actions import IllegalTransition
from yingshang.core.forms import add_errors
from yingshang.tickets import selectors as ticket_selectors

from . import briefs, forms, selectors, services
from .models import SupplyWatch, TaskForce
from .permissions import may


def _staff(request):
    if not may(request.user, "service.view"):
        raise PermissionDenied


@login_required
def taskforces(request):
    _staff(request)
    return render(request, "service/taskforces.html", {
        "rows": selectors.taskforces(), "can_add": may(request.user, "service.add_taskforce")})


@login_required
def taskforce_new(request):
    if not may(request.user, "service.add_taskforce"):
        raise PermissionDenied
    form = forms.TaskForceForm(request.POST or None, initial={"starts_on": timezone.localdate(),
                                                              "lead": request.user.pk})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                tf = services.taskforce_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Task force “%(name)s” stood up: dispatch problems to it as to a "
                                            "department.") % {"name": tf.name})
                return redirect("service:taskforce", pk=tf.pk)
        status = 400
    return render(request, "service/taskforce_new.html", {"form": form}, status=status)


def _board(request, tf: TaskForce, bound=None, status=200):
    user = request.user
    problems = list(selectors.taskforce_problems(tf)[:100])
    ticket_selectors.lights(problems)
    members = list(selectors.taskforce_members(tf))
    ctx = {"tf": tf, "problems": problems, "members": members, "supply": selectors.supply_list(tf),
           "groups": list(tf.groups.select_related("lead")), "events": list(tf.events.select_related(
               "actor", "enterprise").order_by("-at", "-id")[:30]),
           "can_manage": tf.status == "active" and may(user, "service.manage_taskforce", tf),
           "can_update": tf.status == "active" and may(user, "service.update_supply", tf),
           "members_form": forms.MembersForm(initial={"members": [m.user_id for m in members]}),
           "add_form": forms.SupplyAddForm(), "statuses": SupplyWatch.Status.choices}
    ctx.update(bound or {})
    return render(request, "service/taskforce.html", ctx, status=status)


@login_required
def taskforce(request, pk: int):
    _staff(request)
    return _board(request, get_object_or_404(TaskForce.objects.select_related("lead", "department", "parent"), pk=pk))


@login_required
@require_POST
def taskforce_act(request, pk: int, action: str):
    _staff(request)
    tf = get_object_or_404(TaskForce.objects.select_related("lead", "department"), pk=pk)
    user = request.user
    perm = {"members": "service.manage_taskforce", "close": "service.manage_taskforce",
            "supply_add": "service.update_supply", "supply_update": "service.update_supply"}.get(action)
    if perm is None:
        raise Http404
    if not user.has_perm(perm, tf):  # who may act, before what they sent is read
        raise PermissionDenied
    bound = {}
    try:
        if action == "members":
            form = bound["members_form"] = forms.MembersForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Choose the members."))
            services.taskforce_members_set(actor=user, taskforce=tf, members=form.cleaned_data["members"])
        elif action == "close":
            services.taskforce_close(actor=user, taskforce=tf, note=request.POST.get("note", ""))
        elif action == "supply_add":
            form = bound["add_form"] = forms.SupplyAddForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Choose the firm."))
            services.supply_add(actor=user, taskforce=tf, **form.cleaned_data)
        else:
            watch = get_object_or_404(SupplyWatch, pk=inputs.object_id(request.POST.get("watch"), "watch"),
                                      taskforce=tf)
            form = forms.SupplyUpdateForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Choose the status."))
            services.supply_update(actor=user, watch=watch, **form.cleaned_data)
    except IllegalTransition:
        messages.error(request, _("This is no longer possible: the task force has moved on meanwhile."))
        return _board(request, tf, status=409)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _board(request, tf, bound, status=400)
    messages.success(request, _("Done."))
    return redirect("service:taskforce", pk=tf.pk)


@login_required
def brief(request, pk: int):
    _staff(request)
    tf = get_object_or_404(TaskForce.objects.select_related("lead", "department"), pk=pk)
    day = inputs.day(request.GET["day"], "day") if request.GET.get("day") else timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({"day": _("A brief is of a day that has begun.")})
    content = selectors.taskforce_brief(tf, day)
    if request.GET.get("format") == "docx":
        response = HttpResponse(briefs.brief_docx(content), content_type=(
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))
        response["Content-Disposition"] = f"attachment; filename=brief-{tf.pk}-{day.isoformat()}.docx"
        return response
    return render(request, "service/brief.html", {"b": content, "today": day == timezone.localdate(),
                                                  "yesterday": date.fromordinal(day.toordinal() - 1)})
