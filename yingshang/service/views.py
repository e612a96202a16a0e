"""The pages of 万人助万企: campaigns and their coverage, the visit form (made for a phone), a visit with its
history, the policy library with who qualifies and why, a firm's service file, and the firm's own page
(policies for you, its visits, its yearly figures). Thin: parse, call a service or a selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from yingshang.core import actionforms, exports, inputs, paging, roles, uploads
from yingshang.core.actions import IllegalTransition
from yingshang.core.forms import add_errors
from yingshang.directory.models import Enterprise

from . import forms, matching, selectors, services, wording
from .actions import service as TABLE
from .models import Application, Campaign, Photo, Policy, Visit
from .permissions import may


def _staff(request):
    if not may(request.user, "service.view"):
        raise PermissionDenied


def _department_of(user):
    profile = getattr(user, "staff_profile", None)
    return profile.department_id if profile else None


# --- campaigns --------------------------------------------------------------------------------------------

@login_required
def campaigns(request):
    _staff(request)
    rows = []
    for c in selectors.campaigns():
        rows.append({"c": c, "cov": selectors.campaign_coverage(c) if c.ends_on >= timezone.localdate() else None})
    return render(request, "service/campaigns.html", {
        "rows": rows, "can_add": may(request.user, "service.add_campaign"),
        "can_visit": roles.has_role(request.user, roles.STEWARD, roles.LEADER, roles.ADMIN)})


@login_required
def campaign_new(request):
    if not may(request.user, "service.add_campaign"):
        raise PermissionDenied
    today = timezone.localdate()
    form = forms.CampaignForm(request.POST or None, initial={"department": _department_of(request.user),
                                                            "starts_on": today, "ends_on": today})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                c = services.campaign_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Campaign “%(name)s” created.") % {"name": c.name})
                return redirect("service:campaign", pk=c.pk)
        status = 400
    return render(request, "service/campaign_new.html", {"form": form}, status=status)


@login_required
def campaign(request, pk: int):
    _staff(request)
    c = get_object_or_404(Campaign.objects.select_related("department"), pk=pk)
    can_assign = may(request.user, "service.assign")
    cov = selectors.campaign_coverage(c)
    show = "todo" if request.GET.get("show") == "todo" else ""
    rows = [r for r in cov["rows"] if not r["visited"]] if show == "todo" else cov["rows"]
    q = inputs.text(request.GET.get("q", ""), "q", required=False, max_length=60, multiline=False)
    if q:
        rows = [r for r in rows if q in r["firm"].name]
    form = forms.AssignForm(request.POST or None, firms=selectors.campaign_firms(c)) if can_assign else None
    status = 200
    if request.method == "POST":
        if not can_assign:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.campaign_assign(actor=request.user, campaign=c, **form.cleaned_data)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Paired."))
                return redirect("service:campaign", pk=c.pk)
        status = 400
    if request.GET.get("format") == "xlsx":  # the 走访台账 of the campaign, as the filters show it
        header = [_("Firm"), _("Unified social credit code"), _("Service bureau"), _("Paired official"),
                  _("Visits"), _("Last visit"), _("Visited")]
        return exports.xlsx_response(f"{c.name}.xlsx", header, (
            [r["firm"].name, r["firm"].uscc, r["firm"].bureau.name if r["firm"].bureau else "",
             (r["official"].get_full_name() or r["official"].username) if r["official"] else "", r["visits"],
             r["last"], _("yes") if r["visited"] else _("no")] for r in rows), sheet=_("Coverage"))
    page = paging.paginate(request, rows, 50)
    return render(request, "service/campaign.html", {
        "c": c, "cov": cov, "page": page, "show": show, "form": form, "q": q,
        "query": "&".join(x for x in ((f"show={show}" if show else ""), (f"q={q}" if q else "")) if x),
        "can_visit": roles.has_role(request.user, roles.STEWARD, roles.LEADER, roles.ADMIN),
        "bureaus": c.bureaus.all()}, status=status)


# --- visits -----------------------------------------------------------------------------------------------

@login_required
def visits(request):
    user = request.user
    qs = selectors.visits_visible_to(user)
    staff = may(user, "service.view")
    mine = staff and request.GET.get("mine") == "1"
    if mine:
        qs = qs.filter(author=user)
    campaign_id = inputs.optional_id(request.GET.get("campaign"), "campaign")
    if campaign_id:
        qs = qs.filter(campaign_id=campaign_id)
    if staff and request.GET.get("format") == "xlsx":  # the visits ledger (走访台账), as the filters show it
        header = [_("Number"), _("Visited on"), _("How"), _("Firm"), _("Unified social credit code"),
                  _("Recorded by"), _("Who else went"), pgettext("visits", "Campaign"), _("What was discussed"),
                  _("Problems collected"), _("Needs"), _("Policies handed over"), _("Confirmed by the firm")]
        rows = qs.order_by("-visited_on", "-id").prefetch_related("problems", "needs", "policies")
        return exports.xlsx_response("visits.xlsx", header, (
            [v.number, v.visited_on, v.get_form_display(), v.enterprise.name, v.enterprise.uscc,
             v.author.get_full_name() or v.author.username, v.companions, v.campaign.name if v.campaign else "",
             v.discussion, "、".join(t.number for t in v.problems.all()),
             "、".join(str(n.get_kind_display()) for n in v.needs.all()), "、".join(p.title for p in v.policies.all()),
             v.confirmed_at] for v in rows.iterator(chunk_size=500)), sheet=_("Visits"))
    page = paging.paginate(request, qs.order_by("-visited_on", "-id"), 30)
    query = "&".join(p for p in (("mine=1" if mine else ""), (f"campaign={campaign_id}" if campaign_id else "")) if p)
    return render(request, "service/visits.html", {"page": page, "staff": staff, "mine": mine, "query": query,
                                                   "can_visit": selectors.visitable_firms(user).exists()})


def _visit_form(request, *, data=None, files=None, initial=None, editing=False, firm=None):
    """The visit form; with the firm known, the policies that fit it come first, marked."""
    from django.db.models import Case, IntegerField, Value, When

    user = request.user
    policies = selectors.policies_in_force()
    fitting = set()
    if firm is not None:
        fitting = {p.pk for p, _leaves in selectors.firm_policies(firm, policies=list(policies))["qualifies"]}
    policies = policies.annotate(fits=Case(When(pk__in=fitting, then=Value(0)), default=Value(1),
                                           output_field=IntegerField())).order_by("fits", "title")
    form = forms.VisitForm(data, files, initial=initial, editing=editing, firms=selectors.visitable_firms(user),
                           campaigns=selectors.campaigns_running(), policies=policies)
    mark = _("fits the firm")
    form.fields["policies"].label_from_instance = lambda p: f"{p.title} ✓ {mark}" if p.pk in fitting else p.title
    return form


def _visit_args(d: dict) -> dict:
    return {"visited_on": d["visited_on"], "form": d["form"], "discussion": d["discussion"],
            "companions": d["companions"], "internal_note": d["internal_note"], "problems": d["problems"],
            "needs": d["need_list"], "policies": list(d["policies"]), "photos": d["photos"]}


@login_required
def visit_new(request):
    user = request.user
    firms = selectors.visitable_firms(user)
    if not firms.exists():
        raise PermissionDenied
    initial = {"visited_on": timezone.localdate(), "form": Visit.Form.ONSITE}
    if request.GET.get("enterprise"):
        initial["enterprise"] = inputs.object_id(request.GET["enterprise"], "enterprise")
    if request.GET.get("campaign"):
        initial["campaign"] = inputs.object_id(request.GET["campaign"], "campaign")
    firm_id = initial.get("enterprise") or inputs.optional_id(request.POST.get("enterprise"), "enterprise")
    form = _visit_form(request, data=request.POST or None, files=request.FILES or None, initial=initial,
                       firm=firms.filter(pk=firm_id).first() if firm_id else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                v = services.visit_record(actor=user, enterprise=d["enterprise"], campaign=d["campaign"],
                                          idempotency_key=request.POST.get("idempotency_key", "")[:64],
                                          **_visit_args(d))
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                n = v.problems.count()
                messages.success(request, _("Visit %(number)s recorded; %(n)d problem(s) registered in the ledger.")
                                 % {"number": v.number, "n": n})
                return redirect("service:visit", pk=v.pk)
        status = 400
    import secrets

    return render(request, "service/visit_form.html", {
        "form": form, "key": request.POST.get("idempotency_key") or secrets.token_urlsafe(16)}, status=status)


def _visit_or_404(request, pk) -> Visit:
    try:
        return selectors.visit_detail(request.user, pk)
    except Visit.DoesNotExist:
        raise Http404 from None


def _visit_context(request, v: Visit, bound=None):
    panels = actionforms.panels(TABLE, request.user, v, lambda name: reverse("service:visit_act", args=[v.pk, name]),
                                bound=bound, open_=("confirm",))
    staff = may(request.user, "service.view")
    return {"v": v, "actions": panels, "events": selectors.visit_events(request.user, v), "staff": staff,
            "can_edit": may(request.user, "service.edit_visit", v)}


@login_required
def visit(request, pk: int):
    v = _visit_or_404(request, pk)
    return render(request, "service/visit.html", _visit_context(request, v))


@login_required
def visit_edit(request, pk: int):
    v = _visit_or_404(request, pk)
    if not may(request.user, "service.edit_visit", v):
        raise PermissionDenied
    initial = {"visited_on": v.visited_on, "form": v.form, "companions": v.companions, "discussion": v.discussion,
               "internal_note": v.internal_note, "policies": list(v.policies.all())}
    form = _visit_form(request, data=request.POST or None, files=request.FILES or None, initial=initial,
                       editing=True, firm=v.enterprise)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.visit_edit(actor=request.user, visit=v,
                                    version=inputs.integer(request.POST.get("version"), "version", min_value=1),
                                    **_visit_args(d))
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Visit corrected."))
                return redirect("service:visit", pk=v.pk)
        status = 400
    return render(request, "service/visit_form.html", {"form": form, "v": v}, status=status)


@login_required
@require_POST
def visit_act(request, pk: int, action: str):
    v = _visit_or_404(request, pk)
    try:
        form = actionforms.take(request, TABLE, action, v)
    except IllegalTransition:
        messages.error(request, _("This is no longer possible: the visit has moved on meanwhile."))
        return render(request, "service/visit.html", _visit_context(request, _visit_or_404(request, pk)), status=409)
    if form is not None:
        return render(request, "service/visit.html",
                      _visit_context(request, _visit_or_404(request, pk), {action: form}), status=400)
    messages.success(request, _("Done."))
    return redirect("service:visit", pk=v.pk)


@login_required
def photo(request, pk: int):
    p = get_object_or_404(Photo.objects.filter(visit__in=selectors.visits_visible_to(request.user)), pk=pk)
    return uploads.serve(p.file, p.name)


# --- policies ---------------------------------------------------------------------------------------------

@login_required
def policies(request):
    user = request.user
    staff = may(user, "service.view")
    qs = selectors.policies_visible_to(user)
    status = inputs.choice(request.GET.get("status", ""), "status", Policy.Status.choices, required=False) \
        if staff else ""
    if status:
        qs = qs.filter(status=status)
    q = inputs.text(request.GET.get("q", ""), "q", required=False, max_length=100, multiline=False)
    if q:
        qs = qs.filter(title__icontains=q)
    page = paging.paginate(request, qs, 30)
    bureaus = wording.bureau_names()
    for p in page.object_list:
        p.in_words = wording.describe(p.conditions, bureaus)
    return render(request, "service/policies.html", {
        "page": page, "staff": staff, "status": status, "q": q, "statuses": Policy.Status.choices,
        "query": "&".join(x for x in ((f"status={status}" if status else ""), (f"q={q}" if q else "")) if x),
        "can_add": may(user, "service.manage_policies")})


def _policy_form_page(request, policy=None):
    if not may(request.user, "service.manage_policies"):
        raise PermissionDenied
    if policy is not None and policy.status == Policy.Status.WITHDRAWN:
        raise PermissionDenied
    initial = forms.PolicyForm.initial_for(policy) if policy else {
        "effective_on": timezone.localdate(), "paying_department": _department_of(request.user)}
    form = forms.PolicyForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = {k: form.cleaned_data[k] for k in services.POLICY_FIELDS}
            try:
                if policy is None:
                    policy = services.policy_create(actor=request.user, **d)
                else:
                    policy = services.policy_update(
                        actor=request.user, policy=policy, **d,
                        version=inputs.integer(request.POST.get("version"), "version", min_value=1))
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Policy saved."))
                return redirect("service:policy", pk=policy.pk)
        status = 400
    return render(request, "service/policy_form.html", {"form": form, "p": policy}, status=status)


@login_required
def policy_new(request):
    return _policy_form_page(request)


@login_required
def policy_edit(request, pk: int):
    return _policy_form_page(request, get_object_or_404(Policy, pk=pk))


def _explained(leaves):
    return [{"text": wording.leaf_text(x.attr, x.op, x.value, x.negated), "met": x.met != x.negated,
             "actual": wording.value_text(x.attr, x.actual)} for x in leaves]


@login_required
def policy(request, pk: int):
    user = request.user
    p = get_object_or_404(selectors.policies_visible_to(user), pk=pk)
    staff = may(user, "service.view")
    ctx = {"p": p, "staff": staff, "in_words": wording.describe(p.conditions),
           "can_manage": may(user, "service.manage_policies"), "withdraw_form": forms.WithdrawForm()}
    if staff:
        firms = selectors.policy_matches(p)
        page = paging.paginate(request, firms, 50)
        for f in page.object_list:
            f["why"] = _explained(matching.explain(p.conditions, f))
        ctx.update({"page": page, "matched": len(firms), "deliveries": selectors.policy_deliveries(p),
                    "events": list(p.events.filter(payout__isnull=True).select_related("actor").order_by("at", "id")),
                    "payouts": list(p.payouts.order_by("-prepared_at")),
                    "applications": [(Application.Status(r["status"]).label, r["n"]) for r in p.applications.values(
                        "status").annotate(n=Count("pk")).order_by("status")],
                    "can_prepare": p.automatic and p.status == "published"
                    and may(user, "service.prepare_payout", p)})
    else:
        ctx["mine"] = []
        for firm in selectors.member_firms(user):
            attrs = selectors.firm_attributes([firm.pk])
            ctx["mine"].append({"firm": firm, "qualifies": bool(attrs) and matching.matches(p.conditions, attrs[0]),
                                "why": _explained(matching.explain(p.conditions, attrs[0])) if attrs else [],
                                "applications": list(p.applications.filter(enterprise=firm))})
        ctx["can_apply"] = not p.automatic and any(m["qualifies"] for m in ctx["mine"])
    return render(request, "service/policy.html", ctx)


@login_required
@require_POST
def policy_act(request, pk: int, action: str):
    p = get_object_or_404(Policy, pk=pk)
    perm = {"publish": "service.manage_policies", "withdraw": "service.manage_policies",
            "push": "service.push_policy"}.get(action)
    if perm is None:
        raise Http404
    if not request.user.has_perm(perm):
        raise PermissionDenied
    try:
        if action == "publish":
            services.policy_publish(actor=request.user, policy=p)
            messages.success(request, _("The policy is in force: firms see it and are matched against it."))
        elif action == "withdraw":
            form = forms.WithdrawForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Say why the policy is withdrawn."))
            services.policy_withdraw(actor=request.user, policy=p, reason=form.cleaned_data["reason"])
            messages.success(request, _("The policy is withdrawn."))
        else:
            n = services.policy_push(actor=request.user, policy=p)
            messages.success(request, _("Pushed to %(n)d firm(s) that qualify and had not had it yet.") % {"n": n})
    except IllegalTransition:
        messages.error(request, _("This is no longer possible: the policy has moved on meanwhile."))
        return redirect("service:policy", pk=p.pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("service:policy", pk=p.pk)
    return redirect("service:policy", pk=p.pk)


# --- a firm's service file, and the firm's own page ---------------------------------------------------------

def _firm_context(request, firm: Enterprise, facts_form=None):
    result = selectors.firm_policies(firm)
    delivered = selectors.delivered_to(firm)
    qualifies = [{"p": p, "why": _explained(leaves), "delivered": delivered.get(p.pk)}
                 for p, leaves in result["qualifies"]]
    nearly = [{"p": p, "missing": _explained(leaves)} for p, leaves in result["nearly"]]
    latest = firm.service_facts.order_by("-year").first()
    fitting = {q["p"].pk for q in qualifies}
    brought = [d for pk, d in delivered.items() if pk not in fitting]  # handed over, though it does not fit now
    return {"firm": firm, "qualifies": qualifies, "nearly": nearly, "facts": firm.service_facts.all()[:5],
            "brought": brought,
            "visits": selectors.visits_visible_to(request.user).filter(enterprise=firm)[:20],
            "facts_form": facts_form or forms.FactsForm(initial={
                "year": latest.year if latest else timezone.localdate().year - 1,
                "revenue": latest.revenue if latest else None, "headcount": latest.headcount if latest else None,
                "rd_expense": latest.rd_expense if latest else None}),
            "can_set_facts": may(request.user, "service.set_facts", firm)}


def _facts_post(request, firm):
    form = forms.FactsForm(request.POST)
    if form.is_valid():
        try:
            services.facts_set(actor=request.user, enterprise=firm, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Figures saved; the policies that fit are worked out again."))
            return None
    return form


@login_required
def firm(request, pk: int):
    _staff(request)
    f = get_object_or_404(Enterprise, pk=pk)
    form = None
    if request.method == "POST":
        if not may(request.user, "service.set_facts", f):
            raise PermissionDenied
        form = _facts_post(request, f)
        if form is None:
            return redirect("service:firm", pk=f.pk)
    return render(request, "service/firm.html", _firm_context(request, f, form), status=400 if form else 200)


@login_required
def for_you(request):
    firms = list(selectors.member_firms(request.user))
    if not firms:
        raise PermissionDenied
    if len(firms) > 1 and request.GET.get("firm"):
        chosen = inputs.object_id(request.GET["firm"], "firm")
        firm_obj = next((x for x in firms if x.pk == chosen), None)
        if firm_obj is None:
            raise Http404
    else:
        firm_obj = firms[0]
    form = None
    if request.method == "POST":
        if not may(request.user, "service.set_facts", firm_obj):
            raise PermissionDenied
        form = _facts_post(request, firm_obj)
        if form is None:
            return redirect("service:for_you")
    ctx = _firm_context(request, firm_obj, form)
    ctx["firms"] = firms
    return render(request, "service/for_you.html", ctx, status=400 if form else 200)
