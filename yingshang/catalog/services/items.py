"""Every write to the catalogue: publishing an item (a new version whenever anything changed), the item
types' reference data, and the all-or-nothing spreadsheet import."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yingshang.core import events, inputs
from yingshang.core.permissions import require
from yingshang.core.tabular import ImportReport, RowError, rows_with_columns
from yingshang.directory.models import Department

from .. import rules
from ..models import Item, ItemType, ItemVersion, LifeEvent, Material

# The elements of a version an official sets (everything but its identity and publication).
CONTENT_FIELDS = ("name", "type", "department", "basis", "kind", "statutory_limit", "statutory_unit",
                  "committed_limit", "committed_unit", "conditions", "steps", "visits", "visit_reason", "at_window",
                  "online", "by_post", "online_depth", "in_hall", "charged", "fee_standard", "fee_basis", "place",
                  "hours", "phone", "complaint_phone", "result_name", "scope", "commitment_allowed", "tolerant",
                  "life_events", "faq", "form_fields")
MATERIAL_FIELDS = ("name", "original", "electronic", "copies", "necessity", "source", "source_department",
                   "standard", "blank_form", "sample")

ITEM_TYPES = [  # code, name, counted among the administrative powers
    ("01", "行政许可", True), ("02", "行政处罚", True), ("03", "行政强制", True), ("04", "行政征收", True),
    ("05", "行政给付", True), ("06", "行政检查", True), ("07", "行政确认", True), ("08", "行政奖励", True),
    ("09", "行政裁决", True), ("10", "其他行政权力", True), ("20", "公共服务", False),
]


def item_types_ensure_defaults() -> int:
    made = 0
    for order, (code, name, power) in enumerate(ITEM_TYPES):
        _obj, created = ItemType.objects.get_or_create(code=code, defaults={"name": name, "is_power": power,
                                                                            "order": order})
        made += created
    return made


def item_publish(*, actor, code: str, basic_code: str, fields: dict, materials: list[dict] | None = None,
                 note: str = "") -> ItemVersion:
    """Publish ``fields`` (``CONTENT_FIELDS``) as the item ``code``'s next version — its first when the code is
    new. Nothing changed: the current version is returned and nothing is written. ``materials=None`` keeps
    the current version's materials. Only administrators and the implementing department's staff publish
    (both the department the item had and the one it is given)."""
    department = fields.get("department")
    require(actor, "catalog.publish_item", department if isinstance(department, Department) else None)
    code = inputs.text(code, "code", max_length=60, multiline=False)
    if not CODE.fullmatch(code):
        raise ValidationError({"code": CODE_MESSAGE()})
    basic_code = inputs.text(basic_code, "basic_code", max_length=60, multiline=False)
    values = _clean(fields)
    with transaction.atomic():
        item = Item.objects.select_for_update().filter(code=code).first()
        current = item.current if item is not None else None
        if current is not None:
            require(actor, "catalog.publish_item", current)
            if materials is None:
                materials = [{f: getattr(m, f) for f in MATERIAL_FIELDS} for m in current.materials.all()]
        mats = [_material(m, i) for i, m in enumerate(materials or [])]
        version = ItemVersion(published_by=_user(actor), published_at=timezone.now(), **values)
        version.full_clean(exclude=["item", "version", "published_by"])
        if current is not None and item.basic_code == basic_code and _same(current, version, mats):
            return current
        if item is None:
            item = Item.objects.create(code=code, basic_code=basic_code)
        item.basic_code = basic_code
        number = (current.version if current is not None else 0) + 1
        version.item, version.version = item, number
        version.save()
        for m in mats:
            m.version = version
        Material.objects.bulk_create(mats)
        item.current = version
        item.search_text = search_text(version.name, item.code, item.basic_code)
        item.save(update_fields=["current", "basic_code", "search_text"])
        events.record("catalog.item.published", item, actor=actor, item=item, frm=str(number - 1) if current else "",
                      to=str(number), note=inputs.text(note, "note", required=False, max_length=2000),
                      data={"version": number})
    return version


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


# An implementation code is part of the guide's addresses: ASCII letters, digits and hyphens, up to 40.
CODE = re.compile(r"[0-9A-Za-z-]{1,40}")


def CODE_MESSAGE():
    return _("An implementation code is up to 40 letters, digits or hyphens.")


def search_text(name: str, code: str, basic_code: str) -> str:
    """What the guide's search matches: the current name and both codes, in lower case, in one column."""
    return f"{name} {code} {basic_code}".lower()


