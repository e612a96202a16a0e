from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

STATUS_CLASS = {
    "registered": "text-bg-secondary", "dispatched": "text-bg-info", "in_progress": "text-bg-primary",
    "suspended": "text-bg-warning", "resolved": "text-bg-success", "closed": "text-bg-dark",
    "withdrawn": "text-bg-light border", "merged": "text-bg-light border",
}
LIGHT_LABEL = {"green": _("on time"), "yellow": _("due soon"), "red": _("overdue")}

EVENT_LABEL = {
    "registered": _("Registered (挂号)"), "dispatched": _("Dispatched"), "redispatched": _("Re-dispatched"),
    "accepted": _("Accepted (签收)"), "returned": _("Returned to the dispatcher"), "responded": _("Reply"),
    "suspended": _("Suspended, waiting for the firm"), "resumed": _("Resumed"),
    "extension_requested": _("Extension requested"), "extension_approved": _("Extension approved"),
    "extension_rejected": _("Extension rejected"), "resolved": _("Resolved (办结)"),
    "confirmed": _("Confirmed by the firm"), "called_back": _("Call-back recorded (回访)"),
    "withdrawn": _("Withdrawn"), "merged": _("Merged into another problem"), "merged_in": _("Another problem merged in"),
    "leader_in_charge": _("Leader in personal charge (包保)"), "instructed": _("Leader's instruction (批示)"),
    "supervised": _("Supervision notice (督办)"), "sweep_warning": _("Deadline warning"),
    "sweep_overdue": _("Overdue: supervision"), "callback_due": _("Call-back due"),
    "deadlines_recomputed": _("Deadlines recomputed on the official calendar"),
}


@register.filter
def status_class(status):
    return STATUS_CLASS.get(status, "text-bg-secondary")


@register.filter
def light_label(light):
    return LIGHT_LABEL.get(light, "")


@register.filter
def event_label(action):
    return EVENT_LABEL.get(action, action)
