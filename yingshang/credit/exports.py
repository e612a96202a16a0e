"""The credit records as a file (a city's million): the direct download of a small result and the background
export of a large one build the same rows here, from the records page's query string."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yingshang.core import exports, inputs

from . import forms, selectors

EXPORT_HEADER = ["企业名称", "统一社会信用代码", "类别", "严重程度", "部门", "决定文书号", "决定日期", "内容", "公示起", "公示止",
                 "状态"]
WIDTHS = [30, 20, 16, 8, 18, 22, 11, 40, 11, 11, 8]


def search_kwargs(query) -> dict:
    """The search a query string names (the page's filter and a firm's id); a bad one is refused."""
    form = forms.FilterForm(query or None)
    if form.is_bound and not form.is_valid():
        raise ValidationError([f"{form.fields[name].label or name}: {m}" if name in form.fields else m
                               for name, errors in form.errors.items() for m in errors], code="query")
    d = form.cleaned_data if form.is_bound else {}
    return {"q": d.get("q", ""), "kind": d.get("kind", ""), "status": d.get("status", ""),
            "department": d["department"].pk if d.get("department") else None,
            "enterprise": inputs.optional_id((query or {}).get("enterprise") or None, "enterprise")}


def records_sheet(user, query) -> exports.Sheet:
    return sheet_of(selectors.record_search(user, **search_kwargs(query)))


def rows(qs):
    for r in qs.iterator(chunk_size=2000):
        yield [r.enterprise.name, r.enterprise.uscc, r.get_kind_display(), r.get_severity_display(), r.department.name,
               r.decision_number, r.decided_on, r.description, r.public_from, r.public_to, r.get_status_display()]


def sheet_of(qs) -> exports.Sheet:
    stamp = timezone.localtime().strftime("%Y%m%d")
    return exports.Sheet(filename=f"信用记录-{stamp}", header=EXPORT_HEADER, rows=rows(qs), total=qs.count(),
                         sheet="信用记录", widths=WIDTHS)


LEDGER = exports.Ledger(scope="credit.records", label=_("Credit records"), perm="credit.view_ledger",
                        url_name="credit:records", build=records_sheet, check=search_kwargs)
