from django import template
from django.utils.translation import gettext_lazy as _

from yingshang.core.templatetags import ys

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


# Shared with every app (``core/templatetags/ys.py``).
register.filter("event_label", ys.event_label)
register.filter("days_left", ys.days_left)


@register.filter
def choice_label(value, kind):
    """The label of a stored choice (``rating``, ``outcome``, ``status``, ``channel``) of a ticket."""
    from ..models import Ticket

    choices = {"rating": Ticket.Rating, "outcome": Ticket.Outcome, "status": Ticket.Status,
               "channel": Ticket.Channel}.get(kind)
    return dict(choices.choices).get(value, value) if choices else value
