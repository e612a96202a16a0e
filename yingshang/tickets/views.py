from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from yingshang.core import actionforms, exports, inputs, paging, roles, uploads
from yingshang.core.actions import IllegalTransition
from yingshang.core.forms import add_errors
from yingshang.core.models import SavedView

from . import audiences, forms, selectors, services
from . import exports as ledger_exports
from .actions import tickets as TABLE
from .models import OPEN, Attachment, SupervisionNotice, Ticket
from .permissions import channels_for

PAGE_SIZE = 50


@login_required
def new(request):
    if not services.may(request.user, "raise"):
        raise PermissionDenied
    enterprises = selectors.raisable_enterprises(request.user)
    initial = {"enterprise": request.GET["enterprise"]} if request.GET.get("enterprise", "").isdecimal() else None
    form = forms.RaiseForm(request.POST or None, request.FILES or None, enterprises=enterprises,
                           channels=channels_for(request.user), initial=initial)
    status, kept_files = 200, []
    project_ref = (request.POST.get("project_ref") or request.GET.get("project_ref") or "").strip()[:60]
    if request.method == "POST":
        kept = uploads.kept(request.user, request.POST.getlist("kept"))  # chosen before a form error
        if form.is_valid():
            d = form.cleaned_data
            try:
                t = services.ticket_register(
                    actor=request.user, enterprise=d["enterprise"], category=d["category"], title=d["title"],
                    description=d["description"], urgency=d["urgency"], is_historical=d["is_historical"],
                    channel=d.get("channel") or None, attachments=kept + d["attachments"], project_ref=project_ref)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                uploads.release(kept)
                messages.success(request, _("Registered as %(number)s. You can follow every step here.") % {
                    "number": t.number})
                return redirect("tickets:detail", pk=t.pk)
        # The person need not choose their files again: those that are acceptable are kept for the next try.
        kept_files = uploads.keep(request.user, kept + uploads.acceptable(request.FILES.getlist("attachments")))
        status = 400
    return render(request, "tickets/new.html", {"form": form, "project_ref": project_ref, "kept_files": kept_files},
                  status=status)


@login_required
def similar(request):
    """While a title is typed: the firm's open problems like it (a fragment of the raising page)."""
    if not services.may(request.user, "raise"):
        raise PermissionDenied
    firm = inputs.optional_id(request.GET.get("enterprise"), "enterprise")
    title = inputs.text(request.GET.get("title", ""), "title", required=False)[:120]
    rows = []
    if firm and selectors.raisable_enterprises(request.user).filter(pk=firm).exists():
        rows = selectors.similar_open(request.user, firm, title)
    return render(request, "tickets/_similar.html", {"rows": rows})


@login_required
def mine(request):
    qs = selectors.ledger_rows(selectors.tickets_visible_to(request.user)).order_by("-created_at", "-id")
    status = request.GET.get("status", "")
    if status == "open":
        qs = qs.filter(status__in=OPEN)
    elif status == "resolved":
        qs = qs.filter(status=Ticket.Status.RESOLVED)
    elif status == "done":
        qs = qs.filter(status__in=[Ticket.Status.CLOSED, Ticket.Status.WITHDRAWN, Ticket.Status.MERGED])
    page = paging.paginate(request, qs, 20)
    selectors.lights(page.object_list)
    return render(request, "tickets/mine.html", {"page": page, "status": status, "query": f"status={status}"})


# --- detail and actions ---------------------------------------------------------------------------

def _detail_context(request, t: Ticket, bound: dict | None = None):
    panels = []
    for a in TABLE.available(request.user, t):
        initial = {"lead_department": selectors.proposed_department(t)} if a.name == "dispatch" else None
        form = (bound or {}).get(a.name) or actionforms.form_class(a)(prefix=a.name, initial=initial)
        panels.append({"action": a.name, "label": a.label, "style": a.style, "form": form,
                       "url": reverse("tickets:act", args=[t.pk, a.name]), "open": bool(bound and a.name in bound)})
    if not bound:  # the step the person most likely takes is open; withdrawing, returning and the like stay folded
        main = next((p for p in panels if not p["style"].startswith("outline")), None)
        if main is not None:
            main["open"] = True
            panels.remove(main)
            panels.insert(0, main)
    events = list(selectors.ticket_events(request.user, t))
    selectors.lights([t])
    selectors.green_channel([t])
    staff = roles.is_staff_member(request.user)
    replies = [e for e in events if e.action == "tickets.ticket.responded"]
    # The firm urged today: it is told when it may urge again rather than left looking for the button.
    urged_today = not staff and t.last_urged_at is not None and t.next_due is not None \
        and t.next_due < timezone.now() and not audiences.urge_open(t)
    return {"t": t, "events": events, "actions": panels, "is_staff_member": staff, "urged_today": urged_today,
            "latest_reply": replies[-1] if replies else None,
            "pending_extension": audiences.pending_extension(t) if any(p["action"] == "decide_extension"
                                                                       for p in panels) else None,
            "notices": list(t.notices.select_related("issued_by")[:10]) if staff else []}


