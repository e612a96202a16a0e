from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from yingshang.core import inputs, paging, roles, uploads
from yingshang.core.actions import IllegalTransition
from yingshang.core.forms import add_errors

from . import forms, selectors, services
from .actions import inspections as TABLE
from .models import Campaign, Draw, Hazard, Order, Plan, Result, Visit


def _staff(request):
    if not request.user.has_perm("inspections.view"):
        raise PermissionDenied


@login_required
def plans(request):
    _staff(request)
    period = forms.PeriodForm(request.GET or None)
    d = period.cleaned_data if period.is_valid() else {}
    page = paging.paginate(request, selectors.plans().order_by("-year", "-batch", "-id"), 50)
    return render(request, "inspections/plans.html", {
        "page": page, "period": period, "can_add": request.user.has_perm("inspections.add_plan"),
        "stats": selectors.statistics(date_from=d.get("date_from"), date_to=d.get("date_to"))})


@login_required
def plan_new(request):
    if not request.user.has_perm("inspections.add_plan"):
        raise PermissionDenied
    profile = getattr(request.user, "staff_profile", None)
    form = forms.PlanForm(request.POST or None, initial={"lead_department": profile.department_id if profile else None,
                                                         "starts_on": timezone.localdate()})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                plan = services.plan_create(
                    actor=request.user, name=d["name"], lead_department=d["lead_department"],
                    departments=d["departments"], items=d["items"], starts_on=d["starts_on"], ends_on=d["ends_on"],
                    industry=d["industry"], bureau=d["bureau"], min_inspectors=d["min_inspectors"], cap=d["cap"],
                    counts={g: d[f"count_{g.lower()}"] for g in "ABCD" if d[f"count_{g.lower()}"] is not None},
                    quiet_months=d["quiet_months"],
                    ratios={"A": d["ratio_a"], "B": d["ratio_b"], "C": d["ratio_c"], "D": d["ratio_d"]})
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Plan %(number)s created; the department head approves it.")
                                 % {"number": plan.number})
                return redirect("inspections:plan", pk=plan.pk)
        status = 400
    return render(request, "inspections/plan_new.html", {"form": form}, status=status)


def _plan_context(request, plan, bound=None):
    user = request.user
    draws = list(plan.draws.order_by("-sequence"))
    frozen = next((d for d in draws if d.status == Draw.Status.FROZEN), None)
    possible = {a.name for a in TABLE.available(user, plan)}
    ctx = {"plan": plan, "draws": draws, "frozen": frozen, "visits": selectors.plan_visits(plan),
           "can_approve": "approve" in possible, "can_freeze": "freeze" in possible,
           "can_draw": frozen is not None and not frozen.seed and TABLE["draw"].allowed(user, frozen),
           "can_publish": "publish" in possible and plan.status == Plan.Status.DRAWN,
           "freeze_form": forms.FreezeForm(prefix="freeze"), "seed_form": forms.SeedForm(prefix="seed")}
    ctx.update(bound or {})
    return ctx


@login_required
def plan(request, pk: int):
    _staff(request)
    try:
        p = selectors.plan_detail(pk)
    except Plan.DoesNotExist:
        raise Http404 from None
    return render(request, "inspections/plan.html", _plan_context(request, p))


@login_required
@require_POST
def plan_act(request, pk: int, action: str):
    _staff(request)
    p = get_object_or_404(Plan, pk=pk)
    if action not in TABLE.actions or TABLE[action].subject not in ("", "draw"):
        raise Http404
    if not TABLE[action].allowed(request.user, p):  # who may act, before what they sent is read
        raise PermissionDenied
    bound = {}
    try:
        if action == "approve":
            services.plan_approve(actor=request.user, plan=p)
            msg = _("Plan approved.")
        elif action == "freeze":
            form = bound["freeze_form"] = forms.FreezeForm(request.POST, prefix="freeze")
            form.is_valid()
            d = services.pools_freeze(actor=request.user, plan=p, reason=form.cleaned_data.get("reason", ""))
            msg = _("Pools frozen: %(firms)d firms, %(inspectors)d inspectors. Their hashes are published; now the "
                    "seed.") % {"firms": len(d.firms), "inspectors": len(d.inspectors)}
        elif action == "draw":
            form = bound["seed_form"] = forms.SeedForm(request.POST, prefix="seed")
            form.is_valid()
            frozen = p.draws.filter(status=Draw.Status.FROZEN).first()
            if frozen is None:
                raise ValidationError(_("Freeze the pools first."))
            seed = form.cleaned_data.get("seed") or ""
            d = services.draw_run(actor=request.user, draw=frozen, seed=seed if seed.strip() else None,  # empty: system
                                  note=form.cleaned_data.get("note", ""))
            msg = _("Drawn with seed %(seed)s: %(n)d firms.") % {"seed": d.seed, "n": len(d.record["assignments"])}
        elif action == "publish":
            n = services.plan_publish(actor=request.user, plan=p)
            msg = ngettext("%(n)d inspection result published.", "%(n)d inspection results published.", n) % {"n": n}
        else:
            raise Http404
    except IllegalTransition:
        messages.error(request, _("This is no longer possible: the plan has moved on meanwhile."))
        p = selectors.plan_detail(pk)
        return render(request, "inspections/plan.html", _plan_context(request, p, bound), status=409)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        p = selectors.plan_detail(pk)
        return render(request, "inspections/plan.html", _plan_context(request, p, bound), status=400)
    messages.success(request, msg)
    return redirect("inspections:plan", pk=p.pk)


