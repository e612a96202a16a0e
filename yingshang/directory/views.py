from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from yingshang.core import exports, paging, roles
from yingshang.core.tabular import TableError

from . import exports as directory_exports
from . import panels, selectors, services
from .forms import DepartmentFilterForm, EnterpriseFilterForm, ImportForm
from .models import Enterprise

PAGE_SIZE = 30
TIMELINE_ON_PROFILE = 8
TIMELINE_IN_FILE = 200


@login_required
def enterprise_list(request):
    if not roles.is_staff_member(request.user):
        ids = selectors.enterprise_ids_of_member(request.user)
        if len(ids) == 1:
            return redirect("directory:enterprise", pk=ids[0])
    form = EnterpriseFilterForm(request.GET or None, industries=selectors.enterprise_industries())
    qs = selectors.enterprise_search(request.user, **(form.search_kwargs() if form.is_bound else {}),
                                     order=request.GET.get("order", "name"))
    export = request.GET.get("export")
    status = 200
    if export in ("csv", "xlsx"):
        if not request.user.has_perm("directory.export_enterprises"):
            raise PermissionDenied
        download = exports.direct(request, export, directory_exports.sheet_of(qs),
                                  _("These %(rows)s firms are more than a page downloads at once (%(limit)s): "
                                    "export them in the background."))
        if download is not None:
            return download
        status = 400
    page = paging.paginate(request, qs, PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    return render(request, "directory/enterprise_list.html", {
        "form": form, "page": page, "query": query.urlencode(),
        "can_import": request.user.has_perm("directory.import_enterprises"),
        "can_export": request.user.has_perm("directory.export_enterprises"),
        "export_background": page.paginator.count > exports.direct_rows(),
        "is_staff_member": roles.is_staff_member(request.user),
    }, status=status)


def _profile(request, pk: int, *, with_panels: bool = True) -> dict:
    try:
        enterprise = selectors.enterprise_profile(request.user, pk)
    except Enterprise.DoesNotExist:
        raise Http404 from None
    stewardships = list(enterprise.stewardships.all())
    return {
        "e": enterprise,
        "current": next((s for s in stewardships if s.ended_on is None), None),
        "history": [s for s in stewardships if s.ended_on is not None],
        "members": enterprise.members.all(),
        "show_contacts": request.user.has_perm("directory.view_enterprise_contacts", enterprise),
        "panels": panels.panels_for(request, enterprise) if with_panels else [],
    }


def _timeline(request, rows, *, kinds):
    from yingshang.core import activity

    staff = roles.is_staff_member(request.user)
    return {"timeline": activity.resolve(rows, internal=staff), "show_people": staff,
            "timeline_kinds": selectors.timeline_kinds(request.user), "kind": kinds[0] if kinds else ""}


def _kinds(request) -> list[str]:
    kind = request.GET.get("kind", "")
    return [kind] if kind in dict(selectors.timeline_kinds(request.user)) else []


@login_required
def enterprise_detail(request, pk: int):
    ctx = _profile(request, pk)
    ctx["can_locate"] = request.user.has_perm("directory.locate_enterprise", ctx["e"])
    rows = selectors.enterprise_timeline(request.user, ctx["e"].pk)[:TIMELINE_ON_PROFILE]
    ctx.update(_timeline(request, rows, kinds=[]))
    return render(request, "directory/enterprise_detail.html", ctx)


@login_required
def enterprise_location(request, pk: int):
    """Where the firm is on the zone's map, set by clicking it (those who look after the firm)."""
    from django.core.exceptions import ValidationError

    from . import forms as directory_forms
    from . import services

    ctx = _profile(request, pk, with_panels=False)
    e = ctx["e"]
    if not request.user.has_perm("directory.locate_enterprise", e):
        raise PermissionDenied
    form = directory_forms.LocationForm(request.POST or None, initial={"lng": e.lng, "lat": e.lat})
    status = 200
    if request.method == "POST":
        try:
            services.enterprise_locate(actor=request.user, enterprise=e, lng=request.POST.get("lng", ""),
                                       lat=request.POST.get("lat", ""), request=request)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            status = 400
        else:
            messages.success(request, _("The firm's place on the map is saved."))
            return redirect("directory:enterprise", pk=e.pk)
    ctx["form"] = form
    return render(request, "directory/enterprise_location.html", ctx, status=status)


@login_required
def enterprise_timeline(request, pk: int):
    """The firm's whole timeline, filterable by kind, a page at a time."""
    ctx = _profile(request, pk, with_panels=False)
    kinds = _kinds(request)
    page = paging.paginate(request, selectors.enterprise_timeline(request.user, ctx["e"].pk, kinds), 50)
    ctx.update(_timeline(request, page.object_list, kinds=kinds))
    ctx.update({"page": page, "query": f"kind={ctx['kind']}" if ctx["kind"] else ""})
    return render(request, "directory/enterprise_timeline.html", ctx)


@login_required
def enterprise_file(request, pk: int):
    """The printable firm file (一企一档): every panel of the profile and the latest of its timeline."""
    ctx = _profile(request, pk)
    rows = selectors.enterprise_timeline(request.user, ctx["e"].pk)[:TIMELINE_IN_FILE]
    ctx.update(_timeline(request, rows, kinds=[]))
    ctx["printed_at"] = timezone.localtime()
    return render(request, "directory/enterprise_file.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_import(request):
    if not request.user.has_perm("directory.import_enterprises"):
        raise PermissionDenied
    report = None
    status = 200
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                report = services.enterprises_import(actor=request.user, data=upload.read(), filename=upload.name,
                                                     request=request)
            except TableError as exc:
                form.add_error("file", str(exc))
        if report is not None and report.ok:
            messages.success(request, _("Import finished: %(c)d created, %(u)d updated, %(n)d unchanged.") % {
                "c": report.created, "u": report.updated, "n": report.unchanged})
            return redirect("directory:enterprises")
        status = 400
    return render(request, "directory/enterprise_import.html", {"form": form, "report": report}, status=status)


@login_required
def import_template(request):
    if not request.user.has_perm("directory.import_enterprises"):
        raise PermissionDenied
    header, rows = services.import_template_rows()
    return exports.xlsx_response("企业导入模板.xlsx", header, rows, sheet="企业名录", widths=[30] * len(header))


@login_required
def department_list(request):
    if not request.user.has_perm("directory.view_departments"):
        raise PermissionDenied
    form = DepartmentFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    departments = list(selectors.department_search(q=data.get("q", ""), kind=data.get("kind", "")))
    return render(request, "directory/department_list.html", {"form": form, "departments": departments})
