"""Writes of the directory. Views, the API, commands and the demo all write through these."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yingshang.core import audit
from yingshang.core.permissions import require
from yingshang.core.tabular import ImportReport, RowError, parse_date, rows_with_columns
from yingshang.core.uscc import make_uscc, normalize_uscc, uscc_problem

from .models import Department, Enterprise, EnterpriseGroup, EnterpriseMember, Secondment, StaffProfile, Stewardship

ENTERPRISE_FIELDS = ("name", "uscc", "legal_representative", "contact_phone", "address", "industry", "size",
                     "registered_on", "registered_capital", "status", "group", "bureau", "is_key", "is_returned",
                     "lng", "lat")


def _directory_changed() -> None:
    """Cached lists built from the directory (the industries of the filters) are rebuilt after commit."""
    from django.core.cache import cache

    from .selectors import INDUSTRIES_CACHE_KEY

    transaction.on_commit(lambda: cache.delete(INDUSTRIES_CACHE_KEY))


def _diff(before: dict, after: dict) -> dict:
    return {k: [str(before.get(k)), str(after.get(k))] for k in after if before.get(k) != after.get(k)}


def _snapshot(ent: Enterprise) -> dict:
    return {f: getattr(ent, f + "_id" if f in ("group", "bureau") else f) for f in ENTERPRISE_FIELDS}


@transaction.atomic
def enterprise_create(*, actor, request=None, **fields) -> Enterprise:
    require(actor, "directory.change_enterprise")
    fields["uscc"] = normalize_uscc(fields.get("uscc"))
    ent = Enterprise(**fields)
    ent.full_clean()
    ent.save()
    audit.record(actor=actor, action="directory.enterprise.created", obj=ent, request=request,
                 data={"uscc": ent.uscc})
    _directory_changed()
    return ent


@transaction.atomic
def enterprise_update(*, actor, enterprise: Enterprise, request=None, **fields) -> Enterprise:
    require(actor, "directory.change_enterprise", enterprise)
    ent = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    before = _snapshot(ent)
    if "uscc" in fields:
        fields["uscc"] = normalize_uscc(fields["uscc"])
    for k, v in fields.items():
        setattr(ent, k, v)
    ent.full_clean()
    ent.save()
    changes = _diff(before, _snapshot(ent))
    if changes:
        audit.record(actor=actor, action="directory.enterprise.updated", obj=ent, request=request, data=changes)
        _directory_changed()
    return ent


@transaction.atomic
def enterprise_locate(*, actor, enterprise: Enterprise, lng, lat, request=None) -> Enterprise:
    """Set (or clear, with both None) where the firm is on the zone's map; audited like every edit."""
    from django.core.exceptions import ValidationError

    from yingshang.core import geo, inputs

    require(actor, "directory.locate_enterprise", enterprise)
    ent = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    values = {name: None if value in (None, "") else inputs.decimal(value, name, max_digits=9, places=6)
              for name, value in (("lng", lng), ("lat", lat))}
    errors = geo.coordinate_errors(values["lng"], values["lat"])
    if errors:
        raise ValidationError(errors)
    before = _snapshot(ent)
    ent.lng, ent.lat = values["lng"], values["lat"]
    ent.save(update_fields=["lng", "lat", "updated_at"])
    changes = _diff(before, _snapshot(ent))
    if changes:
        audit.record(actor=actor, action="directory.enterprise.located", obj=ent, request=request, data=changes)
    return ent


@transaction.atomic
def departments_ensure(*, actor, departments: dict[str, str]) -> dict[str, Department]:
    """The departments named ``{code: name}`` (reference data other apps need, e.g. the approval templates'):
    found by code, else by name, else created. Idempotent; returns them by code."""
    require(actor, "directory.change_enterprise")
    out = {}
    for code, name in departments.items():
        dept = Department.objects.filter(code=code).first() or Department.objects.filter(name=name).first()
        if dept is None:
            dept = Department.objects.create(code=code, name=name)
            audit.record(actor=actor, action="directory.department.created", obj=dept, data={"code": code})
        out[code] = dept
    return out


@transaction.atomic
def stewardship_assign(*, actor, enterprise: Enterprise, leader=None, steward=None, note: str = "",
                       on: date | None = None, request=None) -> Stewardship:
    """Make ``leader`` and ``steward`` responsible for ``enterprise`` from ``on``; the previous
    assignment is ended, not deleted."""
    require(actor, "directory.assign_stewardship", enterprise)
    on = on or timezone.localdate()
    Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    current = Stewardship.objects.filter(enterprise=enterprise, ended_on__isnull=True).first()
    if current and current.leader_id == getattr(leader, "pk", None) and current.steward_id == getattr(steward, "pk", None):
        return current
    if current:
        current.ended_on = on
        current.save(update_fields=["ended_on"])
    row = Stewardship.objects.create(enterprise=enterprise, leader=leader, steward=steward, started_on=on,
                                     assigned_by=actor, note=note)
    audit.record(actor=actor, action="directory.stewardship.assigned", obj=enterprise, request=request,
                 data={"leader": getattr(leader, "username", None), "steward": getattr(steward, "username", None),
                       "previous": current.pk if current else None})
    return row


