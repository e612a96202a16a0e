"""The pages of 选址会商 and 要素保障调度: candidate sites, site consultations (opinions by department within a
limit of working days, the conclusion as a printable record), the factor balance by area and month with its
shortfalls, and the dispatch meetings whose decisions go into the ledger."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from yingshang.core import inputs, roles
from yingshang.core.actions import IllegalTransition
from yingshang.core.forms import add_errors
from yingshang.directory.permissions import department_ids_of

from . import forms, selectors, services
from .models import Consultation, Meeting, Opinion, Site
from .permissions import may
from .views import _staff


def _pins(sites, chosen=None) -> list[dict]:
    """The sites as pins for the map (``chain.js``)."""
    return [{"name": s.name, "lng": float(s.lng), "lat": float(s.lat), "status": s.land_status,
             "chosen": chosen is not None and s.pk == chosen,
             "label": f"{s.name} · {s.area_mu} {_('mu')} · {s.get_land_status_display()}"} for s in sites]


def _post(request, form, fn, ok: str):
    """Run ``fn(**form.cleaned_data)``; a ValidationError goes onto the form. Returns the result or None."""
    try:
        if not form.is_valid():
            raise ValidationError(_("Check the form."))
        result = fn(**form.cleaned_data)
    except ValidationError as exc:
        add_errors(form, exc)
        return None
    messages.success(request, ok)
    return result


@login_required
def sites(request):
    _staff(request)
    can_add = may(request.user, "chain.add_site")
    form = forms.SiteForm(request.POST if request.method == "POST" else None) if can_add else None
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied
        if _post(request, form, lambda **d: services.site_add(actor=request.user, **d), _("Site added.")):
            return redirect("chain:sites")
    rows = list(Site.objects.all())
    return render(request, "chain/sites.html", {"rows": rows, "form": form, "pins": _pins(rows)},
                  status=400 if form is not None and form.errors else 200)


@login_required
def consultations(request):
    _staff(request)
    form = forms.ConveneForm(request.POST if request.method == "POST" else None, initial={"meets_on": timezone.localdate()})
    if request.method == "POST":
        project = form.fields["project"].queryset.filter(pk=inputs.optional_id(request.POST.get("project"),
                                                                                "project")).first()
        if project is not None and not may(request.user, "projects.manage", project):
            raise PermissionDenied  # no project at all is the form's error (a 400)
        c = _post(request, form, lambda **d: services.consultation_convene(actor=request.user, **d),
                  _("Site consultation called: the departments are asked for their opinions."))
        if c:
            return redirect("chain:consultation", pk=c.pk)
    return render(request, "chain/consultations.html", {"rows": selectors.consultations(), "form": form},
                  status=400 if form.errors else 200)


def _consultation_page(request, c, bound=None, status=200):
    mine = department_ids_of(request.user)
    opinions = list(c.opinions.select_related("department", "given_by", "site"))
    sites = list(c.sites.all())
    ctx = {"c": c, "opinions": opinions, "sites": sites, "pins": _pins(sites, c.chosen_site_id),
           "events": c.events.select_related("actor").order_by("at", "id"), "is_staff_member": True,
           "steps": c.project.steps.filter(code__startswith=f"XZ{c.pk}-").select_related("department"),
           "mine": [o for o in opinions if o.department_id in mine and o.given_on is None
                    and c.status == Consultation.Status.OPEN],
           "can_conclude": c.status == Consultation.Status.OPEN and may(request.user, "projects.manage", c.project),
           "opinion_form": forms.OpinionForm(consultation=c),
           "conclude_form": forms.ConcludeForm(consultation=c), "today": timezone.localdate()}
    ctx.update(bound or {})
    return render(request, "chain/consultation.html", ctx, status=status)


@login_required
def consultation(request, pk: int):
    _staff(request)
    c = get_object_or_404(Consultation.objects.select_related("project", "chosen_site", "convened_by"), pk=pk)
    if request.method != "POST":
        return _consultation_page(request, c)
    bound = {}
    try:
        if "conclusion" in request.POST:
            if not may(request.user, "projects.manage", c.project):
                raise PermissionDenied
            form = bound["conclude_form"] = forms.ConcludeForm(request.POST, consultation=c)
            if not form.is_valid():
                raise ValidationError(_("Check the form."))
            services.consultation_conclude(actor=request.user, consultation=c, **form.cleaned_data)
            messages.success(request, _("Concluded: the site is the project's, its conditions are steps of its "
                                        "task list."))
        else:
            o = get_object_or_404(Opinion, pk=inputs.object_id(request.POST.get("opinion"), "opinion"),
                                  consultation=c)
            if o.department_id not in department_ids_of(request.user):
                raise PermissionDenied
            form = bound["opinion_form"] = forms.OpinionForm(request.POST, consultation=c)
            if not form.is_valid():
                raise ValidationError(_("Check the form."))
            services.opinion_give(actor=request.user, opinion=o, **form.cleaned_data)
            messages.success(request, _("Your department's opinion is recorded."))
    except IllegalTransition:
        messages.error(request, _("This is no longer possible: the consultation has moved on meanwhile."))
        return _consultation_page(request, Consultation.objects.get(pk=c.pk), status=409)
    except ValidationError as exc:
        for f in bound.values():
            add_errors(f, exc)
        messages.error(request, " ".join(exc.messages))
        return _consultation_page(request, c, bound, status=400)
    return redirect("chain:consultation", pk=c.pk)


@login_required
def factors(request):
    _staff(request)
    cap_form = forms.CapacityForm(request.POST if request.method == "POST" else None, prefix="cap")
    meeting_form = forms.MeetingForm(request.POST if request.method == "POST" else None, prefix="meeting", initial={"held_on": timezone.localdate()})
    status = 200
    if request.method == "POST":
        if "cap-area" in request.POST:
            # a supplier's officials record their own department's capacity (the service checks which)
            if not (may(request.user, "chain.record_capacity") or roles.has_role(request.user, roles.HANDLER,
                                                                                 roles.DEPT_HEAD)):
                raise PermissionDenied
            if _post(request, cap_form, lambda **d: services.capacity_record(actor=request.user, **d),
                     _("Capacity recorded.")):
                return redirect("chain:factors")
        else:
            if not may(request.user, "chain.dispatch"):
                raise PermissionDenied
            m = _post(request, meeting_form, lambda **d: services.meeting_hold(actor=request.user, **d),
                      _("Meeting recorded: enter its decisions."))
            if m:
                return redirect("chain:meeting", pk=m.pk)
        status = 400
    start = inputs.month(request.GET["from"], "from") if request.GET.get("from") else None
    return render(request, "chain/factors.html", {
        "b": selectors.factor_balance(start=start), "cap_form": cap_form, "meeting_form": meeting_form,
        "meetings": Meeting.objects.select_related("chaired_by")[:20],
        "can_dispatch": may(request.user, "chain.dispatch")}, status=status)


@login_required
def meeting(request, pk: int):
    _staff(request)
    m = get_object_or_404(Meeting.objects.select_related("chaired_by"), pk=pk)
    can = may(request.user, "chain.dispatch")
    form = forms.DecisionForm(request.POST if request.method == "POST" else None) if can else None
    if request.method == "POST":
        if not can:
            raise PermissionDenied
        if _post(request, form, lambda **d: services.decision_record(actor=request.user, meeting=m, **d),
                 _("Decision recorded and put into the ledger for the supplier.")):
            return redirect("chain:meeting", pk=m.pk)
    return render(request, "chain/meeting.html", {
        "m": m, "form": form, "decisions": m.decisions.select_related("project", "department", "ticket")},
        status=400 if form is not None and form.errors else 200)