@login_required
def detail(request, pk: int):
    try:
        t = selectors.ticket_detail(request.user, pk)
    except Ticket.DoesNotExist:
        raise Http404 from None
    return render(request, "tickets/detail.html", _detail_context(request, t))


@login_required
@require_POST
def act(request, pk: int, action: str):
    if action not in TABLE.actions:
        raise Http404
    a = TABLE[action]
    try:
        t = selectors.ticket_detail(request.user, pk)
    except Ticket.DoesNotExist:
        raise Http404 from None
    if not a.allowed(request.user, t):  # who may act, before anything they sent is read
        raise PermissionDenied
    form = actionforms.form_class(a)(request.POST, request.FILES, prefix=action)
    status = 400
    if form.is_valid():
        try:
            a.perform(request.user, t, form.cleaned_data)
        except IllegalTransition:
            messages.error(request, _("This step is no longer possible: someone else has just moved the problem on. "
                                      "The page shows its current state."))
            status = 409
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Done."))
            return redirect("tickets:detail", pk=pk)
    t = selectors.ticket_detail(request.user, pk)
    bound = {action: form} if status == 400 else None
    return render(request, "tickets/detail.html", _detail_context(request, t, bound), status=status)


@login_required
def sheet(request, pk: int):
    """交办单: the printable assignment of a problem to its departments (officials only)."""
    if not roles.is_staff_member(request.user):
        raise Http404
    try:
        t = selectors.ticket_detail(request.user, pk)
    except Ticket.DoesNotExist:
        raise Http404 from None
    if t.lead_department_id is None:
        raise Http404
    dispatch = next((e for e in reversed(list(selectors.ticket_events(request.user, t)))
                     if e.action in ("tickets.ticket.dispatched", "tickets.ticket.redispatched")), None)
    return render(request, "tickets/sheet.html", {"t": t, "dispatch": dispatch})


@login_required
def attachment(request, pk: int):
    att = get_object_or_404(Attachment.objects.select_related("ticket"), pk=pk)
    if not selectors.tickets_visible_to(request.user).filter(pk=att.ticket_id).exists():
        raise Http404
    return uploads.serve(att.file, att.name, attachment=True)


# --- ledger, inbox, board, statistics ------------------------------------------------------------