@login_required
def mine(request):
    if not roles.has_role(request.user, roles.INSPECTOR, roles.ADMIN):
        raise PermissionDenied
    return render(request, "inspections/mine.html", {"visits": list(selectors.assignments(request.user))})


def _visit_or_404(request, pk) -> Visit:
    try:
        return selectors.visit_detail(request.user, pk)
    except Visit.DoesNotExist:
        raise Http404 from None


def _visit_context(request, v: Visit, bound=None):
    user = request.user
    done_items = {r.item_id for r in v.results.all()}
    remaining = v.plan.items.exclude(pk__in=done_items)
    can_record = TABLE["result"].possible_in(v.status) and TABLE["result"].allowed(user, v)
    orders = list(v.orders.all())
    for o in orders:  # what this user may do to each order now (its state and the rules)
        o.can_submit = TABLE["submit"].possible_in(o.status) and TABLE["submit"].allowed(user, o)
        o.can_verify = TABLE["verify"].possible_in(o.status) and TABLE["verify"].allowed(user, o)
    ctx = {"v": v, "can_record": can_record, "orders": orders,
           "result_form": forms.ResultForm(prefix="result", items=remaining) if can_record and remaining.exists()
           else None, "remaining": remaining, "evidence_form": forms.EvidenceForm(prefix="evidence"),
           "verify_form": forms.VerifyForm(prefix="verify"), "is_staff_member": roles.is_staff_member(user)}
    ctx.update(bound or {})
    return ctx


@login_required
def visit(request, pk: int):
    v = _visit_or_404(request, pk)
    return render(request, "inspections/visit.html", _visit_context(request, v))


@login_required
def result_photo(request, pk: int):
    r = get_object_or_404(Result.objects.filter(visit__in=selectors.visits_visible_to(request.user)), pk=pk)
    return uploads.serve(r.photo)


@login_required
def order_evidence(request, pk: int):
    o = get_object_or_404(Order.objects.filter(visit__in=selectors.visits_visible_to(request.user)), pk=pk)
    return uploads.serve(o.evidence)


@login_required
@require_POST
def visit_act(request, pk: int, action: str):
    v = _visit_or_404(request, pk)
    if action not in ("result", "complete", "submit", "verify"):
        raise Http404
    if not TABLE[action].allowed(request.user, v):  # who may act, before what they sent is read
        raise PermissionDenied
    bound = {}
    try:
        if action == "result":
            form = bound["result_form"] = forms.ResultForm(request.POST, request.FILES, prefix="result",
                                                           items=v.plan.items.all())
            if not form.is_valid():
                raise ValidationError(_("Check the result."))
            d = form.cleaned_data
            services.result_record(actor=request.user, visit=v, item=d["item"], outcome=d["outcome"], note=d["note"],
                                   photo=d["photo"], requirement=d["requirement"], workdays_to_rectify=d["workdays"])
            msg = _("Result recorded.")
        elif action == "complete":
            services.visit_complete(actor=request.user, visit=v)
            msg = _("Inspection completed; the firm has been told.")
        elif action in ("submit", "verify"):
            order = get_object_or_404(Order, pk=inputs.object_id(request.POST.get("order"), "order"), visit=v)
            if action == "submit":
                form = bound["evidence_form"] = forms.EvidenceForm(request.POST, request.FILES, prefix="evidence")
                if not form.is_valid():
                    raise ValidationError(_("Describe what was done and attach the evidence."))
                services.order_submit(actor=request.user, order=order, note=form.cleaned_data["note"],
                                      evidence=form.cleaned_data["evidence"])
                msg = _("Evidence submitted; the inspectors will verify it.")
            else:
                form = bound["verify_form"] = forms.VerifyForm(request.POST, prefix="verify")
                if not form.is_valid():
                    raise ValidationError(_("Choose the follow-up's finding and describe it."))
                services.order_verify(actor=request.user, order=order, accept=form.cleaned_data["accept"] == "yes",
                                      note=form.cleaned_data["note"])
                msg = _("Follow-up recorded.")
        else:
            raise Http404
    except IllegalTransition:
        messages.error(request, _("This is no longer possible: the inspection has moved on meanwhile."))
        return render(request, "inspections/visit.html", _visit_context(request, _visit_or_404(request, pk), bound),
                      status=409)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return render(request, "inspections/visit.html", _visit_context(request, _visit_or_404(request, pk), bound),
                      status=400)
    messages.success(request, msg)
    return redirect("inspections:visit", pk=v.pk)


