"""The problem ledger as a file: the direct download of a small result and the background export of a large one
build the same rows here, from the ledger's filter as the page's query string."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yingshang.core import exports

from . import forms, selectors

WIDTHS = [16, 30, 20, 18, 36, 8, 10, 8, 18, 10, 16, 16, 16, 16, 16, 16, 8, 8, 8, 10, 10, 14]


def ledger_sheet(user, query) -> exports.Sheet:
    """The rows of the ledger ``user`` may see under the filter in ``query`` (a QueryDict)."""
    return sheet_of(selectors.ledger(user, ledger_filter(query)))


def ledger_filter(query):
    """The filter a query string names; a filter the ledger's page would refuse is refused here too."""
    form = forms.LedgerFilterForm(query or None)
    if not form.is_bound:
        return selectors.LedgerFilter()
    if not form.is_valid():
        raise ValidationError([f"{form.fields[name].label or name}: {m}" if name in form.fields else m
                               for name, errors in form.errors.items() for m in errors], code="query")
    return form.to_filter()


def sheet_of(qs) -> exports.Sheet:
    stamp = timezone.localtime().strftime("%Y%m%d")
    return exports.Sheet(filename=f"诉求台账-{stamp}", header=selectors.EXPORT_HEADER, rows=selectors.export_rows(qs),
                         total=qs.count(), sheet="诉求台账", widths=WIDTHS)


LEDGER = exports.Ledger(scope="tickets.ledger", label=_("Problem ledger"), perm="tickets.export",
                        url_name="tickets:ledger", build=ledger_sheet, check=ledger_filter)
