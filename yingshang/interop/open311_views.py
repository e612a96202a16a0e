"""Open311 GeoReport v2 under ``/open311/v2/``: the services (open to anyone: the categories are public) and the
service requests — filed by a registered integrator with its ``api_key``; read by that integrator in full, by
anyone else only where the firm chose to publish. Errors as the specification's ``errors``."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from . import open311, selectors, services

FORMATS = ("json", "xml")


def _refuse(request, fmt):
    """An error answer for a wrong format or jurisdiction, or None."""
    if fmt not in FORMATS:
        return open311.errors("json", 404, _("Unknown format: use .json or .xml."))
    params = request.POST if request.method == "POST" else request.GET
    j = params.get("jurisdiction_id")
    if j is not None and j != open311.jurisdiction():
        return open311.errors(fmt, 404, _("Unknown jurisdiction_id: this endpoint serves %(j)s.")
                              % {"j": open311.jurisdiction()})
    return None


def _integrator(request, params):
    """The integrator whose key came with the request (``api_key``, or the ``X-Api-Key`` header); None when no
    key came; PermissionDenied for a key that is not (or no longer) valid."""
    key = params.get("api_key") or request.headers.get("X-Api-Key")
    if not key:
        return None
    integrator = services.integrator_by_key(key)
    if integrator is None:
        raise PermissionDenied(_("The api_key is not valid."))
    return integrator


def _invalid(fmt, error: ValidationError):
    messages = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
    text = "; ".join(f"{field}: {' '.join(m)}" if field else " ".join(m) for field, m in messages.items())
    return open311.errors(fmt, 400, text)


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


@csrf_exempt
@require_http_methods(["GET", "POST"])
def request_list(request, fmt: str):
    refused = _refuse(request, fmt)
    if refused is not None:
        return refused
    params = request.POST if request.method == "POST" else request.GET
    try:
        integrator = _integrator(request, params)
        if request.method == "POST":
            if integrator is None:
                raise PermissionDenied(_("A valid api_key is required to file a request."))
            filed = services.open311_request_file(integrator=integrator, data=params)
            return open311.answer([{"service_request_id": filed.ticket.number, "service_notice": "",
                                    "account_id": None}], fmt, root="service_requests", item="request", status=201)
        rows = selectors.requests(integrator, params)
    except PermissionDenied as e:
        return open311.errors(fmt, 403, str(e) or _("You may not do this."))
    except ValidationError as e:
        return _invalid(fmt, e)
    full = integrator is not None
    return open311.answer([selectors.as_open311(t, full=full) for t in rows], fmt, root="service_requests",
                          item="request")


@require_GET
def request_detail(request, number: str, fmt: str):
    refused = _refuse(request, fmt)
    if refused is not None:
        return refused
    try:
        integrator = _integrator(request, request.GET)
        t = selectors.request(integrator, number)
    except PermissionDenied as e:
        return open311.errors(fmt, 403, str(e))
    except ValidationError as e:
        return _invalid(fmt, e)
    if t is None:
        return open311.errors(fmt, 404, _("No request has the id %(id)s.") % {"id": number[:40]})
    return open311.answer([selectors.as_open311(t, full=integrator is not None)], fmt, root="service_requests",
                          item="request")