# --- campaigns (专项排查) ---------------------------------------------------------------------------

@login_required
def campaigns(request):
    _staff(request)
    year = inputs.integer(request.GET["year"], "year", min_value=2000, max_value=2100) if request.GET.get("year") \
        else None
    return render(request, "inspections/campaigns.html", {
        "campaigns": list(selectors.campaigns()), "stats": selectors.campaign_statistics(year=year), "year": year,
        "can_add": request.user.has_perm("inspections.add_campaign")})


@login_required
def campaign_new(request):
    if not request.user.has_perm("inspections.add_campaign"):
        raise PermissionDenied
    profile = getattr(request.user, "staff_profile", None)
    form = forms.CampaignForm(request.POST or None, initial={"department": profile.department_id if profile else None})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                c = services.campaign_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                return redirect("inspections:campaign", pk=c.pk)
        status = 400
    return render(request, "inspections/campaign_new.html", {"form": form}, status=status)


@login_required
def campaign(request, pk: int):
    _staff(request)
    c = get_object_or_404(Campaign.objects.select_related("department"), pk=pk)
    can_record = request.user.has_perm("inspections.record_check")
    form = forms.CheckForm(request.POST or None, prefix="check", initial={"checked_on": timezone.localdate()})
    status = 200
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied
        if form.is_valid():
            d = form.cleaned_data
            from yingshang.directory.models import Enterprise

            ent = Enterprise.objects.filter(uscc=d["uscc"]).first()
            if ent is None:
                form.add_error("uscc", _("No enterprise with this credit code."))
            else:
                hazards = [{"description": d["hazard"], "level": d["level"], "workdays": d["workdays"]}] \
                    if d["hazard"].strip() else []
                try:
                    services.check_record(actor=request.user, campaign=c, enterprise=ent, checked_on=d["checked_on"],
                                          checkers=d["checkers"], note=d["note"], hazards=hazards)
                except ValidationError as exc:
                    add_errors(form, exc)
                else:
                    messages.success(request, _("Check of %(firm)s recorded.") % {"firm": ent.name})
                    return redirect("inspections:campaign", pk=c.pk)
        status = 400
    page = paging.paginate(request, selectors.campaign_checks(c), 50)
    return render(request, "inspections/campaign.html", {
        "c": c, "page": page, "form": form if can_record else None, "stats": selectors.campaign_statistics(campaign=c),
        "rectify_form": forms.RectifyForm(prefix="rectify"), "can_record": can_record}, status=status)


@login_required
@require_POST
def hazard_rectify(request, pk: int):
    h = get_object_or_404(Hazard.objects.select_related("check_record"), pk=pk)
    if not request.user.has_perm("inspections.record_check"):  # who may act, before what they sent is read
        raise PermissionDenied
    form = forms.RectifyForm(request.POST, prefix="rectify")
    try:
        if not form.is_valid():
            raise ValidationError(_("Describe the rectification that was checked."))
        services.hazard_rectify(actor=request.user, hazard=h, rectification=form.cleaned_data["rectification"])
    except ValidationError as exc:
        return render(request, "inspections/campaign_error.html", {
            "errors": exc.messages, "back": reverse("inspections:campaign", args=[h.check_record.campaign_id])},
            status=400)
    messages.success(request, _("Hazard marked rectified."))
    return redirect("inspections:campaign", pk=h.check_record.campaign_id)


def enterprise_panel_context(request, enterprise) -> dict:
    return {"visits": list(selectors.enterprise_visits(request.user, enterprise.pk)
                           .prefetch_related("results", "results__item", "orders")[:10])}
