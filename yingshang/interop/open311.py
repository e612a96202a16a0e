"""Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2): the problem categories as services (the list and each
service's definition), the problems as service requests, in JSON and XML, errors as the specification's
``errors``. What is filed is in ``services``; what is read, in ``selectors``."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _

PROJECT_GROUPS = ("用地", "规划建设")  # categories whose problems may name the firm's project


def jurisdiction() -> str:
    return getattr(settings, "OPEN311_JURISDICTION", "") or settings.ZONE_REGION_CODE


def services() -> list[dict]:
    """Every active category a problem is filed under (the leaves; a top category without children) as a
    service: code, name, description, metadata, type, keywords, group."""
    from yingshang.tickets.models import Category

    cats = list(Category.objects.filter(active=True).select_related("parent").order_by("sort_order", "name"))
    with_children = {c.parent_id for c in cats if c.parent_id}
    out = []
    for c in cats:
        if c.parent_id is None and c.pk in with_children:
            continue
        group = c.parent.name if c.parent_id else c.name
        out.append({"service_code": str(c.pk), "service_name": c.name,
                    "description": _("Problems of firms: %(group)s — %(name)s") % {"group": group, "name": c.name},
                    "metadata": True, "type": "batch", "keywords": ",".join(dict.fromkeys([c.name, group])),
                    "group": group})
    return out


def service(code: str) -> dict | None:
    return next((s for s in services() if s["service_code"] == code), None)


def definition(code: str) -> dict | None:
    """A service's attributes: the firm's credit code (required), the urgency, and for land and construction the
    firm's project."""
    found = service(code)
    if found is None:
        return None
    attrs = [
        {"variable": True, "code": "uscc", "datatype": "string", "required": True,
         "datatype_description": _("18 characters, GB 32100-2015, with its check character"), "order": 1,
         "description": _("The unified social credit code of the firm the problem is for")},
        {"variable": True, "code": "urgency", "datatype": "singlevaluelist", "required": False,
         "datatype_description": "", "order": 2, "description": _("How urgent it is"),
         "values": [{"key": "normal", "name": _("normal")}, {"key": "urgent", "name": _("urgent")}]},
    ]
    if found["group"] in PROJECT_GROUPS:
        attrs.append({"variable": True, "code": "project_ref", "datatype": "string", "required": False,
                      "datatype_description": _("The project's code, e.g. XM-2026-0001"), "order": 3,
                      "description": _("The firm's project the problem is about")})
    return {"service_code": code, "attributes": attrs}


# --- answers ------------------------------------------------------------------------------------------------------

def _xml(root: ET.Element) -> HttpResponse:
    body = ET.tostring(root, encoding="unicode")
    return HttpResponse('<?xml version="1.0" encoding="utf-8"?>' + body, content_type="text/xml; charset=utf-8")


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _element(parent: ET.Element, tag: str, value) -> None:
    if isinstance(value, list):
        holder = ET.SubElement(parent, tag)
        for item in value:
            child = ET.SubElement(holder, tag[:-1] if tag.endswith("s") else tag)
            for k, v in item.items():
                _element(child, k, v)
    else:
        ET.SubElement(parent, tag).text = _text(value)


def answer(data, fmt: str, *, root: str, item: str | None = None, status: int = 200) -> HttpResponse:
    """``data`` (a list of dicts, each an ``item`` under ``root``; or one dict, the ``root``) in JSON or XML."""
    if fmt == "json":
        return JsonResponse(data, safe=False, status=status, json_dumps_params={"ensure_ascii": False})
    top = ET.Element(root)
    for entry in (data if isinstance(data, list) else [data]):
        node = ET.SubElement(top, item) if item else top
        for k, v in entry.items():
            _element(node, k, v)
    response = _xml(top)
    response.status_code = status
    return response


def errors(fmt: str, status: int, description: str) -> HttpResponse:
    return answer([{"code": status, "description": description}], "xml" if fmt == "xml" else "json",
                  root="errors", item="error", status=status)
