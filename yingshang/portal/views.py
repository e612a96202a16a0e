"""Every public page (一公开), no login: the credit search, a firm's public records, the red and black lists;
the inspection plans, draws (with their verifiable records) and results. Only what is published: no people,
no phone numbers, no scores. The portal reads the other apps through their selectors."""

from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render

from yingshang.catalog import selectors as catalog
from yingshang.catalog.models import ItemVersion, Material
from yingshang.core import paging, uploads
from yingshang.core.uscc import normalize_uscc
from yingshang.credit import selectors as credit
from yingshang.inspections import selectors as inspections
from yingshang.inspections.models import Draw
from yingshang.directory.models import Enterprise


def credit_search(request):
    q = request.GET.get("q", "").strip()[:100]
    results = list(credit.public_search(q)[:50]) if q else []
    red = credit.public_list("red")[:10]
    black = credit.public_list("black")[:10]
    return render(request, "portal/credit_search.html", {"q": q, "results": results, "red": red, "black": black})


def credit_firm(request, uscc: str):
    ent = get_object_or_404(Enterprise.objects.only("id", "name", "uscc", "address", "industry", "registered_on"),
                            uscc=normalize_uscc(uscc))
    return render(request, "portal/credit_firm.html", {
        "e": ent, "records": list(credit.public_records(ent.pk)),
        "entries": list(credit.public_list("red").filter(enterprise=ent)) +
        list(credit.public_list("black").filter(enterprise=ent))})


def credit_list(request, kind: str):
    if kind not in ("red", "black"):
        raise Http404
    page = paging.paginate(request, credit.public_list(kind), 50)
    return render(request, "portal/credit_list.html", {"kind": kind, "page": page, "query": ""})


# --- 办事指南: the services catalogue ---------------------------------------------------------------

def guide(request):
    from .forms import GuideSearchForm

    form = GuideSearchForm(request.GET or None)
    page = paging.paginate(request, form.search(), 30)
    return render(request, "portal/guide.html", {"form": form, "page": page, "query": request.GET.urlencode()},
                  status=400 if form.is_bound and form.errors else 200)


def guide_item(request, code: str):
    try:
        v = catalog.guide_item(code)
    except ItemVersion.DoesNotExist:
        raise Http404 from None
    return render(request, "portal/guide_item.html", {"v": v, "materials": list(v.materials.all())})


def ratings(request):
    """好差评 公开: the ratings in force by department and by item (share satisfied, bad ones rectified)."""
    by = "item" if request.GET.get("by") == "item" else "department"
    return render(request, "portal/ratings.html", {"rows": catalog.public_rating_table(by=by), "by": by})


def guide_file(request, pk: int, which: str):
    """A material's blank form or filled sample, from an item's current version only."""
    if which not in ("form", "sample"):
        raise Http404
    m = get_object_or_404(Material.objects.select_related("version__item"), pk=pk)
    if m.version.item.current_id != m.version_id:
        raise Http404
    return uploads.serve(m.blank_form if which == "form" else m.sample)


# --- inspections (双随机、一公开) ------------------------------------------------------------------

def public_index(request):
    page = paging.paginate(request, inspections.public_draws(), 30)
    return render(request, "portal/inspections_index.html", {
        "page": page, "plans": list(inspections.public_plans()[:20]), "results": list(inspections.published_results()[:50]),
        "stats": inspections.statistics()})


def public_results_csv(request, pk: int):
    """The published results of a draw as a spreadsheet (CSV), for anyone."""
    from yingshang.core import exports

    try:
        d = inspections.public_draw(pk)
    except Draw.DoesNotExist:
        raise Http404 from None
    rows = ([v.enterprise.name, v.enterprise.uscc, r.item.code, r.item.name, r.get_outcome_display(),
             v.published_at.date()] for v in inspections.published_results(d.plan).filter(draw=d) for r in v.results.all())
    return exports.csv_response(f"抽查结果-{d.plan.number}-{d.sequence}.csv",
                                ["企业名称", "统一社会信用代码", "事项编码", "抽查事项", "检查结果", "公示日期"], rows)


def public_draw(request, pk: int):
    try:
        d = inspections.public_draw(pk)
    except Draw.DoesNotExist:
        raise Http404 from None
    from yingshang.directory.models import Enterprise

    names = dict(Enterprise.objects.filter(uscc__in=[f["id"][4:] for f in d.record["firms"]])
                 .values_list("uscc", "name"))
    assigned = {a["firm"]: a["inspectors"] for a in d.record["assignments"]}
    firms = [{**f, "name": names.get(f["id"][4:], ""), "inspectors": assigned.get(f["id"], [])}
             for f in d.record["firms"]]
    return render(request, "portal/inspections_draw.html", {
        "d": d, "firms": firms, "unmet": d.record["unmet"],
        "results": list(inspections.published_results(d.plan).filter(draw=d))})