@login_required
def ledger(request):
    if not request.user.has_perm("tickets.view_ledger"):
        raise PermissionDenied
    form = forms.LedgerFilterForm(request.GET or None)
    f = form.to_filter() if form.is_bound else selectors.LedgerFilter()
    qs = selectors.ledger(request.user, f)
    export = request.GET.get("export")
    status = 400 if form.is_bound and form.errors else 200
    if export in ("csv", "xlsx"):
        if not request.user.has_perm("tickets.export"):
            raise PermissionDenied
        download = exports.direct(request, export, ledger_exports.sheet_of(qs),
                                  _("These %(rows)s problems are more than a page downloads at once (%(limit)s): "
                                    "export them in the background."))
        if download is not None:
            return download
        status = 400
    keyword = f.q and not selectors.NUMBER.fullmatch(f.q.strip())
    page = paging.paginate(request, selectors.ledger_rows(qs), PAGE_SIZE, estimate=True,
                           count_up_to=paging.COUNT_UP_TO if keyword else None)
    if keyword and getattr(page.paginator, "capped", False):  # found very often: walk the newest for the page
        page.object_list = selectors.ledger_rows(selectors.ledger(request.user, f, many=True))[
            page.start_index() - 1:page.end_index()]
    selectors.lights(page.object_list)
    selectors.green_channel(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    sort_query = query.copy()
    sort_query.pop("order", None)
    return render(request, "tickets/ledger.html", status=status, context={
        "form": form, "page": page, "query": query.urlencode(), "sort_query": sort_query.urlencode(),
        "order": f.order, "can_export": request.user.has_perm("tickets.export"),
        "export_background": page.paginator.count > exports.direct_rows(),
        "can_dispatch": request.user.has_perm("tickets.dispatch_bulk"),
        "can_raise": services.may(request.user, "raise"),
        "dispatch_form": actionforms.form_class(TABLE["dispatch"])(prefix="bulk"),
        "saved_views": list(SavedView.objects.filter(user=request.user, scope="tickets.ledger", active=True)),
    })


@login_required
@require_POST
def bulk_dispatch(request):
    if not request.user.has_perm("tickets.dispatch_bulk"):
        raise PermissionDenied
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = reverse("tickets:ledger")
    form = actionforms.form_class(TABLE["dispatch"])(request.POST, prefix="bulk")
    ids = [i for i in request.POST.getlist("ids") if i.isascii() and i.isdecimal() and len(i) < 19]
    if not form.is_valid() or not ids:
        messages.error(request, _("Choose the problems and a lead department."))
        return redirect(back)
    try:
        result = services.tickets_dispatch_bulk(actor=request.user, ids=ids, **TABLE["dispatch"].data_from(
            form.cleaned_data))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    done, skipped = len(result["dispatched"]), len(result["skipped"])
    messages.success(request, ngettext("%(n)d problem dispatched.", "%(n)d problems dispatched.", done) % {"n": done})
    if skipped:
        messages.warning(request, ngettext("%(n)d was not waiting for dispatch and was left as it is.",
                                           "%(n)d were not waiting for dispatch and were left as they are.",
                                           skipped) % {"n": skipped})
    return redirect(back)


INBOX_TABS = {
    "to_accept": (gettext_lazy("To accept"), {"status": Ticket.Status.DISPATCHED}),
    "in_progress": (gettext_lazy("In progress"), {"status__in": [Ticket.Status.IN_PROGRESS, Ticket.Status.SUSPENDED]}),
    "due_today": (gettext_lazy("Due today or overdue"), None),
    "warning": (gettext_lazy("Due soon"), None),
    "overdue": (gettext_lazy("Overdue"), None),
    "extensions": (gettext_lazy("Extension requests"), None),
}


@login_required
def inbox(request):
    profile = getattr(request.user, "staff_profile", None)
    if profile is None or not roles.has_role(request.user, roles.HANDLER, roles.DEPT_HEAD):
        raise PermissionDenied
    tab = request.GET.get("tab") if request.GET.get("tab") in INBOX_TABS else "to_accept"
    f = selectors.LedgerFilter(department=profile.department_id, order="due")
    if tab in ("warning", "overdue"):
        f.due = tab
    if tab == "extensions":
        f.waiting = "extension"
    qs = selectors.ledger(request.user, f)
    if tab == "due_today":
        end = selectors._day_start(timezone.localdate() + timedelta(days=1))
        qs = qs.filter(status__in=[Ticket.Status.DISPATCHED, Ticket.Status.IN_PROGRESS], next_due__lt=end)
    if INBOX_TABS[tab][1]:
        qs = qs.filter(**INBOX_TABS[tab][1])
    page = paging.paginate(request, selectors.ledger_rows(qs), PAGE_SIZE)
    selectors.lights(page.object_list)
    selectors.green_channel(page.object_list)
    counts = selectors.inbox_counts(request.user)
    return render(request, "tickets/inbox.html", {
        "page": page, "tab": tab, "query": f"tab={tab}", "department": profile.department,
        "tabs": [(key, label, counts.get(key)) for key, (label, _f) in INBOX_TABS.items()
                 if key != "extensions" or roles.has_role(request.user, roles.DEPT_HEAD)]})


@login_required
def board(request):
    if not request.user.has_perm("tickets.view_board"):
        raise PermissionDenied
    data = selectors.board()
    selectors.lights(data["escalated"] + data["in_charge"])
    return render(request, "tickets/board.html", data)


@login_required
def statistics(request):
    if not request.user.has_perm("tickets.view_statistics"):
        raise PermissionDenied
    form = forms.LedgerFilterForm(request.GET or None)
    f = form.to_filter() if form.is_bound else selectors.default_statistics_filter()
    if not (f.created_from or f.created_to):
        f.created_from = selectors.default_statistics_filter().created_from
    stats = selectors.statistics(request.user, f)
    period = f"created_from={f.created_from or ''}&created_to={f.created_to or ''}"
    status_rows = [(code, label, stats["by_status"].get(code, 0)) for code, label in Ticket.Status.choices]
    return render(request, "tickets/statistics.html", status=400 if form.is_bound and form.errors else 200, context={
        "form": form, "s": stats, "period": period, "f": f, "status_rows": status_rows})


@login_required
def notice(request, pk: int):
    n = get_object_or_404(SupervisionNotice.objects.select_related(
        "ticket", "ticket__enterprise", "ticket__lead_department", "issued_by", "department"), pk=pk)
    if not roles.is_staff_member(request.user) or \
            not selectors.tickets_visible_to(request.user).filter(pk=n.ticket_id).exists():
        raise Http404
    return render(request, "tickets/notice.html", {"n": n, "t": n.ticket,
                                                   "events": selectors.ticket_events(request.user, n.ticket)})


def enterprise_panel_context(request, enterprise) -> dict:
    data = selectors.enterprise_summary(request.user, enterprise.pk)
    selectors.lights(data["recent"])
    if enterprise.group_id and roles.is_staff_member(request.user):
        data["group"] = selectors.group_summary(request.user, enterprise.group_id)
        data["group_obj"] = enterprise.group
    data["enterprise"] = enterprise
    data["can_raise"] = request.user.has_perm("tickets.raise", enterprise)
    return data
