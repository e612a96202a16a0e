from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from yingshang.core import actionforms, exports, paging, roles, uploads
from yingshang.core.actions import IllegalTransition
from yingshang.core.forms import add_errors
from yingshang.core.tabular import TableError
from yingshang.directory.models import Department, Enterprise

from . import exports as credit_exports
from . import forms, selectors, services
from .actions import credit as TABLE
from .models import Grade, ListEntry, Measure, MeasureApplication, Record, Request, RuleSet

PAGE_SIZE = 50


def _staff(request):
    if not request.user.has_perm("credit.view_ledger"):
        raise PermissionDenied


@login_required
def overview(request):
    _staff(request)
    dist = selectors.distribution()
    total = sum(dist.values()) or 1
    return render(request, "credit/overview.html", {
        "dist": [(g, label, dist[g], round(100 * dist[g] / total, 1)) for g, label in Grade.choices],
        "trend": selectors.trend(),
        "red": ListEntry.objects.filter(kind="red", status="active").count(),
        "black": ListEntry.objects.filter(kind="black", status="active").count(),
        "active_records": Record.objects.filter(status__in=selectors.PUBLIC_STATUSES).count(),
        "pending": selectors.request_queue(request.user).count(),
        "ruleset": RuleSet.objects.filter(status=RuleSet.Status.ACTIVE).first(),
        "can_add": request.user.has_perm("credit.add_record"),
    })


@login_required
def firms(request):
    """The firms of a risk class (or all), with score, rule version and since when."""
    _staff(request)
    grade = request.GET.get("grade", "")
    grade = grade if grade in Grade.values else ""
    qs = selectors.standings(grade=grade, q=request.GET.get("q", ""))
    if request.GET.get("export") in ("csv", "xlsx"):
        header = ["企业名称", "统一社会信用代码", "信用等级", "信用分", "规则版本", "等级起始日"]
        rows = ([s.enterprise.name, s.enterprise.uscc, s.grade, s.score, s.ruleset.version, s.since]
                for s in qs.iterator(chunk_size=2000))
        stamp = timezone.localtime().strftime("%Y%m%d")
        if request.GET["export"] == "csv":
            return exports.csv_response(f"企业信用等级-{stamp}.csv", header, rows)
        return exports.xlsx_response(f"企业信用等级-{stamp}.xlsx", header, rows, sheet="信用等级",
                                     widths=[36, 22, 10, 8, 8, 12])
    page = paging.paginate(request, qs, PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "credit/firms.html", {"page": page, "grade": grade, "grades": Grade.choices,
                                                 "q": request.GET.get("q", ""), "query": query.urlencode()})


