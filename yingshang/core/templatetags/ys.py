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
