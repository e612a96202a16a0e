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


@register.filter
def choice_label(value, kind):
    """The label of a stored choice (``rating``, ``outcome``, ``status``, ``channel``) of a ticket."""
    from ..models import Ticket

    choices = {"rating": Ticket.Rating, "outcome": Ticket.Outcome, "status": Ticket.Status,
               "channel": Ticket.Channel}.get(kind)
    return dict(choices.choices).get(value, value) if choices else value