def _clean(fields: dict) -> dict:
    unknown = set(fields) - set(CONTENT_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("Unknown element.")})
    values = rules.derive({f: fields[f] for f in CONTENT_FIELDS if f in fields})
    for name in ("name", "type", "department", "statutory_limit", "committed_limit"):
        if values.get(name) in (None, ""):
            raise ValidationError({name: _("This element is required.")})
    events_given = values.get("life_events") or []
    if not isinstance(events_given, list) or any(e not in LifeEvent.values for e in events_given):
        raise ValidationError({"life_events": _("Unknown life event.")})
    steps = values.get("steps") or []
    if not isinstance(steps, list) or any(not isinstance(s, dict) or not str(s.get("name", "")).strip()
                                          for s in steps):
        raise ValidationError({"steps": _("Each step has a name (and the role that acts).")})
    caps = {ItemVersion.Unit.WORKDAY: 365, ItemVersion.Unit.DAY: 730}
    for limit, unit in (("statutory_limit", "statutory_unit"), ("committed_limit", "committed_unit")):
        cap = caps.get(values.get(unit) or ItemVersion.Unit.WORKDAY, 365)
        if isinstance(values.get(limit), int) and values[limit] > cap:
            raise ValidationError({limit: _("A limit is at most %(n)d of its unit.") % {"n": cap}})
    form = values.get("form_fields") or []
    if not isinstance(form, list) or any(
            not isinstance(f, dict) or not re.fullmatch(r"[a-z][a-z0-9_]{0,29}", str(f.get("key", "")))
            or not str(f.get("label", "")).strip() for f in form) or len({f["key"] for f in form}) != len(form):
        raise ValidationError({"form_fields": _("Each field of the application form has its own key (lower-case "
                                                "letters, digits, _) and a label.")})
    found = rules.problems(values)
    if found:
        raise ValidationError({k: str(v) for k, v in found.items()})
    return values


def _material(m: dict, order: int) -> Material:
    unknown = set(m) - set(MATERIAL_FIELDS)
    if unknown or not str(m.get("name", "")).strip():
        raise ValidationError({"materials": _("Each material has a name (and only the material's elements).")})
    mat = Material(order=order, **{k: v for k, v in m.items() if v is not None})
    if mat.source == Material.Source.SHARED and mat.source_department_id is None:
        raise ValidationError({"materials": _("A shared material names the department that shares it.")})
    mat.full_clean(exclude=["version"])
    return mat


def _same(current: ItemVersion, candidate: ItemVersion, mats: list[Material]) -> bool:
    if any(getattr(current, f) != getattr(candidate, f) for f in CONTENT_FIELDS):
        return False
    mine = [tuple(getattr(m, f) for f in MATERIAL_FIELDS) for m in current.materials.all()]
    return mine == [tuple(getattr(m, f) for f in MATERIAL_FIELDS) for m in mats]


# --- import / export ------------------------------------------------------------------------

COLUMNS = [  # header, element, required
    ("基本编码", "basic_code", True), ("实施编码", "code", True), ("事项名称", "name", True),
    ("事项类型", "type", True), ("实施主体编码", "department", True), ("办件类型", "kind", True),
    ("法定办结时限", "statutory_limit", True), ("法定时限单位", "statutory_unit", True),
    ("承诺办结时限", "committed_limit", True), ("承诺时限单位", "committed_unit", True),
    ("到办事现场次数", "visits", False), ("到现场原因", "visit_reason", False), ("是否网办", "online", False),
    ("网上办理深度", "online_depth", False), ("是否收费", "charged", False), ("收费依据", "fee_basis", False),
    ("收费标准", "fee_standard", False), ("是否适用告知承诺", "commitment_allowed", False),
    ("是否可容缺", "tolerant", False),
]
HEADER = {element: header for header, element, _req in COLUMNS}
KINDS = {"即办件": ItemVersion.Kind.IMMEDIATE, "承诺件": ItemVersion.Kind.COMMITTED}
UNITS = {"工作日": ItemVersion.Unit.WORKDAY, "自然日": ItemVersion.Unit.DAY}
DEPTHS = {"Ⅰ": 1, "Ⅱ": 2, "Ⅲ": 3, "Ⅳ": 4, "I": 1, "II": 2, "III": 3, "IV": 4, "1": 1, "2": 2, "3": 3, "4": 4}
YES, NO = {"是", "Y", "y", "1", "true", "TRUE"}, {"否", "N", "n", "0", "false", "FALSE", ""}