@transaction.atomic
def member_add(*, actor, enterprise: Enterprise, user, position: str = "", phone: str = "") -> EnterpriseMember:
    require(actor, "directory.change_enterprise", enterprise)
    member, created = EnterpriseMember.objects.get_or_create(
        user=user, enterprise=enterprise, defaults={"position": position, "phone": phone})
    if created:
        audit.record(actor=actor, action="directory.member.added", obj=enterprise, data={"user": user.username})
    return member


@transaction.atomic
def staff_assign(*, actor, user, department: Department, title: str = "", phone: str = "") -> StaffProfile:
    require(actor, "directory.change_enterprise")
    profile, created = StaffProfile.objects.update_or_create(
        user=user, defaults={"department": department, "title": title, "phone": phone})
    audit.record(actor=actor, action="directory.staff.assigned", obj=user,
                 data={"department": department.code, "created": created})
    return profile


@transaction.atomic
def taskforce_department_create(*, actor, code: str, name: str, phone: str = "") -> Department:
    """The department a task force receives problems as (kind: task force). The app that keeps task forces calls
    it with its own rule of who may; the directory adds none."""
    if Department.objects.filter(code=code).exists() or Department.objects.filter(name=name).exists():
        raise ValidationError({"name": _("A department of this name exists already.")})
    dept = Department.objects.create(code=code, name=name, phone=phone, kind=Department.Kind.TASKFORCE)
    audit.record(actor=actor, action="directory.department.created", obj=dept, data={"code": code,
                                                                                      "kind": dept.kind})
    return dept


@transaction.atomic
def taskforce_department_close(*, actor, department: Department) -> Department:
    """A stood-down task force's department receives no more problems (it stays, with what it handled)."""
    if department.kind != Department.Kind.TASKFORCE:
        raise ValidationError({"department": _("Only a task force's department is closed this way.")})
    Department.objects.filter(pk=department.pk).update(active=False)
    audit.record(actor=actor, action="directory.department.closed", obj=department, data={"code": department.code})
    department.active = False
    return department


@transaction.atomic
def secondment_start(*, actor, user, department: Department, on: date | None = None) -> Secondment:
    """``user`` acts for ``department`` from ``on`` (idempotent while current)."""
    current = Secondment.objects.filter(user=user, department=department, ended_on__isnull=True).first()
    if current:
        return current
    s = Secondment.objects.create(user=user, department=department, started_on=on or timezone.localdate(),
                                  assigned_by=actor)
    audit.record(actor=actor, action="directory.secondment.started", obj=user, data={"department": department.code})
    return s


@transaction.atomic
def secondment_end(*, actor, user, department: Department, on: date | None = None) -> int:
    n = Secondment.objects.filter(user=user, department=department, ended_on__isnull=True).update(
        ended_on=on or timezone.localdate())
    if n:
        audit.record(actor=actor, action="directory.secondment.ended", obj=user, data={"department": department.code})
    return n


# --- import ---------------------------------------------------------------------

# Column headers of the enterprise import template, Chinese as officials write them.
IMPORT_COLUMNS = [
    ("name", "企业名称", True),
    ("uscc", "统一社会信用代码", True),
    ("legal_representative", "法定代表人", False),
    ("contact_phone", "联系电话", False),
    ("address", "注册地址", False),
    ("industry", "所属行业", False),
    ("size", "企业规模", False),
    ("registered_on", "成立日期", False),
    ("registered_capital", "注册资本（万元）", False),
    ("status", "经营状态", False),
    ("group", "所属集团", False),
    ("bureau", "服务局", False),
    ("is_key", "重点企业", False),
    ("is_returned", "回归企业", False),
]
SIZE_WORDS = {"大型": "large", "中型": "medium", "小型": "small", "微型": "micro"}
STATUS_WORDS = {"存续": "operating", "在营": "operating", "开业": "operating", "停业": "suspended",
                "迁出": "moved_out", "注销": "deregistered"}
YES = {"是", "y", "yes", "true", "1", "√"}
NO = {"否", "n", "no", "false", "0", ""}


def _choice(value: str, words: dict, choices) -> str:
    v = value.strip()
    if not v:
        return ""
    if v in words:
        return words[v]
    for key, label in choices:
        if v in (key, str(label)):
            return key
    raise ValueError(_("“%(value)s” is not one of: %(allowed)s.") % {"value": v, "allowed": "、".join(words)})


