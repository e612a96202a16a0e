"""Parsing what people send, in one place for every service, form, API view and console command: text
without NUL bytes or control characters, ids that are whole numbers of the database's size, dates in the
years the platform can count, numbers that fit. Each failure is a ``ValidationError`` with a message in the
user's language, never an exception from deeper down."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_ID = 2**63 - 1           # a bigint primary key
MAX_INT = 2**31 - 1          # an integer column
MIN_YEAR, MAX_YEAR = 2000, 2100
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_control(value: str) -> bool:
    return bool(_CONTROL.search(value or ""))


def text(value, field: str, *, required: bool = True, max_length: int | None = None, multiline: bool = True) -> str:
    """A piece of text: stripped, without NUL bytes or control characters (line breaks and tabs are kept
    in a paragraph), required unless told, at most ``max_length`` characters."""
    value = "" if value is None else str(value)
    if not multiline:
        value = value.replace("\r", " ").replace("\n", " ").replace("\t", " ")
    value = value.strip()
    if has_control(value):
        raise ValidationError({field: _("The text contains characters that cannot be stored (control characters).")})
    if required and not value:
        raise ValidationError({field: _("This field is required.")})
    if max_length and len(value) > max_length:
        raise ValidationError({field: _("At most %(n)d characters.") % {"n": max_length}})
    return value


def object_id(value, field: str = "id") -> int:
    """A record's id from a URL, a form or a query: a whole number in ASCII digits within the id range."""
    s = str(value).strip() if value is not None else ""
    if not (s.isascii() and s.isdecimal()) or not 0 < int(s) <= MAX_ID:
        raise ValidationError({field: _("“%(value)s” is not a record number.") % {"value": s[:40]}})
    return int(s)


def optional_id(value, field: str) -> int | None:
    if value in (None, ""):
        return None
    return object_id(value, field)


def integer(value, field: str, *, min_value: int | None = None, max_value: int | None = MAX_INT) -> int:
    if isinstance(value, bool):
        raise ValidationError({field: _("Enter a whole number.")})
    if isinstance(value, int):
        n = value
    else:
        s = str(value).strip() if value is not None else ""
        if not (s.isascii() and (s.isdecimal() or (s[:1] == "-" and s[1:].isdecimal()))) or len(s) > 20:
            raise ValidationError({field: _("Enter a whole number.")})
        n = int(s)
    if min_value is not None and n < min_value:
        raise ValidationError({field: _("At least %(n)d.") % {"n": min_value}})
    if max_value is not None and n > max_value:
        raise ValidationError({field: _("At most %(n)d.") % {"n": max_value}})
    return n


def decimal(value, field: str, *, max_digits: int = 18, places: int = 2, min_value=None) -> Decimal:
    try:
        d = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Enter a number.")}) from None
    if not d.is_finite():
        raise ValidationError({field: _("Enter a number.")})
    d = d.quantize(Decimal(1).scaleb(-places)) if d.as_tuple().exponent < -places else d
    if len(d.as_tuple().digits) - max(0, -d.as_tuple().exponent) > max_digits - places:
        raise ValidationError({field: _("The number is too large.")})
    if min_value is not None and d < min_value:
        raise ValidationError({field: _("At least %(n)s.") % {"n": min_value}})
    return d


def check_year(d: date, field: str) -> date:
    if not MIN_YEAR <= d.year <= MAX_YEAR:
        raise ValidationError({field: _("Choose a date between %(a)d and %(b)d.") % {"a": MIN_YEAR, "b": MAX_YEAR}})
    return d


def day(value, field: str, *, required: bool = True) -> date | None:
    """A date written 2026-05-08, 2026/5/8 or 2026年5月8日, within the years the calendar can count."""
    if isinstance(value, datetime):
        return check_year(value.date(), field)
    if isinstance(value, date):
        return check_year(value, field)
    s = text(value, field, required=required, max_length=20, multiline=False)
    if not s:
        return None
    m = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", s)
    if not m:
        raise ValidationError({field: _("“%(value)s” is not a date: write it as 2026-05-08.") % {"value": s}})
    try:
        d = date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise ValidationError({field: _("“%(value)s” is not a date: write it as 2026-05-08.") % {"value": s}}) from None
    return check_year(d, field)


def moment(value, field: str, *, required: bool = True) -> datetime | None:
    """A point in time in ISO 8601 (2026-05-08T09:30:00+08:00; without an offset, the zone's time; a bare date
    is its midnight), within the years the calendar can count."""
    from django.utils import timezone
    from django.utils.dateparse import parse_datetime

    s = text(value, field, required=required, max_length=40, multiline=False)
    if not s:
        return None
    try:
        parsed = parse_datetime(s)
    except ValueError:
        parsed = None
    if parsed is None:
        d = day(s, field)
        parsed = datetime(d.year, d.month, d.day)
    check_year(parsed.date(), field)
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def month(value, field: str = "month") -> date:
    """A month written 2026-05: its first day."""
    s = text(value, field, max_length=10, multiline=False)
    m = re.fullmatch(r"(\d{4})-(\d{1,2})", s)
    if not m or not 1 <= int(m[2]) <= 12:
        raise ValidationError({field: _("“%(value)s” is not a month: write it as 2026-05.") % {"value": s}})
    return check_year(date(int(m[1]), int(m[2]), 1), field)


def choice(value, field: str, choices, *, required: bool = True) -> str:
    values = [c[0] for c in (choices.choices if hasattr(choices, "choices") else choices)]
    s = "" if value is None else str(value)
    if not s and not required:
        return ""
    if s not in values:
        raise ValidationError({field: _("“%(value)s” is not one of the choices.") % {"value": s[:40]}})
    return s