def items_import(*, actor, data: bytes, filename: str) -> ImportReport:
    """The catalogue from the XLSX template (columns ``COLUMNS``; others ignored). Every row is checked
    first — any error and nothing is written; a row whose implementation code exists and whose elements
    differ publishes that item's next version (its materials and the elements the file has no column for
    carried over)."""
    require(actor, "catalog.import_items")
    report = ImportReport()
    rows = rows_with_columns(report, data, filename, [h for h, _e, required in COLUMNS if required])
    if rows is None:
        return report
    types = {t.name: t for t in ItemType.objects.all()} | {t.code: t for t in ItemType.objects.all()}
    departments = {d.code: d for d in Department.objects.all()}
    currents = {i.code: i.current for i in Item.objects.select_related("current").filter(current__isnull=False)}
    parsed, seen = [], {}
    for number, row in rows:
        values, errors = _parse_row(row, types, departments)
        code = values.get("code", "")
        if code in seen:
            errors.append((HEADER["code"], _("The same implementation code is already in row %(row)s.")
                           % {"row": seen[code]}))
        seen[code] = number
        if not errors:
            base = ({f: getattr(currents[code], f) for f in CONTENT_FIELDS} if code in currents else {})
            fields = rules.derive(base | {k: v for k, v in values.items() if k not in ("code", "basic_code")})
            for element, message in rules.problems(fields).items():
                errors.append((HEADER.get(element, element), str(message)))
            values["fields"] = fields
        report.errors += [RowError(number, col, msg) for col, msg in errors]
        parsed.append(values)
    if report.errors:
        return report
    with transaction.atomic():
        for values in parsed:
            existed = values["code"] in currents
            before = currents.get(values["code"])
            version = item_publish(actor=actor, code=values["code"], basic_code=values["basic_code"],
                                   fields=values["fields"], note=_("imported"))
            if not existed:
                report.created += 1
            elif before is not None and version.pk == before.pk:
                report.unchanged += 1
            else:
                report.updated += 1
    return report


def _parse_row(row: dict, types: dict, departments: dict) -> tuple[dict, list]:
    values, errors = {}, []

    def text(element, max_length=300):
        raw = (row.get(HEADER[element]) or "").strip()
        if inputs.has_control(raw):
            errors.append((HEADER[element], _("Control characters are not allowed.")))
        elif len(raw) > max_length:
            errors.append((HEADER[element], _("At most %(n)s characters.") % {"n": max_length}))
        return raw

    def mapped(element, table, message):
        raw = text(element)
        if raw not in table:
            errors.append((HEADER[element], message))
            return None
        return table[raw]

    def number(element, required=True):
        raw = text(element)
        if raw == "" and not required:
            return 0
        if raw.endswith(".0"):
            raw = raw[:-2]
        if not (raw.isascii() and raw.isdigit()) or len(raw) > 4:
            errors.append((HEADER[element], _("A whole number of days or visits (0–9999).")))
            return None
        return int(raw)

    def yes_no(element):
        raw = text(element)
        if raw in YES:
            return True
        if raw in NO:
            return False
        errors.append((HEADER[element], _("Write 是 or 否.")))
        return False

    for element in ("basic_code", "code", "name"):
        values[element] = text(element, 200 if element == "name" else 60)
        if not values[element]:
            errors.append((HEADER[element], _("Required.")))
    if values["code"] and not CODE.fullmatch(values["code"]):
        errors.append((HEADER["code"], CODE_MESSAGE()))
    values["type"] = mapped("type", types, _("Unknown item type: use one of the item types' names or codes."))
    values["department"] = mapped("department", departments, _("No department has this code."))
    values["kind"] = mapped("kind", KINDS, _("Write 即办件 or 承诺件."))
    for limit, unit in (("statutory_limit", "statutory_unit"), ("committed_limit", "committed_unit")):
        values[limit] = number(limit)
        values[unit] = mapped(unit, UNITS, _("Write 工作日 or 自然日."))
    if HEADER["visits"] in row:
        values["visits"] = number("visits", required=False)
    for element in ("visit_reason", "fee_basis", "fee_standard"):
        if HEADER[element] in row:
            values[element] = text(element)
    for element in ("online", "charged", "commitment_allowed", "tolerant"):
        if HEADER[element] in row:
            values[element] = yes_no(element)
    if HEADER["online_depth"] in row:
        raw = text("online_depth")
        values["online_depth"] = None if raw == "" else DEPTHS.get(raw)
        if raw and values["online_depth"] is None:
            errors.append((HEADER["online_depth"], _("Write Ⅰ, Ⅱ, Ⅲ or Ⅳ.")))
    return values, errors


def export_rows(versions):
    """The template's rows for ``versions`` (current versions, with type and department loaded)."""
    kinds = {v: k for k, v in KINDS.items()}
    units = {v: k for k, v in UNITS.items()}
    depth = {1: "Ⅰ", 2: "Ⅱ", 3: "Ⅲ", 4: "Ⅳ"}
    for v in versions:
        yield [v.item.basic_code, v.item.code, v.name, v.type.name, v.department.code, kinds[v.kind],
               v.statutory_limit, units[v.statutory_unit], v.committed_limit, units[v.committed_unit], v.visits,
               v.visit_reason, "是" if v.online else "否", depth.get(v.online_depth, ""),
               "是" if v.charged else "否", v.fee_basis, v.fee_standard, "是" if v.commitment_allowed else "否",
               "是" if v.tolerant else "否"]