def inspection_record(request, pk: int):
    """The published draw record as a downloadable JSON file (no login)."""
    try:
        d = inspections.public_draw(pk)
    except Draw.DoesNotExist:
        raise Http404 from None
    response = JsonResponse(d.record, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = f'attachment; filename="draw-{d.plan.number}-{d.sequence}.json"'
    return response


# --- the portal's front page, policies for firms and the service figures ----------------------------------------

def home(request):
    """The zone's public site: every public page in one place."""
    from yingshang.service import selectors as service

    return render(request, "portal/home.html", {
        "n_policies": len(service.policies_in_force_list()), "n_items": catalog.guide_search().count(),
        "red": credit.public_list("red").count(), "black": credit.public_list("black").count()})


def _firm_by_code(request):
    """The firm whose credit code was typed (``?uscc=``): (code, firm or None, error message)."""
    from django.utils.translation import gettext as _

    from yingshang.core.uscc import uscc_problem

    code = normalize_uscc(request.GET.get("uscc", ""))[:18]
    if not code:
        return "", None, ""
    problem = uscc_problem(code)
    if problem:
        return code, None, problem
    firm = Enterprise.objects.filter(uscc=code, status=Enterprise.Status.OPERATING).only("id", "name", "uscc").first()
    return code, firm, "" if firm else _("No operating firm of the zone has this credit code.")


def policies(request):
    """The policies in force (the public part of the library) and, for a credit code, which of them the firm
    qualifies for on its public attributes."""
    from yingshang.service import selectors as service
    from yingshang.service import wording

    code, firm, error = _firm_by_code(request)
    in_force = service.policies_in_force_list()
    bureaus = wording.bureau_names()
    rows = [{"policy": p, "conditions": wording.describe(p.conditions, bureaus)} for p in in_force]
    check = service.public_check(firm, in_force) if firm else []
    return render(request, "portal/policies.html", {"rows": rows, "uscc": code, "firm": firm, "error": error,
                                                    "check": check}, status=400 if error else 200)


def policy(request, pk: int):
    from yingshang.service import selectors as service
    from yingshang.service import wording

    p = next((x for x in service.policies_in_force_list() if x.pk == pk), None)
    if p is None:
        raise Http404
    code, firm, error = _firm_by_code(request)
    return render(request, "portal/policy.html", {
        "p": p, "conditions": wording.describe(p.conditions), "uscc": code, "firm": firm, "error": error,
        "check": service.public_check(firm, [p])[0] if firm else None}, status=400 if error else 200)


def figures(request):
    """The zone's service figures for a year: problems registered and closed, on-time rates and satisfaction by
    department — aggregates of the ledger only — and the government services' ratings by department."""
    from datetime import date

    from django.utils import timezone

    from yingshang.core import inputs
    from yingshang.tickets.selectors import LedgerFilter, zone_statistics

    today = timezone.localdate()
    year = inputs.integer(request.GET.get("year") or today.year, "year", min_value=2000, max_value=today.year)
    stats = zone_statistics(LedgerFilter(created_from=date(year, 1, 1), created_to=min(date(year, 12, 31), today)))
    return render(request, "portal/figures.html", {
        "year": year, "years": list(range(today.year, today.year - 5, -1)), "o": stats["overall"],
        "departments": [d for d in stats["departments"] if d["n"]], "months": stats["by_month"],
        "ratings": catalog.public_rating_table(by="department")})


# --- open data -----------------------------------------------------------------------------------------------------

def datasets(request):
    """The open data download page: every dataset, its files and what each holds."""
    from .datasets import DATASETS, LICENCE
    from .models import Publication

    pubs = {p.key: p for p in Publication.objects.all()}
    return render(request, "portal/datasets.html", {
        "rows": [{"d": d, "pub": pubs.get(d.key)} for d in DATASETS], "licence": LICENCE})


def dataset(request, key: str):
    """One dataset's data dictionary: its fields, their types, meanings and units; the licence; its files."""
    from .datasets import BY_KEY, LICENCE
    from .models import Publication

    d = BY_KEY.get(key)
    if d is None:
        raise Http404
    return render(request, "portal/dataset.html", {"d": d, "pub": Publication.objects.filter(key=key).first(),
                                                   "licence": LICENCE})


def _published_file(name: str, content_type: str):
    from django.core.files.storage import default_storage
    from django.http import FileResponse

    from .services import FOLDER

    path = f"{FOLDER}/{name}"
    if not default_storage.exists(path):
        raise Http404
    response = FileResponse(default_storage.open(path, "rb"), content_type=content_type)
    if content_type == "text/csv; charset=utf-8":
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Access-Control-Allow-Origin"] = "*"  # open data, for any site's scripts
    return response


def dataset_file(request, key: str, fmt: str):
    from .datasets import BY_KEY

    if key not in BY_KEY or fmt not in ("csv", "json"):
        raise Http404
    return _published_file(f"{key}.{fmt}", "text/csv; charset=utf-8" if fmt == "csv" else "application/json")


def data_json(request):
    return _published_file("data.json", "application/json")


def catalog_jsonld(request):
    return _published_file("catalog.jsonld", "application/ld+json")
