"""Open311 GeoReport v2, the services: ``/open311/v2/services.json|xml`` and ``services/{code}.json|xml``. Open
to anyone (the categories are public); errors as the specification's ``errors``."""

from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from . import open311

FORMATS = ("json", "xml")


def _refuse(request, fmt):
    """An error answer for a wrong format or jurisdiction, or None."""
    if fmt not in FORMATS:
        return open311.errors("json", 404, _("Unknown format: use .json or .xml."))
    j = request.GET.get("jurisdiction_id")
    if j is not None and j != open311.jurisdiction():
        return open311.errors(fmt, 404, _("Unknown jurisdiction_id: this endpoint serves %(j)s.")
                              % {"j": open311.jurisdiction()})
    return None


@require_GET
def service_list(request, fmt: str):
    refused = _refuse(request, fmt)
    if refused is not None:
        return refused
    return open311.answer(open311.services(), fmt, root="services", item="service")


@require_GET
def service_definition(request, code: str, fmt: str):
    refused = _refuse(request, fmt)
    if refused is not None:
        return refused
    definition = open311.definition(code)
    if definition is None:
        return open311.errors(fmt, 404, _("No service has the code %(code)s.") % {"code": code[:40]})
    return open311.answer(definition, fmt, root="service_definition")
