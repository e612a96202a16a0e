"""The enterprise directory as a file: the direct download of a small result and the background export of a
large one (a city's 100,000 firms) build the same rows here, from the page's query string."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yingshang.core import exports

from . import selectors
from .forms import EnterpriseFilterForm

WIDTHS = [34, 22, 10, 14, 36, 22, 8, 12, 12, 8, 14, 14, 8, 8, 10, 10]


def search_kwargs(query) -> dict:
    """The search a query string names; a filter the page would not apply is refused."""
    form = EnterpriseFilterForm(query or None, industries=selectors.enterprise_industries())
    if not form.is_bound:
        return {}
    if not form.is_valid():
        raise ValidationError([f"{form.fields[name].label or name}: {m}" if name in form.fields else m
                               for name, errors in form.errors.items() for m in errors], code="query")
    return form.search_kwargs()


def directory_sheet(user, query) -> exports.Sheet:
    """The firms ``user`` may see under the filter in ``query`` (a QueryDict), in the page's order."""
    order = (query or {}).get("order", "name")
    return sheet_of(selectors.enterprise_search(user, **search_kwargs(query), order=order))


def sheet_of(qs) -> exports.Sheet:
    stamp = timezone.localtime().strftime("%Y%m%d")
    return exports.Sheet(filename=f"企业名录-{stamp}", header=selectors.EXPORT_HEADER,
                         rows=selectors.enterprise_export_rows(qs), total=qs.count(), sheet="企业名录", widths=WIDTHS)


LEDGER = exports.Ledger(scope="directory.enterprises", label=_("Enterprise directory"),
                        perm="directory.export_enterprises", url_name="directory:enterprises", build=directory_sheet,
                        check=search_kwargs)
