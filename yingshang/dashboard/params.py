"""The cockpit's query, parsed once for its pages and its API: a period (``preset`` = month, quarter, year,
last_month or week; or ``from`` and ``to``, whole days in Asia/Shanghai, both included) and the enterprise
group and service bureau it is narrowed to. Bad input is a ``ValidationError`` (a 400 with its message)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from yingshang.core import inputs

from .figures import Dims
from django.utils.translation import gettext_lazy

from .periods import PRESETS, Period, preset

PRESET_LABELS = [("week", gettext_lazy("Last 7 days")), ("month", gettext_lazy("This month")),
                 ("last_month", gettext_lazy("Last month")), ("quarter", gettext_lazy("This quarter")),
                 ("year", gettext_lazy("This year"))]

MAX_DAYS = 10 * 366


@dataclass(frozen=True)
class Query:
    period: Period
    dims: Dims
    preset: str = ""


def parse(get, *, today: date | None = None, default: str = "month") -> Query:
    today = today or timezone.localdate()
    name = get.get("preset", "")
    if name and name not in PRESETS:
        raise ValidationError({"preset": _("“%(value)s” is not one of the choices.") % {"value": str(name)[:40]}})
    # A preset asked for wins over the dates beside it (the page's period buttons send both).
    start = None if name else inputs.day(get.get("from", ""), "from", required=False)
    end = None if name else inputs.day(get.get("to", ""), "to", required=False)
    if start or end:
        if not (start and end):
            raise ValidationError({"to" if start else "from": _("Give both ends of the period.")})
        if end < start:
            raise ValidationError({"to": _("The end comes before the start.")})
        if (end - start).days > MAX_DAYS:
            raise ValidationError({"to": _("A period covers at most ten years.")})
        period, name = Period(start, end), ""
    else:
        name = name or default
        period = preset(name, today)
    group = inputs.optional_id(get.get("group", ""), "group")
    bureau = inputs.optional_id(get.get("bureau", ""), "bureau")
    return Query(period=period, dims=Dims(group=group, bureau=bureau), preset=name)