@login_required
def records(request):
    _staff(request)
    form = forms.FilterForm(request.GET or None)
    status = 200
    try:
        qs = selectors.record_search(request.user, **credit_exports.search_kwargs(request.GET))
    except ValidationError:  # the page shows the form's errors and the whole ledger
        qs, status = selectors.record_search(request.user), 400
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        download = exports.direct(request, export, credit_exports.sheet_of(qs),
                                  _("These %(rows)s records are more than a page downloads at once (%(limit)s): "
                                    "export them in the background."))
        if download is not None:
            return download
        status = 400
    page = paging.paginate(request, qs, PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    return render(request, "credit/records.html", {"form": form, "page": page, "query": query.urlencode(),
                                                   "export_background": page.paginator.count > exports.direct_rows(),
                                                   "can_add": request.user.has_perm("credit.add_record")},
                  status=status)


@login_required
def record_new(request):
    if not request.user.has_perm("credit.add_record"):
        raise PermissionDenied
    admin = request.user.has_perm("credit.edit_rules")
    initial = {}
    if request.GET.get("enterprise", "").isdecimal():
        ent = Enterprise.objects.filter(pk=request.GET["enterprise"]).first()
        initial = {"uscc": ent.uscc} if ent else {}
    form = forms.RecordForm(request.POST or None, initial=initial,
                            departments=Department.objects.filter(active=True) if admin else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            ent = Enterprise.objects.filter(uscc=d["uscc"]).first()
            if ent is None:
                form.add_error("uscc", _("No enterprise with this credit code."))
            else:
                try:
                    rec = services.record_create(
                        actor=request.user, enterprise=ent, kind=d["kind"], severity=d["severity"],
                        department=d.get("department"), decision_number=d["decision_number"],
                        decided_on=d["decided_on"], description=d["description"], public_from=d["public_from"],
                        public_to=d["public_to"], request=request)
                except ValidationError as exc:
                    add_errors(form, exc)
                except PermissionDenied as exc:
                    form.add_error(None, str(exc))
                else:
                    messages.success(request, _("Record entered; %(firm)s has been rescored.") % {"firm": ent.name})
                    return redirect("credit:record", pk=rec.pk)
        status = 400
    return render(request, "credit/record_new.html", {"form": form}, status=status)


@login_required
def records_import(request):
    if not request.user.has_perm("credit.import_records"):
        raise PermissionDenied
    if request.GET.get("template"):
        header, rows = services.import_template_rows()
        return exports.xlsx_response("信用记录导入模板.xlsx", header, rows, sheet="信用记录")
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    report, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            f = form.cleaned_data["file"]
            try:
                report = services.records_import(actor=request.user, data=f.read(), filename=f.name, request=request)
            except TableError as exc:
                form.add_error("file", str(exc))
            else:
                if report.ok:
                    messages.success(request, ngettext("%(n)d record imported.", "%(n)d records imported.", report.created)
                                     % {"n": report.created})
                    return redirect("credit:records")
        status = 400
    return render(request, "credit/import.html", {"form": form, "report": report}, status=status)


def _record_or_404(request, pk) -> Record:
    try:
        return selectors.record_detail(request.user, pk)
    except Record.DoesNotExist:
        raise Http404 from None


MESSAGES = {
    "objection": gettext_lazy("Your objection was filed; the record is flagged until the department answers."),
    "repair": gettext_lazy("Your repair application was filed."),
    "decide": gettext_lazy("Decision recorded; the firm has been rescored and told."),
    "revoke": gettext_lazy("The record was revoked."),
}


def _record_context(request, rec: Record, bound: dict | None = None):
    user = request.user
    reqs = list(selectors.record_requests(rec))
    pending = [r for r in reqs if r.status == Request.Status.PENDING]
    actions = [(a, (bound or {}).get(a.name) or actionforms.form_class(a)(prefix=a.name))
               for a in TABLE.available(user, rec)]
    earliest = services.repair_earliest(rec) if rec.is_negative else None
    return {"r": rec, "events": list(selectors.record_events(rec)), "requests": reqs, "pending": pending,
            "actions": actions, "earliest": earliest, "today": timezone.localdate(),
            "is_staff_member": roles.is_staff_member(user)}


@login_required
def record(request, pk: int):
    rec = _record_or_404(request, pk)
    return render(request, "credit/record.html", _record_context(request, rec))


@login_required
@require_POST
def record_act(request, pk: int, action: str):
    rec = _record_or_404(request, pk)
    if action not in TABLE.actions:
        raise Http404
    a = TABLE[action]
    if not a.allowed(request.user, rec):  # who may act, before what they sent is read
        raise PermissionDenied
    form = actionforms.form_class(a)(request.POST, request.FILES, prefix=action)
    status = 400
    if form.is_valid():
        try:
            a.perform(request.user, rec, form.cleaned_data)
        except IllegalTransition:
            messages.error(request, _("This is no longer possible: the record has changed meanwhile."))
            status = 409
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, MESSAGES[action])
            return redirect("credit:record", pk=rec.pk)
    rec = _record_or_404(request, pk)
    return render(request, "credit/record.html", _record_context(request, rec, {action: form} if status == 400 else None),
                  status=status)


@login_required
def evidence(request, pk: int):
    req = get_object_or_404(Request.objects.select_related("record"), pk=pk)
    try:
        selectors.record_detail(request.user, req.record_id)
    except Record.DoesNotExist:
        raise Http404 from None
    return uploads.serve(req.evidence, req.evidence_name or "evidence", attachment=True)


@login_required
def lists(request):
    _staff(request)
    kind = request.GET.get("kind", "black") if request.GET.get("kind") in ("red", "black") else "black"
    status = "ended" if request.GET.get("status") == "ended" else "active"
    can_manage = request.user.has_perm("credit.manage_lists")
    form = forms.ListEntryForm(request.POST or None, initial={"kind": kind}) if can_manage else None
    code = 200
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            d = form.cleaned_data
            ent = Enterprise.objects.filter(uscc=d["uscc"]).first()
            if ent is None:
                form.add_error("uscc", _("No enterprise with this credit code."))
            else:
                try:
                    services.list_add(actor=request.user, enterprise=ent, kind=d["kind"], basis=d["basis"],
                                      starts_on=d["starts_on"], ends_on=d["ends_on"])
                except ValidationError as exc:
                    add_errors(form, exc)
                else:
                    messages.success(request, _("%(firm)s was put on the list.") % {"firm": ent.name})
                    return redirect(f"{request.path}?kind={d['kind']}")
        code = 400
    page = paging.paginate(request, selectors.list_entries(kind=kind, status=status, q=request.GET.get("q", "")), PAGE_SIZE)
    return render(request, "credit/lists.html", {"page": page, "kind": kind, "status": status, "form": form,
                                                 "query": f"kind={kind}&status={status}", "can_manage": can_manage},
                  status=code)


@login_required
@require_POST
def list_end(request, pk: int):
    entry = get_object_or_404(ListEntry, pk=pk)
    form = forms.ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Give the reason."))
        services.list_end(actor=request.user, entry=entry, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        back = f"{reverse('credit:lists')}?kind={entry.kind}"
        return render(request, "credit/error.html", {"errors": exc.messages, "back": back}, status=400)
    messages.success(request, _("The entry has ended."))
    return redirect(f"{reverse('credit:lists')}?kind={entry.kind}")


@login_required
def queue(request):
    _staff(request)
    status = request.GET.get("status", "pending")
    status = status if status in Request.Status.values else "pending"
    page = paging.paginate(request, selectors.request_queue(request.user, status=status), PAGE_SIZE)
    return render(request, "credit/queue.html", {"page": page, "status": status, "query": f"status={status}",
                                                 "now": timezone.now()})


@login_required
def rules(request):
    _staff(request)
    sets = list(RuleSet.objects.prefetch_related("rules").select_related("created_by"))
    current = next((s for s in sets if s.status == RuleSet.Status.ACTIVE), None)
    shown = current
    if request.GET.get("version", "").isdecimal():
        shown = next((s for s in sets if s.version == int(request.GET["version"])), current)
    return render(request, "credit/rules.html", {"sets": sets, "current": current, "shown": shown,
                                                 "can_edit": request.user.has_perm("credit.edit_rules")})


@login_required
@require_POST
def rules_draft(request):
    try:
        draft = services.ruleset_new_draft(actor=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("credit:rules")
    return redirect("credit:rules_edit", pk=draft.pk)


@login_required
def rules_edit(request, pk: int):
    if not request.user.has_perm("credit.edit_rules"):
        raise PermissionDenied
    rs = get_object_or_404(RuleSet, pk=pk)
    if rs.status != RuleSet.Status.DRAFT:
        messages.error(request, _("Version %(v)s is not a draft: make a new draft to change the rules.")
                       % {"v": rs.version})
        return redirect(f"{reverse('credit:rules')}?version={rs.version}")
    initial_rules = [{"kind": r.kind, "severity": r.severity, "delta": r.delta, "counts_days": r.counts_days,
                      "cap": r.cap, "list_kind": r.list_kind, "repair_after_days": r.repair_after_days}
                     for r in rs.rules.all()]
    form = forms.RuleSetForm(request.POST or None, initial={"name": rs.name, "base": rs.base, "a_min": rs.a_min,
                                                            "b_min": rs.b_min, "c_min": rs.c_min, "note": rs.note})
    formset = forms.RuleFormSet(request.POST or None, initial=initial_rules, prefix="rules")
    status = 200
    if request.method == "POST":
        if form.is_valid() and formset.is_valid():
            rows = [f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
            try:
                if request.POST.get("activate"):
                    services.ruleset_activate(actor=request.user, ruleset=rs, rules=rows, request=request,
                                              **form.cleaned_data)
                    messages.success(request, _("Version %(v)s is in force: every firm is being rescored in the "
                                                "background (the background jobs page shows when it is done).")
                                     % {"v": rs.version})
                    return redirect("credit:rules")
                services.ruleset_update(actor=request.user, ruleset=rs, rules=rows, request=request,
                                        **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, " ".join(exc.messages))
            else:
                messages.success(request, _("Draft saved."))
                return redirect("credit:rules_edit", pk=rs.pk)
        status = 400
    return render(request, "credit/rules_edit.html", {"rs": rs, "form": form, "formset": formset}, status=status)


@login_required
def measures(request):
    _staff(request)
    return render(request, "credit/measures.html", {
        "measures": Measure.objects.all(),
        "log": MeasureApplication.objects.select_related("measure", "enterprise", "actor")[:50]})


@login_required
def mine(request):
    """A firm's own credit: the credit panel of its profile (the list of its firms when it acts for several)."""
    from yingshang.directory.selectors import enterprise_ids_of_member

    firms = enterprise_ids_of_member(request.user)
    if len(firms) == 1:
        return redirect(reverse("directory:enterprise", args=[firms[0]]) + "#panel-credit")
    return redirect("directory:enterprises")


# --- the 一企一档 panel -----------------------------------------------------------------------------

def panel_visible(user, enterprise) -> bool:
    return user.has_perm("credit.view_explanation", enterprise)


def _by_list(entries) -> list[dict]:
    """One badge per list, however many bases put the firm on it."""
    out = {}
    for e in entries:
        item = out.setdefault(e.kind, {"kind": e.kind, "label": e.get_kind_display(), "since": e.starts_on,
                                       "bases": []})
        item["since"] = min(item["since"], e.starts_on)
        item["bases"].append(e.basis)
    return sorted(out.values(), key=lambda i: i["kind"] != "black")


def enterprise_panel_context(request, enterprise):
    standing = selectors.standing_of(enterprise.pk)
    applies = selectors.measures_for(enterprise.pk)
    history = list({h.as_of: h for h in selectors.score_history(enterprise.pk)}.values())  # each day's last score
    recs = list(selectors.record_search(request.user, enterprise=enterprise.pk)[:20])
    by_id = {r.pk: r for r in recs}
    explanation = [{**e, "record_obj": by_id.get(e["record"])} for e in (standing.explanation if standing else [])]
    return {"standing": standing, "grade": applies["grade"], "lists": applies["lists"],
            "measures": applies["measures"], "records": recs, "explanation": explanation,
            "entries": _by_list(selectors.active_lists(enterprise.pk)),
            "history": {"dates": [h.as_of.isoformat() for h in history], "scores": [h.score for h in history],
                        "grades": [h.grade for h in history]},
            "can_add": request.user.has_perm("credit.add_record"), "enterprise": enterprise}
