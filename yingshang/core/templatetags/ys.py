from django import template

from .. import formatting

register = template.Library()


@register.filter
def money(amount):
    return formatting.money_cn(amount)


@register.filter
def mask_phone(phone):
    return formatting.mask_phone(phone)


@register.filter
def minutes(delta):
    try:
        return int(delta.total_seconds() // 60)
    except AttributeError:
        return delta


@register.filter
def when(dt):
    """A moment as officials read it: month-day and time this year, with the year otherwise."""
    from django.utils import timezone
    from django.utils.dateformat import format as fmt

    if not dt:
        return ""
    local = timezone.localtime(dt) if timezone.is_aware(dt) else dt
    return fmt(local, "m-d H:i" if local.year == timezone.localdate().year else "Y-m-d H:i")


@register.filter
def day(d):
    """A date: month-day this year, with the year otherwise."""
    from django.utils import timezone
    from django.utils.dateformat import format as fmt

    if not d:
        return ""
    if hasattr(d, "hour"):
        d = timezone.localtime(d) if timezone.is_aware(d) else d
    return fmt(d, "m-d" if d.year == timezone.localdate().year else "Y-m-d")


@register.filter
def is_image(fieldfile):
    from .. import uploads

    return uploads.is_image(fieldfile)


@register.filter
def event_label(action):
    """The label of a dotted event name, from its app's action table."""
    from yingshang.core import actions

    return actions.event_label(action)


@register.filter
def days_left(n):
    """剩余 2 个工作日 / 今日到期 / 已超期 3 个工作日."""
    from django.utils.translation import gettext, ngettext

    if n is None or n == "":
        return ""
    n = int(n)
    if n > 0:
        return ngettext("%(n)d working day left", "%(n)d working days left", n) % {"n": n}
    if n == 0:
        return gettext("due today")
    return ngettext("%(n)d working day overdue", "%(n)d working days overdue", -n) % {"n": -n}


@register.simple_tag
def select(field, name, small=False):
    """A form field's choices as a <select>, the current value selected, built in one pass (a template loop
    costs about a tenth of a millisecond an option, and a ledger page has a few hundred)."""
    from html import escape

    from django.utils.safestring import mark_safe

    current = str(field.value())
    parts = [f'<select name="{escape(name)}" class="form-select{" form-select-sm" if small else ""}" '
             f'id="id_{escape(name)}">']
    for value, label in field.field.choices:
        value = str(value)
        parts.append(f'<option value="{escape(value)}"{" selected" if value == current else ""}>'
                     f'{escape(str(label))}</option>')
    parts.append("</select>")
    return mark_safe("".join(parts))
