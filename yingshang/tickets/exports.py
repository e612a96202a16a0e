"""The problem ledger as a file: the direct download of a small result and the background export of a large one
build the same rows here, from the ledger's filter as the page's query string."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yingshang.core import exports

from . import forms, selectors

WIDTHS = [16, 30, 20, 18, 36, 8, 10, 8, 18, 10, 16, 16, 16, 16, 16, 16, 8, 8, 8, 10, 10, 14]


def ledger_sheet(user, query) -> exports.Sheet:
    """The rows of the ledger ``user`` may see under the filter in ``query`` (a QueryDict)."""
    form = forms.LedgerFilterForm(query or None)
    f = form.to_filter() if form.is_bound else selectors.LedgerFilter()
    return sheet_of(selectors.ledger(user, f))


def sheet_of(qs) -> exports.Sheet:
    stamp = timezone.localtime().strftime("%Y%m%d")
    return exports.Sheet(filename=f"诉求台账-{stamp}", header=selectors.EXPORT_HEADER, rows=selectors.export_rows(qs),
                         total=qs.count(), sheet="诉求台账", widths=WIDTHS)


LEDGER = exports.Ledger(scope="tickets.ledger", label=_("Problem ledger"), perm="tickets.export",
                        url_name="tickets:ledger", build=ledger_sheet)
