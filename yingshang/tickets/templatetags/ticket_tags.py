from django import template
from django.utils.translation import gettext_lazy as _

from yingshang.core import actions

register = template.Library()

STATUS_CLASS = {
    "registered": "text-bg-secondary", "dispatched": "text-bg-info", "in_progress": "text-bg-primary",
    "suspended": "text-bg-warning", "resolved": "text-bg-success", "closed": "text-bg-dark",
    "withdrawn": "text-bg-light border", "merged": "text-bg-light border",
}
LIGHT_LABEL = {"green": _("on time"), "yellow": _("due soon"), "red": _("overdue")}

@register.filter
def status_class(status):
    return STATUS_CLASS.get(status, "text-bg-secondary")


@register.filter
def light_label(light):
    return LIGHT_LABEL.get(light, "")


@register.filter
def event_label(action):
    """The label of a dotted event name, from its app's action table."""
    return actions.event_label(action)
