"""Conditions in words, as officials and firms read them (the data is in ``matching``)."""

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yingshang.core.formatting import money_cn
from yingshang.credit.models import Grade
from yingshang.directory.models import Department, Enterprise

ATTR_LABELS = {
    "industry": gettext_lazy("industry"), "size": gettext_lazy("size"),
    "age_years": gettext_lazy("years since registration"), "bureau": gettext_lazy("service bureau"),
    "key": gettext_lazy("key enterprise"), "credit_grade": gettext_lazy("credit class"),
    "tax_a": gettext_lazy("tax credit class A"), "rd_share": gettext_lazy("R&D share"),
    "headcount": gettext_lazy("headcount"), "revenue": gettext_lazy("revenue"),
}


def bureau_names() -> dict[str, str]:
    """Every bureau's name by its code (read once for a page of conditions)."""
    return dict(Department.objects.filter(kind=Department.Kind.BUREAU).values_list("code", "name"))


def _names(attr: str, values, bureaus: dict | None = None) -> str:
    if attr == "size":
        labels = dict(Enterprise.Size.choices)
        return "、".join(str(labels.get(v, v)) for v in values)
    if attr == "credit_grade":
        labels = dict(Grade.choices)
        return "、".join(str(labels.get(v, v)) for v in values)
    if attr == "bureau":
        labels = bureaus if bureaus is not None else bureau_names()
        return "、".join(labels.get(v, v) for v in values)
    return "、".join(values)


def value_text(attr: str, value) -> str:
    """The firm's own value of ``attr`` (“unknown” when the file lacks it)."""
    if value is None:
        return _("unknown")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if attr == "revenue":
        return money_cn(value)
    if attr == "rd_share":
        return f"{value}%"
    if attr in ("size", "credit_grade", "bureau"):
        return _names(attr, [value])
    return str(value)


def leaf_text(attr: str, op: str, value, negated: bool = False, bureaus: dict | None = None) -> str:
    """One condition in words, e.g. “size is small or micro”."""
    label = ATTR_LABELS.get(attr, attr)
    if op == "is":
        text = _("is a %(what)s") % {"what": label} if value else _("is not a %(what)s") % {"what": label}
    elif op == "contains":
        text = _("%(what)s contains %(values)s") % {"what": label, "values": _names(attr, value, bureaus)}
    elif op == "in":
        text = _("%(what)s is %(values)s") % {"what": label, "values": _names(attr, value, bureaus)}
    else:
        shown = value_text(attr, Decimal(value))
        text = (_("%(what)s at least %(value)s") if op == "gte" else _("%(what)s at most %(value)s")) \
            % {"what": label, "value": shown}
    return _("not: %(condition)s") % {"condition": text} if negated else text


def describe(cond: dict, bureaus: dict | None = None) -> str:
    """The whole tree in words (``bureaus``: the names by code, read once for many trees)."""
    if bureaus is None:
        bureaus = bureau_names()
    if "all" in cond:
        if not cond["all"]:
            return _("every firm")
        return _(" and ").join(f"({describe(c, bureaus)})" if "all" in c else describe(c, bureaus) for c in cond["all"])
    if "any" in cond:
        return "(" + _(" or ").join(describe(c, bureaus) for c in cond["any"]) + ")"
    if "not" in cond:
        return _("not: %(condition)s") % {"condition": describe(cond["not"], bureaus)}
    return leaf_text(cond["attr"], cond["op"], cond["value"], bureaus=bureaus)
