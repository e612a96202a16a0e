"""The pages of 银企对接: the financing board (officials: needs, matches by state, figures; a firm: its needs and
which banks it has authorised; a bank's officer: the matches it may see), a need with its matches worked step
by step, the banks' products, matchmaking meetings, and a firm's file as a consenting bank reads it (logged)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yingshang.core import actionforms, paging, roles
from yingshang.core.actions import IllegalTransition
from yingshang.core.forms import add_errors

from . import forms, selectors, services
from .actions import financing as TABLE
from .models import Bank, FinancingNeed, LoanProduct, Match, Matchmaking
from .permissions import bank_of, may


def _allowed(user):
    return may(user, "service.view") or bank_of(user) is not None or roles.has_role(user, roles.ENTERPRISE)


@login_required
def needs(request):
    user = request.user
    if not _allowed(user):
        raise PermissionDenied
    qs = selectors.needs_visible_to(user).order_by("-created_at", "-id")
    status = request.GET.get("status", "")
    if status in FinancingNeed.Status.values:
        qs = qs.filter(status=status)
    page = paging.paginate(request, qs, 30)
    staff = may(user, "service.view")
    firms = list(selectors.member_firms(user)) if not staff and bank_of(user) is None else []
    consents = {}
    if firms:
        consents = selectors.live_consents(firms[0].pk)
    return render(request, "service/needs.html", {
        "page": page, "staff": staff, "bank": bank_of(user), "status": status, "statuses": FinancingNeed.Status.choices,
        "query": f"status={status}" if status else "", "figures": selectors.financing_figures() if staff else None,
        "firms": firms, "banks": Bank.objects.filter(active=True) if firms else [], "consents": consents,
        "can_manage": may(user, "service.manage_financing")})


@login_required
def need_new(request):
    user = request.user
    firms = selectors.member_firms(user) if roles.has_role(user, roles.ENTERPRISE) else \
        selectors.visitable_firms(user)
    if not firms.exists():
        raise PermissionDenied
    form = forms.NeedForm(request.POST or None, firms=firms)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                n = services.need_register(actor=user, **form.cleaned_data)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Financing need %(number)s registered.") % {"number": n.number})
                return redirect("service:need", pk=n.pk)
        status = 400
    return render(request, "service/need_new.html", {"form": form}, status=status)


def _need_or_404(request, pk) -> FinancingNeed:
    try:
        return selectors.needs_visible_to(request.user).get(pk=pk)
    except FinancingNeed.DoesNotExist:
        raise Http404 from None


def _need_context(request, n: FinancingNeed, bound=None):
    user = request.user
    rows = []
    for m in selectors.matches_visible_to(user, n):
        panels = []
        for a in TABLE.available(user, m):
            key = f"{a.name}-{m.pk}"
            form = (bound or {}).get(key) or actionforms.form_class(a)(prefix=a.name)
            panels.append({"action": a.name, "label": a.label, "style": a.style, "form": form,
                           "url": reverse("service:match_act", args=[m.pk, a.name])})
        rows.append({"m": m, "panels": panels})
    staff = may(user, "service.view")
    events = n.events.select_related("actor").order_by("at", "id")
    return {"n": n, "rows": rows, "staff": staff, "events": list(events if staff else events.filter(public=True)),
            "consents": selectors.live_consents(n.enterprise_id),
            "can_suggest": n.status == "open" and may(user, "service.manage_financing"),
            "is_firm": may(user, "service.consent", n.enterprise), "bank": bank_of(user),
            "meetings": Matchmaking.objects.order_by("-held_on")[:20]}


@login_required
def need(request, pk: int):
    n = _need_or_404(request, pk)
    return render(request, "service/need.html", _need_context(request, n))


@login_required
@require_POST
def need_act(request, pk: int, action: str):
    n = _need_or_404(request, pk)
    user = request.user
    try:
        if action == "suggest":
            if not may(user, "service.manage_financing"):
                raise PermissionDenied
            meeting = None
            if request.POST.get("meeting"):
                from yingshang.core import inputs

                meeting = get_object_or_404(Matchmaking, pk=inputs.object_id(request.POST["meeting"], "meeting"))
            made = services.matches_suggest(actor=user, need=n, meeting=meeting)
            messages.success(request, _("%(n)d product(s) fit; the firm is asked to authorise the banks.")
                             % {"n": len(made)})
        elif action == "withdraw":
            if not may(user, "service.consent", n.enterprise):
                raise PermissionDenied
            services.need_withdraw(actor=user, need=n)
            messages.success(request, _("Withdrawn."))
        else:
            raise Http404
    except IllegalTransition:
        messages.error(request, _("This is no longer possible: the need has moved on meanwhile."))
        return render(request, "service/need.html", _need_context(request, _need_or_404(request, pk)), status=409)
    return redirect("service:need", pk=n.pk)


@login_required
@require_POST
def match_act(request, pk: int, action: str):
    m = get_object_or_404(Match.objects.select_related("need", "product__bank"), pk=pk)
    n = _need_or_404(request, m.need_id)  # the need must be visible to the user
    if not selectors.matches_visible_to(request.user, n).filter(pk=m.pk).exists() or action not in TABLE.actions:
        raise Http404
    try:
        form = actionforms.take(request, TABLE, action, m)
    except IllegalTransition:
        messages.error(request, _("This is no longer possible: the match has moved on meanwhile."))
        return render(request, "service/need.html", _need_context(request, _need_or_404(request, n.pk)), status=409)
    if form is not None:
        return render(request, "service/need.html",
                      _need_context(request, _need_or_404(request, n.pk), {f"{action}-{m.pk}": form}), status=400)
    messages.success(request, _("Done."))
    return redirect("service:need", pk=n.pk)


@login_required
@require_POST
def consent(request, pk: int, action: str):
    """The firm authorises a bank (``grant``) or takes the authorisation back (``revoke``)."""
    firms = list(selectors.member_firms(request.user))
    if not firms:
        raise PermissionDenied
    bank = get_object_or_404(Bank, pk=pk, active=True)
    from yingshang.core import inputs

    firm_id = inputs.optional_id(request.POST.get("enterprise"), "enterprise") or firms[0].pk
    firm = next((f for f in firms if f.pk == firm_id), None)
    if firm is None:
        raise PermissionDenied
    try:
        if action == "grant":
            services.consent_grant(actor=request.user, enterprise=firm, bank=bank)
            messages.success(request, _("%(bank)s may now see your firm's file and credit.") % {"bank": bank})
        elif action == "revoke":
            services.consent_revoke(actor=request.user, enterprise=firm, bank=bank)
            messages.success(request, _("%(bank)s no longer sees your firm's file.") % {"bank": bank})
        else:
            raise Http404
    except IllegalTransition:
        messages.error(request, _("There is no authorisation to take back."))
    return redirect(request.POST.get("next") if request.POST.get("next", "").startswith("/assist/")
                    else reverse("service:needs"))


@login_required
def bank_file(request, pk: int):
    """A firm's file as a consenting bank's officer reads it: its particulars, credit class and yearly figures.
    Every opening is logged; without a live consent of the firm for that bank, nothing."""
    from yingshang.directory.models import Enterprise

    if bank_of(request.user) is None:
        raise PermissionDenied
    firm = get_object_or_404(Enterprise, pk=pk)
    try:
        services.bank_read_file(actor=request.user, enterprise=firm)
    except PermissionDenied:
        raise Http404 from None
    from yingshang.credit.selectors import standing_of

    return render(request, "service/bank_file.html", {
        "firm": firm, "standing": standing_of(firm.pk), "facts": firm.service_facts.all()[:3],
        "needs": selectors.needs_visible_to(request.user).filter(enterprise=firm)})


# --- products and meetings (officials) -------------------------------------------------------------------------

@login_required
def products(request):
    user = request.user
    if not (may(user, "service.view") or bank_of(user)):
        raise PermissionDenied
    form = forms.ProductForm(request.POST or None) if may(user, "service.manage_financing") else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.product_save(actor=user, **form.cleaned_data)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Product saved."))
                return redirect("service:products")
        status = 400
    from . import wording

    bureaus = wording.bureau_names()
    rows = list(LoanProduct.objects.select_related("bank").order_by("bank__name", "name"))
    for p in rows:
        p.in_words = wording.describe(p.conditions, bureaus)
    return render(request, "service/products.html", {"rows": rows, "form": form}, status=status)


@login_required
def meetings(request):
    user = request.user
    if not may(user, "service.view"):
        raise PermissionDenied
    form = forms.MeetingForm(request.POST or None, initial={"held_on": timezone.localdate()}) \
        if may(user, "service.manage_financing") else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.meeting_create(actor=user, **form.cleaned_data)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Meeting recorded."))
                return redirect("service:meetings")
        status = 400
    from django.db.models import Count, Q, Sum

    rows = list(Matchmaking.objects.annotate(
        n_banks=Count("banks", distinct=True), n_firms=Count("firms", distinct=True),
        n_matches=Count("matches", distinct=True),
        n_lent=Count("matches", filter=Q(matches__status="lent"), distinct=True)).order_by("-held_on"))
    lent = dict(Match.objects.filter(meeting__in=rows, status="lent").values("meeting_id")
                .annotate(s=Sum("amount_lent")).values_list("meeting_id", "s"))
    for r in rows:
        r.lent = lent.get(r.pk)
    return render(request, "service/meetings.html", {"rows": rows, "form": form}, status=status)