def _flag(value: str) -> bool:
    v = value.strip().lower()
    if v in YES:
        return True
    if v in NO:
        return False
    raise ValueError(_("“%(value)s” is not yes or no (是 or 否).") % {"value": value})


def _parse_row(row: dict[str, str], groups: dict[str, EnterpriseGroup], bureaus: dict[str, Department]):
    """Turn one row into field values; returns (values, errors) with errors as (column, message)."""
    values, errors = {}, []
    for field, header, required in IMPORT_COLUMNS:
        text = row.get(header, "").strip()
        if required and not text:
            errors.append((header, _("This column is required.")))
            continue
        try:
            if field == "uscc":
                problem = uscc_problem(text)
                if problem:
                    raise ValueError(problem)
                values[field] = normalize_uscc(text)
            elif field == "size":
                values[field] = _choice(text, SIZE_WORDS, Enterprise.Size.choices)
            elif field == "status":
                values[field] = _choice(text, STATUS_WORDS, Enterprise.Status.choices) or "operating"
            elif field == "registered_on":
                values[field] = parse_date(text) if text else None
            elif field == "registered_capital":
                try:
                    values[field] = (Decimal(text.replace(",", "")) * 10000).quantize(Decimal("0.01")) if text else None
                except InvalidOperation:
                    raise ValueError(_("“%(value)s” is not an amount in units of 10,000 yuan.") % {"value": text}) from None
            elif field == "group":
                if text and text not in groups:
                    raise ValueError(_("No enterprise group is called “%(value)s”.") % {"value": text})
                values[field] = groups.get(text)
            elif field == "bureau":
                if text and text not in bureaus:
                    raise ValueError(_("No service bureau is called “%(value)s”.") % {"value": text})
                values[field] = bureaus.get(text)
            elif field in ("is_key", "is_returned"):
                values[field] = _flag(text)
            else:
                max_length = Enterprise._meta.get_field(field).max_length
                if len(text) > max_length:
                    raise ValueError(_("At most %(n)d characters.") % {"n": max_length})
                values[field] = text
        except ValueError as exc:
            errors.append((header, str(exc)))
    return values, errors


def enterprises_import(*, actor, data: bytes, filename: str, request=None) -> ImportReport:
    """Import enterprises from the XLSX/CSV template. Rows whose credit code exists update that
    enterprise; others create one. Every row is checked first: any error, nothing is written."""
    require(actor, "directory.import_enterprises")
    report = ImportReport()
    rows = rows_with_columns(report, data, filename, [h for _f, h, required in IMPORT_COLUMNS if required])
    if rows is None:
        return report
    groups = {g.name: g for g in EnterpriseGroup.objects.all()}
    groups.update({g.short_name: g for g in groups.values() if g.short_name})
    bureaus = {d.name: d for d in Department.objects.filter(kind=Department.Kind.BUREAU)}
    parsed, seen = [], {}
    for number, row in rows:
        values, errors = _parse_row(row, groups, bureaus)
        report.errors += [RowError(number, col, msg) for col, msg in errors]
        uscc = values.get("uscc")
        if uscc:
            if uscc in seen:
                report.errors.append(RowError(number, "统一社会信用代码", _(
                    "The same credit code already appears in row %(row)s.") % {"row": seen[uscc]}))
            seen[uscc] = number
        parsed.append((number, values))
    if report.errors:
        return report
    existing = {e.uscc: e for e in Enterprise.objects.filter(uscc__in=list(seen))}
    with transaction.atomic():
        for number, values in parsed:
            ent = existing.get(values["uscc"])
            try:
                if ent is None:
                    ent = Enterprise(**values)
                    ent.full_clean()
                    ent.save()
                    report.created += 1
                else:
                    before = _snapshot(ent)
                    for k, v in values.items():
                        setattr(ent, k, v)
                    if _diff(before, _snapshot(ent)):
                        ent.full_clean()
                        ent.save()
                        report.updated += 1
                    else:
                        report.unchanged += 1
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    report.errors += [RowError(number, field, m) for m in messages]
        if report.errors:
            transaction.set_rollback(True)
            report.created = report.updated = report.unchanged = 0
            return report
        audit.record(actor=actor, action="directory.enterprise.imported", request=request,
                     object_type="directory.enterprise", object_repr=filename[:200],
                     data={"created": report.created, "updated": report.updated, "unchanged": report.unchanged})
        _directory_changed()
    return report


def import_template_rows() -> tuple[list[str], list[list[str]]]:
    """Header and one example row for the downloadable template."""
    header = [h for _f, h, _r in IMPORT_COLUMNS]
    example = ["长春示例汽车零部件有限公司", make_uscc("220174", 1), "张三", "13800000000", "长春汽车经济技术开发区东风大街1号",
               "汽车零部件及配件制造", "中型", "2020-05-18", "5000", "存续", "中国一汽", "零部件服务局", "否", "否"]
    return header, [example]
