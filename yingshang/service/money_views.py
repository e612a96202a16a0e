"""The pages of a policy's money: applications (the firm applies from the policy's page; the paying department
works them), and 免申即享 payout lists (prepared, approved, paid line by line, exported for the finance office)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yingshang.core import actionforms, exports, inputs, paging
from yingshang.core.actions import IllegalTransition
from yingshang.core.forms import add_errors

from . import forms, selectors, services
from .actions import grants as TABLE
from .models import Application, Payout, PayoutLine, Policy
from .permissions import may


@login_required
def applications(request):
    user = request.user
    qs = selectors.applications_visible_to(user)
    staff = may(user, "service.view")
    status = inputs.choice(request.GET.get("status", ""), "status", Application.Status.choices, required=False)
    if status:
        qs = qs.filter(status=status)
    if staff and request.GET.get("mine") == "1":
        from yingshang.directory.permissions import department_id_of

        qs = qs.filter(policy__paying_department_id=department_id_of(user))
    page = paging.paginate(request, qs.order_by("due_at", "pk") if staff else qs, 30)
    now = timezone.now()
    for a in page.object_list:
        a.late = a.status in ("submitted", "accepted", "approved") and a.due_at < now
    return render(request, "service/applications.html", {
        "page": page, "staff": staff, "status": status, "statuses": Application.Status.choices,
        "mine": request.GET.get("mine") == "1",
        "query": "&".join(x for x in ((f"status={status}" if status else ""),
                                      ("mine=1" if request.GET.get("mine") == "1" else "")) if x)})


@login_required
def application_new(request, pk: int):
    """A firm applies for a policy (from the policy's page)."""
    user = request.user
    p = get_object_or_404(selectors.policies_visible_to(user), pk=pk)
    firms = list(selectors.member_firms(user))
    if not firms:
        raise PermissionDenied
    form = forms.ApplicationForm(request.POST or None, firms=selectors.member_firms(user),
                                 initial={"enterprise": firms[0].pk, "amount_requested": p.amount})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                a = services.application_submit(actor=user, policy=p, enterprise=d["enterprise"],
                                                statement=d["statement"], amount_requested=d["amount_requested"])
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Application %(number)s submitted; the department pays by %(due)s.")
                                 % {"number": a.number, "due": timezone.localtime(a.due_at).strftime("%Y-%m-%d")})
                return redirect("service:application", pk=a.pk)
        status = 400
    return render(request, "service/application_new.html", {"form": form, "p": p}, status=status)


def _application_or_404(request, pk) -> Application:
    try:
        return selectors.applications_visible_to(request.user).get(pk=pk)
    except Application.DoesNotExist:
        raise Http404 from None


def _application_context(request, a: Application, bound=None):
    panels = actionforms.panels(TABLE, request.user, a,
                                lambda name: reverse("service:application_act", args=[a.pk, name]), bound=bound,
                                open_=("accept", "pay"))
    staff = may(request.user, "service.view")
    events = a.events.select_related("actor").order_by("at", "id")
    return {"a": a, "actions": panels, "events": list(events if staff else events.filter(public=True)),
            "staff": staff, "late": a.status in ("submitted", "accepted", "approved") and a.due_at < timezone.now()}


@login_required
def application(request, pk: int):
    a = _application_or_404(request, pk)
    return render(request, "service/application.html", _application_context(request, a))


@login_required
@require_POST
def application_act(request, pk: int, action: str):
    a = _application_or_404(request, pk)
    try:
        form = actionforms.take(request, TABLE, action, a)
    except IllegalTransition:
        messages.error(request, _("This is no longer possible: the application has moved on meanwhile."))
        return render(request, "service/application.html", _application_context(request, _application_or_404(
            request, pk)), status=409)
    if form is not None:
        return render(request, "service/application.html", _application_context(
            request, _application_or_404(request, pk), {action: form}), status=400)
    messages.success(request, _("Done."))
    return redirect("service:application", pk=a.pk)


# --- 免申即享 payout lists ------------------------------------------------------------------------------------

@login_required
@require_POST
def payout_prepare(request, pk: int):
    p = get_object_or_404(Policy, pk=pk)
    if not may(request.user, "service.prepare_payout", p):
        raise PermissionDenied
    try:
        po = services.payout_prepare(actor=request.user, policy=p)
    except IllegalTransition:
        messages.error(request, _("This is no longer possible: the policy has moved on meanwhile."))
        return redirect("service:policy", pk=p.pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("service:policy", pk=p.pk)
    messages.success(request, _("Payout list %(number)s prepared; the department head approves it.")
                     % {"number": po.number})
    return redirect("service:payout", pk=po.pk)


def _payout_or_404(request, pk) -> Payout:
    try:
        return selectors.payouts_visible_to(request.user).get(pk=pk)
    except Payout.DoesNotExist:
        raise Http404 from None


@login_required
def payout(request, pk: int):
    po = _payout_or_404(request, pk)
    if request.GET.get("format") == "xlsx":
        lines = po.lines.select_related("enterprise").order_by("enterprise__name", "pk")
        header = [_("Enterprise"), _("Unified social credit code"), _("Amount (yuan)"), _("Paid on"),
                  _("Payment voucher")]
        rows = ([ln.enterprise.name, ln.enterprise.uscc, ln.amount, ln.paid_on, ln.voucher] for ln in lines)
        return exports.xlsx_response(f"{po.number}.xlsx", header, rows, sheet=po.number)
    return _payout_page(request, po)


def _payout_page(request, po: Payout, status: int = 200):
    lines = po.lines.select_related("enterprise", "paid_by").order_by("enterprise__name", "pk")
    page = paging.paginate(request, lines, 100)
    user = request.user
    return render(request, "service/payout.html", {
        "po": po, "page": page, "pay_form": forms.PaymentForm(initial={"paid_on": timezone.localdate()}),
        "can_approve": po.status == "prepared" and may(user, "service.approve_payout", po)
        and po.prepared_by_id != user.pk,
        "can_pay": po.status == "approved" and may(user, "service.record_payment", po),
        "events": list(po.events.select_related("actor", "enterprise").order_by("at", "id")),
        "paid": po.lines.filter(paid_on__isnull=False).count(), "count": po.lines.count()}, status=status)


@login_required
@require_POST
def payout_act(request, pk: int, action: str):
    po = _payout_or_404(request, pk)
    user = request.user
    perm = {"approve": "service.approve_payout", "pay": "service.record_payment"}.get(action)
    if perm is None:
        raise Http404
    if not user.has_perm(perm, po):
        raise PermissionDenied
    try:
        if action == "approve":
            services.payout_approve(actor=user, payout=po)
            messages.success(request, _("Approved: the firms are told; record each payment as it is made."))
        else:
            line = get_object_or_404(PayoutLine, pk=inputs.object_id(request.POST.get("line"), "line"), payout=po)
            form = forms.PaymentForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Enter the voucher number and the date paid."))
            services.payout_pay(actor=user, line=line, **form.cleaned_data)
            messages.success(request, _("Payment recorded."))
    except IllegalTransition:
        messages.error(request, _("This is no longer possible: the list has moved on meanwhile."))
        return redirect("service:payout", pk=po.pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _payout_page(request, _payout_or_404(request, pk), 400)
    return redirect("service:payout", pk=po.pk)
