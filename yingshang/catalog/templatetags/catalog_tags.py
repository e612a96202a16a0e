from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

STATUS_CLASS = {
    "submitted": "text-bg-info", "correction": "text-bg-warning", "refused": "text-bg-light border",
    "review": "text-bg-primary", "special": "text-bg-warning", "approved": "text-bg-success",
    "denied": "text-bg-danger", "delivered": "text-bg-dark", "terminated": "text-bg-light border",
    "revoked": "text-bg-danger", "open": "text-bg-primary", "done": "text-bg-success",
    "final": "text-bg-light border", "callback": "text-bg-danger", "rectify": "text-bg-warning",
    "replied": "text-bg-info", "appealed": "text-bg-secondary", "replaced": "text-bg-light border",
    "void": "text-bg-light border",
}
LIGHT_LABEL = {"green": _("on time"), "yellow": _("due soon"), "red": _("overdue"), "paused": _("clock stopped")}


@register.filter
def app_status_class(status):
    return STATUS_CLASS.get(status, "text-bg-secondary")


@register.filter
def app_light_label(light):
    return LIGHT_LABEL.get(light, "")
