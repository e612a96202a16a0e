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
